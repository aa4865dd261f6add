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


def test_delete_moves_the_task_to_the_bin_and_says_so(city):
    task = next(t for t in city.model.tasks() if t.number == "7")
    city.task_view.select_task(task.id)
    city.progress_editor.text.insertPlainText("删除前刚输入的进展")  # typed, not yet saved
    city.delete_tasks()  # one task: no question (ask_confirm would fail the test), a clear message
    assert "已移到回收站（Ctrl+Z 撤销）" in city.statusBar().currentMessage()
    (binned,) = city.ctx.ledgers.recycle_bin()
    assert binned.task.id == task.id
    assert binned.task.progress == "删除前刚输入的进展"  # saved to its task before it went
    assert city.model.total_count == 38
    city.undo_stack.undo()
    assert city.ctx.ledgers.recycle_bin() == []
    assert city.model.row_of_task(task.id) >= 0  # back with the same id
    assert city.ctx.ledgers.get_task(task.id).progress == "删除前刚输入的进展"


def test_each_ledger_keeps_its_undo_history_while_the_program_runs(city):
    city_id = city.current_ledger().id
    task = next(t for t in city.model.tasks() if t.number == "4")
    assert city.actions_.edit(task.id, "content", "市里的改动")
    other = city.ctx.ledgers.create_ledger("县台账", 2023)
    city.reload_ledgers(select=other.id)
    city.open_ledger(other.id)
    assert not city.undo_stack.canUndo()  # the other ledger's history is its own
    assert not city.acts.undo.isEnabled()
    city.actions_.add_section(other.id, "一、县里的板块")
    assert city.acts.undo.isEnabled() and "新增板块" in city.acts.undo.text()

    city.open_ledger(city_id)  # back: the city's history is still there
    assert city.undo_stack.canUndo() and "修改主要内容" in city.acts.undo.text()
    city.acts.undo.trigger()
    assert city.ctx.ledgers.get_task(task.id).content == task.content
    city.open_ledger(other.id)
    city.acts.undo.trigger()  # undoes the county's section, not anything of the city
    assert [s.title for s in city.ctx.ledgers.get_ledger(other.id).sections] == [None]
    city.open_ledger(city_id)
    assert city.undo_stack.canRedo()
    city.acts.redo.trigger()
    assert city.ctx.ledgers.get_task(task.id).content == "市里的改动"


def test_a_deleted_ledger_takes_its_history_with_it(city, monkeypatch):
    city_id = city.current_ledger().id
    task = city.model.tasks()[0]
    city.actions_.edit(task.id, "content", "改动")
    other = city.ctx.ledgers.create_ledger("县台账", 2023)
    city.open_ledger(other.id)
    monkeypatch.setattr(city, "ask_confirm", lambda text: True)
    city.delete_ledger()
    assert city.current_ledger().id == city_id
    assert city.undo_stack.canUndo()  # the city's history survived the other ledger's deletion
    assert city.undo_history.ledger_ids() == [city_id]


def test_toolbar_undo_keeps_its_width(city, qtbot):
    """The toolbar's 撤销 says only 撤销 (tooltip: what), so the toolbar never changes width."""
    from PySide6.QtWidgets import QToolBar

    toolbar = city.findChild(QToolBar, "mainToolBar")
    proxy = city.acts.toolbar_undo
    button = toolbar.widgetForAction(proxy)
    before = button.sizeHint().width()
    assert not proxy.isEnabled()
    first = city.model.tasks()[0]
    city.model.setData(city.model.index(city.model.row_of_task(first.id), 2), "改过的主要内容")
    assert proxy.isEnabled() and proxy.text() == "撤销"
    assert "修改主要内容" in proxy.toolTip()
    assert button.sizeHint().width() == before
    proxy.trigger()
    assert city.model.task(first.id).content != "改过的主要内容"
