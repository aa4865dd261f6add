"""Reads a 完成时限 cell ("11月底前", "长期坚持", "文件公布后3个工作日内" ...) into a Deadline."""

from __future__ import annotations

import calendar as _calendar
import re
import unicodedata
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from desktop_app.domain import clock
from desktop_app.domain.model import Deadline, DeadlineKind

if TYPE_CHECKING:
    from desktop_app.domain.workdays import WorkdayCalendar

__all__ = ["parse_deadline", "next_occurrence", "resolve_relative", "normalize"]

# ---------------------------------------------------------------------------------------------
# Text normalisation

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_NUMBER = re.compile(r"[零〇○一二两三四五六七八九十百]+")
_SPACE = re.compile(r"\s+")


def _cn_to_int(run: str) -> int | None:
    """十一 -> 11, 三十 -> 30, 二〇二三 -> 2023; None for runs that are no one number ("一二月")."""
    if "十" not in run and "百" not in run:
        # Digit by digit only for one digit or a written-out year (it has a zero: 二〇二三, 二零一九);
        # "一二月" means January–February, not December.
        if len(run) > 1 and not any(ch in "零〇○" for ch in run):
            return None
        return int("".join(str(_CN_DIGITS[ch]) for ch in run))
    total = 0
    current = 0
    for ch in run:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


def _replace_cn_number(match: re.Match[str]) -> str:
    value = _cn_to_int(match.group(0))
    return match.group(0) if value is None else str(value)


def normalize(text: str) -> str:
    """Full-width to half-width, no spaces, Chinese numerals as digits: "十一月 底前" -> "11月底前"."""
    text = unicodedata.normalize("NFKC", text)
    text = _SPACE.sub("", text)
    text = _CN_NUMBER.sub(_replace_cn_number, text)
    return text.strip("。.,;；:：、!！")


# ---------------------------------------------------------------------------------------------
# Pieces of the grammar

# 及时/实时/随时 ("及时更新") name no date either: the work goes on as things happen.
_ONGOING = re.compile(
    r"(?:长期|持续|常态化?|日常|经常性?|长效|动态|及时|实时|随时)"
    r"(?:坚持|推进|开展|进行|落实|实施|执行|更新|调整|公开|发布|化|性|工作|管理)*"
)
_YEAR_ROUND = re.compile(r"(?:(\d{4})年)?全年(?:度)?(?:内)?(?:持续|推进|开展|实施|落实|完成|坚持|进行)*")
_PREFIX = re.compile(
    r"^(?:(?:完成)?时限[:：]?|于|在|截至|截止到|截止至|截止|最迟|最晚|不晚于|务必|须|需|要|应|力争|计划|预计|原则上)+"
)
# What follows a date: "前", "前完成", "前报送" ... ("11月底前报送" is still 11-30).
_SUFFIX = re.compile(r"(?:完成|办结|结束|为止|止|截止|以前|之前|前|报送|上报|提交|公开|发布|上网)+$")
# "-" separates only after a month/day ("3月-6月"); inside "2023-08-15" it is part of the date.
_SEGMENT_SEP = re.compile(r"[、,;；/和及与或至到~～—]+|(?<=[月日号底末])-")

_FULL_DATE = re.compile(r"(\d{4})(?:年|[-./])(\d{1,2})(?:月|[-./])(\d{1,2})[日号]?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONTH_DAY = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]")
_MONTH = re.compile(r"(?:(\d{4})(?:年|[-./]))?(\d{1,2})月?(?:份)?(底|末|内|终|上旬|中旬|下旬)?")
_YEAR_PART = re.compile(r"(?:(\d{4})年?)?(上半年|下半年|年底|年末|年内|年终|年度内|年中)(?:底|末|内)?")
_YEAR_ONLY = re.compile(r"(\d{4})年(?:度)?(?:底|末|内)?")
_QUARTER = re.compile(r"(?:(\d{4})年)?(前|第)?([1-4])季度(?:末|底|内)?")
_RELATIVE = re.compile(
    r"(?P<anchor>.*?)(?:之日)?(?:以后|之后|后|起)?(?:的)?(?P<n>\d{1,4})个?"
    r"(?P<unit>工作日|自然日|日历日|日|天|周|星期)(?:内|之内|以内)"
    r"(?:完成|办结|公开|答复|发布|报送|上报|上网|公布|更新|解读|印发)?"
)

