"""Runs slow work (parsing a file, writing an export) off the GUI thread and reports back on it.

The work function must not touch widgets. Database writes stay on the GUI thread: the import
wizard parses in the worker (ctx.imports.inspect is pure parsing) and saves on the GUI thread.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from desktop_app.domain.model import LedgerError

log = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)


class _Relay(QObject):
    """Lives on the GUI thread, so the worker's signals reach it queued, on that thread."""

    def __init__(self, on_done: Callable[[Any], None], on_failed: Callable[[str], None]) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_failed = on_failed

    @Slot(object)
    def done(self, result: Any) -> None:
        self._on_done(result)

    @Slot(str)
    def failed(self, message: str) -> None:
        self._on_failed(message)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._fn()
        except LedgerError as exc:
            self._signals.failed.emit(exc.message)
        except Exception as exc:  # a bug: log it, show the user one sentence
            log.error("background job failed:\n%s", traceback.format_exc())
            self._signals.failed.emit(
                f"操作未能完成（{type(exc).__name__}）。请重试；如仍失败，请把日志文件发给维护人员。"
            )
        else:
            self._signals.done.emit(result)


class Runner(QObject):
    """`run(fn, on_done, on_error)`; `busy` while any job is out; `started`/`finished` for progress bars."""

    started = Signal(str)
    finished = Signal()
    progress = Signal(int, int)  # (done, total) reported by a job through report(); queued to the GUI

    def report(self, done: int, total: int) -> None:
        """Called from a job (any thread): the window's bar shows done of total."""
        self.progress.emit(int(done), int(total))

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._pending: set[_Relay] = set()

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[str], None],
        label: str = "",
    ) -> None:
        signals = _Signals()
        relay: _Relay

        def finish() -> None:
            self._pending.discard(relay)
            if not self._pending:
                self.finished.emit()

        def done(result: Any) -> None:
            finish()
            on_done(result)

        def failed(message: str) -> None:
            finish()
            on_error(message)

        relay = _Relay(done, failed)
        relay.signals = signals  # keep the sender alive until the relay goes
        self._pending.add(relay)
        signals.done.connect(relay.done)
        signals.failed.connect(relay.failed)
        self.started.emit(label)
        self._pool.start(_Job(fn, signals))

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)
