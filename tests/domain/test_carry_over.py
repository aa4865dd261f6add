"""年度结转 rules: deadlines moved into the new year (or 待确认), report dates a year later."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain.carry_over import shift_date, shift_deadline, shift_report_dates
from desktop_app.domain.deadlines import parse_deadline, resolve_relative
from desktop_app.domain.model import DeadlineKind

K = DeadlineKind


@pytest.mark.parametrize(
    ("old_year", "text", "new_text", "kind", "due", "confirm"),
    [
        (2022, "2022年11月", "2023年11月", K.DATE, date(2023, 11, 30), False),
        (2022, "11月底", "11月底", K.DATE, date(2023, 11, 30), False),
        (2022, "2022年6月底前、11月底前", "2023年6月底前、11月底前", K.DATE, date(2023, 11, 30), False),
        (2022, "2022-09-30", "2023-09-30", K.DATE, date(2023, 9, 30), False),
        (2022, "20220930", "20230930", K.DATE, date(2023, 9, 30), False),
        (2022, "2022年度", "2023年度", K.DATE, date(2023, 12, 31), False),
        (2022, "2022年全年", "2023年全年", K.YEAR_ROUND, date(2023, 12, 31), False),
        (2022, "全年", "全年", K.YEAR_ROUND, date(2023, 12, 31), False),
        (2022, "2023年3月底", "2023年3月底", K.DATE, date(2023, 3, 31), False),  # already next year
        (2022, "次年3月底", "次年3月底", K.DATE, date(2024, 3, 31), False),  # relative to the ledger's year
        (2022, "长期坚持", "长期坚持", K.ONGOING, None, False),
        (2022, "每季度最后1个月15日前", "每季度最后1个月15日前", K.RECURRING, None, False),
        (2022, "", "", K.NONE, None, False),
        (2024, "2024年2月29日", "2025年2月28日", K.DATE, date(2025, 2, 28), False),  # no Feb 29 in 2025
        (2024, "2月29日前", "2月28日前", K.DATE, date(2025, 2, 28), False),
        (2022, "2021年12月", "2021年12月", K.UNKNOWN, None, True),  # older than the ledger: review
        (2022, "看情况", "看情况", K.UNKNOWN, None, True),
        (2022, "2022年6月前", "2023年6月前", K.UNKNOWN, None, True),  # ambiguous: year moved, still review
    ],
)
def test_shift_deadline(old_year, text, new_text, kind, due, confirm) -> None:
    shifted = shift_deadline(parse_deadline(text, old_year), old_year, old_year + 1)
    assert shifted.deadline.text == new_text
    assert shifted.deadline.kind == kind
    assert shifted.deadline.due_date == due
    assert (shifted.to_confirm is not None) == confirm
    if shifted.deadline.due_date is not None:
        assert shifted.deadline.due_date.year >= old_year + 1  # never overdue from day one


def test_relative_deadline_loses_last_years_anchor() -> None:
    old = resolve_relative(parse_deadline("文件公布后3个工作日内", 2022), date(2022, 9, 28))
    assert old.due_date is not None
    shifted = shift_deadline(old, 2022, 2023)
    assert shifted.deadline.kind == K.RELATIVE and shifted.deadline.relative_days == 3
    assert shifted.deadline.anchor_date is None and shifted.deadline.due_date is None
    assert "起算日期" in (shifted.to_confirm or "")
    unanchored = shift_deadline(parse_deadline("文件公布后3个工作日内", 2022), 2022, 2023)
    assert unanchored.to_confirm is None


def test_shift_dates() -> None:
    assert shift_date(date(2024, 2, 29)) == date(2025, 2, 28)
    assert shift_date(date(2023, 2, 28)) == date(2024, 2, 28)
    assert shift_date(date(2023, 8, 15)) == date(2024, 8, 15)
    assert shift_report_dates([date(2024, 12, 5), date(2024, 2, 29), date(2024, 12, 5)]) == [
        date(2025, 2, 28),
        date(2025, 12, 5),
    ]
