"""The Word progress report (GB/T 9704 style) built from resources/templates/report.docx.

Rows are made by deep-copying a prepared <w:tr> and setting the text of its <w:t> nodes: python-docx's
add_row() + cell.text costs about 2 ms a row, this about 0.1 ms (benchmarks/bench_report.py).
"""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from desktop_app.domain import clock
from desktop_app.domain.model import ColumnSpec, Ledger, Task
from desktop_app.domain.serialize import ledger_to_dict
from desktop_app.exporters.common import (
    COLUMN_WEIGHTS,
    ReportOptions,
    cell_text,
    has_section_titles,
    report_columns,
    section_merges,
    with_progress,
)
from desktop_app.exporters.embedded import add_to_docx, docx_row_hashes
from desktop_app.exporters.files import save_atomically
from desktop_app.exporters.identity import stamp_docx, visible_round
from desktop_app.exporters.public import public_edition

W_P, W_R, W_T, W_BR = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:br")
W_TBL, W_TR, W_TC, W_TCPR = qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:tcPr")
W_TCW, W_GRIDSPAN, W_VMERGE, W_VAL = qn("w:tcW"), qn("w:gridSpan"), qn("w:vMerge"), qn("w:val")
W_PPR, W_PSTYLE, W_JC, W_GRID, W_GRIDCOL = (
    qn("w:pPr"),
    qn("w:pStyle"),
    qn("w:jc"),
    qn("w:tblGrid"),
    qn("w:gridCol"),
)
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

CENTERED = frozenset({"number", "key_work", "item", "deadline", "status"})
MERGEABLE = ("number", "key_work", "item")
BLANK = "\u3000" * 6  # room to write by hand
_BAD_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def template_path() -> Path:
    from desktop_app.paths import resource

    return resource("templates", "report.docx")


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _BAD_XML.sub("", text) if _BAD_XML.search(text) else text


def set_text(t: etree._Element, text: str) -> None:
    """Text into a <w:t>; line breaks become <w:br/> + a further <w:t> in the same run."""
    text = _clean(text)
    if "\n" not in text:
        t.text = text
        return
    lines = text.split("\n")
    t.text = lines[0]
    run = t.getparent()
    at = run.index(t) + 1
    for line in lines[1:]:
        run.insert(at, run.makeelement(W_BR, {}))
        t2 = run.makeelement(W_T, {XML_SPACE: "preserve"})
        t2.text = line
        run.insert(at + 1, t2)
        at += 2


def _widths(cols: list[ColumnSpec], total: int) -> list[int]:
    weights = [COLUMN_WEIGHTS.get(c.field, 2.0) for c in cols]
    s = sum(weights)
    out = [int(total * w / s) for w in weights]
    out[-1] += total - sum(out)
    return out


def _shape_cell(tc: etree._Element, width: int, span: int = 1, align: str | None = None) -> None:
    tcpr = tc.find(W_TCPR)
    tcpr.find(W_TCW).set(qn("w:w"), str(width))
    if span > 1:
        gs = tcpr.makeelement(W_GRIDSPAN, {W_VAL: str(span)})
        tcpr.insert(1, gs)
    if align:
        ppr = tc.find(W_P).find(W_PPR)
        ppr.append(ppr.makeelement(W_JC, {W_VAL: align}))


