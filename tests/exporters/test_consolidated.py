"""The consolidated ledger: one row per task, "单位：进展" per reporting unit, Word/Excel/JSON."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from desktop_app.exporters.common import ReportOptions
from desktop_app.exporters.consolidated import PROGRESS_HEADER, UnitLine, write_consolidated
from desktop_app.exporters.errors import ExportFailed


def _lines(ledger) -> dict[int, list[UnitLine]]:  # noqa: ANN001
    tasks = ledger.all_tasks()
    return {
        tasks[0].id: [
            UnitLine("市财政局", "市政府部门", "预算已公开", "in_progress", 50, datetime(2023, 8, 10, 9), "a.docx"),
            UnitLine("兴庆区人民政府", "县（市）区政府", "第一行\n第二行", "done", 100, None, "b.xlsx"),
        ],
        tasks[2].id: [UnitLine("市财政局", "市政府部门", "已解读 3 篇")],
    }


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_word_and_excel_show_every_units_text_on_its_tasks_row(
    fmt: str, ledger, tmp_path: Path, ooxml_valid
) -> None:  # noqa: ANN001
    out = tmp_path / f"汇总.{fmt}"
    write_consolidated(ledger, _lines(ledger), fmt, out, ReportOptions(as_of=date(2023, 8, 20)), "第1次报送")
    ooxml_valid(out)
    if fmt == "docx":
        import docx
        from docx.oxml.ns import qn

        doc = docx.Document(str(out))
        rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
        assert doc.paragraphs[0].text.endswith("（汇总）")
        trs = doc.tables[0]._tbl.tr_lst  # body rows may break across pages; the header repeats
        assert trs[0].trPr.find(qn("w:tblHeader")) is not None
        assert not [tr for tr in trs[1:] if tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None]
    else:
        import openpyxl

        rows = [["" if v is None else str(v) for v in r] for r in openpyxl.load_workbook(out)["台账"].iter_rows(values_only=True)]
        assert rows[0][0].endswith("（汇总）")
    head = next(r for r in rows if PROGRESS_HEADER in r)
    assert "量化指标" not in head  # the units' text gets the room
    col = head.index(PROGRESS_HEADER)
    by_number = {r[0]: r[col] for r in rows if r and r[0] in ("1", "2", "3")}
    assert by_number["1"] == "市财政局：预算已公开\n兴庆区人民政府：第一行\n第二行"
    assert by_number["2"] == ""  # nobody reported: the office's own progress is not shown
    assert by_number["3"] == "市财政局：已解读 3 篇"


def test_json_gives_each_task_its_returns(ledger, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "汇总.json"
    write_consolidated(ledger, _lines(ledger), "json", out, ReportOptions(), "第1次报送", date(2023, 8, 15))
    data = json.loads(out.read_text("utf-8"))
    tasks = [t for s in data["sections"] for t in s["tasks"]]
    assert data["consolidated"] == {"round": "第1次报送", "due_date": "2023-08-15"}
    assert tasks[0]["returns"][0] == {
        "unit": "市财政局",
        "kind": "市政府部门",
        "progress": "预算已公开",
        "status": "in_progress",
        "percent": 50,
        "received": "2023-08-10T09:00:00",
        "file": "a.docx",
    }
    assert [r["unit"] for r in tasks[0]["returns"]] == ["市财政局", "兴庆区人民政府"]
    assert tasks[1]["returns"] == []
    with pytest.raises(ExportFailed):
        write_consolidated(ledger, {}, "pdf", tmp_path / "x.pdf", ReportOptions())
    assert not (tmp_path / "x.pdf").exists()


def _sheet_rows(path: Path):  # noqa: ANN202
    import openpyxl

    ws = openpyxl.load_workbook(path)["台账"]
    return ws, [["" if v is None else str(v) for v in r] for r in ws.iter_rows(values_only=True)]


def test_excel_columns_from_the_measured_text_rows_as_tall_as_the_units_lines(
    ledger, tmp_path: Path, ooxml_valid
) -> None:  # noqa: ANN001
    """The units' column gets the room, each row is tall enough for every unit's line, printed like the
    main export (landscape A4 fitted to the width, header on every page, gridlines); no 状态 column."""
    from desktop_app.exporters.common import lines_needed
    from desktop_app.exporters.xlsx_export import FIT_PAGE, SAFETY

    lines = _lines(ledger)
    first = ledger.all_tasks()[0]
    lines[first.id] = [
        UnitLine(f"第{i}个单位", "市政府部门", "已在门户网站公开部门预算及“三公”经费预算，同步发布政策解读1篇。")
        for i in range(1, 6)
    ]
    out = tmp_path / "汇总.xlsx"
    write_consolidated(ledger, lines, "xlsx", out, ReportOptions(as_of=date(2023, 8, 20)), "第1次报送")
    ooxml_valid(out)
    ws, rows = _sheet_rows(out)
    head_at = next(i for i, r in enumerate(rows) if PROGRESS_HEADER in r)
    head = rows[head_at]
    assert "状态" not in head
    col = head.index(PROGRESS_HEADER)
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(c + 1) for c in range(len(head))]
    widths = [ws.column_dimensions[x].width for x in letters]
    assert widths[col] == max(widths) and widths[col] > 42  # wider than the fixed width of the main export
    total_pt = sum((w * 7 + 5) * 72 / 96 for w in widths)
    assert abs(total_pt - FIT_PAGE.body_width) < 10  # the page's width, printed at 100 %
    for r, values in enumerate(rows, start=1):
        text = values[col] if len(values) > col else ""
        if r > head_at + 1 and text:
            width_em = ((widths[col] * 7 + 5) * 72 / 96 - FIT_PAGE.cell_inset) / FIT_PAGE.font - SAFETY
            need = lines_needed(text, width_em) * FIT_PAGE.line
            assert ws.row_dimensions[r].height >= need, (r, text[:20])
    five = next(r for r in rows if r[0] == "1")[col]
    assert five.count("\n") == 4 and five.startswith("第1个单位：")  # one row, every unit on it
    assert ws.print_title_rows == "$3:$3" and ws.freeze_panes == "A4"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_options.gridLines


def test_excel_task_reported_by_sixty_units_goes_on_over_rows(ledger, tmp_path: Path, ooxml_valid) -> None:  # noqa: ANN001
    """Taller than a row can be: the units' lines go on in the rows below, in order, none lost, the task's
    other cells merged over its rows with their text at the top."""
    first = ledger.all_tasks()[0]
    lines = {first.id: [UnitLine(f"单位{i:02d}", "市政府部门", f"第{i}家单位的进展，" * 6) for i in range(1, 61)]}
    out = tmp_path / "汇总.xlsx"
    write_consolidated(ledger, lines, "xlsx", out, ReportOptions(as_of=date(2023, 8, 20)), "第1次报送")
    ooxml_valid(out)
    ws, rows = _sheet_rows(out)
    col = next(r for r in rows if PROGRESS_HEADER in r).index(PROGRESS_HEADER)
    at = next(i for i, r in enumerate(rows, start=1) if r[0] == "1")
    pieces = []
    r = at
    while r <= len(rows) and (r == at or rows[r - 1][0] == "") and rows[r - 1][col]:
        pieces.append(rows[r - 1][col])
        assert ws.row_dimensions[r].height <= 409
        r += 1
    assert len(pieces) > 2
    assert "\n".join(pieces) == "\n".join(line.text for line in lines[first.id])
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert f"A{at}:A{r - 1}" in merged  # the number over all the task's rows
    assert ws.cell(row=at, column=1).alignment.vertical == "top"
    from desktop_app.importers.embedded_copy import read_embedded

    copy = read_embedded(out)["sections"][0]["tasks"][0]
    assert copy["progress"] == "\n".join(pieces)  # the hidden copy holds the task whole


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_a_unit_that_wrote_its_name_into_its_text_is_named_once(fmt: str, ledger, tmp_path: Path) -> None:  # noqa: ANN001
    tasks = ledger.all_tasks()
    written = [
        ("市民政局", "市民政局：已在门户网站公开低保政策"),
        ("市财政局", "  【市财政局】预算已公开"),
        ("市商务局", "市商务局已解读 3 篇"),
        ("市政府", "市政府办公室牵头，已完成"),  # a longer name, not the unit's own: kept as written
        ("市统计局", "市统计局"),  # nothing but the name: kept
    ]
    lines = {tasks[0].id: [UnitLine(unit, "市政府部门", text) for unit, text in written]}
    out = tmp_path / f"汇总.{fmt}"
    write_consolidated(ledger, lines, fmt, out, ReportOptions(as_of=date(2023, 8, 20)), "第1次报送")
    if fmt == "docx":
        import docx

        rows = [[c.text for c in r.cells] for r in docx.Document(str(out)).tables[0].rows]
    else:
        import openpyxl

        rows = [["" if v is None else str(v) for v in r] for r in openpyxl.load_workbook(out)["台账"].iter_rows(values_only=True)]
    col = next(r for r in rows if PROGRESS_HEADER in r).index(PROGRESS_HEADER)
    cell = next(r[col] for r in rows if r and r[0] == "1")
    assert cell.split("\n") == [
        "市民政局：已在门户网站公开低保政策",
        "市财政局：预算已公开",
        "市商务局：已解读 3 篇",
        "市政府：市政府办公室牵头，已完成",
        "市统计局：市统计局",
    ]
    data_out = tmp_path / "汇总.json"  # the JSON keeps each unit's text as it was sent
    write_consolidated(ledger, lines, "json", data_out, ReportOptions(as_of=date(2023, 8, 20)), "第1次报送")
    first = json.loads(data_out.read_text("utf-8"))["sections"][0]["tasks"][0]["returns"]
    assert [r["progress"] for r in first] == [text for _unit, text in written]
