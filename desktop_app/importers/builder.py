"""Tables (grids of cells) and the paragraphs between them -> sections and tasks.

Shared by the Word and Excel readers: header detection (one or two header rows, on any row),
column meaning, section rows, repeated headers, numbered items spanning several rows ("3-1", "3-2").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from desktop_app.domain.model import ColumnSpec, Deadline, Section, Task
from desktop_app.domain.units import ROLE_WORDS
from desktop_app.importers.columns import FIELD_LABELS, looks_like_header, match_header, normalise_header
from desktop_app.importers.grid import Block, Cell, Para, Row, Table
from desktop_app.importers.notice_reader import split_tasks, units_and_deadline
from desktop_app.importers.people import PEOPLE_COLUMN, header_names_people, split_people
from desktop_app.importers.result import TableInfo
from desktop_app.importers.roles import SAMPLE_ROWS, RoleDecision, decide, header_like, ledger_like
from desktop_app.importers.text import normalise_number, to_simplified

SECTION_HEADING = re.compile(
    r"^(第[一二三四五六七八九十]+(部分|板块|章|篇)|[一二三四五六七八九十]+[、.．，,])"
)
_CN_NUMBER = re.compile(r"^[（(]?[一二三四五六七八九十]{1,3}[)）]?[、.．]?$")
_NUMBERISH = re.compile(r"^[\d０-９]+([.．、\-－][\d０-９]+)*[.．、]?$")
HEADER_SCAN_ROWS = 30
_TEXT_FIELDS = ("key_work", "item", "content", "indicator")
_ROLE_WORD = re.compile("|".join(ROLE_WORDS))
# "一、做好财政信息公开。" / "（一）加强预期引导" in a key-work cell: the numbering is the table's, not the name's.
_KEY_NUMBER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十]+\s*[)）][、.．]?|\d{1,2}\s*[.．、](?![\d０-９]))\s*"
)
# "1.行政规范性文件集中公开" in a key-work cell of a table without a number column: the task's number.
_KEY_ARABIC = re.compile(r"^\s*(\d{1,2})\s*[.．、](?![\d０-９])\s*\S")
# "1.积极推进…" / "（1）…" opening the content when the table has no number column.
_CONTENT_NUMBER = re.compile(r"^\s*(?:(\d{1,3})\s*[.．、](?![\d０-９])|[（(]\s*(\d{1,3})\s*[)）][、.．]?)\s*")


def _units_in_text(text: str) -> tuple[str, str, str]:
    """(the text without its closing units clause, the units, a deadline written with them) — "" when it
    closes with none ("……。（市财政局负责，6月底前完成）")."""
    parts = split_tasks(text)
    if len(parts) == 1 and parts[0][1]:
        body, units = parts[0]
        return body, *units_and_deadline(units)
    return text, "", ""


def _inner_list(first: str, rest: str) -> bool:
    """ "1.开展…。2.按照…" : the "1." opens a list inside the cell (a "2." follows a sentence), not the task's number."""
    return bool(re.search(rf"[。；;！!\n]\s*[（(]?{int(first) + 1}\s*[.．、)）](?![\d０-９])", rest))


def _key_work_name(text: str) -> str:
    stripped = _KEY_NUMBER.sub("", text, count=1)
    if stripped and stripped != text:
        return stripped.rstrip("。.；;")
    return text


@dataclass
class Mapping:
    fields: list[str]  # per grid column: a field, "extra:<header>" or "ignore"
    headers: list[str]  # per grid column, as written
    header_norms: set[str] = field(default_factory=set)
    # 牵头单位 beside a 责任单位 column: the units written there lead (the cell rarely says so itself).
    lead_cols: set[int] = field(default_factory=set)
    # per grid column: how sure the reading is and why (roles.decide; the user's choice is certain)
    decisions: list[RoleDecision] = field(default_factory=list)
    # units columns whose header says people are written there too ("牵头单位及责任人")
    people_cols: set[int] = field(default_factory=set)

    def col(self, name: str) -> int | None:
        try:
            return self.fields.index(name)
        except ValueError:
            return None


def _spans(row: Row) -> list[tuple[int, int]]:
    """(start, end) of runs of grid columns covered by one cell."""
    out: list[tuple[int, int]] = []
    start = 0
    for c in range(1, len(row) + 1):
        if c == len(row) or row[c].key != row[start].key:
            out.append((start, c))
            start = c
    return out


