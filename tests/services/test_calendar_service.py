"""The holiday table: the State Council's notice imported for a year chinesecalendar does not know."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain.model import LedgerError
from desktop_app.domain.workdays import UnknownYearError

NOTICES = Path(__file__).resolve().parents[1] / "data" / "holidays"


def _notice_for(year: int) -> str:
    """The 2024 notice moved to a year whose weekdays fall the same way (2024 -> 2052: a 28-year cycle)."""
    return (NOTICES / "2024.txt").read_text(encoding="utf-8").replace("2024", str(year))


def test_imported_notice_makes_an_unknown_year_countable(ctx) -> None:
    calendar = ctx.calendar.calendar()
    with pytest.raises(UnknownYearError):
        calendar.is_workday(date(2052, 2, 12))
    parsed = ctx.calendar.import_notice(_notice_for(2052), 2052)
    assert len(parsed.holidays) == 28 and len(parsed.workdays) == 8
    calendar = ctx.calendar.calendar()
    assert not calendar.is_workday(date(2052, 2, 12))  # 春节
    assert calendar.is_workday(date(2052, 2, 4))  # a Sunday, 调休上班
    assert calendar.is_workday(date(2052, 3, 12))  # an ordinary Tuesday
    assert len(ctx.calendar.days(2052)) == 36


def test_import_replaces_the_year_and_a_bad_paste_changes_nothing(ctx) -> None:
    before = ctx.calendar.days(2024)
    assert before  # seeded from chinesecalendar
    ctx.calendar.import_notice("一、元旦：1月1日放假，与周末连休。", 2024)
    assert [(d.day, d.is_workday) for d in ctx.calendar.days(2024)] == [(date(2024, 1, 1), False)]
    with pytest.raises(LedgerError):
        ctx.calendar.import_notice("各单位要妥善安排值班。", 2024)
    assert len(ctx.calendar.days(2024)) == 1