# "印发后1个月内", "收到通知之日起2个月内": whole months after an event (never "6月内", which is June).
_RELATIVE_MONTHS = re.compile(
    r"(?P<anchor>.+?)(?:之日)?(?:以后|之后|后|起)(?:的)?(?P<n>\d{1,2})个月(?:内|之内|以内)"
    r"(?:完成|办结|公开|答复|发布|报送|上报|上网|公布|更新|解读|印发)?"
)
MONTHS_RULE = "months:"  # a RELATIVE deadline counted in months keeps "months:N" in Deadline.recurrence

# "6月前", "2023年前", "三季度前": before June, or by June? Read either way, so never guessed.
_AMBIGUOUS_BEFORE = re.compile(
    r"(?:(?:\d{4}年)?\d{1,2}月份?|\d{4}年|(?:第|前)?[1-4]季度)(?:以前|之前|前)(?:完成|报送|上报|提交|公开|发布|上网)*$"
)
_NEXT_YEAR = re.compile(r"^(?:次年|明年|翌年|下一?年度?)(?!度)")
_THIS_YEAR = re.compile(r"^(?:今年|当年|本年度?)")

# One segment's outcome: understood date, understood-but-impossible, or not a date at all.
_INVALID = "invalid"


def _month_end(year: int, month: int) -> date:
    return date(year, month, _calendar.monthrange(year, month)[1])


def _checked_year(raw: str | None, fallback: int) -> int:
    if raw is None:
        return fallback
    year = int(raw)
    if not 1900 <= year <= 2200:
        raise ValueError(year)
    return year


def _parse_date_segment(seg: str, year: int) -> tuple[date, int] | str | None:
    """A date and the year it named (carried to later segments), _INVALID, or None (not understood)."""
    seg = _PREFIX.sub("", seg)
    if _AMBIGUOUS_BEFORE.match(seg):
        return _INVALID
    # 次年/明年 and 今年/当年 name the year relative to the ledger's.
    seg = _NEXT_YEAR.sub(lambda _m: f"{year + 1}年", seg, count=1)
    seg = _THIS_YEAR.sub(lambda _m: f"{year}年", seg, count=1)
    seg = _SUFFIX.sub("", seg)
    if not seg:
        return None
    try:
        if m := _FULL_DATE.fullmatch(seg) or _COMPACT_DATE.fullmatch(seg):
            y = _checked_year(m.group(1), year)
            return date(y, int(m.group(2)), int(m.group(3))), y
        if m := _MONTH_DAY.fullmatch(seg):
            y = _checked_year(m.group(1), year)
            return date(y, int(m.group(2)), int(m.group(3))), y
        if (m := _MONTH.fullmatch(seg)) and ("月" in seg or m.group(1)):
            y = _checked_year(m.group(1), year)
            month = int(m.group(2))
            part = m.group(3)
            if part == "上旬":
                return date(y, month, 10), y
            if part == "中旬":
                return date(y, month, 20), y
            return _month_end(y, month), y
        if m := _YEAR_PART.fullmatch(seg):
            y = _checked_year(m.group(1), year)
            if m.group(2) in ("上半年", "年中"):
                return date(y, 6, 30), y
            return date(y, 12, 31), y
        if m := _YEAR_ONLY.fullmatch(seg):
            y = _checked_year(m.group(1), year)
            return date(y, 12, 31), y
        if m := _QUARTER.fullmatch(seg):
            y = _checked_year(m.group(1), year)
            return _month_end(y, int(m.group(3)) * 3), y
    except ValueError:
        return _INVALID
    return None


# ---------------------------------------------------------------------------------------------
# Recurring deadlines

