"""Excel .xlsx -> one table grid per sheet (merged ranges filled from their top-left value)."""

from __future__ import annotations

import io
from datetime import date, datetime, time

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from desktop_app.importers.grid import Cell, Row, Table
from desktop_app.importers.text import clean

MAX_COLUMNS = 60  # a ledger has about ten; stray formatting can claim 16,384


def value_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            value = value.date()
        else:
            return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return clean(str(value))


def _values(ws: Worksheet) -> list[list[str]]:
    """The sheet's values as text rows. Only stored cells are visited: iter_rows() over a used range
    that formatting stretched to 1,048,576 rows would create every empty cell."""
    stored = getattr(ws, "_cells", None)
    if stored is None:  # not a normal-mode worksheet: the public way
        max_col = min(ws.max_column or 0, MAX_COLUMNS)
        return [[value_text(v) for v in r] for r in ws.iter_rows(max_col=max_col, values_only=True)]
    found: dict[tuple[int, int], str] = {}
    for (r, c), cell in stored.items():
        if c <= MAX_COLUMNS and cell.value is not None:
            text = value_text(cell.value)
            if text:
                found[(r, c)] = text
    if not found:
        return []
    height = max(r for r, _c in found)
    width = max(c for _r, c in found)
    raw = [[""] * width for _ in range(height)]
    for (r, c), text in found.items():
        raw[r - 1][c - 1] = text
    return raw


def read_sheet(ws: Worksheet) -> Table:
    raw = _values(ws)
    # Drop trailing empty rows/columns (formatting often extends the used range).
    while raw and not any(raw[-1]):
        raw.pop()
    width = max((max((i + 1 for i, v in enumerate(r) if v), default=0) for r in raw), default=0)
    key = 0
    rows: list[Row] = []
    for r in raw:
        row: Row = []
        for c in range(width):
            key += 1
            row.append(Cell(r[c] if c < len(r) else "", key))
        rows.append(row)
    for rng in ws.merged_cells.ranges:
        r0, c0, r1, c1 = rng.min_row - 1, rng.min_col - 1, rng.max_row - 1, rng.max_col - 1
        if r0 >= len(rows) or c0 >= width:
            continue
        top = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                rows[r][c] = Cell(top.text, top.key, r > r0)
    return Table(rows, sheet=ws.title)


def sheet_score(table: Table) -> int:
    """How much the sheet looks like a ledger: rows under a recognised header, 0 without one."""
    from desktop_app.importers.builder import detect_mapping

    found = detect_mapping(table.rows, None)
    if found is None:
        return 0
    start, height, mapping = found
    data = sum(1 for r in table.rows[start + height :] if any(c.text for c in r))
    named = sum(1 for f in mapping.fields if not f.startswith(("extra:", "ignore")))
    return named * 10 + data if data else 0


def load_workbook(data: bytes) -> openpyxl.Workbook:
    # Normal mode: read-only worksheets don't expose merged cells.
    return openpyxl.load_workbook(io.BytesIO(data), data_only=True)


def read_sheets(data: bytes) -> list[Table]:
    wb = load_workbook(data)
    try:
        return [read_sheet(ws) for ws in wb.worksheets if isinstance(ws, Worksheet)]
    finally:
        wb.close()
