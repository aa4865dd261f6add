"""The machine-readable copy inside each exported .docx/.xlsx (read back by importers.embedded_copy)."""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from lxml import etree

from desktop_app.domain.fingerprint import VISIBLE_FORMAT, row_hashes

EMBED_NS = "urn:desktop_app:ledger:1"
EMBED_SHEET = "_ledger_data"
EMBED_MARKER = "desktop_app.ledger.embedded:1"
CHUNK = 30000  # characters per Excel cell (the limit is 32,767)

_CUSTOM_XML_PROPS_CT = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_RT_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
_RT_CUSTOM_XML_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
_ITEM_ID = "{6B1C2E63-5D0A-4F6B-9A55-2D5D8E2C1A01}"


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_P, _W_TC, _W_TR, _W_SDT, _W_SDTC = _W + "p", _W + "tc", _W + "tr", _W + "sdt", _W + "sdtContent"
_W_WRAPPERS = (_W + "customXml", _W + "smartTag", _W + "ins", _W + "hyperlink")


def with_visible(data: dict[str, Any], visible: Sequence[list[str] | None] | None) -> dict[str, Any]:
    """The copy with, per task (in document order), the hashes of its row's visible cells as written
    (see domain.fingerprint). A task with None was not written as a row of its own."""
    if visible is None:
        return data
    tasks = [t for s in data.get("sections", []) for t in s.get("tasks", [])]
    if len(tasks) != len(visible):
        return data  # rows and tasks don't line up: leave the copy without hashes (all visible wins)
    data["visible_format"] = VISIBLE_FORMAT
    for task, hashes in zip(tasks, visible, strict=True):
        task.pop("visible", None)
        if hashes is not None:
            task["visible"] = list(hashes)
    return data


def _tc_text(tc: etree._Element) -> str:
    """The text of a cell as docx_reader reads it (paragraphs, content controls), spaces aside."""
    out: list[str] = []

    def walk(parent: etree._Element) -> None:
        for child in parent:
            if child.tag == _W_P:
                out.extend(t.text or "" for t in child.iter(_W + "t"))
            elif child.tag == _W_SDT:
                content = child.find(_W_SDTC)
                if content is not None:
                    walk(content)
            elif child.tag in _W_WRAPPERS:
                walk(child)

    walk(tc)
    return "".join(out)


def _tr_cells(tr: etree._Element) -> Iterable[etree._Element]:
    for child in tr:
        if child.tag == _W_TC:
            yield child
        elif child.tag == _W_SDT or child.tag in _W_WRAPPERS:
            content = child.find(_W_SDTC) if child.tag == _W_SDT else child
            if content is not None:
                yield from _tr_cells(content)


def docx_row_hashes(
    trs: Sequence[etree._Element], wanted: Sequence[etree._Element]
) -> list[list[str] | None]:
    """Visible hashes of the `wanted` rows among `trs` (the rows of one table, in order): grid spans
    and vertical merges resolved as docx_reader does (a continued cell shows the text above)."""
    found: list[list[str]] = []
    above: dict[int, tuple[str, Hashable]] = {}
    key = 0
    for tr in trs:
        row: list[tuple[str, Hashable]] = []
        trpr = tr.find(_W + "trPr")
        before = trpr.find(_W + "gridBefore") if trpr is not None else None
        for _ in range(_int(before, 0)):
            key += 1
            row.append(("", key))
        for tc in _tr_cells(tr):
            pr = tc.find(_W + "tcPr")
            span, vmerge = 1, None
            if pr is not None:
                span = _int(pr.find(_W + "gridSpan"), 1)
                vm = pr.find(_W + "vMerge")
                if vm is not None:
                    vmerge = vm.get(_W + "val") or "continue"
            col = len(row)
            if vmerge == "continue" and col in above:
                cell = above[col]
            else:
                key += 1
                cell = (_tc_text(tc), key)
            row.extend([cell] * span)
        for c, cell in enumerate(row):
            above[c] = cell
        found.append(row_hashes(row))
    at = {id(tr): i for i, tr in enumerate(trs)}  # both sequences hold their elements: ids are stable
    return [found[at[id(tr)]] if id(tr) in at else None for tr in wanted]


