"""The city office collects the units' returns into one ledger: no return lost, none on the wrong task."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain import clock
from desktop_app.domain.directory import addresses
from desktop_app.domain.model import Ledger, LedgerError, Section, Task, TaskStatus
from desktop_app.domain.units import parse_units
from desktop_app.services.collect_service import (
    CONFIRM,
    NEW,
    PENDING,
    REFUSED,
    UNCHANGED,
    UPDATED,
    ReturnAnswer,
)
from desktop_app.services.context import AppContext

DIRECTORY = (
    "名称\t类别\t其他名称\t联系人\n"
    "市发展和改革委员会\t市政府部门\t市发改委\t张三\n"
    "市财政局\t市政府部门\n"
    "市政务服务中心\t直属机构\n"
    "兴庆区人民政府\t县区政府\t兴庆区\n"
    "永宁县人民政府\t县区政府\t永宁县\n"
)
TASKS = (
    ("1", "公开财政预算决算和部门预算决算", "市财政局牵头，各县（市）区人民政府负责"),
    ("2", "公开重大建设项目批准和实施信息", "市发改委牵头"),
    ("3", "推进政务服务事项办事指南公开", "市政务服务中心负责，市政府各部门配合"),
    ("4", "做好重要政策解读和回应关切工作", "各有关单位"),
)


def _ledger(title: str = "银川市2023年政务公开工作要点任务分解台账", year: int = 2023, tasks=TASKS) -> Ledger:  # noqa: ANN001
    return Ledger(
        title=title,
        year=year,
        sections=[
            Section(
                title="一、重点工作",
                tasks=[Task(number=n, content=c, units_text=u, units=parse_units(u)) for n, c, u in tasks],
            )
        ],
    )


@pytest.fixture
def city(tmp_path: Path):
    ctx = AppContext.open(tmp_path / "city.sqlite3")
    ledger = ctx.ledgers.add_ledger(_ledger())
    ctx.progress.set_report_dates(ledger.id, [date(2023, 8, 15)])
    ctx.directory.add_pasted(DIRECTORY)
    yield ctx, ledger.id
    ctx.close()
    clock.set_today(None)


def _unit_return(tmp_path: Path, sent: Path, unit: str, fmt: str, written_as: str | None = None) -> Path:
    """What the unit's own copy of the program sends back: the ledger imported, progress typed on the
    tasks addressed to it, exported with the unit in the settings."""
    ctx = AppContext.open(tmp_path / f"{unit}.sqlite3")
    try:
        ctx.directory.add_pasted(DIRECTORY)
        ledger = ctx.imports.import_file(sent)
        ctx.settings.set("my_unit", written_as or unit)
        directory = ctx.directory.directory()
        for task in ledger.all_tasks():
            if addresses(task, unit, directory):
                ctx.progress.add_entry(
                    task.id, f"{unit}报第{task.number}项：已完成50%", TaskStatus.IN_PROGRESS, 50
                )
        out = tmp_path / "returns" / f"报送{len(list((tmp_path / 'returns').glob('*')))}.{fmt}"
        return ctx.exports.export(ledger.id, fmt, out)
    finally:
        ctx.close()


def _edit_in_word(path: Path, old: str, new: str) -> None:
    """As a user does in Word: the cell's text retyped (python-docx rewrites the package)."""
    import docx

    doc = docx.Document(str(path))
    hits = 0
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    if old in p.text:
                        text = p.text.replace(old, new)
                        for r in p.runs[1:]:
                            r.text = ""
                        p.runs[0].text = text
                        hits += 1
    assert hits >= 1
    doc.save(str(path))


def _word_rows(path: Path) -> dict[str, str]:
    """Number -> the text of the 各单位进展落实情况 cell of its row, line breaks kept (as Word shows it)."""
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def text(tc) -> str:  # noqa: ANN001
        return "\n".join(
            "".join(("\n" if el.tag == w + "br" else el.text or "") for el in p.iter(w + "t", w + "br"))
            for p in tc.iter(w + "p")
        )

    with zipfile.ZipFile(path) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
    rows = [[text(tc) for tc in tr.iter(w + "tc")] for tr in doc.iter(w + "tr")]
    col = rows[0].index("各单位进展落实情况")
    return {r[0]: r[col] for r in rows[1:] if len(r) > col and r[0].isdigit()}


