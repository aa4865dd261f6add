"""The ledger as an Excel workbook (.xlsx): same table as the Word report, with status colours, ready to print."""

from __future__ import annotations

import copy
import math
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from desktop_app.domain import clock
from desktop_app.domain.model import ColumnSpec, Ledger
from desktop_app.domain.serialize import ledger_to_dict
from desktop_app.exporters.common import (
    ReportOptions,
    cell_text,
    has_section_titles,
    report_columns,
    section_merges,
    status_info,
    with_progress,
)
from desktop_app.exporters.embedded import add_to_workbook, sheet_row_hashes
from desktop_app.exporters.files import save_atomically
from desktop_app.exporters.identity import stamp_workbook, visible_round
from desktop_app.exporters.public import public_edition

FANGSONG, HEITI, XIAOBIAOSONG, KAITI = "仿宋_GB2312", "黑体", "方正小标宋简体", "楷体_GB2312"
# column widths in Excel character units
WIDTHS: dict[str, float] = {
    "number": 6,
    "key_work": 14,
    "item": 14,
    "content": 42,
    "indicator": 24,
    "units": 18,
    "cooperating_units": 16,
    "deadline": 11,
    "progress": 42,
    "remarks": 14,
    "status": 11,
}
BODY_PT = 11
LINE_PT = 15  # row height of one line of 11pt text
_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

_thin = Side(style="thin", color="000000")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
WRAP_LEFT = Alignment(wrap_text=True, vertical="center", horizontal="left")
WRAP_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
CENTERED = frozenset({"number", "key_work", "item", "deadline", "status"})


MAX_CELL = 32000  # Excel holds at most 32,767 characters in a cell


def _clean(text: str) -> str:
    if not text:
        return text
    text = _BAD.sub("", text)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _lines(text: str, width: float) -> int:
    """Printed lines of text in a column `width` characters wide (a CJK character counts 2)."""
    if not text:
        return 1
    per_line = max(1.0, width - 1)
    total = 0
    for part in text.split("\n"):
        w = sum(2 if ord(c) > 0x2E80 else 1 for c in part)
        total += max(1, math.ceil(w / per_line))
    return total


class _Styler:
    """Styles each body cell by copying a finished style: openpyxl's per-attribute setters hash every
    style object again for every cell (2,000 tasks: 6 s instead of well under 1 s)."""

    def __init__(self) -> None:
        self._done: dict[tuple[str, str], StyleArray] = {}

    def apply(
        self, cell: Cell, key: tuple[str, str], font: Font, align: str, fill: PatternFill | None = None
    ) -> None:
        done = self._done.get(key)
        if done is not None:
            cell._style = copy.copy(done)
            return
        cell.font = font
        cell.alignment = WRAP_CENTER if align == "c" else WRAP_LEFT
        cell.border = BORDER
        if fill is not None:
            cell.fill = fill
        self._done[key] = copy.copy(cell._style)


def _merge(ws: Worksheet, r1: int, c1: int, r2: int, c2: int) -> None:
    """A merged range without ws.merge_cells' clean-up (which re-creates each covered cell and its
    borders: 4 s for a long ledger). The covered cells are already empty and bordered."""
    ranges = ws.merged_cells.ranges
    mcr = MergedCellRange(ws, f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}")
    if isinstance(ranges, set):
        ranges.add(mcr)
    else:  # older openpyxl keeps a list
        ws.merged_cells.add(mcr)


