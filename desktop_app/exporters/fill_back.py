"""按原表填报: write each task's progress into the city office's own .docx, changing nothing else.

Walks the XML (no python-docx table.cell loops): the tables' rows in document order are matched with
the ledger's tasks by content, then by number ("3-2" = 2nd row of item 3), and only the progress cells
and the "填报单位：… 填报时间：" line are rewritten. Every other zip member is copied byte for byte.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from desktop_app.domain import clock
from desktop_app.domain.model import Ledger, Task
from desktop_app.domain.serialize import ledger_to_dict
from desktop_app.exporters.common import ReportOptions, progress_of, with_progress
from desktop_app.exporters.embedded import (
    _CUSTOM_XML_PROPS_CT,
    _RT_CUSTOM_XML,
    _RT_CUSTOM_XML_PROPS,
    _props_xml,
    docx_row_hashes,
    ledger_xml,
    with_visible,
)
from desktop_app.exporters.errors import ExportFailed
from desktop_app.exporters.files import save_atomically
from desktop_app.exporters.identity import stamp_members
from desktop_app.exporters.public import public_edition

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

PROGRESS_HEADER = re.compile(
    r"(推进|进展|进度|落实|完成|办理|工作)(落实)?(情况|進展)|推進情況|進展情況|工作进展|完成進度|进度"
)
NUMBER_HEADER = re.compile(r"^(序号|序號|编号|編號)$")
CONTENT_HEADER = re.compile(
    r"主要内容|主要內容|重要内容|工作任务|工作任務|具体内容|任务内容|工作内容|主要措施"
)
_SPACES = " \u3000\u00a0\t"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)


@dataclass
class FillBackResult:
    filled: int = 0  # progress cells written
    unmatched: list[str] = field(default_factory=list)  # numbers of tasks with no row found
    info_line: bool = False  # a 填报单位/填报时间 line was filled


@dataclass
class _Row:
    number: str
    content: str
    progress_tc: etree._Element
    tr: etree._Element


def _text(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


def _norm(s: str) -> str:
    return re.sub(r"[\s\u3000\u00a0]+", "", s)


def _cells(tr: etree._Element) -> list[tuple[int, int, etree._Element]]:
    """(first grid column, span, tc) for each cell of a row."""
    out = []
    col = 0
    trpr_before = tr.find(f"{W}trPr")
    if trpr_before is not None:
        gb = trpr_before.find(f"{W}gridBefore")
        if gb is not None:
            col = int(gb.get(f"{W}val", "0"))
    for tc in tr.findall(f"{W}tc"):
        span = 1
        tcpr = tc.find(f"{W}tcPr")
        if tcpr is not None:
            gs = tcpr.find(f"{W}gridSpan")
            if gs is not None:
                span = int(gs.get(f"{W}val", "1"))
        out.append((col, span, tc))
        col += span
    return out


def _vmerge(tc: etree._Element) -> str | None:
    tcpr = tc.find(f"{W}tcPr")
    vm = tcpr.find(f"{W}vMerge") if tcpr is not None else None
    if vm is None:
        return None
    return vm.get(f"{W}val") or "continue"


def _table_rows(tbl: etree._Element) -> list[_Row]:
    """Data rows of one table that has a progress column (header rows and section rows skipped)."""
    trs = tbl.findall(f"{W}tr")
    header = None
    for i, tr in enumerate(trs[:4]):
        texts = [(c, s, _norm(_text(tc))) for c, s, tc in _cells(tr)]
        if any(PROGRESS_HEADER.search(t) for _, _, t in texts):
            header = (i, texts)
            break
    if header is None:
        return []
    hi, htexts = header
    progress_col = next(c for c, _, t in htexts if PROGRESS_HEADER.search(t))
    number_col = next((c for c, _, t in htexts if NUMBER_HEADER.match(t)), None)
    content = next(((c, c + s) for c, s, t in htexts if CONTENT_HEADER.search(t)), None)
    header_key = [t for _, _, t in htexts]

    rows: list[_Row] = []
    last_number = ""
    group_size: dict[str, int] = {}
    for tr in trs[hi + 1 :]:
        cells = _cells(tr)
        if [_norm(_text(tc)) for _, _, tc in cells] == header_key:
            continue  # the header again
        progress_tc = next((tc for c, _, tc in cells if c == progress_col), None)
        if progress_tc is None:
            continue  # a section row spanning the table
        number = last_number
        if number_col is not None:
            ntc = next((tc for c, _, tc in cells if c == number_col), None)
            if ntc is not None and _vmerge(ntc) != "continue":
                number = _norm(_text(ntc))
        last_number = number
        group_size[number] = group_size.get(number, 0) + 1
        text = ""
        if content is not None:
            lo, hi_ = content
            text = "".join(_norm(_text(tc)) for c, s, tc in cells if c < hi_ and c + s > lo)
        rows.append(_Row(f"{number}#{group_size[number]}", text, progress_tc, tr))
    # "5#1", "5#2" -> "5-1", "5-2"; a number on one row only stays "5"
    for r in rows:
        base, k = r.number.split("#")
        r.number = base if group_size[base] == 1 else f"{base}-{k}"
    return rows


def _match(tasks: list[Task], rows: list[_Row]) -> tuple[list[tuple[Task, _Row]], list[Task]]:
    """In document order: the next row holding the task's content, else the row with its number."""
    pairs: list[tuple[Task, _Row]] = []
    missed: list[Task] = []
    used: set[int] = set()
    at = 0
    for task in tasks:
        want = _norm(task.content)[:40]
        found = None
        if want:
            for j in range(at, len(rows)):
                if j not in used and want in rows[j].content:
                    found = j
                    break
        if found is None and task.number:
            num = _norm(task.number)
            found = next((j for j in range(len(rows)) if j not in used and rows[j].number == num), None)
        if found is None and not want and at < len(rows) and at not in used:
            found = at  # no content and no number: the next row
        if found is None:
            missed.append(task)
            continue
        used.add(found)
        pairs.append((task, rows[found]))
        at = found + 1
    return pairs, missed


