"""What every view shows for a task (已逾期, 临期, 持续推进 ...), computed from its deadline and progress.

This module is the ONE place a displayed status or percent is derived. The table, the dashboard,
the progress editor, the Excel/Word exports and the printed/PDF document all call it, so a task
never reads 推进中 in one and 未开始 in another.

The rule, in a user's words:
- The recorded status (TaskStatus) starts as 未开始, which is indistinguishable from "never set".
  So 未开始 yields to what the task itself says: progress percent 100 means 已完成; any progress
  text (not just spaces) or a percent above 0 means 推进中. A status the user chose (推进中 or
  已完成) is kept as chosen. effective_status() gives that status; the editor's status box shows
  it, and display_percent() (100 for a finished task) is what every percent column shows.
- Nothing is written back: the stored status stays as it is until the user saves one. Picking
  未开始 for a task with progress text keeps showing 推进中, because written progress means work
  has started (clear the text to make it 未开始 again).
- compute_status() then adds the deadline: 已完成 first; then 已逾期 / 临期 / 即将到期 by the due
  date; then 持续推进 for ongoing kinds; then 推进中 or 未开始 from effective_status().
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from desktop_app.domain.deadlines import next_occurrence, previous_occurrence
from desktop_app.domain.model import DeadlineKind, Task, TaskStatus

__all__ = [
    "DisplayStatus",
    "StatusRules",
    "StatusInfo",
    "compute_status",
    "display_percent",
    "effective_status",
    "summarize",
]


class DisplayStatus(StrEnum):
    DONE = "done"
    OVERDUE = "overdue"
    DUE_VERY_SOON = "due_very_soon"
    DUE_SOON = "due_soon"
    ONGOING = "ongoing"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def color(self) -> str:
        """Background for a light theme; pastel so black-ish text stays readable (with text_color)."""
        return _COLORS[self][0]

    @property
    def text_color(self) -> str:
        return _COLORS[self][1]

    @property
    def icon(self) -> str:
        """A symbol shown next to the label, so the status never depends on colour alone."""
        return _ICONS[self]

    @property
    def sort_key(self) -> int:
        """Smaller is more urgent: overdue first, done last."""
        return _SORT[self]


_LABELS = {
    DisplayStatus.DONE: "已完成",
    DisplayStatus.OVERDUE: "已逾期",
    DisplayStatus.DUE_VERY_SOON: "临期",
    DisplayStatus.DUE_SOON: "即将到期",
    DisplayStatus.ONGOING: "持续推进",
    DisplayStatus.IN_PROGRESS: "推进中",
    DisplayStatus.NOT_STARTED: "未开始",
}
# (background, text): each text colour has a contrast ratio above 7:1 on its background.
_COLORS = {
    DisplayStatus.OVERDUE: ("#F8D7DA", "#842029"),
    DisplayStatus.DUE_VERY_SOON: ("#FFE0C2", "#663000"),
    DisplayStatus.DUE_SOON: ("#FFF3CD", "#5C4400"),
    DisplayStatus.DONE: ("#D1E7DD", "#0F5132"),
    DisplayStatus.ONGOING: ("#DCEBFF", "#084298"),
    DisplayStatus.IN_PROGRESS: ("#EEF0F3", "#1F2328"),
    DisplayStatus.NOT_STARTED: ("#FFFFFF", "#3D4349"),
}
_ICONS = {
    DisplayStatus.DONE: "✔",
    DisplayStatus.OVERDUE: "⚠",
    DisplayStatus.DUE_VERY_SOON: "⏰",
    DisplayStatus.DUE_SOON: "⌛",
    DisplayStatus.ONGOING: "∞",
    DisplayStatus.IN_PROGRESS: "▶",
    DisplayStatus.NOT_STARTED: "○",
}
_SORT = {
    DisplayStatus.OVERDUE: 0,
    DisplayStatus.DUE_VERY_SOON: 1,
    DisplayStatus.DUE_SOON: 2,
    DisplayStatus.NOT_STARTED: 3,
    DisplayStatus.IN_PROGRESS: 4,
    DisplayStatus.ONGOING: 5,
    DisplayStatus.DONE: 6,
}


@dataclass(frozen=True)
class StatusRules:
    """How many days before the due date a task shows 临期 and 即将到期 (a setting)."""

    very_soon_days: int = 7
    soon_days: int = 30


@dataclass(frozen=True)
class StatusInfo:
    status: DisplayStatus
    stale: bool  # progress not updated since the last report date: 待更新
    days_left: int | None  # to the (next) due date; negative when overdue; None without one

    @property
    def label(self) -> str:
        return f"{self.status.label} · 待更新" if self.stale else self.status.label


# Members as module constants: an Enum member read off its class costs ~0.4 µs on Python 3.11, and
# the statuses of a 50,000-task ledger are computed in one pass when it opens (the reminder's counts).
_NOT_STARTED, _IN_PROGRESS, _DONE = TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.DONE
_RECURRING, _YEAR_ROUND = DeadlineKind.RECURRING, DeadlineKind.YEAR_ROUND
_DATED = frozenset((DeadlineKind.DATE, DeadlineKind.YEAR_ROUND, DeadlineKind.RELATIVE))
_ONGOING_KINDS = frozenset((DeadlineKind.ONGOING, DeadlineKind.YEAR_ROUND, DeadlineKind.RECURRING))
_OVERDUE, _ONGOING = DisplayStatus.OVERDUE, DisplayStatus.ONGOING
_DUE_VERY_SOON, _DUE_SOON = DisplayStatus.DUE_VERY_SOON, DisplayStatus.DUE_SOON
_SHOWN_IN_PROGRESS, _SHOWN_NOT_STARTED = DisplayStatus.IN_PROGRESS, DisplayStatus.NOT_STARTED
_INFO_DONE = StatusInfo(DisplayStatus.DONE, stale=False, days_left=None)
# StatusInfo is frozen: equal ones are shared (a frozen dataclass costs ~1 µs to build)
_INFOS: dict[tuple, StatusInfo] = {}


def effective_status(task: Task) -> TaskStatus:
    """The recorded status as every view shows it: 未开始 (never set) yields to the task's progress.

    已完成 when recorded, or when nothing was recorded and the percent is 100; 推进中 when recorded,
    or when nothing was recorded but there is progress text or a percent above 0; else 未开始.
    """
    status = task.status
    if status != _NOT_STARTED:
        return status
    percent = task.percent or 0
    if percent >= 100:
        return _DONE
    if percent > 0 or (task.progress or "").strip():
        return _IN_PROGRESS
    return _NOT_STARTED


def display_percent(task: Task) -> int:
    """The percent every view shows: 100 for a finished task, else the recorded one (0..100)."""
    if effective_status(task) == _DONE:
        return 100
    return max(0, min(100, int(task.percent or 0)))


def _due_date(task: Task, as_of: date) -> date | None:
    deadline = task.deadline
    kind = deadline.kind
    if kind == _RECURRING:
        # A recurring task is never overdue as a whole: only the current period's due date can be near,
        # and once progress was recorded in the current period (after the last due date) that period is
        # done: the next one counts.
        nxt = next_occurrence(deadline, after=as_of)
        updated = task.progress_updated_at
        if nxt is not None and updated is not None:
            prev = previous_occurrence(deadline, nxt)
            if prev is None or updated.date() > prev:
                nxt = next_occurrence(deadline, after=nxt + timedelta(days=1))
        return nxt
    if kind in _DATED:
        return deadline.due_date  # RELATIVE has one once its anchor date is known
    return None


def due_date_on(task: Task, as_of: date) -> date | None:
    """The due date the status follows on as_of: a recurring task's current period (the next one once
    this period's progress is in), else the task's own due date."""
    return _due_date(task, as_of)


def compute_status(
    task: Task,
    as_of: date,
    rules: StatusRules = StatusRules(),
    last_report_date: date | None = None,
) -> StatusInfo:
    """The status to display on as_of (see the module's docstring for the rule).

    Order: 已完成 (effective_status); then the due date (已逾期 after it, 临期 / 即将到期 within the rule's days, the due
    day itself counting as 临期); then ongoing kinds (长期, 全年, recurring) as 持续推进; then 推进中
    or 未开始 as effective_status says. 全年 stays 持续推进 through 12-31 of its year (never
    临期 in December: it is ongoing work) and is 已逾期 after that year ends unless done.
    """
    recorded = effective_status(task)
    if recorded == _DONE:
        return _INFO_DONE
    stale = (
        last_report_date is not None
        and last_report_date <= as_of
        and (task.progress_updated_at is None or task.progress_updated_at.date() < last_report_date)
    )
    kind = task.deadline.kind
    due = _due_date(task, as_of)
    days_left = (due - as_of).days if due is not None else None

    status: DisplayStatus | None = None
    if days_left is not None:
        if days_left < 0:
            status = _OVERDUE
        elif kind == _YEAR_ROUND:
            status = _ONGOING
        elif days_left <= rules.very_soon_days:
            status = _DUE_VERY_SOON
        elif days_left <= rules.soon_days:
            status = _DUE_SOON
    if status is None and kind in _ONGOING_KINDS:
        status = _ONGOING
    if status is None:
        started = recorded == _IN_PROGRESS
        status = _SHOWN_IN_PROGRESS if started else _SHOWN_NOT_STARTED
    key = (status, stale, days_left)
    info = _INFOS.get(key)
    if info is None:
        info = _INFOS[key] = StatusInfo(status, stale=stale, days_left=days_left)
    return info


def summarize(
    tasks: Iterable[Task],
    as_of: date,
    rules: StatusRules = StatusRules(),
    last_report_date: date | None = None,
) -> dict[DisplayStatus, int]:
    """How many tasks have each status; every status is present (0 when none), most urgent first."""
    counts = {s: 0 for s in sorted(DisplayStatus, key=lambda s: s.sort_key)}
    for task in tasks:
        counts[compute_status(task, as_of, rules, last_report_date).status] += 1
    return counts
