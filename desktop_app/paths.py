"""Where things live: the user data folder (platformdirs) and bundled resources."""

from __future__ import annotations

import sys
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


def log_dir() -> Path:
    path = user_log_path(APP_ID, APP_AUTHOR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_file() -> Path:
    return log_dir() / "desktop_app.log"


def resources_dir() -> Path:
    """resources/ in the source tree, or inside the PyInstaller bundle."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
