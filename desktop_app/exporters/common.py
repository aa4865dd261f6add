"""What every report shares: its options, the columns it shows and the text of each cell."""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from datetime import date

from desktop_app.domain import clock
from desktop_app.domain.derive import is_internal_column
from desktop_app.domain.model import Attachment, ColumnSpec, Ledger, ProgressEntry, Section, Task
from desktop_app.domain.status import StatusInfo, StatusRules, compute_status

DEFAULT_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("number", "序号"),
    ColumnSpec("key_work", "重点工作"),
    ColumnSpec("content", "主要内容"),
    ColumnSpec("indicator", "量化指标"),
    ColumnSpec("units", "责任单位"),
    ColumnSpec("deadline", "完成时限"),
    ColumnSpec("progress", "进展落实情况"),
)

# Relative widths of the columns on paper (the content and progress columns get the room).
COLUMN_WEIGHTS: dict[str, float] = {
    "number": 0.8,
    "key_work": 2.0,
    "item": 2.0,
    "content": 5.0,
    "indicator": 3.2,
    "units": 2.6,
    "cooperating_units": 2.2,
    "deadline": 1.5,
    "progress": 5.0,
    "remarks": 1.8,
    "status": 1.4,
}

# Fields the public edition leaves out: internal notes.
INTERNAL_FIELDS = frozenset({"remarks"})


@dataclass
class ReportOptions:
    """How to write a report; the strings come from the settings (填报单位, 填报人 ...)."""

    as_of: date = field(default_factory=clock.today)  # 进展截至: the journal as it stood that day
    made_on: date = field(default_factory=clock.today)  # 填报时间: the day the report is made
    unit: str = ""  # 填报单位
    filler: str = ""  # 填报人
    phone: str = ""  # 联系电话
    reviewer: str = ""  # 审核人
    head_of_unit: str = ""  # 单位负责人
    public: bool = False  # 公开版: personal data masked, internal fields left out
    # public edition: finding key -> True (mask) / False (keep as is); a finding not listed is masked
    masks: dict[str, bool] | None = None
    columns: list[ColumnSpec] | None = None  # None: the ledger's own columns
    progress_by_task: dict[int, str] | None = None  # task id -> progress text as of as_of
    title: str | None = None  # None: the ledger's title
    status_rules: StatusRules = field(default_factory=StatusRules)  # the settings' 临期/即将到期 days
    # the progress history to append (Word: 附件; Excel: a second sheet): task id -> entries up to as_of;
    # None: no history in the report
    history: dict[int, list[ProgressEntry]] | None = None
    # 附件目录: the evidence (佐证材料) of each task, listed after the table: task id -> attachments (no
    # contents); None: no list in the report
    attachments: dict[int, list[Attachment]] | None = None
    # the report date of the round the user sends this for (报送轮次 chosen); None: the round by as_of
    round_due: date | None = None


def report_columns(ledger: Ledger, options: ReportOptions | None = None) -> list[ColumnSpec]:
    """The columns to print: the chosen ones, else the ledger's own, always with a progress column."""
    cols = list(options.columns) if options and options.columns else list(ledger.columns)
    if not cols:
        cols = list(DEFAULT_COLUMNS)
        if any(t.item for t in ledger.all_tasks()):
            cols.insert(2, ColumnSpec("item", "主要内容"))
    if not any(c.field == "progress" for c in cols):
        cols.append(ColumnSpec("progress", "进展落实情况"))
    if options and options.public:
        cols = [c for c in cols if c.field not in INTERNAL_FIELDS and not c.field.startswith("extra:")]
    # a unit ledger's own columns (责任科室, 责任人 …, domain.derive) never go to the city
    return [c for c in cols if not is_internal_column(c)]


def base_number(number: str) -> str:
    """ "3-2" (2nd task of item 3) -> "3"."""
    return number.split("-", 1)[0].strip() if "-" in number else number.strip()


def progress_of(task: Task, options: ReportOptions | None) -> str:
    if options and options.progress_by_task is not None and task.id is not None:
        if task.id in options.progress_by_task:
            return options.progress_by_task[task.id]
    return task.progress


