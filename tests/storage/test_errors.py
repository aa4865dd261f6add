"""Disk full / no write permission: named in one sentence saying nothing was lost, data intact.

Real where the machine allows it: a full disk through a file-size limit (RLIMIT_FSIZE: the kernel
refuses the write exactly as on a full disk), a read-only folder or file through chmod, or, as root
(whom chmod does not stop), through the immutable attribute (chattr +i). Where neither works (root
without CAP_LINUX_IMMUTABLE) the refusal is simulated at the OS call and the test says so in its id.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from desktop_app.domain.model import LedgerError
from desktop_app.storage.database import Database
from desktop_app.storage.errors import StorageError, as_storage_error, classify
from desktop_app.storage.locking import DatabaseLock

ROOT = Path(__file__).resolve().parents[2]


def _sqlite_error(text: str, code: int | None) -> sqlite3.Error:
    exc = sqlite3.OperationalError(text)
    if code is not None:
        exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    return exc


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "full"),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), "full"),
        (OSError(errno.EACCES, "Permission denied"), "readonly"),
        (PermissionError(errno.EPERM, "Operation not permitted"), "readonly"),
        (OSError(errno.EROFS, "Read-only file system"), "readonly"),
        (_sqlite_error("database or disk is full", 13), "full"),
        (_sqlite_error("database or disk is full", None), "full"),
        (_sqlite_error("attempt to write a readonly database", 8), "readonly"),
        (_sqlite_error("attempt to write a readonly database", 8 | (3 << 8)), "readonly"),  # READONLY_DBMOVED
        (_sqlite_error("unable to open database file", 14), "readonly"),
        (_sqlite_error("disk I/O error", 10 | (3 << 8)), "ioerror"),  # IOERR_WRITE
        (OperationalError("INSERT", {}, _sqlite_error("database or disk is full", 13)), "full"),
        (_sqlite_error("no such table: x", 1), None),
        (OSError(errno.ENOENT, "No such file"), None),
        (ValueError("x"), None),
    ],
)
def test_classify(exc: BaseException, kind: str | None) -> None:
    assert classify(exc) == kind
    mapped = as_storage_error(exc, "数据库《a.sqlite3》")
    if kind is None:
        assert mapped is None
    else:
        assert isinstance(mapped, StorageError) and "没有丢失" in mapped.message
        assert mapped.message.count("。") == 2 and "\n" not in mapped.message
        assert {"full": "磁盘空间不足", "readonly": "没有写入", "ioerror": "磁盘出错"}[kind] in mapped.message


def _filled(path: Path) -> None:
    with Database(path) as db, db.session() as s:
        s.connection().exec_driver_sql("INSERT INTO setting(key, value) VALUES ('my_unit', '市自然资源局')")


def _unit(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT value FROM setting WHERE key='my_unit'").fetchone()[0]
    finally:
        con.close()


def _writable(folder: Path) -> bool:
    probe = folder / ".probe"
    try:
        probe.write_bytes(b"")
    except OSError:
        return False
    probe.unlink()
    return True


@pytest.fixture
def read_only():
    """make(path): path (folder or file) cannot be written any more, for real if at all possible."""
    undo: list = []

    def make(path: Path) -> str:
        mode = path.stat().st_mode
        os.chmod(path, 0o555 if path.is_dir() else 0o444)
        undo.append(lambda: os.chmod(path, mode))
        folder = path if path.is_dir() else path.parent
        if not path.is_dir() and not os.access(path, os.W_OK) or path.is_dir() and not _writable(folder):
            return "chmod"
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0:
            undo.append(lambda: subprocess.run(["chattr", "-i", str(path)], check=True))
            return "chattr"
        return "simulated"  # root without CAP_LINUX_IMMUTABLE: the caller simulates the refusal

    yield make
    for fn in reversed(undo):
        fn()


def _refuse(*_a, **_k):  # noqa: ANN002, ANN003
    raise PermissionError(errno.EACCES, "Permission denied")


def test_read_only_folder_on_open(tmp_path: Path, read_only, monkeypatch) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "a.sqlite3"
    _filled(path)
    (folder / "a.sqlite3.lock").unlink()
    before = path.read_bytes()
    how = read_only(folder)
    if how == "simulated":  # the first write of an open is the lock file: the OS would say EACCES
        monkeypatch.setattr(DatabaseLock, "acquire", _refuse)
    with pytest.raises(StorageError) as err:
        Database(path)
    msg = err.value.message
    assert "没有写入" in msg and "没有丢失" in msg and "已损坏" not in msg, (how, msg)
    assert path.read_bytes() == before


def _readonly_flush(self, *a, **k):  # noqa: ANN001, ANN002, ANN003
    raise OperationalError("UPDATE", {}, _sqlite_error("attempt to write a readonly database", 8))


def test_read_only_database_file_refuses_a_write_and_loses_nothing(
    tmp_path: Path, read_only, monkeypatch
) -> None:
    path = tmp_path / "a.sqlite3"
    _filled(path)
    how = read_only(path)
    if how == "simulated":  # the error SQLite gives for a read-only file, raised at the flush
        monkeypatch.setattr(Session, "flush", _readonly_flush)
    try:
        db = Database(path)
    except StorageError as exc:  # some SQLite builds refuse already at open
        assert "没有写入" in exc.message
        return
    try:
        with pytest.raises(StorageError) as err:
            with db.session() as s:
                s.execute(text("UPDATE setting SET value='改' WHERE key='my_unit'"))
                s.flush()
        assert "没有写入" in err.value.message and "没有丢失" in err.value.message, how
    finally:
        db.close()
    assert _unit(path) == "市自然资源局"


DISK_FULL_CHILD = """
import resource, signal, sys
from pathlib import Path
from desktop_app.domain.model import LedgerError
from desktop_app.storage.database import Database

