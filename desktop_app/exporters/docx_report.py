"""The Word progress report (GB/T 9704 style) on the page setup and styles of resources/templates/report.docx.

The body is written as WordprocessingML text from the report's layout model (exporters.common
build_report_model: measured column widths, row groups kept on one page or continued as "21（续）") and
parsed once; python-docx only carries the package. No python-docx cell API is used: cell(i, j) and
add_row() cost milliseconds a row (benchmarks/bench_report.py compares).
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree

from desktop_app.domain import clock
from desktop_app.domain.fingerprint import row_hashes
from desktop_app.domain.model import Attachment, Ledger, ProgressEntry, Task, TaskStatus
from desktop_app.domain.privacy import mask_all
from desktop_app.domain.serialize import ledger_to_dict
from desktop_app.exporters.common import (
    GBT9704_LANDSCAPE,
    ReportModel,
    ReportOptions,
    ReportRow,
    build_report_model,
    lines_needed,
    with_progress,
)
from desktop_app.exporters.embedded import add_to_docx
from desktop_app.exporters.files import save_atomically
from desktop_app.exporters.identity import stamp_docx, visible_round
from desktop_app.exporters.public import public_edition

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_P, W_TBL, W_TR, W_SECTPR = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:sectPr")

CENTERED = frozenset({"number", "key_work", "item", "deadline", "status"})
SIGN_BLANK = "\u3000" * 5  # the line to sign on: underlined, never printed over
_BAD_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TWIPS = 20  # per point

# Heights (points) of the paragraphs around the table, as the template's styles set them (exact lines).
TITLE_LINE, TITLE_AFTER = 28.0, 6.0
SUBTITLE_LINE, SUBTITLE_AFTER = 22.0, 8.0
INFO_LINE, INFO_AFTER = 20.0, 6.0
SIGN_LINE, SIGN_BEFORE = 26.0, 12.0


def template_path() -> Path:
    from desktop_app.paths import resource

    return resource("templates", "report.docx")


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _BAD_XML.sub("", text) if _BAD_XML.search(text) else text


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _runs(text: str, rpr: str = "") -> str:
    """A run of text; line breaks become <w:br/> inside it."""
    text = _clean(text)
    if not text:
        return ""
    pr = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    parts = [f'<w:t xml:space="preserve">{_esc(line)}</w:t>' for line in text.split("\n")]
    return f"<w:r>{pr}{'<w:br/>'.join(parts)}</w:r>"


def _para(style: str, body: str, keep_next: bool = False, extra: str = "") -> str:
    kn = "<w:keepNext/>" if keep_next else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{kn}{extra}</w:pPr>{body}</w:p>'


def _twips(points: float) -> int:
    return int(round(points * TWIPS))


class _TableWriter:
    """WordprocessingML of the report's table from the layout model, with the visible hashes of each task
    row computed as embedded.docx_row_hashes would read them back (spans and merges resolved)."""

    def __init__(self, model: ReportModel) -> None:
        self.model = model
        self.grid = [_twips(w) for w in model.widths]
        self.grid[-1] += _twips(sum(model.widths)) - sum(self.grid)
        self.total = sum(self.grid)
        self._key = 0
        self._above: dict[int, tuple[str, Hashable]] = {}

    def _tc(self, width: int, body: str, span: int = 1, merge: str = "") -> str:
        gs = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        vm = '<w:vMerge w:val="restart"/>' if merge == "restart" else "<w:vMerge/>" if merge else ""
        return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{gs}{vm}<w:vAlign w:val="center"/></w:tcPr>{body}</w:tc>'

    def header(self) -> str:
        cells = []
        at = 0
        for h in self.model.header:
            width = sum(self.grid[at : at + h.span])
            cells.append(self._tc(width, _para("TableHeader", _runs(h.text)), h.span))
            at += h.span
        self._above = {}
        return f'<w:tr><w:trPr><w:cantSplit/><w:tblHeader/><w:jc w:val="center"/></w:trPr>{"".join(cells)}</w:tr>'

    def section(self, row: ReportRow) -> str:
        title = row.cells[0].text
        style = "TableGroup" if re.match(r"\s*[（(][一二三四五六七八九十]+[）)]", title) else "TableSection"
        self._above = {}
        cell = self._tc(self.total, _para(style, _runs(title)), len(self.grid))
        return f'<w:tr><w:trPr><w:cantSplit/><w:jc w:val="center"/></w:trPr>{cell}</w:tr>'

    def task(self, row: ReportRow) -> tuple[str, list[str]]:
        """The row's XML and its visible hashes."""
        kn = "<w:keepNext/>" if row.keep_next else ""
        cells = []
        grid_cells: list[tuple[str, Hashable]] = []
        at = 0
        for cell in row.cells:
            width = sum(self.grid[at : at + cell.span])
            jc = '<w:jc w:val="center"/>' if cell.field in CENTERED else ""
            body = f'<w:p><w:pPr><w:pStyle w:val="TableText"/>{kn}{jc}</w:pPr>{_runs(cell.text)}</w:p>'
            cells.append(
                self._tc(width, body, cell.span, "continue" if cell.merge == "continue" else cell.merge)
            )
            if cell.merge == "continue" and at in self._above:
                seen = self._above[at]
            else:
                self._key += 1
                seen = (_clean(cell.text).replace("\n", ""), self._key)
            grid_cells.extend([seen] * cell.span)
            at += cell.span
        for c, seen in enumerate(grid_cells):
            self._above[c] = seen
        split = "" if row.can_split else "<w:cantSplit/>"
        xml = f'<w:tr><w:trPr>{split}<w:jc w:val="center"/></w:trPr>{"".join(cells)}</w:tr>'
        return xml, row_hashes(grid_cells)

    def seal_row(self, paragraphs: list[str]) -> str:
        """The block to sign and seal as the table's last row (borders only on top), so that it stays on
        the page of the last task rows, which are chained to it: Word and LibreOffice both keep table rows
        together, while LibreOffice lets a table's last row part from a paragraph after it."""
        nil = "".join(f'<w:{side} w:val="nil"/>' for side in ("left", "bottom", "right"))
        tc = (
            f'<w:tc><w:tcPr><w:tcW w:w="{self.total}" w:type="dxa"/><w:gridSpan w:val="{len(self.grid)}"/>'
            f'<w:tcBorders>{nil}<w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tcBorders>'
            f"</w:tcPr>{''.join(paragraphs)}</w:tc>"
        )
        return f'<w:tr><w:trPr><w:cantSplit/><w:jc w:val="center"/></w:trPr>{tc}</w:tr>'

    def table(self, task_hashes: list[list[str]], seal: list[str] | None = None) -> str:
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in self.grid)
        parts = [
            '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>'
            f'<w:tblW w:w="{self.total}" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
            '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
            'w:noHBand="0" w:noVBand="1"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>",
            self.header(),
        ]
        for row in self.model.rows:
            if row.kind == "section":
                parts.append(self.section(row))
            else:
                xml, hashes = self.task(row)
                parts.append(xml)
                task_hashes.append(hashes)
        if seal:
            parts.append(self.seal_row(seal))
        parts.append("</w:tbl>")
        return "".join(parts)


