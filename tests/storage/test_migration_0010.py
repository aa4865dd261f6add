"""Revision 0010 (unit_return.dated) on a 0009 database with a unit's return in it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import old_schema  # tests/storage/old_schema.py (the test folder is on sys.path)

from desktop_app.storage import migrate
from desktop_app.storage.database import Database
from desktop_app.storage.returns import ReturnRepository


def test_0010_keeps_the_returns_with_no_date_known_and_drops_the_column_on_downgrade(tmp_path: Path) -> None:
    path = old_schema.database_at(
        tmp_path,
        "0009",
        "INSERT INTO unit_return (ledger_id, round_id, unit, task_id, progress, status, percent, file_name,"
        " received_at) VALUES (1, 1, '市财政局', 1, '已公开', 'in_progress', 50, 'a.docx', '2023-08-10 09:00:00')",
    )
    with Database(path) as db:
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        with db.session() as s:
            (row,) = ReturnRepository(s).for_round(1, 1, "市财政局")
            assert (row.progress, row.file_name, row.dated) == ("已公开", "a.docx", None)
    db = Database(path, migrate_schema=False)
    migrate.downgrade(db.engine, "0009")
    db.close()
    con = sqlite3.connect(path)
    try:
        assert "dated" not in [r[1] for r in con.execute("PRAGMA table_info(unit_return)")]
        assert con.execute("SELECT progress FROM unit_return").fetchall() == [("已公开",)]
    finally:
        con.close()
