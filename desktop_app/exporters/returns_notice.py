"""报送情况通报: the office's Word notice on a round: how many units sent on time, late or not at all, the lists,
and the tasks on which no unit reported any progress (GB/T 9704 look: 小标宋 title, 仿宋 body, 黑体 headings)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from desktop_app.domain import clock
from desktop_app.domain.returns import LATE, MISSING, SUBMITTED
from desktop_app.exporters.files import save_atomically

TITLE_FONT, BODY_FONT, HEADING_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体"


@dataclass
class NoticeUnit:
    unit: str
    state: str  # submitted | late | missing
    received: datetime | None = None


@dataclass
class NoticeTask:
    number: str
    content: str


def counts_sentence(units: Sequence[NoticeUnit], due: date | None) -> str:
    n = {s: sum(1 for u in units if u.state == s) for s in (SUBMITTED, LATE, MISSING)}
    when = f"（截止时间{clock.chinese_date(due)}）" if due else ""
    return (
        f"本次应报送单位 {len(units)} 个{when}，其中按时报送 {n[SUBMITTED]} 个，逾期报送 {n[LATE]} 个，"
        f"未报送 {n[MISSING]} 个。"
    )


def _set_font(run, name: str, size_pt: float, bold: bool = False) -> None:  # noqa: ANN001
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _page_numbers(doc, section) -> None:  # noqa: ANN001 - python-docx objects
    """GB/T 9704 page numbers, as in the report: "— 1 —" in 四号 宋体, 7 mm under the type area, odd pages
    at the right and even pages at the left, one character in from the edge."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc.settings.odd_and_even_pages_header_footer = True
    # the footer's foot this far above the paper's edge puts the number's top 7 mm under the type area
    section.footer_distance = section.bottom_margin - Mm(12)

    def fill(footer, right: bool) -> None:  # noqa: ANN001
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
        if right:
            p.paragraph_format.right_indent = Pt(14)
        else:
            p.paragraph_format.left_indent = Pt(14)

        def run(text: str = "", tag: str = "", **attrs: str) -> None:
            r = p.add_run(text)
            _set_font(r, "宋体", 14)
            if tag:
                el = OxmlElement(tag)
                for key, value in attrs.items():
                    el.set(qn(key.replace("_", ":", 1)), value)
                if tag == "w:instrText":
                    el.text = " PAGE "
                r._r.append(el)

        run("— ")
        run(tag="w:fldChar", w_fldCharType="begin")
        run(tag="w:instrText", xml_space="preserve")
        run(tag="w:fldChar", w_fldCharType="separate")
        run("1")
        run(tag="w:fldChar", w_fldCharType="end")
        run(" —")

    fill(section.footer, right=True)
    fill(section.even_page_footer, right=False)


def write_notice(
    path: Path,
    ledger_title: str,
    round_label: str,
    due: date | None,
    units: Sequence[NoticeUnit],
    silent_tasks: Sequence[NoticeTask],
    issuer: str = "",
    as_of: date | None = None,
) -> None:
    """The notice as a .docx (atomic write)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    as_of = as_of or clock.today()
    doc = Document()
    from docx.oxml.ns import qn

    for zoom in doc.settings.element.iter(qn("w:zoom")):  # python-docx's template omits the required percent
        zoom.set(qn("w:percent"), zoom.get(qn("w:percent")) or "100")
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
    _page_numbers(doc, sec)

    def para(text: str, font: str = BODY_FONT, size: float = 16, center: bool = False, indent: bool = True):  # noqa: ANN202
        p = doc.add_paragraph()
        p.paragraph_format.line_spacing = Pt(28)
        p.paragraph_format.space_after = Pt(0)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif indent:
            p.paragraph_format.first_line_indent = Pt(32)
        _set_font(p.add_run(text), font, size)
        return p

    what = f"《{ledger_title}》" if ledger_title else "任务落实台账"
    para(f"关于{what}{round_label}报送情况的通报", TITLE_FONT, 22, center=True)
    para("")
    para("各有关单位：", indent=False)
    para(f"现将{what}{round_label}报送情况通报如下。")
    groups = [
        (SUBMITTED, "按时报送的单位"),
        (LATE, "逾期报送的单位"),
        (MISSING, "未报送的单位"),
    ]
    para("一、总体情况", HEADING_FONT)
    para(counts_sentence(units, due))
    numerals = "二三四五六"
    for i, (state, label) in enumerate(groups):
        para(f"{numerals[i]}、{label}", HEADING_FONT)
        mine = [u for u in units if u.state == state]
        if not mine:
            para("无。")
        elif state == LATE:
            para(
                "；".join(
                    f"{u.unit}（{clock.chinese_date(u.received.date())}报送）" for u in mine if u.received
                )
                + "。"
            )
        else:
            para("、".join(u.unit for u in mine) + "。")
    para(f"{numerals[len(groups)]}、各单位均未报送进展的任务", HEADING_FONT)
    if not silent_tasks:
        para("无。")
    for t in silent_tasks:
        para(f"{('第' + t.number + '项：') if t.number else ''}{t.content.strip()}")
    para(
        "请逾期报送和未报送的单位高度重视，抓紧补报，按要求做好后续报送工作。逾期或未报送情况将按规定纳入年度考核。"
    )
    para("")
    if issuer:
        para(issuer, indent=False).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    para(clock.chinese_date(as_of), indent=False).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    props = doc.core_properties
    props.title = f"{ledger_title}{round_label}报送情况通报"
    props.author = issuer
    props.last_modified_by = issuer
    props.language = "zh-CN"
    now = datetime.now().replace(microsecond=0)
    props.created = props.modified = now
    save_atomically(doc.save, Path(path))
