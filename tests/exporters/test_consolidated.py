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
