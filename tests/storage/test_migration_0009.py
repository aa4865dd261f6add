"""Revision 0009 (unit_return_history, 历次报送) on a 0008 database with a ledger and a unit's return in it."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import old_schema  # tests/storage/old_schema.py (the test folder is on sys.path)

from desktop_app.domain.returns import UnitReturn
from desktop_app.storage import migrate
from desktop_app.storage.database import Database
from desktop_app.storage.repository import LedgerRepository
from desktop_app.storage.returns import ReturnRepository


def _db_at_0008_with_a_return(tmp_path: Path) -> Path:
    return old_schema.database_at(
        tmp_path,
        "0008",
        "INSERT INTO unit_return (ledger_id, round_id, unit, task_id, progress, status, percent, file_name,"
        " received_at) VALUES (1, 1, '市财政局', 1, '已公开', 'in_progress', 50, 'a.docx', '2023-08-10 09:00:00')",
    )


def test_0009_keeps_the_returns_and_adds_their_history(tmp_path: Path) -> None:
    path = _db_at_0008_with_a_return(tmp_path)
    with Database(path) as db:
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        with db.session() as s:
            repo = ReturnRepository(s)
            (old,) = repo.for_round(1, 1, "市财政局")
            assert (old.progress, old.file_name, old.received_at) == ("已公开", "a.docx", datetime(2023, 8, 10, 9))
            assert repo.history(1, 1, "市财政局") == [] and repo.history_counts(1, 1) == {}
            assert [t.content for t in LedgerRepository(s).get(1).all_tasks()] == ["内容", "公开预算", "解读政策"]
            # the migrated return is replaced by a newer one: the old one goes into the history
            hid = repo.add_history([old], datetime(2023, 8, 12, 10), "b.docx", "第1项进展改写")
            newer = UnitReturn(1, 1, "市财政局", 1, "已全部公开", old.status, 100, "b.docx", datetime(2023, 8, 12, 10))
            repo.replace_unit(1, 1, "市财政局", [newer])
        with db.session() as s:
            repo = ReturnRepository(s)
            assert [r.progress for r in repo.for_round(1, 1, "市财政局")] == ["已全部公开"]
            (kept,) = repo.history(1, 1, "市财政局")
            assert (kept.id, kept.file_name, kept.replaced_by, kept.changes) == (hid, "a.docx", "b.docx", "第1项进展改写")
            assert [(r.task_id, r.progress, r.percent) for r in kept.rows] == [(1, "已公开", 50)]
            assert repo.history_counts(1, 1) == {"市财政局": (1, datetime(2023, 8, 10, 9))}
    db = Database(path, migrate_schema=False)
    migrate.downgrade(db.engine, "0008")
    db.close()
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT name FROM sqlite_master WHERE name='unit_return_history'").fetchone() is None
        assert con.execute("SELECT progress FROM unit_return").fetchall() == [("已全部公开",)]
    finally:
        con.close()