def write_xlsx(ledger: Ledger, path: Path, options: ReportOptions) -> None:
    """One sheet "台账": title, 填报 line, header (frozen, printed on every page), tasks, signature rows."""
    ledger, options = public_edition(ledger, options)
    cols: list[ColumnSpec] = report_columns(ledger, options)
    if not options.public:
        cols = [*cols, ColumnSpec("status", "状态")]
    n = len(cols)
    last = get_column_letter(n)
    day = clock.chinese_date(options.as_of)
    unit = options.unit or ledger.owner_unit or ""

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    body_font = Font(name=FANGSONG, size=BODY_PT)
    header_font = Font(name=HEITI, size=BODY_PT)
    section_font = Font(name=HEITI, size=12)
    widths = [WIDTHS.get(c.field, 14) for c in cols]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w

    title = _clean(options.title or ledger.title or "任务落实台账")
    ws.append([title])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(name=XIAOBIAOSONG, size=20)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 40
    if options.public:
        info = f"填报单位：{unit}　　填报时间：{day}"
    else:
        info = f"填报单位：{unit}　　填报人：{options.filler}　　联系电话：{options.phone}　　填报时间：{day}"
    ws.append([_clean("　　报送轮次：".join(filter(None, [info, visible_round(ledger, options)])))])
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].font = Font(name=FANGSONG, size=12)
    ws["A2"].alignment = Alignment(horizontal="left", vertical="center")
    ws.row_dimensions[2].height = 24

    # header: the same header over adjacent columns (主要内容 over item + content) becomes one cell
    ws.append([_clean(c.header) for c in cols])
    for i in range(1, n + 1):
        cell = ws.cell(row=3, column=i)
        cell.font = header_font
        cell.alignment = WRAP_CENTER
        cell.border = BORDER
        cell.fill = PatternFill(fill_type="solid", fgColor="F2F2F2")
    i = 0
    while i < n:
        j = i
        while j + 1 < n and cols[j + 1].header == cols[i].header:
            j += 1
        if j > i:
            ws.merge_cells(start_row=3, start_column=i + 1, end_row=3, end_column=j + 1)
        i = j + 1
    ws.row_dimensions[3].height = 30

    fields = [c.field for c in cols]
    item_at = fields.index("item") if "item" in fields else -1
    can_join = item_at >= 0 and item_at + 1 < n and fields[item_at + 1] == "content"
    with_sections = has_section_titles(ledger)
    styler = _Styler()
    fills: dict[str, PatternFill] = {}
    fonts: dict[str, Font] = {}
    row = 4
    task_rows: list[int] = []  # the sheet row of each task, for the re-import hashes
    for section in ledger.sections:
        if with_sections and (section.title or "").strip():
            ws.cell(row=row, column=1, value=_clean(section.title or "").strip())
            for ci in range(1, n + 1):
                ws.cell(row=row, column=ci).border = BORDER
            ws.cell(row=row, column=1).font = section_font
            ws.cell(row=row, column=1).alignment = Alignment(vertical="center", horizontal="left")
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n)
            ws.row_dimensions[row].height = 22
            row += 1
        tasks = section.tasks
        merges = section_merges(tasks)
        starts: dict[int, int] = {}  # column index -> row where the current vertical merge began
        for ri, task in enumerate(tasks):
            join = can_join and not (task.item or "").strip()
            height_lines = 1
            for ci, col in enumerate(cols):
                align = "c" if col.field in CENTERED else "l"
                if col.field == "status":
                    info_ = status_info(task, options)
                    st = info_.status
                    c = ws.cell(row=row, column=ci + 1, value=f"{st.icon} {info_.label}")
                    if st.value not in fills:
                        fills[st.value] = PatternFill(fill_type="solid", fgColor=st.color.lstrip("#").upper())
                        fonts[st.value] = Font(
                            name=FANGSONG, size=BODY_PT, color=st.text_color.lstrip("#").upper()
                        )
                    styler.apply(c, (st.value, align), fonts[st.value], align, fills[st.value])
                else:
                    text = _clean(cell_text(task, col, options))
                    if join and ci == item_at:
                        text = ""
                    c = ws.cell(row=row, column=ci + 1, value=text or None)
                    styler.apply(c, ("body", align), body_font, align)
                    w = widths[ci] + (widths[ci + 1] if join and ci == item_at + 1 else 0)
                    if not (col.field in ("key_work", "item", "number") and merges.is_start(col.field, ri)):
                        height_lines = max(height_lines, _lines(text, w))
            if join:
                # one cell over item + content showing the content (set before merging: merging clears it)
                ws.cell(row=row, column=item_at + 1).value = ws.cell(row=row, column=item_at + 2).value
                styler.apply(ws.cell(row=row, column=item_at + 1), ("body", "l"), body_font, "l")
                _merge(ws, row, item_at + 1, row, item_at + 2)
            for ci, field in enumerate(fields):
                if field not in ("number", "key_work", "item") or (field == "item" and join):
                    continue
                if merges.is_start(field, ri):
                    starts[ci] = row
                elif merges.is_continued(field, ri):
                    ws.cell(row=row, column=ci + 1).value = None
                    end = ri + 1 >= len(tasks) or not merges.is_continued(field, ri + 1)
                    if end and ci in starts:
                        _merge(ws, starts.pop(ci), ci + 1, row, ci + 1)
            ws.row_dimensions[row].height = min(409, max(LINE_PT * 1.4, height_lines * LINE_PT + 4))
            task_rows.append(row)
            row += 1

    # signature rows under the table
    row += 1
    sign_font = Font(name=FANGSONG, size=12)
    if not options.public:
        line = (
            f"填报人：{options.filler or '　' * 5}　　联系电话：{options.phone or '　' * 6}　　"
            f"审核人：{options.reviewer or '　' * 5}　　单位负责人（签字）：{options.head_of_unit or '　' * 5}"
        )
        ws.cell(row=row, column=1, value=_clean(line)).font = sign_font
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n)
        ws.row_dimensions[row].height = 28
        row += 1
    ws.cell(row=row, column=1, value=_clean(f"单位（盖章）：{unit}　　　　{day}")).font = sign_font
    ws.cell(row=row, column=1).alignment = Alignment(horizontal="right", vertical="center")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n)
    ws.row_dimensions[row].height = 28

    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.7
    ws.oddFooter.center.text = "— &P —"
    ws.oddFooter.center.font = "宋体"
    ws.oddFooter.center.size = 12

    wb.properties.creator = unit
    wb.properties.lastModifiedBy = unit
    wb.properties.title = title
    wb.properties.language = "zh-CN"
    identity = stamp_workbook(wb, ledger, options)  # ledger id, unit, round, date (docProps/custom.xml)
    data = {**ledger_to_dict(with_progress(ledger, options)), "identity": identity}
    add_to_workbook(wb, data, sheet_row_hashes(ws, task_rows))
    as_text(wb)
    save_atomically(wb.save, Path(path))


def as_text(wb: Workbook) -> None:
    """Every text in every cell of every sheet (the hidden one too) stays text: openpyxl makes a string
    starting with "=" a formula and "#N/A" an error value; typed text is never either."""
    for ws in wb.worksheets:
        for cell in ws._cells.values():
            if isinstance(cell.value, str):
                cell.data_type = "s"
