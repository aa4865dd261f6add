"""LedgerService's recycle bin (回收站): delete moves a task there, it is seen nowhere else, restore
brings it back with its history and evidence, only an explicit request empties it."""

from __future__ import annotations

import json
from datetime import date

import pytest

from desktop_app.domain.model import LedgerError, TaskStatus
from desktop_app.services.context import AppContext


def _with_history(ctx: AppContext, tid: int, tmp_path) -> None:
    ctx.progress.add_entry(tid, "第一次", TaskStatus.IN_PROGRESS, 20, entry_date=date(2023, 5, 1))
    f = tmp_path / "佐证.pdf"
    f.write_bytes(b"%PDF-1.4 test")
    ctx.progress.add_attachment(tid, f)


def test_deleted_task_is_listed_in_the_bin_and_nowhere_else(ctx: AppContext, ledger, tmp_path) -> None:
    first = ledger.all_tasks()[0]
    _with_history(ctx, first.id, tmp_path)
    ctx.ledgers.delete_task(first.id)

    got = ctx.ledgers.get_ledger(ledger.id)
    assert [t.number for t in got.all_tasks()] == ["2", "3"]
    assert ctx.ledgers.list_ledgers()[0].task_count == 2
    assert first.id not in ctx.progress.history_for_ledger(ledger.id)
    with pytest.raises(LedgerError):
        ctx.ledgers.get_task(first.id)
    with pytest.raises(LedgerError):  # an edit typed for it meanwhile is refused, not lost silently
        ctx.ledgers.update_task(first.id, "progress", "迟到的文字")
    out = ctx.exports.export(ledger.id, "json", tmp_path / "out.json")
    assert "公开财政预决算" not in out.read_text(encoding="utf-8")
    assert "公开重大项目" in out.read_text(encoding="utf-8")

    (item,) = ctx.ledgers.recycle_bin()
    assert item.task.id == first.id and item.task.content == "公开财政预决算"
    assert (item.ledger_title, item.section_title) == (ledger.title, "一、信息公开")
    assert item.deleted_at is not None
    assert ctx.ledgers.recycle_bin(ledger.id) == [item]
    assert ctx.ledgers.recycle_bin(ledger.id + 1) == []


def test_stale_count_excludes_the_bin(ctx: AppContext, ledger) -> None:
    ctx.progress.set_report_dates(ledger.id, [date(2099, 8, 15)])
    assert ctx.progress.next_report(ledger.id, date(2099, 1, 1))[2] == 3
    ctx.ledgers.delete_task(ledger.all_tasks()[0].id)
    assert ctx.progress.next_report(ledger.id, date(2099, 1, 1))[2] == 2


def test_restore_from_bin_same_id_place_history_evidence(ctx: AppContext, ledger, tmp_path) -> None:
    first = ledger.all_tasks()[0]
    _with_history(ctx, first.id, tmp_path)
    ctx.ledgers.delete_task(first.id)
    ctx.ledgers.update_task(ledger.all_tasks()[1].id, "content", "改过")  # the ledger moved on meanwhile
    (back,) = ctx.ledgers.restore_from_bin([first.id])
    assert back.id == first.id
    got = ctx.ledgers.get_ledger(ledger.id)
    assert [t.number for t in got.sections[0].tasks] == ["1", "2"]
    assert [t.position for t in got.sections[0].tasks] == [0, 1]
    assert [e.text for e in ctx.progress.history(first.id)] == ["第一次"]
    (att,) = ctx.progress.attachments(first.id)
    assert ctx.progress.attachment_data(att.id) == b"%PDF-1.4 test"
    assert ctx.ledgers.recycle_bin() == []
    assert [e.action for e in ctx.ledgers.audit_events(ledger.id, first.id)][:2] == ["restore", "delete"]


def test_empty_bin_only_on_request_and_then_for_good(ctx: AppContext, ledger, tmp_path) -> None:
    first, second, third = ledger.all_tasks()
    _with_history(ctx, first.id, tmp_path)
    for t in (first, second):
        ctx.ledgers.delete_task(t.id)
    assert len(ctx.ledgers.recycle_bin()) == 2  # still there: nothing empties it by itself
    assert ctx.ledgers.empty_recycle_bin([second.id]) == 1
    assert [r.task.id for r in ctx.ledgers.recycle_bin()] == [first.id]
    assert ctx.ledgers.empty_recycle_bin() == 1
    assert ctx.ledgers.recycle_bin() == []
    assert ctx.progress.history(first.id) == [] and ctx.progress.attachments(first.id) == []
    with pytest.raises(LedgerError) as err:
        ctx.ledgers.restore_task(first.id)
    assert "清除" in err.value.message
    with pytest.raises(LedgerError):
        ctx.ledgers.restore_from_bin([second.id])
    assert [t.id for t in ctx.ledgers.get_ledger(ledger.id).all_tasks()] == [third.id]