def _int(el: etree._Element | None, default: int) -> int:
    if el is None:
        return default
    try:
        return max(1, int(el.get(_W + "val", default)))
    except ValueError:
        return default


def sheet_row_hashes(ws: Any, rows: Sequence[int]) -> list[list[str]]:
    """Visible hashes of the given worksheet rows (1-based), merged ranges read as xlsx_reader does
    (every cell of a range shows its top-left value)."""
    wanted = set(rows)
    width = ws.max_column or 0
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    for rng in ws.merged_cells.ranges:
        if not any(rng.min_row <= r <= rng.max_row for r in wanted):
            continue
        for r in range(rng.min_row, rng.max_row + 1):
            if r in wanted:
                for c in range(rng.min_col, rng.max_col + 1):
                    origin[(r, c)] = (rng.min_row, rng.min_col)
    out: list[list[str]] = []
    for r in rows:
        cells: list[tuple[str, Hashable]] = []
        for c in range(1, width + 1):
            at = origin.get((r, c), (r, c))
            value = ws.cell(row=at[0], column=at[1]).value
            cells.append(("" if value is None else str(value), at))
        out.append(row_hashes(cells))
    return out


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def ledger_xml(data: dict[str, Any]) -> bytes:
    """<ledger xmlns="urn:desktop_app:ledger:1" format="json">{...}</ledger> (the JSON as escaped text)."""
    root = etree.Element(f"{{{EMBED_NS}}}ledger", nsmap={None: EMBED_NS})
    root.set("format", "json")
    root.text = to_json(data)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _props_xml() -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        f'<ds:datastoreItem ds:itemID="{_ITEM_ID}" xmlns:ds="{_DS}">'
        f'<ds:schemaRefs><ds:schemaRef ds:uri="{EMBED_NS}"/></ds:schemaRefs></ds:datastoreItem>'
    ).encode()


def add_to_docx(
    document: Any, data: dict[str, Any], visible: Sequence[list[str] | None] | None = None
) -> None:
    """A custom XML part (customXml/itemN.xml + itemPropsN.xml) related from the document part.
    `visible`: per task, the hashes of its row as written (docx_row_hashes)."""
    data = with_visible(data, visible)
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    main = document.part
    package = main.package
    taken = {str(p.partname) for p in package.iter_parts()}
    n = 1
    while f"/customXml/item{n}.xml" in taken:
        n += 1
    item = Part(PackURI(f"/customXml/item{n}.xml"), "application/xml", ledger_xml(data), package)
    props = Part(PackURI(f"/customXml/itemProps{n}.xml"), _CUSTOM_XML_PROPS_CT, _props_xml(), package)
    item.relate_to(props, _RT_CUSTOM_XML_PROPS)
    main.relate_to(item, _RT_CUSTOM_XML)


def add_to_book(book: Any, data: dict[str, Any], visible: Sequence[list[str] | None] | None = None) -> None:
    """The same very hidden sheet in an xlsx_writer.Book: A1 marker, A2 number of chunks, A3.. the JSON."""
    data = with_visible(data, visible)
    ws = book.add_sheet(EMBED_SHEET, state="veryHidden")
    # "_x0041_" would be read as "A" by a spreadsheet program (the cell escape), U+FFFE/FFFF are not XML:
    # JSON escapes for all three ("_" occurs only inside JSON strings), read back unchanged by json.loads
    text = to_json(data).replace("_x", "\\u005fx").replace("\ufffe", "\\ufffe").replace("\uffff", "\\uffff")
    chunks = [text[i : i + CHUNK] for i in range(0, len(text), CHUNK)] or [""]
    ws.append([EMBED_MARKER])
    ws.append([len(chunks)])
    for chunk in chunks:
        ws.append([chunk])  # inline text: a piece starting with "=" is text, not a formula
