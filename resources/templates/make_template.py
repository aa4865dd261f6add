"""Builds resources/templates/report.docx: the Word template of the progress report (GB/T 9704 style).

Written part by part (not from python-docx's default template, whose page is US Letter and whose
theme fonts are Japanese): A4 landscape, zh-CN, every style naming its East Asian font.
Run: python resources/templates/make_template.py
"""

from __future__ import annotations

import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "report.docx"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
LATIN = "Times New Roman"

# Digits and Latin letters in the table, the info and the sign lines: Times New Roman (half an em wide, as
# the exporter counts them; LibreOffice has a metric twin), Chinese in the style's own font.

# A4 landscape in twips, GB/T 9704's type area (156 x 225 mm) turned sideways for the table: 225 mm across,
# 156 mm down; the binding-side margin (28 mm) on top, the head margin (37 mm) on the left.
PAGE_W, PAGE_H = 16838, 11906
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 1587, 1474, 2098, 1984
TEXT_WIDTH = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT


def fonts(east_asia: str, latin: str | None = None) -> str:
    latin = latin or east_asia
    return f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" w:cs="{latin}" w:hint="eastAsia"/>'


def size(half_points: int) -> str:
    return f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'


def para_style(
    style_id: str,
    name: str,
    rpr: str,
    ppr: str = "",
    based_on: str | None = "Normal",
    next_style: str | None = None,
    ui_priority: int | None = None,
) -> str:
    parts = [f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{style_id}"><w:name w:val="{name}"/>']
    if based_on:
        parts.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_style:
        parts.append(f'<w:next w:val="{next_style}"/>')
    if ui_priority is not None:
        parts.append(f'<w:uiPriority w:val="{ui_priority}"/>')
    parts.append("<w:qFormat/>")
    if ppr:
        parts.append(f"<w:pPr>{ppr}</w:pPr>")
    parts.append(f"<w:rPr>{rpr}</w:rPr></w:style>")
    return "".join(parts)


def styles_xml() -> str:
    lang = '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
    # table text: exact 13 pt lines, so that every office program (and the exporter's estimate of where
    # pages break) gives a row the same height, whatever font it substitutes
    # and no extra space between Chinese and Latin/digits (autoSpaceDE/DN): a cell holds what it is counted
    # to hold
    table_lines = (
        '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:snapToGrid w:val="0"/>'
        '<w:spacing w:before="0" w:after="0" w:line="260" w:lineRule="exact"/>'
    )
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    borders = "".join(border.format(b) for b in ("top", "left", "bottom", "right", "insideH", "insideV"))
    return (
        HEAD + f'<w:styles xmlns:w="{W}" xmlns:r="{R}">'
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f'{fonts(FANGSONG, LATIN)}<w:kern w:val="2"/>{size(32)}{lang}'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        '<w:widowControl w:val="0"/><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
        '<w:jc w:val="both"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
        '<w:latentStyles w:defLockedState="0" w:defUIPriority="99" w:defSemiHidden="0" '
        'w:defUnhideWhenUsed="0" w:defQFormat="0" w:count="267"/>'
        # Normal: body text 仿宋_GB2312 三号 (16pt)
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
        f'<w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr><w:rPr>{fonts(FANGSONG)}{size(32)}{lang}</w:rPr>'
        "</w:style>"
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/>'
        "</w:style>"
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
        # heading 1: 黑体 三号; heading 2: 楷体_GB2312 三号
        '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>'
        '<w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>'
        '<w:pPr><w:keepNext/><w:spacing w:before="120" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr>'
        f"<w:rPr>{fonts(HEITI)}{size(32)}</w:rPr></w:style>"
        '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/>'
        '<w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/>'
        '<w:pPr><w:keepNext/><w:spacing w:before="60" w:after="60"/><w:outlineLvl w:val="1"/></w:pPr>'
        f"<w:rPr>{fonts(KAITI)}{size(32)}</w:rPr></w:style>"
        + para_style(
            "ReportTitle",
            "报告标题",
            f"{fonts(XIAOBIAOSONG)}{size(44)}",
            '<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="120" w:line="560" w:lineRule="exact"/>'
            '<w:jc w:val="center"/>',
            next_style="ReportSubtitle",
        )
        + para_style(
            "ReportSubtitle",
            "报告副标题",
            f"{fonts(KAITI, LATIN)}{size(32)}",
            '<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="160" w:line="440" w:lineRule="exact"/>'
            '<w:jc w:val="center"/>',
        )
        + para_style(
            "InfoLine",
            "填报信息",
            f"{fonts(FANGSONG, LATIN)}{size(28)}",
            '<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="120" w:line="400" w:lineRule="exact"/>'
            '<w:jc w:val="left"/>',
        )
        + para_style(
            "TableHeader", "表格表头", f"{fonts(HEITI)}{size(21)}", f'{table_lines}<w:jc w:val="center"/>'
        )
        + para_style(
            "TableText", "表格正文", f"{fonts(FANGSONG, LATIN)}{size(21)}", f'{table_lines}<w:jc w:val="left"/>'
        )
        + para_style(
            "TableSection",
            "表格板块",
            f"{fonts(HEITI)}{size(24)}",
            '<w:keepNext/><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="300" w:lineRule="exact"/>'
            '<w:jc w:val="left"/>',
        )
        + para_style(
            "TableGroup",
            "表格分组",
            f"{fonts(KAITI)}{size(24)}",
            '<w:keepNext/><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="300" w:lineRule="exact"/>'
            '<w:jc w:val="left"/>',
        )
        + para_style(
            "SignBlock",
            "签署栏",
            f"{fonts(FANGSONG, LATIN)}{size(28)}",
            # keepNext: the signature lines, the seal line and the date stay on one page (and with the
            # table's last rows, which the exporter chains to them)
            "<w:keepNext/><w:keepLines/>"
            '<w:tabs><w:tab w:val="left" w:pos="6160"/></w:tabs><w:snapToGrid w:val="0"/>'
            '<w:spacing w:before="0" w:after="0" w:line="520" w:lineRule="exact"/>',
        )
        + para_style(
            "SignDate",
            "落款日期",
            f"{fonts(FANGSONG, LATIN)}{size(28)}",
            '<w:keepNext/><w:keepLines/><w:snapToGrid w:val="0"/>'
            '<w:spacing w:before="0" w:after="0" w:line="520" w:lineRule="exact"/>'
            '<w:ind w:right="560"/><w:jc w:val="right"/>',
        )
        + para_style(
            "AppendixLabel",
            "附件标识",
            f"{fonts(HEITI)}{size(32)}",
            '<w:keepNext/><w:pageBreakBefore/><w:snapToGrid w:val="0"/>'
            '<w:spacing w:before="0" w:after="0" w:line="560" w:lineRule="exact"/><w:jc w:val="left"/>',
        )
        + para_style(
            "Footer",
            "footer",
            f"{fonts(SONGTI, LATIN)}{size(28)}",
            '<w:tabs><w:tab w:val="center" w:pos="4153"/><w:tab w:val="right" w:pos="8306"/></w:tabs>'
            '<w:snapToGrid w:val="0"/><w:jc w:val="center"/>',
        )
        + '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>'
        f'<w:uiPriority w:val="59"/><w:tblPr><w:tblBorders>{borders}</w:tblBorders></w:tblPr></w:style>'
        "</w:styles>"
    )


def run(text: str, rpr: str = "") -> str:
    return f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'


def para(style: str, *runs: str, ppr: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>{"".join(runs)}</w:p>'


def document_xml() -> str:
    """The body is the exporter's: here only a title to show the styles, and the page setup it keeps.
    Page numbers: the odd pages' footer (default) and the even pages' one (evenAndOddHeaders)."""
    sect = (
        '<w:sectPr><w:footerReference w:type="even" r:id="rIdFooter2"/>'
        '<w:footerReference w:type="default" r:id="rIdFooter1"/>'
        f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}" w:orient="landscape"/>'
        f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" '
        f'w:left="{MARGIN_LEFT}" w:header="851" w:footer="794" w:gutter="0"/>'
        '<w:pgNumType w:fmt="decimal" w:start="1"/><w:cols w:space="425"/>'
        '<w:docGrid w:linePitch="312"/></w:sectPr>'
    )
    body = para("ReportTitle", run("任务落实台账"))
    return HEAD + f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{body}{sect}</w:body></w:document>'


def footer_xml(odd: bool) -> str:
    """Page numbers as GB/T 9704 writes them: — 1 — (a PAGE field between em dashes), 四号 half-width,
    odd pages on the right and even pages on the left, one character in from the edge."""
    rpr = f"<w:rPr>{fonts(SONGTI, LATIN)}{size(28)}</w:rPr>"
    place = (
        '<w:ind w:right="280"/><w:jc w:val="right"/>' if odd else '<w:ind w:left="280"/><w:jc w:val="left"/>'
    )
    return (
        HEAD + f'<w:ftr xmlns:w="{W}" xmlns:r="{R}"><w:p><w:pPr><w:pStyle w:val="Footer"/>'
        f"{place}</w:pPr>"
        f'<w:r>{rpr}<w:t xml:space="preserve">— </w:t></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{rpr}<w:t>{1 if odd else 2}</w:t></w:r>"
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
        f'<w:r>{rpr}<w:t xml:space="preserve"> —</w:t></w:r>'
        "</w:p></w:ftr>"
    )


def settings_xml() -> str:
    return (
        HEAD + f'<w:settings xmlns:w="{W}" xmlns:r="{R}"><w:zoom w:percent="100"/>'
        "<w:bordersDoNotSurroundHeader/><w:bordersDoNotSurroundFooter/>"
        '<w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/><w:drawingGridVerticalSpacing w:val="156"/>'
        '<w:displayHorizontalDrawingGridEvery w:val="0"/><w:displayVerticalDrawingGridEvery w:val="2"/>'
        # punctuation full width, as official documents set it (and as the exporter's estimate counts it)
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        "<w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/>"
        "<w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/><w:useFELayout/>"
        '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
        "</w:compat>"
        '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>'
    )


def font_table_xml() -> str:
    """Names and GB2312 charset of the fonts, so Word/WPS substitute sensibly where one is missing."""
    entries = [
        (FANGSONG, "仿宋", "modern", "fixed"),
        (KAITI, "楷体", "modern", "fixed"),
        (HEITI, "SimHei", "modern", "fixed"),
        (XIAOBIAOSONG, "宋体", "script", "variable"),
        (SONGTI, "SimSun", "auto", "variable"),
    ]
    fonts_xml = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        for name, alt, family, pitch in entries
    )
    fonts_xml += (
        f'<w:font w:name="{LATIN}"><w:charset w:val="00"/><w:family w:val="roman"/>'
        '<w:pitch w:val="variable"/></w:font>'
    )
    return HEAD + f'<w:fonts xmlns:w="{W}" xmlns:r="{R}">{fonts_xml}</w:fonts>'