def _second_header_row(upper: Row, lower: Row) -> bool:
    """Does `lower` hold sub-labels of `upper` (责任单位 over 牵头单位 | 配合单位)?"""
    own = [c for c in lower if c.text and not c.cont]
    if not own or len({c.key for c in upper}) < 2:
        return False  # nothing below, or the upper row is one title cell
    spans = {s for s in _spans(upper) if s[1] - s[0] > 1}
    for c, cell in enumerate(lower):
        if not cell.text or cell.cont or cell.text == upper[c].text:
            continue
        if match_header(cell.text):
            continue
        under_span = any(a <= c < b for a, b in spans)
        if not (under_span and len(cell.text) <= 10 and not re.search(r"\d", cell.text)):
            return False
    # Sub-labels sit under a header cell spanning several columns, and the upper row names fields.
    under = {lower[c].text for a, b in spans for c in range(a, b) if lower[c].text and not lower[c].cont}
    return len(under) >= 2 and any(match_header(c.text) for c in upper)


def detect_mapping(
    rows: list[Row], overrides: dict[int, str] | None, hidden: frozenset[int] = frozenset()
) -> tuple[int, int, Mapping] | None:
    """Find the header: (row index, number of header rows, mapping) or None. `hidden`: grid columns
    the sheet hides (not imported unless the user maps them)."""
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        labels = [c.text for c in row]
        lower = rows[i + 1] if i + 1 < len(rows) else None
        two = lower is not None and len(lower) == len(row) and _second_header_row(row, lower)
        if two:
            assert lower is not None
            merged = [
                u.text
                if (lo.cont or not lo.text or lo.text == u.text)
                else (f"{u.text}/{lo.text}" if u.text else lo.text)
                for u, lo in zip(row, lower, strict=True)
            ]
            if not looks_like_header(merged) and not looks_like_header(labels):
                continue
            body = rows[i + 2 : i + 2 + SAMPLE_ROWS]
            return i, 2, _build_mapping(row, lower, merged, overrides, body, hidden)
        if looks_like_header(labels):
            return i, 1, _build_mapping(row, None, labels, overrides, rows[i + 1 : i + 1 + SAMPLE_ROWS], hidden)
    # No header the word lists know: a row of short labels whose columns hold what a ledger holds
    # (task text, unit names, deadlines), decided by the cells under it.
    for i, row in enumerate(rows[:10]):
        labels = [c.text for c in row]
        body = rows[i + 1 : i + 1 + SAMPLE_ROWS]
        if len(body) < 1 or not header_like(labels):
            continue
        mapping = _build_mapping(row, None, labels, overrides, body, hidden)
        if ledger_like(mapping.decisions):
            return i, 1, mapping
    return None