_RECUR_COUNT = r"(?:至少|不少于)?(?:开展|更新|发布|报送|公开|召开|组织|调度|通报|报告)?\d+次"
_RECURRING: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"每季度(?:最后1个月|最后1月|末月|第3个月)(\d{1,2})[日号]"), "quarterly:last_month:{0}"),
    (re.compile(r"每季度(?:第1个月|首月|第1月|初)(\d{1,2})[日号]"), "quarterly:first_month:{0}"),
    (re.compile(r"每季度(?:结束后|末后|后)(\d{1,2})(?:个自然日|日|天)内"), "quarterly:first_month:{0}"),
    (re.compile(rf"每(?:个)?季度?(?:末|底|结束|)(?:{_RECUR_COUNT})?"), "quarterly:end"),
    (re.compile(r"每(?:个)?月(\d{1,2})[日号]"), "monthly:{0}"),
    (re.compile(rf"每(?:个)?月(?:底|末|)(?:{_RECUR_COUNT})?"), "monthly:end"),
    (re.compile(rf"每半年(?:末|底|)(?:{_RECUR_COUNT})?"), "semiannual:end"),
    (re.compile(rf"每年(?:底|末|度|)(?:{_RECUR_COUNT})?"), "yearly:12-31"),
    (re.compile(r"每(?:周|星期)([1-7])?"), "weekly:{0}"),
]
_YEARLY_DATES = re.compile(r"每年(.+)")
_YEARLY_ITEM = re.compile(r"(\d{1,2})月(?:(\d{1,2})[日号]|底|末)?")


def _parse_recurring(s: str) -> str | None:
    if not s.startswith("每"):
        return None
    s = _SUFFIX.sub("", s)
    if m := _YEARLY_DATES.fullmatch(s):
        items = [p for p in _SEGMENT_SEP.split(m.group(1)) if p]
        rule_dates: list[str] = []
        for item in items:
            im = _YEARLY_ITEM.fullmatch(_SUFFIX.sub("", item))
            if not im:
                rule_dates = []
                break
            month = int(im.group(1))
            if not 1 <= month <= 12:
                return _INVALID
            # A non-leap year checks the day, so "2月29日" is refused rather than skipped silently.
            day = int(im.group(2)) if im.group(2) else _calendar.monthrange(2001, month)[1]
            try:
                date(2001, month, day)
            except ValueError:
                return _INVALID
            rule_dates.append(f"{month:02d}-{day:02d}")
        if rule_dates:
            return "yearly:" + ",".join(sorted(set(rule_dates)))
    for pattern, rule in _RECURRING:
        if m := pattern.fullmatch(s):
            args = [g for g in m.groups()]
            if rule.startswith("weekly"):
                return f"weekly:{args[0] or 7}"
            if args:
                day = int(args[0])
                if not 1 <= day <= 31:
                    return _INVALID
            return rule.format(*args)
    return None


def _occurrences_in_year(rule: str, year: int) -> list[date]:
    kind, _, arg = rule.partition(":")
    if kind == "monthly":
        months = range(1, 13)
        return [_day_in_month(year, m, arg) for m in months]
    if kind == "quarterly":
        where, _, day = arg.partition(":")
        if where == "end":
            return [_month_end(year, m) for m in (3, 6, 9, 12)]
        months = (3, 6, 9, 12) if where == "last_month" else (1, 4, 7, 10)
        return [_day_in_month(year, m, day) for m in months]
    if kind == "semiannual":
        return [date(year, 6, 30), date(year, 12, 31)]
    if kind == "yearly":
        out = []
        for item in arg.split(","):
            month, _, day = item.partition("-")
            out.append(_day_in_month(year, int(month), day))
        return out
    return []


def _day_in_month(year: int, month: int, day: str) -> date:
    last = _calendar.monthrange(year, month)[1]
    # "每月31日前" in a 30-day month means its last day.
    return date(year, month, last if day in ("", "end") else min(int(day), last))