def _first_rpr(tr: etree._Element, tc: etree._Element) -> etree._Element | None:
    for el in (tc, tr):
        r = el.find(f".//{W}r/{W}rPr")
        if r is not None:
            return r
    return None


def _write_cell(tr: etree._Element, tc: etree._Element, text: str) -> None:
    """Progress into the cell, keeping its first paragraph's and run's formatting."""
    paragraphs = tc.findall(f"{W}p")
    if not paragraphs:
        p = etree.SubElement(tc, f"{W}p")
        paragraphs = [p]
    p = paragraphs[0]
    for extra in paragraphs[1:]:
        tc.remove(extra)
    runs = p.findall(f"{W}r")
    rpr = runs[0].find(f"{W}rPr") if runs else None
    if rpr is None:
        found = _first_rpr(tr, tc)
        rpr = etree.fromstring(etree.tostring(found)) if found is not None else None
    else:
        rpr = etree.fromstring(etree.tostring(rpr))
    for child in list(p):
        if child.tag != f"{W}pPr":
            p.remove(child)
    for i, line in enumerate(text.replace("\r\n", "\n").split("\n")):
        r = etree.SubElement(p, f"{W}r")
        if rpr is not None:
            r.append(etree.fromstring(etree.tostring(rpr)))
        t = etree.SubElement(r, f"{W}t")
        t.set(XML_SPACE, "preserve")
        t.text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", line)
        if i == 0:
            continue
        r.insert(1 if rpr is not None else 0, etree.Element(f"{W}br"))


