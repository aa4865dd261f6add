"""Backups through SQLite's online backup API, with rotation (the last 10, plus one a month).

A backup is written under a temporary name ending in TEMP_SUFFIX, checked with
`PRAGMA integrity_check`, flushed to disk and only then renamed to its final `.sqlite3` name, so a
backup killed half-way never looks like a backup: rotation and the backup list see final names only,
and the leftovers (recognised by the suffix) are removed at the next start.
"""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import date, datetime
from pathlib import Path

KEEP_RECENT = 10
TEMP_SUFFIX = ".partial-backup"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?P<tag>-[a-z-]+)?\.sqlite3$")


class BackupCheckFailed(Exception):
    """The copy just written (or a backup to restore from) did not pass the integrity check."""


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def backup_database(db_path: Path, dest_dir: Path | None = None, tag: str = "") -> Path:
    """Copy a live database consistently (temp name, check, rename), then prune old copies."""
    dest_dir = dest_dir or backup_dir(db_path)
    dest_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = f"-{tag}" if tag else ""
    dest = dest_dir / f"{db_path.stem}-{stamp}{suffix}.sqlite3"
    while dest.exists():  # two backups in one second: keep both
        suffix += "-b"
        dest = dest_dir / f"{db_path.stem}-{stamp}{suffix}.sqlite3"
    tmp = dest.with_name(dest.name + TEMP_SUFFIX)
    try:
        _checked_copy(db_path, tmp)
        os.replace(tmp, dest)
        _fsync_dir(dest_dir)
    except BaseException:
        _remove_temp(tmp)
        raise
    rotate(dest_dir, db_path.stem)
    return dest


def check_file(path: Path) -> None:
    """Raise BackupCheckFailed unless the file is a sound SQLite database (full integrity_check)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = con.execute("PRAGMA integrity_check").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise BackupCheckFailed(str(exc)) from exc
    if rows != [("ok",)]:
        raise BackupCheckFailed("; ".join(str(r[0]) for r in rows[:5]))


def looks_complete(path: Path) -> bool:
    """A cheap test (the header only) that a backup file was written to the end: the SQLite header's
    page count times page size is the file's size, and no rollback journal is left beside it."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError:
        return False
    if len(head) < 100 or not head.startswith(b"SQLite format 3\x00"):
        return False
    if path.with_name(path.name + "-journal").exists():
        return False
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    valid = head[24:28] == head[92:96]  # the in-header size is trustworthy
    return not valid or (pages > 0 and pages * page_size == size)


def list_backups(db_path: Path, dest_dir: Path | None = None) -> list[Path]:
    """Newest first; temporary files of an unfinished backup are never listed."""
    dest_dir = dest_dir or backup_dir(db_path)
    if not dest_dir.exists():
        return []
    found = [p for p in dest_dir.glob(f"{db_path.stem}-*.sqlite3") if _owned(p, db_path.stem)]
    return sorted((p for p in found if looks_complete(p)), key=_order, reverse=True)


def has_backup_on(db_path: Path, day: date) -> bool:
    text = day.strftime("%Y%m%d")
    return any(_stamp(p).startswith(text) for p in list_backups(db_path))


def rotate(dest_dir: Path, stem: str) -> list[Path]:
    """Keep the newest KEEP_RECENT, plus the newest of each month. Returns what was deleted."""
    files = [p for p in dest_dir.glob(f"{stem}-*.sqlite3") if _owned(p, stem)]
    files.sort(key=_order, reverse=True)
    whole = [p for p in files if looks_complete(p)]  # a truncated copy (older versions) never counts
    keep = set(whole[:KEEP_RECENT])
    months: set[str] = set()
    for p in whole:
        month = _stamp(p)[:6]
        if month not in months:
            months.add(month)
            keep.add(p)
    removed = [p for p in files if p not in keep]
    for p in removed:
        p.unlink(missing_ok=True)
    return removed


