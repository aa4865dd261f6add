"""The ledgers on the left, grouped by year, with buttons for the ledger actions."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.model import LedgerSummary
from desktop_app.ui.models.ledger_list_model import LedgerListModel
from desktop_app.ui.models.roles import LEDGER_ID_ROLE


class LedgerPanel(QWidget):
    ledger_selected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ledgerPanel")
        self.model = LedgerListModel(self)
        self.tree = QTreeView()
        self.tree.setObjectName("ledgerList")
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setEditTriggers(QTreeView.NoEditTriggers)
        self.tree.setUniformRowHeights(True)
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        self.tree.setContextMenuPolicy(Qt.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)
        self._actions: list[QAction] = []
        self._buttons = QGridLayout()
        self._buttons.setSpacing(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("台账（按年度）")
        title.setStyleSheet("font-weight: bold; padding: 2px")
        layout.addWidget(title)
        layout.addWidget(self.tree, 1)
        layout.addLayout(self._buttons)

    def add_buttons(self, actions: list[QAction]) -> None:
        """A button per ledger action (new, rename, delete, copy to next year); also the context menu."""
        self._actions = list(actions)
        for n, action in enumerate(actions):
            b = QToolButton()
            b.setDefaultAction(action)
            b.setToolButtonStyle(Qt.ToolButtonTextOnly)
            b.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
            self._buttons.addWidget(b, n // 2, n % 2)

    def context_menu(self) -> QMenu:
        """The ledger list's context menu: the window's ledger actions."""
        menu = QMenu(self)
        menu.setObjectName("ledgerMenu")
        for a in self._actions:
            menu.addAction(a)
        return menu

    def _menu(self, pos) -> None:
        menu = self.context_menu()
        menu.exec(self.tree.viewport().mapToGlobal(pos))
        menu.deleteLater()  # the actions belong to the window, the menu is made per right-click

    def _on_current(self, current, _previous) -> None:
        ledger_id = current.data(LEDGER_ID_ROLE) if current.isValid() else None
        if ledger_id is not None:
            self.ledger_selected.emit(int(ledger_id))

    def set_ledgers(self, summaries: list[LedgerSummary]) -> None:
        self.tree.selectionModel().blockSignals(True)
        self.model.set_ledgers(summaries)
        self.tree.expandAll()
        self.tree.selectionModel().blockSignals(False)

    def select_ledger(self, ledger_id: int, emit: bool = True) -> None:
        index = self.model.index_of_ledger(ledger_id)
        if not index.isValid():
            return
        sm = self.tree.selectionModel()
        if not emit:
            sm.blockSignals(True)
        sm.setCurrentIndex(index, QItemSelectionModel.ClearAndSelect)
        if not emit:
            sm.blockSignals(False)
        self.tree.scrollTo(index)

    def current_ledger_id(self) -> int | None:
        index = self.tree.currentIndex()
        value = index.data(LEDGER_ID_ROLE) if index.isValid() else None
        return int(value) if value is not None else None
