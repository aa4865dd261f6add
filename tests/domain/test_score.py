"""The score rule: points per late return, per missing return, per overdue task; yearly totals."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain.model import Deadline, DeadlineKind, Task, TaskStatus
from desktop_app.domain.score import ScoreRule, UnitRound, round_deductions, yearly_totals


def _task(tid: int, due: date | None, kind: DeadlineKind = DeadlineKind.DATE) -> Task:
    return Task(id=tid, number=str(tid), content=f"任务{tid}", deadline=Deadline("", kind, due))


def test_late_missing_and_overdue_tasks_each_cost_their_points_with_a_reason() -> None:
    past, later, ongoing = _task(1, date(2023, 6, 30)), _task(2, date(2023, 11, 30)), _task(3, None, DeadlineKind.ONGOING)
    units = [
        UnitRound("市财政局", "submitted", date(2023, 8, 10), [past, later, ongoing], {1: (TaskStatus.DONE, 100, "")}),
        UnitRound("市发改委", "late", date(2023, 8, 17), [past, later], {1: (TaskStatus.IN_PROGRESS, 80, "已完成80%")}),
        UnitRound("兴庆区", "missing", None, [past], {}),
    ]
    got = round_deductions(units, ScoreRule(1, 2, 0.5), "第1次报送", date(2023, 8, 15))
    assert [(d.unit, d.kind, d.reason, d.points) for d in got] == [
        ("市发改委", "late", "第1次报送逾期报送，2023年8月17日报送", 1),
        ("市发改委", "overdue", "第1项已过完成时限（2023年6月30日）仍未完成", 0.5),
        ("兴庆区", "missing", "第1次报送未报送", 2),
        ("兴庆区", "overdue", "第1项已过完成时限（2023年6月30日）仍未完成", 0.5),
    ]
    assert yearly_totals(got, ["兴庆区", "市财政局", "市发改委"]) == [("兴庆区", 2.5, 2), ("市发改委", 1.5, 2)]
    assert round_deductions(units, ScoreRule(1, 2, 0), "第1次报送", date(2023, 8, 15))[1].kind == "missing"


def test_a_rule_outside_0_to_100_is_refused() -> None:
    with pytest.raises(ValueError, match="未报送"):
        ScoreRule(1, -2, 0).check()
    ScoreRule(0, 100, 0.5).check()


@pytest.mark.parametrize(
    ("text", "done"),
    [("已完成，公开预算 12 件", True), ("全部完成", True), ("尚未完成", False), ("已完成80%", False), ("正在推进", False)],
)
def test_a_word_return_says_done_in_its_text(text: str, done: bool) -> None:
    from desktop_app.domain.score import reported_done

    assert reported_done(TaskStatus.IN_PROGRESS, 0, text) is done
