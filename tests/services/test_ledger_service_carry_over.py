"""年度结转 (copy_to_next_year): progress cleared, deadlines moved into the new year or marked 待确认,
report rounds carried, a reason recorded for every task left behind — all in one transaction."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop_app.domain import clock
from desktop_app.domain.deadlines import parse_deadline, resolve_relative
from desktop_app.domain.model import DeadlineKind, Ledger, LedgerError, Section, Task, TaskStatus
from desktop_app.domain.status import DisplayStatus, compute_status
from desktop_app.services.context import AppContext
from desktop_app.services.ledger_service import CARRY_FIELD


def _task(n: str, content: str, deadline: str, year: int = 2022, **kw) -> Task:
    return Task(number=n, key_work="重点", content=content, deadline=parse_deadline(deadline, year), **kw)


def _ledger(ctx: AppContext, tasks: list[Task], year: int = 2022, dates=()) -> Ledger:
    ledger = ctx.ledgers.add_ledger(
        Ledger(
            title=f"某局{year}年政务公开任务落实台账",
            year=year,
            sections=[Section(title="一、公开", tasks=tasks)],
        )
    )
    if dates:
        ctx.progress.set_report_dates(ledger.id, list(dates))
    return ledger


def _by_content(ledger: Ledger) -> dict[str, Task]:
    return {t.content: t for t in ledger.all_tasks()}


def test_progress_is_cleared_and_history_stays_with_the_old_ledger(ctx: AppContext) -> None:
    old = _ledger(
        ctx, [_task("1", "公开预决算", "11月底"), _task("2", "只写了进展", "12月底", progress="草稿")]
    )
    tid = old.all_tasks()[0].id
    ctx.progress.add_entry(tid, "已公开9件", TaskStatus.IN_PROGRESS, 60, entry_date=date(2022, 8, 1))
    result = ctx.ledgers.copy_to_next_year(old.id)
    new = ctx.ledgers.get_ledger(result.ledger.id)
    assert new.year == 2023 and new.title == "某局2023年政务公开任务落实台账"
    assert result.carried == 2 and len(new.all_tasks()) == 2
    for t in new.all_tasks():
        assert (t.progress, t.status, t.percent, t.progress_updated_at) == (
            "",
            TaskStatus.NOT_STARTED,
            0,
            None,
        )
        assert ctx.progress.history(t.id) == []
        assert t.remarks.startswith("由2022年结转。")
    kept = ctx.ledgers.get_task(tid)
    assert (kept.progress, kept.percent) == ("已公开9件", 60)
    assert [e.text for e in ctx.progress.history(tid)] == ["已公开9件"]


def test_deadlines_move_into_the_new_year(ctx: AppContext) -> None:
    texts = {
        "写明年份": ("2022年11月", "2023年11月", date(2023, 11, 30)),
        "月底": ("11月底", "11月底", date(2023, 11, 30)),
        "分阶段": ("2022年6月底前、11月底前", "2023年6月底前、11月底前", date(2023, 11, 30)),
        "数字日期": ("2022-09-30", "2023-09-30", date(2023, 9, 30)),
        "全年": ("全年", "全年", date(2023, 12, 31)),
        "跨到次年": ("2023年3月底", "2023年3月底", date(2023, 3, 31)),  # already in the new year: kept
        "长期": ("长期坚持", "长期坚持", None),
    }
    old = _ledger(ctx, [_task(str(i), c, v[0]) for i, (c, v) in enumerate(texts.items(), 1)])
    result = ctx.ledgers.copy_to_next_year(old.id)
    assert result.to_confirm == []
    new = _by_content(ctx.ledgers.get_ledger(result.ledger.id))
    for content, (_old, text, due) in texts.items():
        assert (new[content].deadline.text, new[content].deadline.due_date) == (text, due), content
    # the new ledger does not open with every dated task overdue
    statuses = {compute_status(t, date(2023, 1, 10)).status for t in new.values()}
    assert DisplayStatus.OVERDUE not in statuses


def test_unsafe_deadlines_are_marked_to_confirm_and_listed(ctx: AppContext) -> None:
    relative = resolve_relative(parse_deadline("文件公布后3个工作日内", 2022), date(2022, 9, 28))
    tasks = [
        _task("1", "更早的年份", "2021年12月"),
        _task("2", "看不懂", "看情况"),
        Task(number="3", content="相对时限", deadline=relative),
        _task("4", "正常", "2022年11月"),
    ]
    old = _ledger(ctx, tasks)
    result = ctx.ledgers.copy_to_next_year(old.id)
    listed = {r.task.content: r for r in result.to_confirm}
    assert set(listed) == {"更早的年份", "看不懂", "相对时限"}
    assert listed["更早的年份"].old_text == "2021年12月" and "2021" in listed["更早的年份"].reason
    new = _by_content(ctx.ledgers.get_ledger(result.ledger.id))
    for content in listed:
        assert "【完成时限待确认】" in new[content].remarks
        assert new[content].deadline.due_date is None  # no stale date: not shown as 已逾期
        assert compute_status(new[content], date(2023, 3, 1)).status != DisplayStatus.OVERDUE
    assert new["更早的年份"].deadline.kind == DeadlineKind.UNKNOWN
    assert new["相对时限"].deadline.kind == DeadlineKind.RELATIVE
    assert new["相对时限"].deadline.anchor_date is None
    assert "【完成时限待确认】" not in new["正常"].remarks
    assert {r.task.id for r in result.to_confirm} <= {t.id for t in new.values()}


def test_report_rounds_are_carried_a_year_later(ctx: AppContext) -> None:
    old = _ledger(ctx, [_task("1", "任务", "11月底", 2024)], 2024, [date(2024, 2, 29), date(2024, 8, 15)])
    result = ctx.ledgers.copy_to_next_year(old.id)
    new = ctx.ledgers.get_ledger(result.ledger.id)
    assert new.report_dates == [date(2025, 2, 28), date(2025, 8, 15)]
    rounds = ctx.progress.rounds(new.id)
    assert [r.due_date for r in rounds] == [date(2025, 2, 28), date(2025, 8, 15)]
    assert all(r.submitted_at is None for r in rounds)
    assert [r.due_date for r in ctx.progress.rounds(old.id)] == [date(2024, 2, 29), date(2024, 8, 15)]


def test_a_reason_is_recorded_for_every_task_left_behind(ctx: AppContext) -> None:
    tasks = [
        _task("1", "已完成的", "11月底", status=TaskStatus.DONE, percent=100),
        _task("2", "进度满了", "11月底", percent=100),  # 100 % with no status set reads 已完成 too
        _task("3", "要取消的", "11月底"),
        _task("4", "要合并的", "11月底"),
        _task("5", "继续做", "11月底", progress="进行中"),
        _task("6", "完成但仍结转", "11月底", status=TaskStatus.DONE),
    ]
    old = _ledger(ctx, tasks)
    ids = {t.content: t.id for t in old.all_tasks()}
    result = ctx.ledgers.copy_to_next_year(
        old.id, {ids["要取消的"]: "取消", ids["要合并的"]: "合并到第5项", ids["完成但仍结转"]: None}
    )
    new = ctx.ledgers.get_ledger(result.ledger.id)
    assert sorted(t.content for t in new.all_tasks()) == ["完成但仍结转", "继续做"]
    assert {t.content: r for t, r in result.left_behind} == {
        "已完成的": "已完成",
        "进度满了": "已完成",
        "要取消的": "取消",
        "要合并的": "合并到第5项",
    }
    after = _by_content(ctx.ledgers.get_ledger(old.id))
    assert after["要合并的"].extra[CARRY_FIELD] == "未结转：合并到第5项（2023年）"
    assert after["已完成的"].extra[CARRY_FIELD] == "未结转：已完成（2023年）"
    assert after["继续做"].extra[CARRY_FIELD] == f"已结转到《{new.title}》"
    assert after["继续做"].progress == "进行中"  # the old ledger keeps its progress
    for content, task in after.items():
        events = [e for e in ctx.ledgers.audit_events(old.id, task.id) if e.action == "carry_over"]
        assert len(events) == 1, content
        assert events[0].new_value == task.extra[CARRY_FIELD]
    # the carried copy does not inherit the old task's outcome
    assert all(CARRY_FIELD not in t.extra for t in new.all_tasks())


@pytest.mark.parametrize("reasons", [{"bad": "  "}, {-1: "取消"}])
def test_a_bad_plan_changes_nothing(ctx: AppContext, reasons) -> None:
    old = _ledger(ctx, [_task("1", "任务", "11月底")])
    tid = old.all_tasks()[0].id
    plan = {(tid if k == "bad" else k): v for k, v in reasons.items()}
    before = ctx.ledgers.list_ledgers()
    with pytest.raises(LedgerError) as err:
        ctx.ledgers.copy_to_next_year(old.id, plan)
    assert err.value.message.startswith("结转失败")
    assert [s.id for s in ctx.ledgers.list_ledgers()] == [s.id for s in before]
    assert ctx.ledgers.get_task(tid).extra == {}


def test_a_failure_midway_leaves_neither_ledger_changed(ctx: AppContext, monkeypatch) -> None:
    old = _ledger(ctx, [_task("1", "任务", "11月底"), _task("2", "完成", "11月底", status=TaskStatus.DONE)])
    from desktop_app.storage.repository import LedgerRepository

    calls = []

    def broken_audit(self, event):  # noqa: ANN001
        calls.append(event)
        if len(calls) == 3:
            raise RuntimeError("disk gone")

    monkeypatch.setattr(LedgerRepository, "audit", broken_audit)
    with pytest.raises(RuntimeError):
        ctx.ledgers.copy_to_next_year(old.id)
    monkeypatch.undo()
    assert [s.title for s in ctx.ledgers.list_ledgers()] == [old.title]
    assert all(CARRY_FIELD not in t.extra for t in ctx.ledgers.get_ledger(old.id).all_tasks())


def test_ledger_without_year_goes_to_the_year_after_today(ctx: AppContext) -> None:
    clock.set_today(date(2023, 12, 20))
    ledger = ctx.ledgers.add_ledger(
        Ledger(title="无年份台账", sections=[Section(tasks=[_task("1", "任务", "")])])
    )
    result = ctx.ledgers.copy_to_next_year(ledger.id)
    assert result.ledger.year == 2024 and result.ledger.title == "无年份台账（2024年）"
    assert isinstance(result.ledger.created_at, datetime)
