"""Opening, migrating, locking and refusing databases."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import old_schema  # tests/storage/old_schema.py (the test folder is on sys.path)
import pytest

from desktop_app.domain.model import Ledger, LedgerError, UnitAssignment, UnitRole
from desktop_app.storage import migrate
from desktop_app.storage.backup import backup_database, list_backups, replace_damaged
from desktop_app.storage.database import APPLICATION_ID, Database, DatabaseDamaged
from desktop_app.storage.repository import LedgerRepository


def test_new_database_is_at_head(tmp_path: Path) -> None:
    with Database(tmp_path / "a.sqlite3") as db:
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        with db.engine.connect() as conn:
            mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        assert mode == "wal"


def test_second_copy_is_told_who_has_it(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    with Database(path):
        with pytest.raises(LedgerError) as err:
            Database(path)
    assert "已被" in err.value.message and "打开" in err.value.message
    Database(path).close()  # released when the first closed


def test_refuses_database_newer_than_program(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    Database(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num='9999'")
    con.commit()
    con.close()
    with pytest.raises(LedgerError) as err:
        Database(path)
    assert "更新版本" in err.value.message


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 10])
def test_empty_or_foreign_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "a.sqlite3"
    path.write_bytes(content)
    if content:
        with pytest.raises(LedgerError) as err:
            Database(path)
        assert "不是本程序的数据库" in err.value.message
        assert path.read_bytes() == content  # nothing changed
    else:
        Database(path).close()  # an empty file is a new database


def test_foreign_sqlite_database_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE customers (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(LedgerError):
        Database(path)


def test_migrates_previous_revision_with_data_and_backs_up(tmp_path: Path) -> None:
    """A database made by revision 0001 with data in it upgrades to head keeping every row."""
    path = tmp_path / "old.sqlite3"
    db = Database(path, migrate_schema=False)
    migrate.upgrade(db.engine, "0001")
    db.close()
    old_schema.fill(path)  # written as the 0001 program wrote it: the ORM of today has newer columns
    assert _revision(path) == "0001"

    with Database(path) as db:
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        with db.session() as s:
            ledger = LedgerRepository(s).get(1)
        assert ledger is not None and ledger.title == "测试台账"
        assert ledger.sections[0].tasks[0].units == [UnitAssignment("市审批局", UnitRole.LEAD)]
        assert db.backup_before_migration is not None and db.backup_before_migration.exists()
    backups = list_backups(path)
    assert backups and _revision(backups[0]) == "0001"


def test_every_revision_step_keeps_data(tmp_path: Path) -> None:
    revisions = list(reversed([r.revision for r in migrate.script_directory().walk_revisions()]))
    for prev, nxt in zip(revisions, revisions[1:], strict=False):
        path = tmp_path / f"{prev}.sqlite3"
        db = Database(path, migrate_schema=False)
        migrate.upgrade(db.engine, prev)
        old_schema.fill(path)
        migrate.upgrade(db.engine, nxt)
        assert old_schema.task_contents(path) == ["内容", "公开预算", "解读政策"]
        migrate.downgrade(db.engine, prev)
        assert old_schema.task_contents(path) == ["内容", "公开预算", "解读政策"]
        db.close()


def _revision(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _foreign(path: Path, kind: str) -> None:
    con = sqlite3.connect(path)
    if kind == "tables":
        con.execute("CREATE TABLE customers (id INTEGER, name TEXT)")
        con.executemany("INSERT INTO customers VALUES (?, ?)", [(i, f"客户{i}") for i in range(200)])
    elif kind == "wal":
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("CREATE TABLE notes (t TEXT)")
        con.execute("INSERT INTO notes VALUES ('x')")
    elif kind == "app-id":  # another program's id, no tables yet
        con.execute("PRAGMA application_id=1234")
    elif kind == "user-version":
        con.execute("PRAGMA user_version=7")
    elif kind == "ledger-table-only":  # a table named like ours, but not our schema
        con.execute("CREATE TABLE ledger (x)")
    con.commit()
    con.close()


@pytest.mark.parametrize("kind", ["tables", "wal", "app-id", "user-version", "ledger-table-only"])
def test_foreign_sqlite_file_refused_byte_identical(tmp_path: Path, kind: str) -> None:
    """Another program's SQLite file: refused in one sentence, not a byte changed, no -wal/-shm/.lock."""
    path = tmp_path / "other.db"
    _foreign(path, kind)
    before = path.read_bytes()
    files = _files(tmp_path)
    with pytest.raises(LedgerError) as err:
        Database(path)
    assert "不是本程序的" in err.value.message and err.value.message.count("。") == 1
    assert path.read_bytes() == before
    assert _files(tmp_path) == files  # no other.db-wal, -shm, .lock, backups/


