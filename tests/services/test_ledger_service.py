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


def test_the_ledger_anchor_date_gives_relative_deadlines_their_due_dates(ctx) -> None:
    """通知印发/收到日期 on the ledger: every relative deadline without a date of its own counts from it
    (working days by the calendar), at once; a task with its own anchor keeps it; a deadline typed
    later as relative counts from the ledger's date; the date travels in the JSON form."""
    from datetime import date

    from desktop_app.domain.deadlines import parse_deadline
    from desktop_app.domain.model import Ledger, Section, Task
    from desktop_app.domain.serialize import ledger_from_dict, ledger_to_dict

    def task(n: str, text: str) -> Task:
        return Task(number=n, content=f"任务{n}", deadline=parse_deadline(text, 2024))

    ledger = ctx.ledgers.add_ledger(
        Ledger(
            title="相对时限测试",
            year=2024,
            sections=[Section(tasks=[task("1", "收到通知后3个工作日内"), task("2", "印发后1个月内"),
                                     task("3", "收到通知后5个工作日内"), task("4", "6月底前")])],
        )
    )
    t1, t2, t3, t4 = ledger.all_tasks()
    assert t1.deadline.due_date is None
    ctx.ledgers.update_task(t3.id, "anchor_date", date(2024, 3, 1))  # its own date
    ctx.ledgers.update_ledger(ledger.id, anchor_date=date(2024, 4, 26))  # a Friday before 劳动节
    got = {t.number: t.deadline for t in ctx.ledgers.get_ledger(ledger.id).all_tasks()}
    assert got["1"].anchor_date == date(2024, 4, 26)
    assert got["1"].due_date == date(2024, 4, 30)  # 4/28 (Sun) is a 调休 workday: 4/28, 4/29, 4/30
    assert got["2"].due_date is not None and got["2"].due_date.month == 5
    assert got["3"].anchor_date == date(2024, 3, 1)  # kept
    assert got["4"].anchor_date is None and got["4"].due_date == date(2024, 6, 30)
    ctx.ledgers.update_task(t4.id, "deadline_text", "收到通知后1个工作日内")
    assert ctx.ledgers.get_task(t4.id).deadline.anchor_date == date(2024, 4, 26)
    stored = ctx.ledgers.get_ledger(ledger.id)
    assert stored.anchor_date == date(2024, 4, 26)
    assert ledger_from_dict(ledger_to_dict(stored))[0].anchor_date == date(2024, 4, 26)


def test_search_across_every_ledger_and_year_finds_text_progress_and_journal(ctx) -> None:
    """回头看: "what did we report on 政策解读 last year" — across ledgers and years, in the content,
    the current progress and the journal; the newest year first; % in the words taken literally."""
    from desktop_app.domain.model import Ledger, Section, Task

    def ledger(year: int, tasks: list[Task]) -> Ledger:
        return ctx.ledgers.add_ledger(Ledger(title=f"{year}年台账", year=year, sections=[Section(tasks=tasks)]))

    old = ledger(2022, [Task(number="5", content="做好政策解读工作"), Task(number="6", content="公开财政预决算")])
    new = ledger(2023, [Task(number="2", content="优化政务服务", progress="完成政策解读 12 篇"),
                        Task(number="3", content="增长 50%以上")])
    fin = old.all_tasks()[1]
    ctx.progress.add_entry(fin.id, "三月：配合政策解读发布预算说明", "in_progress", 30)
    ctx.ledgers.update_task(fin.id, "progress", "六月：预决算全部公开")  # now only the journal says it
    hits = ctx.ledgers.search_all("政策解读")
    assert [(h.year, h.number, h.where[:4]) for h in hits] == [
        (2023, "2", "当前进展"), (2022, "5", "主要内容"), (2022, "6", "进展记录"),
    ]
    assert hits[0].ledger_id == new.id and "政策解读" in hits[0].excerpt
    assert [h.number for h in ctx.ledgers.search_all("50%")] == ["3"]
    assert ctx.ledgers.search_all("0%以上x") == []
    ctx.ledgers.delete_task(old.all_tasks()[0].id)  # in the recycle bin: not found
    assert [h.number for h in ctx.ledgers.search_all("政策解读")] == ["2", "6"]
    with pytest.raises(LedgerError):
        ctx.ledgers.search_all("政")
