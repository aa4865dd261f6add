"""修改记录: who changed what and when in the ledger, filtered by task, person and date, shown with
old and new values, exportable to Excel."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain import clock
from desktop_app.domain.audit import HEADERS
from desktop_app.domain.model import Ledger, LedgerError
from desktop_app.ui.last_folder import last_folder, remember_folder

ALL_PEOPLE = "（全部）"


class AuditDialog(QDialog):
    """objectName auditDialog; children auditTable, auditOnlyTask, auditPerson, auditByDate, auditFrom,
    auditTo, auditSearch, auditExportButton, auditInfo."""

    def __init__(self, ctx: Any, ledger: Ledger, task_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("auditDialog")
        self.setWindowTitle(f"修改记录 — {ledger.title}")
        self.resize(1100, 600)
        self.ctx = ctx
        self.ledger = ledger
        self.task_id = task_id
        self.exported: Path | None = None
        self._rows: list[list[str]] = []

        self.only_task = QCheckBox("只看当前任务")
        self.only_task.setObjectName("auditOnlyTask")
        self.only_task.setEnabled(task_id is not None)
        self.person = QComboBox()
        self.person.setObjectName("auditPerson")
        self.person.addItem(ALL_PEOPLE, None)
        self.person.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.person.setMinimumContentsLength(6)
        self.by_date = QCheckBox("日期")
        self.by_date.setObjectName("auditByDate")
        today = clock.today()
        self.date_from = QDateEdit(QDate(today - timedelta(days=30)))
        self.date_from.setObjectName("auditFrom")
        self.date_to = QDateEdit(QDate(today))
        self.date_to.setObjectName("auditTo")
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.setEnabled(False)
        self.search = QLineEdit()
        self.search.setObjectName("auditSearch")
        self.search.setPlaceholderText("在原值、新值、任务中查找")
        self.search.setClearButtonEnabled(True)
        filters = QHBoxLayout()
        filters.addWidget(self.only_task)
        filters.addWidget(QLabel("修改人"))
        filters.addWidget(self.person)
        filters.addWidget(self.by_date)
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel("至"))
        filters.addWidget(self.date_to)
        filters.addWidget(self.search, 1)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("auditTable")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        h = self.table.horizontalHeader()
        for col in (0, 1, 3, 4):
            h.setSectionResizeMode(col, QHeaderView.ResizeToContents)
        for col in (2, 5, 6):
            h.setSectionResizeMode(col, QHeaderView.Stretch)
        self.info = QLabel("")
        self.info.setObjectName("auditInfo")
        self.export_button = QPushButton("导出 Excel…")
        self.export_button.setObjectName("auditExportButton")
        self.export_button.clicked.connect(self.export)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.info, 1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self.only_task.toggled.connect(lambda _on: self.reload())
        self.person.currentIndexChanged.connect(lambda _i: self.reload())
        self.by_date.toggled.connect(self._on_by_date)
        self.date_from.dateChanged.connect(lambda _d: self.reload())
        self.date_to.dateChanged.connect(lambda _d: self.reload())
        self.search.textChanged.connect(lambda _t: self._show())
        self.reload()
        self._fill_people()

    # ---- replaced in tests ---------------------------------------------------------------------------
    def ask_save_path(self, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, "导出修改记录", suggested, "Excel 表格 (*.xlsx)")
        return path

    def show_error(self, text: str) -> None:
        QMessageBox.warning(self, "提示", text)

    # ---- content ---------------------------------------------------------------------------------------
    def _on_by_date(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.reload()

    def _range(self) -> tuple[date | None, date | None]:
        if not self.by_date.isChecked():
            return None, None
        return self.date_from.date().toPython(), self.date_to.date().toPython()

    def reload(self) -> None:
        since, until = self._range()
        try:
            self._rows = self.ctx.exports.audit_rows(
                self.ledger.id,
                self.task_id if self.only_task.isChecked() else None,
                since,
                until,
                self.person.currentData(),
            )
        except LedgerError as exc:
            self._rows = []
            self.show_error(exc.message)
        self._show()

    def _fill_people(self) -> None:
        people = sorted({r[1] for r in self._rows if r[1]})
        self.person.blockSignals(True)
        for p in people:
            self.person.addItem(p, p)
        self.person.blockSignals(False)

    def rows(self) -> list[list[str]]:
        """The rows shown (after the text search)."""
        needle = self.search.text().strip()
        if not needle:
            return list(self._rows)
        return [r for r in self._rows if any(needle in v for v in (r[2], r[5], r[6]))]

    def _show(self) -> None:
        rows = self.rows()
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                cell = QTableWidgetItem(" ".join(v.split()) if j in (5, 6) else v)
                cell.setToolTip(v)
                self.table.setItem(i, j, cell)
        self.info.setText(f"共 {len(rows)} 条修改记录" + ("（已筛选）" if len(rows) != len(self._rows) else ""))

    def export(self) -> None:
        rows = self.rows()
        folder = last_folder(self.ctx.settings, "xlsx")
        target = self.ask_save_path(str(folder / f"{self.ledger.title}_修改记录.xlsx"))
        if not target:
            return
        try:
            self.exported = self.ctx.exports.export_audit(self.ledger.id, Path(target), rows)
        except LedgerError as exc:
            self.show_error(exc.message)
            return
        remember_folder(self.ctx.settings, "xlsx", Path(self.exported).parent)
        self.info.setText(f"已导出 {len(rows)} 条修改记录：{self.exported}")
