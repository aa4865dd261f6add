"""Tables -> tasks (importers/builder.py): numbers written in the key work or the content, a deadline
written in the 备注 column."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from desktop_app.importers import load_any


def _sheet(path: Path, rows: list[list[str]]) -> Path:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_the_number_in_the_key_work_is_the_tasks_and_the_content_keeps_its_list(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "a.xlsx",
        [
            ["工作任务", "具体要求", "责任单位", "完成情况", "备注"],
            ["1.规范性文件集中公开", "1.开展文件清理。2.发布标准文本。", "市司法局", "推进中", "11月底前完成"],
            ["2.基层政务公开", "1.全面公开各领域信息。2.公开涉农补贴。", "各县市区政府", "推进中", "12月底前完成"],
            ["3.政策解读", "做好政策解读。", "市政府办", "", "持续推进"],
        ],
    )
    result = load_any(path)
    tasks = result.ledger.all_tasks()
    assert [(t.number, t.key_work, t.content) for t in tasks] == [
        ("1", "规范性文件集中公开", "1.开展文件清理。2.发布标准文本。"),
        ("2", "基层政务公开", "1.全面公开各领域信息。2.公开涉农补贴。"),
        ("3", "政策解读", "做好政策解读。"),
    ]
    # no 完成时限 column: the 备注 column that holds deadlines is read as one, and says so
    assert [t.deadline.text for t in tasks] == ["11月底前完成", "12月底前完成", "持续推进"]
    assert result.tables[0].fields[3:] == ["progress", "deadline"]
    assert "完成时限" in result.tables[0].reasons[4]


def test_a_leading_number_is_the_tasks_unless_a_list_in_the_cell_goes_on(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "b.xlsx",
        [
            ["重点工作", "工作内容", "责任单位", "完成时限"],
            ["财政公开", "1.公开预决算信息。", "市财政局", "3月底前"],
            ["财政公开", "2.公开政府债务信息。", "市财政局", "6月底前"],
            ["网站建设", "1.优化栏目；2.更新指南。", "市政府办", "年底前"],
        ],
    )
    tasks = load_any(path).ledger.all_tasks()
    assert [(t.number, t.content) for t in tasks] == [
        ("1", "公开预决算信息。"),
        ("2", "公开政府债务信息。"),
        ("3", "1.优化栏目；2.更新指南。"),
    ]


def test_a_remarks_column_of_notes_stays_remarks(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "c.xlsx",
        [
            ["序号", "工作任务", "责任单位", "完成时限", "备注"],
            ["1", "公开预决算信息。", "市财政局", "3月底前", "6月底前"],
            ["2", "公开债务信息。", "市财政局", "6月底前", "每季度"],
        ],
    )
    result = load_any(path)
    assert result.tables[0].fields == ["number", "content", "units", "deadline", "remarks"]


def test_a_blank_header_right_of_the_task_header_is_read_as_its_text_and_said(tmp_path: Path) -> None:
    """工作任务 over two columns without the merge: the second is the task's text (a guess, shown as one);
    a blank-headed column elsewhere that holds something is kept as written, never dropped unseen."""
    path = _sheet(
        tmp_path / "d.xlsx",
        [
            ["序号", "工作任务", "", "责任单位", "完成时限", ""],
            ["1", "政策解读", "（1）做好解读。", "市政府办", "6月底前", "已报送"],
            ["", "", "（2）做好回应。", "市政府办", "9月底前", ""],
            ["2", "依申请公开", "（1）规范答复。", "市司法局", "持续推进", ""],
        ],
    )
    result = load_any(path)
    table = result.tables[0]
    assert table.fields == ["number", "key_work", "content", "units", "deadline", "extra:第6列"]
    assert table.doubtful() == [2, 5]
    assert any("第 3 列" in w and "主要内容" in w for w in result.warnings)
    tasks = result.ledger.all_tasks()
    assert [(t.number, t.key_work, t.content) for t in tasks] == [
        ("1-1", "政策解读", "（1）做好解读。"),
        ("1-2", "政策解读", "（2）做好回应。"),
        ("2", "依申请公开", "（1）规范答复。"),
    ]
    assert tasks[0].extra == {"第6列": "已报送"}
    assert result.ledger.columns[-1].field == "extra:第6列" and result.ledger.columns[-1].header == "第6列"


def test_no_units_column_the_units_closing_the_task_text_are_read(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "e.xlsx",
        [
            ["序号", "工作任务", "完成时限"],
            ["1", "做好财政预决算公开。（市财政局负责）", "6月底前"],
            ["2", "做好政策解读。（市政府办公室牵头，市直各部门配合）", "持续推进"],
            ["3", "做好专栏维护（依据《条例》（国办函〔2020〕109号））", "全年"],
        ],
    )
    tasks = load_any(path).ledger.all_tasks()
    assert [(t.content, [(u.name, u.role.value) for u in t.units]) for t in tasks] == [
        ("做好财政预决算公开。", [("市财政局", "responsible")]),
        ("做好政策解读。", [("市政府办公室", "lead"), ("市直各部门", "cooperating")]),
        ("做好专栏维护（依据《条例》（国办函〔2020〕109号））", []),
    ]


def test_a_ledger_in_traditional_characters_is_read_with_its_roles(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "f.xlsx",
        [
            ["序號", "工作任務", "責任單位", "時限要求"],
            ["1", "做好政策解讀。", "市政府辦公室牽頭，市直各部門配合", "長期堅持"],
            ["2", "做好回應關切。", "市財政局負責", "2020年10月底"],
        ],
    )
    result = load_any(path)
    assert not result.tables[0].doubtful() and not result.flagged
    tasks = result.ledger.all_tasks()
    assert [[(u.name, u.role.value) for u in t.units] for t in tasks] == [
        [("市政府辦公室", "lead"), ("市直各部門", "cooperating")],
        [("市財政局", "responsible")],
    ]
    assert [t.deadline.text for t in tasks] == ["長期堅持", "2020年10月底"]