def _name_apart(name: str) -> str:
    """The printed name beside (never on) the line to sign."""
    return _runs(f"（姓名：{name}）") if name.strip() else ""


def _sign_line(label: str, name: str) -> str:
    return _runs(label) + _runs(SIGN_BLANK, '<w:u w:val="single"/>') + _name_apart(name)


def sign_block(options: ReportOptions, unit: str, day: str) -> tuple[list[str], float]:
    """The block to sign and seal under the table: each signature a blank line with the printed name
    apart; 填报单位（盖章） and the date on the right. The public edition names no person."""
    paras: list[str] = []
    if not options.public:
        paras.append(
            _para(
                "SignBlock",
                _sign_line("填报人（签字）：", options.filler) + _runs("\t联系电话：" + options.phone),
                extra=f'<w:spacing w:before="{_twips(SIGN_BEFORE)}"/>',
            )
        )
        paras.append(
            _para(
                "SignBlock",
                _sign_line("审核人（签字）：", options.reviewer)
                + _runs("\t")
                + _sign_line("单位负责人（签字）：", options.head_of_unit),
            )
        )
    space = "" if paras else f'<w:spacing w:before="{_twips(SIGN_BEFORE)}"/>'
    paras.append(_para("SignDate", _runs("填报单位（盖章）：" + unit), extra=space))
    paras.append(_para("SignDate", _runs(day)))
    return paras, SIGN_BEFORE + SIGN_LINE * len(paras)