def status_info(task: Task, options: ReportOptions | None = None) -> StatusInfo:
    """The task's status on the report date, by the one rule every view uses (domain.status)."""
    opts = options or ReportOptions()
    progress = progress_of(task, opts)
    if progress != task.progress:  # the progress as of the report date decides 推进中 / 未开始
        task = dataclasses.replace(task, progress=progress)
    return compute_status(task, opts.as_of, opts.status_rules)


def cell_text(task: Task, col: ColumnSpec, options: ReportOptions | None = None) -> str:
    f = col.field
    if f == "status":
        return status_info(task, options).status.label
    if f == "number":
        return base_number(task.number)
    if f == "key_work":
        return task.key_work
    if f == "item":
        return task.item or ""
    if f == "content":
        return task.content
    if f == "indicator":
        return task.indicator
    if f == "units":
        return task.units_text or "、".join(u.name for u in task.units)
    if f == "cooperating_units":
        return task.cooperating_text
    if f == "deadline":
        if task.deadline.text:
            return task.deadline.text
        return clock.chinese_date(task.deadline.due_date) if task.deadline.due_date else ""
    if f == "progress":
        return progress_of(task, options)
    if f == "remarks":
        return task.remarks
    if f.startswith("extra:"):
        key = f[len("extra:") :]
        return task.extra.get(key, task.extra.get(col.header, ""))
    return task.extra.get(col.header, "")


@dataclass
class Merges:
    """Which rows continue the cell above them (vertically merged), per column field."""

    continues: dict[str, list[bool]]

    def is_continued(self, field_name: str, row: int) -> bool:
        flags = self.continues.get(field_name)
        return bool(flags and flags[row])

    def is_start(self, field_name: str, row: int) -> bool:
        """The first row of a merge of two rows or more."""
        flags = self.continues.get(field_name)
        return bool(flags and not flags[row] and row + 1 < len(flags) and flags[row + 1])


def section_merges(tasks: list[Task]) -> Merges:
    """As the source tables do: key work merged over its rows, the item within it, "3-1","3-2" as one 3."""
    n = len(tasks)
    key = [False] * n
    item = [False] * n
    number = [False] * n
    for i in range(1, n):
        a, b = tasks[i - 1], tasks[i]
        key[i] = bool(b.key_work.strip()) and b.key_work == a.key_work
        item[i] = key[i] and bool((b.item or "").strip()) and b.item == a.item
        number[i] = "-" in b.number and base_number(b.number) == base_number(a.number) and key[i]
    return Merges({"key_work": key, "item": item, "number": number})


FORMULA_START = ("=", "+", "-", "@")


def looks_like_formula(text: str) -> bool:
    """Text a spreadsheet would take for a formula when it is typed or edited: it starts, after spaces,
    tabs or line breaks, with = + - or @. Every Excel writer keeps such text text (xlsx_writer: the
    quote-prefix style, as Excel stores a typed '=…), never a formula."""
    return text.lstrip(" \t\r\n")[:1] in FORMULA_START if text else False


def has_section_titles(ledger: Ledger) -> bool:
    return any((s.title or "").strip() for s in ledger.sections)


def with_progress(ledger: Ledger, options: ReportOptions) -> Ledger:
    """The ledger as reported: a copy whose tasks carry the progress as of the report date."""
    if not options.progress_by_task:
        return ledger
    out = copy.deepcopy(ledger)
    out.source_file = None
    for task in out.all_tasks():
        if task.id is not None and task.id in options.progress_by_task:
            task.progress = options.progress_by_task[task.id]
    return out


# ---------------------------------------------------------------------------------------------------
# The report's layout model, shared by the Word writer and the paged writers (PDF, OFD): which cells each
# row has (spans, vertical merges, continuation labels), column widths from the measured text, and an
# estimate of each row's height, from which long row groups are split into continuation groups
# ("21（续）") and rows are chained to stay on one page.

MM = 72 / 25.4  # points per millimetre
CONTINUED = "（续）"


