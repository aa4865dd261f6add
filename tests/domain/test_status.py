"""Tests for the displayed task status (已逾期, 临期, 持续推进 ...) and the 待更新 flag."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.deadlines import parse_deadline
from desktop_app.domain.model import Deadline, DeadlineKind, Task, TaskStatus
from desktop_app.domain.status import (
    DisplayStatus,
    StatusInfo,
    StatusRules,
    compute_status,
    display_percent,
    effective_status,
    summarize,
)

S = DisplayStatus
AS_OF = date(2023, 7, 1)


def _task(deadline: str = "", status: TaskStatus = TaskStatus.NOT_STARTED, **kw: object) -> Task:
    return Task(deadline=parse_deadline(deadline, 2023), status=status, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("deadline", "status", "kw", "expected", "days_left"),
    [
        # done wins over everything
        ("2023年6月底", TaskStatus.DONE, {}, S.DONE, None),
        ("长期坚持", TaskStatus.DONE, {}, S.DONE, None),
        # fixed dates
        ("6月底", TaskStatus.NOT_STARTED, {}, S.OVERDUE, -1),
        ("6月底", TaskStatus.IN_PROGRESS, {}, S.OVERDUE, -1),
        ("7月1日", TaskStatus.NOT_STARTED, {}, S.DUE_VERY_SOON, 0),  # the due day is not yet overdue
        ("7月8日", TaskStatus.NOT_STARTED, {}, S.DUE_VERY_SOON, 7),
        ("7月9日", TaskStatus.NOT_STARTED, {}, S.DUE_SOON, 8),
        ("7月31日", TaskStatus.NOT_STARTED, {}, S.DUE_SOON, 30),
        ("8月1日", TaskStatus.NOT_STARTED, {}, S.NOT_STARTED, 31),
        ("8月1日", TaskStatus.IN_PROGRESS, {}, S.IN_PROGRESS, 31),
        ("11月底", TaskStatus.NOT_STARTED, {"percent": 10}, S.IN_PROGRESS, 152),
        ("11月底", TaskStatus.NOT_STARTED, {"progress": "已公开9件"}, S.IN_PROGRESS, 152),
        ("11月底", TaskStatus.NOT_STARTED, {"progress": "  \n"}, S.NOT_STARTED, 152),
        # ongoing kinds
        ("长期坚持", TaskStatus.NOT_STARTED, {}, S.ONGOING, None),
        ("持续推进", TaskStatus.IN_PROGRESS, {}, S.ONGOING, None),
        ("全年", TaskStatus.NOT_STARTED, {}, S.ONGOING, 183),
        ("每季度最后1个月15日前", TaskStatus.IN_PROGRESS, {}, S.ONGOING, 76),  # next: 9-15
        ("每月10日前", TaskStatus.IN_PROGRESS, {}, S.DUE_SOON, 9),  # next: 7-10
        ("每月5日前", TaskStatus.IN_PROGRESS, {}, S.DUE_VERY_SOON, 4),
        # no usable date
        ("", TaskStatus.NOT_STARTED, {}, S.NOT_STARTED, None),
        ("", TaskStatus.IN_PROGRESS, {}, S.IN_PROGRESS, None),
        ("看情况", TaskStatus.NOT_STARTED, {}, S.NOT_STARTED, None),
        ("文件公布后3个工作日内", TaskStatus.NOT_STARTED, {}, S.NOT_STARTED, None),  # anchor not known yet
    ],
)
def test_compute_status(
    deadline: str, status: TaskStatus, kw: dict, expected: DisplayStatus, days_left: int | None
) -> None:
    info = compute_status(_task(deadline, status, **kw), AS_OF)
    assert info.status == expected
    assert info.days_left == days_left
    assert info.stale is False


def test_year_round_is_ongoing_through_december_then_overdue() -> None:
    task = _task("全年")
    assert compute_status(task, date(2023, 12, 20)).status == S.ONGOING  # never 临期: it is ongoing work
    assert compute_status(task, date(2023, 12, 31)).status == S.ONGOING
    after = compute_status(task, date(2024, 1, 1))
    assert after.status == S.OVERDUE
    assert after.days_left == -1
    task.status = TaskStatus.DONE
    assert compute_status(task, date(2024, 1, 1)).status == S.DONE


def test_recurring_is_never_overdue() -> None:
    task = _task("每季度最后1个月15日前")
    for day in (date(2023, 9, 16), date(2023, 12, 31), date(2024, 3, 15)):
        assert compute_status(task, day).status != S.OVERDUE


def test_resolved_relative_deadline_counts() -> None:
    d = Deadline(text="印发后30日内", kind=DeadlineKind.RELATIVE, relative_days=30, due_date=date(2023, 6, 1))
    assert compute_status(Task(deadline=d), AS_OF).status == S.OVERDUE


def test_ongoing_kind_overdue_when_due_date_passed() -> None:
    d = Deadline(kind=DeadlineKind.YEAR_ROUND, due_date=date(2022, 12, 31))
    assert compute_status(Task(deadline=d), AS_OF).status == S.OVERDUE


def test_rules_change_windows() -> None:
    task = _task("7月20日")
    assert compute_status(task, AS_OF).status == S.DUE_SOON
    assert compute_status(task, AS_OF, StatusRules(very_soon_days=20)).status == S.DUE_VERY_SOON
    assert compute_status(task, AS_OF, StatusRules(very_soon_days=3, soon_days=10)).status == S.NOT_STARTED


@pytest.mark.parametrize(
    ("updated", "report", "stale"),
    [
        (None, date(2023, 6, 15), True),
        (datetime(2023, 6, 14, 18, 0), date(2023, 6, 15), True),
        (datetime(2023, 6, 15, 9, 0), date(2023, 6, 15), False),  # updated on the report day
        (datetime(2023, 6, 20, 9, 0), date(2023, 6, 15), False),
        (None, None, False),
        (None, date(2023, 8, 15), False),  # the report date has not come yet
        (None, AS_OF, True),
    ],
)
def test_stale(updated: datetime | None, report: date | None, stale: bool) -> None:
    task = _task("11月底", TaskStatus.IN_PROGRESS, progress_updated_at=updated)
    info = compute_status(task, AS_OF, last_report_date=report)
    assert info.stale is stale
    assert info.label == ("推进中 · 待更新" if stale else "推进中")


def test_done_is_never_stale() -> None:
    task = _task("6月底", TaskStatus.DONE)
    assert compute_status(task, AS_OF, last_report_date=date(2023, 6, 15)).stale is False


def test_stale_label_with_overdue() -> None:
    info = StatusInfo(S.OVERDUE, stale=True, days_left=-3)
    assert info.label == "已逾期 · 待更新"
    assert StatusInfo(S.OVERDUE, stale=False, days_left=-3).label == "已逾期"


@pytest.mark.parametrize(
    ("status", "label", "icon"),
    [
        (S.DONE, "已完成", "✔"),
        (S.OVERDUE, "已逾期", "⚠"),
        (S.DUE_VERY_SOON, "临期", "⏰"),
        (S.DUE_SOON, "即将到期", "⌛"),
        (S.ONGOING, "持续推进", "∞"),
        (S.IN_PROGRESS, "推进中", "▶"),
        (S.NOT_STARTED, "未开始", "○"),
    ],
)
def test_labels_and_icons(status: DisplayStatus, label: str, icon: str) -> None:
    assert status.label == label
    assert status.icon == icon


def _luminance(hex_color: str) -> float:
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


@pytest.mark.parametrize("status", list(DisplayStatus))
def test_colors_are_hex_and_readable(status: DisplayStatus) -> None:
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", status.color)
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", status.text_color)
    hi, lo = sorted([_luminance(status.color), _luminance(status.text_color)], reverse=True)
    assert (hi + 0.05) / (lo + 0.05) >= 7  # WCAG AAA for normal text


def test_colors_distinct_and_urgent_first() -> None:
    assert len({s.color for s in DisplayStatus}) == len(DisplayStatus)
    assert len({s.icon for s in DisplayStatus}) == len(DisplayStatus)
    order = sorted(DisplayStatus, key=lambda s: s.sort_key)
    assert order[:3] == [S.OVERDUE, S.DUE_VERY_SOON, S.DUE_SOON]
    assert order[-1] == S.DONE
    assert len({s.sort_key for s in DisplayStatus}) == len(DisplayStatus)


def test_summarize() -> None:
    tasks = [
        _task("6月底"),
        _task("6月底", TaskStatus.DONE),
        _task("7月5日"),
        _task("长期坚持"),
        _task("全年"),
        _task("11月底", TaskStatus.IN_PROGRESS),
        _task(""),
    ]
    counts = summarize(tasks, AS_OF)
    assert counts == {
        S.OVERDUE: 1,
        S.DUE_VERY_SOON: 1,
        S.DUE_SOON: 0,
        S.NOT_STARTED: 1,
        S.IN_PROGRESS: 1,
        S.ONGOING: 2,
        S.DONE: 1,
    }
    assert list(counts) == sorted(DisplayStatus, key=lambda s: s.sort_key)
    assert sum(summarize([], AS_OF).values()) == 0


@given(
    st.sampled_from(["", "6月底", "7月3日", "全年", "长期坚持", "每月10日前", "乱写", "9月底", "每周"]),
    st.sampled_from(list(TaskStatus)),
    st.integers(0, 100),
    st.dates(date(2022, 1, 1), date(2025, 12, 31)),
)
def test_status_always_defined(deadline: str, status: TaskStatus, percent: int, as_of: date) -> None:
    info = compute_status(_task(deadline, status, percent=percent), as_of)
    assert isinstance(info.status, DisplayStatus)
    # done when recorded, or when never set (未开始) but the percent says 100
    assert (info.status == S.DONE) == (
        status == TaskStatus.DONE or (status == TaskStatus.NOT_STARTED and percent == 100)
    )


@pytest.mark.parametrize(
    ("status", "percent", "progress", "effective", "shown_percent"),
    [
        (TaskStatus.NOT_STARTED, 0, "", TaskStatus.NOT_STARTED, 0),
        (TaskStatus.NOT_STARTED, 0, "   \n", TaskStatus.NOT_STARTED, 0),  # blanks are no progress
        (TaskStatus.NOT_STARTED, 0, "已公开9件", TaskStatus.IN_PROGRESS, 0),  # text, status never set
        (TaskStatus.NOT_STARTED, 40, "", TaskStatus.IN_PROGRESS, 40),
        (TaskStatus.NOT_STARTED, 100, "", TaskStatus.DONE, 100),  # 100 %, status never set
        (TaskStatus.IN_PROGRESS, 0, "", TaskStatus.IN_PROGRESS, 0),
        (TaskStatus.IN_PROGRESS, 100, "", TaskStatus.IN_PROGRESS, 100),  # chosen status is kept
        (TaskStatus.DONE, 0, "", TaskStatus.DONE, 100),  # done shows 100 % everywhere
        (TaskStatus.DONE, 100, "完成", TaskStatus.DONE, 100),
    ],
)
def test_effective_status_and_percent(
    status: TaskStatus, percent: int, progress: str, effective: TaskStatus, shown_percent: int
) -> None:
    task = _task("11月底", status, percent=percent, progress=progress)
    assert effective_status(task) == effective
    assert display_percent(task) == shown_percent
    # the table's status follows the same rule
    shown = compute_status(task, AS_OF).status
    assert (
        shown
        == {
            TaskStatus.DONE: S.DONE,
            TaskStatus.IN_PROGRESS: S.IN_PROGRESS,
            TaskStatus.NOT_STARTED: S.NOT_STARTED,
        }[effective]
    )
    assert task.status == status  # deriving never writes back


def test_a_recurring_task_follows_the_current_period() -> None:
    """每季度最后1个月15日前: before this quarter's progress, 6/15 is near (临期); once progress is recorded
    after the last due date (3/15) the quarter is done and the next one (9/15) counts; the year's four
    due dates are listed."""
    from datetime import datetime

    from desktop_app.domain.deadlines import parse_deadline, period_due_dates, previous_occurrence
    from desktop_app.domain.model import Task
    from desktop_app.domain.status import DisplayStatus, compute_status

    d = parse_deadline("每季度最后1个月15日前", 2024)
    assert period_due_dates(d, 2024) == [date(2024, 3, 15), date(2024, 6, 15), date(2024, 9, 15), date(2024, 12, 15)]
    assert previous_occurrence(d, date(2024, 6, 15)) == date(2024, 3, 15)
    assert previous_occurrence(d, date(2024, 2, 1)) == date(2023, 12, 15)
    task = Task(content="季度更新", deadline=d, progress="一季度已更新", progress_updated_at=datetime(2024, 3, 10, 9))
    info = compute_status(task, date(2024, 6, 10))
    assert info.status == DisplayStatus.DUE_VERY_SOON and info.days_left == 5  # Q1's update is not Q2's
    task.progress_updated_at = datetime(2024, 6, 3, 9)  # Q2's work recorded
    info = compute_status(task, date(2024, 6, 10))
    assert info.status == DisplayStatus.ONGOING and info.days_left == (date(2024, 9, 15) - date(2024, 6, 10)).days
    monthly = parse_deadline("每月10日前", 2024)
    assert len(period_due_dates(monthly, 2024)) == 12
