"""Revision 0003 (recycle bin, progress drafts) on a database made by 0002 with data in it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import old_schema  # tests/storage/old_schema.py (the test folder is on sys.path)
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from desktop_app.storage import migrate
from desktop_app.storage.database import Database
from desktop_app.storage.repository import LedgerRepository, now
from desktop_app.storage.tables import Base


def _db_at_0002(tmp_path: Path) -> Path:
    return old_schema.database_at(tmp_path, "0002")


def test_0002_database_with_data_upgrades_keeping_every_row(tmp_path: Path) -> None:
    path = _db_at_0002(tmp_path)
    with Database(path) as db:
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        with db.session() as s:
            repo = LedgerRepository(s)
            ledger = repo.get(1)
            assert [t.content for t in ledger.all_tasks()] == ["内容", "公开预算", "解读政策"]
            assert [sec.title for sec in ledger.sections] == ["一、测试", "二、解读"]
            assert repo.summaries()[0].task_count == 3
            assert [e.text for e in repo.history(1)] == ["已公开 3 件"]
            assert [a.file_name for a in repo.attachments(1)] == ["截图.png"]
            assert repo.recycled() == [] and repo.drafts() == []
            assert repo.count_stale(1, None) == 2  # the two tasks never updated
            # the new columns work on the migrated rows
            repo.soft_delete_task(2, now())
        with db.session() as s:
            repo = LedgerRepository(s)
            assert [t.content for t in repo.get(1).all_tasks()] == ["内容", "解读政策"]
            assert [r.task.content for r in repo.recycled()] == ["公开预算"]


def test_head_schema_matches_the_table_classes(tmp_path: Path) -> None:
    """No drift between migrations and tables.py (a column added to one only fails here)."""
    with Database(tmp_path / "new.sqlite3") as db:
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_downgrade_to_0002_keeps_live_tasks_and_drops_the_bin(tmp_path: Path) -> None:
    path = _db_at_0002(tmp_path)
    db = Database(path)
    with db.session() as s:
        LedgerRepository(s).soft_delete_task(3, now())
    migrate.downgrade(db.engine, "0002")
    db.close()
    assert old_schema.task_contents(path) == ["内容", "公开预算"]
    con = sqlite3.connect(path)
    try:
        cols = [r[1] for r in con.execute("PRAGMA table_info(task)")]
        assert "deleted_at" not in cols
        assert con.execute("SELECT count(*) FROM progress_entry").fetchone()[0] == 1  # history kept
    finally:
        con.close()


def _db_at_0003_with_units(tmp_path: Path) -> Path:
    return old_schema.database_at(
        tmp_path,
        "0003",
        "INSERT INTO unit (id, name) VALUES (1, '市审批局'), (2, '市发展和改革委员会')",
        "INSERT INTO unit_alias (unit_id, alias) VALUES (2, '市发改委')",
    )


def test_0004_keeps_units_and_their_other_names_and_stores_returns(tmp_path: Path) -> None:
    """Revision 0004 (directory kind/contact/order, unit_return) on a 0003 database with data in it."""
    from desktop_app.domain.directory import DEPARTMENT
    from desktop_app.storage.repository import UnitRepository
    from desktop_app.storage.tables import UnitReturnRow

    path = _db_at_0003_with_units(tmp_path)
    with Database(path) as db:
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        with db.session() as s:
            units = UnitRepository(s).all()
            assert [(u.name, u.aliases, u.kind, u.contact) for u in units] == [
                ("市发展和改革委员会", ["市发改委"], "其他", ""),
                ("市审批局", [], "其他", ""),
            ]
            UnitRepository(s).add("市审批局", ["审批局"], DEPARTMENT, "王五")
            s.add(UnitReturnRow(ledger_id=1, round_id=1, unit="市审批局", task_id=1, progress="已完成",
                                status="done", percent=100, file_name="a.docx", received_at=now()))
        with db.session() as s:
            u = [x for x in UnitRepository(s).all() if x.name == "市审批局"][0]
            assert (u.aliases, u.kind, u.contact) == (["审批局"], DEPARTMENT, "王五")
            assert s.query(UnitReturnRow).count() == 1
            assert LedgerRepository(s).summaries()[0].task_count == 3
    db = Database(path)
    migrate.downgrade(db.engine, "0003")
    db.close()
    con = sqlite3.connect(path)
    try:
        assert [r[1] for r in con.execute("PRAGMA table_info(unit)")] == ["id", "name"]
        assert con.execute("SELECT count(*) FROM unit_alias").fetchone()[0] == 2
        assert con.execute("SELECT name FROM sqlite_master WHERE name='unit_return'").fetchone() is None
    finally:
        con.close()


def test_0005_gives_every_existing_ledger_its_own_ident(tmp_path: Path) -> None:
    """Revision 0005 (ledger.ident) on a 0004 database with two ledgers in it."""
    path = old_schema.database_at(
        tmp_path,
        "0004",
        "INSERT INTO ledger (id, title, year, owner_unit, issuer, report_dates, columns, created_at,"
        " updated_at) SELECT 2, '第二本', year, owner_unit, issuer, report_dates, columns, created_at,"
        " updated_at FROM ledger WHERE id = 1",
    )
    with Database(path) as db:
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        with db.session() as s:
            repo = LedgerRepository(s)
            one, two = repo.get(1), repo.get(2)
            assert len(one.ident) == 32 and len(two.ident) == 32 and one.ident != two.ident
            assert [t.content for t in one.all_tasks()] == ["内容", "公开预算", "解读政策"]
            assert repo.get(1).ident == one.ident  # stable
    db = Database(path)
    migrate.downgrade(db.engine, "0004")
    db.close()
    con = sqlite3.connect(path)
    try:
        assert "ident" not in [r[1] for r in con.execute("PRAGMA table_info(ledger)")]
        assert con.execute("SELECT count(*) FROM task").fetchone()[0] == 3
    finally:
        con.close()


def test_0006_adds_the_score_sheet_to_a_0005_database_with_data(tmp_path: Path) -> None:
    """Revision 0006 (score_rule, score_deduction) on a 0005 database with a ledger and a return in it."""
    from desktop_app.domain.score import Deduction, ScoreRule
    from desktop_app.storage.score import ScoreRepository
    from desktop_app.storage.tables import UnitReturnRow

    path = old_schema.database_at(
        tmp_path,
        "0005",
        "INSERT INTO unit_return (ledger_id, round_id, unit, task_id, progress, status, percent, file_name,"
        " received_at) VALUES (1, 1, '市财政局', 1, '已公开', 'in_progress', 50, 'a.docx', '2023-08-10 09:00:00')",
    )
    with Database(path) as db:
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        with db.session() as s:
            assert s.query(UnitReturnRow).count() == 1
            assert [t.content for t in LedgerRepository(s).get(1).all_tasks()] == ["内容", "公开预算", "解读政策"]
            repo = ScoreRepository(s)
            assert repo.rule(2023) is None
            repo.set_rule(2023, ScoreRule(1, 2, 0.5))
            repo.replace_round(1, 1, 2023, [Deduction("市财政局", "late", "第1次报送逾期报送", 1.0)], now())
        with db.session() as s:
            repo = ScoreRepository(s)
            assert repo.rule(2023) == ScoreRule(1, 2, 0.5)
            assert [(d.unit, d.reason, d.points) for d in repo.for_year(2023)] == [("市财政局", "第1次报送逾期报送", 1.0)]
    db = Database(path)
    migrate.downgrade(db.engine, "0005")
    db.close()
    con = sqlite3.connect(path)
    try:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "score_rule" not in names and "score_deduction" not in names
        assert con.execute("SELECT count(*) FROM unit_return").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM task").fetchone()[0] == 3
    finally:
        con.close()


def _db_at_0007_with_a_submitted_round(tmp_path: Path) -> Path:
    snapshot = '{"title": "测试", "sections": [], "as_of": "2023-08-14", "public": true}'
    return old_schema.database_at(
        tmp_path,
        "0007",
        (
            "UPDATE report_round SET submitted_at='2023-08-15 10:00:00', file_name='报送.docx', snapshot=?"
            " WHERE id=1",
            (snapshot,),
        ),
        "INSERT INTO report_round (id, ledger_id, due_date, label) VALUES (2, 1, '2023-12-05', '')",
    )


def test_0008_archives_what_older_versions_sent_and_keeps_it_on_downgrade(tmp_path: Path) -> None:
    """Revision 0008 (report_submission, ledger anchor date, evidence checksums) on a 0007 database with a
    submitted round: the round's snapshot becomes its first archived submission; a later unmark keeps it;
    downgrade keeps the round's copy."""
    from desktop_app.storage.tables import SubmissionRow

    path = _db_at_0007_with_a_submitted_round(tmp_path)
    with Database(path) as db:
        with db.session() as s:
            assert s.query(SubmissionRow).count() == 1
            repo = LedgerRepository(s)
            (sub,) = repo.submissions(1)
            assert (sub.round_id, sub.file_name, sub.public, sub.withdrawn_at) == (1, "报送.docx", True, None)
            full = repo.get_submission(sub.id)
            assert full.snapshot["title"] == "测试" and str(full.as_of) == "2023-08-14"
            old_att = repo.attachments(1)[0]  # stored before 0008: no checksum, content intact
            assert old_att.sha256 is None and repo.attachment_data(old_att.id)
            assert repo.get(1).anchor_date is None
            repo.mark_submitted(2, "第二次.docx", {"title": "测试", "sections": [], "as_of": "2023-12-04"})
        with db.session() as s:
            repo = LedgerRepository(s)
            assert repo.unmark_submitted(1) == "报送.docx"
        with db.session() as s:
            repo = LedgerRepository(s)
            subs = {x.round_id: x for x in repo.submissions(1)}
            assert subs[1].withdrawn_at is not None and subs[2].withdrawn_at is None
            assert repo.get_round(1).submitted_at is None and repo.get_round(2).submitted_at is not None
    db = Database(path, migrate_schema=False)
    migrate.downgrade(db.engine, "0007")
    db.close()
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT name FROM sqlite_master WHERE name='report_submission'").fetchone() is None
        assert con.execute("SELECT file_name FROM report_round WHERE id=2").fetchone()[0] == "第二次.docx"
    finally:
        con.close()
