"""Tests for the working-day calendar and its chinesecalendar seed."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain import workdays
from desktop_app.domain.model import HolidayDay, LedgerError
from desktop_app.domain.workdays import UnknownYearError, WorkdayCalendar, known_years, seed_days


@pytest.fixture(scope="module")
def cal() -> WorkdayCalendar:
    return WorkdayCalendar(seed_days([2023, 2024]))


def test_known_years_cover_recent_years() -> None:
    years = known_years()
    assert {2019, 2020, 2021, 2022, 2023, 2024} <= years
    assert 2100 not in years


def test_seed_days_2023() -> None:
    days = seed_days([2023])
    by_day = {h.day: h for h in days}
    assert by_day[date(2023, 10, 2)] == HolidayDay(date(2023, 10, 2), False, "国庆节")
    assert by_day[date(2023, 1, 23)].name == "春节"
    # 调休: Saturday 2023-10-07 and Sunday 2023-10-08 were working days
    assert by_day[date(2023, 10, 7)].is_workday
    assert by_day[date(2023, 10, 8)].is_workday
    assert all(h.day.year == 2023 for h in days)
    assert all(h.day.weekday() >= 5 for h in days if h.is_workday)
    assert days == sorted(days, key=lambda h: h.day)
    assert all(h.name for h in days)


def test_seed_days_skips_unknown_years() -> None:
    assert seed_days([2199]) == []
    assert seed_days([]) == []
    assert {h.day.year for h in seed_days([2022, 2199])} == {2022}


def test_known_years_without_chinesecalendar(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def fake_import(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("chinese_calendar"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    assert workdays.known_years() == set()
    assert workdays.seed_days([2023]) == []


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2023, 7, 3), True),  # Monday
        (date(2023, 7, 1), False),  # Saturday
        (date(2023, 7, 2), False),  # Sunday
        (date(2023, 10, 2), False),  # National Day
        (date(2023, 10, 7), True),  # 调休 Saturday
        (date(2023, 1, 28), True),  # 调休 Saturday after Spring Festival
        (date(2023, 6, 22), False),  # Dragon Boat Festival
        (date(2024, 2, 12), False),  # Spring Festival 2024
        (date(2024, 2, 4), True),  # 调休 Sunday 2024
    ],
)
def test_is_workday(cal: WorkdayCalendar, day: date, expected: bool) -> None:
    assert cal.is_workday(day) is expected


def test_matches_chinesecalendar_for_whole_years(cal: WorkdayCalendar) -> None:
    import chinese_calendar

    day = date(2023, 1, 1)
    while day.year < 2025:
        assert cal.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_unknown_year_raises_with_chinese_message(cal: WorkdayCalendar) -> None:
    with pytest.raises(UnknownYearError) as err:
        cal.is_workday(date(2027, 3, 1))
    assert isinstance(err.value, LedgerError)
    assert err.value.year == 2027
    # it names the menu item that exists (the holiday editor), not a page that does not
    assert err.value.message.startswith("程序不知道2027年的法定节假日安排")
    assert "“文件 → 节假日与调休”" in err.value.message
    source = (Path(__file__).resolve().parents[2] / "desktop_app" / "ui" / "window_actions.py").read_text(
        "utf-8"
    )
    assert '"节假日与调休…"' in source


def test_non_strict_uses_weekends_for_unknown_years() -> None:
    cal = WorkdayCalendar([], strict=False)
    assert cal.is_workday(date(2030, 1, 1))  # a Tuesday; no holiday data
    assert not cal.is_workday(date(2030, 1, 5))
    assert not cal.knows_year(2030)


def test_knows_year() -> None:
    cal = WorkdayCalendar([HolidayDay(date(2027, 1, 1), False, "元旦")], known={2026})
    assert cal.knows_year(2027)
    assert cal.knows_year(2026)
    assert not cal.knows_year(2028)
    assert cal.years == {2026, 2027}
    # an edited table: the user's 2027 entries are used, Mon–Fri elsewhere in 2027
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal.is_workday(date(2027, 1, 4))


def test_table_overrides_weekday_rule() -> None:
    cal = WorkdayCalendar([HolidayDay(date(2023, 7, 3), False), HolidayDay(date(2023, 7, 1), True)])
    assert not cal.is_workday(date(2023, 7, 3))
    assert cal.is_workday(date(2023, 7, 1))


def test_known_without_entries_means_plain_weekdays() -> None:
    cal = WorkdayCalendar([], known={2023})
    assert cal.is_workday(date(2023, 10, 2))  # no holiday rows: an ordinary Monday


def test_default_calendar() -> None:
    cal = WorkdayCalendar.default()
    assert not cal.is_workday(date(2023, 10, 2))
    assert cal.knows_year(2024)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2023, 7, 3), 0, date(2023, 7, 3)),
        (date(2023, 7, 3), 1, date(2023, 7, 4)),  # the start day does not count
        (date(2023, 7, 7), 1, date(2023, 7, 10)),  # Friday -> Monday
        (date(2023, 7, 1), 1, date(2023, 7, 3)),  # from a Saturday
        (date(2023, 7, 3), 5, date(2023, 7, 10)),
        (date(2023, 9, 28), 1, date(2023, 10, 7)),  # over National Day to the 调休 Saturday
        (date(2023, 9, 28), 3, date(2023, 10, 9)),
        (date(2023, 9, 25), 20, date(2023, 10, 27)),
        (date(2023, 12, 29), 1, date(2024, 1, 2)),  # 2024-01-01 off
        (date(2023, 7, 10), -1, date(2023, 7, 7)),
        (date(2023, 10, 9), -1, date(2023, 10, 8)),
    ],
)
def test_add_workdays(cal: WorkdayCalendar, start: date, n: int, expected: date) -> None:
    assert cal.add_workdays(start, n) == expected


def test_add_workdays_into_unknown_year_raises() -> None:
    cal = WorkdayCalendar(seed_days([2023]))
    with pytest.raises(UnknownYearError):
        cal.add_workdays(date(2023, 12, 29), 2)


def test_add_workdays_huge_count_raises_ledger_error() -> None:
    cal = WorkdayCalendar([], strict=False)
    with pytest.raises(LedgerError):
        cal.add_workdays(date(2023, 1, 1), 10**7)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (date(2023, 7, 3), date(2023, 7, 3), 0),
        (date(2023, 7, 3), date(2023, 7, 10), 5),
        (date(2023, 7, 10), date(2023, 7, 3), -5),
        (date(2023, 9, 28), date(2023, 10, 9), 3),
        (date(2023, 7, 1), date(2023, 7, 2), 0),
    ],
)
def test_workdays_between(cal: WorkdayCalendar, a: date, b: date, expected: int) -> None:
    assert cal.workdays_between(a, b) == expected


@settings(max_examples=200)
@given(st.dates(date(2023, 1, 1), date(2024, 6, 30)), st.integers(0, 80))
def test_add_then_count_round_trips(start: date, n: int) -> None:
    cal = WorkdayCalendar(seed_days([2023, 2024]))
    end = cal.add_workdays(start, n)
    assert cal.workdays_between(start, end) == n
    if n > 0:
        assert cal.is_workday(end)
        assert end > start
