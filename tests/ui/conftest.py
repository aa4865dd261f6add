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
    ):
        monkeypatch.setattr(MainWindow, name, unexpected)
