"""Other people's changes, within a few seconds: polls the database's change counter every 2 s."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from desktop_app.domain.model import LedgerError

log = logging.getLogger(__name__)
POLL_MS = 2000


class ChangeWatcher(QObject):
    """Asks ctx.people.poll() (one short query) on a timer; announces the tasks and ledgers others
    changed, with who. Skips a tick while a modal dialog is open (the changes wait for the next one);
    a lost connection is said once and the polling goes on until the server is back."""

    tasks_changed = Signal(object, object)  # set of task ids, list of people
    ledgers_changed = Signal(object, object)  # set of ledger ids, list of people
    connection = Signal(str)  # "" when it is back, else the sentence to show

    def __init__(self, ctx: Any, parent: QObject | None = None, interval: int = POLL_MS) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._lost = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        try:
            self.ctx.people.start_watching()
        except LedgerError as exc:
            log.warning("cannot read the change counter: %s", exc.message)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def poll(self) -> bool:
        """One look at the counter; True when something of the others' was announced."""
        if QApplication.activeModalWidget() is not None:
            return False
        try:
            batch = self.ctx.people.poll()
        except LedgerError as exc:
            if not self._lost:
                self._lost = True
                self.connection.emit(exc.message)
            return False
        if self._lost:
            self._lost = False
            self.connection.emit("")
        if not batch:
            return False
        if batch.task_ids:
            self.tasks_changed.emit(set(batch.task_ids), list(batch.people))
        if batch.ledger_ids:
            self.ledgers_changed.emit(set(batch.ledger_ids), list(batch.people))
        return True