CONTENT_TYPES = (
    HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/fontTable.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/word/footer1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/word/footer2.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)

ROOT_RELS = (
    HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" '
    'Target="docProps/app.xml"/>'
    "</Relationships>"
)

DOC_RELS = (
    HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rIdStyles" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rIdSettings" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>'
    '<Relationship Id="rIdFontTable" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" '
    'Target="fontTable.xml"/>'
    '<Relationship Id="rIdFooter1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>'
    '<Relationship Id="rIdFooter2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>'
    "</Relationships>"
)

CORE = (
    HEAD
    + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>任务落实台账</dc:title><dc:creator></dc:creator><cp:lastModifiedBy></cp:lastModifiedBy>"
    "<dc:language>zh-CN</dc:language><cp:revision>1</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2023-01-01T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2023-01-01T00:00:00Z</dcterms:modified>'
    "</cp:coreProperties>"
)

APP = (
    HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Template>report.dotx</Template><Application>政务公开任务落实台账</Application><DocSecurity>0</DocSecurity>"
    "</Properties>"
)


def build(path: Path = OUT) -> Path:
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "docProps/core.xml": CORE,
        "docProps/app.xml": APP,
        "word/document.xml": document_xml(),
        "word/_rels/document.xml.rels": DOC_RELS,
        "word/styles.xml": styles_xml(),
        "word/settings.xml": settings_xml(),
        "word/fontTable.xml": font_table_xml(),
        "word/footer1.xml": footer_xml(odd=True),
        "word/footer2.xml": footer_xml(odd=False),
    }
    # fixed timestamps: the committed file only changes when this script does
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2023, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))
    return path


if __name__ == "__main__":
    print(build())
