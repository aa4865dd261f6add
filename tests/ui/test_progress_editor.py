"""The docked progress editor: autosave, undo, status and percent, history entries, evidence."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QPlainTextEdit, QSpinBox, QTreeWidget

from desktop_app.domain.model import TaskStatus
from desktop_app.ui.models.task_table_model import COLUMN_INDEX
from desktop_app.ui.widgets.progress_editor import ProgressEditor

REAL_ASK_PERSON = ProgressEditor.ask_person  # before the autouse fixture replaces it


def _select(w, number: str):
    task = next(t for t in w.model.tasks() if t.number == number)
    w.task_view.select_task(task.id)
    return task


def test_editor_follows_the_selection(city):
    editor = city.findChild(QPlainTextEdit, "progressText").parent().parent().parent()
    assert city.progress_editor.objectName() == "progressEditor"
    assert city.findChild(QComboBox, "statusCombo") is city.progress_editor.status_combo
    assert city.findChild(QSpinBox, "percentSpin") is city.progress_editor.percent_spin
    assert city.findChild(QTreeWidget, "historyView") is city.progress_editor.history
    task = _select(city, "3")
    assert city.progress_editor.task().id == task.id
    assert "主要内容" in city.progress_editor.detail.toPlainText()
    assert editor is not None


def test_typing_saves_after_idle_and_undoes(city, qtbot):
    task = _select(city, "2")
    editor = city.progress_editor
    editor.text.setFocus()
    qtbot.keyClicks(editor.text, "abc 123")
    assert editor.dirty
    qtbot.waitUntil(lambda: not editor.dirty, timeout=5000)  # the idle timer saved it
    assert city.ctx.ledgers.get_task(task.id).progress == "abc 123"
    cell = city.model.index(city.model.row_of_task(task.id), COLUMN_INDEX["progress"])
    assert cell.data() == "abc 123"
    city.undo_stack.undo()
    assert city.ctx.ledgers.get_task(task.id).progress == ""
    assert editor.text.toPlainText() == ""


def test_switching_tasks_saves_pending_text(city, qtbot):
    task = _select(city, "2")
    qtbot.keyClicks(city.progress_editor.text, "pending")
    _select(city, "3")
    assert city.ctx.ledgers.get_task(task.id).progress == "pending"


def test_status_combo_and_percent(city, monkeypatch):
    task = _select(city, "4")
    editor = city.progress_editor
    monkeypatch.setattr(editor, "ask_done_percent", lambda t: "full")  # 已完成 at 0 %: set 100 %
    editor.status_combo.setCurrentIndex(editor.status_combo.findData(TaskStatus.DONE.value))
    assert city.ctx.ledgers.get_task(task.id).status == TaskStatus.DONE
    assert city.ctx.ledgers.get_task(task.id).percent == 100
    status = city.model.index(city.model.row_of_task(task.id), COLUMN_INDEX["status"])
    assert status.data() == "已完成"
    editor.percent_spin.setValue(80)
    assert city.ctx.ledgers.get_task(task.id).percent == 80
    city.undo_stack.undo()
    city.undo_stack.undo()
    fresh = city.ctx.ledgers.get_task(task.id)
    assert (fresh.status, fresh.percent) == (TaskStatus.NOT_STARTED, 0)
    assert editor.status_combo.currentData() == TaskStatus.NOT_STARTED.value


def test_done_and_full_percent_agree_in_the_panel(city, monkeypatch):
    """The table's questions asked in the progress panel too: 已完成 at 60 % offers 100 % (one undo
    step) or 推进中, a cancel puts the field back; 100 % asks whether the task is 已完成."""
    task = _select(city, "6")
    editor = city.progress_editor
    editor.percent_spin.setValue(60)
    assert city.ctx.ledgers.get_task(task.id).percent == 60
    asked: list[tuple[str, int]] = []
    answers = iter(["keep", None, "full"])
    monkeypatch.setattr(editor, "ask_done_percent", lambda t: asked.append(("done", t.percent)) or next(answers))
    done = editor.status_combo.findData(TaskStatus.DONE.value)
    editor.status_combo.setCurrentIndex(done)  # 保持推进中
    fresh = city.ctx.ledgers.get_task(task.id)
    assert (fresh.status, fresh.percent) == (TaskStatus.IN_PROGRESS, 60)
    assert editor.status_combo.currentData() == TaskStatus.IN_PROGRESS.value
    editor.status_combo.setCurrentIndex(done)  # 取消: nothing changes, the combo shows 推进中 again
    assert city.ctx.ledgers.get_task(task.id).status == TaskStatus.IN_PROGRESS
    assert editor.status_combo.currentData() == TaskStatus.IN_PROGRESS.value
    steps = city.undo_stack.count()
    editor.status_combo.setCurrentIndex(done)  # 设为已完成，进度 100%
    fresh = city.ctx.ledgers.get_task(task.id)
    assert (fresh.status, fresh.percent) == (TaskStatus.DONE, 100)
    assert editor.percent_spin.value() == 100
    assert city.undo_stack.count() == steps + 1  # one step
    assert asked == [("done", 60)] * 3
    city.undo_stack.undo()
    fresh = city.ctx.ledgers.get_task(task.id)
    assert (fresh.status, fresh.percent) == (TaskStatus.IN_PROGRESS, 60)
    # 100 % on a task not done: asked whether it is 已完成 (no, then yes)
    full = iter([False, True])
    monkeypatch.setattr(editor, "ask_done_at_full", lambda t: asked.append(("full", t.percent)) or next(full))
    editor.percent_spin.setValue(100)
    fresh = city.ctx.ledgers.get_task(task.id)
    assert (fresh.status, fresh.percent) == (TaskStatus.IN_PROGRESS, 100)
    editor.percent_spin.setValue(90)
    editor.percent_spin.setValue(100)
    fresh = city.ctx.ledgers.get_task(task.id)
    assert (fresh.status, fresh.percent) == (TaskStatus.DONE, 100)
    assert editor.status_combo.currentData() == TaskStatus.DONE.value
    assert asked[3:] == [("full", 60), ("full", 90)]


def test_add_history_entry_and_undo_it(city, qtbot):
    city.ctx.settings.set("contact_person", "李四")
    task = _select(city, "5")
    editor = city.progress_editor
    editor.text.setPlainText("已发布 3 条养老服务信息")
    editor.percent_spin.setValue(30)
    editor.add_entry_button.click()
    history = city.ctx.progress.history(task.id)
    assert [e.text for e in history][0] == "已发布 3 条养老服务信息"
    assert history[0].author == "李四"
    assert editor.history.topLevelItemCount() == 1
    item = editor.history.topLevelItem(0)
    assert item.text(1) == "李四"
    editor.history.setCurrentItem(item)
    assert editor.history_text.toPlainText() == "已发布 3 条养老服务信息"  # old entries read in full
    city.undo_stack.undo()
    assert city.ctx.progress.history(task.id) == []
    assert editor.history.topLevelItemCount() == 0


def test_evidence_files_and_links(city, tmp_path, monkeypatch):
    task = _select(city, "6")
    editor = city.progress_editor
    evidence = tmp_path / "公示截图.txt"
    evidence.write_text("截图", encoding="utf-8")
    monkeypatch.setattr(editor, "ask_attachment_paths", lambda: [evidence])
    monkeypatch.setattr(editor, "ask_link", lambda: ("https://www.example.gov.cn/art/1.html", "公示页面"))
    opened = []
    monkeypatch.setattr(editor, "open_url", lambda url: opened.append(url) or True)
    editor.add_files()
    editor.add_link()
    assert editor.attachments.count() == 2
    assert len(city.ctx.progress.attachments(task.id)) == 2
    editor.attachments.setCurrentRow(0)
    editor.open_selected_attachment()
    path = Path(opened[-1].toLocalFile()) if opened[-1].isLocalFile() else None
    if path is not None:  # a temp copy is opened, not the database
        assert path.read_text(encoding="utf-8") == "截图"
        assert path != evidence
    editor.attachments.setCurrentRow(1)
    editor.open_selected_attachment()
    assert len(opened) == 2
    monkeypatch.setattr(editor, "ask_confirm", lambda text: True)
    editor.delete_selected_attachment()
    assert editor.attachments.count() == 1


def test_nothing_selected_disables_the_editor(city):
    city.progress_editor.set_task(None)
    assert not city.progress_editor.text.isEnabled()
    assert city.progress_editor.title.text().startswith("未选择任务")
    assert Qt.AlignLeft  # keep the import used


def test_text_typed_for_a_task_deleted_meanwhile_becomes_a_draft(city, qtbot):
    task = _select(city, "6")
    editor = city.progress_editor
    editor.text.insertPlainText("删除后才保存的进展")  # typed; the idle timer has not fired yet
    city.ctx.ledgers.delete_task(task.id)  # gone meanwhile (another window part, the bin ...)
    qtbot.waitUntil(lambda: not editor.dirty, timeout=5000)  # the idle save comes
    assert editor.saved_label.text() != "已自动保存"
    assert "草稿" in editor.saved_label.text()
    (draft,) = city.ctx.progress.drafts()  # stored in the database: survives a restart
    assert (draft.task_id, draft.text) == (task.id, "删除后才保存的进展")
    assert draft.task_label.startswith("6 ")
    assert editor.draft_banner.isVisibleTo(editor) and "恢复草稿" in editor.draft_label.text()
    assert "已存为草稿" in city.statusBar().currentMessage()

    other = _select(city, "8")  # recover it into the task the user picks
    editor.draft_restore.click()
    assert city.ctx.ledgers.get_task(other.id).progress == "删除后才保存的进展"
    assert editor.text.toPlainText() == "删除后才保存的进展"
    assert city.ctx.progress.drafts() == [] and not editor.draft_banner.isVisibleTo(editor)
    city.undo_stack.undo()  # an ordinary, undoable edit of that task
    assert city.ctx.ledgers.get_task(other.id).progress == ""


def test_draft_without_a_selected_task_is_shown_to_copy_and_can_be_discarded(city, monkeypatch):
    city.ctx.progress.save_draft(1, city.current_ledger().id, "1 旧任务", "草稿全文")
    editor = city.progress_editor
    editor.refresh_drafts()
    editor.set_task(None)
    shown = []
    monkeypatch.setattr(editor, "show_draft_text", lambda d: shown.append(d.text))
    editor.draft_restore.click()
    assert shown == ["草稿全文"] and len(city.ctx.progress.drafts()) == 1  # kept until placed
    monkeypatch.setattr(editor, "ask_confirm", lambda text: False)
    editor.draft_discard.click()
    assert len(city.ctx.progress.drafts()) == 1
    monkeypatch.setattr(editor, "ask_confirm", lambda text: "丢弃" in text)
    editor.draft_discard.click()
    assert city.ctx.progress.drafts() == [] and not editor.draft_banner.isVisibleTo(editor)


def test_several_drafts_the_user_picks_one(city, monkeypatch):
    lid = city.current_ledger().id
    city.ctx.progress.save_draft(1, lid, "1 甲", "甲的草稿")
    city.ctx.progress.save_draft(2, lid, "2 乙", "乙的草稿")
    editor = city.progress_editor
    editor.refresh_drafts()
    assert "等 2 条" in editor.draft_label.text()
    task = _select(city, "9")
    monkeypatch.setattr(
        editor, "choose_draft", lambda drafts: next(d for d in drafts if d.text == "甲的草稿")
    )
    editor.draft_restore.click()
    assert city.ctx.ledgers.get_task(task.id).progress == "甲的草稿"
    assert [d.text for d in city.ctx.progress.drafts()] == ["乙的草稿"]


def test_a_save_goes_to_the_task_the_text_was_typed_for(city):
    first = _select(city, "10")
    editor = city.progress_editor
    editor.text.insertPlainText("为第 10 项填写")
    second = next(t for t in city.model.tasks() if t.number == "11")
    editor._task = second  # the selection moved on without a save in between
    editor.flush()
    assert city.ctx.ledgers.get_task(first.id).progress == "为第 10 项填写"
    assert city.ctx.ledgers.get_task(second.id).progress == ""


def test_pending_text_is_saved_to_its_ledger_when_switching_ledgers(city):
    task = _select(city, "12")
    editor = city.progress_editor
    editor.text.insertPlainText("切换台账前输入")
    other = city.ctx.ledgers.create_ledger("另一本台账", 2023)
    city.reload_ledgers(select=other.id)
    city.open_ledger(other.id)
    assert city.ctx.ledgers.get_task(task.id).progress == "切换台账前输入"
    assert city.ctx.progress.drafts() == []


def test_an_entry_is_corrected_and_withdrawn_with_undo_and_audit(city, monkeypatch):
    """进展记录 can be corrected (更正…) and withdrawn (撤回), each one undo step, each in the audit trail;
    withdrawing the latest entry puts the task back to the entry before it."""
    task = _select(city, "5")
    editor = city.progress_editor
    add = city.ctx.progress.add_entry
    first = add(task.id, "三月：梳理目录", TaskStatus.IN_PROGRESS, 30)
    second = add(task.id, "五月：公开 12 件", TaskStatus.IN_PROGRESS, 60)
    editor.reload_history()

    def correct(dialog) -> bool:  # the correction dialog, filled and accepted
        dialog.text.setPlainText("五月：公开 15 件")
        dialog.accept()
        return True

    monkeypatch.setattr(editor, "run_dialog", correct)
    assert editor.select_entry(second.id)
    editor.correct_button.click()
    assert city.ctx.progress.get_entry(second.id).text == "五月：公开 15 件"
    assert city.ctx.ledgers.get_task(task.id).progress == "五月：公开 15 件"  # the latest: the task follows
    row = city.model.row_of_task(task.id)
    assert city.model.index(row, COLUMN_INDEX["progress"]).data() == "五月：公开 15 件"

    asked = []
    monkeypatch.setattr(editor, "ask_confirm", lambda text: asked.append(text) or True)
    assert editor.select_entry(second.id)
    editor.withdraw_button.click()
    assert asked and "撤回" in asked[0]
    assert [e.id for e in city.ctx.progress.history(task.id)] == [first.id]
    back = city.ctx.ledgers.get_task(task.id)
    assert (back.progress, back.percent) == ("三月：梳理目录", 30)
    assert editor.history.topLevelItemCount() == 1

    city.undo_stack.undo()  # the withdrawal undone: the corrected entry is back, the task says it again
    assert [e.text for e in city.ctx.progress.history(task.id)] == ["五月：公开 15 件", "三月：梳理目录"]
    assert city.ctx.ledgers.get_task(task.id).percent == 60
    city.undo_stack.undo()  # the correction undone
    assert [e.text for e in city.ctx.progress.history(task.id)][0] == "五月：公开 12 件"
    events = city.ctx.ledgers.audit_events(task.ledger_id, task_id=task.id)
    assert {"correct_entry", "withdraw_entry", "reinstate_entry"} <= {e.action for e in events}
    withdrawn = next(e for e in events if e.action == "withdraw_entry")
    assert "五月：公开 15 件" in withdrawn.old_value and withdrawn.at is not None  # what it said, and when


def test_a_relative_deadline_gets_its_own_anchor_date_with_undo(city):
    """起算日期 in the editor, only for a deadline counted from an event: set, the due date is computed
    at once (working days); undo takes it back; a task with a fixed date shows no such row."""
    from datetime import date

    from PySide6.QtCore import QDate

    editor = city.progress_editor
    editor.set_task(None)
    assert editor.anchor_box.isHidden() and editor.anchor_label.isHidden()  # no task: no 起算日期 row
    task = _select(city, "5")
    assert editor.anchor_box.isHidden()
    city.ctx.ledgers.update_task(task.id, "deadline_text", "收到通知后3个工作日内")
    city.open_ledger(city.current_ledger().id, keep_task=task.id)
    _select(city, "5")
    assert not editor.anchor_box.isHidden() and not editor.anchor_known.isChecked()
    editor.anchor_date.setDate(QDate(2023, 9, 28))  # before 国庆: 9/29–10/6 off, 10/7 and 10/8 调休 workdays
    editor.anchor_known.setChecked(True)
    got = city.ctx.ledgers.get_task(task.id).deadline
    assert got.anchor_date == date(2023, 9, 28) and got.due_date == date(2023, 10, 9)
    city.undo_stack.undo()
    back = city.ctx.ledgers.get_task(task.id).deadline
    assert back.anchor_date is None and back.due_date is None


def test_first_entry_without_a_person_asks_once_and_keeps_the_answer(city, monkeypatch):
    asked = []

    def answer(self, values):
        asked.append(values)
        return {"my_unit": "市民政局", "contact_person": "王五", "phone": "0571-1234"}

    monkeypatch.setattr(type(city.progress_editor), "ask_person", answer)
    task = _select(city, "5")
    editor = city.progress_editor
    editor.text.setPlainText("第一条进展")
    editor.add_entry_button.click()
    assert asked == [{"my_unit": "", "contact_person": "", "phone": ""}]
    assert city.ctx.progress.history(task.id)[0].author == "王五"
    assert city.ctx.settings.get("contact_person") == "王五"
    assert city.ctx.settings.get("my_unit") == "市民政局"
    editor.text.setPlainText("第二条进展")
    editor.add_entry_button.click()
    assert len(asked) == 1  # asked once
    assert [e.author for e in city.ctx.progress.history(task.id)] == ["王五", "王五"]


def test_skipping_the_person_question_records_without_a_name_and_never_asks_again(city, monkeypatch):
    asked = []

    def skip(self, values):
        asked.append(values)
        return {}

    monkeypatch.setattr(type(city.progress_editor), "ask_person", skip)
    task = _select(city, "5")
    editor = city.progress_editor
    for text in ("第一条", "第二条"):
        editor.text.setPlainText(text)
        editor.add_entry_button.click()
    assert len(asked) == 1
    assert [e.author for e in city.ctx.progress.history(task.id)] == ["", ""]
    assert (city.ctx.settings.get("contact_person") or "") == ""


def test_cancelling_the_person_question_records_nothing_and_keeps_the_text(city, monkeypatch):
    asked = []

    def cancel(self, values):
        asked.append(values)
        return None

    monkeypatch.setattr(type(city.progress_editor), "ask_person", cancel)
    task = _select(city, "5")
    editor = city.progress_editor
    editor.text.setPlainText("还没记下的进展")
    editor.add_entry_button.click()
    assert city.ctx.progress.history(task.id) == []
    assert editor.text.toPlainText() == "还没记下的进展"
    editor.add_entry_button.click()
    assert len(asked) == 2  # not answered: asked again


def test_the_person_question_is_a_real_dialog(city, qtbot, modal, monkeypatch):
    monkeypatch.setattr(ProgressEditor, "ask_person", REAL_ASK_PERSON)

    def fill(dialog):
        assert "进展记录的“填报人”" in dialog.findChild(QLabel, "identityNote").text()
        dialog.person.setText("赵六")
        dialog.save_button.click()

    monkeypatch.setattr(city.progress_editor, "run_dialog", lambda d: modal.run(d, fill) == QDialog.Accepted)
    task = _select(city, "5")
    city.progress_editor.text.setPlainText("经对话框填写")
    city.progress_editor.add_entry_button.click()
    assert modal.opened == ["IdentityDialog"] and not modal.stuck
    assert city.ctx.progress.history(task.id)[0].author == "赵六"


def test_a_recurring_task_lists_its_period_due_dates(city, monkeypatch):
    from datetime import date

    from desktop_app.ui.widgets.progress_editor import period_line

    monkeypatch.setenv("LEDGER_TODAY", "2023-05-10")
    task = _select(city, "5")
    assert city.actions_.edit(task.id, "deadline_text", "每季度末")
    _select(city, "2")
    _select(city, "5")  # the pane shows the task as stored now
    assert "各期截止：3月31日（已过）、6月30日（本期）、9月30日、12月31日" in city.progress_editor.detail.toPlainText()
    task = city.ctx.ledgers.get_task(task.id)
    assert period_line(task, today=date(2023, 5, 10)) == "3月31日（已过）、6月30日（本期）、9月30日、12月31日"
    city.ctx.progress.add_entry(task.id, "二季度已公开", "in_progress", 50, entry_date=date(2023, 5, 10))
    task = city.ctx.ledgers.get_task(task.id)  # this period's progress is in: the status follows the next
    assert period_line(task, today=date(2023, 5, 10)) == "3月31日（已过）、6月30日、9月30日（本期）、12月31日"
    assert period_line(city.ctx.ledgers.get_task(_select(city, "2").id)) == ""
    assert "各期截止" not in city.progress_editor.detail.toPlainText()
