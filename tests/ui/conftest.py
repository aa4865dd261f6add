"""UI test fixtures: QSettings in a temp folder, a main window on a temp database, the city ledger."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(autouse=True)
def _qsettings_tmp(tmp_path: Path):
    """Window geometry and column widths go to a temp ini file, never the user's."""
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "qsettings"))
    yield


@pytest.fixture
def window(qtbot, tmp_path: Path):
    from desktop_app.app import create_window

    w = create_window(tmp_path / "ledger.sqlite3")
    qtbot.addWidget(w)
    w.resize(1400, 900)
    yield w
    w.runner.wait(10000)
    w.shutdown()


@pytest.fixture
def city(window):
    """The window showing the city's 2023 ledger, imported through the services."""
    ledger = window.ctx.imports.import_file(DATA / "city-2023.docx")
    window.imported(ledger)
    return window


@pytest.fixture(autouse=True)
def _no_modal_dialogs(monkeypatch):
    """A test that forgets to replace a dialog method fails instead of hanging on a modal dialog;
    errors shown to the user are collected in `window.errors`."""
    from desktop_app.ui.main_window import MainWindow

    def unexpected(self, *args, **kwargs):
        raise AssertionError(f"unexpected modal dialog: {args}")

    def record(self, text):
        self.__dict__.setdefault("errors", []).append(text)
        self.statusBar().showMessage(text)

    monkeypatch.setattr(MainWindow, "show_error", record)
    for name in (
        "ask_confirm",
        "ask_open_file",
        "ask_save_file",
        "ask_text",
        "ask_new_ledger",
        "ask_ledger_info",
        "ask_report_dates",
        "run_dialog",
        "show_about",
        "ask_done_percent",
        "ask_done_at_full",
        "ask_identity",
        "ask_apply_pending",
        "tell_at_close",
    ):
        monkeypatch.setattr(MainWindow, name, unexpected)
    from desktop_app.ui.dialogs.export_dialog import ExportDialog

    monkeypatch.setattr(ExportDialog, "confirm_submit", unexpected)
    from desktop_app.ui.widgets.progress_editor import ProgressEditor

    monkeypatch.setattr(ProgressEditor, "ask_person", unexpected)
    for name in ("ask_done_percent", "ask_done_at_full"):
        monkeypatch.setattr(ProgressEditor, name, unexpected)


class ModalDriver:
    """Runs a dialog's real exec(); once it is the active modal window, shown and ready (a preview has
    painted its pages, a wizard has read its file), `then(dialog)` fills it and accepts or rejects it.
    A dialog still open after `timeout` ms is rejected and recorded in `stuck` (the test then fails)."""

    READY = {
        "PrintPreviewDialog": lambda d: d.pages_painted > 0,
        "ImportWizard": lambda d: not d.busy and (d.result is not None or d.error is not None),
    }

    def __init__(self, timeout: int = 30000) -> None:
        self.timeout = timeout
        self.opened: list[str] = []  # class names, in the order the dialogs were opened
        self.stuck: list[str] = []

    def run(self, dialog, then) -> int:  # noqa: ANN001
        from PySide6.QtCore import QElapsedTimer, QTimer
        from PySide6.QtWidgets import QApplication

        name = type(dialog).__name__
        self.opened.append(name)
        ready = self.READY.get(name, lambda d: True)
        clock = QElapsedTimer()
        clock.start()
        state = {"busy": False, "done": False}

        def poll() -> None:
            if state["busy"] or state["done"]:
                return
            if clock.elapsed() > self.timeout:
                state["done"] = True
                self.stuck.append(name)
                dialog.reject()
                return
            if QApplication.activeModalWidget() is not dialog or not dialog.isVisible() or not ready(dialog):
                return
            state["busy"] = True
            try:
                dialog.grab()  # paint it once, as the screen would
                then(dialog)
            finally:
                state["busy"] = False
            if dialog.isVisible():  # `then` left it open (an accept the dialog refused): keep polling
                return
            state["done"] = True

        timer = QTimer(dialog)
        timer.setInterval(20)
        timer.timeout.connect(poll)
        timer.start()
        try:
            return dialog.exec()
        finally:
            timer.stop()


@pytest.fixture
def modal():
    return ModalDriver()


# The window's own dialog methods, as the program has them (`_no_modal_dialogs` replaces them with
# ones that fail): `real_dialogs` puts them back, so they reach run_dialog, which a test then drives.
REAL_DIALOG_METHODS = ("ask_new_ledger", "ask_ledger_info", "ask_report_dates", "show_about", "ask_identity")


def _real_dialog_methods() -> dict:
    from desktop_app.ui.main_window import MainWindow

    return {name: getattr(MainWindow, name) for name in REAL_DIALOG_METHODS}


_REAL_DIALOG_METHODS = _real_dialog_methods()  # read when conftest loads, before any test replaces them


@pytest.fixture
def real_dialogs(monkeypatch):
    import types

    def restore(window) -> None:  # noqa: ANN001
        for name, method in _REAL_DIALOG_METHODS.items():
            monkeypatch.setattr(window, name, types.MethodType(method, window))

    return restore


@pytest.fixture
def snapshot():
    """Everything a cancelled dialog must leave as it was: ledgers, settings, the current ledger's
    fields, sections, tasks and report rounds."""

    def take(window) -> tuple:  # noqa: ANN001
        ledger = window.ctx.ledgers.get_ledger(window.current_ledger().id)
        return (
            window.ctx.ledgers.list_ledgers(),
            window.ctx.settings.all(),
            (ledger.title, ledger.year, ledger.owner_unit, ledger.issuer, list(ledger.report_dates)),
            [(s.id, s.title, [(t.id, t.position, t.progress) for t in s.tasks]) for s in ledger.sections],
            [(r.id, r.due_date, r.submitted_at) for r in window.ctx.progress.rounds(ledger.id)],
        )

    return take
