"""Our own reports edited in Word/WPS/Excel and imported again: what the file shows is what is imported.

The embedded copy only completes what the table cannot show (unit roles, status, percent, fields
not printed), for rows that still show what was written; edited cells win and are listed."""

from __future__ import annotations

import copy
import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from reimport_edit import (
    cell_text,
    cells,
    edit_docx,
    excel_delete_row,
    excel_insert_row,
    rows_of,
    set_cell,
    validate,
)

from desktop_app.domain.model import (
    ColumnSpec,
    Deadline,
    DeadlineKind,
    Ledger,
    Section,
    Task,
    TaskStatus,
    UnitAssignment,
    UnitRole,
)
from desktop_app.domain.serialize import task_to_dict
from desktop_app.exporters.common import ReportOptions
from desktop_app.exporters.docx_report import write_report
from desktop_app.exporters.fill_back import fill_back
from desktop_app.exporters.xlsx_export import write_xlsx
from desktop_app.importers import load_any
from desktop_app.importers.embedded_copy import read_embedded

DATA = Path(__file__).resolve().parent.parent / "data"
OPTS = ReportOptions(as_of=date(2023, 8, 15), unit="银川市自然资源局", filler="张三", phone="0951-6012345")
COLUMNS = [
    ColumnSpec("number", "序号"),
    ColumnSpec("key_work", "重点工作"),
    ColumnSpec("item", "主要内容"),
    ColumnSpec("content", "主要内容"),
    ColumnSpec("indicator", "量化指标"),
    ColumnSpec("units", "责任单位"),
    ColumnSpec("deadline", "完成时限"),
    ColumnSpec("progress", "进展落实情况"),
]


def make_ledger() -> Ledger:
    """Two sections of six tasks, each with what no table shows: roles, status, percent, remarks."""
    ledger = Ledger(
        title="银川市2023年政务公开工作要点任务落实台账",
        year=2023,
        owner_unit="银川市自然资源局",
        issuer="银川市政府政务公开办公室",
        columns=list(COLUMNS),
    )
    n = 0
    for si, title in enumerate(("一、全环节推进信息公开", "二、全流程优化政策服务")):
        section = Section(title=title, position=si)
        for ti in range(6):
            n += 1
            section.tasks.append(
                Task(
                    id=n,
                    number=str(n),
                    key_work="加强保障改善\n民生信息公开" if ti < 3 else "加强政府自身建设信息公开",
                    item="抓好稳岗就业信息公开" if ti < 2 else None,
                    content=f"第{n}项：系统梳理已出台发布的各项稳就业政策，通过政府网站集中发布。",
                    indicator="查看各级各部门在市政府门户网站发布情况",
                    units_text="市人社局牵头，市财政局配合",
                    units=[
                        UnitAssignment("市人社局", UnitRole.LEAD),
                        UnitAssignment("市财政局", UnitRole.COOPERATING),
                        UnitAssignment("市自然资源局", UnitRole.RESPONSIBLE),  # added by hand in the program
                    ],
                    deadline=Deadline("11月底", DeadlineKind.DATE, date(2023, 11, 30))
                    if ti % 2
                    else Deadline("长期坚持", DeadlineKind.ONGOING),
                    status=TaskStatus.DONE if ti == 0 else TaskStatus.IN_PROGRESS,
                    percent=100 if ti == 0 else min(10 * n, 90),  # a percent is 0..100 (ledger schema)
                    progress=f"任务{n}已发布政策解读{n}篇。\n第二行说明。",
                    remarks=f"内部备注{n}：勿公开",
                    progress_updated_at=datetime(2023, 8, 1, 9, n),
                    position=ti,
                )
            )
        ledger.sections.append(section)
    return ledger


def _by_number(ledger: Ledger) -> dict[str, Task]:
    return {t.number: t for t in ledger.all_tasks()}


def _same(a: Task, b: Task) -> bool:
    """Everything the program keeps about a task, ids aside."""
    return task_to_dict(a) == task_to_dict(b)


def _texts(result) -> list[str]:
    return [c.text for c in result.changes]


# -- Word report ----------------------------------------------------------------------------------------


