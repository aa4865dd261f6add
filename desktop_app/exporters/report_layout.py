"""The report laid out on pages: positioned lines of text and rules, the one layout that the PDF, OFD and
print writers draw, so the three agree page for page.

One table per section under its heading, the header row at the top of the table on every page, key work /
number / item merged over their rows as in the city's form (a group kept on one page where it fits; a
continuation carries the number again as "21（续）"), rows broken across pages only when they are long,
the signature and seal block kept with the last rows, page numbers "— 1 —" outside (odd right, even left).
Linear in the number of tasks: every row is measured once and placed once.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

from desktop_app.domain import clock
from desktop_app.domain.model import ColumnSpec, Ledger, Task
from desktop_app.exporters.common import (
    PageGeometry,
    ReportOptions,
    cell_text,
    column_widths,
    has_section_titles,
    report_columns,
    row_groups,
    section_merges,
)
from desktop_app.exporters.fonts import FontFile, FontSet, find_fonts
from desktop_app.exporters.identity import visible_round
from desktop_app.exporters.public import public_edition

MM = 72 / 25.4  # points per millimetre
PAPERS = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}  # portrait width, height in mm
# GB/T 9704: top 37 mm, left 28 mm, type area 156 x 225 mm; the landscape page turns it on its side.
PORTRAIT_MARGINS = (37.0, 26.0, 35.0, 28.0)  # top, right, bottom, left (mm)
LANDSCAPE_MARGINS = (28.0, 35.0, 26.0, 37.0)

TITLE_PT = 22.0  # 二号 方正小标宋
SUBTITLE_PT = 16.0  # 三号 楷体
INFO_PT = 12.0  # 小四 仿宋
SECTION_PT = 14.0  # 四号 黑体
HEADER_PT = 10.5  # 五号 黑体
BODY_PT = 10.5  # 五号 仿宋
SIGN_PT = 14.0  # 四号 仿宋
SIGN_LINE, SIGN_BEFORE = 26.0, 12.0  # the Word report's lines of the block to sign (exact), space above it
SIGN_BLANK = 5  # em of underline to sign on (the Word report's five underlined full-width spaces)
PAGE_NO_PT = 14.0  # 四号 宋体
LEADING = 1.3  # line height / font size
CELL_LEADING = LEADING  # line height / font size in the table's cells
PAD_X = 3.0
PAD_Y = 2.5
MIN_SPLIT_LINES = 3  # a row is broken over a page only when at least this many lines still fit
LONG_ROW = 0.33  # ... and only when it is taller than this share of a page (short rows move whole)
CENTERED = frozenset({"number", "key_work", "item", "deadline", "status"})
MERGEABLE = ("number", "key_work", "item")
CONTINUED = "（续）"
# no line starts with these; no line ends with the openers
_NO_START = frozenset("，。、；：？！）》」』】〕〉”’…·%,.;:?!)]}")
_NO_END = frozenset("（《「『【〔〈“‘([{")


@dataclass(frozen=True, slots=True)
class Text:
    """One line of text: x at its left edge, y its baseline, in points from the page's top-left."""

    x: float
    y: float
    role: str  # fang | song | hei | kai (fonts.FontSet)
    size: float
    text: str


@dataclass(frozen=True, slots=True)
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.5


@dataclass
class Page:
    texts: list[Text] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)


@dataclass(frozen=True)
class PageSpec:
    """Paper and orientation; the table is always fitted to the page's width."""

    paper: str = "A4"
    landscape: bool = True

    @property
    def size_mm(self) -> tuple[float, float]:
        w, h = PAPERS.get(self.paper, PAPERS["A4"])
        return (h, w) if self.landscape else (w, h)

    @property
    def size(self) -> tuple[float, float]:
        w, h = self.size_mm
        return w * MM, h * MM

    @property
    def margins(self) -> tuple[float, float, float, float]:
        m = LANDSCAPE_MARGINS if self.landscape else PORTRAIT_MARGINS
        return tuple(v * MM for v in m)  # type: ignore[return-value]


@dataclass
class ReportLayout:
    spec: PageSpec
    fonts: FontSet
    pages: list[Page]
    title: str
    author: str

    @property
    def size(self) -> tuple[float, float]:
        return self.spec.size

    def text(self) -> str:
        """All the text, page by page (for tests and checks)."""
        return "\n".join(t.text for p in self.pages for t in p.texts)


