"""Export use case: the journal as of a date, format from the file name, nothing lost on failure."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop_app.domain.model import LedgerError, TaskStatus
from desktop_app.services.context import AppContext
from desktop_app.services.export_service import ledger_as_of


@pytest.fixture
def journal(ctx: AppContext, ledger):
    """Task 1: three entries (March, May, done in June); task 2: one in June; task 3: typed in the table."""
    t1, t2, t3 = (t.id for t in ledger.all_tasks())
    add = ctx.progress.add_entry
    add(t1, "三月：梳理目录", TaskStatus.IN_PROGRESS, 30, entry_date=date(2023, 3, 1))
    add(t1, "五月：公开 12 件", TaskStatus.IN_PROGRESS, 60, entry_date=date(2023, 5, 10))
    add(t1, "六月：全部公开", TaskStatus.DONE, 100, entry_date=date(2023, 6, 20))
    add(t2, "六月：开始征集", TaskStatus.IN_PROGRESS, 20, entry_date=date(2023, 6, 1))
    ctx.ledgers.update_task(t3, "progress", "表格里直接写的进展")
    return ledger, (t1, t2, t3)


def _tasks(path: Path) -> dict[str, dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {t["number"]: t for s in data["sections"] for t in s["tasks"]}


def _state(t: dict) -> tuple:
    return (t.get("progress") or "", t["status"], t["percent"])


@pytest.mark.parametrize(
    ("as_of", "one", "two", "three"),
    [
        (date(2023, 2, 1), ("", "not_started", 0), ("", "not_started", 0), ("", "not_started", 0)),
        (date(2023, 3, 1), ("三月：梳理目录", "in_progress", 30), ("", "not_started", 0), ("", "not_started", 0)),
        (
            date(2023, 5, 31),
            ("五月：公开 12 件", "in_progress", 60),
            ("", "not_started", 0),
            ("", "not_started", 0),
        ),
        (
            date(2023, 6, 25),
            ("六月：全部公开", "done", 100),
            ("六月：开始征集", "in_progress", 20),
            ("", "not_started", 0),
        ),
        (
            date(2023, 7, 1),  # today: everything as it is now, the table edit included
            ("六月：全部公开", "done", 100),
            ("六月：开始征集", "in_progress", 20),
            ("表格里直接写的进展", "not_started", 0),
        ),
    ],
)
def test_json_as_of_shows_the_journal_as_it_stood(
    ctx: AppContext, journal, tmp_path: Path, as_of: date, one, two, three
) -> None:
    ledger, _ = journal
    out = ctx.exports.export(ledger.id, None, tmp_path / "a.json", as_of=as_of)
    tasks = _tasks(out)
    assert (_state(tasks["1"]), _state(tasks["2"]), _state(tasks["3"])) == (one, two, three)
    # the history written is the journal up to that day, nothing after it
    for t in tasks.values():
        assert all(date.fromisoformat(h["date"]) <= as_of for h in t.get("history") or [])
    assert len(tasks["1"].get("history") or []) == sum(
        d <= as_of for d in (date(2023, 3, 1), date(2023, 5, 10), date(2023, 6, 20))
    )


def test_xlsx_status_is_computed_as_of_the_date(ctx: AppContext, journal, tmp_path: Path, ooxml_valid) -> None:
    ledger, _ = journal
    labels = {}
    for as_of in (date(2023, 4, 1), date(2023, 6, 25)):
        out = ctx.exports.export(ledger.id, "xlsx", tmp_path / f"{as_of}.xlsx", as_of=as_of)
        ooxml_valid(out)
        ws = load_workbook(out)["台账"]
        header = [c.value for c in ws[3]]
        pcol, scol = header.index("进展落实情况"), header.index("状态")
        rows = {r[0].value: (r[pcol].value, r[scol].value) for r in ws.iter_rows(min_row=4) if r[0].value in ("1", "2", "3")}
        labels[as_of] = rows
    april, june = labels[date(2023, 4, 1)], labels[date(2023, 6, 25)]
    assert april["1"][0] == "三月：梳理目录" and "推进中" in april["1"][1]
    assert april["2"][0] is None and "未开始" in april["2"][1]
    assert june["1"][0] == "六月：全部公开" and "已完成" in june["1"][1]
    assert june["2"][0] == "六月：开始征集" and "即将到期" in june["2"][1]  # due 7月5日, 10 days left


def test_docx_as_of_uses_the_old_progress(ctx: AppContext, journal, tmp_path: Path, ooxml_valid) -> None:
    from docx import Document

    ledger, _ = journal
    out = ctx.exports.export(ledger.id, None, tmp_path / "may.docx", as_of=date(2023, 5, 31))
    ooxml_valid(out)
    text = "\n".join(c.text for t in Document(str(out)).tables for r in t.rows for c in r.cells)
    assert "五月：公开 12 件" in text
    assert "六月" not in text and "表格里直接写的进展" not in text


def test_docx_with_history_appends_the_journal_up_to_the_date(
    ctx: AppContext, journal, tmp_path: Path, ooxml_valid
) -> None:
    from docx import Document

    ledger, _ = journal
    out = ctx.exports.export(ledger.id, None, tmp_path / "h.docx", as_of=date(2023, 5, 31), with_history=True)
    ooxml_valid(out)
    doc = Document(str(out))
    assert "附件" in [p.text for p in doc.paragraphs]
    appendix = doc.tables[-1]
    assert [c.text for c in appendix.rows[0].cells][:4] == ["序号", "任务", "日期", "进展情况"]
    texts = [r.cells[3].text for r in appendix.rows[1:]]
    assert texts == ["三月：梳理目录", "五月：公开 12 件"]  # June's entries came after the report date
    plain = ctx.exports.export(ledger.id, None, tmp_path / "p.docx", as_of=date(2023, 5, 31))
    assert "附件" not in [p.text for p in Document(str(plain)).paragraphs]


def test_docx_with_attachments_lists_the_evidence_of_each_task(
    ctx: AppContext, journal, tmp_path: Path, ooxml_valid
) -> None:
    """附件目录: each task's files (with their place in the evidence package) and links, in task order;
    with the history too the two are 附件1 and 附件2; the public edition lists none."""
    from docx import Document

    from desktop_app.exporters.evidence import folder_name

    ledger, (t1, t2, _t3) = journal
    scan = tmp_path / "公开目录截图.png"
    scan.write_bytes(b"\x89PNG fake")
    ctx.progress.add_attachment(t2, scan)
    ctx.progress.add_link(t1, "https://www.example.gov.cn/zwgk/1.html", "政府信息公开专栏")
    out = ctx.exports.export(ledger.id, None, tmp_path / "a.docx", with_attachments=True)
    ooxml_valid(out)
    doc = Document(str(out))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "附件" in paragraphs and "佐证材料目录" in paragraphs
    index = doc.tables[-1]
    rows = [[c.text for c in r.cells] for r in index.rows]
    assert rows[0] == ["序号", "任务", "材料名称", "类型", "材料包中的位置（或链接）", "添加日期"]
    tasks = ctx.ledgers.get_ledger(ledger.id).all_tasks()
    assert [r[:5] for r in rows[1:]] == [
        [tasks[0].number, rows[1][1], "政府信息公开专栏", "链接", "https://www.example.gov.cn/zwgk/1.html"],
        [tasks[1].number, rows[2][1], "公开目录截图.png", "文件", f"{folder_name(tasks[1], 1)}/公开目录截图.png"],
    ]
    both = Document(str(ctx.exports.export(ledger.id, None, tmp_path / "b.docx", with_history=True,
                                           with_attachments=True)))
    labels = [p.text for p in both.paragraphs if p.style.name == "附件标识"]
    assert labels == ["附件1", "附件2"]
    public = Document(str(ctx.exports.export(ledger.id, None, tmp_path / "c.docx", public=True,
                                             with_attachments=True)))
    assert "佐证材料目录" not in [p.text for p in public.paragraphs]
    for a in ctx.progress.ledger_attachments(ledger.id):
        ctx.progress.delete_attachment(a.id)
    none = Document(str(ctx.exports.export(ledger.id, None, tmp_path / "d.docx", with_attachments=True)))
    assert [c.text for c in none.tables[-1].rows[1].cells][0] == "截至报送日期尚无佐证材料。"


def test_ledger_as_of_is_a_copy(ctx: AppContext, journal) -> None:
    ledger, (t1, _, _) = journal
    fresh = ctx.ledgers.get_ledger(ledger.id)
    then = ledger_as_of(fresh, ctx.progress.history_for_ledger(ledger.id), date(2023, 3, 2))
    assert then.all_tasks()[0].progress == "三月：梳理目录"
    assert fresh.all_tasks()[0].progress == "六月：全部公开"  # the ledger itself is not changed


def test_failed_export_keeps_the_old_file_and_records_nothing(ctx: AppContext, ledger, tmp_path: Path) -> None:
    old = tmp_path / "old.docx"
    old.write_bytes(b"the report sent last month")
    events = len(ctx.ledgers.audit_events(ledger.id))
    with pytest.raises(LedgerError) as err:
        ctx.exports.export(ledger.id, None, old, round_id=9999)
    assert "报送轮次" in err.value.message
    assert old.read_bytes() == b"the report sent last month"
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("ledger.sqlite3")] == ["old.docx"]
    assert len(ctx.ledgers.audit_events(ledger.id)) == events


def test_export_removes_leftovers_of_a_killed_run(ctx: AppContext, ledger, tmp_path: Path) -> None:
    import subprocess
    import sys

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    leftover = out_dir / f".~report.xlsx.{dead.pid}-0123abcd.tmp"
    leftover.write_bytes(b"PK\x03\x04 half")
    ctx.exports.export(ledger.id, None, out_dir / "report.xlsx")
    assert sorted(p.name for p in out_dir.iterdir()) == ["report.xlsx"]


@pytest.mark.parametrize(
    ("fmt", "name", "expected"),
    [
        (None, "a.xlsx", "a.xlsx"),
        (None, "a.JSON", "a.JSON"),
        ("docx", "a.docx", "a.docx"),
        ("json", "台账_v1.2", "台账_v1.2.json"),  # no format suffix: the format's is added
    ],
)
def test_format_follows_the_suffix(ctx: AppContext, ledger, tmp_path: Path, fmt, name, expected) -> None:
    out = ctx.exports.export(ledger.id, fmt, tmp_path / name)
    assert out == tmp_path / expected and out.exists()
    head = out.read_bytes()[:2]
    assert head == (b"PK" if expected.lower().endswith((".xlsx", ".docx")) else b"{\n")


@pytest.mark.parametrize(
    ("fmt", "name", "words"),
    [
        ("docx", "a.pdf", "不一致"),
        ("xlsx", "a.docx", "不一致"),
        ("docx", "a.txt", "不一致"),
        (None, "a", "无法确定导出格式"),
        (None, "a.txt", "不支持"),
        ("pdf", "a.ofd", "不一致"),
    ],
)
def test_format_contradictions_are_refused(ctx: AppContext, ledger, tmp_path: Path, fmt, name, words) -> None:
    with pytest.raises(LedgerError) as err:
        ctx.exports.export(ledger.id, fmt, tmp_path / name)
    assert words in err.value.message and err.value.message.endswith("。")
    assert not any(p.name.startswith(("a", ".~")) for p in tmp_path.iterdir())


def test_report_prints_the_day_it_is_made_not_the_as_of_day(ctx: AppContext, journal, tmp_path) -> None:
    """填报时间 is the day the report is made; 进展截至 only chooses the journal's state; the tasks with
    progress after that day are counted for the export dialog's warning (typed and recorded alike)."""
    from docx import Document

    from desktop_app.domain import clock

    ledger, _ = journal
    clock.set_today(date(2023, 8, 20))
    try:
        out = ctx.exports.export(ledger.id, "docx", tmp_path / "r.docx", as_of=date(2023, 5, 31))
        # task 1 (June entry), task 2 (June entry), task 3 (typed today) all came after 31 May
        assert ctx.exports.changed_after(ledger.id, date(2023, 5, 31)) == 3
        assert ctx.exports.changed_after(ledger.id, date(2023, 8, 20)) == 0
    finally:
        clock.set_today(None)
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "填报时间：2023年8月20日" in text and "2023年5月31日" in text