def _excel_rows(path: Path) -> dict[str, str]:
    import openpyxl

    ws = openpyxl.load_workbook(path)["台账"]
    rows = [["" if c is None else str(c) for c in r] for r in ws.iter_rows(values_only=True)]
    head = next(i for i, r in enumerate(rows) if "各单位进展落实情况" in r)
    col = rows[head].index("各单位进展落实情况")
    return {r[0]: r[col] for r in rows[head + 1 :] if r[0].isdigit()}


def test_four_units_in_word_and_excel_one_missing_collected_twice_foreign_refused(
    city, tmp_path: Path
) -> None:
    ctx, lid = city
    (tmp_path / "returns").mkdir()
    sent = ctx.exports.export(lid, "docx", tmp_path / "下发.docx")
    ndrc = _unit_return(tmp_path, sent, "市发展和改革委员会", "docx", written_as="市发改委")
    finance = _unit_return(tmp_path, sent, "市财政局", "xlsx")
    service = _unit_return(tmp_path, sent, "市政务服务中心", "xlsx")
    county = _unit_return(tmp_path, sent, "兴庆区人民政府", "docx", written_as="兴庆区")
    _edit_in_word(county, "兴庆区人民政府报第1项：已完成50%", "兴庆区人民政府报第1项：在Word中改为已完成80%")
    # 永宁县人民政府 sends nothing
    other = AppContext.open(tmp_path / "other.sqlite3")
    try:
        foreign_id = other.ledgers.add_ledger(
            _ledger("市财政局2023年预算公开工作台账", 2023, (("1", "公开部门预算", "市财政局"),))
        ).id
        other.settings.set("my_unit", "市财政局")
        t = other.ledgers.get_ledger(foreign_id).all_tasks()[0]
        other.progress.add_entry(t.id, "另一本台账的进展", TaskStatus.IN_PROGRESS, 10)
        foreign = other.exports.export(foreign_id, "docx", tmp_path / "returns" / "市财政局其他台账.docx")
    finally:
        other.close()

    clock.set_today(date(2023, 8, 10))
    rnd, first = ctx.collect.collect([ndrc, finance, service, foreign], lid)
    assert rnd is not None and rnd.due_date == date(2023, 8, 15)
    assert [(o.unit, o.outcome, o.reported) for o in first[:3]] == [
        ("市发展和改革委员会", NEW, 3),  # tasks 2, 3 (市政府各部门) and 4 (各有关单位)
        ("市财政局", NEW, 3),  # 1, 3, 4
        ("市政务服务中心", NEW, 2),  # 3, 4
    ]
    assert first[3].outcome == REFUSED and "标题" in first[3].reason

    clock.set_today(date(2023, 8, 20))  # after the due date
    for _ in range(2):  # the whole folder, twice over
        _rnd, again = ctx.collect.collect([tmp_path / "returns"], lid)
        by_name = {o.file.name: o for o in again}
        assert len(again) == 5
        assert by_name[foreign.name].outcome == REFUSED
        assert [by_name[p.name].outcome for p in (ndrc, finance, service)] == [UNCHANGED] * 3
        assert by_name[county.name].unit == "兴庆区人民政府" and by_name[county.name].reported == 2
    assert by_name[county.name].outcome == UNCHANGED  # new the first time round, unchanged the second

    tasks = {t.number: t.id for t in ctx.ledgers.get_ledger(lid).all_tasks()}
    on_row = {
        number: [(r.unit, r.progress) for r in ctx.collect.by_task(lid).get(tid, [])]
        for number, tid in tasks.items()
    }
    assert on_row == {
        "1": [
            ("市财政局", "市财政局报第1项：已完成50%"),
            ("兴庆区人民政府", "兴庆区人民政府报第1项：在Word中改为已完成80%"),
        ],
        "2": [("市发展和改革委员会", "市发展和改革委员会报第2项：已完成50%")],
        "3": [
            ("市发展和改革委员会", "市发展和改革委员会报第3项：已完成50%"),
            ("市财政局", "市财政局报第3项：已完成50%"),
            ("市政务服务中心", "市政务服务中心报第3项：已完成50%"),
        ],
        "4": [
            ("市发展和改革委员会", "市发展和改革委员会报第4项：已完成50%"),
            ("市财政局", "市财政局报第4项：已完成50%"),
            ("市政务服务中心", "市政务服务中心报第4项：已完成50%"),
            ("兴庆区人民政府", "兴庆区人民政府报第4项：已完成50%"),
        ],
    }
    _rnd, states = ctx.collect.states(lid)
    assert [(s.unit, s.state) for s in states] == [
        ("市发展和改革委员会", "submitted"),
        ("市财政局", "submitted"),
        ("市政务服务中心", "submitted"),
        ("兴庆区人民政府", "late"),
        ("永宁县人民政府", "missing"),
    ]
    assert states[3].file == county.name and states[4].received is None

    # the consolidated ledger: every unit's text on its task's row, in Word, Excel and JSON; each unit wrote
    # its own name first ("市财政局报第1项…"): the row names it once
    expected = {n: "\n".join(f"{u}：{text.removeprefix(u)}" for u, text in rows) for n, rows in on_row.items()}
    word = ctx.collect.export_consolidated(lid, "docx", tmp_path / "汇总.docx")
    assert _word_rows(word) == expected
    excel = ctx.collect.export_consolidated(lid, "xlsx", tmp_path / "汇总.xlsx")
    assert _excel_rows(excel) == expected
    data = json.loads(ctx.collect.export_consolidated(lid, "json", tmp_path / "汇总.json").read_text("utf-8"))
    tasks_json = [t for s in data["sections"] for t in s["tasks"]]
    assert {t["number"]: [(r["unit"], r["progress"]) for r in t["returns"]] for t in tasks_json} == on_row
    assert tasks_json[0]["returns"][1]["kind"] == "县（市）区政府"


