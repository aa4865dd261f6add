"""节假日与调休: opened from 文件, a day added and removed, a notice pasted, a bad paste refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate

from desktop_app.ui.dialogs.holiday_dialog import HolidayDialog

NOTICES = Path(__file__).resolve().parents[2] / "data" / "holidays"


def test_action_opens_the_dialog_on_the_ledgers_year(city, monkeypatch):
    seen = []
    monkeypatch.setattr(city, "run_dialog", lambda d: seen.append(d) or False)
    city.acts.holidays.trigger()
    assert isinstance(seen[0], HolidayDialog) and seen[0].year.value() == 2023
    assert seen[0].table.rowCount() > 0  # 2023 comes seeded from chinesecalendar


def test_add_remove_and_refuse_a_weekday_as_workday(window, qtbot):
    dialog = HolidayDialog(window.ctx, 2052, window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0 and "还没有" in dialog.summary.text()
    dialog.day.setDate(QDate(2052, 1, 1))
    dialog.name.setText("元旦")
    dialog.add_day()
    assert dialog.days_shown() == [(date(2052, 1, 1), False, "元旦")]
    dialog.kind.setCurrentIndex(1)  # 调休上班 on a Wednesday: refused
    dialog.day.setDate(QDate(2052, 1, 3))
    dialog.add_day()
    assert "不是周末" in dialog.message.text() and len(dialog.days_shown()) == 1
    dialog.table.selectRow(0)
    dialog.remove_selected()
    assert dialog.days_shown() == [] and window.ctx.calendar.days(2052) == []
    dialog.reject()


def test_pasted_notice_fills_the_year_and_a_bad_paste_changes_nothing(window, qtbot):
    dialog = HolidayDialog(window.ctx, 2025, window)
    qtbot.addWidget(dialog)
    before = dialog.days_shown()
    dialog.notice.setPlainText("各单位要妥善安排值班。")
    dialog.import_notice()
    assert dialog.message.text().startswith("没有从粘贴的文字中读到2025年的放假安排")
    assert dialog.days_shown() == before
    dialog.notice.setPlainText((NOTICES / "2025.txt").read_text(encoding="utf-8"))
    dialog.import_notice()
    assert "放假 28 天" in dialog.message.text()
    assert (date(2025, 1, 26), True, "春节调休上班") in dialog.days_shown()
    dialog.accept()


def test_a_year_without_holiday_data_offers_its_editor_and_the_date_then_counts(city, monkeypatch):
    """起算日期 in 2052 (no holiday data): the refusal offers 节假日与调休 for 2052; the notice pasted
    there, the same edit goes through."""
    task = next(t for t in city.model.tasks() if t.number == "5")
    assert city.actions_.edit(task.id, "deadline_text", "收到通知后3个工作日内")
    questions, opened = [], []
    monkeypatch.setattr(city, "ask_confirm", lambda text, title="": questions.append(text) or True)

    def fill(dialog):
        opened.append(dialog.year.value())
        for day, name in ((date(2052, 3, 1), "测试假日"), (date(2052, 3, 4), "测试假日")):
            dialog.day.setDate(QDate(day))
            dialog.name.setText(name)
            dialog.add_day()
        return False

    monkeypatch.setattr(city, "run_dialog", fill)
    assert not city.actions_.edit(task.id, "anchor_date", date(2052, 2, 28))
    assert opened == [2052]
    assert "2052年的法定节假日安排" in questions[0] and "现在打开“节假日与调休”（2052年）" in questions[0]
    assert city.ctx.ledgers.get_task(task.id).deadline.anchor_date is None  # refused: nothing changed
    assert not getattr(city, "errors", [])  # the question replaced the plain error box
    assert city.actions_.edit(task.id, "anchor_date", date(2052, 2, 28))  # the year is known now
    due = city.ctx.ledgers.get_task(task.id).deadline.due_date
    assert due == date(2052, 3, 6)  # after Wed 28 Feb: 29 Feb (1), 1 Mar off, weekend, 4 Mar off, 5 (2), 6 (3)


def test_declining_the_holiday_editor_changes_nothing(city, monkeypatch):
    task = next(t for t in city.model.tasks() if t.number == "5")
    assert city.actions_.edit(task.id, "deadline_text", "收到通知后3个工作日内")
    monkeypatch.setattr(city, "ask_confirm", lambda text, title="": False)
    monkeypatch.setattr(city, "run_dialog", lambda d: (_ for _ in ()).throw(AssertionError("opened")))
    assert not city.actions_.edit(task.id, "anchor_date", date(2052, 2, 28))
    assert city.ctx.ledgers.get_task(task.id).deadline.anchor_date is None