def _edit_report(body) -> None:
    """Rows: 0 header, 1 section, 2-7 tasks 1-6, 8 section, 9-14 tasks 7-12."""
    rows = rows_of(body)
    set_cell(cells(rows[3])[-1], "在Word中改写的进展：\n已全部完成。")  # task 2: progress
    assert cell_text(cells(rows[6])[2]).startswith("第5项")  # task 5: item + content in one cell
    set_cell(cells(rows[6])[2], "第5项：在Word中改写的主要内容。")
    new = copy.deepcopy(rows[14])  # a row added under task 12 (the key work merge goes on)
    set_cell(cells(new)[0], "13")
    set_cell(cells(new)[2], "新增任务：在Word中添加的一行。")
    set_cell(cells(new)[-1], "新增行的进展。")
    rows[14].addnext(new)
    rows[11].getparent().remove(rows[11])  # task 9 deleted


def test_docx_report_edits_are_imported(tmp_path: Path) -> None:
    ledger = make_ledger()
    exported = tmp_path / "报告.docx"
    write_report(ledger, exported, OPTS)
    edited = edit_docx(exported, tmp_path / "报告-改.docx", _edit_report)
    validate(exported, edited)

    result = load_any(edited)
    assert result.source_kind == "embedded"
    got = _by_number(result.ledger)
    want = _by_number(ledger)
    assert sorted(got, key=int) == [str(n) for n in (1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13)]
    assert got["2"].progress == "在Word中改写的进展：已全部完成。"
    assert got["5"].content == "第5项：在Word中改写的主要内容。"
    assert got["13"].content == "新增任务：在Word中添加的一行。" and got["13"].progress == "新增行的进展。"
    assert got["13"].key_work == "加强政府自身建设信息公开"
    # what the table cannot show stays with the edited tasks
    for n in ("2", "5"):
        assert got[n].units == want[n].units and got[n].remarks == want[n].remarks
        assert got[n].percent == want[n].percent and got[n].status == want[n].status
    assert got["5"].progress == want["5"].progress  # its progress cell was not touched: exact text kept
    assert got["2"].progress_updated_at != want["2"].progress_updated_at
    # untouched tasks are the program's own, field for field (line breaks, roles, remarks, dates)
    for n in ("1", "3", "4", "6", "7", "8", "10", "11", "12"):
        assert _same(got[n], want[n]), n
    assert [s.title for s in result.ledger.sections] == ["一、全环节推进信息公开", "二、全流程优化政策服务"]
    assert _texts(result) == [
        "第2项：进展落实情况 已在文件中修改",
        "第5项：主要内容 已在文件中修改",
        "第13项：文件中新增的任务，已作为新任务导入",
        "第9项：已从文件中删除，未导入",
    ]


def test_docx_report_unchanged_is_the_programs_ledger(tmp_path: Path) -> None:
    ledger = make_ledger()
    path = tmp_path / "报告.docx"
    write_report(ledger, path, OPTS)
    result = load_any(path)
    assert result.changes == [] and result.flagged == []
    assert [task_to_dict(t) for t in result.ledger.all_tasks()] == [
        task_to_dict(t) for t in ledger.all_tasks()
    ]
    assert all(len(t["visible"]) >= 7 for s in read_embedded(path)["sections"] for t in s["tasks"])


def test_docx_every_row_deleted_but_one_imports_one(tmp_path: Path) -> None:
    """An embedded copy never brings back rows that are gone from the document."""
    ledger = make_ledger()
    exported = tmp_path / "报告.docx"
    write_report(ledger, exported, OPTS)

    def keep_task_4(body) -> None:
        rows = rows_of(body)  # task 4 (row 5) starts the merge of its key work over tasks 4-6
        for i, tr in enumerate(rows):
            if i not in (0, 1, 5):
                tr.getparent().remove(tr)

    edited = edit_docx(exported, tmp_path / "只剩一项.docx", keep_task_4)
    validate(edited)
    result = load_any(edited)
    assert [t.number for t in result.ledger.all_tasks()] == ["4"]
    assert _same(result.ledger.all_tasks()[0], ledger.all_tasks()[3])
    assert len([c for c in result.changes if c.kind == "removed"]) == 11


def test_docx_edit_of_a_merged_key_work_cell_changes_every_row_under_it(tmp_path: Path) -> None:
    ledger = make_ledger()
    exported = tmp_path / "报告.docx"
    write_report(ledger, exported, OPTS)

    def rename(body) -> None:
        set_cell(cells(rows_of(body)[2])[1], "加强民生信息公开")  # the merged cell over tasks 1-3

    result = load_any(edit_docx(exported, tmp_path / "改重点工作.docx", rename))
    got = _by_number(result.ledger)
    assert [got[n].key_work for n in ("1", "2", "3", "4")] == ["加强民生信息公开"] * 3 + [
        "加强政府自身建设信息公开"
    ]
    assert _texts(result) == [f"第{n}项：重点工作 已在文件中修改" for n in (1, 2, 3)]


