"""Header words -> fields, and header rows found in a grid."""

from __future__ import annotations

import pytest

from desktop_app.importers.builder import detect_mapping
from desktop_app.importers.columns import looks_like_header, match_header, normalise_header
from desktop_app.importers.grid import Cell


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("序号", "number"),
        ("序號", "number"),
        ("编 号", "number"),
        ("重点工作", "key_work"),
        ("重点任务", "key_work"),
        ("工作要点", "key_work"),
        ("主要内容", "content"),
        ("重要内容", "content"),
        ("工作任务", "content"),
        ("工作任務", "content"),
        ("具体内容", "content"),
        ("任务内容", "content"),
        ("量化指标", "indicator"),
        ("考核指标", "indicator"),
        ("责任单位", "units"),
        ("責任單位", "units"),
        ("責任部門", "units"),
        ("牵头单位", "units"),
        ("牵头部门", "units"),
        ("责任单位（部门）", "units"),
        ("配合部门", "cooperating_units"),
        ("配合单位", "cooperating_units"),
        ("協同單位", "cooperating_units"),
        ("完成时限", "deadline"),
        ("时间进度", "deadline"),  # a schedule, not the progress text (进度)
        ("完成时限（截止时间）", "deadline"),
        ("时限", "deadline"),
        ("時限", "deadline"),
        ("完成時限", "deadline"),
        ("完成时间", "deadline"),
        ("推进情况", "progress"),
        ("推進情況", "progress"),
        ("进展情况", "progress"),
        ("进展落实情况", "progress"),
        ("完成情况", "progress"),
        ("落实情况", "progress"),
        ("备注", "remarks"),
        ("備註", "remarks"),
        ("完成\n时限", "deadline"),
        ("\u3000责 任 单 位\u3000", "units"),
        ("序号：", "number"),
        ("联系人", None),
        ("", None),
        ("按照要求在市政府门户网站公开主要内容和责任单位", None),
    ],
)
def test_match_header(header: str, field: str | None) -> None:
    assert match_header(header) == field


def test_normalise_header_strips_spaces_and_folds_traditional() -> None:
    assert normalise_header(" 責任\n單位\u3000") == "责任单位"


def test_looks_like_header() -> None:
    assert looks_like_header(["序号", "重点工作", "主要内容", "主要内容", "量化指标", "责任单位"])
    assert looks_like_header(["序号", "重要内容", "责任部门"])
    assert not looks_like_header(["1", "加强经济高质量发展信息公开", "聚焦……", "11月底"])
    assert not looks_like_header(["序号", "备注"])  # names nothing a task is


def _row(*texts: str, keys: list[int] | None = None) -> list[Cell]:
    keys = keys or list(range(len(texts)))
    return [Cell(t, k) for t, k in zip(texts, keys, strict=True)]


def test_header_spanning_two_columns_is_item_then_content() -> None:
    header = _row("序号", "重点工作", "主要内容", "主要内容", "责任单位", keys=[1, 2, 3, 3, 4])
    found = detect_mapping([header], None)
    assert found is not None
    assert found[2].fields == ["number", "key_work", "item", "content", "units"]


def test_header_found_below_title_rows() -> None:
    rows = [
        _row("某局2024年台账", "某局2024年台账", "某局2024年台账", keys=[9, 9, 9]),
        _row("填报单位：", "", "填报时间："),
        _row("序号", "工作任务", "责任部门"),
    ]
    found = detect_mapping(rows, None)
    assert found is not None
    start, height, mapping = found
    assert (start, height) == (2, 1)
    assert mapping.fields == ["number", "content", "units"]


def test_two_header_rows_merge_labels() -> None:
    upper = [Cell("序号", 1), Cell("重点工作", 2), Cell("责任单位", 3), Cell("责任单位", 3), Cell("时限", 4)]
    lower = [
        Cell("序号", 1, True),
        Cell("重点工作", 2, True),
        Cell("牵头单位", 5),
        Cell("配合单位", 6),
        Cell("时限", 4, True),
    ]
    found = detect_mapping([upper, lower], None)
    assert found is not None
    start, height, mapping = found
    assert height == 2
    assert mapping.fields == ["number", "key_work", "units", "cooperating_units", "deadline"]
    assert mapping.headers[2:4] == ["责任单位/牵头单位", "责任单位/配合单位"]


def test_unknown_column_kept_as_extra_and_overrides_applied() -> None:
    header = _row("序号", "主要内容", "联系人", "")
    found = detect_mapping([header], {2: "remarks"})
    assert found is not None
    assert found[2].fields == ["number", "content", "remarks", "ignore"]
    found = detect_mapping([header], None)
    assert found is not None
    assert found[2].fields == ["number", "content", "extra:联系人", "ignore"]


def test_two_content_columns_without_key_work() -> None:
    found = detect_mapping([_row("序号", "工作任务", "具体内容", "责任单位")], None)
    assert found is not None
    assert found[2].fields == ["number", "key_work", "content", "units"]


def test_header_words_of_other_cities() -> None:
    from desktop_app.importers.columns import looks_like_header, match_header

    assessment = ["序号", "类别", "考核内容", "分值", "考核标准", "责任领导", "责任科室", "备注"]
    assert [match_header(h) for h in assessment] == [
        "number",
        "key_work",
        "content",
        None,
        "indicator",
        None,
        "units",
        "remarks",
    ]
    # 责任领导 is a person: never the units column
    assert looks_like_header(assessment)
    for header in ("时间安排", "进度安排", "时限要求"):
        assert match_header(header) == "deadline"
    for header in ("具体举措", "工作举措", "任务名称"):
        assert match_header(header) == "content"


def test_circled_numbers_are_numbers_not_a_broken_file(tmp_path) -> None:
    import docx

    from desktop_app.importers import load_any

    d = docx.Document()
    table = d.add_table(rows=3, cols=4)
    rows = [["序号", "工作任务", "责任单位", "完成时限"], ["①", "公开预算。", "县财政局", "3月底前"]]
    rows.append(["②", "公开审计结果。", "县审计局", "年底前"])
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    path = tmp_path / "circled.docx"
    d.save(path)
    assert [(t.number, t.content) for t in load_any(path).ledger.all_tasks()] == [
        ("1", "公开预算。"),
        ("2", "公开审计结果。"),
    ]
