"""Opening the ledger database: ours? sound? then lock, journal mode, backup, migrate; refuse newer files.

Two engines behind one Database: an SQLite file (the default: one writer holding the lock, any number
of read-only readers) and a PostgreSQL server database (`postgresql://user@host/dbname`, several
writers; backups and integrity checks are then the server administrator's, not ours).
"""

from __future__ import annotations

import getpass
import logging
import re
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.engine.url import URL
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from desktop_app.domain.model import ConnectionLost, LedgerError
from desktop_app.paths import real_path
from desktop_app.storage import backup as backups
from desktop_app.storage import migrate
from desktop_app.storage.errors import as_storage_error
from desktop_app.storage.locking import DatabaseLock, DatabaseLocked, is_network_path

log = logging.getLogger(__name__)


APPLICATION_ID = 0x5A57474B  # "ZWGK" in the SQLite header: this file is a ledger database
_SERVER_URL = re.compile(r"^postgres(?:ql)?(?:\+\w+)?://", re.IGNORECASE)
PasswordPrompt = Callable[[str], "str | None"]  # (what to say) -> the password, or None: cancelled

__all__ = ["Database", "DatabaseDamaged", "DatabaseLocked", "ReadOnlyDatabase", "is_server_url"]


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not worth failing over
        return ""


def is_server_url(target: object) -> bool:
    """True for `postgresql://…` (also `postgres://`, `postgresql+psycopg://`): a server database."""
    return isinstance(target, str) and bool(_SERVER_URL.match(target.strip()))


def server_url(text: str) -> URL:
    """The SQLAlchemy URL (psycopg 3 driver) for what the user typed; LedgerError when it is not one."""
    try:
        url = make_url(text.strip())
    except ArgumentError:
        raise LedgerError(
            f"服务器数据库地址“{text}”格式不对。请按 postgresql://用户名@服务器/数据库名 的格式填写。"
        ) from None
    if not url.database:
        raise LedgerError(
            f"服务器数据库地址“{text}”缺少数据库名。请按 postgresql://用户名@服务器/数据库名 的格式填写。"
        )
    return url.set(drivername="postgresql+psycopg")


def display_url(url: URL) -> str:
    """The address without a password, for titles, logs and the recent list."""
    return url.set(drivername="postgresql").render_as_string(hide_password=True).replace(":***@", "@")


