"""A small streaming .xlsx writer: the worksheet XML is built as strings row by row, every cell style is
registered once (an index into cellXfs), text goes in as inline strings. What the program's workbooks need
and nothing more: fonts, solid fills, thin borders, alignment/wrap, column widths, row heights, merged
cells, frozen rows, print set-up (landscape, A4, fit to width, gridlines, repeated title rows, footer),
hidden sheets, core/custom document properties.

Text never becomes a formula: a text cell is always an inline string (never <f>), and text that Excel would
take for a formula when the cell is edited (common.looks_like_formula) gets the quote-prefix style, as Excel
itself stores a typed '=… ."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from desktop_app.exporters.common import looks_like_formula

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_CT_BOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
_CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
_CT_APP = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
_CT_CUSTOM = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

MAX_CELL = 32767  # characters Excel holds in one cell
MAX_ROW_HEIGHT = 409.0
# characters XML 1.0 cannot carry; a literal "_x0041_" is written as Excel writes it (else it reads back as "A")
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_SPECIAL = re.compile(r"[&<>_\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_FORMULA_FIRST = frozenset("=+-@\t\r\n ")


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


_LETTERS = [column_letter(i) for i in range(1, 257)]


def _letter(index: int) -> str:  # 0-based
    return _LETTERS[index] if index < len(_LETTERS) else column_letter(index + 1)


def ref(row: int, col: int) -> str:
    """(1-based row, 1-based column) -> "A1"."""
    return f"{_letter(col - 1)}{row}"


def attr(text: str) -> str:
    """Text for an XML attribute value in double quotes."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def xml_text(text: str) -> str:
    """Cell text as XML character data: &, <, > escaped, what XML cannot carry left out, \\r and a literal
    _xHHHH_ written as Excel writes it (a carriage return: a line break)."""
    if not _SPECIAL.search(text):  # the usual cell: one scan, nothing to change
        return text
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "_x" in text:
        text = _ESCAPE_LIKE.sub(r"_x005F_\1", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _UNSAFE.search(text):
        text = _UNSAFE.sub("", text)
    return text


def text_lines(text: str, width: float) -> int:
    """Printed lines of text in a column `width` characters wide (a CJK character counts 2)."""
    per_line = max(1.0, width - 1)
    if len(text) * 2 <= per_line and "\n" not in text:
        return 1  # even all CJK it fits on one line
    total = 0
    for part in text.split("\n"):
        w = (len(part.encode("utf-8")) + len(part)) // 2  # a CJK character (3 bytes) counts 2, ASCII 1
        total += max(1, math.ceil(w / per_line))
    return total


@dataclass(frozen=True)
class Style:
    """One cell format. Colours are "RRGGBB"."""

    font: str = "宋体"
    size: float = 11
    bold: bool = False
    color: str | None = None
    fill: str | None = None
    border: bool = False
    horizontal: str | None = None  # left / center / right
    vertical: str | None = None  # top / center / bottom
    wrap: bool = False


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class Book:
    """A workbook written once: add sheets, fill them row by row, save."""

    def __init__(self) -> None:
        self.sheets: list[Sheet] = []
        self._fonts: dict[tuple, int] = {}
        self._fills: dict[str | None, int] = {None: 0, "gray125": 1}
        self._borders: dict[bool, int] = {False: 0}
        self._xfs: dict[tuple[Style, bool], int] = {}
        self._xf_xml: list[str] = []
        self._style_of: list[tuple[Style, bool]] = []
        self.title = ""
        self.creator = ""
        self.last_modified_by = ""
        self.language = ""
        self.created: datetime | None = None
        self.custom_xml: bytes | None = None  # docProps/custom.xml, ready made
        self.style(Style())  # xf 0: the default every unstyled cell has

    # -- styles ------------------------------------------------------------------------------------------
    def style(self, style: Style, quote: bool = False) -> int:
        """The cellXfs index of `style` (registered on first use); `quote`: the quote-prefix variant."""
        key = (style, quote)
        found = self._xfs.get(key)
        if found is not None:
            return found
        fkey = (style.font, style.size, style.bold, style.color)
        font = self._fonts.setdefault(fkey, len(self._fonts))
        fill = self._fills.setdefault(style.fill, len(self._fills))
        border = self._borders.setdefault(style.border, len(self._borders))
        align = ""
        if style.horizontal:
            align += f' horizontal="{style.horizontal}"'
        if style.vertical:
            align += f' vertical="{style.vertical}"'
        if style.wrap:
            align += ' wrapText="1"'
        xf = f'<xf numFmtId="0" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"'
        if font:
            xf += ' applyFont="1"'
        if fill:
            xf += ' applyFill="1"'
        if border:
            xf += ' applyBorder="1"'
        if align:
            xf += ' applyAlignment="1"'
        if quote:
            xf += ' quotePrefix="1"'
        xf += f"><alignment{align}/></xf>" if align else "/>"
        index = self._xfs[key] = len(self._xf_xml)
        self._xf_xml.append(xf)
        self._style_of.append(key)
        return index

    def quoted(self, xf: int) -> int:
        """The quote-prefix variant of the registered style `xf`."""
        style, quote = self._style_of[xf]
        return xf if quote else self.style(style, True)

    def variant(self, xf: int, **changes: Any) -> int:
        """The registered style `xf` with some attributes changed (dataclasses.replace)."""
        style, quote = self._style_of[xf]
        return self.style(dataclasses.replace(style, **changes), quote)

    def _styles_xml(self) -> str:
        fonts = []
        for name, size, bold, color in self._fonts:
            fonts.append(
                "<font>"
                + ("<b/>" if bold else "")
                + f'<sz val="{_num(size)}"/>'
                + (f'<color rgb="FF{color.upper()}"/>' if color else "")
                + f'<name val="{attr(name)}"/><family val="3"/><charset val="134"/></font>'
            )
        fills = []
        for fill in self._fills:
            if fill is None:
                fills.append('<fill><patternFill patternType="none"/></fill>')
            elif fill == "gray125":
                fills.append('<fill><patternFill patternType="gray125"/></fill>')
            else:
                fills.append(
                    f'<fill><patternFill patternType="solid"><fgColor rgb="FF{fill.upper()}"/>'
                    '<bgColor indexed="64"/></patternFill></fill>'
                )
        thin = '<{0} style="thin"><color rgb="FF000000"/></{0}>'
        borders = [
            "<border>" + "".join(thin.format(side) for side in ("left", "right", "top", "bottom")) + "<diagonal/></border>"
            if b
            else "<border><left/><right/><top/><bottom/><diagonal/></border>"
            for b in self._borders
        ]
        return (
            f'{_DECL}<styleSheet xmlns="{_MAIN}">'
            f'<fonts count="{len(fonts)}">{"".join(fonts)}</fonts>'
            f'<fills count="{len(fills)}">{"".join(fills)}</fills>'
            f'<borders count="{len(borders)}">{"".join(borders)}</borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(self._xf_xml)}">{"".join(self._xf_xml)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            '<dxfs count="0"/><tableStyles count="0"/></styleSheet>'
        )

    # -- sheets ------------------------------------------------------------------------------------------
    def add_sheet(self, name: str, state: str = "visible") -> Sheet:
        sheet = Sheet(self, name[:31], state)
        self.sheets.append(sheet)
        return sheet

    # -- the package -------------------------------------------------------------------------------------
    def save(self, target: str | Path | IO[bytes], compresslevel: int = 3) -> None:
        """Write the package to `target` (a path or a binary file object)."""
        sheets = self.sheets or [self.add_sheet("Sheet1")]
        ct = [
            f'{_DECL}<Types xmlns="{_CT}">',
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
            '<Default Extension="xml" ContentType="application/xml"/>',
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT_BOOK}"/>',
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT_STYLES}"/>',
        ]
        ct += [
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT_SHEET}"/>'
            for i in range(1, len(sheets) + 1)
        ]
        ct.append(f'<Override PartName="/docProps/core.xml" ContentType="{_CT_CORE}"/>')
        ct.append(f'<Override PartName="/docProps/app.xml" ContentType="{_CT_APP}"/>')
        rels = [
            f'{_DECL}<Relationships xmlns="{_PKG_REL}">',
            f'<Relationship Id="rId1" Type="{_RT}officeDocument" Target="xl/workbook.xml"/>',
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
            'metadata/core-properties" Target="docProps/core.xml"/>',
            f'<Relationship Id="rId3" Type="{_RT}extended-properties" Target="docProps/app.xml"/>',
        ]
        if self.custom_xml is not None:
            ct.append(f'<Override PartName="/docProps/custom.xml" ContentType="{_CT_CUSTOM}"/>')
            rels.append(f'<Relationship Id="rId4" Type="{_RT}custom-properties" Target="docProps/custom.xml"/>')
        ct.append("</Types>")
        rels.append("</Relationships>")

        book_rels = [f'{_DECL}<Relationships xmlns="{_PKG_REL}">']
        book_rels += [
            f'<Relationship Id="rId{i}" Type="{_RT}worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        ]
        book_rels.append(f'<Relationship Id="rId{len(sheets) + 1}" Type="{_RT}styles" Target="styles.xml"/>')
        book_rels.append("</Relationships>")

        visible = [i for i, s in enumerate(sheets) if s.state == "visible"] or [0]
        entries = []
        names = []
        for i, s in enumerate(sheets):
            state = f' state="{s.state}"' if s.state != "visible" else ""
            entries.append(f'<sheet name="{attr(s.name)}" sheetId="{i + 1}"{state} r:id="rId{i + 1}"/>')
            if s.print_rows is not None:
                first, last = s.print_rows
                quoted = "'" + s.name.replace("'", "''") + "'"
                names.append(
                    f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                    f"{attr(quoted)}!${first}:${last}</definedName>"
                )
        workbook = (
            f'{_DECL}<workbook xmlns="{_MAIN}" xmlns:r="{_R}"><workbookPr/>'
            f'<bookViews><workbookView activeTab="{visible[0]}"/></bookViews>'
            f'<sheets>{"".join(entries)}</sheets>'
            + (f'<definedNames>{"".join(names)}</definedNames>' if names else "")
            + '<calcPr calcId="191029"/></workbook>'
        )
        created = (self.created or datetime.now(UTC)).astimezone(UTC)
        stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
        core = (
            f'{_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            + (f"<dc:title>{xml_text(self.title)}</dc:title>" if self.title else "")
            + (f"<dc:creator>{xml_text(self.creator)}</dc:creator>" if self.creator else "")
            + (f"<cp:lastModifiedBy>{xml_text(self.last_modified_by)}</cp:lastModifiedBy>" if self.last_modified_by else "")
            + (f"<dc:language>{xml_text(self.language)}</dc:language>" if self.language else "")
            + f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'
        )
        app = (
            f'{_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
            ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            "<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
            "</Properties>"
        )
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as z:
            z.writestr("[Content_Types].xml", "".join(ct))
            z.writestr("_rels/.rels", "".join(rels))
            z.writestr("docProps/app.xml", app)
            z.writestr("docProps/core.xml", core)
            if self.custom_xml is not None:
                z.writestr("docProps/custom.xml", self.custom_xml)
            z.writestr("xl/workbook.xml", workbook)
            z.writestr("xl/_rels/workbook.xml.rels", "".join(book_rels))
            z.writestr("xl/styles.xml", self._styles_xml())
            for i, s in enumerate(sheets, start=1):
                with z.open(f"xl/worksheets/sheet{i}.xml", "w") as out:
                    s._write(out, selected=(i - 1 == visible[0]))


class Sheet:
    """One worksheet: rows appended in order (row 1 first)."""

    def __init__(self, book: Book, name: str, state: str) -> None:
        self.book = book
        self.name = name
        self.state = state  # visible / hidden / veryHidden
        self.widths: dict[int, float] = {}  # 1-based column -> width in characters
        self.merges: list[str] = []
        self.freeze_rows = 0  # rows kept in view at the top
        self.print_rows: tuple[int, int] | None = None  # rows printed on every page
        self.landscape = False
        self.fit_width = False
        self.gridlines = False
        self.center_horizontally = False
        self.margins = (0.7, 0.7, 0.75, 0.75)  # left, right, top, bottom (inches)
        self.footer = ""  # headerFooter code, e.g. '&C— &P —'
        # set: a row appended without a height gets one from the lines its wrapped text needs at `widths`
        self.line_pt: float | None = None
        self._rows: list[str] = []
        self.row_count = 0
        self.max_col = 0
        self._quoted: dict[int, int] = {}

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        """Merge the range (1-based, inclusive); ranges must not overlap."""
        if (r1, c1) != (r2, c2):
            self.merges.append(f"{_letter(c1 - 1)}{r1}:{_letter(c2 - 1)}{r2}")

    def append(self, values: Sequence[Any], styles: Sequence[int] | int = 0, height: float | None = None) -> int:
        """Add the next row: `values` (str, int, float, None; bool as number), `styles` one cellXfs index for
        every cell or one per cell, `height` in points (None: Excel's default). Returns the row number."""
        self.row_count += 1
        r = self.row_count
        rs = str(r)
        if height is None and self.line_pt:
            lines = max(
                (text_lines(v, self.widths.get(ci + 1, 8.43)) for ci, v in enumerate(values) if isinstance(v, str)),
                default=1,
            )
            height = lines * self.line_pt + 4 if lines > 1 else None
        parts = [f'<row r="{rs}" ht="{min(MAX_ROW_HEIGHT, height):.2f}" customHeight="1">' if height else f'<row r="{rs}">']
        add = parts.append
        one = styles if isinstance(styles, int) else None
        letters = _LETTERS
        for ci, value in enumerate(values):
            s = one if one is not None else styles[ci]
            col = letters[ci] if ci < 256 else column_letter(ci + 1)
            if value.__class__ is not str:
                if value is None:
                    if s:
                        add(f'<c r="{col}{rs}" s="{s}"/>')
                    continue
                if isinstance(value, (int, float)) and math.isfinite(value):
                    num = _num(value) if isinstance(value, float) else str(int(value))
                    add(f'<c r="{col}{rs}" s="{s}"><v>{num}</v></c>' if s else f'<c r="{col}{rs}"><v>{num}</v></c>')
                    continue
                value = str(value)
            if not value:
                if s:
                    add(f'<c r="{col}{rs}" s="{s}"/>')
                continue
            if len(value) > MAX_CELL:
                value = value[: MAX_CELL - 1] + "…"
            if value[0] in _FORMULA_FIRST and looks_like_formula(value):
                s = self._quote(s)
            if s:
                add(f'<c r="{col}{rs}" s="{s}" t="inlineStr"><is><t xml:space="preserve">{xml_text(value)}</t></is></c>')
            else:
                add(f'<c r="{col}{rs}" t="inlineStr"><is><t xml:space="preserve">{xml_text(value)}</t></is></c>')
        add("</row>")
        if len(values) > self.max_col:
            self.max_col = len(values)
        self._rows.append("".join(parts))
        return r

    def _quote(self, xf: int) -> int:
        q = self._quoted.get(xf)
        if q is None:
            q = self._quoted[xf] = self.book.quoted(xf)
        return q

    def append_many(self, rows: Iterable[Sequence[Any]], styles: Sequence[int] | int = 0) -> None:
        for values in rows:
            self.append(values, styles)

    def _write(self, out: IO[bytes], selected: bool) -> None:
        last = f"{_letter(max(self.max_col, 1) - 1)}{max(self.row_count, 1)}"
        head = [f'{_DECL}<worksheet xmlns="{_MAIN}" xmlns:r="{_R}">']
        if self.fit_width:
            head.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
        head.append(f'<dimension ref="A1:{last}"/>')
        view = '<sheetView workbookViewId="0"' + (' tabSelected="1"' if selected else "")
        if self.freeze_rows:
            top = f"A{self.freeze_rows + 1}"
            head.append(
                f'<sheetViews>{view}><pane ySplit="{self.freeze_rows}" topLeftCell="{top}" activePane="bottomLeft"'
                f' state="frozen"/><selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/></sheetView>'
                "</sheetViews>"
            )
        else:
            head.append(f"<sheetViews>{view}/></sheetViews>")
        head.append('<sheetFormatPr defaultRowHeight="15"/>')
        if self.widths:
            head.append(
                "<cols>"
                + "".join(
                    f'<col min="{c}" max="{c}" width="{w:.2f}" customWidth="1"/>' for c, w in sorted(self.widths.items())
                )
                + "</cols>"
            )
        head.append("<sheetData>")
        out.write("".join(head).encode("utf-8"))
        rows = self._rows
        for start in range(0, len(rows), 2000):
            out.write("".join(rows[start : start + 2000]).encode("utf-8"))
        tail = ["</sheetData>"]
        if self.merges:
            tail.append(
                f'<mergeCells count="{len(self.merges)}">'
                + "".join(f'<mergeCell ref="{m}"/>' for m in self.merges)
                + "</mergeCells>"
            )
        if self.gridlines or self.center_horizontally:
            tail.append(
                "<printOptions"
                + (' horizontalCentered="1"' if self.center_horizontally else "")
                + (' gridLines="1"' if self.gridlines else "")
                + "/>"
            )
        left, right, top, bottom = self.margins
        tail.append(
            f'<pageMargins left="{left}" right="{right}" top="{top}" bottom="{bottom}" header="0.3" footer="0.3"/>'
        )
        setup = '<pageSetup paperSize="9"'
        if self.landscape:
            setup += ' orientation="landscape"'
        if self.fit_width:
            setup += ' fitToWidth="1" fitToHeight="0"'
        tail.append(setup + "/>")
        if self.footer:
            tail.append(f"<headerFooter><oddFooter>{xml_text(self.footer)}</oddFooter></headerFooter>")
        tail.append("</worksheet>")
        out.write("".join(tail).encode("utf-8"))


def print_ready(sheet: Sheet, title_rows: tuple[int, int] | None, freeze: int = 0) -> None:
    """Landscape A4 fitted to the page width, gridlines printed, `title_rows` on every page, the rows
    above `freeze` kept in view."""
    sheet.landscape = True
    sheet.fit_width = True
    sheet.gridlines = True
    sheet.print_rows = title_rows
    sheet.freeze_rows = freeze


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a big workbook is built (its rows are strings and short-lived
    lists; the collector would walk every live object again and again), as it was before afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
