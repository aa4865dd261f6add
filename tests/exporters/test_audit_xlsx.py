"""修改记录 to Excel: the rows as shown, text never a formula, a valid workbook written atomically."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from desktop_app.domain.audit import HEADERS, audit_row
from desktop_app.domain.model import AuditEvent
from desktop_app.exporters.audit_xlsx import write_audit_xlsx


def test_rows_headers_and_no_formulas(tmp_path: Path, ooxml_valid) -> None:
    from datetime import datetime

    events = [
        AuditEvent(at=datetime(2024, 5, 6, 9, 30), task_id=1, action="update", field="units_text",
                   old_value="市审批局", new_value="=HYPERLINK(\"x\")"),
        AuditEvent(at=datetime(2024, 5, 7, 10, 0), task_id=1, action="withdraw_entry", field="progress",
                   old_value="2024-05-01 in_progress 30% 已部署"),
    ]
    rows = [audit_row(e, "3 公开财政预决算") for e in events]
    assert rows[0][3:5] == ["修改", "责任单位"] and rows[1][3] == "撤回进展记录"
    path = tmp_path / "trail.xlsx"
    write_audit_xlsx("测试台账——修改记录", rows, path)
    ws = load_workbook(path).active
    assert [c.value for c in ws[2]] == list(HEADERS)
    assert ws.cell(3, 7).data_type == "s" and ws.cell(3, 7).value.endswith('=HYPERLINK("x")')
    assert ws.cell(4, 6).value == "2024-05-01 推进中 30% 已部署"  # the status in words, not its code
    ooxml_valid(path)
    assert [p.name for p in tmp_path.iterdir()] == ["trail.xlsx"]  # no temporary file left