# -- Excel report ---------------------------------------------------------------------------------------


def test_xlsx_report_edits_are_imported(tmp_path: Path) -> None:
    ledger = make_ledger()
    exported = tmp_path / "报告.xlsx"
    write_xlsx(ledger, exported, OPTS)
    wb = openpyxl.load_workbook(exported)
    assert wb["_ledger_data"].sheet_state == "veryHidden"
    ws = wb["台账"]
    header = [c.value for c in ws[3]]
    progress, status = header.index("进展落实情况") + 1, header.index("状态") + 1
    # rows: 4 section, 5-10 tasks 1-6, 11 section, 12-17 tasks 7-12
    assert ws.cell(row=6, column=1).value == "2"
    ws.cell(row=6, column=progress).value = "在Excel中改写的进展。"
    assert ws.cell(row=7, column=1).value == "3"
    ws.cell(row=7, column=status).value = "已完成"
    excel_delete_row(ws, 13)  # task 8
    out = tmp_path / "报告-改.xlsx"
    wb.save(out)
    wb.close()
    validate(exported, out)
    assert openpyxl.load_workbook(out)["_ledger_data"].sheet_state == "veryHidden"  # openpyxl keeps it

    result = load_any(out)
    assert result.source_kind == "embedded"
    got = _by_number(result.ledger)
    want = _by_number(ledger)
    assert "8" not in got and len(got) == 11
    assert got["2"].progress == "在Excel中改写的进展。" and got["2"].units == want["2"].units
    assert got["3"].status == TaskStatus.DONE and got["3"].percent == 100
    assert got["3"].progress == want["3"].progress
    assert "状态" not in got["3"].extra
    for n in ("1", "4", "5", "6", "7", "9", "10", "11", "12"):
        assert _same(got[n], want[n]), n
    assert _texts(result) == [
        "第2项：进展落实情况 已在文件中修改",
        "第3项：状态 已在文件中修改",
        "第8项：已从文件中删除，未导入",
    ]


def test_xlsx_row_added_in_excel_is_a_new_task(tmp_path: Path) -> None:
    ledger = make_ledger()
    exported = tmp_path / "报告.xlsx"
    write_xlsx(ledger, exported, OPTS)
    wb = openpyxl.load_workbook(exported)
    ws = wb["台账"]
    header = [c.value for c in ws[3]]
    excel_insert_row(ws, 18)  # under task 12, above the signature rows
    for field, value in (("序号", "13"), ("重点工作", "新增重点工作"), ("主要内容", "新增的任务内容")):
        ws.cell(row=18, column=header.index(field) + 1).value = value
    ws.cell(row=18, column=header.index("进展落实情况") + 1).value = "新增的进展"
    ws.cell(row=18, column=header.index("状态") + 1).value = "未开始"
    out = tmp_path / "加一行.xlsx"
    wb.save(out)
    wb.close()
    validate(out)
    result = load_any(out)
    got = _by_number(result.ledger)
    assert len(got) == 13
    assert got["13"].content == "新增的任务内容" and got["13"].progress == "新增的进展"
    assert got["13"].status == TaskStatus.NOT_STARTED and "状态" not in got["13"].extra
    assert all(_same(got[str(n)], t) for n, t in enumerate(ledger.all_tasks(), 1))
    assert _texts(result) == ["第13项：文件中新增的任务，已作为新任务导入"]