def test_an_older_return_collected_after_the_newer_one_does_not_replace_it(city, tmp_path: Path) -> None:
    """Files collected in any order: the one dated later stays current (file dates set as Word left them)."""
    import os
    import shutil

    ctx, lid = city
    (tmp_path / "returns").mkdir()
    sent = ctx.exports.export(lid, "docx", tmp_path / "下发.docx")
    older = _unit_return(tmp_path, sent, "市财政局", "docx")
    newer = tmp_path / "returns" / "市财政局更正.docx"
    shutil.copy(older, newer)
    _edit_in_word(newer, "市财政局报第3项：已完成50%", "市财政局报第3项：已全部完成")
    os.utime(older, (1_690_000_000, 1_690_000_000))  # 2023-07-22
    os.utime(newer, (1_690_500_000, 1_690_500_000))  # six days later
    assert ctx.collect.collect([newer], lid)[1][0].outcome == NEW
    late = ctx.collect.collect([older], lid)[1][0]
    assert late.outcome == UNCHANGED and "早于已收录的《市财政局更正.docx》" in late.line
    texts = [r.progress for r in ctx.collect.returns(lid) if r.unit == "市财政局"]
    assert "市财政局报第3项：已全部完成" in texts and "市财政局报第3项：已完成50%" not in texts
    assert len(ctx.collect.history(lid, "市财政局")) == 1  # nothing replaced


