"""The ledgers on the left: a two-level tree, year -> ledger."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel

from desktop_app.domain.model import LedgerSummary
from desktop_app.ui.models.roles import LEDGER_ID_ROLE


class LedgerListModel(QStandardItemModel):
    """Years as bold parent rows, ledgers as their children (ledger id in LEDGER_ID_ROLE)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels(["台账"])
        self._summaries: list[LedgerSummary] = []

    def set_ledgers(self, summaries: list[LedgerSummary]) -> None:
        self._summaries = list(summaries)
        self.clear()
        self.setHorizontalHeaderLabels(["台账"])
        years: dict[int | None, QStandardItem] = {}
        order = sorted({s.year for s in summaries}, key=lambda y: -(y or 0))
        bold = QFont()
        bold.setBold(True)
        for year in order:
            item = QStandardItem(f"{year}年" if year else "未定年份")
            item.setEditable(False)
            item.setSelectable(False)
            item.setFont(bold)
            item.setData(None, LEDGER_ID_ROLE)
            self.appendRow(item)
            years[year] = item
        for s in summaries:
            child = QStandardItem(s.title or "（未命名台账）")
            child.setEditable(False)
            child.setData(s.id, LEDGER_ID_ROLE)
            owner = f"{s.owner_unit}，" if s.owner_unit else ""
            child.setToolTip(f"{s.title}\n{owner}共 {s.task_count} 项任务")
            years[s.year].appendRow(child)

    def summaries(self) -> list[LedgerSummary]:
        return list(self._summaries)

    def summary(self, ledger_id: int) -> LedgerSummary | None:
        return next((s for s in self._summaries if s.id == ledger_id), None)

    def index_of_ledger(self, ledger_id: int) -> QModelIndex:
        for r in range(self.rowCount()):
            year = self.item(r)
            for c in range(year.rowCount()):
                child = year.child(c)
                if child.data(LEDGER_ID_ROLE) == ledger_id:
                    return child.index()
        return QModelIndex()
