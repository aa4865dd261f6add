"""The audit trail (修改记录) as an Excel workbook: one row per change, as the viewer shows it."""

from __future__ import annotations

from pathlib import Path

from desktop_app.domain.audit import HEADERS
from desktop_app.exporters.files import save_atomically
from desktop_app.exporters.xlsx_writer import Book, Style, print_ready

WIDTHS = (20, 10, 36, 16, 12, 40, 40)


def write_audit_xlsx(title: str, rows: list[list[str]], path: Path) -> None:
    """Title, header (frozen, printed on every page), one wrapped row per change. Text stays text: a value
    starting with = + - @ is quote-prefixed (xlsx_writer), never a formula."""
    book = Book()
    ws = book.add_sheet("修改记录")
    ws.widths = dict(enumerate(WIDTHS, start=1))
    print_ready(ws, title_rows=(2, 2), freeze=2)
    ws.append([title], book.style(Style(font="黑体", size=14, bold=True)))
    ws.merge(1, 1, 1, len(HEADERS))
    ws.append(list(HEADERS), book.style(Style(font="黑体", bold=True)))
    wrap = book.style(Style(wrap=True, vertical="top"))
    ws.line_pt = 16  # rows as tall as their wrapped text
    for row in rows:
        ws.append([str(v) for v in row], wrap)
    book.title = title
    book.language = "zh-CN"
    save_atomically(book.save, path)