@dataclass(frozen=True)
class PageGeometry:
    """A page and its type area in points, with the table's text metrics (exact line spacing)."""

    width: float
    height: float
    top: float
    bottom: float
    left: float
    right: float
    font: float = 10.5  # 五号: table text
    line: float = 13.0  # exact line pitch of table text
    header_font: float = 10.5
    cell_pad_x: float = 4.25  # cell margin left and right (85 twips)
    cell_pad_y: float = 1.4  # cell margin top and bottom (28 twips)

    @property
    def cell_inset(self) -> float:
        """Width of a cell not available to text: both margins, the border, rounding to twips."""
        return 2 * self.cell_pad_x + 1.0

    @property
    def body_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def body_height(self) -> float:
        return self.height - self.top - self.bottom


# GB/T 9704 type area (156 x 225 mm; top 37 mm, binding side 28 mm) turned sideways for the table pages:
# A4 landscape with the 225 mm line across, 156 mm down.
GBT9704_PORTRAIT = PageGeometry(210 * MM, 297 * MM, 37 * MM, 35 * MM, 28 * MM, 26 * MM)
GBT9704_LANDSCAPE = PageGeometry(297 * MM, 210 * MM, 28 * MM, 26 * MM, 37 * MM, 35 * MM)


def text_em(line: str) -> float:
    """Width of one line of text in em: CJK and full-width characters 1, ASCII (digits, Latin) 0.5."""
    n = len(line)
    if not n:
        return 0.0
    wide = (len(line.encode("utf-8")) - n) / 2  # UTF-8: ASCII 1 byte, CJK 3; C speed, no loop
    return wide + (n - wide) * 0.5


# Characters a line may not start with (GB/T 15834 punctuation): Word and WPS pull them up, LibreOffice
# pushes the character before them down; counted as the latter, the safer estimate.
_NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’·…—%,.;:?!)]}")


