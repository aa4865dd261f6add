"""The one builder of the real-world sets (shapes.py, corpus.py, heldback/): a shape dict -> a .docx/.xlsx.

A shape is the document as the city laid it out:
- "title": lines above the table (in Excel each one a row merged across the table);
- "paragraphs": prose lines (a notice), "rows": one table, "blocks": [("p", text) | ("t", rows)] in order;
- rows use "^" for a cell merged with the one above and "<" for one merged with the one to the left;
- "after": lines below; "kind": "xlsx" for a workbook (default .docx);
- docx: "landscape": True puts the document on landscape pages;
- xlsx: "sheet" the ledger sheet's name, "sheets_before"/"sheets_after" [(name, rows)] other sheets,
  "hidden_cols" [column index in rows] hidden columns, "@date:YYYY-MM-DD" a real date cell.
`truth` (read by tests/importers/test_realworld.py) is what a clerk types from the file:
(number, key work, content, units "名称:角色 …" with L lead / R responsible / C cooperating, deadline).
"""

from __future__ import annotations

from pathlib import Path


def units(text: str) -> list[tuple[str, str]]:
    """ "市发改委:L 各部门:C" -> [("市发改委", "L"), ("各部门", "C")] (truth files write units so)."""
    return [tuple(part.rsplit(":", 1)) for part in text.split()]  # type: ignore[misc]


def merges(rows: list[list[str]]):
    """(top, left, bottom, right) 0-based inclusive of every merged block written with "^" and "<"."""
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value in ("^", "<"):
                continue
            down = i + 1
            while down < len(rows) and j < len(rows[down]) and rows[down][j] == "^":
                down += 1
            right = j + 1
            while right < len(row) and row[right] == "<":
                right += 1
            if down > i + 1 or right > j + 1:
                yield i, j, down - 1, right - 1


def _xlsx_value(value: str):
    if value in ("^", "<"):
        return None
    if isinstance(value, str) and value.startswith("@date:"):
        from datetime import datetime

        return datetime.strptime(value[6:], "%Y-%m-%d")
    return value


def _fill_sheet(ws, title: list[str], rows: list[list[str]], hidden: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    ncols = max(len(r) for r in rows)
    for line in title:
        ws.append([line])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=ncols)
    top = ws.max_row + 1
    for row in rows:
        ws.append([_xlsx_value(v) for v in row])
    for i, j, b, r in merges(rows):
        ws.merge_cells(start_row=top + i, start_column=j + 1, end_row=top + b, end_column=r + 1)
    for j in hidden:
        ws.column_dimensions[get_column_letter(j + 1)].hidden = True


def build_xlsx_shape(name: str, shape: dict, out: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    first = True
    for sheet_name, sheet_rows in shape.get("sheets_before", []):
        ws.title = sheet_name
        for row in sheet_rows:
            ws.append(row)
        ws = wb.create_sheet()
        first = False
    ws.title = shape.get("sheet", "Sheet1" if first else "台账")
    _fill_sheet(ws, shape["title"], shape["rows"], shape.get("hidden_cols", []))
    for line in shape.get("after", []):
        ws.append([line])
    for sheet_name, sheet_rows in shape.get("sheets_after", []):
        extra = wb.create_sheet(sheet_name)
        for row in sheet_rows:
            extra.append(row)
    path = out / f"{name}.xlsx"
    wb.save(path)
    return path


def _docx_table(doc, rows: list[list[str]]) -> None:
    ncols = max(len(r) for r in rows)
    rows = [r + [""] * (ncols - len(r)) for r in rows]
    table = doc.add_table(rows=len(rows), cols=ncols)
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value not in ("^", "<"):
                table.rows[i].cells[j].text = value
    # merges after the text, so a merged cell keeps only its first text
    for i, j, b, r in merges(rows):
        table.cell(i, j).merge(table.cell(b, r))


def _landscape(doc) -> None:
    from docx.enum.section import WD_ORIENT

    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width


def build_shape(name: str, shape: dict, out: Path) -> Path:
    """The file of one shape (a dict as described above) in `out`."""
    import docx

    if shape.get("kind") == "xlsx":
        return build_xlsx_shape(name, shape, out)
    doc = docx.Document()
    if shape.get("landscape"):
        _landscape(doc)
    for line in shape["title"]:
        doc.add_paragraph(line)
    for line in shape.get("paragraphs", []):
        doc.add_paragraph(line)
    if "rows" in shape:
        _docx_table(doc, shape["rows"])
    for kind, value in shape.get("blocks", []):
        if kind == "p":
            doc.add_paragraph(value)
        else:
            _docx_table(doc, value)
    for line in shape.get("after", []):
        doc.add_paragraph(line)
    path = out / f"{name}.docx"
    doc.save(path)
    return path