def _fill_label(text: str, label: str, value: str) -> str:
    """After "label：", put value in place of as many full-width spaces as it is wide (layout kept)."""
    if not value:
        return text
    m = re.search(rf"({label}\s*[：:])([{_SPACES}]*)", text)
    if not m:
        return text
    after = text[m.end() :]
    spaces = m.group(2)
    if not spaces and after and not after.startswith(tuple(_SPACES)) and after.strip():
        existing = re.match(r"\d{4}年\d{1,2}月\d{1,2}日", after)
        if existing and label == "填报时间":
            return text[: m.end()] + value + after[existing.end() :]
        return text  # already filled in
    width = sum(2 if ord(c) > 0x2E80 else 1 for c in value)
    room = sum(2 if c == "\u3000" else 1 for c in spaces)
    keep = max(room - width, 2 if after.strip() else 0)
    rest = "\u3000" * (keep // 2) + " " * (keep % 2)
    return text[: m.end(1)] + value + rest + after


def _fill_info_line(body: etree._Element, options: ReportOptions, unit: str) -> bool:
    done = False
    for p in body.iter(f"{W}p"):
        full = _text(p)
        if "填报单位" not in full and "填报时间" not in full:
            continue
        if p.getparent() is not None and p.getparent().tag == f"{W}tc":
            continue
        new = full
        new = _fill_label(new, "填报单位", unit)
        if not options.public:
            new = _fill_label(new, "填报人", options.filler)
            new = _fill_label(new, "联系电话", options.phone)
        new = _fill_label(new, "填报时间", clock.chinese_date(options.made_on))
        if new == full:
            continue
        ts = list(p.iter(f"{W}t"))
        # the line is usually one run; otherwise the first run takes the text, so its formatting rules
        ts[0].text = new
        ts[0].set(XML_SPACE, "preserve")
        for t in ts[1:]:
            t.text = ""
        done = True
    return done


def _add_custom_xml(members: dict[str, bytes], order: list[str], data: dict) -> None:
    n = 1
    while f"customXml/item{n}.xml" in members:
        n += 1
    item, props = f"customXml/item{n}.xml", f"customXml/itemProps{n}.xml"
    members[item] = ledger_xml(data)
    members[props] = _props_xml()
    members[f"customXml/_rels/item{n}.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{_RT_CUSTOM_XML_PROPS}" '
        f'Target="itemProps{n}.xml"/></Relationships>'
    ).encode()
    ct = etree.fromstring(members["[Content_Types].xml"], _PARSER)
    override = etree.SubElement(ct, f"{{{CT_NS}}}Override")
    override.set("PartName", f"/{props}")
    override.set("ContentType", _CUSTOM_XML_PROPS_CT)
    if not any(d.get("Extension", "").lower() == "xml" for d in ct.iter(f"{{{CT_NS}}}Default")):
        d = etree.SubElement(ct, f"{{{CT_NS}}}Default")
        d.set("Extension", "xml")
        d.set("ContentType", "application/xml")
    members["[Content_Types].xml"] = etree.tostring(
        ct, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    rels_name = "word/_rels/document.xml.rels"
    if rels_name in members:
        rels = etree.fromstring(members[rels_name], _PARSER)
    else:
        rels = etree.Element(f"{{{PKG_REL}}}Relationships", nsmap={None: PKG_REL})
        order.append(rels_name)
    ids = {r.get("Id") for r in rels}
    rid = next(f"rIdLedger{i}" for i in range(1, 1000) if f"rIdLedger{i}" not in ids)
    rel = etree.SubElement(rels, f"{{{PKG_REL}}}Relationship")
    rel.set("Id", rid)
    rel.set("Type", _RT_CUSTOM_XML)
    rel.set("Target", f"../{item}")
    members[rels_name] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
    order.extend([item, props, f"customXml/_rels/item{n}.xml.rels"])


def fill_back(ledger: Ledger, path: Path, options: ReportOptions) -> FillBackResult:
    """The original .docx with progress filled in, saved to path."""
    source = ledger.source_file
    name = ledger.source_name or "原始台账"
    if not source or not zipfile.is_zipfile(io.BytesIO(source)):
        raise ExportFailed(
            f"《{ledger.title or name}》没有保存原始 Word 文件（.docx），无法按原表填报。"
            "请改用“导出报告”，或重新导入原始 .docx 台账后再试。"
        )
    with zipfile.ZipFile(io.BytesIO(source)) as z:
        infos = z.infolist()
        if "word/document.xml" not in {i.filename for i in infos}:
            raise ExportFailed(f"《{name}》不是 Word 文档（.docx），无法按原表填报。请改用“导出报告”。")
        if any(i.file_size > 256 * 1024 * 1024 for i in infos):
            raise ExportFailed(f"《{name}》过大或已损坏，无法按原表填报。请改用“导出报告”。")
        members = {i.filename: z.read(i) for i in infos}
        order = [i.filename for i in infos]

    ledger, options = public_edition(ledger, options)
    try:
        doc = etree.fromstring(members["word/document.xml"], _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ExportFailed(
            f"《{name}》的正文已损坏，无法按原表填报。请在 Word/WPS 中另存为 .docx 后重新导入。"
        ) from exc
    body = doc.find(f"{W}body")
    rows: list[_Row] = []
    tables: list[etree._Element] = []
    for tbl in body.iter(f"{W}tbl"):
        if tbl.getparent() is body or tbl.getparent().tag != f"{W}tc":
            rows.extend(_table_rows(tbl))
            tables.append(tbl)
    if not rows:
        raise ExportFailed(f"《{name}》中找不到“推进情况/进展落实情况”列，无法按原表填报。请改用“导出报告”。")

    result = FillBackResult()
    pairs, missed = _match(ledger.all_tasks(), rows)
    for task, row in pairs:
        text = progress_of(task, options)
        if text.strip():
            _write_cell(row.tr, row.progress_tc, text)
            result.filled += 1
    result.unmatched = [t.number or t.content[:12] for t in missed]
    result.info_line = _fill_info_line(body, options, options.unit or ledger.owner_unit)
    members["word/document.xml"] = etree.tostring(
        doc, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    # What each task's row shows once filled, so that a re-import sees which cells were edited.
    by_task: dict[int, list[str] | None] = {}
    for tbl in tables:
        mine = [(task, row.tr) for task, row in pairs if row.tr.getparent() is tbl]
        shown = docx_row_hashes(tbl.findall(f"{W}tr"), [tr for _task, tr in mine])
        by_task.update((id(task), hashes) for (task, _tr), hashes in zip(mine, shown, strict=True))
    visible = [by_task.get(id(task)) for task in ledger.all_tasks()]
    identity = stamp_members(members, order, ledger, options)  # ledger id, unit, round, date
    data = with_visible(ledger_to_dict(with_progress(ledger, options)), visible)
    _add_custom_xml(members, order, {**data, "identity": identity})

    def save(target: str) -> None:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for n in dict.fromkeys(order):
                out.writestr(n, members[n])

    save_atomically(save, Path(path))
    return result
