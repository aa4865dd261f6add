"""Progress entries, evidence, report rounds."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from desktop_app.domain.model import LedgerError, TaskStatus
from desktop_app.services.context import AppContext
from desktop_app.services.progress_service import MAX_ATTACHMENT_BYTES


def test_entry_updates_current_progress(ctx: AppContext, ledger) -> None:
    tid = ledger.all_tasks()[0].id
    ctx.progress.add_entry(
        tid, "公示行政处罚信息 9 件", TaskStatus.IN_PROGRESS, 40, author="张三", entry_date=date(2023, 6, 1)
    )
    ctx.progress.add_entry(
        tid, "公示 12 件", TaskStatus.IN_PROGRESS, 60, author="张三", entry_date=date(2023, 6, 20)
    )
    t = ctx.ledgers.get_task(tid)
    assert (t.progress, t.percent, t.status) == ("公示 12 件", 60, TaskStatus.IN_PROGRESS)
    assert [e.text for e in ctx.progress.history(tid)] == ["公示 12 件", "公示行政处罚信息 9 件"]


def test_attachment_limit_and_round_trip(ctx: AppContext, ledger, tmp_path: Path) -> None:
    tid = ledger.all_tasks()[0].id
    f = tmp_path / "截图.png"
    f.write_bytes(b"\x89PNG....")
    att = ctx.progress.add_attachment(tid, f)
    assert ctx.progress.attachment_data(att.id) == b"\x89PNG...."
    big = tmp_path / "big.pdf"
    with open(big, "wb") as fh:
        fh.truncate(MAX_ATTACHMENT_BYTES + 1)
    with pytest.raises(LedgerError) as err:
        ctx.progress.add_attachment(tid, big)
    assert "20 MB" in err.value.message
    assert len(ctx.progress.attachments(tid)) == 1
    ctx.progress.add_link(tid, "http://www.yinchuan.gov.cn/xxgk/", "门户网站栏目")
    assert [a.file_name for a in ctx.progress.attachments(tid)] == ["截图.png", "门户网站栏目"]


def test_report_rounds_and_countdown(ctx: AppContext, ledger) -> None:
    ctx.progress.set_report_dates(ledger.id, [date(2023, 8, 15), date(2023, 12, 5)])
    rounds = ctx.progress.rounds(ledger.id)
    assert [r.due_date for r in rounds] == [date(2023, 8, 15), date(2023, 12, 5)]
    nxt, days, stale = ctx.progress.next_report(ledger.id, as_of=date(2023, 8, 3))
    assert nxt == date(2023, 8, 15) and days == 12 and stale == 3
    ctx.progress.add_entry(ledger.all_tasks()[0].id, "已公开", TaskStatus.IN_PROGRESS, 50)
    assert ctx.progress.next_report(ledger.id, as_of=date(2023, 8, 3))[2] == 2
    assert ctx.progress.last_report_date(ledger.id, date(2023, 9, 1)) == date(2023, 8, 15)


def test_restore_state_puts_back_every_field_and_removes_the_entry(ctx: AppContext, ledger) -> None:
    from datetime import datetime

    from desktop_app.services.progress_service import ProgressState

    today = date.today()
    ctx.progress.set_report_dates(ledger.id, [today - timedelta(days=10), today + timedelta(days=30)])
    tid = ledger.all_tasks()[0].id
    earlier = datetime.combine(today - timedelta(days=60), datetime.min.time()).replace(hour=9)
    ctx.progress.add_entry(tid, "上一轮的进展", TaskStatus.IN_PROGRESS, 20, at=earlier)
    before = ProgressState.of(ctx.ledgers.get_task(tid))
    assert before.progress_updated_at == earlier
    stale = ctx.progress.next_report(ledger.id, today)[2]
    assert stale == 3  # all three are 待更新 (the first one's progress predates the last report)
    entry = ctx.progress.add_entry(tid, "本轮的进展", TaskStatus.IN_PROGRESS, 60)
    assert ctx.progress.next_report(ledger.id, today)[2] == stale - 1
    ctx.progress.restore_state(tid, before, remove_entry=entry.id)
    t = ctx.ledgers.get_task(tid)
    assert ProgressState.of(t) == before  # progress, status, percent and 最后更新
    assert [e.text for e in ctx.progress.history(tid)] == ["上一轮的进展"]
    assert ctx.progress.next_report(ledger.id, today)[2] == stale  # 待更新 as before, in the database


def test_add_entry_at_a_given_time_keeps_that_date(ctx: AppContext, ledger) -> None:
    from datetime import datetime

    tid = ledger.all_tasks()[0].id
    at = datetime(2023, 6, 1, 10, 0)
    entry = ctx.progress.add_entry(tid, "补记", TaskStatus.IN_PROGRESS, 10, entry_date=at.date(), at=at)
    assert (entry.entry_date, entry.created_at) == (date(2023, 6, 1), at)
    assert ctx.ledgers.get_task(tid).progress_updated_at == at


def test_drafts_are_kept_until_deleted(ctx: AppContext, ledger, db_target) -> None:
    d = ctx.progress.save_draft(99, ledger.id, "3 解读政策", "没来得及保存的文字")
    ctx.close()
    again = AppContext.open(db_target)  # durable: still there after a restart
    try:
        (kept,) = again.progress.drafts()
        assert (kept.id, kept.task_id, kept.task_label, kept.text) == (
            d.id,
            99,
            "3 解读政策",
            "没来得及保存的文字",
        )
        again.progress.delete_draft(kept.id)
        assert again.progress.drafts() == []
    finally:
        again.close()
    ctx.db = again.db  # the fixture closes it once more: harmless


def test_stale_count_reads_done_as_the_table_does(ctx: AppContext) -> None:
    """A task at 100 % whose status was never set is 已完成 in the table, so never 待更新 either."""
    from desktop_app.domain.model import Ledger, Section, Task
    from desktop_app.domain.status import compute_status

    tasks = [
        Task(number="1", content="百分百未设状态", percent=100),
        Task(number="2", content="推进中百分百", status=TaskStatus.IN_PROGRESS, percent=100),
        Task(number="3", content="已完成", status=TaskStatus.DONE, percent=100),
        Task(number="4", content="未开始"),
    ]
    ledger = ctx.ledgers.add_ledger(Ledger(title="待更新", year=2023, sections=[Section(tasks=tasks)]))
    ctx.progress.set_report_dates(ledger.id, [date(2023, 6, 15), date(2023, 12, 5)])
    as_of = date(2023, 8, 3)
    got = ctx.ledgers.get_ledger(ledger.id).all_tasks()
    in_table = sum(compute_status(t, as_of, last_report_date=date(2023, 6, 15)).stale for t in got)
    assert ctx.progress.next_report(ledger.id, as_of=as_of)[2] == in_table == 2