def _build_mapping(
    upper: Row,
    lower: Row | None,
    labels: list[str],
    overrides: dict[int, str] | None,
    body: list[Row] | None = None,
    hidden: frozenset[int] = frozenset(),
) -> Mapping:
    n = len(upper)
    fields: list[str | None] = []
    for c in range(n):
        f = None
        if lower is not None and lower[c].text and not lower[c].cont:
            f = match_header(lower[c].text)
        fields.append(f or match_header(upper[c].text))
    levels = [[c.text for c in upper]]
    if lower is not None:
        levels.append([c.text if not c.cont and c.text != upper[i].text else "" for i, c in enumerate(lower)])
    # What each column holds, from cells of its own: a cell spanning several columns (a section row across
    # the table, the signature lines under it) says nothing about any one of them.
    columns: list[list[Cell]] = [[] for _ in range(n)]
    for r in body or []:
        keys: dict[int, int] = {}
        for cell in r[:n]:
            keys[cell.key] = keys.get(cell.key, 0) + 1
        filled = sum(1 for cell in r[:n] if cell.text)
        for c, cell in enumerate(r[:n]):
            if keys[cell.key] == 1:
                if cell.text and filled == 1 and not labels[c].strip():
                    cell = Cell("", cell.key)  # a stray cell alone on its row under no header says nothing
                columns[c].append(cell)
    decisions = decide(labels, levels, columns)
    for c, d in enumerate(decisions):
        # the word lists name it, or the evidence decides a column they do not know (or overrules them)
        if (fields[c] is None or d.by_cells) and not d.field.startswith("extra:") and d.field != "ignore":
            fields[c] = d.field
    # A blank header cell right of a task header, over cells of text: the header spans it unmerged
    # (工作任务 | "" over 政策解读 | （1）做好解读。), so it is task text too — said, as a guess.
    for c in range(1, n):
        if (
            not labels[c].strip()
            and fields[c] is None
            and fields[c - 1] in ("content", "item")
            and any(x.text for x in columns[c])
        ):
            fields[c] = "content"
            decisions[c] = RoleDecision("content", 0.6, f"无表头，按左侧“{labels[c - 1].strip()}”跨过此列读作主要内容")
    # One number column: a second one ("原序号") is kept as it is written, not read as the number.
    for c in [c for c, f in enumerate(fields) if f == "number"][1:]:
        fields[c] = None
    for c in hidden:
        if c < n:
            fields[c] = "ignore"
            decisions[c] = RoleDecision("ignore", 0.9, "该列在 Excel 中是隐藏的，未导入")
    # A header spanning two grid columns over a sub-item and its content (city-2023: 主要内容).
    for a, b in _spans(upper):
        if b - a >= 2 and all(fields[c] == "content" for c in range(a, b)):
            fields[a] = "item"
    # Two "content" columns and no key work: the first is the key work (工作任务 | 具体内容).
    if "key_work" not in fields and "item" not in fields and fields.count("content") >= 2:
        fields[fields.index("content")] = "key_work"
    out: list[str] = []
    for c, f in enumerate(fields):
        if f:
            out.append(f)
        elif labels[c].strip():
            out.append(f"extra:{labels[c].strip()}")
        elif decisions[c].field.startswith("extra:"):
            out.append(decisions[c].field)  # no header, cells of its own: kept as "第N列"
        else:
            out.append("ignore")
    for c, f in (overrides or {}).items():
        if 0 <= c < n and f:
            out[c] = f
            decisions[c] = RoleDecision(f, 1.0, "导入时指定")
    for c, f in enumerate(out):
        if decisions[c].field != f:  # settled by the rules above (item, key work)
            decisions[c] = RoleDecision(f, decisions[c].confidence, decisions[c].reason)
    key_cols = [c for c, f in enumerate(out) if f == "key_work"]
    for c in key_cols[:-1]:  # the outer levels head the parts of the ledger (builder._row)
        d = decisions[c]
        decisions[c] = RoleDecision(d.field, d.confidence, d.reason + "；外层标题作为板块", d.by_cells)
    norms = {normalise_header(x) for x in labels if x.strip()}
    if lower is not None:
        norms |= {normalise_header(c.text) for c in upper if c.text} | {
            normalise_header(c.text) for c in lower if c.text
        }
    lead_cols: set[int] = set()
    people_cols: set[int] = set()
    for c, f in enumerate(out):
        words = normalise_header(labels[c]) + (normalise_header(lower[c].text) if lower is not None else "")
        if f == "units" and any(w in words for w in ("牵头", "主办", "主责")):
            lead_cols.add(c)
        if f in ("units", "cooperating_units") and header_names_people(words):
            people_cols.add(c)
    return Mapping(out, [x.strip() for x in labels], norms, lead_cols, decisions, people_cols)


