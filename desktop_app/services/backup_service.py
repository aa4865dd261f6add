"""Backups of the open database: now, list, restore (a safety copy is made first)."""

from __future__ import annotations

import time
from pathlib import Path

from desktop_app.domain.model import LedgerError
from desktop_app.storage import backup as backups
from desktop_app.storage.database import Database


class BackupService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def backup_now(self, dest_dir: Path | None = None) -> Path:
        try:
            self.db.checkpoint()
            return backups.backup_database(self.db.path, dest_dir)
        except OSError as exc:
            raise LedgerError(
                f"备份失败：无法写入备份文件夹（{exc.strerror or exc}）。请检查磁盘空间和文件夹权限。"
            ) from exc

    def daily_backup(self) -> Path | None:
        """Back up when the newest backup is more than a day old (or there is none)."""
        if not self.db.path.exists() or self.db.path.stat().st_size == 0:
            return None
        newest = self.list_backups()[:1]
        if newest and time.time() - newest[0].stat().st_mtime < 24 * 3600:
            return None
        return self.backup_now()

    def list_backups(self) -> list[Path]:
        return backups.list_backups(self.db.path)

    def restore(self, backup: Path) -> Path:
        """Replace the database content with a backup. Returns the safety copy made just before."""
        if not Path(backup).is_file():
            raise LedgerError(f"找不到备份文件《{Path(backup).name}》。请重新选择。")
        safety = self.backup_now()
        try:
            self.db.checkpoint()
            self.db.engine.dispose()  # type: ignore[union-attr]
            backups.restore_database(Path(backup), self.db.path)
        except Exception as exc:  # noqa: BLE001
            raise LedgerError(
                f"无法从《{Path(backup).name}》恢复：备份文件已损坏。当前数据未改动，请换一个备份。"
            ) from exc
        return safety
