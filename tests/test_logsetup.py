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


# Rotation with the file open: the program's own start-up order (CLI, then GUI) on a log that is
# nearly full. At the moment of rotation only the handler itself may hold the file (on Windows a
# second handle makes the rename fail with WinError 32), and every line is written exactly once.
ROTATE_SCRIPT = """
import logging, os, sys
from pathlib import Path
from desktop_app import cli, logsetup
logsetup.MAX_BYTES = 20_000
cli._configure_logging()
from desktop_app import app, paths
used = app.setup_logging(paths.log_file())
handler = next(h for h in logging.getLogger().handlers if getattr(h, "_ledger_handler", False))
opened = []
original = handler.doRollover
def counting_rollover():
    target = os.path.realpath(used)
    fds = [f for f in os.listdir("/proc/self/fd") if os.path.realpath(f"/proc/self/fd/{f}") == target]
    opened.append(len(fds))
    original()
handler.doRollover = counting_rollover
for i in range(1000):
    logging.getLogger("desktop_app.test").warning("line-%04d %s", i, "x" * 40)
print(used)
print(",".join(map(str, opened)))
"""


def _log_lines(folder: Path) -> list[str]:
    lines: list[str] = []
    for f in sorted(folder.glob("desktop_app.log*")):
        lines += [ln for ln in f.read_text(encoding="utf-8").splitlines() if "line-" in ln]
    return lines


def test_rotation_while_the_log_is_open_has_one_handle_and_loses_no_line(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_STATE_HOME": str(tmp_path / "state"),
           "TMPDIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-c", ROTATE_SCRIPT], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert "Logging error" not in proc.stderr, proc.stderr
    used, opened = proc.stdout.split()
    counts = [int(n) for n in opened.split(",")]
    assert len(counts) >= 2  # rotated more than once
    assert set(counts) == {1}  # only the handler's own handle at every rotation
    folder = Path(used).parent
    assert sorted(p.name for p in folder.glob("desktop_app.log*")) == [
        "desktop_app.log", "desktop_app.log.1", "desktop_app.log.2", "desktop_app.log.3",
    ]  # fmt: skip
    # 1000 lines of ~90 bytes in 20 kB files: only the last 4 files' worth survive, each line once.
    kept = [ln.split("line-")[1].split()[0] for ln in _log_lines(folder)]
    assert len(kept) == len(set(kept)) > 600
    assert "0999" in kept


def test_a_rotation_that_windows_refuses_keeps_writing_and_retries_later(tmp_path: Path, monkeypatch) -> None:
    """Another process holds the file (WinError 32): no record lost, no "Logging error", rotated later."""
    import logging

    from desktop_app import logsetup

    monkeypatch.setattr(logsetup, "MAX_BYTES", 5_000)
    monkeypatch.setattr(logsetup, "RETRY_BYTES", 2_000)
    log_path = tmp_path / "desktop_app.log"
    handler = logsetup.LogFileHandler(log_path)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("desktop_app.test.rotation")
    logger.propagate = False
    logger.addHandler(handler)
    held = {"by_other_process": True}
    real_rotate = handler.rotate

    def rotate(source: str, dest: str) -> None:
        if held["by_other_process"]:
            raise PermissionError(13, "The process cannot access the file because it is being used by another process")
        real_rotate(source, dest)

    monkeypatch.setattr(handler, "rotate", rotate)
    errors: list[logging.LogRecord] = []
    monkeypatch.setattr(handler, "handleError", errors.append)
    try:
        for i in range(100):  # 100 x 51 bytes: past MAX_BYTES, rotation refused
            logger.warning("held-%03d %s", i, "y" * 40)
        assert not errors
        assert not (tmp_path / "desktop_app.log.1").exists()
        held["by_other_process"] = False  # the other process let go
        for i in range(100):
            logger.warning("free-%03d %s", i, "y" * 40)
        assert not errors
    finally:
        logger.removeHandler(handler)
        handler.close()
    assert (tmp_path / "desktop_app.log.1").exists()
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(tmp_path.glob("desktop_app.log*")))
    for i in range(100):
        assert text.count(f"free-{i:03d} ") == 1
    held_lines = [ln for ln in text.splitlines() if ln.startswith("held-")]
    assert len(held_lines) == len(set(held_lines))
    # The lines written while rotation was refused went on into the file, none lost before rotation.
    assert "held-099 " in text


def test_each_run_writes_which_version_did_what(tmp_path: Path) -> None:
    """One line a run (an admin reading a user's log sees the version; it is also what rotates the log)."""
    from desktop_app import __version__

    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_STATE_HOME": str(tmp_path / "state"),
           "QT_QPA_PLATFORM": "offscreen"}  # fmt: skip
    # --version succeeds; list on a missing database fails (exit 2): both runs are logged.
    for args, code in ((["--version"], 0), (["list", "--db", str(tmp_path / "none.sqlite3")], 2)):
        proc = subprocess.run(
            [sys.executable, "-m", "desktop_app", *args], capture_output=True, text=True, env=env, timeout=120
        )
        assert proc.returncode == code and "Traceback" not in proc.stderr, proc.stderr
    text = (tmp_path / "state" / "desktop_app" / "log" / "desktop_app.log").read_text(encoding="utf-8")
    assert text.count(f"{__version__}: --version") == 1
    assert text.count(f"{__version__}: list") == 1
    assert str(tmp_path) not in text  # the command, not its arguments (paths name people and units)