def test_application_id_set_on_creation_and_on_our_older_databases(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    Database(path).close()
    assert _app_id(path) == APPLICATION_ID
    # A database of ours made before the id existed: revision 0001, data, application_id 0.
    old = tmp_path / "old.sqlite3"
    db = Database(old, migrate_schema=False)
    migrate.upgrade(db.engine, "0001")
    db.close()
    old_schema.fill(old)
    con = sqlite3.connect(old)
    con.execute("PRAGMA application_id=0")
    con.commit()
    con.close()
    assert _app_id(old) == 0
    with Database(old) as db:
        with db.session() as s:
            assert LedgerRepository(s).get(1).title == "测试台账"  # type: ignore[union-attr]
    assert _app_id(old) == APPLICATION_ID and _revision(old) == migrate.head_revision()


def _damage(path: Path) -> None:
    """Zero the header of the last b-tree page: quick_check fails, the schema page still reads."""
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.seek(size - 4096)
        fh.write(b"\x00" * 8)


def _filled(path: Path, rows: int = 3000) -> None:
    with Database(path) as db:
        with db.session() as s:
            for i in range(rows):
                s.connection().exec_driver_sql(
                    "INSERT INTO setting(key, value) VALUES (?, ?)", (f"k{i}", "值" * 40)
                )
        db.checkpoint()


def test_damaged_database_named_and_backups_offered(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    _filled(path)
    saved = backup_database(path)
    _damage(path)
    damaged = path.read_bytes()
    with pytest.raises(DatabaseDamaged) as err:
        Database(path)
    msg = err.value.message
    assert "《a.sqlite3》已损坏" in msg and "从备份恢复" in msg and saved.name in msg and msg.count("。") == 1
    assert err.value.backups == [saved]
    assert path.read_bytes() == damaged  # not touched: no journal mode switch, no migration
    assert not (tmp_path / "a.sqlite3-wal").exists()


def test_damaged_database_without_backups_says_so(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    _filled(path)
    _damage(path)
    with pytest.raises(DatabaseDamaged) as err:
        Database(path)
    assert "没有可用的备份" in err.value.message and err.value.backups == []


def test_replace_damaged_puts_the_backup_in_place_and_keeps_the_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    _filled(path, rows=500)
    saved = backup_database(path)
    _damage(path)
    damaged = path.read_bytes()
    aside = replace_damaged(saved, path)
    assert aside.read_bytes() == damaged and ".damaged-" in aside.name
    with Database(path) as db:
        with db.session() as s:
            assert (
                s.connection().exec_driver_sql("SELECT count(*) FROM setting WHERE key LIKE 'k%'").scalar()
                == 500
            )


def _app_id(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA application_id").fetchone()[0]
    finally:
        con.close()


def test_lock_holds_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real" / "a.sqlite3"
    real.parent.mkdir()
    link = tmp_path / "link.sqlite3"
    with Database(real):
        link.symlink_to(real)
        with pytest.raises(LedgerError) as err:
            Database(link)
        assert "已被" in err.value.message
        with pytest.raises(LedgerError):
            Database(tmp_path / "real" / "." / "a.sqlite3")  # another spelling of the same path
    with Database(link):  # through the link first, then the real name is refused
        with pytest.raises(LedgerError):
            Database(real)


def test_lock_holds_through_a_hardlink_in_another_folder(tmp_path: Path) -> None:
    real = tmp_path / "a" / "ledger.sqlite3"
    real.parent.mkdir()
    Database(real).close()
    other = tmp_path / "b" / "copy-name.sqlite3"
    other.parent.mkdir()
    os.link(real, other)
    with Database(real):
        with pytest.raises(LedgerError) as err:
            Database(other)
        assert "已被" in err.value.message and "进程" in err.value.message
    with Database(other):
        with pytest.raises(LedgerError):
            Database(real)
    Database(real).close()  # both released


def test_opens_when_the_system_cannot_resolve_the_path(tmp_path: Path, monkeypatch) -> None:
    """Under Wine, os.path.realpath of a path over 260 characters raises OSError (WinError 234): the
    program said the database was damaged. It opens by the name given, still locked and with its data."""
    # (over 260 characters, under the 512 bytes SQLite takes on Linux)
    path = tmp_path.joinpath(*(f"long folder name {i:02d}" for i in range(14)), "台账.sqlite3")
    path.parent.mkdir(parents=True)
    assert len(str(path)) > 260

    realpath = os.path.realpath

    def no_final_name(name, *args, **kwargs):  # as Wine's GetFinalPathNameByHandleW for long paths
        if len(str(name)) > 260:
            raise OSError(22, "More data available", str(name), 234)
        return realpath(name, *args, **kwargs)

    monkeypatch.setattr(os.path, "realpath", no_final_name)
    with Database(path) as db:
        with db.session() as session:
            LedgerRepository(session).add(Ledger(title="长路径台账", year=2024))
        with pytest.raises(LedgerError) as err:
            Database(path)
        assert "已被" in err.value.message
    with Database(path, read_only=True) as db, db.session() as session:
        assert [s.title for s in LedgerRepository(session).summaries()] == ["长路径台账"]
