"""Unexpected errors: write the traceback to the log file and tell the user where it is, not vanish.

``install_excepthook(log_path)`` replaces ``sys.excepthook`` (errors on the GUI thread, including
those raised in Qt slots, which PySide6 reports through it while the event loop keeps running) and
``threading.excepthook`` (worker threads). The dialog itself is ``show_crash_dialog``, a module-level
function that tests replace.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("desktop_app.crash")

TITLE = "程序错误"
_showing = False  # one dialog at a time: an error inside the dialog must not open another


def crash_message(log_path: Path) -> str:
    return f"程序遇到意外错误，已记录在日志文件：{log_path}。请把该文件发给管理员。"


def show_crash_dialog(message: str) -> None:
    """The dialog (GUI thread only). Tests monkeypatch this."""
    app = QApplication.instance()
    parent = app.activeWindow() if isinstance(app, QApplication) else None
    QMessageBox.critical(parent, TITLE, message)


def _logged_to(log_path: Path) -> bool:
    """Does a logging handler already write to that file (app.setup_logging)?"""
    target = str(Path(log_path).resolve())
    for logger in (log, logging.getLogger()):
        for handler in logger.handlers:
            base = getattr(handler, "baseFilename", None)
            if base and str(Path(base).resolve()) == target:
                return True
    return False


def record_exception(
    log_path: Path,
    exc_type: type[BaseException],
    exc: BaseException | None,
    tb: TracebackType | None,
    where: str = "",
) -> None:
    """Write the traceback to the log file; never raises."""
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    try:
        if _logged_to(log_path):
            log.critical("unexpected error%s\n%s", f" in {where}" if where else "", text.rstrip())
            return
        log_path = Path(log_path)
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("a", encoding="utf-8") as fh:
            from datetime import datetime

            stamp = datetime.now().isoformat(sep=" ", timespec="seconds")
            fh.write(
                f"{stamp} CRITICAL desktop_app.crash: unexpected error{f' in {where}' if where else ''}\n"
            )
            fh.write(text)
    except Exception:  # noqa: BLE001 - the hook itself must not fail
        pass


def _notify(message: str) -> None:
    """Show the dialog on the GUI thread if there is a QApplication; otherwise do nothing."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return

    def show() -> None:
        global _showing
        if _showing:
            return
        _showing = True
        try:
            show_crash_dialog(message)
        except Exception:  # noqa: BLE001 - a broken dialog must not recurse into the hook
            log.exception("crash dialog failed")
        finally:
            _showing = False

    if QThread.currentThread() == app.thread():
        show()
    else:
        QTimer.singleShot(0, app, show)  # runs in the GUI thread's event loop


def _call_quietly(hook: Callable[..., object], *args: object) -> None:
    """The previous hook prints the traceback to stderr, which is None in a windowed bundle."""
    if sys.stderr is None:
        return
    try:
        hook(*args)
    except Exception:  # noqa: BLE001
        pass


def install_excepthook(log_path: Path) -> None:
    """Log unexpected errors to ``log_path`` and show where the log is; keep the program running."""
    log_path = Path(log_path)
    previous_sys = sys.excepthook
    previous_thread = threading.excepthook

    def sys_hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            previous_sys(exc_type, exc, tb)
            return
        record_exception(log_path, exc_type, exc, tb)
        _call_quietly(previous_sys, exc_type, exc, tb)
        _notify(crash_message(log_path))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "?"
        record_exception(log_path, args.exc_type, args.exc_value, args.exc_traceback, f"thread {name}")
        _call_quietly(previous_thread, args)
        _notify(crash_message(log_path))

    sys.excepthook = sys_hook
    threading.excepthook = thread_hook