def next_occurrence(deadline: Deadline, after: date) -> date | None:
    """The next due date on or after `after`.

    RECURRING: from its rule. DATE, YEAR_ROUND and resolved RELATIVE: the due date while it is not
    past. Everything else (and a rule this module does not know): None.
    """
    if deadline.kind == DeadlineKind.RECURRING:
        rule = deadline.recurrence or ""
        try:
            if rule.startswith("weekly:"):
                weekday = int(rule.split(":", 1)[1]) - 1
                return after + timedelta(days=(weekday - after.weekday()) % 7)
            for year in (after.year, after.year + 1):
                found = [d for d in _occurrences_in_year(rule, year) if d >= after]
                if found:
                    return min(found)
        except (ValueError, OverflowError):
            return None
        return None
    if deadline.due_date is not None and deadline.due_date >= after:
        return deadline.due_date
    return None


def previous_occurrence(deadline: Deadline, before: date) -> date | None:
    """RECURRING: the last due date strictly before `before` (this year or the last); else None."""
    if deadline.kind != DeadlineKind.RECURRING:
        return None
    rule = deadline.recurrence or ""
    try:
        if rule.startswith("weekly:"):
            nxt = next_occurrence(deadline, before)
            return (nxt - timedelta(days=7)) if nxt is not None else None
        for year in (before.year, before.year - 1):
            found = [d for d in _occurrences_in_year(rule, year) if d < before]
            if found:
                return max(found)
    except (ValueError, OverflowError):
        return None
    return None


def period_due_dates(deadline: Deadline, year: int) -> list[date]:
    """RECURRING: every due date of the year (每季度 …: four), for the editor to list; else []."""
    if deadline.kind != DeadlineKind.RECURRING:
        return []
    rule = deadline.recurrence or ""
    try:
        if rule.startswith("weekly:"):
            first = next_occurrence(deadline, date(year, 1, 1))
            out = []
            while first is not None and first.year == year:
                out.append(first)
                first += timedelta(days=7)
            return out
        return sorted(_occurrences_in_year(rule, year))
    except (ValueError, OverflowError):
        return []


# ---------------------------------------------------------------------------------------------
# Relative deadlines


def resolve_relative(deadline: Deadline, anchor: date, calendar: WorkdayCalendar | None = None) -> Deadline:
    """A copy of a RELATIVE deadline with its anchor date and due date filled in.

    Working days are counted with `calendar` (the database's holiday table); without one, with
    chinesecalendar's data. The anchor day itself is not counted (see WorkdayCalendar.add_workdays).
    Raises UnknownYearError when working days fall in a year the calendar does not know.
    Other kinds come back unchanged.
    """
    if deadline.kind == DeadlineKind.RELATIVE and (deadline.recurrence or "").startswith(MONTHS_RULE):
        return replace(deadline, anchor_date=anchor, due_date=_add_months(anchor, int(deadline.recurrence[7:])))
    if deadline.kind != DeadlineKind.RELATIVE or deadline.relative_days is None:
        return deadline
    if deadline.working_days:
        if calendar is None:
            from desktop_app.domain.workdays import WorkdayCalendar

            calendar = WorkdayCalendar.default()
        due = calendar.add_workdays(anchor, deadline.relative_days)
    else:
        due = anchor + timedelta(days=deadline.relative_days)
    return replace(deadline, anchor_date=anchor, due_date=due)


