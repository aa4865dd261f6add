"""Opening the ledger database: ours? sound? then lock, journal mode, backup, migrate; refuse newer files."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from desktop_app.domain.model import LedgerError
from desktop_app.storage import backup as backups
from desktop_app.storage import migrate
from desktop_app.storage.errors import as_storage_error
from desktop_app.storage.locking import DatabaseLock, is_network_path

log = logging.getLogger(__name__)


APPLICATION_ID = 0x5A57474B  # "ZWGK" in the SQLite header: this file is a ledger database


class DatabaseDamaged(LedgerError):
    """The file is ours but fails SQLite's check; `backups` lists the way out (newest first)."""

    def __init__(self, path: Path, backups_found: list[Path]) -> None:
        if backups_found:
            way_out = (
                f"请从备份恢复（备份文件夹中有 {len(backups_found)} 份，最新的是《{backups_found[0].name}》）"
            )
        else:
            way_out = "目前没有可用的备份，请联系管理员用专业工具抢救，或另选一个数据库文件"
        super().__init__(
            f"数据库《{path.name}》已损坏（完整性检查未通过），为免进一步受损，程序没有打开也没有改动它，{way_out}。"
        )
        self.path = path
        self.backups = backups_found


class Database:
    """One open ledger database. `session()` gives one short transaction per user action.

    Opening checks, before anything is written (no journal mode, no lock file), that the file is
    ours (application_id in the header, or our tables) and refuses any other SQLite file; then it
    runs `PRAGMA quick_check` and refuses a damaged one, naming the backups to restore from.
    create=False (read-only commands): a missing or empty file is an error, nothing is created.
    """

    def __init__(
        self, path: Path, *, lock: bool = True, migrate_schema: bool = True, create: bool = True
    ) -> None:
        self.path = Path(path).expanduser()
        self.network = False
        self._lock: DatabaseLock | None = None
        self.engine: Engine | None = None
        self.backup_before_migration: Path | None = None
        try:
            self._open(lock, migrate_schema, create)
        except LedgerError:
            self.close()
            raise
        except Exception as exc:  # noqa: BLE001 - SQLAlchemy wraps sqlite errors
            self.close()
            log.exception("cannot open database %s", self.path)
            mapped = as_storage_error(exc, f"数据库《{self.path.name}》所在文件夹", "打开数据库")
            if mapped is not None:
                raise mapped from exc
            raise LedgerError(
                f"无法打开数据库《{self.path.name}》：文件已损坏或不是本程序的数据库。请从备份恢复或另选一个数据库文件。"
            ) from exc
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def _open(self, lock: bool, migrate_schema: bool, create: bool) -> None:
        if self.path.is_dir():
            raise LedgerError(f"《{self.path}》是一个文件夹，不是数据库文件。请另选一个文件名。")
        state = identify(self.path)  # reads only; raises for a foreign or unreadable file
        if state == "new" and not create:
            raise LedgerError(
                f"找不到台账数据库《{self.path}》（文件不存在或是空的），未创建任何文件。请检查 --db 参数。"
            )
        self.network = is_network_path(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if lock:
            self._lock = DatabaseLock(self.path)
            self._lock.acquire()
        backups.remove_leftovers(self.path)  # temp files of a backup killed half-way
        existed = state == "ours"
        if existed:
            quick_check(self.path)
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
        if current != head and migrate_schema:
            if existed and current is not None:
                # A checked copy of the old file before changing its structure.
                self.engine.dispose()
                self.backup_before_migration = self.backup_before("migration", required=True)
            migrate.upgrade(self.engine)
        with self.engine.begin() as conn:
            if conn.exec_driver_sql("PRAGMA application_id").scalar() != APPLICATION_ID:
                conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")

    def backup_before(self, reason: str, *, required: bool = False) -> Path | None:
        """A checked backup before a big change (import, carry-over, restore, migration).

        Not required (import, carry-over): a failed backup is logged and the change goes on, since it
        only adds data. Required (restore, migration): the failure is raised and nothing changes.
        """
        try:
            self.checkpoint()
            return backups.backup_database(self.path, tag=f"before-{reason}")
        except Exception as exc:  # noqa: BLE001
            log.exception("backup before %s failed", reason)
            if not required:
                return None
            mapped = as_storage_error(exc, "备份文件夹", "备份")
            raise (
                mapped
                or LedgerError(
                    f"无法在{_REASONS.get(reason, '改动')}前备份数据库《{self.path.name}》，为安全起见未做改动。"
                    "请检查磁盘和备份文件夹后重试。"
                )
            ) from exc

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error.

        A write the disk refuses (full, read-only, no permission) becomes a StorageError saying so
        and that nothing was lost: the transaction was rolled back, the file is as before.
        """
        try:
            with self._sessions() as s, s.begin():
                yield s
        except LedgerError:
            raise
        except Exception as exc:
            mapped = as_storage_error(exc, f"数据库《{self.path.name}》")
            if mapped is None:
                raise
            log.warning("write refused by the disk on %s: %s", self.path, exc)
            raise mapped from exc

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


_REASONS = {"import": "导入", "carry-over": "结转", "restore": "恢复", "migration": "升级数据库结构"}
_SQLITE_MAGIC = b"SQLite format 3\x00"


def identify(path: Path) -> str:
    """'new' (missing, empty, or an SQLite file with nothing in it) or 'ours'; raises otherwise.

    Reads only: the header bytes, then the schema through an immutable read-only connection, which
    takes no lock and creates no -wal/-shm/-journal file, so a refused file stays byte-identical.
    """
    if not path.exists() or path.stat().st_size == 0:
        return "new"
    with open(path, "rb") as fh:
        head = fh.read(100)
    if len(head) < 100 or head[:16] != _SQLITE_MAGIC:
        raise LedgerError(f"《{path.name}》不是本程序的数据库文件。请另选一个数据库文件，或新建一个。")
    app_id = int.from_bytes(head[68:72], "big")
    if app_id not in (0, APPLICATION_ID):
        raise LedgerError(_foreign_message(path))
    tables, user_version = _schema(path, immutable=True)
    wal = path.with_name(path.name + "-wal")
    if not tables and wal.exists() and wal.stat().st_size > 0:
        tables, user_version = _schema(path, immutable=False)  # the schema may still sit in the WAL
    if app_id == APPLICATION_ID or {"alembic_version", "ledger"} <= tables:
        return "ours"
    if not tables and user_version == 0:
        return "new"
    raise LedgerError(_foreign_message(path))


def _foreign_message(path: Path) -> str:
    return f"《{path.name}》是其他程序的 SQLite 数据库，不是本程序的台账数据库，本程序没有改动它，请另选一个数据库文件或新建一个。"


def _schema(path: Path, immutable: bool) -> tuple[set[str], int]:
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
    try:
        con = sqlite3.connect(uri, uri=True)
        try:
            names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            return names, int(con.execute("PRAGMA user_version").fetchone()[0])
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        if "malformed" in str(exc).lower() and _header_app_id(path) == APPLICATION_ID:
            raise DatabaseDamaged(path, backups.list_backups(path)) from exc
        raise LedgerError(
            f"无法读取《{path.name}》：文件已损坏或不是本程序的数据库，未做任何改动。请从备份恢复或另选一个数据库文件。"
        ) from exc


def _header_app_id(path: Path) -> int:
    with open(path, "rb") as fh:
        head = fh.read(72)
    return int.from_bytes(head[68:72], "big") if len(head) >= 72 else 0


def quick_check(path: Path) -> None:
    """Raise DatabaseDamaged unless `PRAGMA quick_check` passes (run with the lock held)."""
    try:
        con = sqlite3.connect(path)
        try:
            rows = con.execute("PRAGMA quick_check").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        if as_storage_error(exc, "") is not None:
            raise
        log.warning("quick_check failed on %s: %s", path, exc)
        raise DatabaseDamaged(path, backups.list_backups(path)) from exc
    if rows != [("ok",)]:
        log.warning("quick_check failed on %s: %s", path, rows[:5])
        raise DatabaseDamaged(path, backups.list_backups(path))
