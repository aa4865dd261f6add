"""Start at login, per user, no admin rights: the Windows Run key (HKCU) or an XDG autostart entry
(UOS, Kylin and other Linux desktops). Used for the reminder tray icon, off by default."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

NAME = "desktop_app_reminder"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


def command(db_path: Path | None = None) -> list[str]:
    """How the tray is started: the frozen program itself, or this Python with -m desktop_app."""
    base = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "desktop_app"]
    extra = ["--db", str(db_path)] if db_path is not None else []
    return [*base, "--tray", *extra]


def _desktop_file() -> Path:
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config / "autostart" / f"{NAME}.desktop"


def enable(db_path: Path | None = None) -> None:
    """Start the reminder tray at the next login. Raises OSError when it cannot be written."""
    cmd = command(db_path)
    if sys.platform == "win32":
        import winreg

        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            winreg.SetValueEx(key, NAME, 0, winreg.REG_SZ, " ".join(f'"{c}"' for c in cmd))
        return
    path = _desktop_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(
        "[Desktop Entry]\nType=Application\nName=政务公开任务落实台账 提醒\n"
        f"Exec={shlex.join(cmd)}\nX-GNOME-Autostart-enabled=true\nNoDisplay=true\n",
        encoding="utf-8",
    )
    os.replace(tmp, path)


def disable() -> None:
    if sys.platform == "win32":
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, NAME)
        except FileNotFoundError:
            pass
        return
    _desktop_file().unlink(missing_ok=True)


def is_enabled() -> bool:
    if sys.platform == "win32":
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                winreg.QueryValueEx(key, NAME)
            return True
        except FileNotFoundError:
            return False
    return _desktop_file().exists()
