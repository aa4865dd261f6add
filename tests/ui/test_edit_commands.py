"""Ledger commands refuse quietly when there is nothing to act on, and ask before destroying."""

from __future__ import annotations


def test_nothing_to_do_without_a_ledger(window):
    for command in (
        window.add_task,
        window.delete_tasks,
        window.rename_ledger,
        window.delete_ledger,
        window.copy_to_next_year,
        window.edit_report_dates,
        window.add_section,
    ):
        command()  # no dialog, no error
    assert window.summaries() == []


def test_move_refused_while_sorted(city):
    task = city.model.tasks()[3]
    city.task_view.select_task(task.id)
    city.task_view.horizontalHeader().setSortIndicator(
        0, city.task_view.horizontalHeader().sortIndicatorOrder()
    )
    city.move_task(1)
    assert "恢复原表顺序" in city.statusBar().currentMessage()


def test_deleting_several_tasks_asks_first(city, monkeypatch):
    ids = [t.id for t in city.model.tasks()[:3]]
    monkeypatch.setattr(city.task_view, "selected_task_ids", lambda: ids)
    monkeypatch.setattr(city, "ask_confirm", lambda text: False)
    city.delete_tasks()
    assert city.model.total_count == 39
    monkeypatch.setattr(city, "ask_confirm", lambda text: "3 项任务" in text)
    city.delete_tasks()
    assert city.model.total_count == 36
    city.undo_stack.undo()  # one macro: all three come back
    assert city.model.total_count == 39
