"""The State Council's holiday notice pasted as text -> the year's 放假 and 调休上班 days."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain.holiday_notice import parse_holiday_notice
from desktop_app.domain.model import LedgerError
from desktop_app.domain.workdays import seed_days

NOTICES = Path(__file__).resolve().parents[1] / "data" / "holidays"


@pytest.mark.parametrize("year", [2024, 2025])
def test_notice_gives_the_official_calendar(year) -> None:
    """Checked against chinesecalendar's own data for the same year: the same days, nothing more."""
    parsed = parse_holiday_notice((NOTICES / f"{year}.txt").read_text(encoding="utf-8"), year)
    reference = seed_days([year])
    assert set(parsed.holidays) == {d.day for d in reference if not d.is_workday}
    assert set(parsed.workdays) == {d.day for d in reference if d.is_workday}
    assert parsed.warnings == []


def test_range_across_the_new_year_and_names() -> None:
    text = (
        "一、元旦：2024年12月30日至2025年1月1日放假调休，共3天。12月29日（周日）上班。\n"
        "二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。"
        "1月26日（周日）、2月8日（周六）上班。"
    )
    parsed = parse_holiday_notice(text, 2025)
    assert parsed.holidays[:3] == [date(2024, 12, 30), date(2024, 12, 31), date(2025, 1, 1)]
    assert date(2024, 12, 29) in parsed.workdays and date(2025, 2, 8) in parsed.workdays
    names = {d.day: d.name for d in parsed.days}
    assert names[date(2025, 2, 1)] == "春节" and names[date(2025, 1, 26)] == "春节调休上班"


def test_a_count_that_disagrees_is_a_warning() -> None:
    parsed = parse_holiday_notice("一、劳动节：5月1日至4日放假调休，共5天。", 2025)
    assert len(parsed.holidays) == 4
    assert parsed.warnings and "共5天" in parsed.warnings[0]


def test_a_notice_of_another_year_is_refused() -> None:
    text = (NOTICES / "2024.txt").read_text(encoding="utf-8")
    with pytest.raises(LedgerError, match="可能不是2031年的通知"):
        parse_holiday_notice(text, 2031)


@pytest.mark.parametrize(
    "text", ["", "各单位要妥善安排值班。", "一、春节：放假调休。", "二、国庆：13月40日放假。"]
)
def test_text_without_days_gives_one_sentence(text) -> None:
    with pytest.raises(LedgerError) as err:
        parse_holiday_notice(text, 2025)
    assert err.value.message.endswith("。") and "\n" not in err.value.message
