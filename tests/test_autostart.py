"""Start the reminder tray at login: an XDG autostart entry on Linux (the Windows Run key is the same
code path behind sys.platform), written atomically, removed on switch-off; nothing needs admin rights."""

from __future__ import annotations

import shlex
from pathlib import Path

from desktop_app import autostart


def test_enable_writes_the_entry_and_disable_removes_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert not autostart.is_enabled()
    autostart.enable(Path("/data/我的台账.sqlite3"))
    entry = tmp_path / "cfg" / "autostart" / "desktop_app_reminder.desktop"
    text = entry.read_text(encoding="utf-8")
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    args = shlex.split(exec_line[len("Exec="):])
    assert args[-3:] == ["--tray", "--db", "/data/我的台账.sqlite3"] and "-m" in args
    assert autostart.is_enabled() and not list(entry.parent.glob("*.tmp"))
    autostart.disable()
    assert not autostart.is_enabled()
    autostart.disable()  # twice: nothing to remove, no error
