"""Tests for reading 完成时限 cells: dates, ongoing, recurring and relative deadlines."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain import deadlines
from desktop_app.domain.deadlines import next_occurrence, normalize, parse_deadline, resolve_relative
from desktop_app.domain.model import Deadline, DeadlineKind, HolidayDay
from desktop_app.domain.workdays import UnknownYearError, WorkdayCalendar

D = DeadlineKind


@pytest.mark.parametrize(
    ("text", "year", "due"),
    [
        # month forms -> last day of the month
        ("2022年11月", 2023, date(2022, 11, 30)),
        ("11月底", 2022, date(2022, 11, 30)),
        ("11 月", 2022, date(2022, 11, 30)),
        ("11月份", 2022, date(2022, 11, 30)),
        ("十一月底前", 2022, date(2022, 11, 30)),
        ("11月底前", 2022, date(2022, 11, 30)),
        ("2022年11月底", 2023, date(2022, 11, 30)),
        ("2022年11月底前", None, date(2022, 11, 30)),
        ("9月底", 2022, date(2022, 9, 30)),
        ("9月底前完成", 2022, date(2022, 9, 30)),
        ("2月底", 2024, date(2024, 2, 29)),
        ("2月底", 2023, date(2023, 2, 28)),
        ("十二月", 2023, date(2023, 12, 31)),
        ("12月底前", 2023, date(2023, 12, 31)),
        ("6月内", 2023, date(2023, 6, 30)),
        ("6月末", 2023, date(2023, 6, 30)),
        ("6月上旬", 2023, date(2023, 6, 10)),
        ("6月中旬", 2023, date(2023, 6, 20)),
        ("6月下旬", 2023, date(2023, 6, 30)),
        ("2023.8", 2022, date(2023, 8, 31)),
        ("于10月底前", 2023, date(2023, 10, 31)),
        ("截至10月底", 2023, date(2023, 10, 31)),
        ("10月底以前", 2023, date(2023, 10, 31)),
        ("10月底之前", 2023, date(2023, 10, 31)),
        ("11月底前报送", 2023, date(2023, 11, 30)),
        ("完成时限：11月底", 2023, date(2023, 11, 30)),
        ("2023年12月31日前完成", 2022, date(2023, 12, 31)),
        ("6月30日、12月31日", 2023, date(2023, 12, 31)),
        ("一季度、三季度", 2023, date(2023, 9, 30)),
        ("上半年、下半年", 2023, date(2023, 12, 31)),
        ("10月中旬前", 2023, date(2023, 10, 20)),
        ("次年3月底", 2023, date(2024, 3, 31)),
        ("明年6月30日前", 2023, date(2024, 6, 30)),
        ("今年年底", 2023, date(2023, 12, 31)),
        ("当年12月底前", 2023, date(2023, 12, 31)),
        ("本年度内", 2023, date(2023, 12, 31)),
        ("6月30日前", 2023, date(2023, 6, 30)),
        ("一季度末前", 2023, date(2023, 3, 31)),
        # exact days
        ("2024年6月30日前", 2023, date(2024, 6, 30)),
        ("8月15日前", 2023, date(2023, 8, 15)),
        ("8月15号", 2023, date(2023, 8, 15)),
        ("2023-08-15", None, date(2023, 8, 15)),
        ("2023.8.15", None, date(2023, 8, 15)),
        ("2023/8/15", None, date(2023, 8, 15)),
        ("20230815", None, date(2023, 8, 15)),
        ("2023年8月15日", 2020, date(2023, 8, 15)),
        ("二〇二三年八月十五日", None, date(2023, 8, 15)),
        ("三月三十日前", 2023, date(2023, 3, 30)),
        ("十月二十一日", 2023, date(2023, 10, 21)),
        ("２０２３年８月１５日", None, date(2023, 8, 15)),
        ("２０２３－０８－１５", None, date(2023, 8, 15)),
        ("  11月底前。 ", 2023, date(2023, 11, 30)),
        ("11\u3000月底", 2023, date(2023, 11, 30)),
        ("2月29日", 2024, date(2024, 2, 29)),
        # parts of the year
        ("上半年", 2023, date(2023, 6, 30)),
        ("下半年", 2023, date(2023, 12, 31)),
        ("年底前", 2023, date(2023, 12, 31)),
        ("年内", 2023, date(2023, 12, 31)),
        ("年底", 2023, date(2023, 12, 31)),
        ("年末", 2023, date(2023, 12, 31)),
        ("年中", 2023, date(2023, 6, 30)),
        ("2022年底前", 2023, date(2022, 12, 31)),
        ("2022年上半年", 2023, date(2022, 6, 30)),
        ("2022年", 2023, date(2022, 12, 31)),
        ("2022年内完成", 2023, date(2022, 12, 31)),
        # quarters
        ("第一季度", 2023, date(2023, 3, 31)),
        ("一季度末", 2023, date(2023, 3, 31)),
        ("二季度", 2023, date(2023, 6, 30)),
        ("第3季度末前", 2023, date(2023, 9, 30)),
        ("四季度", 2023, date(2023, 12, 31)),
        ("前三季度", 2023, date(2023, 9, 30)),
        ("2022年第二季度", 2023, date(2022, 6, 30)),
        # several dates -> the last one; a year carries forward
        ("2022年6月底前、11月底前", 2023, date(2022, 11, 30)),
        ("6月底前、11月底前", 2023, date(2023, 11, 30)),
        ("11月底前，6月底前", 2023, date(2023, 11, 30)),
        ("6月底和12月底", 2023, date(2023, 12, 31)),
        ("3月至6月", 2023, date(2023, 6, 30)),
        ("2023年3月-6月", 2023, date(2023, 6, 30)),
        ("2022年12月底前、2023年6月底前", 2021, date(2023, 6, 30)),
    ],
)
def test_dates(text: str, year: int | None, due: date) -> None:
    d = parse_deadline(text, year)
    assert d.kind == D.DATE
    assert d.due_date == due
    assert d.text == text.strip()
    assert not d.flagged


def test_year_from_clock_when_ledger_has_none() -> None:
    # conftest fixes today at 2023-07-01
    assert parse_deadline("11月底", None).due_date == date(2023, 11, 30)
    assert parse_deadline("全年", None).due_date == date(2023, 12, 31)


@pytest.mark.parametrize("text", ["全年", "全 年", "全年度", "全年持续推进", "全年开展", "2023年全年"])
def test_year_round(text: str) -> None:
    d = parse_deadline(text, 2023)
    assert d.kind == D.YEAR_ROUND
    assert d.due_date == date(2023, 12, 31)
    assert d.ongoing


@pytest.mark.parametrize(
    "text",
    [
        "长期坚持",
        "持续推进",
        "长期",
        "持续开展",
        "常态化",
        "常态化开展",
        "持续",
        "长期坚持、持续推进",
        "日常",
        "长效",
        "动态更新",
        "持续推进。",
        "及时",
        "及时更新",
        "实时发布",
        "随时",
    ],
)
def test_ongoing(text: str) -> None:
    d = parse_deadline(text, 2023)
    assert d.kind == D.ONGOING
    assert d.due_date is None
    assert d.ongoing


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("每季度最后1个月15日前", "quarterly:last_month:15"),
        ("每季度最后一个月15日前", "quarterly:last_month:15"),
        ("每季度末月十五日前", "quarterly:last_month:15"),
        ("每季度第一个月10日前", "quarterly:first_month:10"),
        ("每季度结束后10日内", "quarterly:first_month:10"),
        ("每季度末", "quarterly:end"),
        ("每季度", "quarterly:end"),
        ("每季度更新1次", "quarterly:end"),
        ("每月10日前", "monthly:10"),
        ("每月十日前", "monthly:10"),
        ("每个月底", "monthly:end"),
        ("每月", "monthly:end"),
        ("每年12月5日前", "yearly:12-05"),
        ("每年8月15日和12月5日前", "yearly:08-15,12-05"),
        ("每年12月5日、8月15日前", "yearly:08-15,12-05"),
        ("每年6月底", "yearly:06-30"),
        ("每年", "yearly:12-31"),
        ("每年底", "yearly:12-31"),
        ("每半年", "semiannual:end"),
        ("每半年末", "semiannual:end"),
        ("每周五", "weekly:5"),
        ("每周", "weekly:7"),
        ("于每月5日前", "monthly:5"),
        ("每季度最后一个月15日前报送", "quarterly:last_month:15"),
        ("每年8月15日、12月5日前报送", "yearly:08-15,12-05"),
    ],
)
def test_recurring(text: str, rule: str) -> None:
    d = parse_deadline(text, 2023)
    assert d.kind == D.RECURRING
    assert d.recurrence == rule
    assert d.due_date is None
    assert d.ongoing


@pytest.mark.parametrize(
    ("rule", "after", "expected"),
    [
        ("quarterly:last_month:15", date(2023, 7, 1), date(2023, 9, 15)),
        ("quarterly:last_month:15", date(2023, 9, 15), date(2023, 9, 15)),
        ("quarterly:last_month:15", date(2023, 9, 16), date(2023, 12, 15)),
        ("quarterly:last_month:15", date(2023, 12, 16), date(2024, 3, 15)),
        ("quarterly:first_month:10", date(2023, 7, 11), date(2023, 10, 10)),
        ("quarterly:end", date(2023, 7, 1), date(2023, 9, 30)),
        ("quarterly:end", date(2023, 12, 31), date(2023, 12, 31)),
        ("monthly:10", date(2023, 7, 1), date(2023, 7, 10)),
        ("monthly:10", date(2023, 7, 11), date(2023, 8, 10)),
        ("monthly:10", date(2023, 12, 11), date(2024, 1, 10)),
        ("monthly:31", date(2023, 6, 1), date(2023, 6, 30)),
        ("monthly:31", date(2024, 2, 1), date(2024, 2, 29)),
        ("monthly:end", date(2023, 2, 1), date(2023, 2, 28)),
        ("yearly:12-05", date(2023, 7, 1), date(2023, 12, 5)),
        ("yearly:12-05", date(2023, 12, 6), date(2024, 12, 5)),
        ("yearly:08-15,12-05", date(2023, 7, 1), date(2023, 8, 15)),
        ("yearly:08-15,12-05", date(2023, 8, 16), date(2023, 12, 5)),
        ("semiannual:end", date(2023, 7, 1), date(2023, 12, 31)),
        ("semiannual:end", date(2023, 1, 1), date(2023, 6, 30)),
        ("weekly:5", date(2023, 7, 1), date(2023, 7, 7)),  # a Saturday -> next Friday
        ("weekly:6", date(2023, 7, 1), date(2023, 7, 1)),
        ("weekly:7", date(2023, 7, 3), date(2023, 7, 9)),
        ("nonsense", date(2023, 7, 1), None),
        ("monthly:x", date(2023, 7, 1), None),
    ],
)
def test_next_occurrence(rule: str, after: date, expected: date | None) -> None:
    assert next_occurrence(Deadline(kind=D.RECURRING, recurrence=rule), after) == expected


def test_next_occurrence_other_kinds() -> None:
    year_round = parse_deadline("全年", 2023)
    assert next_occurrence(year_round, date(2023, 7, 1)) == date(2023, 12, 31)
    assert next_occurrence(year_round, date(2024, 1, 1)) is None
    fixed = parse_deadline("8月15日", 2023)
    assert next_occurrence(fixed, date(2023, 8, 15)) == date(2023, 8, 15)
    assert next_occurrence(parse_deadline("长期坚持", 2023), date(2023, 7, 1)) is None
    assert next_occurrence(Deadline(kind=D.RECURRING), date(2023, 7, 1)) is None


@pytest.mark.parametrize(
    ("text", "days", "working", "anchor"),
    [
        ("文件公布后3个工作日内", 3, True, "文件公布"),
        ("印发后30日内", 30, False, "印发"),
        ("收到申请之日起20个工作日内", 20, True, "收到申请"),
        ("政策出台后5个工作日内", 5, True, "政策出台"),
        ("文件印发后二十个工作日内", 20, True, "文件印发"),
        ("政策文件公开后3日内", 3, False, "政策文件公开"),
        ("会议召开后两周内", 14, False, "会议召开"),
        ("信息形成或变更之日起20个工作日内", 20, True, "信息形成或变更"),
        ("5个工作日内", 5, True, None),
        ("印发之日起十五天内", 15, False, "印发"),
        ("收到申请后15个工作日内答复", 15, True, "收到申请"),
        ("自印发之日起30日内", 30, False, "印发"),
        ("最迟在文件公布后3个工作日内上网", 3, True, "文件公布"),
        ("文件公布后３个工作日内", 3, True, "文件公布"),
    ],
)
def test_relative(text: str, days: int, working: bool, anchor: str | None) -> None:
    d = parse_deadline(text, 2023)
    assert d.kind == D.RELATIVE
    assert d.relative_days == days
    assert d.working_days is working
    assert d.anchor_text == anchor
    assert d.due_date is None
    assert d.anchor_date is None


@pytest.mark.parametrize(
    "text",
    [
        "随便写写",
        "2月30日",
        "13月底",
        "2023年13月",
        "2023-02-30",
        "0月",
        "每月32日",
        "每年2月30日",
        "6月底前、长期坚持",
        "尽快",
        "视情况而定",
        "11",
        "2023年6月底前完成初稿，年底前完成终稿",
        "印发后一段时间内",  # (印发后1个月内 is relative now: test_relative_deadlines_in_months…)
        "第5季度",
        "9999年1月1日",
        "1200年1月1日",
        "????",
        "按上级要求",
        "9月底前（视情况）",
        "每季度结束后15个工作日内",
        "第二、三季度",
        "一二月",
        "6月前",
        "6月份前",
        "2023年6月前完成",
        "10月以前",
        "2023年前",
        "三季度前",
        "2022年6月底前、11月前",
        "月底前",
        "15日前",
        "自2023年1月起",
        "2023年6月底前完成，此后长期坚持",
    ],
)
def test_unknown_keeps_text_and_no_date(text: str) -> None:
    d = parse_deadline(text, 2023)
    assert d.kind == D.UNKNOWN
    assert d.due_date is None
    assert d.text == text
    assert d.flagged


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\u3000"])
def test_empty_is_none(text: str) -> None:
    d = parse_deadline(text, 2023)
    assert d == Deadline(text="", kind=D.NONE)


def test_non_string_input_does_not_raise() -> None:
    assert parse_deadline(None, 2023).kind == D.NONE  # type: ignore[arg-type]
    assert parse_deadline(20230815, 2023).kind == D.DATE  # type: ignore[arg-type]


def test_parser_bug_is_flagged_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(text: str, year: int | None) -> Deadline:
        raise RuntimeError("bug")

    monkeypatch.setattr(deadlines, "_parse", boom)
    assert parse_deadline("11月底", 2023) == Deadline(text="11月底", kind=D.UNKNOWN)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("十一月", "11月"),
        ("二十", "20"),
        ("三十一", "31"),
        ("两周", "2周"),
        ("一百二十", "120"),
        ("二〇二三年", "2023年"),
        ("１１ 月", "11月"),
        ("十", "10"),
        ("二零一九年", "2019年"),
        ("一二月", "一二月"),
        ("第一季度", "第1季度"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


# ---------------------------------------------------------------------------------------------
# resolve_relative


def _calendar_2023() -> WorkdayCalendar:
    # Mid-Autumn + National Day 2023: 9-29 .. 10-6 off, 10-7 and 10-8 (Sat, Sun) worked.
    days = [HolidayDay(date(2023, 9, 29) + timedelta(days=i), False) for i in range(8)]
    days += [HolidayDay(date(2023, 10, 7), True), HolidayDay(date(2023, 10, 8), True)]
    return WorkdayCalendar(days, known={2023})


def test_resolve_relative_working_days_skip_holidays() -> None:
    d = parse_deadline("文件公布后3个工作日内", 2023)
    # Published Thu 2023-09-28: 9-29..10-6 off, then Sat 10-7, Sun 10-8 (调休), Mon 10-9.
    r = resolve_relative(d, date(2023, 9, 28), _calendar_2023())
    assert r.anchor_date == date(2023, 9, 28)
    assert r.due_date == date(2023, 10, 9)
    assert r.kind == D.RELATIVE
    assert r.text == d.text
    assert d.due_date is None  # the original is unchanged


def test_resolve_relative_calendar_days() -> None:
    d = parse_deadline("印发后30日内", 2023)
    r = resolve_relative(d, date(2023, 7, 1))
    assert r.due_date == date(2023, 7, 31)


def test_resolve_relative_default_calendar_uses_chinesecalendar() -> None:
    d = parse_deadline("收到申请之日起20个工作日内", 2023)
    # 2023-09-25 (Mon): 9-26..9-28 (3), 10-7, 10-8 (5), then 10-9.. : 15 more working days -> 10-27
    assert resolve_relative(d, date(2023, 9, 25)).due_date == date(2023, 10, 27)


def test_resolve_relative_unknown_year_raises_chinese_message() -> None:
    d = parse_deadline("文件公布后3个工作日内", 2023)
    with pytest.raises(UnknownYearError) as err:
        resolve_relative(d, date(2023, 12, 29), WorkdayCalendar([], known={2023}))
    assert "2024年" in err.value.message


def test_resolve_relative_leaves_other_kinds() -> None:
    d = parse_deadline("11月底", 2023)
    assert resolve_relative(d, date(2023, 7, 1)) is d


# ---------------------------------------------------------------------------------------------
# properties


@settings(max_examples=400)
@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    d = parse_deadline(text, 2023)
    assert isinstance(d, Deadline)
    if d.kind == D.UNKNOWN:
        assert d.due_date is None


_PIECES = st.sampled_from(
    list("0123456789一二三十两〇年月日号底前后内末份季度上下半全每周个工作起之、，,至-./ 　")
    + ["长期", "持续", "推进", "坚持", "常态化", "季度", "工作日", "公布", "印发", "旬"]
)


@settings(max_examples=600)
@given(st.lists(_PIECES, max_size=12).map("".join), st.one_of(st.none(), st.integers(-5, 10000)))
def test_inner_parser_never_raises_on_deadline_like_text(text: str, year: int | None) -> None:
    # _parse without the safety net, so a real bug shows here instead of turning into UNKNOWN.
    d = deadlines._parse(text.strip() or "x", year)
    if d.kind == D.DATE:
        assert d.due_date is not None
    if d.kind == D.RECURRING:
        assert next_occurrence(d, date(2023, 7, 1)) is not None


@pytest.mark.parametrize("piece", ["1", "11月底、", "（", "后", "每", "和", "月"])
def test_long_cell_stays_fast(piece: str) -> None:
    import time

    start = time.perf_counter()
    parse_deadline(piece * (20000 // len(piece)), 2023)
    assert time.perf_counter() - start < 5


def test_relative_deadlines_in_months_count_whole_months_from_the_anchor() -> None:
    """印发后1个月内 (the issue's example) is relative; "6月内" stays June."""
    from datetime import date

    from desktop_app.domain.deadlines import parse_deadline, resolve_relative
    from desktop_app.domain.model import DeadlineKind

    d = parse_deadline("印发后1个月内", 2024)
    assert (d.kind, d.anchor_text) == (DeadlineKind.RELATIVE, "印发")
    assert resolve_relative(d, date(2024, 4, 26)).due_date == date(2024, 5, 26)
    assert resolve_relative(d, date(2024, 1, 31)).due_date == date(2024, 2, 29)  # no 31 February
    two = parse_deadline("收到通知之日起2个月内", 2024)
    assert resolve_relative(two, date(2024, 11, 30)).due_date == date(2025, 1, 30)
    june = parse_deadline("6月内", 2024)
    assert june.kind == DeadlineKind.DATE and june.due_date == date(2024, 6, 30)