def test_a_newer_return_replaces_the_older_one(city, tmp_path: Path) -> None:
    ctx, lid = city
    (tmp_path / "returns").mkdir()
    sent = ctx.exports.export(lid, "docx", tmp_path / "下发.docx")
    first = _unit_return(tmp_path, sent, "市财政局", "docx")
    assert ctx.collect.collect([first], lid)[1][0].outcome == NEW
    _edit_in_word(first, "市财政局报第3项：已完成50%", "市财政局报第3项：已全部完成")
    out = ctx.collect.collect([first], lid)[1][0]
    assert (out.outcome, out.reported) == (UPDATED, 3)
    texts = [r.progress for r in ctx.collect.returns(lid) if r.unit == "市财政局"]
    assert texts == [
        "市财政局报第1项：已完成50%",
        "市财政局报第3项：已全部完成",
        "市财政局报第4项：已完成50%",
    ]
    # the older one is kept in the history (历次报送), with what the newer one changed
    newest, older = ctx.collect.history(lid, "市财政局")
    assert (newest.replaced_at, newest.file_name) == (None, first.name)
    assert [r.progress for r in older.rows][1] == "市财政局报第3项：已完成50%"
    assert older.changes == "第3项进展改写" and older.replaced_by == first.name
    assert older.replaced_at is not None and older.received_at <= older.replaced_at
    _rnd, states = ctx.collect.states(lid)
    assert {s.unit: s.versions for s in states}["市财政局"] == 2
    assert {s.unit: s.versions for s in states}["市发展和改革委员会"] == 0


def test_unknown_unit_and_unreadable_files_are_refused_and_change_nothing(city, tmp_path: Path) -> None:
    ctx, lid = city
    (tmp_path / "returns").mkdir()
    sent = ctx.exports.export(lid, "docx", tmp_path / "下发.docx")
    stranger = _unit_return(tmp_path, sent, "市审批局", "docx")
    junk = tmp_path / "returns" / "坏文件.docx"
    junk.write_bytes(b"not a zip")
    _rnd, out = ctx.collect.collect([stranger, junk, tmp_path / "无此文件.docx"], lid)
    assert [o.outcome for o in out] == [CONFIRM, REFUSED, REFUSED]  # the unit is asked, never guessed
    assert "不在单位名录中" in out[0].reason and "不在单位名录中" in out[0].question.unit_why
    assert ctx.collect.returns(lid) == []


def _blank_fill_line(path: Path) -> None:
    """The 填报单位 line emptied in Word (as a unit that types into the header and deletes its name)."""
    import docx

    doc = docx.Document(str(path))
    for p in doc.paragraphs:
        if p.text.startswith("填报单位"):
            for r in p.runs[1:]:
                r.text = ""
            p.runs[0].text = "填报单位：　　填报时间："
    doc.save(str(path))


def test_the_identity_decides_ledger_unit_and_round_before_title_and_file_name(city, tmp_path: Path) -> None:
    ctx, lid = city
    ctx.progress.set_report_dates(lid, [date(2023, 5, 15), date(2023, 8, 15)])
    (tmp_path / "returns").mkdir()
    clock.set_today(date(2023, 4, 1))
    sent = ctx.exports.export(lid, "docx", tmp_path / "下发.docx")
    unit_db = AppContext.open(tmp_path / "unit.sqlite3")
    try:  # the unit imports the office's file, renames its ledger and reports for the second round
        unit_ledger = unit_db.imports.import_file(sent)
        assert unit_ledger.ident == ctx.ledgers.get_ledger(lid).ident
        unit_db.ledgers.rename_ledger(unit_ledger.id, "市财政局政务公开工作台账（自用）")
        unit_db.settings.set("my_unit", "市财政局")
        task = unit_db.ledgers.get_ledger(unit_ledger.id).all_tasks()[0]
        unit_db.progress.add_entry(task.id, "第二轮：预算已公开", TaskStatus.IN_PROGRESS, 60)
        clock.set_today(date(2023, 8, 10))
        out = unit_db.exports.export(unit_ledger.id, "docx", tmp_path / "returns" / "报送.docx")
    finally:
        unit_db.close()
    _blank_fill_line(out)
    clock.set_today(date(2023, 4, 2))  # the office's default round would be the first one
    _rnd, [got] = ctx.collect.collect([out], lid)
    assert (got.outcome, got.unit, got.reported) == (NEW, "市财政局", 1)
    second = [r for r in ctx.progress.rounds(lid) if r.due_date == date(2023, 8, 15)][0]
    assert got.round_id == second.id
    assert [r.progress for r in ctx.collect.returns(lid, second.id)] == ["第二轮：预算已公开"]
    assert ctx.collect.returns(lid) == []  # nothing put on the first round