# -- 按原表填报 (the city's own form) ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["city-2023.docx", "natural-resources-2022.docx"])
def test_fill_back_edits_are_imported(tmp_path: Path, name: str) -> None:
    ledger = load_any(DATA / name).ledger
    tasks = ledger.all_tasks()
    for i, t in enumerate(tasks):
        t.progress = f"程序中填写的进展{i + 1}。"
        t.percent = 30
    tasks[0].units = [UnitAssignment("市政府办公室", UnitRole.LEAD)]
    filled = tmp_path / name
    fill_back(ledger, filled, OPTS)
    copy_tasks = [t for s in read_embedded(filled)["sections"] for t in s["tasks"]]
    assert all(t.get("visible") for t in copy_tasks)
    unchanged = load_any(filled)
    assert unchanged.changes == []
    assert [task_to_dict(t) for t in unchanged.ledger.all_tasks()] == [task_to_dict(t) for t in tasks]

    target = tasks[3]
    done: list[str] = []

    def edit(body) -> None:
        for tr in body.iter(f"{{{'http://schemas.openxmlformats.org/wordprocessingml/2006/main'}}}tr"):
            for tc in cells(tr):
                if cell_text(tc) == target.progress and not done:
                    set_cell(tc, "在Word中改写的填报进展。")
                    done.append(target.number)

    edited = edit_docx(filled, tmp_path / f"改-{name}", edit)
    validate(filled, edited)
    assert done
    result = load_any(edited)
    got = result.ledger.all_tasks()
    assert len(got) == len(tasks)
    assert got[3].progress == "在Word中改写的填报进展。" and got[3].percent == 30
    assert got[0].units == [UnitAssignment("市政府办公室", UnitRole.LEAD)]
    assert [task_to_dict(t) for i, t in enumerate(got) if i != 3] == [
        task_to_dict(t) for i, t in enumerate(tasks) if i != 3
    ]
    header = next(c.header for c in ledger.columns if c.field == "progress")
    assert _texts(result) == [f"第{target.number}项：{header} 已在文件中修改"]


# -- a copy written before the hashes (main at c74c103) --------------------------------------------------

OLD = DATA / "old-embedded"


def _old_ledger_tasks() -> dict[str, dict]:
    data = read_embedded(OLD / "report-main-c74c103.docx")
    assert data is not None and "visible_format" not in data
    return {t["number"]: t for s in data["sections"] for t in s["tasks"]}


def test_old_copy_unchanged_file_keeps_everything(tmp_path: Path) -> None:
    for name in ("report-main-c74c103.docx", "report-main-c74c103.xlsx"):
        result = load_any(OLD / name)
        assert result.changes == [], name
        tasks = result.ledger.all_tasks()
        assert [t.number for t in tasks] == ["1", "2", "3", "4"]
        assert all(t.units == [UnitAssignment("市政府各部门", UnitRole.LEAD)] for t in tasks)
        assert [t.remarks for t in tasks] == ["内部备注：勿公开"] * 4


def test_old_copy_visible_wins_and_ids_kept_where_number_or_content_match(tmp_path: Path) -> None:
    old = _old_ledger_tasks()

    def edit(body) -> None:
        rows = rows_of(body)  # 0 header, 1 section, 2-5 tasks 1-4
        set_cell(cells(rows[3])[-1], "旧文件中改写的进展。")  # task 2
        set_cell(cells(rows[4])[0], "9")  # task 3: renumbered, content unchanged
        rows[5].getparent().remove(rows[5])  # task 4 deleted

    edited = edit_docx(OLD / "report-main-c74c103.docx", tmp_path / "旧-改.docx", edit)
    validate(edited)
    result = load_any(edited)
    got = _by_number(result.ledger)
    assert sorted(got) == ["1", "2", "9"]
    assert got["2"].progress == "旧文件中改写的进展。"
    for n, was in (("1", "1"), ("2", "2"), ("9", "3")):
        assert got[n].units == [UnitAssignment("市政府各部门", UnitRole.LEAD)], n  # the copy's roles
        assert got[n].remarks == old[was]["remarks"] and got[n].status.value == old[was]["status"]
    assert _texts(result) == [
        "第2项：进展落实情况 已在文件中修改",
        "第9项：序号 已在文件中修改",
        "第4项：已从文件中删除，未导入",
    ]


def test_old_copy_xlsx_edit(tmp_path: Path) -> None:
    path = tmp_path / "旧.xlsx"
    shutil.copy(OLD / "report-main-c74c103.xlsx", path)
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    header = [c.value for c in ws[3]]
    ws.cell(
        row=5, column=header.index("主要内容") + 2
    ).value = "旧表中改写的内容"  # task 1: item and content in cells of their own
    wb.save(path)
    wb.close()
    validate(path)
    result = load_any(path)
    got = _by_number(result.ledger)
    assert got["1"].content == "旧表中改写的内容"
    assert got["1"].units == [UnitAssignment("市政府各部门", UnitRole.LEAD)]
    assert _texts(result) == ["第1项：主要内容 已在文件中修改"]
