"""Data written the way an older program version wrote it: plain SQL on the columns every revision
since 0001 has, so a test can fill a database at any past revision (the ORM only knows head)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

TS = "2023-03-01 09:00:00"

Statement = str | tuple[str, tuple]  # SQL, or SQL with its parameters


def database_at(tmp_path: Path, rev: str, *statements: Statement) -> Path:
    """A database made by revision `rev` (schema of that revision only), filled as that version wrote
    it (fill), then `statements` run on it: what each migration test starts from."""
    from desktop_app.storage import migrate
    from desktop_app.storage.database import Database

    path = tmp_path / f"v{rev}.sqlite3"
    db = Database(path, migrate_schema=False)
    migrate.upgrade(db.engine, rev)
    db.close()
    fill(path)
    con = sqlite3.connect(path)
    try:
        for st in statements:
            sql, params = (st, ()) if isinstance(st, str) else st
            con.execute(sql, params)
        con.commit()
    finally:
        con.close()
    assert revision(path) == rev
    return path


def fill(path: Path) -> None:
    """One ledger, two sections, three tasks (units, history, evidence, a report round)."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA foreign_keys=ON")
        con.execute(
            "INSERT INTO ledger (id, title, year, owner_unit, issuer, report_dates, columns, created_at,"
            " updated_at) VALUES (1, '测试台账', 2023, '市审批局', '', '[\"2023-08-15\"]', '[]', ?, ?)",
            (TS, TS),
        )
        con.execute("INSERT INTO section (id, ledger_id, title, position) VALUES (1, 1, '一、测试', 0)")
        con.execute("INSERT INTO section (id, ledger_id, title, position) VALUES (2, 1, '二、解读', 1)")
        for tid, sec, pos, number, content, progress in (
            (1, 1, 0, "1", "内容", "已公开 3 件"),
            (2, 1, 1, "2", "公开预算", ""),
            (3, 2, 0, "3", "解读政策", ""),
        ):
            con.execute(
                "INSERT INTO task (id, ledger_id, section_id, position, number, key_work, content, indicator,"
                " units_text, cooperating_text, deadline_text, deadline_kind, working_days, status, percent,"
                " progress, remarks, extra, created_at, updated_at, progress_updated_at)"
                " VALUES (?, 1, ?, ?, ?, '', ?, '', '市审批局牵头', '', '', 'none', 0, 'in_progress', 30,"
                " ?, '', '{}', ?, ?, ?)",
                (tid, sec, pos, number, content, progress, TS, TS, TS if progress else None),
            )
        con.execute("INSERT INTO task_unit (task_id, name, role, position) VALUES (1, '市审批局', 'lead', 0)")
        con.execute(
            "INSERT INTO report_round (id, ledger_id, due_date, label) VALUES (1, 1, '2023-08-15', '8月15日报送')"
        )
        con.execute(
            "INSERT INTO progress_entry (task_id, entry_date, text, status, percent, author, round_id,"
            " created_at) VALUES (1, '2023-03-01', '已公开 3 件', 'in_progress', 30, '李四', 1, ?)",
            (TS,),
        )
        con.execute(
            "INSERT INTO attachment (task_id, file_name, mime, size, data, created_at)"
            " VALUES (1, '截图.png', 'image/png', 4, X'89504E47', ?)",
            (TS,),
        )
        con.commit()
    finally:
        con.close()


def revision(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


def task_contents(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT content FROM task ORDER BY id")]
    finally:
        con.close()
