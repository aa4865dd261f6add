"""节假日: a year's 放假 and 调休上班 days, edited by hand or taken from the State Council's notice."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.model import HolidayDay, LedgerError

KINDS = (("放假", False), ("调休上班", True))


class HolidayDialog(QDialog):
    """Every change is saved at once (like the rest of the program); 关闭 closes."""

    def __init__(self, ctx: Any, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("holidayDialog")
        self.setWindowTitle("节假日与调休")
        self.ctx = ctx
        self.resize(620, 560)
        layout = QVBoxLayout(self)

        top = QHBoxLayout()
        top.addWidget(QLabel("年份"))
        self.year = QSpinBox()
        self.year.setObjectName("holidayYear")
        self.year.setRange(2000, 2100)
        self.year.setValue(year)
        self.year.valueChanged.connect(self.reload)
        top.addWidget(self.year)
        self.summary = QLabel()
        self.summary.setObjectName("holidaySummary")
        top.addWidget(self.summary, 1)
        layout.addLayout(top)

        self.table = QTableWidget(0, 3)
        self.table.setObjectName("holidayTable")
        self.table.setHorizontalHeaderLabels(["日期", "类型", "名称"])
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)

        add = QHBoxLayout()
        self.day = QDateEdit()
        self.day.setObjectName("holidayDate")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy年M月d日")
        self.day.setDate(QDate(year, 1, 1))
        self.kind = QComboBox()
        self.kind.setObjectName("holidayKind")
        for label, workday in KINDS:
            self.kind.addItem(label, workday)
        self.name = QLineEdit()
        self.name.setObjectName("holidayName")
        self.name.setPlaceholderText("名称，如：春节")
        add_button = QPushButton("添加或修改")
        add_button.setObjectName("holidayAdd")
        add_button.clicked.connect(self.add_day)
        remove_button = QPushButton("删除所选")
        remove_button.setObjectName("holidayRemove")
        remove_button.clicked.connect(self.remove_selected)
        for w in (self.day, self.kind, self.name, add_button, remove_button):
            add.addWidget(w)
        layout.addLayout(add)

        paste = QGroupBox("从国务院办公厅节假日安排通知导入（粘贴通知正文，替换该年的数据）")
        pl = QVBoxLayout(paste)
        self.notice = QPlainTextEdit()
        self.notice.setObjectName("holidayNotice")
        self.notice.setPlaceholderText(
            "一、元旦：1月1日放假，与周末连休。\n二、春节：……放假调休，共8天。……上班。"
        )
        self.notice.setMaximumHeight(110)
        pl.addWidget(self.notice)
        import_button = QPushButton("导入通知")
        import_button.setObjectName("holidayImport")
        import_button.clicked.connect(self.import_notice)
        pl.addWidget(import_button, 0, Qt.AlignRight)
        layout.addWidget(paste)

        self.message = QLabel()
        self.message.setObjectName("holidayMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.reload()

    def _say(self, text: str) -> None:
        self.message.setText(text)

    def reload(self) -> None:
        year = self.year.value()
        try:
            days = self.ctx.calendar.days(year)
        except LedgerError as exc:
            self._say(exc.message)
            days = []
        self.table.setRowCount(len(days))
        for row, d in enumerate(days):
            item = QTableWidgetItem(f"{d.day.year}年{d.day.month}月{d.day.day}日")
            item.setData(Qt.UserRole, d.day.isoformat())
            self.table.setItem(row, 0, item)
            self.table.setItem(row, 1, QTableWidgetItem("调休上班" if d.is_workday else "放假"))
            self.table.setItem(row, 2, QTableWidgetItem(d.name))
        off = sum(1 for d in days if not d.is_workday)
        self.summary.setText(
            f"{year}年：放假 {off} 天，调休上班 {len(days) - off} 天" if days else f"{year}年还没有节假日数据"
        )
        if self.day.date().year() != year:
            self.day.setDate(QDate(year, 1, 1))

    def days_shown(self) -> list[tuple[date, bool, str]]:
        out = []
        for row in range(self.table.rowCount()):
            day = date.fromisoformat(self.table.item(row, 0).data(Qt.UserRole))
            out.append((day, self.table.item(row, 1).text() == "调休上班", self.table.item(row, 2).text()))
        return out

    def add_day(self) -> None:
        q = self.day.date()
        day = date(q.year(), q.month(), q.day())
        workday = bool(self.kind.currentData())
        if workday and day.weekday() < 5:
            self._say(f"{day.month}月{day.day}日不是周末，不能设为调休上班日；请选择周六或周日。")
            return
        try:
            self.ctx.calendar.set_day(HolidayDay(day, workday, self.name.text().strip()))
        except LedgerError as exc:
            self._say(exc.message)
            return
        if day.year != self.year.value():
            self.year.setValue(day.year)
        self.reload()
        self._say(f"已保存 {day.month}月{day.day}日（{self.kind.currentText()}）。")

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        if not rows:
            self._say("请先在表中选择要删除的日期。")
            return
        try:
            for row in rows:
                self.ctx.calendar.remove_day(date.fromisoformat(self.table.item(row, 0).data(Qt.UserRole)))
        except LedgerError as exc:
            self._say(exc.message)
        self.reload()
        self._say(f"已删除 {len(rows)} 天。")

    def import_notice(self) -> None:
        year = self.year.value()
        try:
            parsed = self.ctx.calendar.import_notice(self.notice.toPlainText(), year)
        except LedgerError as exc:
            self._say(exc.message)
            return
        self.reload()
        note = "；".join(parsed.warnings)
        self._say(
            f"已导入{year}年节假日安排：放假 {len(parsed.holidays)} 天，调休上班 {len(parsed.workdays)} 天。"
            + (f"请核对：{note}" if note else "")
        )
