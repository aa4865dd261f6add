"""Settings, the holiday table and backups through the AppContext."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta
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


@pytest.mark.sqlite_only  # file backups
def test_backup_now_and_restore(ctx: AppContext, ledger) -> None:
    saved = ctx.backups.backup_now()
    ctx.ledgers.rename_ledger(ledger.id, "改过的名字")
    ctx.backups.restore(saved)
    assert ctx.ledgers.get_ledger(ledger.id).title == ledger.title
    assert len(ctx.backups.list_backups()) == 2  # the backup and the safety copy before restoring


@pytest.mark.sqlite_only  # file backups
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


def test_daily_backup_on_the_first_open_of_a_new_day(tmp_path: Path) -> None:
    """Yesterday 23:59's backup is less than a day old, but today has none yet: back up."""
    path = tmp_path / "a.sqlite3"
    AppContext.open(path).close()
    yesterday = (datetime.now() - timedelta(days=1)).strftime("%Y%m%d") + "-235959"
    folder = tmp_path / "backups"
    folder.mkdir()
    shutil.copyfile(path, folder / f"a-{yesterday}.sqlite3")
    with AppContext.open(path, daily_backup=True) as c:
        assert len(c.backups.list_backups()) == 2


def _tags(ctx: AppContext) -> list[str]:
    return [p.name.split("-", 3)[-1] for p in ctx.backups.list_backups()]


@pytest.mark.sqlite_only  # file backups
def test_backup_before_import_carry_over_and_restore(ctx: AppContext, data_dir: Path) -> None:
    ledger = ctx.imports.import_file(data_dir / "natural-resources-2022.xlsx")
    assert _tags(ctx) == ["before-import.sqlite3"]
    ctx.ledgers.copy_to_next_year(ledger.id)
    assert sorted(_tags(ctx)) == ["before-carry-over.sqlite3", "before-import.sqlite3"]
    first = [p for p in ctx.backups.list_backups() if p.name.endswith("before-import.sqlite3")][0]
    safety = ctx.backups.restore(first)
    assert safety.name.endswith("-before-restore.sqlite3")
    assert len(ctx.ledgers.list_ledgers()) == 0  # the state before the import


@pytest.mark.sqlite_only  # file backups
def test_failed_backup_before_import_does_not_block_it(ctx: AppContext, data_dir: Path, monkeypatch) -> None:
    from desktop_app.storage import backup

    def full(*_a, **_k):  # noqa: ANN002, ANN003
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "backup_database", full)
    ctx.imports.import_file(data_dir / "natural-resources-2022.xlsx")
    assert len(ctx.ledgers.list_ledgers()) == 1
    with pytest.raises(LedgerError) as err:  # but restore needs its safety copy: refused, nothing changed
        ctx.backups.before("restore")
    assert "磁盘空间不足" in err.value.message and "没有丢失" in err.value.message


@pytest.mark.sqlite_only  # file backups
def test_restore_refuses_a_damaged_backup_before_touching_anything(
    ctx: AppContext, ledger, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x01" * 5000)
    with pytest.raises(LedgerError) as err:
        ctx.backups.restore(bad)
    assert "已损坏" in err.value.message
    assert ctx.backups.list_backups() == []  # not even a safety copy was needed
    assert ctx.ledgers.get_ledger(ledger.id).title == ledger.title