def _add_months(d: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day: 1/31 + 1 -> 2/29)."""
    import calendar as _cal

    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, _cal.monthrange(year, month)[1]))


def _parse_relative(s: str, text: str) -> Deadline | None:
    mm = _RELATIVE_MONTHS.fullmatch(s)
    if mm:
        anchor = re.sub(r"^(?:自|从)", "", mm.group("anchor")) or None
        return Deadline(
            text=text,
            kind=DeadlineKind.RELATIVE,
            relative_days=int(mm.group("n")) * 30,  # for ordering only; the due date counts months
            anchor_text=anchor,
            recurrence=f"{MONTHS_RULE}{int(mm.group('n'))}",
        )
    m = _RELATIVE.fullmatch(s)
    if not m:
        return None
    n = int(m.group("n"))
    unit = m.group("unit")
    days = n * 7 if unit in ("周", "星期") else n
    anchor = m.group("anchor")
    # The anchor is the event the count starts from; a bare "5个工作日内" has none.
    anchor = re.sub(r"(?:之日|以后|之后|后|起|的)+$", "", anchor)
    anchor = re.sub(r"^(?:自|从)", "", anchor) or None
    return Deadline(
        text=text,
        kind=DeadlineKind.RELATIVE,
        relative_days=days,
        working_days=unit == "工作日",
        anchor_text=anchor,
    )


# ---------------------------------------------------------------------------------------------
# Entry point


def parse_deadline(text: str, year: int | None) -> Deadline:
    """Read a deadline cell. Never raises; what it cannot read is kept as UNKNOWN with no date.

    `year` is the ledger's year, used where the text names none ("11月底"). When it is None, the
    current year (clock.today()) is used instead, so "11月底" in a ledger without a year still gets
    a date in the year the user works in.

    Several dates in one cell ("2022年6月底前、11月底前": staged work) give the LAST of them: the
    task is done only when its last stage is, and an earlier date would mark it overdue while the
    work is still on schedule. The staged dates stay visible in the text.

    Ambiguous forms are UNKNOWN rather than guessed: "6月前" (before June, or by the end of June?),
    "2023年前", "三季度前", and dates mixed with 长期坚持. Impossible dates ("2月30日") are UNKNOWN too.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    stripped = text.strip()
    if not stripped:
        return Deadline(text="", kind=DeadlineKind.NONE)
    try:
        return _parse(stripped, year)
    except Exception:  # a parser bug must not stop an import: flag the cell for the user instead
        return Deadline(text=stripped, kind=DeadlineKind.UNKNOWN)


def _parse(text: str, year: int | None) -> Deadline:
    s = normalize(text)
    unknown = Deadline(text=text, kind=DeadlineKind.UNKNOWN)
    if not s:
        return unknown
    base_year = year if year is not None else clock.today().year
    core = _SUFFIX.sub("", _PREFIX.sub("", s))

    if _ONGOING.fullmatch(core) or _ONGOING.fullmatch(s):
        return Deadline(text=text, kind=DeadlineKind.ONGOING)
    if m := _YEAR_ROUND.fullmatch(core):
        try:
            y = _checked_year(m.group(1), base_year)
        except ValueError:
            return unknown
        return Deadline(text=text, kind=DeadlineKind.YEAR_ROUND, due_date=date(y, 12, 31))
    bare = _PREFIX.sub("", s)
    rule = _parse_recurring(bare)
    if rule == _INVALID:
        return unknown
    if rule is not None:
        return Deadline(text=text, kind=DeadlineKind.RECURRING, recurrence=rule)
    if bare.startswith("每"):
        return (
            unknown  # a repeating rule we do not read ("每季度结束后15个工作日内") is not one relative date
        )
    if relative := _parse_relative(bare, text):
        return relative

    # Dates: the whole text, else its segments ("6月底前、11月底前"); a year named in one segment
    # carries to the next ("2022年6月底前、11月底前" is 2022-11-30).
    whole = _parse_date_segment(s, base_year)
    if isinstance(whole, tuple):
        return Deadline(text=text, kind=DeadlineKind.DATE, due_date=whole[0])
    if whole == _INVALID:
        return unknown
    segments = [p for p in _SEGMENT_SEP.split(s) if p]
    if len(segments) < 2:
        return unknown
    current_year = base_year
    dates: list[date] = []
    ongoing_only = True
    for seg in segments:
        core_seg = _SUFFIX.sub("", _PREFIX.sub("", seg))
        if _ONGOING.fullmatch(core_seg):
            continue
        ongoing_only = False
        got = _parse_date_segment(seg, current_year)
        if not isinstance(got, tuple):
            return unknown
        dates.append(got[0])
        current_year = got[1]
    if ongoing_only:
        return Deadline(text=text, kind=DeadlineKind.ONGOING)
    if len(dates) != len(segments):
        return unknown  # dates mixed with 长期坚持: the user decides
    return Deadline(text=text, kind=DeadlineKind.DATE, due_date=max(dates))