class ReadOnlyDatabase(LedgerError):
    """A write on a database opened read-only (another program holds it, or the user may only read)."""


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

    SQLite: opening checks, before anything is written (no journal mode, no lock file), that the file
    is ours (application_id in the header, or our tables) and refuses any other SQLite file; then it
    runs `PRAGMA quick_check` and refuses a damaged one, naming the backups to restore from.
    create=False (read-only commands): a missing or empty file is an error, nothing is created.
    read_only=True: no lock, no migration, nothing written; any write raises ReadOnlyDatabase (one
    sentence). That is how a second program reads a file another one holds for writing.

    PostgreSQL (`target` a `postgresql://` URL): no lock file (the server serialises writers), the
    same Alembic revisions, run under an advisory lock so two programs starting together migrate once.
    `password` asks for the password when the server wants one that libpq could not find (PGPASSWORD,
    ~/.pgpass); it is kept in memory only.
    """

    def __init__(
        self,
        target: Path | str,
        *,
        lock: bool = True,
        migrate_schema: bool = True,
        create: bool = True,
        read_only: bool = False,
        password: PasswordPrompt | None = None,
    ) -> None:
        self.server = is_server_url(target)
        self.read_only = read_only
        self.person = os_user()  # who the audit trail names; AppContext sets the 填报人 or the login
        self.client = uuid.uuid4().hex[:12]  # this running copy: its own changes are not "others'"
        self.network = False
        self._lock: DatabaseLock | None = None
        self.engine: Engine | None = None
        self.backup_before_migration: Path | None = None
        if self.server:
            self.url: URL | None = server_url(str(target))
            self.path: Path | None = None
            self.label = display_url(self.url)
            self.name = f"{self.url.database}（服务器 {self.url.host or '本机'}）"
        else:
            self.url = None
            self.path = Path(target).expanduser()
            self.label = str(self.path)
            self.name = self.path.name
        try:
            if self.server:
                self._open_server(migrate_schema, create, password)
            else:
                self._open(lock, migrate_schema, create)
        except LedgerError:
            self.close()
            raise
        except Exception as exc:  # noqa: BLE001 - SQLAlchemy wraps sqlite errors
            self.close()
            log.exception("cannot open database %s", self.label)
            if self.server:
                raise server_error(exc, self.label) from exc
            mapped = as_storage_error(exc, f"数据库《{self.name}》所在文件夹", "打开数据库")
            if mapped is not None:
                raise mapped from exc
            raise LedgerError(
                f"无法打开数据库《{self.name}》：文件已损坏或不是本程序的数据库。请从备份恢复或另选一个数据库文件。"
            ) from exc
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if self.read_only:
            _guard_writes(self._sessions, self.read_only_message())

    @property
    def kind(self) -> str:
        return "postgresql" if self.server else "sqlite"

    def read_only_message(self) -> str:
        return (
            f"数据库《{self.name}》是以只读方式打开的（另一个程序正在编辑它，或您只有查看权限），"
            "改动没有保存，请等对方关闭程序后重新打开，或请管理员授予编辑权限。"
        )

    def _open(self, lock: bool, migrate_schema: bool, create: bool) -> None:
        assert self.path is not None
        if self.path.is_dir():
            raise LedgerError(f"《{self.path}》是一个文件夹，不是数据库文件。请另选一个文件名。")
        state = identify(self.path)  # reads only; raises for a foreign or unreadable file
        if state == "new" and (not create or self.read_only):
            raise LedgerError(
                f"找不到台账数据库《{self.path}》（文件不存在或是空的），未创建任何文件。请检查 --db 参数。"
            )
        self.network = is_network_path(self.path)
        if self.read_only:
            self._open_sqlite_read_only()
            return
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
        self._refuse_newer(current)
        if current != migrate.head_revision() and migrate_schema:
            if existed and current is not None:
                # A checked copy of the old file before changing its structure.
                self.engine.dispose()
                self.backup_before_migration = self.backup_before("migration", required=True)
            migrate.upgrade(self.engine)
        with self.engine.begin() as conn:
            if conn.exec_driver_sql("PRAGMA application_id").scalar() != APPLICATION_ID:
                conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")

    def _open_sqlite_read_only(self) -> None:
        """A reader beside the writer: `mode=ro` connections (WAL lets them read while it writes)."""
        assert self.path is not None
        uri = f"{real_path(self.path).as_uri()}?mode=ro"
        self.engine = create_engine(
            "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False), future=True
        )

        @event.listens_for(self.engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout=5000")
            cur.execute("PRAGMA query_only=ON")
            cur.close()

        self._check_schema_readable(migrate.current_revision(self.engine))

    def _refuse_newer(self, current: str | None) -> None:
        if current is not None and current not in migrate.known_revisions():
            raise LedgerError(
                f"数据库《{self.name}》由更新版本的程序创建（结构版本 {current}），本程序无法安全打开。"
                "请安装最新版本后再打开。"
            )

    def _check_schema_readable(self, current: str | None) -> None:
        """Read-only: nothing is migrated, so the structure must already be this program's."""
        self._refuse_newer(current)
        if current != migrate.head_revision():
            raise LedgerError(
                f"数据库《{self.name}》的结构是旧版本（{current or '空'}），只读方式无法升级它。"
                "请先用可写方式打开一次（关闭正在使用它的程序后再打开），程序会自动升级。"
            )

    def _open_server(self, migrate_schema: bool, create: bool, password: PasswordPrompt | None) -> None:
        assert self.url is not None
        url = self.url
        connect_args: dict = {"connect_timeout": 10, "application_name": "zwgk-ledger"}
        if self.read_only:
            connect_args["options"] = "-c default_transaction_read_only=on"
        for attempt in range(4):
            self.engine = create_engine(url, future=True, pool_pre_ping=True, connect_args=connect_args)
            try:
                with self.engine.connect() as conn:
                    tables = set(inspect(conn).get_table_names())
                break
            except Exception as exc:  # noqa: BLE001 - psycopg's OperationalError, wrapped
                self.engine.dispose()
                if not _wants_password(exc) or password is None or attempt == 3:
                    raise
                typed = password(
                    f"请输入用户 {url.username or '（默认）'} 在服务器 {url.host or '本机'} 上的数据库密码："
                    if attempt == 0
                    else "密码不对，请重新输入："
                )
                if typed is None:
                    raise LedgerError("没有输入密码，未打开服务器数据库。需要时请重新打开并输入密码。") from None
                url = url.set(password=typed)
        self.url = url  # keeps the password in memory for the pool's new connections, never on disk
        if tables and not {"alembic_version", "ledger"} <= tables:
            raise LedgerError(
                f"服务器数据库《{self.url.database}》里已有其他程序的表，不是本程序的台账数据库，本程序没有改动它。"
                "请另建一个空数据库给本程序使用。"
            )
        if not tables and (not create or self.read_only):
            raise LedgerError(
                f"服务器数据库《{self.url.database}》是空的（还没有台账），未做任何改动。请先用可写方式打开一次。"
            )
        current = migrate.current_revision(self.engine)
        if self.read_only:
            self._check_schema_readable(current)
            return
        self._refuse_newer(current)
        if current != migrate.head_revision() and migrate_schema:
            # PostgreSQL changes structure inside one transaction: a failed upgrade leaves it as it was.
            migrate.upgrade(self.engine)
        if tables and not self._may_write():
            # a login the administrator gave read rights only (docs/INSTALL.md 7.1): the window says 只读
            log.info("login %s may only read %s: opened read-only", url.username, self.label)
            self.read_only = True

    def _may_write(self) -> bool:
        try:
            with self.engine.connect() as conn:
                return bool(conn.exec_driver_sql("SELECT has_table_privilege(current_user, 'task', 'UPDATE')").scalar())
        except Exception:  # noqa: BLE001 - when in doubt, let the server refuse the write itself
            log.exception("cannot read the login's privileges on %s", self.label)
            return True

    def backup_before(self, reason: str, *, required: bool = False) -> Path | None:
        """A checked backup before a big change (import, carry-over, restore, migration).

        Not required (import, carry-over): a failed backup is logged and the change goes on, since it
        only adds data. Required (restore, migration): the failure is raised and nothing changes.
        A server database is backed up by its administrator (pg_dump): None, nothing written here.
        """
        if self.server or self.read_only:
            return None
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
                    f"无法在{_REASONS.get(reason, '改动')}前备份数据库《{self.name}》，为安全起见未做改动。"
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
                s.info["person"], s.info["client"] = self.person, self.client
                yield s
        except LedgerError:
            raise
        except Exception as exc:
            if self.server:
                mapped = server_error(exc, self.label, during_session=True)
                if mapped is None:
                    raise
                log.warning("server refused or dropped the transaction on %s: %s", self.label, exc)
                raise mapped from exc
            if self.read_only and _is_readonly_refusal(exc):
                raise ReadOnlyDatabase(self.read_only_message()) from exc
            mapped = as_storage_error(exc, f"数据库《{self.name}》")
            if mapped is None:
                raise
            log.warning("write refused by the disk on %s: %s", self.path, exc)
            raise mapped from exc

    def read_session(self) -> Session:
        s = self._sessions()
        s.info["person"], s.info["client"] = self.person, self.client
        return s

    def close(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None
        if self._lock is not None:
            self._lock.release()

    def checkpoint(self) -> None:
        if self.engine is not None and not self.network and not self.server and not self.read_only:
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
    uri = f"{real_path(path).as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
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


# ----------------------------------------------------------------- read-only and server errors
def _guard_writes(factory: sessionmaker, message: str) -> None:
    """Every session of a read-only Database refuses to write, before anything reaches the file."""

    @event.listens_for(factory, "before_flush")
    def _no_flush(session, _context, _instances) -> None:  # noqa: ANN001
        if session.new or session.dirty or session.deleted:
            raise ReadOnlyDatabase(message)

    @event.listens_for(factory, "do_orm_execute")
    def _no_dml(state) -> None:  # noqa: ANN001
        if state.is_insert or state.is_update or state.is_delete:
            raise ReadOnlyDatabase(message)


def _is_readonly_refusal(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "readonly database" in text or "query_only" in text or "read-only" in text


def _sqlstate(exc: BaseException) -> str | None:
    cur: BaseException | None = exc
    seen: set[int] = set()
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        state = getattr(cur, "sqlstate", None)
        if state:
            return str(state)
        orig = getattr(cur, "orig", None)
        cur = orig if isinstance(orig, BaseException) else (cur.__cause__ or cur.__context__)
    return None


def _wants_password(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "password" in text and ("no password supplied" in text or "authentication failed" in text)


def is_connection_lost(exc: BaseException) -> bool:
    """The server closed or lost the connection (restart, network), as opposed to refusing a statement."""
    state = _sqlstate(exc) or ""
    if state.startswith("08") or state in ("57P01", "57P02", "57P03"):
        return True
    if getattr(exc, "connection_invalidated", False):
        return True
    text = str(exc).lower()
    return any(
        w in text
        for w in (
            "server closed the connection",
            "connection refused",
            "terminating connection",
            "consuming input failed",
            "connection is closed",
            "the connection is lost",
            "connection timeout expired",
            "could not receive data",
            "could not send data",
            "no connection to the server",
        )
    )


def server_error(exc: BaseException, label: str, during_session: bool = False) -> LedgerError | None:
    """One Chinese sentence for what the server said; None (during a session) for a program error."""
    state = _sqlstate(exc) or ""
    text = str(exc).lower()
    if state == "25006" or "read-only transaction" in text:
        return ReadOnlyDatabase(
            f"服务器数据库 {label} 是以只读方式打开的，改动没有保存，如需修改请管理员授予编辑权限后重新打开。"
        )
    if state == "42501" or "permission denied" in text:
        return ReadOnlyDatabase(
            f"您在服务器数据库 {label} 上没有这项操作的权限，改动没有保存，请管理员按安装说明授予编辑权限。"
        )
    if is_connection_lost(exc):
        if during_session:
            return ConnectionLost(
                f"与服务器数据库 {label} 的连接中断了（服务器可能正在重启，或网络断开），本次改动没有保存，"
                "请稍后重试。"
            )
        return ConnectionLost(
            f"无法连接服务器数据库 {label}：服务器没有响应。请检查服务器地址、网络，以及数据库服务是否在运行。"
        )
    if during_session:
        return None
    if "password" in text or state == "28P01" or state == "28000":
        return LedgerError(f"无法登录服务器数据库 {label}：用户名或密码不对，或没有登录权限。请核对后重试。")
    if state == "3D000" or ("database" in text and "does not exist" in text):
        return LedgerError(f"服务器上没有数据库 {label}。请检查数据库名，或请管理员先建好这个数据库。")
    if isinstance(exc, ModuleNotFoundError) or "psycopg" in text and "no module" in text:
        return LedgerError("本机没有安装连接 PostgreSQL 服务器所需的组件（psycopg）。请安装 desktop_app[server] 后重试。")
    return LedgerError(f"无法打开服务器数据库 {label}：请检查地址、网络和数据库服务后重试。")
