"""Settings, the holiday table and backups through the AppContext."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain.model import HolidayDay, LedgerError
from desktop_app.domain.workdays import UnknownYearError
from desktop_app.services.context import AppContext


def test_settings_defaults_and_rules(ctx: AppContext) -> None:
    assert ctx.settings.get("very_soon_days") == "7"
    ctx.settings.update({"my_unit": "市自然资源局", "soon_days": "20"})
    assert ctx.settings.all()["my_unit"] == "市自然资源局"
    assert ctx.settings.rules().soon_days == 20


def test_holidays_seeded_and_editable(ctx: AppContext) -> None:
    cal = ctx.calendar.calendar()
    assert cal.knows_year(2023)
    assert not cal.is_workday(date(2023, 10, 2))  # National Day
    assert cal.is_workday(date(2023, 10, 7))  # a Saturday made a working day
    with pytest.raises(UnknownYearError) as err:
        cal.is_workday(date(2031, 3, 3))
    assert "2031" in err.value.message
    ctx.calendar.set_day(HolidayDay(date(2031, 1, 1), False, "元旦"))
    assert ctx.calendar.calendar().knows_year(2031)
    assert ctx.calendar.ensure_seeded() == 0  # seeding again adds nothing


def test_backup_now_and_restore(ctx: AppContext, ledger) -> None:
    saved = ctx.backups.backup_now()
    ctx.ledgers.rename_ledger(ledger.id, "改过的名字")
    ctx.backups.restore(saved)
    assert ctx.ledgers.get_ledger(ledger.id).title == ledger.title
    assert len(ctx.backups.list_backups()) == 2  # the backup and the safety copy before restoring


def test_restore_missing_backup(ctx: AppContext, tmp_path: Path) -> None:
    with pytest.raises(LedgerError):
        ctx.backups.restore(tmp_path / "nope.sqlite3")


def test_unit_directory_aliases(ctx: AppContext) -> None:
    ctx.units.add("银川市自然资源局", ["市自然资源局", "自然资源局"])
    assert ctx.units.canonical_name("自然资源局") == "银川市自然资源局"
    assert ctx.units.names_for("市自然资源局") == {"银川市自然资源局", "市自然资源局", "自然资源局"}
    assert ctx.units.names_for("市财政局") == {"市财政局"}
    with pytest.raises(LedgerError):
        ctx.units.add("  ")


def test_daily_backup_at_start_once_a_day(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    AppContext.open(path).close()
    with AppContext.open(path, daily_backup=True) as c:
        assert len(c.backups.list_backups()) == 1
    with AppContext.open(path, daily_backup=True) as c:
        assert len(c.backups.list_backups()) == 1  # not again the same day
