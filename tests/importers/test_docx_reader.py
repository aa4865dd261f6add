"""Word tables: the real fixtures (counts, rows checked exactly) and generated harder ones."""

from __future__ import annotations

import ast
import zipfile
from pathlib import Path

import pytest

from desktop_app.domain.model import DeadlineKind, TaskStatus, UnitRole
from desktop_app.importers import docx_reader, load_any
from desktop_app.importers.grid import Para, Table

PKG = Path(__file__).resolve().parents[2] / "desktop_app" / "importers"


@pytest.fixture(scope="module")
def city(request):
    return load_any(Path(__file__).parents[1] / "data" / "city-2023.docx")


@pytest.fixture(scope="module")
def natural(request):
    return load_any(Path(__file__).parents[1] / "data" / "natural-resources-2022.docx")


def test_city_sections_and_counts(city) -> None:
    ledger = city.ledger
    assert city.source_kind == "docx-table"
    assert [s.title for s in ledger.sections] == [
        "一、全环节推进信息公开",
        "二、全流程优化政策服务",
        "三、全方位完善互动参与",
        "四、全链条夯实工作基础",
    ]
    assert [len(s.tasks) for s in ledger.sections] == [10, 6, 7, 16]
    assert [t.number for t in ledger.all_tasks()] == [str(i) for i in range(1, 40)]


def test_city_meta(city) -> None:
    ledger = city.ledger
    assert ledger.title == "银川市2023年政务公开工作要点任务落实台账"
    assert ledger.year == 2023
    assert ledger.owner_unit == "银川市"
    assert ledger.issuer == "银川市政府政务公开办公室"
    assert [d.isoformat() for d in ledger.report_dates] == ["2023-08-15", "2023-12-05"]
    assert ledger.source_name == "city-2023.docx"
    assert ledger.source_file == (Path(__file__).parents[1] / "data" / "city-2023.docx").read_bytes()


def test_city_columns(city) -> None:
    assert [(c.field, c.header) for c in city.ledger.columns] == [
        ("number", "序号"),
        ("key_work", "重点工作"),
        ("item", "主要内容"),
        ("content", "主要内容"),
        ("indicator", "量化指标"),
        ("units", "责任单位"),
        ("deadline", "完成时限"),
        ("progress", "进展落实情况"),
    ]
    assert len(city.tables) == 4
    assert city.tables[0].fields[2:4] == ["item", "content"]


def test_city_rows_exact(city) -> None:
    tasks = {t.number: t for t in city.ledger.all_tasks()}
    # item and content merged into one cell (gridSpan=2): no item
    assert tasks["1"].key_work == "加强经济高质量发展信息公开"
    assert tasks["1"].item is None
    assert tasks["1"].content.startswith("聚焦银川市委、市政府重点工作任务，多渠道展示黄河流")
    # key work and item carried down their vertical merges
    for n in ("2", "3"):
        assert (tasks[n].key_work, tasks[n].item) == ("加强保障改善民生信息公开", "抓好稳岗就业信息公开")
    for n in ("4", "5", "6"):
        assert (tasks[n].key_work, tasks[n].item) == ("加强保障改善民生信息公开", "抓好重点领域信息公开")
    assert (tasks["9"].key_work, tasks["9"].item) == ("加强政府自身建设信息公开", "抓好财政事权信息公开")
    assert (tasks["13"].key_work, tasks["13"].item) == ("优化政策集中发布", "全面开展清理")
    assert (tasks["14"].key_work, tasks["14"].item) == ("优化完善多元解读", None)
    assert (tasks["16"].key_work, tasks["16"].item) == ("优化政策咨询服务", "擦亮政策咨询窗口")
    assert (tasks["22"].key_work, tasks["22"].item) == (
        "优化政民互动主渠道建设",
        "依法依规做好政府信息公开申请",
    )
    assert (tasks["25"].key_work, tasks["25"].item) == ("夯实公开平台建设", "严格落实网络意识形态责任制")
    assert (tasks["34"].key_work, tasks["34"].item) == ("大兴调查研究之风", None)
    assert (tasks["39"].key_work, tasks["39"].item) == ("开展“回头看”", None)
    # a units cell in two paragraphs is one text
    assert tasks["10"].units_text == "各县（市）区人民政府，市政府各部门、各直属机构负责"
    assert tasks["11"].deadline.text == "长期坚持" and tasks["11"].deadline.kind == DeadlineKind.ONGOING
    assert tasks["15"].deadline.text == "9月底"
    assert all(t.units for t in city.ledger.all_tasks())
    assert all(t.status == TaskStatus.NOT_STARTED and t.progress == "" for t in city.ledger.all_tasks())
    assert city.flagged == []


