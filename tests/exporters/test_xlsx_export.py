"""The Excel workbook: title, frozen and printed header, landscape A4 fit to width, merges, status colours."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop_app.domain.serialize import ledger_from_dict, ledger_to_dict
from desktop_app.domain.status import DisplayStatus, compute_status
from desktop_app.exporters.common import ReportOptions, looks_like_formula
from desktop_app.exporters.xlsx_export import write_xlsx
from desktop_app.importers.embedded_copy import read_embedded

AS_OF = date(2023, 8, 15)


@pytest.fixture
def book(tmp_path: Path, ledger):
    path = tmp_path / "ledger.xlsx"
    write_xlsx(
        ledger, path, ReportOptions(as_of=AS_OF, made_on=AS_OF, unit="银川市自然资源局", filler="张三", phone="0951-6012345")
    )
    return path, load_workbook(path)


def test_title_info_and_header(book) -> None:
    _, wb = book
    ws = wb["台账"]
    assert wb.sheetnames[0] == "台账"
    assert ws["A1"].value == "银川市2023年政务公开工作要点任务落实台账"
    assert ws["A1"].font.name == "方正小标宋简体"
    assert "A1:I1" in {str(r) for r in ws.merged_cells.ranges}
    assert (
        ws["A2"].value.startswith("填报单位：银川市自然资源局")
        and "填报时间：2023年8月15日" in ws["A2"].value
    )
    header = [c.value for c in ws[3]]
    assert header == [
        "序号",
        "重点工作",
        "主要内容",
        None,
        "量化指标",
        "责任单位",
        "完成时限",
        "进展落实情况",
        "状态",
    ]
    assert "C3:D3" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A3"].font.name == "黑体" and ws["C5"].font.name == "仿宋_GB2312"


def test_print_setup(book) -> None:
    _, wb = book
    ws = wb["台账"]
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws["C5"].alignment.wrap_text
    assert ws.column_dimensions["D"].width > ws.column_dimensions["A"].width


def test_rows_merges_and_status_colours(book, ledger) -> None:
    _, wb = book
    ws = wb["台账"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert ws["A4"].value == "一、全环节推进信息公开" and "A4:I4" in merged
    assert ws["A5"].value == "1" and ws["H5"].value == "任务1已发布政策解读1篇。"
    assert "B5:B7" in merged  # key work over its three rows
    assert "C5:C6" in merged  # the item over its two rows
    assert "C7:D7" in merged and ws["C7"].value.startswith("第3项")  # no item: one cell over both
    tasks = ledger.all_tasks()
    for i, task in enumerate(tasks[:6]):
        info = compute_status(task, AS_OF)
        cell = ws.cell(row=5 + i, column=9)
        assert info.status.label in cell.value
        assert cell.fill.fgColor.rgb.endswith(info.status.color.lstrip("#").upper())
    assert DisplayStatus.DONE.label in ws["I5"].value


def test_hidden_copy_round_trip(book, ledger) -> None:
    path, wb = book
    assert wb["_ledger_data"].sheet_state == "veryHidden"
    data = read_embedded(path)
    back, _ = ledger_from_dict(data)
    assert ledger_to_dict(back) == ledger_to_dict(ledger)


def test_big_copy_is_chunked(tmp_path: Path, ledger) -> None:
    for t in ledger.all_tasks():
        t.progress = "进展" * 20000  # 40,000 characters a task: beyond one cell
    path = tmp_path / "big.xlsx"
    write_xlsx(ledger, path, ReportOptions(as_of=AS_OF))
    wb = load_workbook(path)
    assert wb["_ledger_data"]["A2"].value > 10
    assert read_embedded(path)["sections"][0]["tasks"][0]["progress"] == "进展" * 20000
    assert len(wb["台账"]["H5"].value) <= 32767  # the visible cell is cut to what Excel holds


FORMULA_LIKE = [
    '=HYPERLINK("http://evil.example","点我")',
    "+1+2",
    "-3*4",
    "@SUM(A1:A2)",
    "\t=1+1",
    "=1+1",
    "#N/A",
    "=",
]


def test_typed_text_never_becomes_a_formula(tmp_path: Path, ledger, ooxml_valid) -> None:
    """Title, section titles, every task field, the 填报 line and the hidden copy: all text cells."""
    import zipfile

    ledger.title = FORMULA_LIKE[0]
    for i, section in enumerate(ledger.sections):
        section.title = FORMULA_LIKE[(i + 1) % len(FORMULA_LIKE)]
    for i, task in enumerate(ledger.all_tasks()):
        text = FORMULA_LIKE[i % len(FORMULA_LIKE)]
        task.number, task.key_work, task.content, task.indicator = text, text, text, text
        task.units_text, task.progress, task.remarks, task.item = text, text, text, text
        task.extra = {"备注二": text}
    ledger.columns = [*ledger.columns, ledger.columns[0].__class__("extra:备注二", "备注二")]
    path = tmp_path / "f.xlsx"
    opts = ReportOptions(as_of=AS_OF, unit="=HYPERLINK(1)", filler="+张三", phone="-0951", title=None)
    write_xlsx(ledger, path, opts)
    ooxml_valid(path)

    wb = load_workbook(path)
    assert wb.sheetnames[-1] == "_ledger_data" and wb["_ledger_data"].sheet_state == "veryHidden"
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value[:1] in ("=", "+", "-", "@", "\t", "#"):
                    assert c.data_type == "s", (ws.title, c.coordinate, c.value)
                    # as Excel stores a typed '=…: editing the cell in Excel/WPS keeps it text
                    assert c.quotePrefix or not looks_like_formula(c.value), (ws.title, c.coordinate)
                    seen += 1
    assert wb["台账"]["A1"].value == FORMULA_LIKE[0]
    assert seen > 5 * len(ledger.all_tasks())  # every task cell holding such text was checked
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        assert len(sheets) == 2
        for name in sheets:
            xml = z.read(name)
            assert b"<f>" not in xml and b"<f " not in xml, name
    back = read_embedded(path)
    assert back is not None and back["title"] == FORMULA_LIKE[0]


def test_status_in_words_on_its_colour_gridlines_printed(book, ledger) -> None:
    _, wb = book
    ws = wb["台账"]
    words = {s.label for s in DisplayStatus}
    for i, task in enumerate(ledger.all_tasks()[:6]):
        cell = ws.cell(row=5 + i, column=9)
        assert cell.value in words  # the word alone, no symbol before it
        assert cell.value == compute_status(task, AS_OF).label
    assert ws.print_options.gridLines
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$3:$3"


def test_progress_history_as_a_second_sheet(tmp_path: Path, ledger, ooxml_valid) -> None:
    from desktop_app.domain.model import ProgressEntry, TaskStatus

    first, second = ledger.all_tasks()[:2]
    history = {
        first.id: [
            ProgressEntry(task_id=first.id, entry_date=date(2023, 6, 1), text="六月完成", status=TaskStatus.DONE,
                          percent=100, author="张三"),
            ProgressEntry(task_id=first.id, entry_date=date(2023, 3, 1), text="三月进展=开始",
                          status=TaskStatus.IN_PROGRESS, percent=30, author="张三"),
        ],
        second.id: [ProgressEntry(task_id=second.id, entry_date=date(2023, 5, 1), text="五月开始", percent=10)],
    }
    path = tmp_path / "带记录.xlsx"
    write_xlsx(ledger, path, ReportOptions(as_of=AS_OF, unit="某局"), history=history)
    ooxml_valid(path)
    wb = load_workbook(path)
    assert wb.sheetnames[:2] == ["台账", "进展记录"]
    rows = [[c.value for c in r] for r in wb["进展记录"].iter_rows()]
    assert rows[0][:3] == ["序号", "任务", "日期"]
    assert [r[5] for r in rows[1:]] == ["三月进展=开始", "六月完成", "五月开始"]  # oldest first, text stays text
    assert rows[1][2] == "2023年3月1日" and rows[1][4] == 30
    journal = wb["进展记录"]
    assert journal.print_title_rows == "$1:$1" and journal.page_setup.orientation == "landscape"
    # each row as tall as its wrapped task text (two lines at 40 characters), not drawn over the next
    assert len(rows[1][1]) * 2 > 40 and journal.row_dimensions[2].height >= 2 * 15
    public = tmp_path / "公开.xlsx"
    write_xlsx(ledger, public, ReportOptions(as_of=AS_OF, public=True), history=history)
    assert "进展记录" not in load_workbook(public).sheetnames  # the public edition carries no journal