db = Database(Path(sys.argv[1]))
db.checkpoint()
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG / a short write instead
limit = Path(sys.argv[1]).stat().st_size + 20_000
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    with db.session() as s:
        for i in range(200):
            s.connection().exec_driver_sql(
                "INSERT INTO setting(key, value) VALUES (?, ?)", (f"big{i}", "台账" * 5000)
            )
    print("WRITTEN")
except LedgerError as exc:
    print(type(exc).__name__, exc.message)
db.close()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_disk_full_for_real_says_so_and_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    _filled(path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", DISK_FULL_CHILD, str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    out = proc.stdout.strip()
    assert proc.returncode == 0, proc.stderr
    assert out.startswith("StorageError ") and "没有丢失" in out, out
    assert "磁盘空间不足" in out or "磁盘出错" in out, out
    assert "Traceback" not in proc.stderr
    with Database(path) as db:  # intact: quick_check passes, the old row is there, no half-written row
        with db.session() as s:
            conn = s.connection()
            assert conn.exec_driver_sql("SELECT count(*) FROM setting WHERE key LIKE 'big%'").scalar() == 0
    assert _unit(path) == "市自然资源局"


def test_simulated_disk_full_during_a_session_write(tmp_path: Path, monkeypatch) -> None:
    """The SQLite error a full disk gives (SQLITE_FULL), raised at the flush: mapped, rolled back."""
    path = tmp_path / "a.sqlite3"
    _filled(path)

    def full(self, *a, **k):  # noqa: ANN001, ANN002, ANN003
        raise OperationalError("INSERT", {}, _sqlite_error("database or disk is full", 13))

    with Database(path) as db:
        monkeypatch.setattr(Session, "flush", full)
        with pytest.raises(StorageError) as err:
            with db.session() as s:
                s.execute(text("UPDATE setting SET value='x'"))
                s.flush()
        assert err.value.kind == "full"
        monkeypatch.undo()
        assert _unit(path) == "市自然资源局"


def test_other_errors_are_not_disguised(tmp_path: Path) -> None:
    with Database(tmp_path / "a.sqlite3") as db:
        with pytest.raises(Exception) as err:
            with db.session() as s:
                s.connection().exec_driver_sql("SELECT * FROM no_such_table")
        assert not isinstance(err.value, LedgerError)