def test_city_every_item_consistent(city) -> None:
    """Rows whose 主要内容 spans both grid columns have no item; all others have one."""
    merged = {"1", "14", "17", "18", "19"} | {str(n) for n in range(29, 40)}
    for t in city.ledger.all_tasks():
        assert (t.item is None) == (t.number in merged), t.number
        assert t.key_work and t.content


def test_natural_resources_docx(natural) -> None:
    ledger = natural.ledger
    tasks = ledger.all_tasks()
    assert len(ledger.sections) == 1 and ledger.sections[0].title is None
    assert len(tasks) == 45
    assert len({t.number.split("-")[0] for t in tasks}) == 25
    assert ledger.title == "银川市自然资源局2022年政务公开工作要点推进台账"
    assert (ledger.year, ledger.owner_unit) == (2022, "银川市自然资源局")
    assert natural.fill_line is not None and natural.fill_line.startswith("填报单位：")
    numbers = [t.number for t in tasks]
    assert numbers[:7] == ["1", "2", "3", "4", "5-1", "5-2", "6"]
    assert numbers.count("19-5") == 1 and "19-6" not in numbers
    by = {t.number: t for t in tasks}
    assert by["5-2"].key_work == "加强涉及财政领域的信息公开"
    assert by["5-2"].content.startswith("做好行政事业性收费目录清单常态公开。")
    assert by["21-2"].deadline.text == "2022年11月"
    assert by["21-1"].deadline.text == "长期坚持"
    assert by["25"].deadline.due_date is not None and by["25"].deadline.due_date.isoformat() == "2022-06-30"
    # "市政府 门户网站" has its stray space removed
    assert "市政府门户网站" in by["2"].indicator and "市政府 门户" not in by["2"].indicator
    assert all(t.item is None for t in tasks)


def test_traditional_two_header_rows(generated) -> None:
    result = load_any(generated["traditional-two-header.docx"])
    ledger = result.ledger
    assert [s.title for s in ledger.sections] == ["一、信息公开", "二、平台建设"]
    tasks = ledger.all_tasks()
    assert [t.number for t in tasks] == ["1", "2-1", "2-2", "3"]
    fields = [c.field for c in ledger.columns]
    assert fields == [
        "number",
        "key_work",
        "content",
        "units",
        "cooperating_units",
        "deadline",
        "progress",
        "remarks",
        "extra:督办人",
    ]
    assert result.tables[0].header_rows == 2 and result.tables[0].header_row == 1
    t1, t21, t22, t3 = tasks
    assert t1.key_work == "推进决策公开"
    assert t1.extra == {"督办人": "张三"}
    # the 牵头单位 column under 責任單位: the units written there lead
    assert [(u.name, u.role) for u in t1.units] == [
        ("办公室", UnitRole.LEAD),
        ("司法局", UnitRole.COOPERATING),
        ("财政局", UnitRole.COOPERATING),
    ]
    assert t21.key_work == t22.key_work == "加强政策解读"
    assert t21.content == "解读A：在市政府门户网站发布解读。"
    assert t21.progress == "已发布 3 篇" and t21.status == TaskStatus.IN_PROGRESS
    assert t22.content == "解读B\n1.图文解读\n2.视频解读"
    assert t22.remarks == "重点"
    assert t3.content == "完善 Windows XP 兼容页面"
    assert t3.cooperating_text == "各科室"


def test_other_header_words_and_paragraph_sections(generated) -> None:
    result = load_any(generated["paragraph-sections.docx"])
    ledger = result.ledger
    assert [s.title for s in ledger.sections] == ["第一部分公开", "第二部分解读"]
    assert [t.number for t in ledger.all_tasks()] == ["1", "2", "3"]
    assert [c.field for c in ledger.columns] == [
        "number",
        "content",
        "units",
        "cooperating_units",
        "deadline",
        "progress",
        "remarks",
    ]
    t2 = ledger.all_tasks()[1]
    assert t2.key_work == "" and t2.content == "公开决算"
    assert [u.role for u in t2.units] == [UnitRole.RESPONSIBLE, UnitRole.COOPERATING]
    assert ledger.all_tasks()[2].deadline.kind == DeadlineKind.RELATIVE
    assert [d.isoformat() for d in ledger.report_dates] == ["2023-06-30", "2023-12-10"]
    assert result.tables[1].header_row == 1  # the header on the table's second row