def remove_leftovers(db_path: Path, dest_dir: Path | None = None) -> list[Path]:
    """Delete the temporary files of backups that were killed half-way (call with the lock held)."""
    dest_dir = dest_dir or backup_dir(db_path)
    found = list(dest_dir.glob(f"{db_path.stem}-*{TEMP_SUFFIX}*")) if dest_dir.is_dir() else []
    if db_path.parent.is_dir():  # a killed replace_damaged leaves its copy beside the database
        found += db_path.parent.glob(f"{db_path.name}{TEMP_SUFFIX}*")
    removed = []
    for p in found:
        try:
            p.unlink()
            removed.append(p)
        except OSError:
            pass
    return removed


def restore_database(backup: Path, db_path: Path) -> None:
    """Write a backup's content into the live database file (the caller holds the lock)."""
    check_file(backup)
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(db_path)
        try:
            src.backup(dst)  # one step, through the live file's own journal: all or nothing
        finally:
            dst.close()
    finally:
        src.close()


def replace_damaged(backup: Path, db_path: Path) -> Path:
    """Put a backup in place of a damaged database file (caller holds the lock). Returns where the
    damaged file was moved (kept, never deleted: someone may still want to rescue rows from it)."""
    check_file(backup)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    tmp = db_path.with_name(db_path.name + TEMP_SUFFIX)
    try:
        _checked_copy(backup, tmp)
        for extra in ("-wal", "-shm", "-journal"):
            side = db_path.with_name(db_path.name + extra)
            if side.exists():
                os.replace(side, aside.with_name(aside.name + extra))
        if db_path.exists():
            os.replace(db_path, aside)
        os.replace(tmp, db_path)
        _fsync_dir(db_path.parent)
    except BaseException:
        _remove_temp(tmp)
        raise
    return aside


def backup_tasks(path: Path) -> int:
    """How many tasks (not in the recycle bin) a sound backup holds; raises BackupCheckFailed for a
    damaged one (or one that is no ledger database)."""
    check_file(path)
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return int(con.execute("SELECT count(*) FROM task WHERE deleted_at IS NULL").fetchone()[0])
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise BackupCheckFailed(str(exc)) from exc


def backup_time(path: Path) -> datetime | None:
    """When the backup was made (from its name)."""
    stamp = _stamp(path)
    try:
        return datetime.strptime(stamp, "%Y%m%d-%H%M%S") if stamp else None
    except ValueError:
        return None


def copy_backup_to(backup: Path, dest: Path) -> None:
    """A sound backup copied to a new database file `dest` (temporary name, checked, renamed): the
    damaged file is not touched. Refuses to replace an existing file."""
    if dest.exists():
        raise FileExistsError(str(dest))
    check_file(backup)
    tmp = dest.with_name(dest.name + TEMP_SUFFIX)
    try:
        _checked_copy(backup, tmp)
        os.replace(tmp, dest)
        _fsync_dir(dest.parent)
    except BaseException:
        _remove_temp(tmp)
        raise


def _checked_copy(source: Path, tmp: Path) -> None:
    """SQLite's online copy of `source` (opened read-only) into `tmp`, integrity-checked and on disk."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        _copy_into(src, tmp)
    finally:
        src.close()
    check_file(tmp)
    _fsync(tmp)


def _copy_into(src: sqlite3.Connection, dest: Path) -> None:
    """Copy a whole database into a new standalone file (rollback journal, so no -wal beside it)."""
    dst = sqlite3.connect(dest)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()


def _owned(p: Path, stem: str) -> bool:
    m = _NAME.match(p.name)
    return bool(m) and m.group("stem") == stem  # type: ignore[union-attr]


def _stamp(p: Path) -> str:
    m = _NAME.match(p.name)
    return m.group("stamp") if m else ""


def _order(p: Path) -> tuple[str, int]:
    """Newest first, also among backups made within the same second (the file's write time decides)."""
    try:
        return _stamp(p), p.stat().st_mtime_ns
    except OSError:
        return _stamp(p), 0


def _remove_temp(tmp: Path) -> None:
    for p in (tmp, tmp.with_name(tmp.name + "-journal")):
        try:
            p.unlink(missing_ok=True)
        except OSError:
            pass


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a read-only handle (Windows); the rename still holds
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
