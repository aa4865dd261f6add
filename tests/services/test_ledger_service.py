"""Ledger use cases: editing, undo helpers, copy into next year, audit trail."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain.model import DeadlineKind, LedgerError, TaskStatus, UnitRole
from desktop_app.services.context import AppContext


def test_add_and_get_round_trip(ctx: AppContext, ledger) -> None:
    got = ctx.ledgers.get_ledger(ledger.id)
    assert [s.title for s in got.sections] == ["一、信息公开", "二、政策解读"]
    assert [t.number for t in got.all_tasks()] == ["1", "2", "3"]
    assert got.all_tasks()[0].deadline.due_date == date(2023, 11, 30)
    assert ctx.ledgers.list_ledgers()[0].task_count == 3


def test_update_task_reparses_units_and_deadline_and_audits(ctx: AppContext, ledger) -> None:
    tid = ledger.all_tasks()[0].id
    t = ctx.ledgers.update_task(tid, "units_text", "市发改委牵头，市财政局配合")
    assert [(u.name, u.role) for u in t.units] == [
        ("市发改委", UnitRole.LEAD),
        ("市财政局", UnitRole.COOPERATING),
    ]
    t = ctx.ledgers.update_task(tid, "deadline_text", "长期坚持")
    assert t.deadline.kind == DeadlineKind.ONGOING and t.deadline.due_date is None
    t = ctx.ledgers.update_task(tid, "status", TaskStatus.DONE)
    assert t.percent == 100
    events = ctx.ledgers.audit_events(ledger.id, tid)
    assert [e.field for e in events[:3]] == ["status", "deadline_text", "units_text"]
    assert events[1].old_value == "11月底" and events[1].new_value == "长期坚持"


def test_bad_percent_changes_nothing(ctx: AppContext, ledger) -> None:
    tid = ledger.all_tasks()[0].id
    with pytest.raises(LedgerError):
        ctx.ledgers.update_task(tid, "percent", 150)
    assert ctx.ledgers.get_task(tid).percent == 0


def test_delete_and_restore_task_keeps_place(ctx: AppContext, ledger) -> None:
    first, second, _ = ledger.all_tasks()
    gone = ctx.ledgers.delete_task(first.id)
    assert [t.number for t in ctx.ledgers.get_ledger(ledger.id).sections[0].tasks] == ["2"]
    ctx.ledgers.restore_task(gone)
    assert [t.number for t in ctx.ledgers.get_ledger(ledger.id).sections[0].tasks] == ["1", "2"]


def test_move_task_between_sections(ctx: AppContext, ledger) -> None:
    first = ledger.all_tasks()[0]
    target = ledger.sections[1].id
    ctx.ledgers.move_task(first.id, target, 1)
    got = ctx.ledgers.get_ledger(ledger.id)
    assert [t.number for t in got.sections[0].tasks] == ["2"]
    assert [t.number for t in got.sections[1].tasks] == ["3", "1"]


def test_sections_add_delete_restore(ctx: AppContext, ledger) -> None:
    sec = ctx.ledgers.add_section(ledger.id, "三、基础工作", position=1)
    got = ctx.ledgers.get_ledger(ledger.id)
    assert [s.title for s in got.sections] == ["一、信息公开", "三、基础工作", "二、政策解读"]
    ctx.ledgers.rename_section(sec.id, "三、夯实基础")
    removed = ctx.ledgers.delete_section(ledger.sections[0].id)
    assert len(removed.tasks) == 2
    ctx.ledgers.restore_section(ledger.id, removed)
    got = ctx.ledgers.get_ledger(ledger.id)
    assert [s.title for s in got.sections] == ["一、信息公开", "三、夯实基础", "二、政策解读"]
    assert len(got.all_tasks()) == 3


def test_copy_to_next_year_carries_unfinished(ctx: AppContext, ledger) -> None:
    tasks = ledger.all_tasks()
    ctx.ledgers.update_task(tasks[1].id, "status", "done")
    new = ctx.ledgers.copy_to_next_year(ledger.id).ledger
    assert new.year == 2024 and "2024" in new.title
    got = ctx.ledgers.get_ledger(new.id)
    assert [t.content for t in got.all_tasks()] == ["公开财政预决算", "解读政策"]
    assert got.all_tasks()[0].deadline.due_date == date(2024, 11, 30)


def test_rename_empty_refused(ctx: AppContext, ledger) -> None:
    with pytest.raises(LedgerError):
        ctx.ledgers.rename_ledger(ledger.id, "  ")


def test_relative_deadline_resolves_with_anchor(ctx: AppContext, ledger) -> None:
    tid = ledger.all_tasks()[0].id
    t = ctx.ledgers.update_task(tid, "deadline_text", "文件公布后3个工作日内")
    assert t.deadline.kind == DeadlineKind.RELATIVE and t.deadline.due_date is None
    t = ctx.ledgers.update_task(tid, "anchor_date", date(2023, 9, 28))  # before the National Day holiday
    assert t.deadline.due_date == date(2023, 10, 9)


def test_undo_of_delete_brings_back_history_and_evidence(ctx: AppContext, ledger, tmp_path) -> None:
    tid = ledger.all_tasks()[0].id
    ctx.progress.add_entry(tid, "第一次", TaskStatus.IN_PROGRESS, 20, entry_date=date(2023, 5, 1))
    ctx.progress.add_entry(tid, "第二次", TaskStatus.IN_PROGRESS, 40, entry_date=date(2023, 6, 1))
    f = tmp_path / "佐证.pdf"
    f.write_bytes(b"%PDF-1.4 test")
    ctx.progress.add_attachment(tid, f)
    gone = ctx.ledgers.delete_task(tid)
    back = ctx.ledgers.restore_task(gone)
    assert [e.text for e in ctx.progress.history(back.id)] == ["第二次", "第一次"]
    atts = ctx.progress.attachments(back.id)
    assert [a.file_name for a in atts] == ["佐证.pdf"]
    assert ctx.progress.attachment_data(atts[0].id) == b"%PDF-1.4 test"
    assert ctx.ledgers.get_task(back.id).progress == "第二次"