class _RowMaker:
    """Prepared rows, one per layout: each copy then gets its text and vertical merges."""

    def __init__(self, body_tr: etree._Element, cols: list[ColumnSpec], widths: list[int]) -> None:
        self.cols = cols
        self.widths = widths
        self.cell_proto = body_tr.find(W_TC)
        self.tr_proto = copy.deepcopy(body_tr)
        for tc in self.tr_proto.findall(W_TC):
            self.tr_proto.remove(tc)
        fields = [c.field for c in cols]
        # the source's "主要内容" spanning item + content: rows without an item use one wide cell
        self.item_at = fields.index("item") if "item" in fields else -1
        self.can_join_item = (
            self.item_at >= 0 and self.item_at + 1 < len(fields) and fields[self.item_at + 1] == "content"
        )
        self._layouts: dict[bool, tuple[etree._Element, list[int]]] = {}

    def _layout(self, join_item: bool) -> tuple[etree._Element, list[int]]:
        """(row, slot per column: index of its cell, or -1 when folded into the next)."""
        if join_item not in self._layouts:
            tr = copy.deepcopy(self.tr_proto)
            slots: list[int] = []
            i = 0
            while i < len(self.cols):
                tc = copy.deepcopy(self.cell_proto)
                field = self.cols[i].field
                if join_item and i == self.item_at:
                    _shape_cell(tc, self.widths[i] + self.widths[i + 1], 2, None)
                    slots += [-1, len(tr.findall(W_TC))]
                    i += 2
                else:
                    _shape_cell(tc, self.widths[i], 1, "center" if field in CENTERED else None)
                    slots.append(len(tr.findall(W_TC)))
                    i += 1
                tr.append(tc)
            self._layouts[join_item] = (tr, slots)
        return self._layouts[join_item]

    def row(self, texts: list[str], join_item: bool, merges: dict[int, str]) -> etree._Element:
        """merges: column index -> "restart" | "continue"."""
        proto, slots = self._layout(join_item)
        tr = copy.deepcopy(proto)
        ts = list(tr.iter(W_T))
        tcs = tr.findall(W_TC) if merges else None
        for ci, slot in enumerate(slots):
            if slot < 0:
                continue
            how = merges.get(ci)
            if how is not None and tcs is not None:
                tcpr = tcs[slot].find(W_TCPR)
                attrs = {W_VAL: "restart"} if how == "restart" else {}
                at = 2 if tcpr.find(W_GRIDSPAN) is not None else 1  # schema order: tcW, gridSpan, vMerge
                tcpr.insert(at, tcpr.makeelement(W_VMERGE, attrs))
                if how == "continue":
                    continue
            text = texts[ci]
            if text:
                set_text(ts[slot], text)
        return tr


def _section_row(section_tr: etree._Element, title: str, total: int, ncols: int) -> etree._Element:
    tr = copy.deepcopy(section_tr)
    tc = tr.find(W_TC)
    tcpr = tc.find(W_TCPR)
    tcpr.find(W_TCW).set(qn("w:w"), str(total))
    tcpr.find(W_GRIDSPAN).set(W_VAL, str(ncols))
    if re.match(r"\s*[（(][一二三四五六七八九十]+[）)]", title):
        tc.find(W_P).find(W_PPR).find(W_PSTYLE).set(W_VAL, "TableGroup")  # second level: 楷体
    set_text(next(tr.iter(W_T)), title.strip())
    return tr


def _header_row(header_tr: etree._Element, cols: list[ColumnSpec], widths: list[int]) -> etree._Element:
    tr = copy.deepcopy(header_tr)
    proto = tr.find(W_TC)
    for tc in tr.findall(W_TC):
        tr.remove(tc)
    i = 0
    while i < len(cols):
        j = i
        while j + 1 < len(cols) and cols[j + 1].header == cols[i].header:
            j += 1  # the same header over several columns (主要内容 over item + content): one cell
        tc = copy.deepcopy(proto)
        _shape_cell(tc, sum(widths[i : j + 1]), j - i + 1)
        set_text(next(tc.iter(W_T)), cols[i].header)
        tr.append(tc)
        i = j + 1
    return tr


