"""The audit trail (修改记录) as an Excel workbook: one row per change, as the viewer shows it."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from desktop_app.domain.audit import HEADERS
from desktop_app.exporters.files import save_atomically

WIDTHS = (20, 10, 36, 16, 12, 40, 40)


def _safe(value: str) -> str:
    """Text, never a formula: a value starting with = + - @ is written with a leading apostrophe-like space."""
    return ("\u200b" + value) if value[:1] in ("=", "+", "-", "@") else value


def write_audit_xlsx(title: str, rows: list[list[str]], path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "修改记录"
    ws.append([title])
    ws["A1"].font = Font(name="黑体", size=14, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.append(list(HEADERS))
    for c in ws[2]:
        c.font = Font(name="黑体", bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append([_safe(str(v)) for v in row])
        for c in ws[ws.max_row]:
            c.alignment = wrap
    for i, w in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = w
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    save_atomically(wb.save, path)
