"""The reminder tray: the digest in its tooltip and menu, a notification once a day, a click opens the
program at the task, 关闭提醒 removes the login entry and ends the tray."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from desktop_app.domain import clock
from desktop_app.services.reminder_service import Digest, DueItem
from desktop_app.ui.tray import ReminderTray


def _digest() -> Digest:
    return Digest(
        as_of=date(2024, 4, 26),
        days=3,
        due=[DueItem(1, "甲台账", 11, "1", "公开财政预决算", date(2024, 4, 30), 3)],
        overdue=[DueItem(1, "甲台账", 13, "3", "更新公开指南", date(2024, 4, 20), -4)],
        next_round=(date(2024, 5, 15), "甲台账"),
    )


def test_menu_tooltip_notification_and_opening_at_a_task(qtbot, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    reads: list[Path] = []
    launched: list[list[str]] = []
    quit_called: list[bool] = []
    tray = ReminderTray(
        tmp_path / "l.sqlite3",
        tmp_path / "state.json",
        read=lambda p: reads.append(p) or _digest(),
        launch=launched.append,
        on_quit=lambda: quit_called.append(True),
    )
    shown: list[str] = []
    monkeypatch.setattr(tray.icon, "showMessage", lambda title, text, *a: shown.append(text))
    clock.set_today(date(2024, 4, 26))
    try:
        tray.refresh()
        assert reads and "1 项已逾期" in tray.icon.toolTip() and "5月15日" in tray.icon.toolTip()
        texts = [a.text() for a in tray.menu.actions() if a.text()]
        assert texts[0] == _digest().summary()
        assert any(t.startswith("3 更新公开指南") and "已逾期" in t for t in texts)
        assert any(t.startswith("1 公开财政预决算") and "还有 3 个工作日" in t for t in texts)
        assert len(shown) == 1  # the day's notification
        tray.refresh()
        assert len(shown) == 1  # once a day, even after a restart of the tray (the state file says so)
        again = ReminderTray(tmp_path / "l.sqlite3", tmp_path / "state.json", read=lambda p: _digest(),
                             launch=launched.append, on_quit=lambda: None)
        monkeypatch.setattr(again.icon, "showMessage", lambda title, text, *a: shown.append(text))
        again.refresh()
        assert len(shown) == 1
        clock.set_today(date(2024, 4, 27))
        again.refresh()
        assert len(shown) == 2  # a new day: notified again
    finally:
        clock.set_today(None)
    task_action = next(a for a in tray.menu.actions() if a.text().startswith("1 公开财政预决算"))
    task_action.trigger()
    assert launched[-1][-2:] == ["--task", "11"] and "--tray" not in launched[-1]
    assert "--db" in launched[-1]
    from desktop_app import autostart

    autostart.enable(tmp_path / "l.sqlite3")
    next(a for a in tray.menu.actions() if a.text() == "关闭提醒").trigger()
    assert not autostart.is_enabled() and quit_called and not tray.timer.isActive()


def test_an_unreadable_database_keeps_the_last_digest(qtbot, tmp_path: Path) -> None:
    """While the program holds the database the read gives None: the tray keeps what it had."""
    answers = [_digest(), None]
    tray = ReminderTray(tmp_path / "l.sqlite3", tmp_path / "s.json", read=lambda p: answers.pop(0),
                        launch=lambda a: None, on_quit=lambda: None)
    tray.notify_if_due = lambda: False
    tray.refresh()
    tray.refresh()
    assert tray.digest is not None and "1 项已逾期" in tray.icon.toolTip()


def test_read_digest_is_none_until_switched_on_and_then_reads_and_closes(tmp_path: Path) -> None:
    from desktop_app.services.context import AppContext
    from desktop_app.ui.tray import read_digest

    db = tmp_path / "l.sqlite3"
    ctx = AppContext.open(db)
    ctx.close()
    assert read_digest(db) is None  # off by default
    ctx = AppContext.open(db)
    ctx.reminders.set_enabled(True)
    ctx.close()
    assert read_digest(db) is not None
    AppContext.open(db).close()  # the tray let the database go: the program opens it
    assert read_digest(tmp_path / "missing.sqlite3") is None