def test_undo_puts_back_every_units_returns_as_they_were_before_the_collection(city, tmp_path: Path) -> None:
    ctx, lid = city
    (tmp_path / "returns").mkdir()
    sent = ctx.exports.export(lid, "docx", tmp_path / "下发.docx")
    finance = _unit_return(tmp_path, sent, "市财政局", "docx")
    service = _unit_return(tmp_path, sent, "市政务服务中心", "xlsx")
    seen: list[tuple[int, int, str]] = []
    _rnd, first = ctx.collect.collect([finance], lid, progress=lambda n, total, f: seen.append((n, total, f.name)))
    assert seen == [(1, 1, finance.name)]
    before = [(r.unit, r.progress) for r in ctx.collect.returns(lid)]
    _edit_in_word(finance, "市财政局报第3项：已完成50%", "市财政局报第3项：已全部完成")
    _rnd, second = ctx.collect.collect([finance, service], lid)
    assert [o.outcome for o in second] == [UPDATED, NEW]
    assert ("市财政局", "市财政局报第3项：已全部完成") in [(r.unit, r.progress) for r in ctx.collect.returns(lid)]
    assert ctx.collect.undo(second) == 2
    assert [(r.unit, r.progress) for r in ctx.collect.returns(lid)] == before
    assert ctx.collect.undo(first) == 1
    assert ctx.collect.returns(lid) == []


def test_notice_and_reminder_name_the_late_and_missing_units_and_the_silent_tasks(
    city, tmp_path: Path, ooxml_valid
) -> None:
    import docx

    ctx, lid = city
    (tmp_path / "returns").mkdir()
    sent = ctx.exports.export(lid, "docx", tmp_path / "下发.docx")
    service = _unit_return(tmp_path, sent, "市政务服务中心", "docx")  # tasks 3 and 4 only
    clock.set_today(date(2023, 8, 10))
    ctx.collect.collect([service], lid)
    finance = _unit_return(tmp_path, sent, "市财政局", "xlsx")
    clock.set_today(date(2023, 8, 17))  # late
    ctx.collect.collect([finance], lid)
    text = ctx.collect.reminder(lid)
    assert text.startswith("市发展和改革委员会、兴庆区人民政府、永宁县人民政府：")
    assert "第1次报送（8月15日前）" in text and "现已逾期" in text and "市财政局" not in text

    out = ctx.collect.write_notice(lid, tmp_path / "通报.docx")
    ooxml_valid(out)
    body = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "本次应报送单位 5 个（截止时间2023年8月15日），其中按时报送 1 个，逾期报送 1 个，未报送 3 个。" in body
    assert "二、按时报送的单位\n市政务服务中心。" in body
    assert "三、逾期报送的单位\n市财政局（2023年8月17日报送）。" in body
    assert "四、未报送的单位\n市发展和改革委员会、兴庆区人民政府、永宁县人民政府。" in body
    assert "五、各单位均未报送进展的任务\n第2项：公开重大建设项目批准和实施信息" in body
    with pytest.raises(LedgerError, match=r"\.docx"):
        ctx.collect.write_notice(lid, tmp_path / "通报.pdf")


