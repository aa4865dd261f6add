"""Revision 0007 (task versions, who made each change, per-ledger roles) on a 0006 database with data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import old_schema  # tests/storage/old_schema.py

from desktop_app.storage import migrate
from desktop_app.storage.database import Database
from desktop_app.storage.repository import LedgerRepository

REVISION, PREVIOUS = "0007", "0006"


def _db_at_previous(tmp_path: Path) -> Path:
    return old_schema.database_at(
        tmp_path,
        PREVIOUS,
        "INSERT INTO audit_event (at, ledger_id, task_id, action, field, old_value, new_value)"
        " VALUES ('2023-03-01 09:00:00', 1, 1, 'update', 'content', '旧', '内容')",
    )


def test_0007_gives_every_task_a_version_and_keeps_the_trail(tmp_path: Path) -> None:
    path = _db_at_previous(tmp_path)
    with Database(path) as db:
        db.person = "张三"
        with db.session() as s:
            repo = LedgerRepository(s)
            assert [t.version for t in repo.get(1).all_tasks()] == [1, 1, 1]
            (old,) = repo.audit_events(1)
            assert (old.action, old.new_value, old.person) == ("update", "内容", "")
            assert repo.members(1) == {}
            task = repo.get_task(1)
            task.content = "新内容"
            repo.save_task_change(task, "update", "content", "内容", "新内容")
        with db.session() as s:
            repo = LedgerRepository(s)
            assert repo.get_task(1).version == 2
            assert repo.audit_events(1)[0].person == "张三"
            repo.set_member(1, "李四", "read")
            assert repo.members(1) == {"张三": "edit", "李四": "read"}
    db = Database(path)
    migrate.downgrade(db.engine, PREVIOUS)
    db.close()
    con = sqlite3.connect(path)
    try:
        assert "version" not in [r[1] for r in con.execute("PRAGMA table_info(task)")]
        assert "person" not in [r[1] for r in con.execute("PRAGMA table_info(audit_event)")]
        assert con.execute("SELECT name FROM sqlite_master WHERE name='ledger_member'").fetchone() is None
        assert old_schema.task_contents(path) == ["新内容", "公开预算", "解读政策"]
        assert con.execute("SELECT count(*) FROM audit_event").fetchone()[0] == 3
    finally:
        con.close()
    assert REVISION in migrate.known_revisions()
