"""Excel 97-2003 .xls (and WPS .et, the same BIFF8 format) -> one table grid per sheet, read directly
with xlrd 2.x (no converter needed); merged ranges filled from their top-left value as for .xlsx."""

from __future__ import annotations

import logging

from desktop_app.importers.errors import EXCEL_HINT, ImportFailed, fail
from desktop_app.importers.grid import Cell, Row, Table
from desktop_app.importers.xlsx_reader import MAX_CELLS, MAX_COLUMNS, MAX_MERGES, value_text

log = logging.getLogger(__name__)
MAX_ROWS = 65_536  # BIFF8's own limit


def available() -> bool:
    try:
        import xlrd  # noqa: F401
    except ImportError:
        return False
    return True


def read_sheets(data: bytes, name: str) -> list[Table]:
    """Every visible worksheet as a Table; ImportFailed (one sentence) for a damaged workbook."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except Exception as exc:  # xlrd raises many kinds for damaged files
        log.warning("xlrd could not open %s: %s", name, exc)
        raise fail(name, "这是 Excel 97-2003/WPS 表格旧格式文件，但内容已损坏或无法读取", EXCEL_HINT) from None
    tables: list[Table] = []
    cells = 0
    key = 0
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if getattr(sheet, "visibility", 0):
                continue
            nrows, ncols = min(sheet.nrows, MAX_ROWS), min(sheet.ncols, MAX_COLUMNS)
            cells += nrows * ncols
            if cells > MAX_CELLS or len(sheet.merged_cells) > MAX_MERGES:
                raise ImportFailed(
                    f"无法导入《{name}》：工作表“{sheet.name}”内容过多，不像是任务台账。请只保留台账部分后另存再导入。"
                )
            rows: list[Row] = []
            for r in range(nrows):
                row: Row = []
                values = sheet.row(r)
                for c in range(ncols):
                    key += 1
                    if c >= len(values):
                        row.append(Cell("", key))
                        continue
                    cell = values[c]
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        try:
                            text = value_text(xlrd.xldate_as_datetime(cell.value, book.datemode))
                        except (ValueError, OverflowError):
                            text = value_text(cell.value)
                    elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                        text = ""
                    elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                        text = "是" if cell.value else "否"
                    else:
                        text = value_text(cell.value)
                    row.append(Cell(text, key))
                rows.append(row)
            for r0, r1, c0, c1 in sheet.merged_cells:  # half-open ranges
                if r0 >= nrows or c0 >= ncols:
                    continue
                top = rows[r0][c0]
                for r in range(r0, min(r1, nrows)):
                    for c in range(c0, min(c1, ncols)):
                        rows[r][c] = Cell(top.text, top.key, r > r0)
            while rows and not any(c.text for c in rows[-1]):
                rows.pop()
            used = max((max((i + 1 for i, c in enumerate(r) if c.text), default=0) for r in rows), default=0)
            tables.append(Table([r[:used] for r in rows], sheet=sheet.name))
            sheet_done = getattr(book, "unload_sheet", None)
            if sheet_done:
                sheet_done(index)
    finally:
        book.release_resources()
    return tables
