"""The State Council's yearly holiday notice (国务院办公厅关于XXXX年部分节假日安排的通知), pasted as
text -> the year's 放假 days and 调休 working days.

The notice lists each holiday in a numbered clause: "二、春节：1月28日（农历除夕）至2月4日（农历正月
初七）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。" A range may cross the new year
("2024年12月30日至2025年1月1日"); "与周末连休" adds nothing (the weekend is off anyway). A working day
the notice names must be a Saturday or Sunday, a holiday day is checked against the days it counts
("共8天"): a mismatch is a warning, since a wrong year or a typo in the paste is the usual cause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from desktop_app.domain.model import HolidayDay, LedgerError

_CN_NUM = "一二三四五六七八九十"
# "一、元旦：" / "（二）春节：" opening a clause; the name is what stands before the colon.
_CLAUSE = re.compile(rf"(?:^|\n|\s)(?:[{_CN_NUM}]+、|[（(][{_CN_NUM}]+[)）])\s*([^：:\n]{{1,12}})[：:]")
_NOTE = r"(?:[（(][^（）()]{0,12}[)）])?"
_DATE = r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日"
_RANGE = re.compile(rf"{_DATE}{_NOTE}\s*(?:至\s*{_DATE}{_NOTE})?\s*放假")
_ONE_DATE = re.compile(rf"{_DATE}\s*(?:[（(](?:星期|周)[一二三四五六日天][)）])?")
_COUNT = re.compile(r"共\s*(\d{1,2})\s*天")


@dataclass
class NoticeDays:
    days: list[HolidayDay] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def holidays(self) -> list[date]:
        return [d.day for d in self.days if not d.is_workday]

    @property
    def workdays(self) -> list[date]:
        return [d.day for d in self.days if d.is_workday]


def _date(year: int, month: int, day: int, what: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise LedgerError(f"通知中的日期“{month}月{day}日”（{what}）不存在，请核对粘贴的文字。") from None


def parse_holiday_notice(text: str, year: int) -> NoticeDays:
    """The days a notice for `year` sets. Raises LedgerError (one sentence) when it names none."""
    text = (text or "").replace("\r", "")
    starts = [(m.start(1), m.group(1).strip()) for m in _CLAUSE.finditer(text)]
    result = NoticeDays()
    for k, (pos, name) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(text)
        _clause(text[pos:end], name, year, result)
    if not result.days:
        raise LedgerError(
            f"没有从粘贴的文字中读到{year}年的放假安排：请粘贴国务院办公厅节假日安排通知的正文（“一、元旦：…”起）。"
        )
    work = [d.day for d in result.days if d.is_workday]
    if work and sum(1 for d in work if d.weekday() < 5) * 2 > len(work):
        raise LedgerError(
            f"通知中的调休上班日大多不是周末，可能不是{year}年的通知：请核对年份后再导入，原有数据未改动。"
        )
    seen: dict[date, HolidayDay] = {}
    for d in result.days:
        seen[d.day] = d  # a day named twice: the later clause wins
    result.days = sorted(seen.values(), key=lambda d: d.day)
    return result


def _clause(body: str, name: str, year: int, out: NoticeDays) -> None:
    m = _RANGE.search(body)
    if not m:
        return
    y1, m1, d1, y2, m2, d2 = m.groups()
    if m1 is None:
        out.warnings.append(f"{name}：没有写月份，已跳过。")
        return
    start_year = int(y1) if y1 else year
    start = _date(start_year, int(m1), int(d1), name)
    if d2 is None:
        end = start
    else:
        month2 = int(m2) if m2 else start.month
        end_year = int(y2) if y2 else start_year + (1 if month2 < start.month else 0)
        end = _date(end_year, month2, int(d2), name)
    if end < start or (end - start).days > 15:
        out.warnings.append(f"{name}：放假日期“{m.group(0)}”看不懂，已跳过。")
        return
    day = start
    while day <= end:
        out.days.append(HolidayDay(day, False, name))
        day += timedelta(days=1)
    count = _COUNT.search(body, m.end())
    if count and int(count.group(1)) != (end - start).days + 1:
        out.warnings.append(
            f"{name}：通知写“共{count.group(1)}天”，日期范围却是 {(end - start).days + 1} 天，请核对。"
        )
    # "1月26日（周日）、2月8日（周六）上班": the sentence that ends in 上班
    for sentence in re.split(r"[。；;\n]", body[m.end() :]):
        if "上班" not in sentence:
            continue
        for w in _ONE_DATE.finditer(sentence.split("上班")[0]):
            wy, wm, wd = w.group(1), w.group(2), w.group(3)
            if wm is None:
                continue
            month = int(wm)
            w_year = int(wy) if wy else (start.year - 1 if month > start.month + 6 else start.year)
            work = _date(w_year, month, int(wd), name)
            if work.weekday() < 5:
                out.warnings.append(f"{name}：调休上班日 {work.month}月{work.day}日 不是周末，请核对年份。")
            out.days.append(HolidayDay(work, True, f"{name}调休上班"))
