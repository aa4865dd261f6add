"""The background runner: results and errors come back on the GUI thread, as one sentence."""

from __future__ import annotations

import threading

import pytest

from desktop_app.domain.model import LedgerError
from desktop_app.ui.runner import Runner


@pytest.fixture
def runner(qapp):
    r = Runner()
    yield r
    r.wait()


def test_result_arrives_on_the_gui_thread(runner, qtbot):
    seen = {}
    main = threading.get_ident()

    def work():
        seen["worker"] = threading.get_ident()
        return 42

    def done(value):
        seen["value"] = value
        seen["callback"] = threading.get_ident()

    runner.run(work, done, lambda m: None)
    assert runner.busy
    qtbot.waitUntil(lambda: "value" in seen, timeout=5000)
    assert seen["value"] == 42
    assert seen["worker"] != main
    assert seen["callback"] == main
    assert not runner.busy


def test_ledger_error_message_is_passed_on(runner, qtbot):
    errors = []

    def work():
        raise LedgerError("文件已损坏。请重新导出后再试。")

    runner.run(work, lambda v: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors == ["文件已损坏。请重新导出后再试。"]


def test_a_bug_becomes_one_sentence_without_traceback(runner, qtbot, caplog):
    errors = []

    def work():
        raise ZeroDivisionError("boom")

    runner.run(work, lambda v: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert "Traceback" not in errors[0] and "\n" not in errors[0]
    assert "请重试" in errors[0]


def test_finished_signal_for_the_progress_bar(runner, qtbot):
    with qtbot.waitSignal(runner.finished, timeout=5000):
        runner.run(lambda: 1, lambda v: None, lambda m: None, "导出")