def _title_block(title: str, subtitle: str, info: str, width: float) -> tuple[list[str], float]:
    paras = [
        _para("ReportTitle", _runs(title)),
        _para("ReportSubtitle", _runs(subtitle)),
        _para("InfoLine", _runs(info)),
    ]
    height = (
        TITLE_LINE * lines_needed(title, width / 22)
        + TITLE_AFTER
        + SUBTITLE_LINE * lines_needed(subtitle, width / 16)
    )
    height += SUBTITLE_AFTER + INFO_LINE * lines_needed(info, width / 14) + INFO_AFTER
    return paras, height


def subtitle_text(ledger: Ledger, options: ReportOptions) -> str:
    """（2023年度　截至2023年8月15日）: the ledger's year and the report date."""
    day = clock.chinese_date(options.as_of)
    year = f"{ledger.year}年度\u3000" if ledger.year else ""
    return f"（{year}截至{'，'.join(filter(None, [day, visible_round(ledger, options)]))}）"


# the body does not end on a table: a paragraph follows, 1 pt high, so that it never makes a page
_END_PARA = (
    '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
    '<w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>'
)


def history_appendix(
    ledger: Ledger,
    history: dict[int, list[ProgressEntry]],
    options: ReportOptions,
    width_pt: float,
    label: str = "附件",
) -> str:
    """附件: the progress history of every task (entries up to the report date, oldest first) on a page of
    its own: 序号, 任务, 日期, 进展情况, 状态, 完成比例 (and 填报人 in the internal edition)."""
    rows: list[tuple[str, ...]] = []
    for task in ledger.all_tasks():
        known = history.get(task.id, []) if task.id is not None else []
        entries = [e for e in known if e.entry_date is None or e.entry_date <= options.as_of]
        entries.sort(key=lambda e: (e.entry_date or options.as_of, e.id or 0))
        for e in entries:
            rows.append(
                (
                    task.number,
                    _task_label(task),
                    clock.chinese_date(e.entry_date) if e.entry_date else "",
                    mask_all(e.text) if options.public else e.text,  # the public edition: masked
                    TaskStatus(e.status).label,
                    f"{e.percent}%",
                    "" if options.public else e.author,
                )
            )
    headers = ["序号", "任务", "日期", "进展情况", "状态", "完成比例"] + (
        [] if options.public else ["填报人"]
    )
    weights = [1.0, 5.0, 2.6, 8.0, 1.6, 1.6, 1.6][: len(headers)]
    return _appendix(
        label, "进展落实情况记录", subtitle_text(ledger, options), headers, weights, {0, 2, 4, 5, 6},
        [r[: len(headers)] for r in rows], "截至报送日期尚无进展记录。", width_pt,
    )


def attachment_index(
    ledger: Ledger, attachments: dict[int, list[Attachment]], options: ReportOptions, width_pt: float,
    label: str = "附件",
) -> str:
    """附件目录: the evidence (佐证材料) of every task, in task order: 序号, 任务, 材料名称, 类型, 材料包中的位置
    (the folder the evidence package gives it, exporters.evidence) or the link, 添加日期. Evidence is often
    added after the work it proves, so none is left out by the report date."""
    from desktop_app.exporters.evidence import folder_name

    rows: list[tuple[str, ...]] = []
    for i, task in enumerate(ledger.all_tasks()):
        items = attachments.get(task.id, []) if task.id is not None else []
        for a in sorted(items, key=lambda a: a.id or 0):
            where = a.url or f"{folder_name(task, i)}/{a.file_name}"
            rows.append(
                (
                    task.number,
                    _task_label(task),
                    a.file_name,
                    "链接" if a.url is not None else "文件",
                    where,
                    clock.chinese_date(a.created_at.date()) if a.created_at else "",
                )
            )
    headers = ["序号", "任务", "材料名称", "类型", "材料包中的位置（或链接）", "添加日期"]
    return _appendix(
        label, "佐证材料目录", subtitle_text(ledger, options), headers, [1.0, 4.6, 4.4, 1.2, 6.0, 2.6],
        {0, 3, 5}, rows, "截至报送日期尚无佐证材料。", width_pt,
    )