def test_each_file_sent_is_archived_and_a_mark_can_be_taken_back(ctx: AppContext, journal, tmp_path) -> None:
    """报送存档: two files sent for one round are both kept, each re-exported as it was sent (its
    progress, its 填报时间); unmarking the round keeps the archive; unmarking twice says why not."""
    from docx import Document

    from desktop_app.domain import clock

    ledger, (t1, _t2, _t3) = journal
    ctx.progress.set_report_dates(ledger.id, [date(2023, 8, 15)])
    rid = ctx.progress.rounds(ledger.id)[0].id
    clock.set_today(date(2023, 8, 14))
    try:
        ctx.exports.export(ledger.id, "docx", tmp_path / "first.docx", round_id=rid)
        ctx.progress.add_entry(t1, "八月：复查完毕", TaskStatus.DONE, 100, entry_date=date(2023, 8, 14))
        ctx.exports.export(ledger.id, "docx", tmp_path / "second.docx", round_id=rid)
    finally:
        clock.set_today(None)
    subs = ctx.progress.submissions(ledger.id)
    assert [s.file_name for s in subs] == ["second.docx", "first.docx"]  # newest first
    again = ctx.exports.export_submission(subs[1].id, None, tmp_path / "again.docx")
    doc = Document(str(again))
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "六月：全部公开" in cells and "八月：复查完毕" not in cells  # the first file as it was sent
    sent_day = clock.chinese_date(subs[1].submitted_at.date())
    assert f"填报时间：{sent_day}" in "\n".join(p.text for p in doc.paragraphs)  # the day it was sent
    ctx.progress.unmark_submitted(rid)
    assert ctx.progress.rounds(ledger.id)[0].submitted_at is None
    assert all(s.withdrawn_at is not None for s in ctx.progress.submissions(ledger.id))
    with pytest.raises(LedgerError, match="还没有记为已报送"):
        ctx.progress.unmark_submitted(rid)
    ctx.exports.export_submission(subs[0].id, "json", tmp_path / "still.json")  # the archive stays usable
    assert (tmp_path / "still.json").stat().st_size > 0
