"""Undo history per ledger: one QUndoStack for each ledger, kept while the program runs, grouped
so that 撤销/重做 always act on the ledger shown (switching ledgers no longer loses the history)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoGroup, QUndoStack

UNDO_LIMIT = 500


class LedgerUndoHistory(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.group = QUndoGroup(self)
        self._stacks: dict[int | None, QUndoStack] = {}
        self.activate(None)  # the welcome page has a stack too (empty): the actions stay valid

    def stack(self, ledger_id: int | None) -> QUndoStack:
        stack = self._stacks.get(ledger_id)
        if stack is None:
            stack = QUndoStack(self)
            stack.setUndoLimit(UNDO_LIMIT)
            self.group.addStack(stack)
            self._stacks[ledger_id] = stack
        return stack

    def activate(self, ledger_id: int | None) -> QUndoStack:
        stack = self.stack(ledger_id)
        self.group.setActiveStack(stack)
        return stack

    def active(self) -> QUndoStack:
        stack = self.group.activeStack()
        return stack if stack is not None else self.activate(None)

    def forget(self, ledger_id: int) -> None:
        """The ledger was deleted: its commands refer to rows that no longer exist."""
        stack = self._stacks.pop(ledger_id, None)
        if stack is not None:
            self.group.removeStack(stack)
            stack.deleteLater()
        if self.group.activeStack() is None:
            self.activate(None)

    def clear_all(self) -> None:
        """Data restored from a backup: no command refers to what is in the database now."""
        for stack in self._stacks.values():
            stack.clear()

    def ledger_ids(self) -> list[int]:
        return [k for k, s in self._stacks.items() if k is not None and s.count()]
