"""Backups of the open database: now, before a big change, once a day, list, restore."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop_app.domain.model import LedgerError
from desktop_app.storage import backup as backups
from desktop_app.storage.database import Database, DatabaseDamaged
from desktop_app.storage.errors import as_storage_error

log = logging.getLogger(__name__)
__all__ = ["BackupInfo", "BackupService", "DatabaseDamaged", "good_backups", "restore_damaged", "restore_to_new"]
OFFERED = 3  # the latest good backups offered for a damaged file


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made: datetime | None
    size: int  # bytes
    tasks: int

    def label(self) -> str:
        """2023-07-01 09:30　1.2 MB　56 项任务"""
        when = self.made.strftime("%Y-%m-%d %H:%M") if self.made else self.path.name
        size = f"{self.size / 1024 / 1024:.1f} MB" if self.size >= 1024 * 1024 else f"{max(1, self.size // 1024)} KB"
        return f"{when}　{size}　{self.tasks} 项任务"


def good_backups(damaged: DatabaseDamaged, limit: int = OFFERED) -> list[BackupInfo]:
    """The latest backups of a damaged database that pass the integrity check (newest first), with
    their date, size and number of tasks; damaged backups are left out."""
    found: list[BackupInfo] = []
    for path in damaged.backups:
        if len(found) >= limit:
            break
        try:
            tasks = backups.backup_tasks(path)
            size = path.stat().st_size
        except (backups.BackupCheckFailed, OSError) as exc:
            log.warning("backup %s not offered: %s", path, exc)
            continue
        found.append(BackupInfo(path, backups.backup_time(path), size, tasks))
    return found


def restore_to_new(backup: Path, dest: Path) -> Path:
    """A backup copied to a new database file (the damaged one is not touched). Returns dest."""
    dest = Path(dest)
    try:
        backups.copy_backup_to(Path(backup), dest)
    except FileExistsError as exc:
        raise LedgerError(f"文件《{dest.name}》已经存在，请另取一个名字。") from exc
    except backups.BackupCheckFailed as exc:
        raise LedgerError(f"无法从《{Path(backup).name}》恢复：这份备份也已损坏，请换一个备份。") from exc
    except OSError as exc:
        mapped = as_storage_error(exc, f"文件夹《{dest.parent.name}》", "恢复")
        raise (mapped or LedgerError(f"无法写入《{dest.name}》（{exc}），请换一个文件夹后重试。")) from exc
    return dest


def restore_damaged(db_path: Path, backup: Path) -> Path:
    """Put a backup in place of a damaged database (which cannot be opened, so there is no ctx).

    The damaged file is kept beside it (renamed …damaged-<time>), never deleted. Returns that name.
    """
    from desktop_app.storage.locking import DatabaseLock

    lock = DatabaseLock(Path(db_path))
    lock.acquire()
    try:
        return backups.replace_damaged(Path(backup), Path(db_path))
    except backups.BackupCheckFailed as exc:
        raise LedgerError(f"无法从《{Path(backup).name}》恢复：这份备份也已损坏，请换一个备份。") from exc
    except OSError as exc:
        mapped = as_storage_error(exc, f"数据库《{Path(db_path).name}》所在文件夹", "恢复")
        raise (
            mapped or LedgerError(f"无法恢复数据库《{Path(db_path).name}》（{exc}），请检查磁盘后重试。")
        ) from exc
    finally:
        lock.release()


SERVER_BACKUP = (
    "服务器数据库由数据库管理员备份（例如用 pg_dump），本程序只备份和检查本机的 SQLite 数据库文件。"
    "如需备份，请联系管理员。"
)


class BackupService:
    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def available(self) -> bool:
        """Backups and integrity checks are SQLite features: not on a server database."""
        return not self.db.server

    def backup_now(self, dest_dir: Path | None = None) -> Path:
        if self.db.server:
            raise LedgerError(SERVER_BACKUP)
        try:
            self.db.checkpoint()
            return backups.backup_database(self.db.path, dest_dir)
        except LedgerError:
            raise
        except backups.BackupCheckFailed as exc:
            raise LedgerError(
                "备份失败：写出的备份文件未通过完整性检查，已删除它，数据库本身未改动。请检查磁盘后重试。"
            ) from exc
        except Exception as exc:  # noqa: BLE001 - OSError, sqlite3.Error
            mapped = as_storage_error(exc, "备份文件夹", "备份")
            if mapped is not None:
                raise mapped from exc
            raise LedgerError(
                f"备份失败：无法写入备份文件夹（{getattr(exc, 'strerror', None) or exc}）。请检查磁盘空间和文件夹权限。"
            ) from exc

    def before(self, reason: str) -> Path | None:
        """A checked backup before import / carry-over / restore (restore raises if it fails)."""
        return self.db.backup_before(reason, required=reason == "restore")

    def daily_backup(self) -> Path | None:
        """On the first open of each (calendar) day: a backup, unless one was made today already."""
        if self.db.path is None or self.db.read_only:
            return None
        if not self.db.path.exists() or self.db.path.stat().st_size == 0:
            return None
        if backups.has_backup_on(self.db.path, datetime.now().date()):
            return None
        return self.backup_now()

    def list_backups(self) -> list[Path]:
        if self.db.path is None:
            return []
        return backups.list_backups(self.db.path)

    def restore(self, backup: Path) -> Path:
        """Replace the database content with a backup. Returns the safety copy made just before."""
        if self.db.server:
            raise LedgerError(SERVER_BACKUP)
        if self.db.read_only:
            raise LedgerError(self.db.read_only_message())
        backup = Path(backup)
        if not backup.is_file():
            raise LedgerError(f"找不到备份文件《{backup.name}》。请重新选择。")
        try:
            backups.check_file(backup)
        except backups.BackupCheckFailed as exc:
            raise LedgerError(
                f"无法从《{backup.name}》恢复：备份文件已损坏。当前数据未改动，请换一个备份。"
            ) from exc
        safety = self.before("restore")
        assert safety is not None  # required: before() raised otherwise
        try:
            self.db.checkpoint()
            self.db.engine.dispose()  # type: ignore[union-attr]
            backups.restore_database(backup, self.db.path)
        except Exception as exc:  # noqa: BLE001
            log.exception("restore from %s failed", backup)
            mapped = as_storage_error(exc, f"数据库《{self.db.path.name}》", "恢复")
            if mapped is not None:
                raise mapped from exc
            raise LedgerError(
                f"无法从《{backup.name}》恢复：备份文件已损坏。当前数据未改动，请换一个备份。"
            ) from exc
        return safety
