"""Every report, Excel file and fill-back carries its identity: ledger id, unit, round, date (issue 14)."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain.identity import FileIdentity
from desktop_app.exporters.common import ReportOptions
from desktop_app.exporters.docx_report import write_report
from desktop_app.exporters.fill_back import fill_back
from desktop_app.exporters.identity import custom_xml
from desktop_app.exporters.xlsx_export import write_xlsx
from desktop_app.importers import load_any
from desktop_app.importers.embedded_copy import read_embedded
from desktop_app.importers.identity import custom_properties

DATA = Path(__file__).resolve().parent.parent / "data"
IDENT = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
OPTS = ReportOptions(as_of=date(2023, 8, 10), unit="银川市自然资源局", filler="张三")
EXPECTED = {
    "LedgerId": IDENT,
    "ReportingUnit": "银川市自然资源局",
    "ReportRound": "2",
    "RoundDueDate": "2023-08-15",
    "ReportDate": "2023-08-10",
}


def _ledger(ledger):  # noqa: ANN001, ANN202
    ledger.ident = IDENT
    ledger.report_dates = [date(2023, 5, 15), date(2023, 8, 15), date(2023, 12, 5)]
    return ledger


def _violations(path: Path) -> set[str]:
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, os.environ["OOXML_VALIDATOR"], str(path)], capture_output=True, text=True, timeout=120
    )
    return {line.split(":", 1)[1] for line in done.stdout.splitlines() if line.startswith("VIOLATION")}


def _props(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return custom_properties(z)


def _write(kind: str, tmp_path: Path, import_fixture, ledger=None) -> Path:  # noqa: ANN001
    if kind == "fill-back":
        ledger = import_fixture("city-2023.docx")
        ledger.ident, ledger.report_dates = IDENT, [date(2023, 5, 15), date(2023, 8, 15), date(2023, 12, 5)]
        ledger.all_tasks()[0].progress = "已公开 9 件"
        fill_back(ledger, tmp_path / "fill.docx", OPTS)
        return tmp_path / "fill.docx"
    out = tmp_path / f"report.{kind}"
    (write_report if kind == "docx" else write_xlsx)(_ledger(ledger), out, OPTS)
    return out


@pytest.mark.parametrize("kind", ["docx", "xlsx", "fill-back"])
def test_every_file_carries_the_identity_in_custom_properties_and_the_embedded_copy(
    kind: str, tmp_path: Path, import_fixture, ooxml_valid, ledger
) -> None:
    out = _write(kind, tmp_path, import_fixture, ledger)
    if kind == "fill-back":  # the city's own document: no violation beyond those it came with
        assert _violations(out) <= _violations(DATA / "city-2023.docx")
    else:
        ooxml_valid(out)
    assert _props(out) == EXPECTED
    copy = read_embedded(out)
    assert copy is not None and copy["identity"] == {
        "ledger": IDENT,
        "unit": "银川市自然资源局",
        "round_no": 2,
        "round_due": "2023-08-15",
        "date": "2023-08-10",
    }
    result = load_any(out)
    assert result.identity == FileIdentity(IDENT, "银川市自然资源局", 2, date(2023, 8, 15), date(2023, 8, 10))
    assert result.ledger.ident == IDENT  # a unit importing the office's file keeps its ledger id


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_the_visible_header_states_the_unit_and_the_round(kind: str, tmp_path: Path, ledger) -> None:  # noqa: ANN001
    out = _write(kind, tmp_path, None, ledger)
    if kind == "docx":
        import docx

        text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs[:4])
    else:
        import openpyxl

        text = str(openpyxl.load_workbook(out).active["A2"].value)
    assert "填报单位：银川市自然资源局" in text
    assert "第2次报送（8月15日前）" in text


def test_identity_survives_editing_in_word_and_excel_even_without_the_embedded_copy(
    tmp_path: Path, ledger
) -> None:  # noqa: ANN001
    import docx
    import openpyxl

    word = _write("docx", tmp_path, None, ledger)
    doc = docx.Document(str(word))
    doc.tables[0].rows[1].cells[-1].paragraphs[0].text = "在Word中改写"
    doc.save(str(word))
    excel = _write("xlsx", tmp_path, None, ledger)
    wb = openpyxl.load_workbook(excel)
    wb.active["A5"] = "在Excel中改写"
    del wb["_ledger_data"]  # a copy saved without our hidden sheet
    wb.save(excel)
    for path in (word, excel):
        assert _props(path) == EXPECTED, path.name
        assert load_any(path).identity.ledger == IDENT


def test_other_custom_properties_are_kept_and_ours_replaced() -> None:
    old = custom_xml(FileIdentity("a" * 32, "市财政局"))
    old = old.replace(
        b"</Properties>",
        b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="9" name="\xe6\x96\x87\xe5\x8f\xb7">'
        b"<vt:lpwstr>X-1</vt:lpwstr></property></Properties>",
    )
    new = custom_xml(FileIdentity(IDENT, "市审批局"), old)
    with _zip_with(new) as z:
        props = custom_properties(z)
    assert props == {"LedgerId": IDENT, "ReportingUnit": "市审批局"}
    assert "文号".encode() in new and new.count(b"LedgerId") == 1


def _zip_with(custom: bytes) -> zipfile.ZipFile:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("docProps/custom.xml", custom)
    buf.seek(0)
    return zipfile.ZipFile(buf)