class Metrics:
    """Advance widths of one font face (from the TrueType file itself)."""

    def __init__(self, font: FontFile) -> None:
        tt = ttfont(font)
        self.widths: dict[int, float] = tt.face.charWidths
        self.default = float(tt.face.defaultWidth)
        self.ascent = tt.face.ascent / 1000
        self.descent = -tt.face.descent / 1000
        self._cache: dict[str, float] = {}

    def char(self, ch: str) -> float:
        """Width of one character at 1 pt."""
        w = self._cache.get(ch)
        if w is None:
            w = self.widths.get(ord(ch), self.default) / 1000
            self._cache[ch] = w
        return w

    def width(self, text: str, size: float) -> float:
        char = self.char
        return sum(char(c) for c in text) * size

    def wrap(self, text: str, width: float, size: float) -> list[str]:
        """Lines of at most `width` points: breaks anywhere between CJK characters, not inside a Latin word
        or number where it can be avoided, never before a closing punctuation mark or after an opening one."""
        limit = width / size  # in units of 1 pt characters
        char = self.char
        out: list[str] = []
        for para in text.split("\n"):
            if not para:
                out.append("")
                continue
            start = 0
            x = 0.0
            i = 0
            n = len(para)
            while i < n:
                w = char(para[i])
                if x + w <= limit or i == start:
                    x += w
                    i += 1
                    continue
                brk = i
                # kinsoku and Latin words: move the break back a little where that helps
                back = brk
                while back > start + 1 and (
                    para[back] in _NO_START
                    or para[back - 1] in _NO_END
                    or (_latin(para[back]) and _latin(para[back - 1]))
                ):
                    back -= 1
                    if brk - back > 12:
                        back = brk
                        break
                if back > start + (brk - start) // 2:  # not at the cost of a half-empty line
                    brk = back
                out.append(para[start:brk])
                start = brk
                while start < n and para[start] == " ":
                    start += 1
                i = start
                x = 0.0
            out.append(para[start:])
        return out


def _latin(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "-_./:@")


def ttfont(font: FontFile):  # noqa: ANN201 - reportlab TTFont
    """The face registered with reportlab under a stable name (each file read once per process)."""
    return _ttfont(font.path, font.index, font.key)


@functools.cache
def _ttfont(path, index: int, key: str):  # noqa: ANN001, ANN202
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = "Ledger-" + "".join(c if c.isalnum() else "-" for c in key)
    registered = pdfmetrics.getRegisteredFontNames()
    if name in registered:
        return pdfmetrics.getFont(name)
    tt = TTFont(name, str(path), subfontIndex=index)
    pdfmetrics.registerFont(tt)
    return tt


def _metrics(font: FontFile) -> Metrics:
    return _metrics_of(font.path, font.index, font.key)


@functools.cache
def _metrics_of(path, index: int, key: str) -> Metrics:  # noqa: ANN001
    return Metrics(FontFile(path, index, key, ""))


# ---------------------------------------------------------------------------------------------- cells


@dataclass
class Cell:
    text: str
    lines: list[str]
    role: str
    size: float
    align: str  # "c" or "l"

    @property
    def line_h(self) -> float:
        return self.size * CELL_LEADING

    @property
    def height(self) -> float:
        return len(self.lines) * self.line_h + 2 * PAD_Y


@dataclass
class Slot:
    """A cell of a row spanning grid columns [c0, c1)."""

    c0: int
    c1: int
    cell: Cell | None  # None: covered by a run (a merged cell drawn over several rows)


@dataclass
class Run:
    """A merged cell over rows [r0, r1] of a section in one grid column."""

    col: int
    r0: int
    r1: int
    cell: Cell
    continued_text: str | None  # the text a continuation on the next page shows (number + 续)


@dataclass
class Row:
    slots: list[Slot]
    height: float
    runs: list[Run] = field(default_factory=list)  # runs covering this row


@dataclass
class Piece:
    """A row, or a part of one broken over pages: per slot the range of lines shown."""

    row: int
    lines: dict[int, tuple[int, int]] | None  # slot index -> (from, to); None: the whole row
    height: float
    split: bool = False