def _line_count(line: str, usable: float) -> int:
    """Lines one paragraph takes, wrapping character by character (CJK 1 em, ASCII 0.5 em)."""
    n = len(line)
    wide = (len(line.encode("utf-8")) - n) // 2
    if wide == n and not any(c in _NO_LINE_START for c in line):  # all full width: plain arithmetic
        per = max(1, int(usable + 1e-6))
        return -(-n // per)
    lines = 1
    x = 0.0
    prev = 0.0
    for c in line:
        w = 0.5 if c < "\u1100" else 1.0
        if x + w > usable + 1e-6:
            lines += 1
            if c in _NO_LINE_START and prev and x - prev > 0:
                x = prev + w  # the character before moves down with it
            else:
                x = w
        else:
            x += w
        prev = w
    return lines


def lines_estimate(text: str, width_em: float) -> int:
    """lines_needed, roughly and fast (for trying many widths): whole em per line, no wrapping rules."""
    if not text:
        return 1
    per = max(1.0, float(int(width_em + 1e-6)))
    return sum(max(1, -int(-text_em(part) // per)) for part in text.split("\n"))


def lines_needed(text: str, width_em: float) -> int:
    """Lines a cell's text takes at width_em (em of usable width); at least 1."""
    if not text:
        return 1
    usable = max(1.0, width_em)
    return sum(_line_count(part, usable) if part else 1 for part in text.split("\n"))


@dataclass
class ReportCell:
    field: str  # the column's field; "item" for a cell spanning item + content
    text: str
    span: int = 1  # grid columns covered
    merge: str = ""  # "" | "restart" (first of a vertical merge) | "continue" (covered by the cell above)


@dataclass
class ReportRow:
    kind: str  # "task" | "section"
    cells: list[ReportCell]
    task: Task | None = None
    height: float = 0.0  # estimated, in points, without the merged cells of its group
    keep_next: bool = False  # stays on the page of the next row (a group kept together, the last rows)
    can_split: bool = False  # a tall row may break across pages; short ones never do
    continued: bool = False  # first row of a continuation group: "21（续）"
    group: int = -1  # index of its row group (merged number/key work); -1 for a section row
    page: int = 1  # the page it is estimated to fall on


@dataclass
class HeaderCell:
    text: str
    span: int = 1


@dataclass
class ReportModel:
    columns: list[ColumnSpec]
    widths: list[float]  # per grid column, points; they sum to the type area's width
    header: list[HeaderCell]
    header_height: float
    rows: list[ReportRow]
    geometry: PageGeometry
    estimated_pages: int = 1
    join_item: bool = False  # item + content: rows without an item get one cell over both
    end_y: float = 0.0  # estimated points used on the last table page (from the top of the type area)


# Fields merged vertically over a group's rows, as the city's form does.
MERGED_FIELDS = ("number", "key_work", "item")
# Columns whose text is short and centred; they get no more room than their longest text needs.
NARROW_FIELDS = frozenset({"number", "deadline", "status"})
_MIN_EM = {
    "number": 2.0,
    "key_work": 4.0,
    "item": 4.0,
    "deadline": 3.0,
    "status": 3.0,
    "progress": 6.0,
    "content": 6.0,
}


def _task_cells(
    task: Task, cols: list[ColumnSpec], options: ReportOptions | None, join_item: bool
) -> list[str]:
    return [cell_text(task, c, options) for c in cols]


def _groups(tasks: list[Task], m: Merges) -> list[tuple[int, int]]:
    """(start, end) row ranges of the section's row groups: rows that share a merged number/key work."""
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(tasks) + 1):
        if i == len(tasks) or not (m.is_continued("key_work", i) or m.is_continued("number", i)):
            out.append((start, i))
            start = i
    return out


row_groups = _groups  # for the writers outside this module (xlsx_export's measured widths)


def _cell_width_em(width_pt: float, g: PageGeometry) -> float:
    return (width_pt - g.cell_inset) / g.font


def column_widths(
    cols: list[ColumnSpec],
    rows: list[list[str]],
    groups: list[tuple[int, int]],
    total_pt: float,
    g: PageGeometry,
) -> list[float]:
    """Widths (points) that make the table short: each column starts at the room its header and its
    short texts need, then 1 em at a time goes to the column where it saves the most lines (CJK counts
    full width, ASCII half). `groups`: row ranges whose number/key work is one merged cell (its text
    counts once, against the group's height)."""
    n = len(cols)
    pad_em = g.cell_inset / g.font
    total_em = total_pt / g.font
    group_cols = {ci for ci, c in enumerate(cols) if c.field in ("number", "key_work")}
    mins: list[float] = []
    for ci, c in enumerate(cols):
        header = text_em(c.header)
        lo = max(_MIN_EM.get(c.field, 3.0), min(header, max(2.0, header / 3)))
        if c.field in NARROW_FIELDS:
            longest = max((text_em(r[ci].split("\n")[0]) for r in rows if r[ci]), default=0.0)
            lo = max(lo, min(longest, 6.0))
        mins.append(lo + pad_em)
    if sum(mins) >= total_em:
        return [total_pt * m / sum(mins) for m in mins]
    widths = list(mins)
    n_rows, n_groups = len(rows), len(groups)
    group_of = [0] * n_rows
    for gi, (a, b) in enumerate(groups):
        for ri in range(a, b):
            group_of[ri] = gi
    # the cells that count: a group's merged cells once (first row), the other cells of every row
    texts: list[list[str]] = []
    for ci in range(n):
        if ci in group_cols:
            texts.append([rows[a][ci] for a, _ in groups])
        else:
            texts.append([r[ci] for r in rows])
    cache: dict[tuple[int, int], list[int]] = {}

    def col_lines(ci: int, w: float) -> list[int]:
        key = (ci, int(round((w - pad_em) * 2)))
        if key not in cache:
            usable = w - pad_em
            cache[key] = [lines_estimate(t, usable) if t else 1 for t in texts[ci]]
        return cache[key]

    current = [col_lines(ci, widths[ci]) for ci in range(n)]

    row_cols = [ci for ci in range(n) if ci not in group_cols]
    grp_cols = [ci for ci in range(n) if ci in group_cols]

    def maxima(cols_in: list[int], size: int) -> tuple[list[int], list[int], list[int]]:
        """Per row (or group): the largest line count, its column, and the second largest."""
        best, at, second = [1] * size, [-1] * size, [1] * size
        for cj in cols_in:
            for i, k in enumerate(current[cj]):
                if k > best[i]:
                    best[i], at[i], second[i] = k, cj, best[i]
                elif k > second[i]:
                    second[i] = k
        return best, at, second

    def score(ci: int, trial: list[int], m_rows, m_groups) -> float:  # noqa: ANN001
        """Lines of the table with column ci at the trial lines (the others as they are)."""
        best, at, second = m_groups if ci in group_cols else m_rows
        other = [s2 if a2 == ci else b2 for b2, a2, s2 in zip(best, at, second, strict=True)]
        mine = [max(x, y) for x, y in zip(other, trial, strict=True)]
        if ci in group_cols:
            row_h, group_h = m_rows[0], mine
        else:
            row_h, group_h = mine, m_groups[0]
        sums = [0] * n_groups
        for ri, h in enumerate(row_h):
            sums[group_of[ri]] += h
        cells = cells_now - sum(current[ci]) + sum(trial)  # fewer lines in all cells breaks ties
        return sum(max(x, y) for x, y in zip(sums, group_h, strict=True)) + 0.001 * cells

    spare = total_em - sum(widths)
    cells_now = sum(sum(per) for per in current)
    m_rows, m_groups = maxima(row_cols, n_rows), maxima(grp_cols, n_groups)
    now = score(0, current[0], m_rows, m_groups)
    while spare >= 1.0:
        best_step: tuple[float, int, float] | None = None  # (lines saved per em, column, em added)
        for ci, c in enumerate(cols):
            for add in (1.0, 2.0, 4.0, 8.0):
                if add > spare or (c.field in NARROW_FIELDS and widths[ci] + add - pad_em > 8):
                    break
                gain = (now - score(ci, col_lines(ci, widths[ci] + add), m_rows, m_groups)) / add
                if gain > 1e-9 and (best_step is None or gain > best_step[0]):
                    best_step = (gain, ci, add)
        if best_step is None:
            break  # no line to save any more
        _, ci, add = best_step
        widths[ci] += add
        current[ci] = col_lines(ci, widths[ci])
        cells_now = sum(sum(per) for per in current)
        m_rows, m_groups = maxima(row_cols, n_rows), maxima(grp_cols, n_groups)
        now = score(ci, current[ci], m_rows, m_groups)
        spare -= add
    # what is left: room to write by hand in the progress column, else shared by the wide columns
    fields = [c.field for c in cols]
    if "progress" in fields:
        widths[fields.index("progress")] += spare
    else:
        wide = [ci for ci, c in enumerate(cols) if c.field not in NARROW_FIELDS] or list(range(n))
        share = sum(widths[ci] for ci in wide)
        for ci in wide:
            widths[ci] += spare * widths[ci] / share
    return [w * g.font for w in widths]


def _sampled(groups: list[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    if len(groups) <= limit:
        return groups
    step = len(groups) / limit
    return [groups[int(i * step)] for i in range(limit)]


# A group taller than this share of a page's table room is split into continuation groups; a chunk
# planned to fill a page's rest takes this share of it (the estimate is not the renderer).
KEEP_SHARE = 0.98
# Lines of room kept free when deciding what fits: the estimate is off by a line now and then.
SAFETY = 0.5
# A group kept whole moves to the next page; but one taller than half a page that would leave more than a
# third of a page empty is continued instead (fewer pages, and still no page starting with blank cells).
BIG_GROUP, BIG_HOLE = 0.5, 0.33


def build_report_model(
    ledger: Ledger,
    options: ReportOptions | None = None,
    geometry: PageGeometry = GBT9704_LANDSCAPE,
    first_page_used: float = 0.0,
    tail_height: float = 0.0,
    sample: int = 80,
) -> ReportModel:
    """The table of the report, row by row, laid out for `geometry`.

    `first_page_used`: points the title block takes on page 1; `tail_height`: the block that must stay
    with the last rows (the seal/signature block). Row groups (merged number/key work) that fit on a page
    are chained to stay together; a taller group is split where the pages are estimated to break, and
    each further part starts again with the number and key work ("21（续）")."""
    g = geometry
    cols = report_columns(ledger, options)
    fields = [c.field for c in cols]
    item_at = fields.index("item") if "item" in fields else -1
    can_join = item_at >= 0 and item_at + 1 < len(fields) and fields[item_at + 1] == "content"
    with_sections = has_section_titles(ledger)

    sections: list[tuple[Section, list[list[str]], Merges, list[tuple[int, int]]]] = []
    flat_rows: list[list[str]] = []
    flat_groups: list[tuple[int, int]] = []
    for section in ledger.sections:
        tasks = section.tasks
        m = section_merges(tasks)
        texts = [[cell_text(t, c, options) for c in cols] for t in tasks]
        groups = _groups(tasks, m)
        sections.append((section, texts, m, groups))
        for a, b in _sampled(groups, max(4, sample // max(1, len(ledger.sections)))):
            at = len(flat_rows)
            flat_rows.extend(texts[a:b])
            flat_groups.append((at, at + b - a))
    widths = column_widths(cols, flat_rows, flat_groups, g.body_width, g)
    usable = [_cell_width_em(w, g) for w in widths]
    pad = 2 * g.cell_pad_y + 0.5

    def lines_pt(k: int) -> float:
        return k * g.line + pad

    header: list[HeaderCell] = []
    header_lines = 1
    i = 0
    while i < len(cols):
        j = i
        while j + 1 < len(cols) and cols[j + 1].header == cols[i].header:
            j += 1  # the same header over several columns (主要内容 over item + content): one cell
        w = _cell_width_em(sum(widths[i : j + 1]), g)
        text = cols[i].header
        k = lines_needed(text, w)
        if k > 1 and "\n" not in text:  # 重点\n工作, not 重点工\n作: a header wraps into even lines
            per = -(-len(text) // k)
            text = "\n".join(text[x : x + per] for x in range(0, len(text), per))
        header.append(HeaderCell(text, j - i + 1))
        header_lines = max(header_lines, lines_needed(text, w))
        i = j + 1
    header_height = lines_pt(header_lines)
    cap = g.body_height - header_height  # table room on a page below the repeated header

    rows: list[ReportRow] = []
    page = 1
    y = first_page_used + header_height
    group_no = 0

    def new_page() -> None:
        nonlocal page, y
        page += 1
        y = header_height

    last_section = max((k for k, s in enumerate(sections) if s[1]), default=-1)
    for si, (section, texts, m, groups) in enumerate(sections):
        tasks = section.tasks
        lay = _SectionLines(tasks, texts, m, fields, usable, item_at, can_join, g)

        def chunk_height(a: int, b: int, lay: _SectionLines = lay) -> float:
            return lay.height(a, b) * g.line + pad * (b - a)

        if with_sections and (section.title or "").strip():
            h = lines_pt(1) + 2
            first_h = chunk_height(groups[0][0], groups[0][0] + 1) if groups else 0.0
            if y + h + first_h > g.body_height:
                new_page()
            rows.append(ReportRow("section", [ReportCell("section", section.title.strip(), len(cols))]))
            rows[-1].height, rows[-1].keep_next, rows[-1].page = h, True, page
            y += h
        for gi, (a, b) in enumerate(groups):
            last = si == last_section and gi == len(groups) - 1
            tail = tail_height if last else 0.0
            chunks: list[tuple[tuple[int, int], int]] = []
            whole = chunk_height(a, b)
            room_left = g.body_height - y - SAFETY * g.line
            if whole + tail <= room_left:
                chunks.append(((a, b), page))
                y += whole
            elif whole + tail <= cap * KEEP_SHARE and not (
                whole > cap * BIG_GROUP and room_left > cap * BIG_HOLE and b - a > 1
            ):
                new_page()
                chunks.append(((a, b), page))
                y += whole
            else:
                r = a
                while r < b:
                    room = g.body_height - y - SAFETY * g.line
                    k = r
                    while k < b and chunk_height(r, k + 1) + (tail if k + 1 == b else 0.0) <= room:
                        k += 1
                    if k == r:
                        if y > header_height + 1:
                            new_page()
                            continue
                        k = r + 1  # a row taller than a page: it breaks across pages
                    chunks.append(((r, k), page))
                    y += chunk_height(r, k)
                    r = k
                    if r < b:
                        new_page()
            for (ca, cb), on_page in chunks:
                for r in range(ca, cb):
                    rows.append(_task_row(tasks[r], texts[r], fields, m, r, ca, cb, lay.joined[r], item_at))
                    row = rows[-1]
                    row.height = lines_pt(lay.own[r])
                    row.group = group_no
                    row.keep_next = r + 1 < cb or last
                    row.can_split = row.height > cap * KEEP_SHARE  # only a row no page can hold
                    row.page = on_page
                group_no += 1
    return ReportModel(
        columns=cols,
        widths=widths,
        header=header,
        header_height=header_height,
        rows=rows,
        geometry=g,
        estimated_pages=page + (1 if y + tail_height > g.body_height else 0),
        join_item=can_join,
        end_y=y,
    )


class _SectionLines:
    """Estimated lines per row of one section: its own cells, and the merged cells apart (these count
    against the rows of the chunk they head)."""

    def __init__(
        self,
        tasks: list[Task],
        texts: list[list[str]],
        m: Merges,
        fields: list[str],
        usable: list[float],
        item_at: int,
        can_join: bool,
        g: PageGeometry,
    ) -> None:
        self.m = m
        self.joined = [can_join and not (t.item or "").strip() for t in tasks]
        self.own: list[int] = []
        self.merged: list[dict[str, int]] = []  # field -> lines of its text, on every row
        for r, row in enumerate(texts):
            own = 1
            merged: dict[str, int] = {}
            for ci, f in enumerate(fields):
                if self.joined[r] and ci == item_at:
                    continue
                w = usable[ci]
                if self.joined[r] and ci == item_at + 1:
                    w += usable[ci - 1] + 2 * g.cell_pad_x / g.font
                k = lines_needed(row[ci], w) if row[ci] else 1
                if f in MERGED_FIELDS and not (f == "item" and self.joined[r]):
                    merged[f] = k
                else:
                    own = max(own, k)
            self.own.append(own)
            self.merged.append(merged)

    def height(self, a: int, b: int) -> int:
        """Lines of rows [a, b) as one chunk: its merged cells start again at row a."""
        total = sum(self.own[a:b])
        short = 0  # lines a merged cell needs beyond the rows it covers
        for r in range(a, b):
            for f, k in self.merged[r].items():
                if r == a or not self.m.is_continued(f, r):
                    end = r + 1
                    while end < b and self.m.is_continued(f, end):
                        end += 1
                    short = max(short, k - sum(self.own[r:end]))
        return total + short


def _task_row(
    task: Task,
    texts: list[str],
    fields: list[str],
    m: Merges,
    r: int,
    start: int,
    end: int,
    joined: bool,
    item_at: int,
) -> ReportRow:
    """A task's cells within its chunk [start, end) of a row group: merges restart at the chunk's first
    row, which repeats the merged texts; a number carried over reads "21（续）"."""
    cells: list[ReportCell] = []
    continued = r == start and any(m.is_continued(f, r) for f in ("number", "key_work"))
    ci = 0
    while ci < len(fields):
        f = fields[ci]
        text = texts[ci]
        if joined and ci == item_at:
            cells.append(ReportCell("content", texts[ci + 1], 2))
            ci += 2
            continue
        merge = ""
        if f in MERGED_FIELDS:
            if m.is_continued(f, r) and r > start:
                merge, text = "continue", ""
            elif r + 1 < end and m.is_continued(f, r + 1):
                merge = "restart"
            if r == start and m.is_continued(f, r) and text:
                if f == "number" or (f == "key_work" and not m.is_continued("number", r)):
                    text += CONTINUED
        cells.append(ReportCell(f, text, 1, merge))
        ci += 1
    return ReportRow("task", cells, task, continued=continued)
