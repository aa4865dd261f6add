"""The streaming .xlsx writer every Excel file of the program goes through: a valid package that openpyxl,
LibreOffice and our importer read back cell for cell; text never a formula; print set-up as asked."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop_app.exporters.common import looks_like_formula
from desktop_app.exporters.xlsx_writer import Book, Style, column_letter, print_ready, xml_text

FORMULA_LIKE = ['=HYPERLINK("http://evil.example","点我")', "+1+2", "-3*4", "@SUM(A1:A2)", " =1", "\t=1+1", "\n-1"]


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_text_is_recognised(text: str) -> None:
    assert looks_like_formula(text)


@pytest.mark.parametrize("text", ["", "1+1", "第3项=完成", "#N/A", "'=1", "　=1"])
def test_ordinary_text_is_not_formula_like(text: str) -> None:
    assert not looks_like_formula(text)


def test_column_letters() -> None:
    assert [column_letter(i) for i in (1, 26, 27, 52, 53, 702, 703)] == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


def _book(path: Path) -> None:
    book = Book()
    ws = book.add_sheet("台账")
    ws.widths = {1: 6, 2: 40.5}
    print_ready(ws, title_rows=(2, 2), freeze=2)
    ws.footer = '&C&"宋体,Regular"&12— &P —'
    title = book.style(Style(font="方正小标宋简体", size=20, horizontal="center", vertical="center", wrap=True))
    body = book.style(Style(font="仿宋_GB2312", border=True, wrap=True, vertical="center"))
    red = book.style(Style(font="仿宋_GB2312", color="9C0006", fill="FFC7CE", border=True, horizontal="center"))
    ws.append(["标题", None, None], title, height=40)
    ws.merge(1, 1, 1, 3)
    ws.append(["序号", "内容", "状态"], body)
    ws.append(["1", "第一行\n第二行 & <尖括号> \"引号\"", "已逾期"], [body, body, red], height=34)
    ws.append([*FORMULA_LIKE[:2], "_x0041_ 字面"], body)
    ws.append([3, 2.5, True], body)
    ws.append(["控\x01制\x0b字符\ufffe", "a\r\nb", None], body)
    hidden = book.add_sheet("_data", state="veryHidden")
    hidden.append(["=not a formula"])
    book.title, book.creator, book.language = "标题", "某局", "zh-CN"
    book.save(path)


def test_cells_styles_and_set_up_read_back_by_openpyxl(tmp_path: Path, ooxml_valid) -> None:
    path = tmp_path / "w.xlsx"
    _book(path)
    ooxml_valid(path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["台账", "_data"] and wb["_data"].sheet_state == "veryHidden"
    assert wb.properties.title == "标题" and wb.properties.creator == "某局" and wb.properties.language == "zh-CN"
    ws = wb["台账"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["标题", None, None]
    assert rows[2] == ["1", "第一行\n第二行 & <尖括号> \"引号\"", "已逾期"]
    assert rows[3][:2] == FORMULA_LIKE[:2]
    assert rows[4] == [3, 2.5, 1]
    assert rows[5][:2] == ["控制字符", "a\nb"]  # what XML cannot carry is left out; \r\n a line break
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:C1"}
    assert ws.freeze_panes == "A3" and ws.print_title_rows == "$2:$2"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_options.gridLines
    assert ws.oddFooter.center.text == "— &P —"
    assert ws.column_dimensions["B"].width == 40.5 and ws.row_dimensions[3].height == 34
    assert ws["A1"].font.name == "方正小标宋简体" and ws["A1"].font.sz == 20 and ws["A1"].alignment.wrap_text
    assert ws["C3"].fill.fgColor.rgb == "FF" + "FFC7CE" and ws["C3"].font.color.rgb == "FF9C0006"
    assert ws["B3"].border.left.style == "thin" and ws["B3"].alignment.vertical == "center"
    # formula-like text: a text cell with the quote prefix, as Excel stores a typed '=…
    for cell in (ws["A4"], ws["B4"], wb["_data"]["A1"]):
        assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    assert not ws["C4"].quotePrefix and not ws["B3"].quotePrefix
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)
        # a literal _x0041_ is escaped as Excel escapes it (Excel and our importer unescape it back)
        assert b"_x005F_x0041_" in z.read("xl/worksheets/sheet1.xml")


def test_libreoffice_reads_the_same_cells(tmp_path: Path) -> None:
    """LibreOffice (as WPS and Excel) unescapes _xHHHH_ and shows the formula-like text as text."""
    import csv
    import os
    import shutil
    import subprocess

    if not shutil.which("soffice"):
        pytest.skip("LibreOffice not installed")
    path = tmp_path / "w.xlsx"
    _book(path)
    env = dict(os.environ, HOME=str(tmp_path / "home"))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(path)],
        env=env, capture_output=True, check=True, timeout=300,
    )
    with open(tmp_path / "w.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[2] == ["1", "第一行\n第二行 & <尖括号> \"引号\"", "已逾期"]
    assert rows[3] == [*FORMULA_LIKE[:2], "_x0041_ 字面"]  # not evaluated: no 3, no #NAME?


def test_xml_text_escapes() -> None:
    assert xml_text("a<b>&c") == "a&lt;b&gt;&amp;c"
    assert xml_text("_x000D_") == "_x005F_x000D_"
    assert xml_text("x\r\ny\rz") == "x\ny\nz"


def test_audit_and_evidence_keep_formula_like_text_exactly(tmp_path: Path, ooxml_valid) -> None:
    """One guard for every Excel writer: the value is the text as typed (no invisible character put in
    front of it), shown as text."""
    from desktop_app.domain.model import Attachment, Ledger, Section, Task
    from desktop_app.exporters.audit_xlsx import write_audit_xlsx
    from desktop_app.exporters.evidence import INDEX_NAME, write_evidence_package

    audit = tmp_path / "audit.xlsx"
    write_audit_xlsx("修改记录", [["2024-05-06", "3", "任务", "修改", "责任单位", "-旧", "=HYPERLINK(\"x\")"]], audit)
    ooxml_valid(audit)
    cell = load_workbook(audit).active.cell(3, 7)
    assert cell.value == '=HYPERLINK("x")' and cell.quotePrefix and cell.data_type == "s"
    assert load_workbook(audit).active.cell(3, 6).value == "-旧"

    ledger = Ledger(title="测试", sections=[Section(tasks=[Task(id=1, number="3", content="内容")])])
    att = Attachment(id=1, task_id=1, file_name="=cmd|' /C calc'!A0.png", size=1, sha256=hashlib.sha256(b"x").hexdigest())
    out = tmp_path / "包.zip"
    write_evidence_package(ledger, [att], lambda _id: b"x", out)
    with zipfile.ZipFile(out) as z:
        (tmp_path / "idx.xlsx").write_bytes(z.read(INDEX_NAME))
    ooxml_valid(tmp_path / "idx.xlsx")
    ws = load_workbook(tmp_path / "idx.xlsx").active
    assert ws.cell(3, 3).value == "=cmd|' /C calc'!A0.png" and ws.cell(3, 3).quotePrefix
    assert ws.freeze_panes == "A3"


def test_score_sheet_numbers_stay_numbers_and_print_set_up(tmp_path: Path, ooxml_valid) -> None:
    from desktop_app.domain.score import Deduction, ScoreRule
    from desktop_app.exporters.score_sheet import write_score_sheet

    out = tmp_path / "score.xlsx"
    deduction = Deduction(unit="=市财政局", ledger_title="台账", kind="late_return", reason="逾期", points=1.5)
    write_score_sheet(out, 2023, ScoreRule(), [deduction], [("=市财政局", 1.5, 1)], {"=市财政局": "市政府部门"})
    ooxml_valid(out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["年度汇总", "扣分明细", "扣分规则"]
    assert [c.value for c in wb["年度汇总"][3]] == [1, "=市财政局", "市政府部门", 1.5, 1]
    assert wb["年度汇总"]["B3"].quotePrefix
    for ws in wb.worksheets:
        assert ws.print_title_rows == "$2:$2" and ws.page_setup.orientation == "landscape"
        assert ws.freeze_panes == "A3"