def test_deleted_section_goes_to_the_bin_with_its_tasks(ctx: AppContext, ledger, tmp_path) -> None:
    sec1, sec2 = ledger.sections
    tid = sec1.tasks[0].id
    _with_history(ctx, tid, tmp_path)
    gone = ctx.ledgers.delete_section(sec1.id)
    got = ctx.ledgers.get_ledger(ledger.id)
    assert [s.title for s in got.sections] == ["二、政策解读"] and got.sections[0].position == 0
    assert ctx.ledgers.list_ledgers()[0].task_count == 1
    assert sorted(r.task.number for r in ctx.ledgers.recycle_bin()) == ["1", "2"]
    back = ctx.ledgers.restore_section(ledger.id, gone)  # undo of 删除板块
    assert [t.number for t in back.tasks] == ["1", "2"]
    got = ctx.ledgers.get_ledger(ledger.id)
    assert [s.title for s in got.sections] == ["一、信息公开", "二、政策解读"]
    assert [e.text for e in ctx.progress.history(tid)] == ["第一次"]  # history survives (it did not)
    assert ctx.ledgers.recycle_bin() == []


def test_restoring_one_task_of_a_deleted_section_brings_the_section_back(ctx: AppContext, ledger) -> None:
    sec1 = ledger.sections[0]
    ctx.ledgers.delete_section(sec1.id)
    ctx.ledgers.restore_from_bin([sec1.tasks[1].id])
    got = ctx.ledgers.get_ledger(ledger.id)
    assert [s.title for s in got.sections] == ["一、信息公开", "二、政策解读"]
    assert [t.number for t in got.sections[0].tasks] == ["2"]
    assert [r.task.number for r in ctx.ledgers.recycle_bin()] == ["1"]
    ctx.ledgers.empty_recycle_bin()
    assert [t.number for t in ctx.ledgers.get_ledger(ledger.id).all_tasks()] == ["2", "3"]


def test_emptying_removes_sections_left_empty_in_the_bin(ctx: AppContext, ledger) -> None:
    sec2 = ledger.sections[1]
    ctx.ledgers.delete_section(sec2.id)
    ctx.ledgers.empty_recycle_bin()
    with pytest.raises(LedgerError):
        ctx.ledgers.restore_section(ledger.id, sec2)
    assert [s.title for s in ctx.ledgers.get_ledger(ledger.id).sections] == ["一、信息公开"]


def test_undo_of_a_new_task_does_not_fill_the_bin(ctx: AppContext, ledger) -> None:
    sec = ledger.sections[0]
    task = ctx.ledgers.add_task(sec.id, 0)
    snap = ctx.ledgers.discard_task(task.id)
    assert ctx.ledgers.recycle_bin() == []
    again = ctx.ledgers.reinsert_task(snap)
    assert [t.id for t in ctx.ledgers.get_ledger(ledger.id).sections[0].tasks][0] == again.id


def test_json_of_a_ledger_with_a_binned_task(ctx: AppContext, ledger, tmp_path) -> None:
    ctx.ledgers.delete_task(ledger.all_tasks()[2].id)
    data = json.loads(ctx.exports.export(ledger.id, "json", tmp_path / "x.json").read_text(encoding="utf-8"))
    assert "解读政策" not in json.dumps(data, ensure_ascii=False)


def test_undo_of_a_section_delete_after_one_task_came_back_from_the_bin(ctx: AppContext, ledger) -> None:
    sec1 = ledger.sections[0]
    gone = ctx.ledgers.delete_section(sec1.id)
    ctx.ledgers.restore_from_bin([sec1.tasks[1].id])  # brings the section back with task 2 only
    ctx.ledgers.restore_section(ledger.id, gone)  # then Ctrl+Z of 删除板块: task 1 comes too
    got = ctx.ledgers.get_ledger(ledger.id)
    assert [t.number for t in got.sections[0].tasks] == ["1", "2"]
    assert ctx.ledgers.recycle_bin() == []