def _appendix(
    label: str,
    title: str,
    subtitle: str,
    headers: list[str],
    weights: list[float],
    center: set[int],
    rows: list[tuple[str, ...]],
    empty: str,
    width_pt: float,
) -> str:
    """An appendix on a page of its own: 附件N, its title and subtitle, and a table whose header row
    repeats on every page; `empty` stands in one row when there is nothing to list."""
    grid = [_twips(width_pt * w / sum(weights)) for w in weights]

    def tc(i: int, text: str, style: str) -> str:
        jc = '<w:jc w:val="center"/>' if i in center else ""
        return (
            f'<w:tc><w:tcPr><w:tcW w:w="{grid[i]}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{jc}</w:pPr>{_runs(text)}</w:p></w:tc>'
        )

    out = [
        _para("AppendixLabel", _runs(label)),
        _para("ReportTitle", _runs(title)),
        _para("ReportSubtitle", _runs(subtitle)),
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="{sum(grid)}" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        + "<w:tblGrid>"
        + "".join(f'<w:gridCol w:w="{w}"/>' for w in grid)
        + "</w:tblGrid>"
        '<w:tr><w:trPr><w:cantSplit/><w:tblHeader/><w:jc w:val="center"/></w:trPr>'
        + "".join(tc(i, h, "TableHeader") for i, h in enumerate(headers))
        + "</w:tr>",
    ]
    if not rows:
        out.append(
            f'<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="{sum(grid)}" w:type="dxa"/>'
            f'<w:gridSpan w:val="{len(grid)}"/></w:tcPr>'
            f"{_para('TableText', _runs(empty))}</w:tc></w:tr>"
        )
    for row in rows:
        out.append(
            '<w:tr><w:trPr><w:cantSplit/><w:jc w:val="center"/></w:trPr>'
            + "".join(tc(i, text, "TableText") for i, text in enumerate(row))
            + "</w:tr>"
        )
    out.append("</w:tbl>")
    out.append(_END_PARA)  # a table may not end the body; a full-height empty line would make a blank page
    return "".join(out)


def _task_label(task: Task) -> str:
    text = (task.content or task.item or task.key_work or "").replace("\n", "")
    return text if len(text) <= 40 else text[:39] + "…"


def write_report(
    ledger: Ledger,
    path: Path,
    options: ReportOptions,
    history: dict[int, list[ProgressEntry]] | None = None,
) -> None:
    """The progress report as a Word document (.docx), ready to print, sign and seal. `history` (task id
    -> progress entries; default options.history): when given, the progress history follows as an
    appendix (附件)."""
    if history is None:
        history = options.history
    ledger, options = public_edition(ledger, options)
    g = GBT9704_LANDSCAPE
    day = clock.chinese_date(options.made_on)  # 填报时间 and the date under the seal: the day it is made
    title = options.title or ledger.title or "任务落实台账"
    unit = options.unit or ledger.owner_unit or ""
    # the persons and the telephone are in the block to sign under the table
    info = f"填报单位：{unit}\u3000\u3000填报时间：{day}"
    head, head_height = _title_block(title, subtitle_text(ledger, options), info, g.body_width)
    tail, tail_height = sign_block(options, unit, day)
    model = build_report_model(ledger, options, g, first_page_used=head_height, tail_height=tail_height)

    task_hashes: list[list[str]] = []
    table = _TableWriter(model).table(task_hashes, tail)
    appendix = ""
    evidence = None if options.public else options.attachments  # file names stay home in the public edition
    both = history is not None and evidence is not None
    if history is not None:
        appendix = history_appendix(ledger, history, options, g.body_width, "附件1" if both else "附件")
    if evidence is not None:
        appendix += attachment_index(ledger, evidence, options, g.body_width, "附件2" if both else "附件")
    body_xml = "".join(head) + table + (appendix or _END_PARA)

    doc = Document(str(template_path()))
    # the document part is parsed once from text: moving thousands of rows into the template's tree one
    # element at a time costs lxml time quadratic in their number
    root = doc.element
    sect = etree.tostring(root.body.find(W_SECTPR), encoding="unicode")
    head_xml = etree.tostring(root, encoding="unicode").split("<w:body", 1)[0]
    doc.part._element = parse_xml(f"{head_xml}<w:body>{body_xml}{sect}</w:body></w:document>".encode())

    props = doc.core_properties
    props.title = title
    props.author = unit
    props.last_modified_by = unit
    props.comments = ""
    props.language = "zh-CN"
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    props.created = now
    props.modified = now

    # what each task's row shows, for re-import (embedded.docx_row_hashes reads the same back)
    shown: list[list[str] | None] = list(task_hashes)
    identity = stamp_docx(doc, ledger, options)  # ledger id, unit, round, date (docProps/custom.xml)
    add_to_docx(doc, {**ledger_to_dict(with_progress(ledger, options)), "identity": identity}, shown)
    save_atomically(doc.save, path)
