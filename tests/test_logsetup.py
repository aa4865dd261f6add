"""The log file: one handler whoever sets it up first (CLI, GUI), a temp folder when the usual one fails."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The program's own start-up order: the command line sets logging up, then the GUI does.
SCRIPT = """
import logging, sys
from desktop_app import cli, logsetup
cli._configure_logging()
from desktop_app import app
from desktop_app import paths
used = app.setup_logging(paths.log_file())
logging.getLogger("desktop_app.test").warning("exactly-one-line")
print(used)
print(sum(1 for h in logging.getLogger().handlers if getattr(h, "_ledger_handler", False)))
"""


def _run(state_home: Path, tmp: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "XDG_STATE_HOME": str(state_home),  # where platformdirs puts the user log folder on Linux
        "TMPDIR": str(tmp),
        "QT_QPA_PLATFORM": "offscreen",
    }
    return subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120
    )


def test_one_handler_every_line_once(tmp_path: Path) -> None:
    proc = _run(tmp_path / "state", tmp_path)
    assert proc.returncode == 0, proc.stderr
    used, handlers = proc.stdout.split()
    assert handlers == "1"
    log = Path(used)
    assert log.parent == tmp_path / "state" / "desktop_app" / "log"
    assert log.read_text(encoding="utf-8").count("exactly-one-line") == 1


def test_unwritable_log_folder_falls_back_to_a_temporary_one(tmp_path: Path) -> None:
    blocker = tmp_path / "state"
    blocker.write_text("a file where the log folder should be", encoding="utf-8")  # mkdir fails, even as root
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    proc = _run(blocker, tmp)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    used = Path(proc.stdout.split()[0])
    assert used.is_relative_to(tmp)
    assert used.read_text(encoding="utf-8").count("exactly-one-line") == 1


def test_gui_start_with_unwritable_log_folder_shows_the_message_not_a_traceback(
    qapp, tmp_path: Path, monkeypatch
) -> None:
    import logging

    from desktop_app import app, paths

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    blocker = tmp_path / "state"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setattr(paths, "user_log_path", lambda *a, **k: blocker / "log")
    monkeypatch.setattr(paths, "fallback_log_dir", lambda: tmp_path / "fallback")
    shown: list[str] = []
    monkeypatch.setattr(app.QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database" * 100)
    try:
        assert app.run_gui(bad) == 2
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "_ledger_handler", False)]:
            root.removeHandler(handler)
            handler.close()
    assert shown and "不是本程序" in shown[0]
    assert "bad.sqlite3" in (tmp_path / "fallback" / "desktop_app.log").read_text(encoding="utf-8")
