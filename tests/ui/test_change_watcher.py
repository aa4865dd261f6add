"""Several staff on one ledger, seen from the window: another person's edits appear (with who) on the
next poll of the change counter; an edit of a field someone else changed meanwhile shows both texts."""

from __future__ import annotations

import pytest

from desktop_app.services.context import AppContext
from desktop_app.ui.models.task_table_model import COLUMN_INDEX


@pytest.fixture
def other(city):
    """李四's program on the same database (a second writer's connection)."""
    ctx = AppContext.open(city.ctx.db_path, lock=False)
    ctx.db.person = "李四"
    yield ctx
    ctx.close()


def _first(city):
    return city.current_ledger().all_tasks()[0]


def _edit_content(city, task_id: int, text: str) -> bool:
    return city.model.setData(city.model.index(city.model.row_of_task(task_id), COLUMN_INDEX["content"]), text)


def test_another_persons_edit_appears_on_the_next_poll_with_who(city, other) -> None:
    task = _first(city)
    other.ledgers.update_task(task.id, "content", "李四改过的主要内容")
    assert city.model.task(task.id).content == task.content  # not yet: the window has not looked
    assert city.watcher.poll()
    assert city.model.task(task.id).content == "李四改过的主要内容"
    assert "李四" in city.statusBar().currentMessage()
    assert not city.watcher.poll()  # told once


def test_another_persons_new_section_reloads_the_ledger(city, other) -> None:
    ledger = city.current_ledger()
    other.ledgers.add_section(ledger.id, "五、李四加的板块")
    city.watcher.poll()
    assert "五、李四加的板块" in [s.title for s in city.current_ledger().sections]


def test_a_conflicting_edit_shows_both_texts_and_saves_the_merge(city, other) -> None:
    task = _first(city)
    other.ledgers.update_task(task.id, "content", "李四的文字")
    shown = []

    def choose(conflict):  # noqa: ANN001, ANN202
        shown.append((conflict.mine, conflict.theirs, conflict.person))
        return "合并：李四的文字＋张三的文字"

    city.actions_.resolve_conflict = choose
    assert _edit_content(city, task.id, "张三的文字")
    assert shown == [("张三的文字", "李四的文字", "李四")]
    assert other.ledgers.get_task(task.id).content == "合并：李四的文字＋张三的文字"
    assert city.model.task(task.id).content == "合并：李四的文字＋张三的文字"
    city.undo_history.group.activeStack().undo()  # undo goes back to the text the other person saved
    assert other.ledgers.get_task(task.id).content == "李四的文字"


def test_keeping_the_other_persons_text_writes_nothing(city, other) -> None:
    task = _first(city)
    other.ledgers.update_task(task.id, "content", "李四的文字")
    city.actions_.resolve_conflict = lambda conflict: None
    _edit_content(city, task.id, "张三的文字")
    assert other.ledgers.get_task(task.id).content == "李四的文字"
    assert city.model.task(task.id).content == "李四的文字"  # the window shows what is stored
    assert not city.undo_history.group.activeStack().canUndo()


def test_an_edit_of_another_field_is_no_conflict(city, other) -> None:
    task = _first(city)
    other.ledgers.update_task(task.id, "indicator", "李四改的指标")
    city.actions_.resolve_conflict = lambda conflict: pytest.fail("no conflict expected")
    assert _edit_content(city, task.id, "张三的文字")
    stored = other.ledgers.get_task(task.id)
    assert (stored.content, stored.indicator) == ("张三的文字", "李四改的指标")