def test_history_after_undo_and_the_same_as_an_older_version_changes_nothing(city, tmp_path: Path) -> None:
    ctx, lid = city
    (tmp_path / "returns").mkdir()
    sent = ctx.exports.export(lid, "docx", tmp_path / "下发.docx")
    path = _unit_return(tmp_path, sent, "市财政局", "docx")
    first_copy = tmp_path / "第一版.docx"
    first_copy.write_bytes(path.read_bytes())
    ctx.collect.collect([path], lid)
    _edit_in_word(path, "市财政局报第3项：已完成50%", "市财政局报第3项：第二版")
    ctx.collect.collect([path], lid)
    _edit_in_word(path, "市财政局报第3项：第二版", "市财政局报第3项：第三版")
    _rnd, third = ctx.collect.collect([path], lid)
    assert third[0].outcome == UPDATED
    assert [v.rows[1].progress for v in ctx.collect.history(lid, "市财政局")] == [
        "市财政局报第3项：第三版", "市财政局报第3项：第二版", "市财政局报第3项：已完成50%",
    ]
    assert ctx.collect.undo(third) == 1  # the third undone: the second is current again, its history kept
    versions = ctx.collect.history(lid, "市财政局")
    assert [(v.rows[1].progress, v.replaced_at is None) for v in versions] == [
        ("市财政局报第3项：第二版", True), ("市财政局报第3项：已完成50%", False),
    ]
    assert versions[1].changes == "第3项进展改写"
    # the first version sent again (a copy found in another folder) is already known: nothing changes
    _rnd, [again] = ctx.collect.collect([first_copy], lid)
    assert again.outcome == UNCHANGED
    assert len(ctx.collect.history(lid, "市财政局")) == 2


def test_two_returns_of_one_unit_in_one_collection_the_later_dated_wins_and_again_changes_nothing(
    city, tmp_path: Path
) -> None:
    import os

    ctx, lid = city
    (tmp_path / "returns").mkdir()
    sent = ctx.exports.export(lid, "docx", tmp_path / "下发.docx")
    older = _unit_return(tmp_path, sent, "市财政局", "xlsx")
    newer = tmp_path / "returns" / "A市财政局更正版.docx"  # sorts before the older file
    _unit_return(tmp_path, sent, "市财政局", "docx").rename(newer)
    _edit_in_word(newer, "市财政局报第1项：已完成50%", "市财政局报第1项：更正后已完成")
    os.utime(older, (1_690_000_000, 1_690_000_000))  # 2023-07-22: the older file
    os.utime(newer, (1_691_000_000, 1_691_000_000))
    _rnd, got = ctx.collect.collect([tmp_path / "returns"], lid)
    assert sorted(o.outcome for o in got) == [NEW, UPDATED]
    assert [r.progress for r in ctx.collect.returns(lid)][0] == "市财政局报第1项：更正后已完成"
    _rnd, again = ctx.collect.collect([tmp_path / "returns"], lid)
    assert [o.outcome for o in again] == [UNCHANGED, UNCHANGED]
    assert [v.file_name for v in ctx.collect.history(lid, "市财政局")] == [newer.name, older.name]


def _blank_form(path: Path, fill_unit: str, rows: list[tuple[str, str, str]]) -> Path:
    """A unit typed into the city's blank form in Word: no identity, no embedded copy."""
    import docx

    d = docx.Document()
    d.add_paragraph("银川市2023年政务公开工作要点任务分解台账")
    d.add_paragraph(f"填报单位：{fill_unit}　　填报时间：2023年8月10日")
    table = d.add_table(rows=1, cols=3)
    for cell, head in zip(table.rows[0].cells, ("序号", "主要内容", "进展落实情况"), strict=True):
        cell.text = head
    for values in rows:
        for cell, v in zip(table.add_row().cells, values, strict=True):
            cell.text = v
    d.save(str(path))
    return path