class LedgerBuilder:
    """Feed it blocks in document order; read back sections, tables, columns, preamble lines."""

    def __init__(
        self,
        carry_blank: bool,
        overrides: dict[int, dict[int, str]] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.carry_blank = carry_blank  # Excel: a blank key work / item under a filled one is a merge
        self.overrides = overrides or {}
        self.progress = progress
        self.preamble: list[str] = []  # lines above the first table (title, 填报 line, notes)
        self.trailing: list[str] = []
        self.sections: list[Section] = []
        self.tables: list[TableInfo] = []
        self.warnings: list[str] = []
        self.mapping: Mapping | None = None
        self._info: TableInfo | None = None
        self._group: list[Task] = []
        self._group_number = ""
        self._prev: Task | None = None
        self._auto_number = 0
        self._seen_table = False
        self._raw_index = 0
        # The title of a section row inside the table body ("一、…" across all columns), which is
        # also the key work of the rows under it when the table has no key-work column.
        self._row_section: str | None = None
        # id(task) -> (its row as read, the field of each grid column): what the row shows, for
        # comparing with the embedded copy of our own reports
        self.visible: dict[int, tuple[Row, list[str]]] = {}
        self._people_seen = False  # a person taken out of a units cell (the 责任人 column then)

    # -- blocks ---------------------------------------------------------------------------------
    def feed(self, blocks: list[Block]) -> None:
        total = sum(len(b.rows) for b in blocks if isinstance(b, Table)) or 1
        done = 0
        for block in blocks:
            if isinstance(block, Para):
                self.paragraph(block.text)
            else:
                self.table(block)
                done += len(block.rows)
                if self.progress:
                    self.progress(done, total)

    def paragraph(self, text: str) -> None:
        if not text:
            return
        if SECTION_HEADING.match(text) and len(text) <= 60:
            self._new_section(text)
        elif not self._seen_table:
            self.preamble.append(text)
        else:
            self.trailing.append(text)

    def table(self, table: Table) -> None:
        rows = table.rows
        index = self._raw_index
        self._raw_index += 1
        if not rows:
            return
        found = detect_mapping(rows, self.overrides.get(index), table.hidden)
        width = len(rows[0])
        if found is None and self.overrides.get(index):
            # No header recognised, but the user said what the columns are: every row is data.
            chosen = self.overrides[index]
            fields = [chosen.get(c) or "ignore" for c in range(width)]
            # a first row of short labels is the table's own header, not a task
            skip = 1 if header_like([c.text for c in rows[0]]) else 0
            headers = [rows[0][c].text for c in range(width)] if skip else [f"第{c + 1}列" for c in range(width)]
            decisions = [RoleDecision(f, 1.0, "导入时指定") for f in fields]
            found = (0, skip, Mapping(fields, headers, set(), set(), decisions))
        if found is None:
            # A table split over pages without its header: go on with the previous mapping.
            if (
                self.mapping is not None
                and self._info is not None
                and len(rows[0]) == len(self.mapping.fields)
            ):
                start = 0
            else:
                if not self._seen_table:
                    self.preamble.extend(_row_text(r) for r in rows if _row_text(r))
                if len(rows) >= 3 and width >= 3:
                    # Listed for the import wizard, so the user can map its columns by hand.
                    self.tables.append(
                        TableInfo(
                            index=index,
                            headers=[f"第{c + 1}列" for c in range(width)],
                            fields=["ignore"] * width,
                            header_row=-1,
                            header_rows=0,
                            sheet=table.sheet,
                            sample=[[c.text for c in r] for r in rows[:5]],
                        )
                    )
                    self.warnings.append(
                        f"第 {index + 1} 个表格没有识别出表头（序号、主要内容、责任单位等），已跳过；"
                        "如它也是台账，请在导入向导中指定各列。"
                    )
                return
        else:
            start, height, self.mapping = found
            for r in rows[:start]:
                text = _row_text(r)
                if not text:
                    continue
                if SECTION_HEADING.match(text) and len(text) <= 60:
                    self._new_section(text)
                elif not self.sections or not any(s.tasks for s in self.sections):
                    self.preamble.append(text)
            start += height
            self._info = TableInfo(
                index=index,
                headers=list(self.mapping.headers),
                fields=list(self.mapping.fields),
                header_row=found[0],
                header_rows=height,
                sheet=table.sheet,
                confidence=[d.confidence for d in self.mapping.decisions],
                reasons=[d.reason for d in self.mapping.decisions],
            )
            self.tables.append(self._info)
            for c, d in enumerate(self.mapping.decisions):
                if d.doubtful and d.field != "ignore":
                    what = FIELD_LABELS.get(d.field, "其他列（原样保留）")
                    self.warnings.append(
                        f"第 {index + 1} 个表格第 {c + 1} 列“{self.mapping.headers[c] or '（无表头）'}”按“{what}”"
                        f"导入，把握不大（{d.reason}），请核对。"
                    )
        self._seen_table = True
        self._prev = None
        body = rows[start:]
        for k, r in enumerate(body):
            self._row(r, body[k + 1] if k + 1 < len(body) else None)
        self._flush_group()

    # -- rows -----------------------------------------------------------------------------------
    def _row(self, row: Row, following: Row | None = None) -> None:
        mapping = self.mapping
        assert mapping is not None and self._info is not None
        if len(row) != len(mapping.fields):
            row = (row + [Cell("", -1 - i) for i in range(len(mapping.fields))])[: len(mapping.fields)]
        texts = [c.text for c in row]
        if not any(texts):
            return
        distinct = {c.key: c for c in row if c.text}
        if sum(1 for c in distinct.values() if normalise_header(c.text) in mapping.header_norms) >= max(
            2, (len(distinct) + 1) // 2
        ):
            return  # the header again
        section = self._section_title(row, distinct) or self._numbered_section(row, distinct, following)
        if section:
            self._new_section(section, in_table=True)
            return
        values: dict[str, str] = {}
        keys: dict[str, int] = {}
        cont: dict[str, bool] = {}
        extra: dict[str, str] = {}
        people: list[str] = []
        outer = ""
        for c, f in enumerate(mapping.fields):
            cell = row[c]
            if f == "ignore":
                continue
            if (
                c > 0
                and row[c - 1].key == cell.key
                and not (f == "content" and mapping.fields[c - 1] == "item")
            ):
                continue  # the same merged cell, already read
            if f.startswith("extra:"):
                if cell.text:
                    extra[f[6:]] = cell.text
                continue
            text = cell.text
            if f in ("units", "cooperating_units") and text:
                # a person is not a unit: "县财政局（张某某）" under 牵头单位及责任人 -> 县财政局, the person apart
                text, found = split_people(text, c in mapping.people_cols)
                people += found
            if c in mapping.lead_cols and text and not _ROLE_WORD.search(to_simplified(text)):
                text = f"{text}牵头"
            if f == "key_work" and f in values:
                # Two key-work columns (一、… | （一）…): the outer one heads a part of the ledger.
                if values[f] and not cont[f]:
                    outer = values[f]
                values[f], keys[f], cont[f] = text, cell.key, cell.cont
                continue
            if f in values:
                if text and text not in values[f].split("；"):
                    values[f] = f"{values[f]}；{text}" if values[f] else text
                continue
            values[f] = text
            keys[f] = cell.key
            cont[f] = cell.cont
        if people:
            written = extra.get(PEOPLE_COLUMN, "")
            extra[PEOPLE_COLUMN] = "；".join(dict.fromkeys(([written] if written else []) + people))
            self._people_seen = True
        item_merged = "item" in keys and keys.get("content") == keys["item"]
        if item_merged:
            values["item"] = ""
        own = [f for f in values if values[f] and not cont.get(f) and f not in ("number", "key_work", "item")]
        if not own and not any(
            mapping.headers[c] for c, f in enumerate(mapping.fields) if f.startswith("extra:") and f[6:] in extra
        ):
            return  # nothing of its own (or only a cell under no header): a blank numbered row, a stray cell
        if outer and (not self.sections or self.sections[-1].title != outer):
            self._new_section(outer, in_table=True)
        prev = self._prev
        number = normalise_number(values.get("number", "")) if not cont.get("number") else ""
        key_work = values.get("key_work", "")
        same_key = (
            not key_work or cont.get("key_work", False) or (prev is not None and key_work == prev.key_work)
        )
        has_number_col = mapping.col("number") is not None
        # Same item: number merged with / blank under the row above (or written again), same key work.
        repeated = bool(number) and number == self._group_number
        continues = (
            has_number_col
            and prev is not None
            and (not number or repeated)
            and same_key
            and bool(self._group)
        )
        if not key_work and prev is not None and (continues or self.carry_blank):
            key_work = prev.key_work
        if not key_work and mapping.col("key_work") is None and self._row_section:
            # No key-work column: the "一、…" row across the table above is what the tasks fall under.
            key_work = self._row_section
        item: str | None = values.get("item") or None
        if "item" not in values or item_merged:
            item = None
        elif not item and self.carry_blank and prev is not None and prev.item and key_work == prev.key_work:
            item = prev.item
        content = values.get("content", "")
        own_number = ""
        if not has_number_col and key_work and not cont.get("key_work") and _KEY_ARABIC.match(key_work):
            # "1.行政规范性文件集中公开": the key work carries the task's number; the content keeps its own
            own_number = _KEY_ARABIC.match(key_work).group(1)
        elif not has_number_col:
            m = _CONTENT_NUMBER.match(content)
            if m and len(content) > m.end() and not _inner_list(m.group(1) or m.group(2), content[m.end() :]):
                own_number, content = m.group(1) or m.group(2), content[m.end() :]
        units_text = values.get("units", "")
        deadline_text = values.get("deadline", "")
        if mapping.col("units") is None and mapping.col("cooperating_units") is None and content:
            # no units column: the units close the task's text, as in a notice ("……。（市财政局负责）")
            content, units_text, written = _units_in_text(content)
            deadline_text = deadline_text or written
        task = Task(
            key_work=_key_work_name(key_work),
            item=item,
            content=content,
            indicator=values.get("indicator", ""),
            units_text=units_text,
            cooperating_text=values.get("cooperating_units", ""),
            deadline=Deadline(text=deadline_text),
            progress=values.get("progress", ""),
            remarks=values.get("remarks", ""),
            extra=extra,
        )
        if not task.content and task.item:
            task.content = task.item
        if continues:
            self._group.append(task)
        else:
            self._flush_group()
            if not has_number_col:
                self._auto_number = int(own_number) if own_number.isdecimal() else self._auto_number + 1
                number = own_number or str(self._auto_number)
            self._group = [task]
            self._group_number = number
        task.number = number
        self.visible[id(task)] = (row, mapping.fields)
        self._current_section().tasks.append(task)
        self._info.task_count += 1
        if len(self._info.sample) < 5:
            self._info.sample.append(texts)
        self._prev = task

    def _numbered_section(self, row: Row, distinct: dict[int, Cell], following: Row | None) -> str | None:
        """A key-work row numbered in the 序号 column: "一 | 深化…" or "1 | 加强…" over "1.1", "1.2",
        the rest of the row blank."""
        mapping = self.mapping
        num_col = mapping.col("number") if mapping else None
        if num_col is None or len(distinct) != 2:
            return None
        number = row[num_col]
        if not number.text or number.cont or number.key not in distinct:
            return None
        others = [c for k, c in distinct.items() if k != number.key]
        if len(others) != 1 or others[0].cont or _NUMBERISH.match(others[0].text) or len(others[0].text) > 60:
            return None
        num = normalise_number(number.text)
        if _CN_NUMBER.match(num):
            return f"{num}、{others[0].text}" if not _KEY_NUMBER.match(others[0].text) else others[0].text
        if num.isdecimal() and following is not None:
            below = normalise_number(following[num_col].text) if num_col < len(following) else ""
            if below.startswith(f"{num}.") or below.startswith(f"{num}-"):
                return others[0].text
        return None

    def _section_title(self, row: Row, distinct: dict[int, Cell]) -> str | None:
        own = [c for c in distinct.values() if not c.cont]
        if len(distinct) != 1 or len(own) != 1:
            return None
        cell = own[0]
        width = sum(1 for c in row if c.key == cell.key)
        text = cell.text
        if _NUMBERISH.match(text):
            return None
        if width >= max(2, len(row) // 2) or SECTION_HEADING.match(text):
            return text
        first = row[0].key == cell.key
        num_col = self.mapping.col("number") if self.mapping else None
        if first and num_col in (0, None) and len(row) > 2:
            return text
        return None

    # -- sections and numbering -----------------------------------------------------------------
    def _current_section(self) -> Section:
        if not self.sections:
            self.sections.append(Section(title=None, position=0))
        return self.sections[-1]

    def _new_section(self, title: str, in_table: bool = False) -> None:
        # also a "一、…" paragraph above a table: the key work of its rows when the table has no such column
        name = _key_work_name(title)
        # a "一、…" paragraph too ("第一部分…" is a part of the document, not a key work)
        self._row_section = name if (in_table or name != title) else None
        self._flush_group()
        self._prev = None
        if self.sections and not self.sections[-1].tasks:
            self.sections[-1].title = title
            return
        self.sections.append(Section(title=title, position=len(self.sections)))

    def _flush_group(self) -> None:
        if len(self._group) > 1:
            for i, t in enumerate(self._group, 1):
                t.number = f"{self._group_number}-{i}" if self._group_number else ""
        self._group = []

    # -- results --------------------------------------------------------------------------------
    def finished_sections(self) -> list[Section]:
        self._flush_group()
        out = [s for s in self.sections if s.tasks]
        for i, s in enumerate(out):
            s.position = i
        return out

    def visible_rows(self, sections: list[Section]) -> list[list[tuple[Row, list[str]]]]:
        """Per section per task: its row as read and the fields of the grid columns."""
        return [[self.visible[id(t)] for t in s.tasks] for s in sections]

    def columns(self) -> list[ColumnSpec]:
        seen: dict[tuple[str, str], None] = {}
        for info in self.tables:
            for f, h in zip(info.fields, info.headers, strict=True):
                if f != "ignore":
                    # a column under no header is shown by its place ("第6列"), as its field names it
                    seen.setdefault((f, h or (f[6:] if f.startswith("extra:") else h)), None)
        if self._people_seen:
            seen.setdefault((f"extra:{PEOPLE_COLUMN}", PEOPLE_COLUMN), None)
        return [ColumnSpec(f, h) for f, h in seen]


def _row_text(row: Row) -> str:
    """The distinct texts of a row in order, for title/preamble rows ("填报单位：　填报时间：")."""
    parts = list(dict.fromkeys(c.text for c in row if c.text))
    return "　".join(parts)
