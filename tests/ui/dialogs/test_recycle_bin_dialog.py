"""The 回收站 dialog: lists deleted tasks, restores the selected ones with their history and
evidence, empties only on request with a confirmation; and the window's 回收站 action."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain.model import TaskStatus
from desktop_app.ui.dialogs.recycle_bin_dialog import COLUMNS, RecycleBinDialog


def _task(w, number: str):
    return next(t for t in w.model.tasks() if t.number == number)


@pytest.fixture
def binned(city, tmp_path):
    """Tasks 3 and 4 of the city ledger deleted with the Delete command; 3 has history and evidence."""
    t3, t4 = _task(city, "3"), _task(city, "4")
    city.ctx.progress.add_entry(t3.id, "三月进展", TaskStatus.IN_PROGRESS, 30, entry_date=date(2023, 3, 1))
    f = tmp_path / "佐证.docx"
    f.write_bytes(b"PK evidence")
    city.ctx.progress.add_attachment(t3.id, f)
    for t in (t3, t4):
        city.task_view.select_task(t.id)
        city.delete_tasks()
    assert city.model.total_count == 37
    return city, t3, t4


def test_lists_deleted_tasks_with_ledger_section_content_and_time(qtbot, binned):
    city, t3, t4 = binned
    dialog = RecycleBinDialog(city.ctx, city.current_ledger().id, city)
    qtbot.addWidget(dialog)
    assert dialog.objectName() == "recycleBinDialog"
    assert [dialog.list.headerItem().text(i) for i in range(len(COLUMNS))] == COLUMNS
    assert dialog.list.topLevelItemCount() == 2
    rows = {dialog.list.topLevelItem(i).text(2): dialog.list.topLevelItem(i) for i in range(2)}
    item = rows["3"]
    assert item.text(0) == city.current_ledger().title
    assert item.text(1) == next(s.title for s in city.model.sections() if s.id == t3.section_id)
    assert item.text(3) == " ".join(t3.content.split())[:120]
    assert item.text(4).startswith("20")  # when it was deleted
    assert "2 项任务" in dialog.info.text()
    assert not dialog.restore_button.isEnabled()  # nothing selected yet


def test_restore_selected_brings_back_history_and_evidence(qtbot, binned):
    city, t3, t4 = binned
    dialog = RecycleBinDialog(city.ctx, city.current_ledger().id, city)
    qtbot.addWidget(dialog)
    dialog.select_ids([t3.id])
    assert dialog.restore_button.isEnabled()
    dialog.restore_button.click()
    assert [r.task.id for r in dialog.items()] == [t4.id]
    assert dialog.changed and [t.id for t in dialog.restored] == [t3.id]
    assert [e.text for e in city.ctx.progress.history(t3.id)] == ["三月进展"]
    assert [a.file_name for a in city.ctx.progress.attachments(t3.id)] == ["佐证.docx"]


def test_emptying_asks_first_and_a_no_keeps_everything(qtbot, binned, monkeypatch):
    city, t3, t4 = binned
    dialog = RecycleBinDialog(city.ctx, None, city)
    qtbot.addWidget(dialog)
    asked = []
    monkeypatch.setattr(dialog, "ask_confirm", lambda text: asked.append(text) or False)
    dialog.empty_button.click()
    assert asked and "不能恢复" in asked[0] and "2 项任务" in asked[0]
    assert len(city.ctx.ledgers.recycle_bin()) == 2 and not dialog.changed
    monkeypatch.setattr(dialog, "ask_confirm", lambda text: True)
    dialog.empty_button.click()
    assert city.ctx.ledgers.recycle_bin() == [] and dialog.list.topLevelItemCount() == 0
    assert city.ctx.progress.history(t3.id) == []
    assert not dialog.empty_button.isEnabled() and "空的" in dialog.info.text()


def test_purge_selected_only(qtbot, binned, monkeypatch):
    city, t3, t4 = binned
    dialog = RecycleBinDialog(city.ctx, city.current_ledger().id, city)
    qtbot.addWidget(dialog)
    dialog.only_current.setChecked(True)
    dialog.select_ids([t4.id])
    monkeypatch.setattr(dialog, "ask_confirm", lambda text: "1 项任务" in text)
    dialog.purge_button.click()
    assert [r.task.id for r in city.ctx.ledgers.recycle_bin()] == [t3.id]


def test_window_action_opens_it_and_shows_what_came_back(binned, monkeypatch):
    city, t3, t4 = binned
    seen = []

    def run(dialog):
        seen.append(dialog)
        dialog.select_ids([t3.id, t4.id])
        dialog.restore_button.click()
        dialog.accept()
        return True

    monkeypatch.setattr(city, "run_dialog", run)
    city.acts.recycle_bin.trigger()
    assert isinstance(seen[0], RecycleBinDialog)
    assert city.model.total_count == 39
    assert city.model.row_of_task(t3.id) >= 0 and city.model.row_of_task(t4.id) >= 0
    assert "恢复 2 项任务" in city.statusBar().currentMessage()
    assert city.summaries()[0].task_count == 39
    # the Delete commands are still on the undo stack: undoing them now changes nothing twice
    city.undo_stack.undo()
    city.undo_stack.undo()
    assert city.model.total_count == 39


def test_window_action_cancelled_changes_nothing(binned, monkeypatch):
    city, _t3, _t4 = binned
    monkeypatch.setattr(city, "run_dialog", lambda dialog: dialog.reject() or False)
    city.acts.recycle_bin.trigger()
    assert city.model.total_count == 37 and len(city.ctx.ledgers.recycle_bin()) == 2


def test_undo_of_delete_after_the_bin_was_emptied_says_why(binned, monkeypatch):
    city, _t3, _t4 = binned
    city.ctx.ledgers.empty_recycle_bin()
    city.undo_stack.undo()
    assert any("清除" in e for e in city.errors)
    assert city.model.total_count == 37
