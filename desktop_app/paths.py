"""Where things live: the user data folder (platformdirs) and bundled resources."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from platformdirs import user_data_path, user_log_path

from desktop_app import APP_ID

APP_AUTHOR = "zwgk"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def data_dir() -> Path:
    path = user_data_path(APP_ID, APP_AUTHOR, roaming=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "ledger.sqlite3"


LOG_NAME = "desktop_app.log"


def log_dir() -> Path:
    """The user log folder, or a temporary one when it cannot be created (never raises)."""
    path = user_log_path(APP_ID, APP_AUTHOR)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return fallback_log_dir()
    return path


def fallback_log_dir() -> Path:
    return Path(tempfile.gettempdir()) / f"{APP_ID}-log"


def log_file() -> Path:
    return log_dir() / LOG_NAME


def real_path(path: Path | str) -> Path:
    """The path with its links resolved, or only made absolute when the system cannot tell (never raises).

    On Windows os.path.realpath asks the file system for the file's final name, and that fails with
    errors CPython does not pass over for some paths (under Wine, any path longer than 260 characters:
    WinError 234); the file is still there to open by the name it was given.
    """
    try:
        return Path(os.path.realpath(path))
    except OSError:
        return Path(os.path.abspath(path))


def resources_dir() -> Path:
    """resources/ in the source tree, or inside the PyInstaller bundle."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
