"""年度结转 rules: how a task's deadline and a ledger's report dates move into the next year.

A carried task is next year's work, so its dated deadline moves with it: the text is re-read with
the new year, and a year written in it ("2022年11月") becomes the new one ("2023年11月"). Where
moving is not safe (a year older than the ledger's, a deadline we could not read, a relative
deadline whose anchor date was last year's) the text is kept and the task is marked 待确认 for the
user to review; such a deadline shows no date, so the new ledger does not open full of 已逾期.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from desktop_app.domain.deadlines import parse_deadline
from desktop_app.domain.model import Deadline, DeadlineKind

__all__ = [
    "LEAVE_REASONS",
    "ShiftedDeadline",
    "shift_date",
    "shift_deadline",
    "shift_report_dates",
]

# Why a task is not carried into the next year (the carry-over dialog offers these).
LEAVE_REASONS = ("已完成", "取消", "合并到")

# A 4-digit year as written in a deadline: before 年, before "-11" / ".11" / "/11", or a compact 20221130.
_YEAR = re.compile(r"(?<!\d)(\d{4})(?=年|[-./]\d|\d{4}(?!\d))")
_FEB_29 = re.compile(r"(?<!\d)(0?2)(月|[-./])29(?!\d)")


@dataclass(frozen=True)
class ShiftedDeadline:
    deadline: Deadline  # the deadline in the new ledger
    to_confirm: str | None = None  # why the user should review it (None: moved safely)


def shift_date(d: date, years: int = 1) -> date:
    """The same day `years` later; Feb 29 becomes Feb 28 in a year without one."""
    year = d.year + years
    if d.month == 2 and d.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return d.replace(year=year)


def shift_report_dates(dates: Iterable[date], years: int = 1) -> list[date]:
    """Report dates of the next year: each moved by a year (Feb 29 -> Feb 28), sorted, no repeats."""
    return sorted({shift_date(d, years) for d in dates})


def shift_deadline(deadline: Deadline, old_year: int, new_year: int) -> ShiftedDeadline:
    """The deadline of a task carried from old_year's ledger into new_year's (see the module doc)."""
    kind = deadline.kind
    text = deadline.text
    if kind in (DeadlineKind.NONE, DeadlineKind.ONGOING) and not _YEAR.search(text):
        return ShiftedDeadline(deadline)
    older: list[int] = []

    def move(m: re.Match[str]) -> str:
        y = int(m.group(1))
        if y == old_year:
            return str(new_year)
        if y < old_year:
            older.append(y)
        return m.group(1)  # a later year already lies in the new ledger's time: kept

    new_text = _YEAR.sub(move, text)
    if not calendar.isleap(new_year):
        new_text = _FEB_29.sub(lambda m: f"{m.group(1)}{m.group(2)}28", new_text)
    if older:
        reason = f"完成时限写的是{older[0]}年，早于原台账的{old_year}年，未能自动顺延，请核对后修改"
        return ShiftedDeadline(Deadline(text=text, kind=DeadlineKind.UNKNOWN), reason)
    if kind == DeadlineKind.UNKNOWN:
        return ShiftedDeadline(
            Deadline(text=new_text, kind=DeadlineKind.UNKNOWN), "完成时限未能识别，请核对后修改"
        )
    moved = parse_deadline(new_text, new_year)
    if moved.kind == DeadlineKind.UNKNOWN:
        return ShiftedDeadline(moved, "顺延到新年度后完成时限无法识别，请核对后修改")
    if kind == DeadlineKind.RELATIVE and deadline.anchor_date is not None:
        # the anchor event (文件公布 ...) happened last year: next year's is not known yet
        moved = replace(moved, anchor_date=None, due_date=None)
        anchor = deadline.anchor_text or "起算事件"
        return ShiftedDeadline(
            moved, f"起算日期（{anchor}：{deadline.anchor_date.isoformat()}）属于上一年度，请填写新的起算日期"
        )
    if moved.due_date is not None and moved.due_date.year < new_year:
        return ShiftedDeadline(
            Deadline(text=new_text, kind=DeadlineKind.UNKNOWN),
            f"完成时限仍在{moved.due_date.year}年，请核对后修改",
        )
    return ShiftedDeadline(moved)