def test_a_blank_form_with_uncertain_unit_and_task_is_asked_and_stored_only_when_answered(
    city, tmp_path: Path
) -> None:
    ctx, lid = city
    by_number = {t.number: t for t in ctx.ledgers.get_ledger(lid).all_tasks()}
    form = _blank_form(
        tmp_path / "报送.docx",
        "市发改",  # not a directory name: asked
        [
            ("1", "公开财政预算决算和部门预算决算", ""),
            ("2", "公开重大建设项目批准和实施信息", "已公开12个项目"),
            ("3", "推进政务服务办事指南的公开工作", "已更新指南"),  # rewritten: uncertain
            ("4", "做好重要政策解读和回应关切工作", ""),
            ("5", "本单位自行增加的任务", ""),  # no progress: nothing to ask
        ],
    )
    plan = ctx.collect.plan(lid)
    [o] = ctx.collect.read(plan, [form])
    assert o.outcome == CONFIRM and "市发改" in o.question.unit_why
    assert o.question.unit_choices[0] == "市发展和改革委员会"
    [q] = o.question.tasks
    assert (q.number, q.progress) == ("3", "已更新指南")
    assert q.candidates[0][:2] == (by_number["3"].id, "3")
    assert by_number["2"].id not in [c[0] for c in q.candidates]  # already matched: not offered
    ctx.collect.store(plan, [o])
    assert ctx.collect.returns(lid) == []  # nothing stored until answered
    with pytest.raises(LedgerError, match="同一项任务"):
        ctx.collect.answer(plan, o, ReturnAnswer("市发展和改革委员会", {q.index: by_number["2"].id}))
    with pytest.raises(LedgerError, match="名录"):
        ctx.collect.answer(plan, o, ReturnAnswer("市发改", {q.index: by_number["3"].id}))
    done = ctx.collect.answer(plan, o, ReturnAnswer("市发展和改革委员会", {q.index: by_number["3"].id}))
    assert (done.outcome, done.unit, done.reported) == (PENDING, "市发展和改革委员会", 2)
    [stored] = ctx.collect.store(plan, [done])
    assert stored.outcome == NEW
    assert [(r.unit, r.task_id, r.progress) for r in ctx.collect.returns(lid)] == [
        ("市发展和改革委员会", by_number["2"].id, "已公开12个项目"),
        ("市发展和改革委员会", by_number["3"].id, "已更新指南"),
    ]
    # the same form again: confirmed before, so nothing is asked and nothing changes (CLI and GUI alike)
    _rnd, [again] = ctx.collect.collect([form], lid)
    assert (again.outcome, again.unit) == (UNCHANGED, "市发展和改革委员会")
    # the task left out on purpose: the rest is stored, the line says so
    [o2] = ctx.collect.read(plan, [form])
    skipped = ctx.collect.answer(plan, o2, ReturnAnswer("市发展和改革委员会", {o2.question.tasks[0].index: None}))
    assert skipped.reported == 1 and "第3项按确认未收录" in skipped.uncertain


def test_a_certain_blank_form_is_collected_by_title_and_content(city, tmp_path: Path) -> None:
    ctx, lid = city
    form = _blank_form(
        tmp_path / "报送.docx", "市发改委", [("2", "公开重大建设项目批准和实施信息", "已公开12个项目")]
    )
    _rnd, [o] = ctx.collect.collect([form], lid)
    assert (o.outcome, o.unit, o.reported) == (NEW, "市发展和改革委员会", 1)


def test_a_correction_sent_after_the_deadline_keeps_the_unit_on_time(city, tmp_path: Path) -> None:
    ctx, lid = city
    (tmp_path / "returns").mkdir()
    sent = ctx.exports.export(lid, "docx", tmp_path / "下发.docx")
    path = _unit_return(tmp_path, sent, "市财政局", "docx")
    clock.set_today(date(2023, 8, 14))
    ctx.collect.collect([path], lid)
    _edit_in_word(path, "市财政局报第3项：已完成50%", "市财政局报第3项：更正")
    clock.set_today(date(2023, 8, 18))  # the correction comes after the due date (8-15)
    ctx.collect.collect([path], lid)
    _rnd, states = ctx.collect.states(lid)
    finance = {s.unit: s for s in states}["市财政局"]
    assert (finance.state, finance.received.date(), finance.versions) == ("submitted", date(2023, 8, 18), 2)
    assert [d.unit for d in ctx.score.assess(lid) if d.kind == "late"] == []


