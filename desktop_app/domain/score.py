"""The office's score sheet (季度通报，年度扣分): its rule (points per late return, per missing return, per
overdue task), the deductions of a round per unit with their reason, and the yearly total per unit."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from desktop_app.domain.clock import chinese_date
from desktop_app.domain.model import DeadlineKind, Task, TaskStatus
from desktop_app.domain.returns import LATE, MISSING

OVERDUE = "overdue"
KIND_LABELS = {LATE: "逾期报送", MISSING: "未报送", OVERDUE: "任务逾期未完成"}


@dataclass(frozen=True)
class ScoreRule:
    late_return: float = 1.0  # points per late return
    missing_return: float = 2.0  # points per missing return
    overdue_task: float = 0.5  # points per task past its deadline and not done

    def points(self, kind: str) -> float:
        return {LATE: self.late_return, MISSING: self.missing_return, OVERDUE: self.overdue_task}[kind]

    def check(self) -> None:
        for label, v in (
            ("逾期报送", self.late_return),
            ("未报送", self.missing_return),
            ("任务逾期", self.overdue_task),
        ):
            if not 0 <= v <= 100:
                raise ValueError(f"“{label}”的扣分应在 0 到 100 分之间，现在是 {v:g}。")


@dataclass
class Deduction:
    unit: str
    kind: str  # late | missing | overdue
    reason: str
    points: float
    ledger_id: int | None = None
    round_id: int | None = None
    task_id: int | None = None
    round_label: str = ""
    ledger_title: str = ""
    id: int | None = None


@dataclass
class UnitRound:
    """What the score needs of one unit in one round."""

    unit: str
    state: str  # submitted | late | missing
    received: date | None
    addressed: Sequence[Task]  # the tasks addressed to the unit
    reported: dict[int, tuple[TaskStatus, int, str]]  # task id -> (status, percent, text) the unit reported


_DONE_WORDS = re.compile(r"(已|全部|按时|如期)完成|已办结|已落实到位")
_NOT_DONE_WORDS = re.compile(r"未完成|尚未|没有完成|正在|推进中|\d{1,2}\s*[%％]")


def reported_done(status: TaskStatus, percent: int, text: str) -> bool:
    """The unit says the task is done: 已完成 / 100 %, or its text says so (a Word return carries no status
    column: "已完成" in the text, with no "未完成"/"正在"/a percentage, counts)."""
    if status == TaskStatus.DONE or percent >= 100:
        return True
    return bool(_DONE_WORDS.search(text or "")) and not _NOT_DONE_WORDS.search(text or "")


def _overdue(task: Task, due: date) -> bool:
    d = task.deadline
    return d.kind in (DeadlineKind.DATE, DeadlineKind.YEAR_ROUND, DeadlineKind.RELATIVE) and (
        d.due_date is not None and d.due_date < due
    )


def round_deductions(
    units: Iterable[UnitRound], rule: ScoreRule, round_label: str, due: date | None
) -> list[Deduction]:
    """Per unit: a late or a missing return, and each addressed task whose deadline passed before the
    round's due date without the unit reporting it done (已完成 or 100 %)."""
    out: list[Deduction] = []
    for u in units:
        if u.state == LATE:
            when = f"，{chinese_date(u.received)}报送" if u.received else ""
            out.append(Deduction(u.unit, LATE, f"{round_label}逾期报送{when}", rule.late_return))
        elif u.state == MISSING:
            out.append(Deduction(u.unit, MISSING, f"{round_label}未报送", rule.missing_return))
        if due is None:
            continue
        for t in u.addressed:
            if not _overdue(t, due):
                continue
            if reported_done(*u.reported.get(t.id or -1, (TaskStatus.NOT_STARTED, 0, ""))):
                continue
            label = f"第{t.number}项" if t.number else f"“{(t.content or '')[:16]}”"
            out.append(
                Deduction(
                    u.unit,
                    OVERDUE,
                    f"{label}已过完成时限（{chinese_date(t.deadline.due_date)}）仍未完成",  # type: ignore[arg-type]
                    rule.overdue_task,
                    task_id=t.id,
                )
            )
    return [d for d in out if d.points > 0]


def yearly_totals(deductions: Iterable[Deduction], order: Sequence[str] = ()) -> list[tuple[str, float, int]]:
    """(unit, total points, number of deductions), units in `order` first (directory order), then the rest."""
    totals: dict[str, list[float]] = {}
    for d in deductions:
        t = totals.setdefault(d.unit, [0.0, 0])
        t[0] += d.points
        t[1] += 1
    rank = {u: i for i, u in enumerate(order)}
    units = sorted(totals, key=lambda u: (rank.get(u, len(rank)), u))
    return [(u, round(totals[u][0], 2), int(totals[u][1])) for u in units]
