"""Settings dialog: who we are, thresholds, font scale (适老化), backups."""

from __future__ import annotations

import pytest

from desktop_app.ui.dialogs.settings_dialog import SettingsDialog


@pytest.fixture
def dialog(city, qtbot):
    d = SettingsDialog(city.ctx, city)
    qtbot.addWidget(d)
    return d


def test_saves_every_setting(city, dialog):
    dialog.edits["my_unit"].setText("市审批局")
    dialog.edits["contact_person"].setText("王五")
    dialog.very_soon.setValue(5)
    dialog.soon.setValue(20)
    dialog.scale.setValue(150)
    dialog.save()
    s = city.ctx.settings.all()
    assert (s["my_unit"], s["contact_person"], s["very_soon_days"], s["soon_days"], s["font_scale"]) == (
        "市审批局",
        "王五",
        "5",
        "20",
        "150",
    )


def test_settings_apply_to_the_window(city, monkeypatch):
    before = city.task_view.verticalHeader().defaultSectionSize()

    def run(dialog):
        dialog.edits["my_unit"].setText("市审批局")
        dialog.scale.setValue(200)
        dialog.soon.setValue(90)
        return True

    monkeypatch.setattr(city, "run_dialog", run)
    city.open_settings()
    assert city.filter_bar.mine.isEnabled()
    assert city.task_view.verticalHeader().defaultSectionSize() > before
    assert city._rules.soon_days == 90
    city.show_tab(1)
    assert city.dashboard.cards["soon"].text() != "0"  # 8月底 (61 days away) is due soon now
    city.apply_font_scale(100)


def test_backup_now_and_restore(city, dialog, monkeypatch):
    dialog.backup_now()
    assert dialog.backups.count() >= 1
    assert "已备份" in dialog.message.text()
    lid = city.current_ledger().id
    city.ctx.ledgers.rename_ledger(lid, "备份后改的名")
    restored = []
    dialog.restored.connect(lambda: restored.append(True))
    dialog.restored.connect(city._after_restore)
    monkeypatch.setattr(dialog, "ask_confirm", lambda text: True)
    dialog.backups.setCurrentRow(0)
    dialog.restore_selected()
    assert restored
    assert city.ctx.ledgers.get_ledger(lid).title != "备份后改的名"
    assert city.model.total_count == 39


def test_restore_needs_a_choice_and_a_yes(dialog, monkeypatch):
    dialog.backups.clearSelection()
    dialog.backups.setCurrentRow(-1)
    dialog.restore_selected()
    assert "请先" in dialog.message.text()


def test_reminder_switch_sets_the_login_entry_only_when_changed(city, dialog, qtbot):
    """Off by default; switched on: saved and the tray set to start at login; saved again unchanged:
    nothing more; a failure to write the entry is one sentence and the other settings are kept."""
    calls: list[bool] = []
    dialog.set_autostart = calls.append
    assert not dialog.reminders.isChecked() and not dialog.reminder_days.isEnabled()
    dialog.reminders.setChecked(True)
    dialog.reminder_days.setValue(7)
    dialog.save()
    assert calls == [True]
    assert city.ctx.reminders.enabled() and city.ctx.reminders.days() == 7
    dialog.save()
    assert calls == [True]

    def refuse(on: bool) -> None:
        raise OSError("read-only")

    again = SettingsDialog(city.ctx, city)
    qtbot.addWidget(again)
    assert again.reminders.isChecked()
    again.set_autostart = refuse
    again.reminders.setChecked(False)
    again.save()
    assert "无法设置登录后自动启动提醒" in again.message.text()
    assert not city.ctx.reminders.enabled()


def test_the_window_opens_at_a_task_given_by_the_tray(city):
    """--task ID (from the reminder tray): the task's ledger is shown with the task selected."""
    from desktop_app.domain.model import Ledger, Section, Task

    other = city.ctx.ledgers.add_ledger(Ledger(title="另一本", year=2023, sections=[Section(tasks=[Task(content="甲")])]))
    tid = other.all_tasks()[0].id
    assert city.open_task(tid)
    assert city.current_ledger().id == other.id and city.task_view.current_task_id() == tid
