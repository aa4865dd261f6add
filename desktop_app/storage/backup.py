"""Backups through SQLite's online backup API, with rotation (the last 10, plus one a month)."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from pathlib import Path

KEEP_RECENT = 10
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?P<tag>-[a-z-]+)?\.sqlite3$")


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def backup_database(db_path: Path, dest_dir: Path | None = None, tag: str = "") -> Path:
    """Copy a live database consistently, then prune old copies. Returns the new file."""
    dest_dir = dest_dir or backup_dir(db_path)
    dest_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = f"-{tag}" if tag else ""
    dest = dest_dir / f"{db_path.stem}-{stamp}{suffix}.sqlite3"
    while dest.exists():  # two backups in one second: keep both
        suffix += "-b"
        dest = dest_dir / f"{db_path.stem}-{stamp}{suffix}.sqlite3"
    src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        _copy_into(src, dest)
    finally:
        src.close()
    rotate(dest_dir, db_path.stem)
    return dest


def list_backups(db_path: Path, dest_dir: Path | None = None) -> list[Path]:
    """Newest first."""
    dest_dir = dest_dir or backup_dir(db_path)
    if not dest_dir.exists():
        return []
    found = [p for p in dest_dir.glob(f"{db_path.stem}-*.sqlite3") if _NAME.match(p.name)]
    return sorted(found, key=lambda p: _NAME.match(p.name).group("stamp"), reverse=True)  # type: ignore[union-attr]


def rotate(dest_dir: Path, stem: str) -> list[Path]:
    """Keep the newest KEEP_RECENT, plus the newest of each month. Returns what was deleted."""
    files = [p for p in dest_dir.glob(f"{stem}-*.sqlite3") if _NAME.match(p.name)]
    files.sort(key=lambda p: _NAME.match(p.name).group("stamp"), reverse=True)  # type: ignore[union-attr]
    keep = set(files[:KEEP_RECENT])
    months: set[str] = set()
    for p in files:
        month = _NAME.match(p.name).group("stamp")[:6]  # type: ignore[union-attr]
        if month not in months:
            months.add(month)
            keep.add(p)
    removed = [p for p in files if p not in keep]
    for p in removed:
        p.unlink(missing_ok=True)
    return removed


def restore_database(backup: Path, db_path: Path) -> None:
    """Write a backup's content into the live database file (the caller holds the lock)."""
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        check = src.execute("PRAGMA integrity_check").fetchone()
        if not check or check[0] != "ok":
            raise ValueError("backup is damaged")
        _copy_into(src, db_path)
    finally:
        src.close()


def _copy_into(src: sqlite3.Connection, dest: Path) -> None:
    """Copy a whole database through SQLite's online backup API (one step: all or nothing)."""
    dst = sqlite3.connect(dest)
    try:
        src.backup(dst)
    finally:
        dst.close()
