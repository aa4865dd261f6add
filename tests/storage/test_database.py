"""Opening, migrating, locking and refusing databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import old_schema  # tests/storage/old_schema.py (the test folder is on sys.path)
import pytest

from desktop_app.domain.model import LedgerError, UnitAssignment, UnitRole
from desktop_app.storage import migrate
from desktop_app.storage.backup import list_backups
from desktop_app.storage.database import Database
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
