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
