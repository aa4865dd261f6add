"""Excel .xlsx -> one table grid per sheet (merged ranges filled from their top-left value).

The sheet XML is streamed (lxml iterparse, each cell and row freed once read): only cells that hold a
value are kept, whatever dimension the sheet declares, so a stray cell at BH1048576 costs one cell, not
a million rows. Shared strings, styles and the workbook are read the same bounded way; a damaged part
(an unclosed tag, a shared-string index past the end, a cell beyond Excel's limits) is refused with one
sentence. Runs of more than MAX_EMPTY_GAP empty rows are kept as one (blank rows carry nothing).
"""

from __future__ import annotations

import bisect
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

from lxml import etree

from desktop_app.importers.errors import EXCEL_HINT, ImportFailed
from desktop_app.importers.grid import Cell, Row, Table
from desktop_app.importers.text import clean

MAX_COLUMNS = 60  # a ledger has about ten; stray formatting can claim 16,384
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
MAX_CELLS = 1_000_000  # cells holding a value, whole workbook
MAX_CELL_ELEMENTS = 600_000  # <c> elements read, empty or not, whole workbook (a ledger has some 30,000)
MAX_GRID = 2_000_000  # rows x columns of the grids handed on, whole workbook
MAX_MERGES = 100_000
MAX_SHARED_CHARS = 40_000_000  # characters of all shared strings together
MAX_EMPTY_GAP = 50

_REF = re.compile(r"([A-Za-z]{1,3})(\d{1,20})")
_OFFICE_DOC = "/officeDocument"
_PARSE = dict(
    events=("end",),
    resolve_entities=False,
    no_network=True,
    huge_tree=False,
    load_dtd=False,
    remove_comments=True,
    remove_pis=True,
)


# openpyxl (and numpy under it) costs some 300 ms to import: loaded on the first workbook read, not at start
CALENDAR_WINDOWS_1900 = datetime(1899, 12, 30)  # openpyxl.utils.datetime's epochs
CALENDAR_MAC_1904 = datetime(1904, 1, 1)


def unescape(text: str) -> str:
    from openpyxl.utils.escape import unescape as openpyxl_unescape

    return openpyxl_unescape(text)


def from_excel(number: float | int, epoch: datetime) -> object:
    from openpyxl.utils.datetime import from_excel as openpyxl_from_excel

    return openpyxl_from_excel(number, epoch)


def column_index_from_string(letters: str) -> int:
    from openpyxl.utils.cell import column_index_from_string as openpyxl_index

    return openpyxl_index(letters)


def range_boundaries(ref: str) -> tuple:
    from openpyxl.utils.cell import range_boundaries as openpyxl_boundaries

    return openpyxl_boundaries(ref)


class _Damaged(Exception):
    """A part of the workbook is not what Excel writes; the message says what (Chinese, no file name)."""


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


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _free(el: etree._Element) -> None:
    """Drop a finished element and the siblings before it (iterparse would otherwise keep them all)."""
    el.clear(keep_tail=False)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


