"""Word .docx -> blocks (paragraphs and table grids) by walking the body XML once, in order.

python-docx's `table.cell(i, j)` / `row.cells` rebuild the whole grid per call (quadratic); here each
`w:tr`/`w:tc` is visited once and `w:gridSpan` / `w:vMerge` are tracked per grid column.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

from lxml import etree

from desktop_app.importers.errors import TooMuch
from desktop_app.importers.grid import Block, Cell, Para, Row, Table
from desktop_app.importers.text import join_pieces

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_P, _TBL, _TR, _TC, _SDT, _SDTC = W + "p", W + "tbl", W + "tr", W + "tc", W + "sdt", W + "sdtContent"
_T, _BR, _CR, _TAB = W + "t", W + "br", W + "cr", W + "tab"
_TCPR, _SPAN, _VMERGE, _VAL = W + "tcPr", W + "gridSpan", W + "vMerge", W + "val"
_TRPR, _GRIDBEFORE = W + "trPr", W + "gridBefore"
_WRAPPERS = (W + "customXml", W + "smartTag", W + "ins", W + "hyperlink")
_TEXT_TAGS = (_T, _BR, _CR, _TAB)

# A Word ledger of 2,000 tasks has about 20,000 paragraphs and cells: ten times that is still read in
# seconds; more is refused before the walk (counted in libxml2, not in Python).
MAX_PARAGRAPHS = 200_000
MAX_CELLS = 200_000
_COUNT_P = etree.XPath("count(//w:p)", namespaces={"w": W[1:-1]})
_COUNT_TC = etree.XPath("count(//w:tc)", namespaces={"w": W[1:-1]})

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, huge_tree=False)


def main_part_name(zf: zipfile.ZipFile) -> str:
    """The main document part (usually word/document.xml), from the package relationships."""
    try:
        rels = etree.fromstring(zf.read("_rels/.rels"), PARSER)
        for rel in rels:
            if rel.get("Type", "").endswith("/officeDocument"):
                target = rel.get("Target", "").lstrip("/")
                if target in zf.namelist():
                    return target
    except (KeyError, etree.XMLSyntaxError):
        pass
    return "word/document.xml"


def paragraph_lines(p: etree._Element) -> list[str]:
    """A paragraph's text split at its line breaks."""
    lines = [""]
    for el in p.iter(*_TEXT_TAGS):
        tag = el.tag
        if tag == _T:
            lines[-1] += el.text or ""
        elif tag == _TAB:
            lines[-1] += " "
        else:
            lines.append("")
    return lines


def paragraph_text(p: etree._Element) -> str:
    return join_pieces(paragraph_lines(p))


def _cell_paragraphs(tc: etree._Element) -> Iterator[etree._Element]:
    for child in tc:
        if child.tag == _P:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDTC)
            if content is not None:
                yield from _cell_paragraphs(content)
        elif child.tag in _WRAPPERS:
            yield from _cell_paragraphs(child)


def cell_text(tc: etree._Element) -> str:
    pieces: list[str] = []
    for p in _cell_paragraphs(tc):
        pieces.extend(paragraph_lines(p))
    return join_pieces(pieces)


def _row_cells(tr: etree._Element) -> Iterator[etree._Element]:
    for child in tr:
        if child.tag == _TC:
            yield child
        elif child.tag == _SDT or child.tag in _WRAPPERS:
            content = child.find(_SDTC) if child.tag == _SDT else child
            if content is not None:
                yield from _row_cells(content)


def _table_rows(tbl: etree._Element) -> Iterator[etree._Element]:
    for child in tbl:
        if child.tag == _TR:
            yield child
        elif child.tag == _SDT or child.tag in _WRAPPERS:
            content = child.find(_SDTC) if child.tag == _SDT else child
            if content is not None:
                yield from _table_rows(content)


def _int_val(el: etree._Element | None, default: int) -> int:
    if el is None:
        return default
    try:
        return max(1, int(el.get(_VAL, default)))
    except ValueError:
        return default


def read_table(tbl: etree._Element, next_key: Iterator[int]) -> Table:
    """One w:tbl as a grid; vMerge continuation cells copy the text of the cell above."""
    rows: list[Row] = []
    above: dict[int, Cell] = {}
    width = 0
    for tr in _table_rows(tbl):
        row: Row = []
        trpr = tr.find(_TRPR)
        before = _int_val(trpr.find(_GRIDBEFORE), 0) if trpr is not None else 0
        for _ in range(before):
            row.append(Cell("", next(next_key)))
        for tc in _row_cells(tr):
            pr = tc.find(_TCPR)
            span, vmerge = 1, None
            if pr is not None:
                span = _int_val(pr.find(_SPAN), 1)
                vm = pr.find(_VMERGE)
                if vm is not None:
                    vmerge = vm.get(_VAL) or "continue"
            col = len(row)
            if vmerge == "continue" and col in above:
                cell = Cell(above[col].text, above[col].key, True)
            else:
                cell = Cell(cell_text(tc), next(next_key))
            for _ in range(span):
                row.append(cell)
        for c, cell in enumerate(row):
            above[c] = cell
        width = max(width, len(row))
        rows.append(row)
    for row in rows:
        while len(row) < width:
            row.append(Cell("", next(next_key)))
    return Table(rows)


def _body_blocks(parent: etree._Element, next_key: Iterator[int]) -> Iterator[Block]:
    for child in parent:
        tag = child.tag
        if tag == _P:
            yield Para(paragraph_text(child))
        elif tag == _TBL:
            cells = _frame_cells(child)
            if cells:  # a layout frame around the ledger: what its cells hold, in order
                for tc in cells:
                    yield from _body_blocks(tc, next_key)
            else:
                yield read_table(child, next_key)
        elif tag == _SDT:
            content = child.find(_SDTC)
            if content is not None:
                yield from _body_blocks(content, next_key)
        elif tag in _WRAPPERS:
            yield from _body_blocks(child, next_key)


def _frame_cells(tbl: etree._Element) -> list[etree._Element]:
    """The cells of a table of at most two rows and two columns that holds a table of its own (a page
    laid out in a frame, as pasted from a web page): [] for any other table."""
    rows = list(_table_rows(tbl))
    if not rows or len(rows) > 2:
        return []
    cells = [tc for tr in rows for tc in _row_cells(tr)]
    if len(cells) > 4 or not any(tc.find(_TBL) is not None for tc in cells):
        return []
    return cells


def _counter() -> Iterator[int]:
    n = 0
    while True:
        n += 1
        yield n


def read_blocks(zf: zipfile.ZipFile) -> list[Block]:
    """The document body as paragraphs and tables, in order."""
    root = etree.fromstring(zf.read(main_part_name(zf)), PARSER)
    if _COUNT_P(root) > MAX_PARAGRAPHS:
        raise TooMuch(f"文档中的段落超过 {MAX_PARAGRAPHS // 10_000} 万个，不像是任务台账")
    if _COUNT_TC(root) > MAX_CELLS:
        raise TooMuch(f"文档表格中的单元格超过 {MAX_CELLS // 10_000} 万个，不像是任务台账")
    body = root.find(W + "body")
    if body is None:
        return []
    return list(_body_blocks(body, _counter()))
