"""The ledger as an Excel workbook (.xlsx): same table as the Word report, with status colours, ready to print."""

from __future__ import annotations

import copy
import math
import re
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.properties import PageSetupProperties

from desktop_app.domain import clock
from desktop_app.domain.model import ColumnSpec, Ledger, ProgressEntry
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
from desktop_app.exporters.embedded import add_to_workbook
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
        w = (len(part.encode("utf-8")) + len(part)) // 2  # a CJK character (3 bytes) counts 2, ASCII 1
        total += max(1, math.ceil(w / per_line))
    return total


class _Styles:
    """Every style a cell of the workbook gets, built once: a new cell takes a copy of the finished style
    (openpyxl's per-attribute setters would hash each style object again for every cell)."""

    def __init__(self, ws) -> None:  # noqa: ANN001 - a write-only worksheet
        self.ws = ws
        self._done: dict[tuple, StyleArray] = {}

    def cell(self, value, key: tuple, make) -> Cell:  # noqa: ANN001 - value and the style's maker
        c = Cell(self.ws, row=1, column=1, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # typed text never becomes a formula or an error value
        done = self._done.get(key)
        if done is None:
            make(c)
            done = self._done[key] = copy.copy(c._style)
        else:
            c._style = copy.copy(done)
        return c


def _body(font: Font, align: str, fill: PatternFill | None = None):  # noqa: ANN202
    def make(c: Cell) -> None:
        c.font = font
        c.alignment = WRAP_CENTER if align == "c" else WRAP_LEFT
        c.border = BORDER
        if fill is not None:
            c.fill = fill

    return make


def _plain(font: Font, alignment: Alignment | None = None, border: bool = False):  # noqa: ANN202
    def make(c: Cell) -> None:
        c.font = font
        if alignment is not None:
            c.alignment = alignment
        if border:
            c.border = BORDER

    return make


def _ref(r1: int, c1: int, r2: int, c2: int) -> str:
    return f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"


class _Merges:
    """The merged ranges of the sheet, and which cell shows each covered cell (for the re-import hashes)."""

    def __init__(self, ws) -> None:  # noqa: ANN001
        self.ws = ws
        self.origin: dict[tuple[int, int], tuple[int, int]] = {}

    def add(self, r1: int, c1: int, r2: int, c2: int, track: bool = False) -> None:
        # straight into the set: MultiCellRange.add checks every range already there (quadratic)
        ranges = self.ws.merged_cells.ranges
        rng = CellRange(_ref(r1, c1, r2, c2))
        if isinstance(ranges, set):
            ranges.add(rng)
        else:  # older openpyxl keeps a list
            self.ws.merged_cells.add(rng)
        if track:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    self.origin[(r, c)] = (r1, c1)


def write_xlsx(
    ledger: Ledger, path: Path, options: ReportOptions, history: dict[int, list[ProgressEntry]] | None = None
) -> None:
    """Sheet "台账": title, 填报 line, header (frozen, printed on every page), tasks with their status in
    words on its colour, signature rows; with `history` (not in the public edition) a second sheet
    "进展记录" with every progress entry. Written in openpyxl's write-only mode, row by row."""
    ledger, options = public_edition(ledger, options)
    cols: list[ColumnSpec] = report_columns(ledger, options)
    if not options.public:
        cols = [*cols, ColumnSpec("status", "状态")]
    n = len(cols)
    day = clock.chinese_date(options.made_on)
    unit = options.unit or ledger.owner_unit or ""

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    st = _Styles(ws)
    merges = _Merges(ws)
    body_font = Font(name=FANGSONG, size=BODY_PT)
    header_font = Font(name=HEITI, size=BODY_PT)
    section_font = Font(name=HEITI, size=12)
    header_fill = PatternFill(fill_type="solid", fgColor="F2F2F2")
    widths = [WIDTHS.get(c.field, 14) for c in cols]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    _print_setup(ws)
    blank_row = [None] * (n - 1)

    title = _clean(options.title or ledger.title or "任务落实台账")
    ws.row_dimensions[1].height = 40
    title_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.append([st.cell(title, ("title",), _plain(Font(name=XIAOBIAOSONG, size=20), title_align)), *blank_row])
    merges.add(1, 1, 1, n)
    if options.public:
        info = f"填报单位：{unit}　　填报时间：{day}"
    else:
        info = f"填报单位：{unit}　　填报人：{options.filler}　　联系电话：{options.phone}　　填报时间：{day}"
    info = "　　报送轮次：".join(filter(None, [info, visible_round(ledger, options)]))
    ws.row_dimensions[2].height = 24
    info_align = Alignment(horizontal="left", vertical="center")
    ws.append([st.cell(_clean(info), ("info",), _plain(Font(name=FANGSONG, size=12), info_align)), *blank_row])
    merges.add(2, 1, 2, n)

    # header: the same header over adjacent columns (主要内容 over item + content) becomes one cell
    def make_header(c: Cell) -> None:
        _body(header_font, "c", header_fill)(c)

    header: list[Cell] = []
    i = 0
    while i < n:
        j = i
        while j + 1 < n and cols[j + 1].header == cols[i].header:
            j += 1
        header.append(st.cell(_clean(cols[i].header), ("header",), make_header))
        header.extend(st.cell(None, ("header",), make_header) for _ in range(j - i))
        if j > i:
            merges.add(3, i + 1, 3, j + 1)
        i = j + 1
    ws.row_dimensions[3].height = 30
    ws.append(header)

    fields = [c.field for c in cols]
    item_at = fields.index("item") if "item" in fields else -1
    can_join = item_at >= 0 and item_at + 1 < n and fields[item_at + 1] == "content"
    with_sections = has_section_titles(ledger)
    fills: dict[str, PatternFill] = {}
    fonts: dict[str, Font] = {}
    row = 4
    task_rows: list[int] = []  # the sheet row of each task, for the re-import hashes
    shown: dict[int, list[str]] = {}  # sheet row -> the text of each cell as written
    section_align = Alignment(vertical="center", horizontal="left")
    for section in ledger.sections:
        if with_sections and (section.title or "").strip():
            ws.row_dimensions[row].height = 22
            first = st.cell(_clean(section.title or "").strip(), ("section",), _plain(section_font, section_align, True))
            ws.append([first, *(st.cell(None, ("edge",), _plain(body_font, None, True)) for _ in range(n - 1))])
            merges.add(row, 1, row, n)
            row += 1
        tasks = section.tasks
        section_flags = section_merges(tasks)
        starts: dict[int, int] = {}  # column index -> row where the current vertical merge began
        for ri, task in enumerate(tasks):
            join = can_join and not (task.item or "").strip()
            texts: list[str] = []
            cells: list[Cell] = []
            height_lines = 1
            for ci, col in enumerate(cols):
                align = "c" if col.field in CENTERED else "l"
                if col.field == "status":
                    info_ = status_info(task, options)
                    status = info_.status
                    if status.value not in fills:
                        fills[status.value] = PatternFill(fill_type="solid", fgColor=status.color.lstrip("#").upper())
                        fonts[status.value] = Font(
                            name=FANGSONG, size=BODY_PT, color=status.text_color.lstrip("#").upper()
                        )
                    text = info_.label  # the status in words on its colour, as every view names it
                    make = _body(fonts[status.value], align, fills[status.value])
                    cells.append(st.cell(text, ("status", status.value, align), make))
                    texts.append(text)
                    continue
                text = _clean(cell_text(task, col, options))
                if join and ci == item_at:
                    text = _clean(cell_text(task, cols[ci + 1], options))  # one cell over item + content
                    align = "l"
                elif col.field in ("number", "key_work", "item") and section_flags.is_continued(col.field, ri):
                    text = ""  # covered by the merged cell above
                elif join and ci == item_at + 1:
                    text = ""
                cells.append(st.cell(text or None, ("body", align), _body(body_font, align)))
                texts.append(text)
                w = widths[ci] + (widths[ci + 1] if join and ci == item_at else 0)
                if not (col.field in ("key_work", "item", "number") and section_flags.is_start(col.field, ri)):
                    height_lines = max(height_lines, _lines(text, w))
            if join:
                merges.add(row, item_at + 1, row, item_at + 2, track=True)
            for ci, field in enumerate(fields):
                if field not in ("number", "key_work", "item") or (field == "item" and join):
                    continue
                if section_flags.is_start(field, ri):
                    starts[ci] = row
                elif section_flags.is_continued(field, ri):
                    end = ri + 1 >= len(tasks) or not section_flags.is_continued(field, ri + 1)
                    if end and ci in starts:
                        merges.add(starts.pop(ci), ci + 1, row, ci + 1, track=True)
            ws.row_dimensions[row].height = min(409, max(LINE_PT * 1.4, height_lines * LINE_PT + 4))
            ws.append(cells)
            shown[row] = texts
            task_rows.append(row)
            row += 1

    # signature rows under the table
    ws.append([])
    row += 1
    sign_font = Font(name=FANGSONG, size=12)
    if not options.public:
        line = (
            f"填报人：{options.filler or '　' * 5}　　联系电话：{options.phone or '　' * 6}　　"
            f"审核人：{options.reviewer or '　' * 5}　　单位负责人（签字）：{'　' * 6}"
        )
        if options.head_of_unit:  # the name printed apart from the line left blank to sign on
            line += f"（{options.head_of_unit}）"
        ws.row_dimensions[row].height = 28
        ws.append([st.cell(_clean(line), ("sign",), _plain(sign_font)), *blank_row])
        merges.add(row, 1, row, n)
        row += 1
    seal_align = Alignment(horizontal="right", vertical="center")
    ws.row_dimensions[row].height = 28
    seal = st.cell(_clean(f"填报单位（盖章）：{unit}　　　　{day}"), ("seal",), _plain(sign_font, seal_align))
    ws.append([seal, *blank_row])
    merges.add(row, 1, row, n)

    if history is not None and not options.public:
        _history_sheet(wb, ledger, history, st_font=body_font, header_font=header_font, fill=header_fill)

    wb.properties.creator = unit
    wb.properties.lastModifiedBy = unit
    wb.properties.title = title
    wb.properties.language = "zh-CN"
    identity = stamp_workbook(wb, ledger, options)  # ledger id, unit, round, date (docProps/custom.xml)
    data = {**ledger_to_dict(with_progress(ledger, options)), "identity": identity}
    hashes = [_row_hashes(shown, r, merges.origin) for r in task_rows]
    add_to_workbook(wb, data, hashes)
    save_atomically(wb.save, Path(path))


def _row_hashes(shown: dict[int, list[str]], row: int, origin: dict[tuple[int, int], tuple[int, int]]) -> list[str]:
    """As embedded.sheet_row_hashes reads a sheet: every cell of a merged range shows its top-left value."""
    from desktop_app.domain.fingerprint import row_hashes

    texts = shown[row]
    cells = []
    for c in range(1, len(texts) + 1):
        at = origin.get((row, c), (row, c))
        source = shown.get(at[0], texts)
        cells.append((source[at[1] - 1] or "", at))
    return row_hashes(cells)


def _print_setup(ws) -> None:  # noqa: ANN001
    """Landscape A4, fitted to the width, the header row on every page, gridlines printed, "— n —"."""
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.7
    ws.oddFooter.center.text = "— &P —"
    ws.oddFooter.center.font = "宋体"
    ws.oddFooter.center.size = 12


HISTORY_HEADERS = ("序号", "任务", "日期", "状态", "完成百分比", "进展情况", "填报人")
HISTORY_WIDTHS = (8, 40, 14, 10, 10, 60, 10)


def _history_sheet(wb, ledger: Ledger, history, st_font: Font, header_font: Font, fill: PatternFill) -> None:  # noqa: ANN001
    """Sheet "进展记录": every progress entry of every task, oldest first, as the journal holds them."""
    ws = wb.create_sheet("进展记录")
    st = _Styles(ws)
    for i, w in enumerate(HISTORY_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.gridLines = True
    ws.append([st.cell(h, ("h",), _body(header_font, "c", fill)) for h in HISTORY_HEADERS])
    for task in ledger.all_tasks():
        entries = sorted(history.get(task.id, []) if task.id is not None else [], key=_entry_key)
        for e in entries:
            values = [
                task.number,
                _clean(task.content[:200]),
                clock.chinese_date(e.entry_date) if e.entry_date else "",
                e.status.label if hasattr(e.status, "label") else str(e.status),
                e.percent,
                _clean(e.text),
                _clean(e.author),
            ]
            ws.append([
                st.cell(v if v != "" else None, ("b", "c" if k in (0, 2, 3, 4) else "l"), _body(st_font, "c" if k in (0, 2, 3, 4) else "l"))
                for k, v in enumerate(values)
            ])


def _entry_key(e: ProgressEntry):  # noqa: ANN202
    return (e.entry_date or date.min, e.created_at or datetime.min, e.id or 0)


def as_text(wb: Workbook) -> None:
    """Every text in every cell of every sheet (the hidden one too) stays text: openpyxl makes a string
    starting with "=" a formula and "#N/A" an error value; typed text is never either."""
    for ws in wb.worksheets:
        for cell in ws._cells.values():
            if isinstance(cell.value, str):
                cell.data_type = "s"
