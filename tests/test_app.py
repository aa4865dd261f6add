"""desktop_app.app: create_window, smoke, run_gui refusing a database it cannot open."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _qsettings_tmp(tmp_path: Path):
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "qsettings"))


def test_create_window_returns_the_main_window(qtbot, tmp_path):
    from desktop_app.app import create_window

    window = create_window(tmp_path / "db.sqlite3")
    qtbot.addWidget(window)
    try:
        assert window.objectName() == "mainWindow"
        assert not window.isVisible()  # no event loop, nothing shown
        menus = [a.text() for a in window.menuBar().actions()]
        assert [m.split("(")[0] for m in menus] == ["文件", "编辑", "视图", "台账", "报送", "帮助"]
        shortcuts = {
            a.objectName(): a.shortcut().toString() for a in window.findChildren(type(window.acts.export))
        }
        assert shortcuts["actionImport"] == "Ctrl+O"
        assert shortcuts["actionNewLedger"] == "Ctrl+N"
        assert shortcuts["actionFindReplace"] == "Ctrl+F"  # 查找, as in Word and WPS
        assert shortcuts["actionReplace"] == "Ctrl+H"
        assert shortcuts["actionFind"] == "Ctrl+L"  # the filter's search box
        assert shortcuts["actionCopy"] == "Ctrl+C" and shortcuts["actionPaste"] == "Ctrl+V"
        assert shortcuts["actionPrint"] == "Ctrl+P"
        assert shortcuts["actionExport"] == "Ctrl+E"
        assert shortcuts["actionDeleteTask"] == "Del"
        assert shortcuts["actionUndo"] == "Ctrl+Z"
        assert shortcuts["actionRedo"] == "Ctrl+Y"
    finally:
        window.shutdown()


def test_smoke_prints_figures(qapp, tmp_path, capsys):
    from desktop_app.app import smoke
    from desktop_app.services.context import AppContext

    db = tmp_path / "db.sqlite3"
    with AppContext.open(db) as ctx:
        ctx.imports.import_file(DATA / "city-2023.docx")
        ctx.imports.import_file(DATA / "natural-resources-2022.xlsx")
    assert smoke(db) == 0
    out = capsys.readouterr().out
    assert out.startswith("smoke ok: ")
    assert "2 ledgers, 45 tasks" in out  # the largest ledger is shown
    assert out.rstrip().endswith(f"tasks, platform {qapp.platformName()}")  # offscreen here


def test_run_gui_refuses_a_database_it_cannot_open(qapp, tmp_path, monkeypatch):
    import logging
    import sys

    from desktop_app import app

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back whatever run_gui installs
    shown = []
    monkeypatch.setattr(app.QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(app.paths, "log_file", lambda: tmp_path / "log.txt")
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    try:
        assert app.run_gui(bad) == 2
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "_ledger_handler", False)]:
            root.removeHandler(handler)
            handler.close()
    assert shown and "\n" not in shown[0] and "Traceback" not in shown[0]


def test_gui_opens_with_the_daily_backup(qtbot, tmp_path: Path) -> None:
    from desktop_app.app import create_window

    window = create_window(tmp_path / "db.sqlite3")
    qtbot.addWidget(window)
    try:
        assert len(window.ctx.backups.list_backups()) == 1
    finally:
        window.shutdown()


def _damaged_with_backup(path: Path) -> Path:
    from desktop_app.services.context import AppContext

    with AppContext.open(path) as ctx:
        ctx.imports.import_file(DATA / "natural-resources-2022.xlsx")
        saved = ctx.backups.backup_now()
        ctx.db.checkpoint()
    size = path.stat().st_size
    with open(path, "r+b") as fh:  # the header of the last b-tree page destroyed
        fh.seek(size - 4096)
        fh.write(b"\x00" * 8)
    return saved


def test_damaged_database_offers_restore_from_backup(qtbot, tmp_path, monkeypatch):
    from desktop_app import app

    path = tmp_path / "db.sqlite3"
    saved = _damaged_with_backup(path)
    damaged_bytes = path.read_bytes()
    offered = []

    def choose(damaged):  # noqa: ANN001, ANN202
        offered.append((damaged.message, list(damaged.backups)))
        return saved  # the backup made after the import (the other one is from before it)

    monkeypatch.setattr(app, "choose_backup", choose)
    window = app.open_window(path)
    assert window is not None
    qtbot.addWidget(window)
    try:
        message, listed = offered[0]
        assert "《db.sqlite3》已损坏" in message and "从备份恢复" in message and saved in listed
        assert [s.task_count for s in window.summaries()] == [45]
    finally:
        window.shutdown()
    kept = list(tmp_path.glob("db.sqlite3.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged_bytes  # kept aside, never deleted


def test_damaged_database_restore_declined_opens_nothing(qapp, tmp_path, monkeypatch):
    from desktop_app import app

    path = tmp_path / "db.sqlite3"
    _damaged_with_backup(path)
    before = path.read_bytes()
    monkeypatch.setattr(app, "choose_backup", lambda damaged: None)
    assert app.open_window(path) is None
    assert path.read_bytes() == before


def test_next_start_removes_what_a_killed_export_left(qtbot, tmp_path):
    """An export killed midway leaves `.~name.pid-tag.tmp` beside its target: the next start removes it
    in every folder exported to lately (and the database folder), and nothing else."""
    from desktop_app.app import create_window
    from desktop_app.services.context import AppContext

    db = tmp_path / "db" / "ledger.sqlite3"
    db.parent.mkdir()
    out = tmp_path / "报送"
    out.mkdir()
    ctx = AppContext.open(db)
    try:
        ledger = ctx.imports.import_file(DATA / "city-2023.docx")
        ctx.exports.export(ledger.id, "docx", out / "报送.docx")
    finally:
        ctx.close()
    dead = 2**22 + 12345  # above Linux's pid_max default: no process has it
    leftovers = [out / f".~报送.docx.{dead}-0123abcd.tmp", db.parent / f".~x.json.{dead}-89abcdef.tmp"]
    for path in leftovers:
        path.write_bytes(b"partial")
    keep = out / "~$报送.docx"  # Word's own lock file is not ours
    keep.write_bytes(b"word")
    window = create_window(db)
    qtbot.addWidget(window)
    try:
        assert not any(p.exists() for p in leftovers)
        assert keep.exists() and (out / "报送.docx").exists()
    finally:
        window.shutdown()


def test_the_style_sheet_is_applied_once_at_start(tmp_path: Path) -> None:
    """Each setStyleSheet re-polishes every widget (~80 ms): a start at 100 % applies it once."""
    import json
    import os
    import subprocess
    import sys
    import textwrap

    root = Path(__file__).resolve().parent.parent
    code = textwrap.dedent(
        f"""
        import json
        from pathlib import Path
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication
        QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, {str(tmp_path / "qs")!r})
        sheets = []
        original = QApplication.setStyleSheet
        def counting(self, sheet):
            sheets.append(sheet)
            original(self, sheet)
        QApplication.setStyleSheet = counting
        from desktop_app.app import create_window
        window = create_window(Path({str(tmp_path / "db.sqlite3")!r}))
        first = QApplication.instance().styleSheet()
        window.apply_font_scale(150)
        print(json.dumps({{"calls": len(sheets), "has_rules": "QTableView" in first or "{{" in first,
                           "scaled": QApplication.instance().styleSheet() != first}}))
        window.shutdown()
        """
    )
    env = {**os.environ, "PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen == {"calls": 2, "has_rules": True, "scaled": True}  # once at start, once for 150 %


def test_a_held_database_opens_read_only_when_the_user_agrees(qtbot, tmp_path, monkeypatch):
    """Another program holds the file: the window offers 只读, says so in its title, and every action
    that writes is disabled; declining opens nothing."""
    from desktop_app import app
    from desktop_app.services.context import AppContext

    db = tmp_path / "held.sqlite3"
    holder = AppContext.open(db)
    try:
        holder.imports.import_file(DATA / "city-2023.docx")
        asked: list[str] = []
        monkeypatch.setattr(app, "ask_read_only", lambda message: asked.append(message) or False)
        assert app.open_window(db) is None and "已被" in asked[0]
        monkeypatch.setattr(app, "ask_read_only", lambda message: True)
        window = app.open_window(db)
        qtbot.addWidget(window)
        try:
            assert window.ctx.read_only and window.windowTitle().endswith("（只读）")
            assert window.findChild(QLabel, "readOnlyMarker").text().startswith("只读")
            assert window.current_ledger() is not None
            for action in window.acts.editing():
                assert not action.isEnabled(), action.text()
            assert window.acts.export.isEnabled() and window.acts.print_preview.isEnabled()
        finally:
            window.shutdown()
    finally:
        holder.close()
def test_a_start_loads_no_reader_writer_printer_or_alembic(tmp_path: Path) -> None:
    """What only an import, an export, a print or a migration needs is loaded when one happens."""
    import json
    import os
    import subprocess
    import sys
    import textwrap

    from desktop_app.storage.database import Database

    Database(tmp_path / "db.sqlite3").close()  # created and migrated beforehand
    root = Path(__file__).resolve().parent.parent
    code = textwrap.dedent(
        f"""
        import json, sys
        from pathlib import Path
        from PySide6.QtCore import QSettings
        QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, {str(tmp_path / "qs")!r})
        from desktop_app.app import create_window
        window = create_window(Path({str(tmp_path / "db.sqlite3")!r}))
        window.show()
        wanted = ("alembic", "openpyxl", "docx", "numpy", "PySide6.QtPrintSupport", "desktop_app.importers",
                  "desktop_app.exporters.docx_report", "desktop_app.exporters.xlsx_export")
        print(json.dumps(sorted(w for w in wanted if w in sys.modules)))
        window.shutdown()
        """
    )
    env = {**os.environ, "PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
