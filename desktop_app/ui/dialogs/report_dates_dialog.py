"""The ledger's report dates (报送日期): a short editable list with common presets."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain import clock


class ReportDatesDialog(QDialog):
    def __init__(self, dates: list[date], year: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportDatesDialog")
        self.setWindowTitle("报送日期")
        self._year = year or clock.today().year
        self.list = QListWidget()
        self.list.setObjectName("reportDateList")
        self.edit = QDateEdit()
        self.edit.setObjectName("reportDateEdit")
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy年M月d日")
        self.edit.setDate(QDate(self._year, 8, 15))
        add = QPushButton("添加")
        add.setObjectName("addDateButton")
        add.clicked.connect(lambda: self.add_date(self.edit.date().toPython()))
        remove = QPushButton("删除所选")
        remove.clicked.connect(self._remove)
        preset1 = QPushButton("8月15日 + 12月5日")
        preset1.clicked.connect(lambda: self.set_dates([date(self._year, 8, 15), date(self._year, 12, 5)]))
        preset2 = QPushButton("每季度末月15日")
        preset2.clicked.connect(lambda: self.set_dates([date(self._year, m, 15) for m in (3, 6, 9, 12)]))
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(add)
        row.addWidget(remove)
        presets = QHBoxLayout()
        presets.addWidget(QLabel("常用："))
        presets.addWidget(preset1)
        presets.addWidget(preset2)
        presets.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("确定")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("每次向上级报送进展的日期；状态栏会倒数下一次，并标出上次报送后未更新的任务。")
        )
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addLayout(presets)
        layout.addWidget(buttons)
        self.set_dates(dates)

    def set_dates(self, dates: list[date]) -> None:
        self.list.clear()
        for d in sorted(set(dates)):
            self.add_date(d)

    def add_date(self, d: date) -> None:
        if d in self.dates():
            return
        item = QListWidgetItem(clock.chinese_date(d))
        item.setData(Qt.UserRole, d)
        self.list.addItem(item)
        items = sorted(
            (self.list.takeItem(0) for _ in range(self.list.count())), key=lambda i: i.data(Qt.UserRole)
        )
        for i in items:
            self.list.addItem(i)

    def _remove(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))

    def dates(self) -> list[date]:
        return [self.list.item(i).data(Qt.UserRole) for i in range(self.list.count())]
