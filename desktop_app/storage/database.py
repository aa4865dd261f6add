"""Opening the ledger database: lock, journal mode, backup, migrate, refuse newer files."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from desktop_app.domain.model import LedgerError
from desktop_app.storage import backup as backups
from desktop_app.storage import migrate
from desktop_app.storage.locking import DatabaseLock, is_network_path

log = logging.getLogger(__name__)


class Database:
    """One open ledger database. `session()` gives one short transaction per user action."""

    def __init__(self, path: Path, *, lock: bool = True, migrate_schema: bool = True) -> None:
        self.path = Path(path).expanduser()
        self.network = is_network_path(self.path)
        self._lock = DatabaseLock(self.path) if lock else None
        self.engine: Engine | None = None
        self.backup_before_migration: Path | None = None
        try:
            self._open(migrate_schema)
        except LedgerError:
            self.close()
            raise
        except (sqlite3.DatabaseError, OSError) as exc:
            self.close()
            log.exception("cannot open database %s", self.path)
            raise LedgerError(
                f"无法打开数据库《{self.path.name}》：文件已损坏、不是本程序的数据库或没有读写权限。"
                "请从备份恢复或另选一个数据库文件。"
            ) from exc
        except Exception as exc:  # noqa: BLE001 - SQLAlchemy wraps sqlite errors
            self.close()
            log.exception("cannot open database %s", self.path)
            raise LedgerError(
                f"无法打开数据库《{self.path.name}》：文件已损坏或不是本程序的数据库。请从备份恢复或另选一个数据库文件。"
            ) from exc
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def _open(self, migrate_schema: bool) -> None:
        if self.path.exists() and self.path.is_dir():
            raise LedgerError(f"《{self.path}》是一个文件夹，不是数据库文件。请另选一个文件名。")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self._lock is not None:
            self._lock.acquire()
        existed = self.path.exists() and self.path.stat().st_size > 0
        if existed:
            _check_sqlite_header(self.path)
        self.engine = create_engine(f"sqlite:///{self.path}", future=True)
        journal = "DELETE" if self.network else "WAL"

        @event.listens_for(self.engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA journal_mode={journal}")
            cur.execute("PRAGMA synchronous=FULL" if self.network else "PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=5000")
            cur.close()

        current = migrate.current_revision(self.engine)
        head = migrate.head_revision()
        if current is not None and current not in migrate.known_revisions():
            raise LedgerError(
                f"数据库《{self.path.name}》由更新版本的程序创建（结构版本 {current}），本程序无法安全打开。"
                "请安装最新版本后再打开。"
            )
        if current is None and existed and _has_foreign_tables(self.engine):
            raise LedgerError(f"《{self.path.name}》不是本程序的数据库。请另选一个数据库文件，或新建一个。")
        if current != head and migrate_schema:
            if existed and current is not None:
                # A copy of the old file before changing its structure.
                self.engine.dispose()
                self.backup_before_migration = backups.backup_database(self.path, tag="before-migration")
            migrate.upgrade(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error."""
        with self._sessions() as s, s.begin():
            yield s

    def read_session(self) -> Session:
        return self._sessions()

    def close(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None
        if self._lock is not None:
            self._lock.release()

    def checkpoint(self) -> None:
        if self.engine is not None and not self.network:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_sqlite_header(path: Path) -> None:
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head != b"SQLite format 3\x00":
        raise LedgerError(f"《{path.name}》不是本程序的数据库文件。请另选一个数据库文件，或新建一个。")


def _has_foreign_tables(engine: Engine) -> bool:
    names = set(inspect(engine).get_table_names())
    return bool(names) and "ledger" not in names
