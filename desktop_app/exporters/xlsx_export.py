"""The ledger as an Excel workbook (.xlsx): same table as the Word report, with status colours, ready to print."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from desktop_app.domain import clock
from desktop_app.domain.model import ColumnSpec, Ledger, ProgressEntry
from desktop_app.domain.serialize import ledger_to_dict
from desktop_app.exporters.common import (
    MM,
    SAFETY,
    PageGeometry,
    ReportOptions,
    cell_text,
    column_widths,
    has_section_titles,
    lines_needed,
    report_columns,
    row_groups,
    section_merges,
    status_info,
    with_progress,
)
from desktop_app.exporters.embedded import add_to_book
from desktop_app.exporters.files import save_atomically
from desktop_app.exporters.identity import custom_xml, file_identity, visible_round
from desktop_app.exporters.public import public_edition
from desktop_app.exporters.xlsx_writer import Book, Sheet, Style, gc_paused, print_ready, text_lines

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
HEADER_FILL = "F2F2F2"

CENTERED = frozenset({"number", "key_work", "item", "deadline", "status"})


MAX_CELL = 32000  # Excel holds at most 32,767 characters in a cell


def _clean(text: str) -> str:
    """At most what Excel holds in a cell (what XML cannot carry is left out by xlsx_writer)."""
    return text if not text or len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


_lines = text_lines


def body_style(font: str = FANGSONG, size: float = BODY_PT, centred: bool = False, **kw) -> Style:  # noqa: ANN003
    """A table cell: thin border, wrapped, vertically centred."""
    return Style(font=font, size=size, border=True, wrap=True, vertical="center",
                 horizontal="center" if centred else "left", **kw)


def _merge_rows(ws: Sheet, origin: dict[tuple[int, int], tuple[int, int]], r1: int, c1: int, r2: int, c2: int) -> None:
    """A merged range, and which cell shows each covered cell (for the re-import hashes)."""
    ws.merge(r1, c1, r2, c2)
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            origin[(r, c)] = (r1, c1)


# The landscape A4 page of the sheet (margins 0.5 inch left and right) and how Excel measures: a column
# `w` characters wide is w * 7 + 5 pixels (the default font's digit 7 px at 96 dpi); 11 pt text on lines
# of 16.5 pt (the CJK fonts LibreOffice, WPS and Excel fall back on are that tall; 仿宋 itself less).
FIT_PAGE = PageGeometry(297 * MM, 210 * MM, 0.6 * 72, 0.7 * 72, 0.5 * 72, 0.5 * 72, font=BODY_PT, line=16.5,
                        cell_pad_x=2.0, cell_pad_y=1.5)
MAX_ROW_PT = 409.0  # Excel's tallest row


def _pt_to_chars(pt: float) -> float:
    return max(1.0, (pt * 96 / 72 - 5) / 7)


class _Fit:
    """Column widths from the measured text, lines per cell, and tall rows split (write_xlsx fit_text)."""

    def __init__(self, ledger: Ledger, cols: list[ColumnSpec], options: ReportOptions) -> None:
        rows: list[list[str]] = []
        groups: list[tuple[int, int]] = []
        for section in ledger.sections:
            start = len(rows)
            rows.extend([cell_text(t, c, options) for c in cols] for t in section.tasks)
            groups.extend((start + a, start + b) for a, b in row_groups(section.tasks, section_merges(section.tasks)))
        g = FIT_PAGE
        self.points = column_widths(cols, rows, groups, g.body_width, g)
        self.chars = [_pt_to_chars(w) for w in self.points]
        self.em = [(w - g.cell_inset) / g.font - SAFETY for w in self.points]
        self.line_pt = g.line
        # a task's rows go on at most half a page each: the rows pack onto the pages without big gaps
        self.max_lines = max(1, int((min(MAX_ROW_PT, g.body_height / 2) - 4) // g.line))
        fields = [c.field for c in cols]
        self.split_at = fields.index("progress") if "progress" in fields else -1

    def lines(self, text: str, ci: int, joined: bool = False) -> int:
        return lines_needed(text, self.em[ci] + (self.em[ci + 1] + SAFETY + FIT_PAGE.cell_inset / FIT_PAGE.font
                                                 if joined else 0))

    def split(self, texts: list[str], lines: int) -> list[tuple[list[str | None], int]]:
        """The task's row, and further rows for what of the progress text does not fit in one row."""
        ci = self.split_at
        if lines <= self.max_lines or ci < 0 or self.lines(texts[ci], ci) <= self.max_lines:
            return [(list(texts), min(lines, self.max_lines))]
        chunks: list[list[str]] = [[]]
        used = 0
        for para in texts[ci].split("\n"):
            for piece in self._pieces(para, ci):
                k = lines_needed(piece, self.em[ci])
                if chunks[-1] and used + k > self.max_lines:
                    chunks.append([])
                    used = 0
                chunks[-1].append(piece)
                used += k
        first = list(texts)
        first[ci] = "\n".join(chunks[0])
        others = sum(1 for t in texts[:ci] + texts[ci + 1 :] if t)
        out: list[tuple[list[str | None], int]] = [(first, self.max_lines if others else self.lines(first[ci], ci))]
        for chunk in chunks[1:]:
            cells: list[str | None] = [None] * len(texts)
            cells[ci] = "\n".join(chunk)
            out.append((cells, lines_needed(cells[ci], self.em[ci])))
        return out

    def _pieces(self, para: str, ci: int) -> list[str]:
        """A paragraph longer than a row can show, cut into pieces that each fit."""
        if lines_needed(para, self.em[ci]) <= self.max_lines:
            return [para]
        per = max(1, int(self.em[ci]) * (self.max_lines - 1))
        return [para[i : i + per] for i in range(0, len(para), per)]