def _fill_table(
    tbl: etree._Element,
    ledger: Ledger,
    cols: list[ColumnSpec],
    options: ReportOptions,
    task_rows: list[etree._Element] | None = None,
) -> int:
    header_tr, body_tr, section_tr = tbl.findall(W_TR)[:3]
    total = int(tbl.find(qn("w:tblPr")).find(qn("w:tblW")).get(qn("w:w")))
    widths = _widths(cols, total)
    grid = tbl.find(W_GRID)
    for gc in grid.findall(W_GRIDCOL):
        grid.remove(gc)
    for w in widths:
        grid.append(grid.makeelement(W_GRIDCOL, {qn("w:w"): str(w)}))
    for tr in (header_tr, body_tr, section_tr):
        tbl.remove(tr)

    tbl.append(_header_row(header_tr, cols, widths))
    maker = _RowMaker(body_tr, cols, widths)
    merge_cols = {i: c.field for i, c in enumerate(cols) if c.field in MERGEABLE}
    with_sections = has_section_titles(ledger)
    rows = 0
    for section in ledger.sections:
        if with_sections and (section.title or "").strip():
            tbl.append(_section_row(section_tr, section.title or "", total, len(cols)))
        tasks: list[Task] = section.tasks
        m = section_merges(tasks)
        for ri, task in enumerate(tasks):
            texts = [cell_text(task, c, options) for c in cols]
            join_item = maker.can_join_item and not (task.item or "").strip()
            merges: dict[int, str] = {}
            for ci, field in merge_cols.items():
                if field == "item" and join_item:
                    continue
                if m.is_continued(field, ri):
                    merges[ci] = "continue"
                elif m.is_start(field, ri):
                    merges[ci] = "restart"
            tr = maker.row(texts, join_item, merges)
            tbl.append(tr)
            if task_rows is not None:
                task_rows.append(tr)
            rows += 1
    return rows


def _paragraph_text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(W_T))


def _fill_paragraphs(paragraphs: list[etree._Element], values: dict[str, str], public: bool) -> None:
    """Placeholders replaced; the lines naming persons dropped in the public edition (and the short
    info line in the internal one)."""
    for p in paragraphs:
        text = _paragraph_text(p)
        style = _style(p)
        drop = False
        if style == "InfoLine":
            full = "{{填报人}}" in text
            drop = full if public else not full
        elif style == "SignBlock" and public and ("{{填报人}}" in text or "{{审核人}}" in text):
            drop = True
        if drop:
            p.getparent().remove(p)
            continue
        for t in p.iter(W_T):
            if t.text and "{{" in t.text:
                t.text = re.sub(r"\{\{(.+?)\}\}", lambda m: values.get(m.group(1), ""), t.text)


def _style(p: etree._Element) -> str | None:
    ppr = p.find(W_PPR)
    ps = ppr.find(W_PSTYLE) if ppr is not None else None
    return ps.get(W_VAL) if ps is not None else None


def write_report(ledger: Ledger, path: Path, options: ReportOptions) -> None:
    """The progress report as a Word document (.docx), ready to print, sign and seal."""
    ledger, options = public_edition(ledger, options)
    cols = report_columns(ledger, options)
    doc = Document(str(template_path()))
    body = doc.element.body
    day = clock.chinese_date(options.as_of)

    def pad(value: str) -> str:
        return f"\u3000{value}\u3000" if value else BLANK

    values = {
        "标题": options.title or ledger.title or "任务落实台账",
        "截至日期": "，".join(filter(None, [day, visible_round(ledger, options)])),
        "填报单位": options.unit or ledger.owner_unit or "",
        "填报人": options.filler,
        "联系电话": options.phone,
        "填报时间": day,
        "日期": day,
    }
    values_sign = {
        **values,
        "填报人": pad(options.filler),
        "联系电话": pad(options.phone),
        "审核人": pad(options.reviewer),
        "单位负责人": pad(options.head_of_unit),
    }
    table = body.find(W_TBL)
    children = list(body)
    at = children.index(table)
    _fill_paragraphs([el for el in children[:at] if el.tag == W_P], values, options.public)
    _fill_paragraphs([el for el in children[at + 1 :] if el.tag == W_P], values_sign, options.public)
    task_rows: list[etree._Element] = []
    _fill_table(table, ledger, cols, options, task_rows)

    props = doc.core_properties
    props.title = values["标题"]
    props.author = values["填报单位"]
    props.last_modified_by = values["填报单位"]
    props.comments = ""
    props.language = "zh-CN"
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    props.created = now
    props.modified = now

    shown = docx_row_hashes(table.findall(W_TR), task_rows)  # what each task's row shows, for re-import
    identity = stamp_docx(doc, ledger, options)  # ledger id, unit, round, date (docProps/custom.xml)
    add_to_docx(doc, {**ledger_to_dict(with_progress(ledger, options)), "identity": identity}, shown)
    save_atomically(doc.save, path)