class _Builder:
    def __init__(
        self,
        ledger: Ledger,
        cols: list[ColumnSpec],
        options: ReportOptions,
        spec: PageSpec,
        fonts: FontSet,
    ) -> None:
        self.ledger = ledger
        self.cols = cols
        self.options = options
        self.spec = spec
        self.fonts = fonts
        self.m = {role: _metrics(fonts[role]) for role in ("fang", "song", "hei", "kai")}
        self.page_w, self.page_h = spec.size
        top, right, bottom, left = spec.margins
        self.left, self.top = left, top
        self.right = self.page_w - right
        self.bottom = self.page_h - bottom
        self.type_w = self.right - self.left
        self.pages: list[Page] = []
        self.page = Page()
        self.y = self.top
        fields = [c.field for c in cols]
        self.fields = fields
        self.item_at = fields.index("item") if "item" in fields else -1
        self.can_join = self.item_at >= 0 and self.item_at + 1 < len(fields) and fields[self.item_at + 1] == "content"

    # -- measuring
    def text_cell(self, text: str, c0: int, c1: int, role: str, size: float, align: str) -> Cell:
        width = self.xs[c1] - self.xs[c0] - 2 * PAD_X
        return Cell(text, self.m[role].wrap(text, width, size), role, size, align)

    # -- the table of a section
    def header_row(self) -> Row:
        slots: list[Slot] = []
        i = 0
        n = len(self.cols)
        while i < n:
            j = i
            while j + 1 < n and self.cols[j + 1].header == self.cols[i].header:
                j += 1  # 主要内容 over item + content: one header cell
            slots.append(Slot(i, j + 1, self.text_cell(self.cols[i].header, i, j + 1, "hei", HEADER_PT, "c")))
            i = j + 1
        return Row(slots, max(s.cell.height for s in slots if s.cell))

    def section_rows(self, tasks: list[Task]) -> list[Row]:
        merges = section_merges(tasks)
        o = self.options
        rows: list[Row] = []
        open_runs: dict[int, Run] = {}
        for ri, task in enumerate(tasks):
            join = self.can_join and not (task.item or "").strip()
            slots: list[Slot] = []
            ci = 0
            while ci < len(self.cols):
                col = self.cols[ci]
                f = col.field
                align = "c" if f in CENTERED else "l"
                if join and ci == self.item_at:
                    text = cell_text(task, self.cols[ci + 1], o)
                    slots.append(Slot(ci, ci + 2, self.text_cell(text, ci, ci + 2, "fang", BODY_PT, "l")))
                    ci += 2
                    continue
                if f in MERGEABLE and not (join and f == "item"):
                    if merges.is_start(f, ri):
                        text = cell_text(task, col, o)
                        run = Run(ci, ri, ri, self.text_cell(text, ci, ci + 1, "fang", BODY_PT, align), None)
                        if f == "number" or (f == "key_work" and "number" not in self.fields):
                            label = text or cell_text(task, ColumnSpec("number", ""), o)
                            run.continued_text = f"{label}\n{CONTINUED}" if label else None
                        open_runs[ci] = run
                        slots.append(Slot(ci, ci + 1, None))
                        ci += 1
                        continue
                    if merges.is_continued(f, ri) and ci in open_runs:
                        open_runs[ci].r1 = ri
                        slots.append(Slot(ci, ci + 1, None))
                        ci += 1
                        continue
                text = cell_text(task, col, o)
                slots.append(Slot(ci, ci + 1, self.text_cell(text, ci, ci + 1, "fang", BODY_PT, align)))
                ci += 1
            height = max((s.cell.height for s in slots if s.cell), default=BODY_PT * CELL_LEADING + 2 * PAD_Y)
            rows.append(Row(slots, height))
            for col_i, run in list(open_runs.items()):
                ends = ri + 1 >= len(tasks) or not merges.is_continued(self.fields[col_i], ri + 1)
                if ends:
                    del open_runs[col_i]
                    for r in range(run.r0, run.r1 + 1):
                        rows[r].runs.append(run)
                    short = run.cell.height - sum(rows[r].height for r in range(run.r0, run.r1 + 1))
                    if short > 0:
                        rows[run.r1].height += short
        return rows

    # -- pages
    def new_page(self) -> None:
        self.pages.append(self.page)
        self.page = Page()
        self.y = self.top

    def finish(self) -> list[Page]:
        self.pages.append(self.page)
        for i, page in enumerate(self.pages, start=1):
            label = f"— {i} —"
            w = self.m["song"].width(label, PAGE_NO_PT)
            x = self.right - w - PAGE_NO_PT if i % 2 else self.left + PAGE_NO_PT  # outside: odd right, even left
            page.texts.append(Text(x, self.bottom + 7 * MM + PAGE_NO_PT * self.m["song"].ascent, "song", PAGE_NO_PT, label))
        return self.pages

    def line(self, text: str, role: str, size: float, align: str = "l", gap_after: float = 0.0) -> None:
        """Paragraph lines across the type area."""
        m = self.m[role]
        for part in m.wrap(text, self.type_w, size):
            h = size * LEADING
            if self.y + h > self.bottom and self.y > self.top:
                self.new_page()
            w = m.width(part, size)
            x = self.left + (self.type_w - w) / 2 if align == "c" else (self.right - w if align == "r" else self.left)
            self.page.texts.append(Text(x, self.y + _baseline(m, size), role, size, part))
            self.y += h
        self.y += gap_after

    def draw_cell(self, cell: Cell, x0: float, x1: float, y0: float, y1: float, lines: tuple[int, int] | None, top: bool) -> None:
        shown = cell.lines if lines is None else cell.lines[lines[0] : lines[1]]
        lh = cell.line_h
        room = int(max(0.0, (y1 - y0 - 2 * PAD_Y + 0.01)) // lh)
        if len(shown) > room:
            shown = shown[:room]
        if not shown:
            return
        m = self.m[cell.role]
        block = len(shown) * lh
        ty = y0 + PAD_Y if top else y0 + (y1 - y0 - block) / 2
        for k, text in enumerate(shown):
            if not text:
                continue
            if cell.align == "c":
                x = x0 + (x1 - x0 - m.width(text, cell.size)) / 2
            else:
                x = x0 + PAD_X
            self.page.texts.append(Text(x, ty + k * lh + _baseline(m, cell.size, CELL_LEADING), cell.role, cell.size, text))

    def draw_header(self, header: Row) -> None:
        y0, y1 = self.y, self.y + header.height
        rules = self.page.rules
        rules.append(Rule(self.left, y0, self.right, y0))
        for slot in header.slots:
            assert slot.cell is not None
            self.draw_cell(slot.cell, self.xs[slot.c0], self.xs[slot.c1], y0, y1, None, False)
            if slot.c0 > 0:
                rules.append(Rule(self.xs[slot.c0], y0, self.xs[slot.c0], y1))
        self.y = y1

    def draw_part(self, rows: list[Row], placed: list[tuple[Piece, float]], header_top: float) -> None:
        """The rows of one table on one page: cells, merged cells, and the rules between them."""
        if not placed:
            return
        xs = self.xs
        n = len(self.cols)
        rules = self.page.rules
        y_end = placed[-1][0].height + placed[-1][1]
        rules.append(Rule(self.left, header_top, self.left, y_end))
        rules.append(Rule(self.right, header_top, self.right, y_end))
        rules.append(Rule(self.left, placed[0][1], self.right, placed[0][1]))  # under the header
        seen_runs: set[int] = set()
        inner: dict[int, list[list[float]]] = {b: [] for b in range(1, n)}
        for k, (piece, y0) in enumerate(placed):
            row = rows[piece.row]
            y1 = y0 + piece.height
            nxt = placed[k + 1][0].row if k + 1 < len(placed) else None
            tail = self._continues(piece)
            for si, slot in enumerate(row.slots):
                if slot.cell is None:
                    continue
                span = None if piece.lines is None else piece.lines.get(si, (0, 0))
                field_name = self.fields[slot.c0]
                if tail and field_name in ("number", "key_work") and slot.cell.text:
                    # the rest of a broken row carries its number and key work again
                    text = slot.cell.text + (f"\n{CONTINUED}" if field_name == "number" else "")
                    cell = self.text_cell(text, slot.c0, slot.c1, slot.cell.role, slot.cell.size, slot.cell.align)
                    self.draw_cell(cell, xs[slot.c0], xs[slot.c1], y0, y1, None, True)
                    continue
                self.draw_cell(slot.cell, xs[slot.c0], xs[slot.c1], y0, y1, span, piece.split)
            # bottom rules: not through a merged cell that goes on below on this page
            run_cols = {run.col: run for run in row.runs}
            segs: list[tuple[float, float]] = []
            for c in range(n):
                run = run_cols.get(c)
                if run is not None and nxt is not None and run.r0 <= nxt <= run.r1:
                    continue
                if segs and abs(segs[-1][1] - xs[c]) < 0.01:
                    segs[-1] = (segs[-1][0], xs[c + 1])
                else:
                    segs.append((xs[c], xs[c + 1]))
            for a, b in segs:
                rules.append(Rule(a, y1, b, y1))
            bounds = {s.c0 for s in row.slots if s.c0 > 0}
            for b in range(1, n):
                if b in bounds:
                    lst = inner[b]
                    if lst and abs(lst[-1][1] - y0) < 0.01:
                        lst[-1][1] = y1
                    else:
                        lst.append([y0, y1])
            # merged cells: drawn once per page over the rows they cover here
            for run in row.runs:
                if id(run) in seen_runs:
                    continue
                seen_runs.add(id(run))
                covered = [(p, yy) for p, yy in placed if run.r0 <= p.row <= run.r1]
                ry0 = covered[0][1]
                ry1 = covered[-1][1] + covered[-1][0].height
                cell = run.cell
                if covered[0][0].row > run.r0 or self._continues(covered[0][0]):
                    if run.continued_text is not None:
                        cell = self.text_cell(run.continued_text, run.col, run.col + 1, cell.role, cell.size, cell.align)
                self.draw_cell(cell, xs[run.col], xs[run.col + 1], ry0, ry1, None, False)
        for b, segments in inner.items():
            for a, z in segments:
                rules.append(Rule(xs[b], a, xs[b], z))

    @staticmethod
    def _continues(piece: Piece) -> bool:
        """A piece that is the tail of a broken row (its lines do not start at the first one)."""
        return piece.lines is not None and any(a > 0 for a, _ in piece.lines.values())

    def split_piece(self, row: Row, piece: Piece, room: float) -> tuple[Piece, Piece] | None:
        """The part of a row's lines that fits in `room`, and the rest; None when not even one line fits."""
        head: dict[int, tuple[int, int]] = {}
        tail: dict[int, tuple[int, int]] = {}
        head_h = tail_h = 0.0
        any_left = False
        for si, slot in enumerate(row.slots):
            if slot.cell is None:
                continue
            a, b = (0, len(slot.cell.lines)) if piece.lines is None else piece.lines.get(si, (0, 0))
            lh = slot.cell.line_h
            fit = int(max(0.0, room - 2 * PAD_Y + 0.01) // lh)
            cut = min(b, a + fit)
            head[si] = (a, cut)
            tail[si] = (cut, b)
            head_h = max(head_h, (cut - a) * lh + 2 * PAD_Y)
            tail_h = max(tail_h, (b - cut) * lh + 2 * PAD_Y)
            any_left = any_left or cut < b
            if fit < 1 and b > a:
                return None
        if not any_left:
            return None
        return (
            Piece(piece.row, head, min(room, max(head_h, room)), True),
            Piece(piece.row, tail, tail_h, True),
        )

    def place_section(self, heading: str | None, rows: list[Row], header: Row, reserve_last: float) -> None:
        """Places one section's table on as many pages as it needs."""
        room_full = self.bottom - self.top - header.height
        heading_h = SECTION_PT * LEADING + 4 if heading else 0.0
        first = min(rows[0].height, BODY_PT * CELL_LEADING * MIN_SPLIT_LINES + 2 * PAD_Y) if rows else 0.0
        if self.y > self.top and self.y + heading_h + header.height + first > self.bottom:
            self.new_page()
        if heading:
            self.line(heading, "hei", SECTION_PT, gap_after=4)
        header_top = self.y
        self.draw_header(header)
        placed: list[tuple[Piece, float]] = []

        def page_break() -> None:
            nonlocal header_top, placed
            self.draw_part(rows, placed, header_top)
            self.new_page()
            placed = []
            header_top = self.y
            self.draw_header(header)

        groups = _groups(rows)
        last_row = len(rows) - 1
        for g0, g1 in groups:
            g_h = sum(rows[r].height for r in range(g0, g1 + 1))
            extra = reserve_last if g1 == last_row else 0.0
            if self.y + g_h + extra > self.bottom and placed and g_h + extra <= room_full:
                page_break()
            for r in range(g0, g1 + 1):
                row = rows[r]
                need = reserve_last if r == last_row else 0.0
                piece = Piece(r, None, row.height)
                while True:
                    room = self.bottom - self.y
                    if piece.height + need <= room:
                        placed.append((piece, self.y))
                        self.y += piece.height
                        break
                    long_row = piece.height > room_full * LONG_ROW or piece.height + need > room_full
                    parts = None
                    if long_row and room >= BODY_PT * CELL_LEADING * MIN_SPLIT_LINES + 2 * PAD_Y:
                        parts = self.split_piece(row, piece, room)
                    if parts is None:
                        if not placed:  # a fresh page and it still does not fit: break it here
                            parts = self.split_piece(row, piece, room)
                            if parts is None:
                                placed.append((piece, self.y))
                                self.y += min(piece.height, room)
                                break
                        else:
                            page_break()
                            continue
                    head, piece = parts
                    placed.append((head, self.y))
                    self.y += head.height
                    page_break()
        self.draw_part(rows, placed, header_top)

    def sign_block(self) -> None:
        """As in the Word report: 填报人（签字） with 联系电话 on one line, 审核人（签字） with 单位负责人（签字） on
        the next (each a blank line to sign on, the printed name apart), the second of each pair at the
        middle of the type area where Word's tab puts it; then 填报单位（盖章） and the date, right."""
        o = self.options
        unit = o.unit or self.ledger.owner_unit or ""
        day = clock.chinese_date(o.made_on)  # the day the report is made
        fang = self.m["fang"]
        self.y += SIGN_BEFORE
        h = SIGN_LINE
        base = _baseline(fang, SIGN_PT) + (SIGN_LINE - SIGN_PT * LEADING) / 2

        def named(name: str) -> str:
            return f"（姓名：{name}）" if name.strip() else ""

        if not o.public:
            lines: list[list[tuple[str, float, str]]] = [  # text, blank line after it (em), name apart
                [("填报人（签字）：", SIGN_BLANK, named(o.filler)), ("联系电话：", 0 if o.phone else 6, o.phone)],
                [
                    ("审核人（签字）：", SIGN_BLANK, named(o.reviewer)),
                    ("单位负责人（签字）：", SIGN_BLANK, named(o.head_of_unit)),
                ],
            ]
            for parts in lines:
                x = self.left
                for k, (label, blank, value) in enumerate(parts):
                    if k:  # the second of the pair at the middle (further right when the first is long)
                        x = max(x + SIGN_PT * 2, self.left + self.type_w / 2)
                    need = fang.width(label + value, SIGN_PT) + blank * SIGN_PT + (SIGN_PT * 0.5 if blank else 0)
                    x = min(x, max(self.left, self.right - need))
                    self.page.texts.append(Text(x, self.y + base, "fang", SIGN_PT, label))
                    x += fang.width(label, SIGN_PT)
                    if blank:
                        x1 = x + blank * SIGN_PT
                        under = self.y + base + SIGN_PT * 0.25
                        self.page.rules.append(Rule(x, under, x1, under))
                        x = x1 + SIGN_PT * 0.5
                    if value:
                        self.page.texts.append(Text(x, self.y + base, "fang", SIGN_PT, value))
                        x += fang.width(value, SIGN_PT)
                self.y += h
        for text in (f"填报单位（盖章）：{unit}", day):  # right, 2 em in from the edge
            x = max(self.left, self.right - SIGN_PT * 2 - fang.width(text, SIGN_PT))
            self.page.texts.append(Text(x, self.y + base, "fang", SIGN_PT, text))
            self.y += h

    def sign_height(self) -> float:
        return SIGN_BEFORE + SIGN_LINE * (2 if self.options.public else 4)


def _baseline(m: Metrics, size: float, leading: float = LEADING) -> float:
    """Distance from the top of a line box to its baseline (the glyphs centred in the leading)."""
    glyph = (m.ascent + m.descent) * size
    return (size * leading - glyph) / 2 + m.ascent * size


def _groups(rows: list[Row]) -> list[tuple[int, int]]:
    """Rows held together by merged cells, as (first, last)."""
    out: list[tuple[int, int]] = []
    r = 0
    n = len(rows)
    while r < n:
        end = r
        k = r
        while k <= end:
            for run in rows[k].runs:
                end = max(end, run.r1)
            k += 1
        out.append((r, end))
        r = end + 1
    return out


def _word_widths(
    cols: list[ColumnSpec], sections: list[tuple[str | None, list[Task]]], options: ReportOptions, width: float
) -> list[float]:
    """The Word report's column widths (common.column_widths: measured text, 1 em at a time to the column
    where it saves the most lines), for this type area and these cell margins."""
    rows: list[list[str]] = []
    groups: list[tuple[int, int]] = []
    for _h, ts in sections:
        at = len(rows)
        rows.extend([cell_text(t, c, options) for c in cols] for t in ts)
        groups.extend((at + a, at + z) for a, z in row_groups(ts, section_merges(ts)))
    g = PageGeometry(0, 0, 0, 0, 0, 0, font=BODY_PT, line=BODY_PT * CELL_LEADING, header_font=HEADER_PT,
                     cell_pad_x=PAD_X, cell_pad_y=PAD_Y)
    return column_widths(cols, rows, groups, width, g)


def layout_report(
    ledger: Ledger,
    options: ReportOptions | None = None,
    columns: Sequence[ColumnSpec] | None = None,
    tasks: Sequence[Task] | None = None,
    spec: PageSpec | None = None,
    fonts: FontSet | None = None,
) -> ReportLayout:
    """The report on pages: the whole ledger by section, or `tasks` (a filter or a selection, in their
    order) as one table; `columns` chosen, else the report's columns. The public edition when options.public."""
    options = options or ReportOptions()
    spec = spec or PageSpec()
    fonts = fonts or find_fonts()
    ledger, options = public_edition(ledger, options)
    cols = list(columns) if columns else report_columns(ledger, options)
    if options.public:
        cols = [c for c in cols if c.field != "remarks" and not c.field.startswith("extra:")]
    b = _Builder(ledger, cols, options, spec, fonts)
    if tasks is None:
        with_titles = has_section_titles(ledger)
        sections = [((s.title or "").strip() if with_titles else None, list(s.tasks)) for s in ledger.sections]
    else:
        if options.public:  # the masked copies of the tasks asked for
            by_id = {t.id: t for t in ledger.all_tasks()}
            tasks = [by_id.get(t.id, t) for t in tasks]
        sections = [(None, list(tasks))]
    sections = [(h, ts) for h, ts in sections if ts] or [(None, [])]
    b.xs = [b.left]
    for w in _word_widths(cols, sections, options, b.type_w):
        b.xs.append(b.xs[-1] + w)
    b.xs[-1] = b.right

    title = options.title or ledger.title or "任务落实台账"
    b.line(title, "song", TITLE_PT, "c", gap_after=2)
    year = f"{ledger.year}年度　" if ledger.year else ""
    as_of = "，".join(filter(None, [clock.chinese_date(options.as_of), visible_round(ledger, options)]))
    b.line(f"（{year}截至{as_of}）", "kai", SUBTITLE_PT, "c", gap_after=6)
    unit = options.unit or ledger.owner_unit or ""
    day = clock.chinese_date(options.made_on)  # 填报时间: the day it is made (截至 above: as_of)
    info = f"填报单位：{unit}　　填报时间：{day}"  # as the Word report: the persons are in the block to sign
    b.line(info, "fang", INFO_PT, gap_after=6)

    header = b.header_row()
    reserve = b.sign_height()
    for k, (heading, ts) in enumerate(sections):
        rows = b.section_rows(ts)
        last = k == len(sections) - 1
        if not rows:
            continue
        b.place_section(heading or None, rows, header, reserve if last else 0.0)
    if b.y + b.sign_height() > b.bottom + 0.01:
        b.new_page()
    b.sign_block()
    return ReportLayout(spec, fonts, b.finish(), title, unit)