def write_xlsx(
    ledger: Ledger,
    path: Path,
    options: ReportOptions,
    history: dict[int, list[ProgressEntry]] | None = None,
    *,
    fit_text: bool = False,
    with_status: bool = True,
) -> None:
    """Sheet "台账": title, 填报 line, header (frozen, printed on every page), tasks with their status in
    words on its colour, signature rows; with `history` (not in the public edition) a second sheet
    "进展记录" with every progress entry. The worksheet XML is streamed row by row (xlsx_writer), every
    style registered once.

    `fit_text` (the consolidated ledger, whose cells hold many units' lines): column widths from the
    measured text on the landscape page, row heights from the lines each cell needs, and a task whose text
    is taller than a row can be (409 pt) continued on further rows, its other cells merged over them.
    `with_status`: the 状态 column (the office's own status means nothing beside the units' words)."""
    with gc_paused():  # tens of thousands of short-lived rows: no cycle collection in between
        _write_xlsx(ledger, path, options, history, fit_text, with_status)


def _write_xlsx(
    ledger: Ledger,
    path: Path,
    options: ReportOptions,
    history: dict[int, list[ProgressEntry]] | None,
    fit_text: bool,
    with_status: bool,
) -> None:
    ledger, options = public_edition(ledger, options)
    cols: list[ColumnSpec] = report_columns(ledger, options)
    if not options.public and with_status:
        cols = [*cols, ColumnSpec("status", "状态")]
    n = len(cols)
    day = clock.chinese_date(options.made_on)
    unit = options.unit or ledger.owner_unit or ""

    book = Book()
    ws = book.add_sheet("台账")
    fit = _Fit(ledger, cols, options) if fit_text else None
    widths = fit.chars if fit else [WIDTHS.get(c.field, 14) for c in cols]
    ws.widths = {i: w for i, w in enumerate(widths, start=1)}
    _print_setup(ws)
    blank_row = [None] * (n - 1)
    origin: dict[tuple[int, int], tuple[int, int]] = {}

    title = _clean(options.title or ledger.title or "任务落实台账")
    title_st = book.style(Style(font=XIAOBIAOSONG, size=20, horizontal="center", vertical="center", wrap=True))
    ws.append([title, *blank_row], title_st, height=40)
    ws.merge(1, 1, 1, n)
    if options.public:
        info = f"填报单位：{unit}　　填报时间：{day}"
    else:
        info = f"填报单位：{unit}　　填报人：{options.filler}　　联系电话：{options.phone}　　填报时间：{day}"
    info = "　　报送轮次：".join(filter(None, [info, visible_round(ledger, options)]))
    info_st = book.style(Style(font=FANGSONG, size=12, horizontal="left", vertical="center"))
    ws.append([_clean(info), *blank_row], info_st, height=24)
    ws.merge(2, 1, 2, n)

    # header: the same header over adjacent columns (主要内容 over item + content) becomes one cell
    header_st = book.style(body_style(HEITI, centred=True, fill=HEADER_FILL))
    header: list[str | None] = []
    i = 0
    while i < n:
        j = i
        while j + 1 < n and cols[j + 1].header == cols[i].header:
            j += 1
        header.append(_clean(cols[i].header))
        header.extend([None] * (j - i))
        if j > i:
            ws.merge(3, i + 1, 3, j + 1)
        i = j + 1
    ws.append(header, header_st, height=30)

    fields = [c.field for c in cols]
    item_at = fields.index("item") if "item" in fields else -1
    can_join = item_at >= 0 and item_at + 1 < n and fields[item_at + 1] == "content"
    with_sections = has_section_titles(ledger)
    status_st: dict[str, int] = {}
    centre_st = book.style(body_style(centred=True))
    left_st = book.style(body_style())
    col_st = [centre_st if f in CENTERED else left_st for f in fields]
    joined_st = list(col_st)
    if can_join:
        joined_st[item_at] = left_st
    status_at = fields.index("status") if "status" in fields else -1
    merged_fields = [(ci, f) for ci, f in enumerate(fields) if f in ("number", "key_work", "item")]
    section_st = book.style(Style(font=HEITI, size=12, border=True, horizontal="left", vertical="center"))
    edge_st = book.style(Style(font=FANGSONG, size=BODY_PT, border=True))
    section_styles = [section_st] + [edge_st] * (n - 1)
    row = 3
    task_rows: list[int] = []  # the sheet row of each task, for the re-import hashes
    shown: dict[int, list[str]] = {}  # sheet row -> the text of each cell as written
    for section in ledger.sections:
        if with_sections and (section.title or "").strip():
            row = ws.append([_clean(section.title or "").strip(), *blank_row], section_styles, height=22)
            ws.merge(row, 1, row, n)
        tasks = section.tasks
        section_flags = section_merges(tasks)
        continued = {f: section_flags.continues.get(f) or [False] * len(tasks) for f in ("number", "key_work", "item")}
        starts: dict[int, int] = {}  # column index -> row where the current vertical merge began
        for ri, task in enumerate(tasks):
            row += 1
            join = can_join and not (task.item or "").strip()
            texts: list[str] = []
            height_lines = 1
            for ci, col in enumerate(cols):
                f = col.field
                if ci == status_at:
                    info_ = status_info(task, options)
                    status = info_.status
                    status_xf = status_st.get(status.value)
                    if status_xf is None:
                        status_xf = status_st[status.value] = book.style(body_style(
                            centred=True,
                            color=status.text_color.lstrip("#").upper(),
                            fill=status.color.lstrip("#").upper(),
                        ))
                    texts.append(info_.label)  # the status in words on its colour, as every view names it
                    continue
                if join and ci == item_at:
                    text = _clean(cell_text(task, cols[ci + 1], options))  # one cell over item + content
                    w = widths[ci] + widths[ci + 1]
                elif join and ci == item_at + 1:
                    text = ""
                    w = widths[ci]
                elif f in continued and continued[f][ri]:
                    text = ""  # covered by the merged cell above
                    w = widths[ci]
                else:
                    text = _clean(cell_text(task, col, options))
                    w = widths[ci]
                texts.append(text)
                if text and not (f in continued and section_flags.is_start(f, ri)):
                    lines = fit.lines(text, ci, join and ci == item_at) if fit else _lines(text, w)
                    if lines > height_lines:
                        height_lines = lines
            styles = joined_st if join else col_st
            if status_at >= 0:
                styles = list(styles)
                styles[status_at] = status_xf
            # a task taller than a row can be: its longest text goes on over further rows
            parts = fit.split(texts, height_lines) if fit else [(texts, height_lines)]
            last = row + len(parts) - 1
            if join:
                _merge_rows(ws, origin, row, item_at + 1, last, item_at + 2)
            grouped = set()
            for ci, field in merged_fields:
                if field == "item" and join:
                    continue
                if section_flags.is_start(field, ri):
                    starts[ci] = row
                    grouped.add(ci)
                elif continued[field][ri]:
                    grouped.add(ci)
                    end = ri + 1 >= len(tasks) or not continued[field][ri + 1]
                    if end and ci in starts:
                        _merge_rows(ws, origin, starts.pop(ci), ci + 1, last, ci + 1)
            if last > row:  # the other cells merged over the task's rows, their text at the top
                spread = {p for p, t in enumerate(parts[1][0]) if t is not None}
                styles = list(styles)
                for ci in range(n):
                    if ci in grouped:
                        continue
                    styles[ci] = book.variant(styles[ci], vertical="top")
                    if ci in spread or (join and ci in (item_at, item_at + 1)):
                        continue
                    ws.merge(row, ci + 1, last, ci + 1)
            line_pt = fit.line_pt if fit else LINE_PT
            for k, (cells, lines) in enumerate(parts):
                ws.append(cells, styles, height=min(409, max(line_pt * 1.4, lines * line_pt + 4)))
                if k == 0:
                    shown[row] = cells
                    task_rows.append(row)
            row = last

    # signature rows under the table
    ws.append([])
    row += 1
    sign_st = book.style(Style(font=FANGSONG, size=12))
    if not options.public:
        line = (
            f"填报人：{options.filler or '　' * 5}　　联系电话：{options.phone or '　' * 6}　　"
            f"审核人：{options.reviewer or '　' * 5}　　单位负责人（签字）：{'　' * 6}"
        )
        if options.head_of_unit:  # the name printed apart from the line left blank to sign on
            line += f"（{options.head_of_unit}）"
        row = ws.append([_clean(line), *blank_row], sign_st, height=28)
        ws.merge(row, 1, row, n)
    seal_st = book.style(Style(font=FANGSONG, size=12, horizontal="right", vertical="center"))
    row = ws.append([_clean(f"填报单位（盖章）：{unit}　　　　{day}"), *blank_row], seal_st, height=28)
    ws.merge(row, 1, row, n)

    if history is not None and not options.public:
        _history_sheet(book, ledger, history)

    book.creator = book.last_modified_by = unit
    book.title = title
    book.language = "zh-CN"
    identity = file_identity(ledger, options)  # ledger id, unit, round, date (docProps/custom.xml)
    book.custom_xml = custom_xml(identity)
    data = {**ledger_to_dict(with_progress(ledger, options)), "identity": identity.to_dict()}
    hashes = [_row_hashes(shown, r, origin) for r in task_rows]
    add_to_book(book, data, hashes)
    save_atomically(book.save, Path(path))


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