def test_a_late_report_sent_for_the_past_round_says_so_and_is_collected_late_into_it(city, tmp_path: Path) -> None:
    from desktop_app.importers import load_any

    ctx, lid = city
    ctx.progress.set_report_dates(lid, [date(2023, 8, 15), date(2023, 12, 5)])
    first = ctx.progress.rounds(lid)[0]
    clock.set_today(date(2023, 8, 1))
    sent = ctx.exports.export(lid, "docx", tmp_path / "下发.docx")
    unit = AppContext.open(tmp_path / "unit.sqlite3")
    try:
        mine = unit.imports.import_file(sent)
        unit.settings.set("my_unit", "市财政局")
        clock.set_today(date(2023, 8, 17))  # two days late, still the first round's report
        unit.progress.add_entry(mine.all_tasks()[0].id, "迟报的第一轮进展", TaskStatus.IN_PROGRESS, 30)
        late_round = unit.progress.rounds(mine.id)[0]
        out = unit.exports.export(mine.id, "docx", tmp_path / "迟报.docx", round_id=late_round.id)
    finally:
        unit.close()
    import docx

    got = load_any(out, with_copy=False)
    assert got.identity.round_due == date(2023, 8, 15)
    assert "第1次报送（8月15日前）" in "\n".join(p.text for p in docx.Document(str(out)).paragraphs[:4])
    _rnd, [o] = ctx.collect.collect([out], lid)
    assert (o.outcome, o.round_id) == (NEW, first.id)
    _rnd, states = ctx.collect.states(lid, first.id)
    assert {s.unit: s.state for s in states}["市财政局"] == "late"
    # the consolidated ledger of that round names it in its header, whatever today's round is
    word = ctx.collect.export_consolidated(lid, "docx", tmp_path / "汇总.docx", first.id)
    head = "\n".join(p.text for p in docx.Document(str(word)).paragraphs[:4])
    assert "第1次报送（8月15日前）" in head and "第2次" not in head


def test_expects_returns_decides_from_the_ledger_in_hand(tmp_path: Path) -> None:
    """The window asks with the ledger it shows (a 100,000-task ledger is not read again to decide):
    with no directory yet, three named units make it the office's, and the answer comes from the
    ledger given, the same as from the stored one."""
    with AppContext.open(tmp_path / "a.sqlite3") as ctx:
        one = ctx.ledgers.add_ledger(_ledger(tasks=TASKS[1:2]))  # names 市发改委 only
        many = ctx.ledgers.add_ledger(_ledger(title="另一本"))
        assert ctx.collect.expects_returns(one.id) is False
        assert ctx.collect.expects_returns(many.id) is True
        assert ctx.collect.expects_returns(many.id, ctx.ledgers.get_ledger(many.id)) is True
        in_hand = ctx.ledgers.get_ledger(one.id)
        in_hand.sections[0].tasks.append(Task(number="9", units_text="市财政局、市审批局", units=parse_units("市财政局、市审批局")))
        assert ctx.collect.expects_returns(one.id, in_hand) is True  # what the window shows counts
        assert ctx.collect.expects_returns(one.id) is False
        assert ctx.collect.expects_returns(one.id, ctx.ledgers.get_ledger(many.id)) is False  # not that ledger


def test_a_return_of_another_year_is_refused_and_changes_nothing(city, tmp_path: Path) -> None:
    ctx, lid = city
    (tmp_path / "returns").mkdir()
    sent = ctx.exports.export(lid, "docx", tmp_path / "下发.docx")
    kept = _unit_return(tmp_path, sent, "市财政局", "docx")
    ctx.collect.collect([kept], lid)
    before = [(r.unit, r.task_id, r.progress) for r in ctx.collect.returns(lid)]
    other = AppContext.open(tmp_path / "2022.sqlite3")
    try:  # last year's ledger, same tasks and title but for the year: another lineage, another year
        old = other.ledgers.add_ledger(_ledger("银川市2022年政务公开工作要点任务分解台账", 2022))
        other.settings.set("my_unit", "市财政局")
        other.progress.add_entry(old.all_tasks()[0].id, "2022年的进展", TaskStatus.DONE, 100)
        last_year = other.exports.export(old.id, "xlsx", tmp_path / "returns" / "市财政局2022.xlsx")
    finally:
        other.close()
    _rnd, [o] = ctx.collect.collect([last_year], lid)
    assert o.outcome == REFUSED and "是 2022 年的台账，不是 2023 年的" in o.reason
    assert [(r.unit, r.task_id, r.progress) for r in ctx.collect.returns(lid)] == before
    assert len(ctx.collect.history(lid, "市财政局")) == 1