def test_body_walk_in_order(data_dir) -> None:
    with zipfile.ZipFile(data_dir / "city-2023.docx") as zf:
        blocks = docx_reader.read_blocks(zf)
    kinds = ["T" if isinstance(b, Table) else "P" for b in blocks if not isinstance(b, Para) or b.text]
    assert "".join(kinds).endswith("PTPTPTPT")
    first = next(b for b in blocks if isinstance(b, Table))
    assert [len(r) for r in first.rows] == [8] * 11
    assert first.rows[3][1].cont and first.rows[3][1].text == "加强保障改善民生信息公开"
    assert first.rows[1][2].key == first.rows[1][3].key  # gridSpan=2


def test_readers_never_use_python_docx_cell_grid() -> None:
    for path in PKG.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        attrs = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        assert not attrs & {"cell", "cells"}, path.name


def test_section_row_above_header_and_no_number_column(tmp_path) -> None:
    import docx

    d = docx.Document()
    t = d.add_table(rows=5, cols=3)
    t.cell(0, 0).merge(t.cell(0, 2)).text = "一、公开"
    for c, h in enumerate(["工作任务", "责任单位", "时限"]):
        t.cell(1, c).text = h
    t.cell(2, 0).text = "甲"
    t.cell(2, 1).text = "办公室"
    t.cell(3, 0).merge(t.cell(3, 2)).text = "二、解读"
    t.cell(4, 0).text = "乙"
    t.cell(4, 2).text = "全年"
    path = tmp_path / "无序号.docx"
    d.save(path)
    ledger = load_any(path).ledger
    assert [(s.title, [t.content for t in s.tasks]) for s in ledger.sections] == [
        ("一、公开", ["甲"]),
        ("二、解读", ["乙"]),
    ]
    assert [t.number for t in ledger.all_tasks()] == ["1", "2"]  # numbered in order when the table has none


def test_assessment_table_with_unusual_headers(tmp_path) -> None:
    """序号|类别|考核内容|分值|考核标准|责任领导|责任科室|备注 is a task list; 责任领导 is a person."""
    from docx import Document

    from desktop_app.importers import load_any

    rows = [
        ["序号", "类别", "考核内容", "分值", "考核标准", "责任领导", "责任科室", "备注"],
        ["1", "主动公开", "按时更新政府信息公开指南", "5", "未更新的扣2分", "张三", "办公室", ""],
        ["2", "主动公开", "及时发布政策解读", "10", "每缺一篇扣1分", "李四", "政策法规科", "重点"],
    ]
    doc = Document()
    doc.add_paragraph("某区2024年政务公开工作考核细则")
    table = doc.add_table(rows=len(rows), cols=8)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.rows[i].cells[j].text = value
    path = tmp_path / "考核细则.docx"
    doc.save(path)
    tasks = load_any(path).ledger.all_tasks()
    assert [(t.key_work, t.content, t.indicator, t.units_text) for t in tasks] == [
        ("主动公开", "按时更新政府信息公开指南", "未更新的扣2分", "办公室"),
        ("主动公开", "及时发布政策解读", "每缺一篇扣1分", "政策法规科"),
    ]
    assert tasks[1].extra == {"分值": "10", "责任领导": "李四"}
    assert [u.name for u in tasks[0].units] == ["办公室"]


def test_a_ledger_inside_a_layout_frame_is_read(tmp_path) -> None:
    """A page pasted from a web site: the ledger table sits in the one cell of a frame table."""
    import docx

    d = docx.Document()
    d.add_paragraph("某县2024年政务公开任务清单")
    frame = d.add_table(rows=1, cols=1)
    frame.cell(0, 0).paragraphs[0].text = "一、推进财政公开"
    inner = frame.cell(0, 0).add_table(rows=3, cols=4)
    rows = [["序号", "主要内容", "责任单位", "完成时限"], ["1", "公开预算。", "县财政局", "3月底前"]]
    rows.append(["2", "公开决算。", "县财政局", "8月底前"])
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            inner.cell(i, j).text = text
    path = tmp_path / "frame.docx"
    d.save(path)
    result = load_any(path)
    tasks = result.ledger.all_tasks()
    assert [(t.number, t.key_work, t.content, t.deadline.text) for t in tasks] == [
        ("1", "推进财政公开", "公开预算。", "3月底前"),
        ("2", "推进财政公开", "公开决算。", "8月底前"),
    ]