def _print_setup(ws: Sheet) -> None:
    """Landscape A4, fitted to the width, the header row on every page, gridlines printed, "— n —"."""
    print_ready(ws, title_rows=(3, 3), freeze=3)
    ws.center_horizontally = True
    ws.margins = (0.5, 0.5, 0.6, 0.7)
    ws.footer = '&C&"宋体,Regular"&12— &P —'


HISTORY_HEADERS = ("序号", "任务", "日期", "状态", "完成百分比", "进展情况", "填报人")
HISTORY_WIDTHS = (8, 40, 14, 10, 10, 60, 10)


def _history_sheet(book: Book, ledger: Ledger, history: dict[int, list[ProgressEntry]]) -> None:
    """Sheet "进展记录": every progress entry of every task, oldest first, as the journal holds them."""
    ws = book.add_sheet("进展记录")
    ws.widths = dict(enumerate(HISTORY_WIDTHS, start=1))
    print_ready(ws, title_rows=(1, 1), freeze=1)
    ws.append(list(HISTORY_HEADERS), book.style(body_style(HEITI, centred=True, fill=HEADER_FILL)))
    ws.line_pt = LINE_PT + 1  # each row as tall as its wrapped task and progress text
    c, left = book.style(body_style(centred=True)), book.style(body_style())
    styles = [c, left, c, c, c, left, left]
    for task in ledger.all_tasks():
        entries = sorted(history.get(task.id, []) if task.id is not None else [], key=_entry_key)
        for e in entries:
            ws.append(
                [
                    task.number,
                    _clean(task.content[:200]),
                    clock.chinese_date(e.entry_date) if e.entry_date else "",
                    e.status.label if hasattr(e.status, "label") else str(e.status),
                    e.percent,
                    _clean(e.text),
                    _clean(e.author),
                ],
                styles,
            )


def _entry_key(e: ProgressEntry):  # noqa: ANN202
    return (e.entry_date or date.min, e.created_at or datetime.min, e.id or 0)
