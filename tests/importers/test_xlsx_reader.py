"""Excel sheets: the real fixture and a generated workbook with several sheets."""

from __future__ import annotations

import openpyxl
import pytest

from desktop_app.domain.model import TaskStatus, UnitRole
from desktop_app.importers import ImportFailed, load_any
from desktop_app.importers.xlsx_reader import read_sheets, value_text


def test_natural_resources_xlsx(data_dir) -> None:
    result = load_any(data_dir / "natural-resources-2022.xlsx")
    ledger = result.ledger
    tasks = ledger.all_tasks()
    assert result.source_kind == "xlsx"
    assert len(tasks) == 45
    assert len({t.number.split("-")[0] for t in tasks}) == 25
    assert ledger.title == "银川市自然资源局2022年政务公开工作要点推进台账"
    assert (ledger.year, ledger.owner_unit) == (2022, "银川市自然资源局")
    assert result.fill_line == "填报单位：\u3000填报时间："
    assert result.tables[0].header_row == 2
    assert [c.header for c in ledger.columns] == [
        "序号",
        "重点工作",
        "主要内容",
        "量化指标",
        "完成时限",
        "推进情况",
    ]
    assert result.sheet == "推进台账" and result.sheet_candidates == []


def test_xlsx_and_docx_agree(data_dir) -> None:
    a = load_any(data_dir / "natural-resources-2022.xlsx").ledger.all_tasks()
    b = load_any(data_dir / "natural-resources-2022.docx").ledger.all_tasks()
    assert [(t.number, t.key_work, t.deadline.text) for t in a] == [
        (t.number, t.key_work, t.deadline.text) for t in b
    ]
    assert sum(x.content == y.content for x, y in zip(a, b, strict=True)) >= 40


def test_several_sheets_and_merged_titles(generated) -> None:
    result = load_any(generated["several-sheets.xlsx"])
    assert result.sheet == "任务台账"
    assert result.sheet_candidates == ["任务台账", "汇总表"]
    assert any("汇总表" in w for w in result.warnings)
    ledger = result.ledger
    assert ledger.title == "某市发改委2024年政务公开工作要点落实台账"
    assert (ledger.year, ledger.owner_unit) == (2024, "某市发改委")
    assert result.fill_line == "填报单位：\u3000填报时间："
    assert [s.title for s in ledger.sections] == ["一、经济领域", "二、民生领域"]
    tasks = ledger.all_tasks()
    assert [t.number for t in tasks] == ["1-1", "1-2", "2", "3-1", "3-2", "4"]  # repeated header skipped
    t11, t12, t2, t31, t32, t4 = tasks
    assert t11.key_work == t12.key_work == "加强投资信息公开"
    assert t31.key_work == t32.key_work == "就业信息"  # blank under the cell above
    assert t11.progress == "已公开 12 项" and t11.status == TaskStatus.IN_PROGRESS
    assert t11.extra == {"联系人": "李四"}
    assert [(u.name, u.role) for u in t2.units] == [
        ("价格科", UnitRole.RESPONSIBLE),
        ("统计局", UnitRole.COOPERATING),
    ]
    assert result.flagged == [(1, 1, "无法识别完成时限“某个时候”")]
    assert ("extra:联系人", "联系人") in [(c.field, c.header) for c in ledger.columns]


def test_sheet_argument(generated) -> None:
    result = load_any(generated["several-sheets.xlsx"], sheet="汇总表")
    assert result.sheet == "汇总表"
    assert [t.content for t in result.ledger.all_tasks()] == ["汇总任务"]
    with pytest.raises(ImportFailed, match="找不到名为“不存在”的工作表"):
        load_any(generated["several-sheets.xlsx"], sheet="不存在")


def test_merged_cells_filled_from_top_left(tmp_path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "重点工作", "主要内容", "责任单位", "完成时限"])
    ws.append([1, "甲", "内容一", "办公室", "11月底"])
    ws.append([None, None, "内容二", None, "12月底"])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    ws.merge_cells("D2:D3")
    path = tmp_path / "m.xlsx"
    wb.save(path)
    (table,) = read_sheets(path.read_bytes())
    assert [c.text for c in table.rows[2]] == ["1", "甲", "内容二", "办公室", "12月底"]
    assert table.rows[2][0].cont and not table.rows[2][2].cont
    tasks = load_any(path).ledger.all_tasks()
    assert [(t.number, t.units_text) for t in tasks] == [("1-1", "办公室"), ("1-2", "办公室")]


def test_value_text() -> None:
    import datetime as dt

    assert value_text(3.0) == "3"
    assert value_text(dt.datetime(2024, 6, 30)) == "2024年6月30日"
    assert value_text(" 市政府 门户网站 ") == "市政府门户网站"
    assert value_text(None) == ""


def test_used_range_stretched_by_formatting(tmp_path) -> None:
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "重点工作", "主要内容", "责任单位", "完成时限"])
    ws.append([1, "甲", "内容", "办公室", "11月底"])
    ws.cell(1_048_000, 30).font = Font(bold=True)  # an empty but formatted cell far away
    path = tmp_path / "stretched.xlsx"
    wb.save(path)
    (table,) = read_sheets(path.read_bytes())
    assert len(table.rows) == 2 and len(table.rows[0]) == 5


def test_same_number_written_again_is_the_same_item(tmp_path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "重点工作", "主要内容", "责任单位"])
    ws.append([3, "甲", "内容一", "办公室"])
    ws.append([3, "甲", "内容二", "办公室"])
    ws.append([4, "乙", "内容三", "办公室"])
    path = tmp_path / "repeat.xlsx"
    wb.save(path)
    assert [t.number for t in load_any(path).ledger.all_tasks()] == ["3-1", "3-2", "4"]


def test_hidden_columns_are_not_imported(tmp_path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "原序号", "重点工作", "主要内容", "牵头处室", "会办处室", "时间节点"])
    ws.append([1, "A-03", "甲", "内容一", "规划处", "计财处", "每季度"])
    ws.append([2, "A-07", "乙", "内容二", "办公室", "", "长期坚持"])
    ws.column_dimensions["B"].hidden = True
    path = tmp_path / "hidden.xlsx"
    wb.save(path)
    (table,) = read_sheets(path.read_bytes())
    assert table.hidden == frozenset({1})
    result = load_any(path)
    assert result.tables[0].fields[1] == "ignore"
    assert "隐藏" in result.tables[0].reasons[1]
    tasks = result.ledger.all_tasks()
    assert [t.number for t in tasks] == ["1", "2"]
    assert [(u.name, u.role.value) for u in tasks[0].units] == [("规划处", "lead"), ("计财处", "cooperating")]
    assert not any("A-03" in v for v in tasks[0].extra.values())
