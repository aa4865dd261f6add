"""Progress entries, evidence, report rounds."""

from __future__ import annotations

from datetime import date
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
