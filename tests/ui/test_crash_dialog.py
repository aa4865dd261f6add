"""The crash hook: traceback into the log file, a dialog naming that file, the program kept alive."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import pytest

from desktop_app.ui import crash_dialog

# pytest-qt would count the exceptions these tests hand to the hooks as test failures.
pytestmark = pytest.mark.qt_no_exception_capture


@pytest.fixture
def hooks(monkeypatch):
    """Restore both hooks after the test; record what the dialog was asked to show."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    shown: list[str] = []
    monkeypatch.setattr(crash_dialog, "show_crash_dialog", shown.append)
    return shown


def _raise(exc: BaseException):
    try:
        raise exc
    except BaseException as caught:  # noqa: BLE001
        return type(caught), caught, caught.__traceback__


def test_main_thread_error_is_logged_and_shown(qapp, hooks, tmp_path: Path, capsys) -> None:
    log_path = tmp_path / "logs" / "desktop_app.log"
    crash_dialog.install_excepthook(log_path)

    sys.excepthook(*_raise(ValueError("坏数据 42")))

    text = log_path.read_text(encoding="utf-8")
    assert "Traceback" in text and "ValueError: 坏数据 42" in text
    assert hooks == [f"程序遇到意外错误，已记录在日志文件：{log_path}。请把该文件发给管理员。"]
    assert "ValueError" in capsys.readouterr().err  # the previous hook still prints for console users


def test_uses_the_apps_log_handler_when_there_is_one(qapp, hooks, tmp_path: Path) -> None:
    log_path = tmp_path / "desktop_app.log"
    handler = logging.FileHandler(log_path, encoding="utf-8")
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        crash_dialog.install_excepthook(log_path)
        sys.excepthook(*_raise(RuntimeError("boom")))
    finally:
        root.removeHandler(handler)
        handler.close()
    text = log_path.read_text(encoding="utf-8")
    assert text.count("RuntimeError: boom") == 1  # written once, through the handler
    assert "unexpected error" in text


def test_worker_thread_error_shows_dialog_on_gui_thread(
    qapp, qtbot, hooks, monkeypatch, tmp_path: Path
) -> None:
    log_path = tmp_path / "desktop_app.log"
    monkeypatch.setattr(threading, "excepthook", lambda args: None)  # not pytest's: it would fail the test
    crash_dialog.install_excepthook(log_path)
    seen_threads: list[bool] = []
    hooks_list = hooks

    def record(message: str) -> None:
        seen_threads.append(threading.current_thread() is threading.main_thread())
        hooks_list.append(message)

    crash_dialog.show_crash_dialog = record  # type: ignore[assignment]  (restored by monkeypatch)

    def work() -> None:
        raise OSError("磁盘已满")

    t = threading.Thread(target=work, name="exporter")
    t.start()
    t.join()
    qtbot.waitUntil(lambda: len(hooks_list) == 1, timeout=2000)
    assert seen_threads == [True]
    text = log_path.read_text(encoding="utf-8")
    assert "thread exporter" in text and "OSError: 磁盘已满" in text


def test_keyboard_interrupt_is_not_a_crash(qapp, hooks, tmp_path: Path, capsys) -> None:
    log_path = tmp_path / "desktop_app.log"
    crash_dialog.install_excepthook(log_path)
    sys.excepthook(*_raise(KeyboardInterrupt()))
    assert hooks == []
    assert not log_path.exists()


def test_no_dialog_without_qapplication(monkeypatch, hooks, tmp_path: Path) -> None:
    log_path = tmp_path / "desktop_app.log"
    monkeypatch.setattr(crash_dialog.QApplication, "instance", staticmethod(lambda: None))
    crash_dialog.install_excepthook(log_path)
    sys.excepthook(*_raise(ValueError("x")))
    assert hooks == []
    assert "ValueError: x" in log_path.read_text(encoding="utf-8")


def test_broken_dialog_does_not_recurse(qapp, monkeypatch, hooks, tmp_path: Path) -> None:
    log_path = tmp_path / "desktop_app.log"
    calls: list[str] = []

    def broken(message: str) -> None:
        calls.append(message)
        raise RuntimeError("dialog broke")

    monkeypatch.setattr(crash_dialog, "show_crash_dialog", broken)
    crash_dialog.install_excepthook(log_path)
    sys.excepthook(*_raise(ValueError("first")))
    assert len(calls) == 1
    sys.excepthook(*_raise(ValueError("second")))  # the guard was released
    assert len(calls) == 2


def test_unwritable_log_does_not_break_the_hook(qapp, hooks, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    log_path = blocker / "sub" / "desktop_app.log"  # parent is a file: cannot be created
    crash_dialog.install_excepthook(log_path)
    sys.excepthook(*_raise(ValueError("y")))
    assert len(hooks) == 1


def test_real_dialog_is_a_critical_message_box(qapp, monkeypatch) -> None:
    seen: list[tuple[object, str, str]] = []
    monkeypatch.setattr(
        crash_dialog.QMessageBox,
        "critical",
        staticmethod(lambda parent, title, text: seen.append((parent, title, text))),
    )
    crash_dialog.show_crash_dialog("消息")
    assert seen == [(None, "程序错误", "消息")]
