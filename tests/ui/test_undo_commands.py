"""Undo and redo of progress edits restore every field the edit changed, with its original dates."""

from __future__ import annotations

import re
from datetime import date

from desktop_app.domain import clock
from desktop_app.domain.model import TaskStatus


def _select(w, number: str):
    task = next(t for t in w.model.tasks() if t.number == number)
    w.task_view.select_task(task.id)
    return task


def _stale_in_label(w) -> int:
    m = re.search(r"(\d+) 项待更新", w.report_label.text())
    assert m, w.report_label.text()
    return int(m.group(1))


def _with_report_dates(w):
    lid = w.current_ledger().id
    w.ctx.progress.set_report_dates(lid, [date(2023, 6, 15), date(2023, 8, 15)])
    w.refresh_statuses()
    return lid


def test_undo_of_a_progress_edit_restores_last_updated_and_the_stale_count(city):
    lid = _with_report_dates(city)
    task = _select(city, "2")
    assert task.progress_updated_at is None
    stale = _stale_in_label(city)
    stored = city.ctx.progress.next_report(lid, clock.today())[2]
    for field, value in (("progress", "已公开 5 条"), ("status", TaskStatus.DONE.value), ("percent", 40)):
        assert city.actions_.edit(task.id, field, value)
        assert _stale_in_label(city) == stale - 1
        city.undo_stack.undo()
        fresh = city.ctx.ledgers.get_task(task.id)
        assert fresh.progress_updated_at is None, field  # 最后更新 as before the edit
        assert (fresh.progress, fresh.status, fresh.percent) == ("", TaskStatus.NOT_STARTED, 0)
        assert _stale_in_label(city) == stale, field
        assert city.ctx.progress.next_report(lid, clock.today())[2] == stored  # and after a restart
        assert "尚未填写进展" in city.progress_editor.saved_label.text()


def test_redo_of_a_progress_edit_keeps_its_time(city):
    task = _select(city, "3")
    city.actions_.edit(task.id, "status", TaskStatus.DONE.value)
    done = city.ctx.ledgers.get_task(task.id)
    assert (done.status, done.percent) == (TaskStatus.DONE, 100)
    city.undo_stack.undo()
    assert city.ctx.ledgers.get_task(task.id).percent == 0  # the linked 100% went back too
    city.undo_stack.redo()
    again = city.ctx.ledgers.get_task(task.id)
    assert (again.status, again.percent, again.progress_updated_at) == (
        TaskStatus.DONE,
        100,
        done.progress_updated_at,
    )


def test_redo_of_a_journal_entry_keeps_its_date(city, monkeypatch):
    lid = _with_report_dates(city)
    city.ctx.settings.set("contact_person", "李四")  # no 填报人 question in this test
    task = _select(city, "5")
    editor = city.progress_editor
    editor.text.setPlainText("已发布 3 条养老服务信息")
    editor.percent_spin.setValue(30)  # saves the text, then the percent: two edits of their own
    before = city.ctx.ledgers.get_task(task.id)
    editor.add_entry_button.click()
    (entry,) = city.ctx.progress.history(task.id)
    assert entry.entry_date == date(2023, 7, 1)
    recorded = city.ctx.ledgers.get_task(task.id).progress_updated_at

    monkeypatch.setenv("LEDGER_TODAY", "2023-07-09")  # undone and redone a week later
    city.undo_stack.undo()
    undone = city.ctx.ledgers.get_task(task.id)
    assert city.ctx.progress.history(task.id) == []
    assert (undone.progress, undone.status, undone.percent, undone.progress_updated_at) == (
        before.progress,
        before.status,
        before.percent,
        before.progress_updated_at,
    )
    city.undo_stack.redo()
    (again,) = city.ctx.progress.history(task.id)
    assert (again.entry_date, again.text, again.percent) == (date(2023, 7, 1), "已发布 3 条养老服务信息", 30)
    assert again.created_at == entry.created_at
    assert city.ctx.ledgers.get_task(task.id).progress_updated_at == recorded
    assert editor.history.topLevelItem(0).text(0) == "2023-07-01"
    assert lid == city.current_ledger().id