def _xml(zf: zipfile.ZipFile, part: str) -> etree._Element | None:
    """A small part (workbook, relationships, styles) as a tree; its size was bounded by the pre-flight."""
    try:
        data = zf.read(part)
    except KeyError:
        return None
    try:
        return etree.fromstring(
            data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        )
    except etree.XMLSyntaxError:
        raise _Damaged(f"文件内部的“{part}”已损坏") from None


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part name) for `part`."""
    folder, base = posixpath.split(part)
    root = _xml(zf, posixpath.join(folder, "_rels", base + ".rels"))
    out: dict[str, tuple[str, str]] = {}
    if root is None:
        return out
    for rel in root:
        if _local(rel.tag) != "Relationship" or rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target") or ""
        path = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        out[rel.get("Id") or ""] = (rel.get("Type") or "", path)
    return out


def _rich_text(el: etree._Element) -> str:
    """The text of an <si> or <is>: its <t>, or the <t> of each run; phonetic guides (rPh) left out."""
    pieces: list[str] = []
    for child in el:
        tag = _local(child.tag)
        if tag == "t":
            pieces.append(child.text or "")
        elif tag == "r":
            for t in child:
                if _local(t.tag) == "t":
                    pieces.append(t.text or "")
    text = "".join(pieces)
    return unescape(text) if "_x" in text else text


def _shared_strings(zf: zipfile.ZipFile, part: str | None) -> list[str]:
    if part is None or part not in zf.namelist():
        return []
    strings: list[str] = []
    chars = 0
    with zf.open(part) as fh:
        # Only <si> ends reach Python (the tag filter runs in libxml2): a million of them take about a second.
        for _event, el in etree.iterparse(fh, tag="{*}si", **_PARSE):
            if len(el) == 1 and _local(el[0].tag) == "t":
                text = el[0].text or ""
                if "_x" in text:
                    text = unescape(text)
            else:
                text = _rich_text(el)
            chars += len(text)
            if chars > MAX_SHARED_CHARS:
                raise _Damaged(f"表格中的文字超过 {MAX_SHARED_CHARS // 10_000} 万字，不像是任务台账")
            strings.append(text)
            _free(el)
    return strings


def _date_styles(zf: zipfile.ZipFile, part: str | None) -> set[int]:
    """Indexes of the cell formats (the `s` of a cell) that show a number as a date or time."""
    root = _xml(zf, part) if part else None
    if root is None:
        return set()
    custom: dict[int, str] = {}
    xfs: list[etree._Element] = []
    for child in root:
        tag = _local(child.tag)
        if tag == "numFmts":
            for fmt in child:
                try:
                    custom[int(fmt.get("numFmtId", ""))] = fmt.get("formatCode") or ""
                except ValueError:
                    continue
        elif tag == "cellXfs":
            xfs = [xf for xf in child if _local(xf.tag) == "xf"]
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    out: set[int] = set()
    for i, xf in enumerate(xfs):
        try:
            fmt_id = int(xf.get("numFmtId", "0"))
        except ValueError:
            continue
        code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id, ""))
        if code and is_date_format(code):
            out.add(i)
    return out


@dataclass
class _Book:
    zf: zipfile.ZipFile
    shared: list[str] = field(default_factory=list)
    dates: set[int] = field(default_factory=set)
    epoch: datetime = CALENDAR_WINDOWS_1900
    filled: int = 0  # cells with a value read so far (all sheets)
    seen: int = 0  # <c> elements read so far (all sheets)
    grid: int = 0  # grid cells handed on so far (all sheets)


def _cell_value(c: etree._Element, book: _Book) -> str:
    kind = c.get("t") or "n"
    if kind == "inlineStr":
        for child in c:
            if _local(child.tag) == "is":
                return clean(_rich_text(child))
        return ""
    raw = None
    for child in c:
        if _local(child.tag) == "v":
            raw = child.text
            break
    if raw is None or raw == "":
        return ""
    if kind == "s":
        try:
            return clean(book.shared[int(raw)])
        except (ValueError, IndexError):
            raise _Damaged(
                f"文件内部的共享文字表已损坏（单元格 {c.get('r') or ''} 引用的第 {raw[:12]} 条文字不存在）"
            ) from None
    if kind in ("str", "e"):
        return clean(unescape(raw))
    if kind == "b":
        return "True" if raw.strip() in ("1", "true") else "False"
    if kind == "d":
        try:
            return value_text(datetime.fromisoformat(raw.strip()))
        except ValueError:
            return clean(raw)
    try:
        number: float | int = float(raw) if any(ch in raw for ch in ".eE") else int(raw)
    except ValueError:
        return clean(raw)
    style = c.get("s")
    if style is not None and style.isdecimal() and int(style) in book.dates:
        try:
            return value_text(from_excel(number, book.epoch))
        except (ValueError, OverflowError, TypeError):
            pass
    return value_text(number)


def _position(ref: str | None, row: int, last_col: int) -> tuple[int, int]:
    if not ref:
        return row, last_col + 1
    m = _REF.fullmatch(ref)
    if not m:
        raise _Damaged(f"文件内部的单元格位置“{ref[:20]}”无法识别")
    return int(m.group(2)), column_index_from_string(m.group(1).upper())


def _sheet_cells(
    zf: zipfile.ZipFile, part: str, book: _Book
) -> tuple[dict[tuple[int, int], str], list[tuple[int, int, int, int]], set[int]]:
    """Cells with a value ({(row, column): text}, columns past MAX_COLUMNS left out), merged ranges and
    the hidden columns (1-based, up to MAX_COLUMNS)."""
    found: dict[tuple[int, int], str] = {}
    merges: list[tuple[int, int, int, int]] = []
    hidden: set[int] = set()
    last_row = 0  # the row before the one being read
    last_col = 0
    current: etree._Element | None = None
    current_row = 0
    with zf.open(part) as fh:
        for _event, el in etree.iterparse(
            fh, tag=("{*}c", "{*}row", "{*}mergeCell", "{*}sheetData", "{*}col"), **_PARSE
        ):
            tag = _local(el.tag)
            if tag == "c":
                book.seen += 1
                if book.seen > MAX_CELL_ELEMENTS:
                    raise _Damaged(f"表格中的单元格超过 {MAX_CELL_ELEMENTS // 10_000} 万个，不像是任务台账")
                parent = el.getparent()
                if parent is not current:
                    current = parent
                    r = parent.get("r") if parent is not None else None
                    current_row = int(r) if r and r.isdecimal() else last_row + 1
                    last_col = 0
                row, col = _position(el.get("r"), current_row, last_col)
                if not (1 <= row <= EXCEL_ROWS and 1 <= col <= EXCEL_COLUMNS):
                    raise _Damaged(f"文件内部的单元格位置（第 {row} 行第 {col} 列）超出 Excel 的行列上限")
                last_col = col
                text = _cell_value(el, book)
                if text:
                    book.filled += 1
                    if book.filled > MAX_CELLS:
                        raise _Damaged(f"表格中有内容的单元格超过 {MAX_CELLS // 10_000} 万个，不像是任务台账")
                    if col <= MAX_COLUMNS:
                        found[(row, col)] = text
                _free(el)
            elif tag == "row":
                r = el.get("r")
                number = int(r) if r and r.isdecimal() else last_row + 1
                if number > EXCEL_ROWS:
                    raise _Damaged(f"文件内部的行号 {number} 超出 Excel 的行数上限 {EXCEL_ROWS}")
                last_row, current = number, None
                _free(el)
            elif tag == "mergeCell":
                if len(merges) >= MAX_MERGES:
                    raise _Damaged(f"表格中的合并单元格超过 {MAX_MERGES // 10_000} 万处，不像是任务台账")
                try:
                    c0, r0, c1, r1 = range_boundaries(el.get("ref") or "")
                except (ValueError, TypeError):
                    c0 = None
                if c0 is not None and r0 is not None and c1 is not None and r1 is not None:
                    merges.append((r0, c0, r1, c1))
                _free(el)
            elif tag == "col":
                if (el.get("hidden") or "").lower() in ("1", "true"):
                    lo, hi = el.get("min") or "", el.get("max") or ""
                    if lo.isdecimal() and hi.isdecimal():
                        hidden.update(range(int(lo), min(int(hi), MAX_COLUMNS) + 1))
                _free(el)
            else:  # sheetData
                _free(el)
    return found, merges, hidden


def _kept_rows(found: dict[tuple[int, int], str], merges: list[tuple[int, int, int, int]]) -> list[int]:
    """The sheet rows the grid shows, in order; 0 stands for one empty row kept where a long gap was."""
    content = {r for r, _c in found}
    if not content:
        return []
    bottom = max(content)
    for r0, c0, r1, _c1 in merges:  # rows a filled merged cell reaches carry its text
        if (r0, c0) in found and r1 > r0:
            span = range(r0 + 1, min(r1, bottom) + 1)
            if len(content) + len(span) > MAX_GRID:
                raise _Damaged("表格中的合并单元格覆盖的行数过多，不像是任务台账")
            content.update(span)
    rows: list[int] = []
    previous = 0
    for r in sorted(content):
        gap = r - previous - 1
        if gap > MAX_EMPTY_GAP:
            rows.append(0)
        else:
            rows.extend(range(previous + 1, r))
        rows.append(r)
        previous = r
    return rows


def _grid(
    found: dict[tuple[int, int], str],
    merges: list[tuple[int, int, int, int]],
    book: _Book,
    sheet: str,
    hidden: set[int] | None = None,
) -> Table:
    rows_at = _kept_rows(found, merges)
    width = max((c for _r, c in found), default=0)
    book.grid += len(rows_at) * width
    if book.grid > MAX_GRID:
        raise _Damaged(
            f"工作表“{sheet}”内容过多（{len(rows_at)} 行 × {width} 列），不像是任务台账，请只保留台账部分后另存再导入"
        )
    key = 0
    rows: list[Row] = []
    for r in rows_at:
        row: Row = []
        for c in range(1, width + 1):
            key += 1
            row.append(Cell(found.get((r, c), "") if r else "", key))
        rows.append(row)
    index = {r: i for i, r in enumerate(rows_at) if r}
    real = [r for r in rows_at if r]
    for r0, c0, r1, c1 in merges:
        if r0 not in index or c0 > width:
            continue
        top = rows[index[r0]][c0 - 1]
        lo, hi = bisect.bisect_left(real, r0), bisect.bisect_right(real, r1)
        if (hi - lo) * (min(c1, width) - c0 + 1) > MAX_GRID:
            continue
        for r in real[lo:hi]:
            i = index[r]
            for c in range(c0, min(c1, width) + 1):
                rows[i][c - 1] = Cell(top.text, top.key, r > r0)
    # Drop trailing empty rows/columns (formatting often extends the used range).
    while rows and not any(c.text for c in rows[-1]):
        rows.pop()
    used = max((max((i + 1 for i, c in enumerate(r) if c.text), default=0) for r in rows), default=0)
    if used < width:
        rows = [r[:used] for r in rows]
    shown = min(used, width)
    return Table(rows, sheet=sheet, hidden=frozenset(c - 1 for c in hidden or () if c <= shown))


def _worksheets(zf: zipfile.ZipFile) -> Iterator[tuple[str, str]]:
    """(sheet name, part) of every worksheet in workbook order (chart sheets left out)."""
    names = set(zf.namelist())
    book_part = "xl/workbook.xml"
    for _id, (kind, target) in _rels(zf, "").items():
        if kind.endswith(_OFFICE_DOC) and target in names:
            book_part = target
    root = _xml(zf, book_part)
    if root is None:
        raise _Damaged("文件内部缺少工作簿（xl/workbook.xml）")
    rels = _rels(zf, book_part)
    for el in root.iter():
        if _local(el.tag) != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
        kind, target = rels.get(rid or "", ("", ""))
        if kind.endswith("/worksheet") and target in names:
            yield el.get("name") or "", target


def _book(zf: zipfile.ZipFile) -> _Book:
    book = _Book(zf)
    book_part = "xl/workbook.xml"
    for _id, (kind, target) in _rels(zf, "").items():
        if kind.endswith(_OFFICE_DOC) and target in zf.namelist():
            book_part = target
    root = _xml(zf, book_part)
    if root is not None:
        for el in root:
            if _local(el.tag) == "workbookPr" and (el.get("date1904") or "").lower() in ("1", "true"):
                book.epoch = CALENDAR_MAC_1904
    shared = styles = None
    for _id, (kind, target) in _rels(zf, book_part).items():
        if kind.endswith("/sharedStrings"):
            shared = target
        elif kind.endswith("/styles"):
            styles = target
    book.shared = _shared_strings(zf, shared)
    book.dates = _date_styles(zf, styles)
    return book


def read_sheets(source: bytes | zipfile.ZipFile, name: str = "表格.xlsx") -> list[Table]:
    """Every worksheet as a Table. `source`: the file's bytes, or the package already opened and checked
    (safety.open_zip + scan_package). Raises ImportFailed naming `name` for a damaged or hostile workbook."""
    from desktop_app.importers.safety import open_zip, scan_package

    if isinstance(source, zipfile.ZipFile):
        zf = source
    else:
        zf = open_zip(source, name, EXCEL_HINT)
        scan_package(zf, name, EXCEL_HINT)
    try:
        book = _book(zf)
        tables = []
        for sheet, part in _worksheets(zf):
            found, merges, hidden = _sheet_cells(zf, part, book)
            tables.append(_grid(found, merges, book, sheet, hidden))
        return tables
    except _Damaged as exc:
        raise ImportFailed(f"无法读取《{name}》：{exc}。{EXCEL_HINT}") from None
    except etree.XMLSyntaxError:
        raise ImportFailed(
            f"无法读取《{name}》：文件内部的表格数据无法解析（已损坏：标记不完整或嵌套过深）。{EXCEL_HINT}"
        ) from None


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
