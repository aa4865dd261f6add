"""OFD (GB/T 33190) pages painted with Qt: to check what the OFD writer wrote, and for a preview.

Reads the package as a reader would (OFD.xml → DocRoot → Document.xml → the pages, the templates, the
resources of PublicRes/DocumentRes/PageRes) and paints each page on a QImage at a chosen resolution:
TextObject (TextCode X/Y with DeltaX/DeltaY, Size, Font, HScale, CTM, FillColor), PathObject
(AbbreviatedData M/S/L/Q/B/A/C, LineWidth, Stroke/Fill and their colours, CTM) and ImageObject (the
MultiMedia file drawn into the unit square its CTM maps). The fonts are those the file embeds, loaded
under names of their own so a system font of the same family never stands in for them; a font the file
does not embed is looked up by its name, then Noto CJK (黑体-like names sans, the rest serif).

Besides the image, each page reports where every glyph went and which characters its font lacked, so a
test can check the layout (text inside the type area, nothing drawn over anything) and the fonts.

Command line: python -m desktop_app.ui.ofd_render FILE.ofd OUT_DIR [DPI, default 96]
"""

from __future__ import annotations

import argparse
import io
import math
import posixpath
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QRawFont,
    QTransform,
)

NS = "http://www.ofdspec.org/2016"
Q = f"{{{NS}}}"
DEFAULT_LINE_WIDTH = 0.353  # mm (GB/T 33190: 1/72 inch)
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


class OfdError(Exception):
    """The file is not an OFD package this reader understands (one sentence for the user)."""


@dataclass
class Glyph:
    """One character as painted: its box on the page in millimetres (advance × ascent+descent)."""

    char: str
    rect: QRectF
    font: str


@dataclass
class Stroke:
    """One straight segment of a path as painted, on the page in millimetres, and its width."""

    x1: float
    y1: float
    x2: float
    y2: float
    width: float


@dataclass
class RenderedPage:
    image: QImage
    size_mm: tuple[float, float]
    glyphs: list[Glyph] = field(default_factory=list)
    strokes: list[Stroke] = field(default_factory=list)
    images: int = 0
    missing: set[str] = field(default_factory=set)  # characters the (embedded) font has no glyph for

    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)


@dataclass
class _Font:
    family: str  # the family Qt knows it by
    name: str  # FontName in the file
    raw: QRawFont | None  # the embedded face, to ask which characters it has
    bold: bool = False
    italic: bool = False


def _numbers(text: str | None) -> list[float]:
    return [float(v) for v in _NUMBER.findall(text or "")]


def _box(text: str | None) -> QRectF | None:
    v = _numbers(text)
    return QRectF(v[0], v[1], v[2], v[3]) if len(v) >= 4 else None


def _color(el: etree._Element | None, default: QColor) -> QColor:
    if el is None:
        return default
    v = _numbers(el.get("Value"))
    if len(v) >= 3:
        c = QColor(int(v[0]), int(v[1]), int(v[2]))
    elif len(v) == 1:  # Gray
        c = QColor(int(v[0]), int(v[0]), int(v[0]))
    else:
        c = QColor(default)
    alpha = el.get("Alpha")
    if alpha is not None:
        c.setAlpha(int(float(alpha)))
    return c


def _ctm(text: str | None) -> QTransform:
    v = _numbers(text)
    if len(v) != 6:
        return QTransform()
    a, b, c, d, e, f = v
    return QTransform(a, b, c, d, e, f)


def _deltas(text: str | None) -> list[float]:
    """DeltaX/DeltaY with the "g count value" runs spelt out."""
    out: list[float] = []
    tokens = (text or "").split()
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            out.extend([float(tokens[i + 2])] * int(float(tokens[i + 1])))
            i += 3
        else:
            out.append(float(tokens[i]))
            i += 1
    return out


def _path(data: str | None) -> QPainterPath:
    """AbbreviatedData (GB/T 33190 9.3.2): S/M move, L line, Q quadratic, B cubic, A arc, C close."""
    path = QPainterPath()
    tokens = re.findall(r"[A-Za-z]|" + _NUMBER.pattern, data or "")
    i = 0
    need = {"S": 2, "M": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}
    while i < len(tokens):
        op = tokens[i]
        i += 1
        if op not in need:
            continue
        args = [float(t) for t in tokens[i : i + need[op]]]
        if len(args) < need[op]:
            break
        i += need[op]
        if op in "SM":
            path.moveTo(args[0], args[1])
        elif op == "L":
            path.lineTo(args[0], args[1])
        elif op == "Q":
            path.quadTo(args[0], args[1], args[2], args[3])
        elif op == "B":
            path.cubicTo(args[0], args[1], args[2], args[3], args[4], args[5])
        elif op == "A":
            _arc(path, *args)
        elif op == "C":
            path.closeSubpath()
    return path


def _arc(path: QPainterPath, rx: float, ry: float, angle: float, large: float, sweep: float, x: float, y: float) -> None:
    """An elliptical arc from the current point to (x, y), as in SVG (endpoint parametrisation)."""
    p0 = path.currentPosition()
    x0, y0 = p0.x(), p0.y()
    if rx == 0 or ry == 0 or (x0 == x and y0 == y):
        path.lineTo(x, y)
        return
    phi = math.radians(angle)
    cos, sin = math.cos(phi), math.sin(phi)
    dx, dy = (x0 - x) / 2, (y0 - y) / 2
    x1 = cos * dx + sin * dy
    y1 = -sin * dx + cos * dy
    rx, ry = abs(rx), abs(ry)
    lam = (x1 * x1) / (rx * rx) + (y1 * y1) / (ry * ry)
    if lam > 1:
        rx, ry = rx * math.sqrt(lam), ry * math.sqrt(lam)
    num = rx * rx * ry * ry - rx * rx * y1 * y1 - ry * ry * x1 * x1
    den = rx * rx * y1 * y1 + ry * ry * x1 * x1
    coef = math.sqrt(max(0.0, num / den)) if den else 0.0
    if bool(large) == bool(sweep):
        coef = -coef
    cx1, cy1 = coef * rx * y1 / ry, -coef * ry * x1 / rx
    cx = cos * cx1 - sin * cy1 + (x0 + x) / 2
    cy = sin * cx1 + cos * cy1 + (y0 + y) / 2

    def ang(ux: float, uy: float, vx: float, vy: float) -> float:
        a = math.atan2(ux * vy - uy * vx, ux * vx + uy * vy)
        return a

    t1 = ang(1, 0, (x1 - cx1) / rx, (y1 - cy1) / ry)
    dt = ang((x1 - cx1) / rx, (y1 - cy1) / ry, (-x1 - cx1) / rx, (-y1 - cy1) / ry)
    if not sweep and dt > 0:
        dt -= 2 * math.pi
    elif sweep and dt < 0:
        dt += 2 * math.pi
    steps = max(4, int(abs(dt) / (math.pi / 16)))
    for k in range(1, steps + 1):
        t = t1 + dt * k / steps
        ex, ey = rx * math.cos(t), ry * math.sin(t)
        path.lineTo(cos * ex - sin * ey + cx, sin * ex + cos * ey + cy)


class OfdDocument:
    """The first document of an OFD package: its pages, templates and resources."""

    def __init__(self, source: Path | str | bytes) -> None:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            root = self._xml("OFD.xml")
        except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
            raise OfdError("这个文件不是 OFD 文件或已损坏，请换一个由版式软件保存的 OFD 文件。") from exc
        doc_root = root.findtext(f".//{Q}DocBody/{Q}DocRoot")
        if not doc_root:
            raise OfdError("这个 OFD 文件里没有文档（缺少 DocRoot），请换一个文件。")
        self.doc_path = self._norm("", doc_root)
        self.doc_dir = posixpath.dirname(self.doc_path)
        self.doc = self._xml(self.doc_path)
        common = self.doc.find(f"{Q}CommonData")
        self.page_area = _box(common.findtext(f"{Q}PageArea/{Q}PhysicalBox")) if common is not None else None
        self.fonts: dict[str, _Font] = {}
        self.fonts_xml: dict[str, tuple[etree._Element, str]] = {}
        self.media: dict[str, str] = {}  # ID -> path of the file in the package
        self.draw_params: dict[str, etree._Element] = {}
        if common is not None:
            for tag in ("PublicRes", "DocumentRes"):
                for el in common.findall(f"{Q}{tag}"):
                    self._load_res(self._norm(self.doc_dir, el.text or ""))
        self.templates: dict[str, str] = {}
        if common is not None:
            for t in common.findall(f"{Q}TemplatePage"):
                self.templates[t.get("ID", "")] = self._norm(self.doc_dir, t.get("BaseLoc", ""))
        self.pages: list[str] = [
            self._norm(self.doc_dir, p.get("BaseLoc", "")) for p in self.doc.iterfind(f"{Q}Pages/{Q}Page")
        ]
        self._loaded_fonts: dict[str, _Font] = {}

    # -- the package
    def _xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name))

    @staticmethod
    def _norm(base: str, loc: str) -> str:
        loc = loc.strip()
        if loc.startswith("/"):
            return posixpath.normpath(loc.lstrip("/"))
        return posixpath.normpath(posixpath.join(base, loc)) if base else posixpath.normpath(loc)

    def _load_res(self, name: str) -> None:
        if name not in self.zip.namelist():
            return
        res = self._xml(name)
        base = self._norm(posixpath.dirname(name), res.get("BaseLoc", "")) if res.get("BaseLoc") else posixpath.dirname(name)
        for font in res.iterfind(f"{Q}Fonts/{Q}Font"):
            self.fonts_xml[font.get("ID", "")] = (font, base)
        for mm in res.iterfind(f"{Q}MultiMedias/{Q}MultiMedia"):
            self.media[mm.get("ID", "")] = self._norm(base, mm.findtext(f"{Q}MediaFile") or "")
        for dp in res.iterfind(f"{Q}DrawParams/{Q}DrawParam"):
            self.draw_params[dp.get("ID", "")] = dp

    def __len__(self) -> int:
        return len(self.pages)

    # -- fonts
    def font(self, font_id: str) -> _Font:
        got = self._loaded_fonts.get(font_id)
        if got is None:
            got = self._loaded_fonts[font_id] = self._make_font(font_id)
        return got

    def _make_font(self, font_id: str) -> _Font:
        el, base = self.fonts_xml.get(font_id, (None, ""))
        name = el.get("FontName", "") if el is not None else ""
        family = el.get("FamilyName", "") if el is not None else ""
        bold = el is not None and el.get("Bold") == "true"
        italic = el is not None and el.get("Italic") == "true"
        file = el.findtext(f"{Q}FontFile") if el is not None else None
        if file:
            path = self._norm(base, file)
            try:
                data = self.zip.read(path)
            except KeyError:
                data = b""
            own = f"OFD-{id(self)}-{font_id}"
            renamed = _renamed(data, own)
            if renamed is not None:
                fid = QFontDatabase.addApplicationFontFromData(renamed)
                if fid >= 0 and QFontDatabase.applicationFontFamilies(fid):
                    raw = QRawFont(renamed, 12.0)
                    return _Font(QFontDatabase.applicationFontFamilies(fid)[0], name, raw, bold, italic)
        return _Font(_system_family(name, family), name, None, bold, italic)

    # -- pages
    def page_size(self, index: int) -> tuple[float, float]:
        page = self._xml(self.pages[index])
        box = _box(page.findtext(f"{Q}Area/{Q}PhysicalBox")) or self.page_area or QRectF(0, 0, 210, 297)
        return box.width(), box.height()

    def render(self, index: int, dpi: float = 96.0) -> RenderedPage:
        """Page `index` (from 0) painted at `dpi`, white paper."""
        page_name = self.pages[index]
        page = self._xml(page_name)
        box = _box(page.findtext(f"{Q}Area/{Q}PhysicalBox")) or self.page_area or QRectF(0, 0, 210, 297)
        scale = dpi / 25.4
        image = QImage(max(1, round(box.width() * scale)), max(1, round(box.height() * scale)), QImage.Format.Format_RGB32)
        image.fill(Qt.GlobalColor.white)
        # 72 logical dots per inch while painting: a font's point size is then its size in page units (mm)
        image.setDotsPerMeterX(round(72 / 0.0254))
        image.setDotsPerMeterY(round(72 / 0.0254))
        out = RenderedPage(image, (box.width(), box.height()))
        base = QTransform.fromTranslate(-box.x(), -box.y()) * QTransform.fromScale(scale, scale)
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            for res in page.findall(f"{Q}PageRes"):
                self._load_res(self._norm(posixpath.dirname(page_name), res.text or ""))
            templates = [
                (t.get("ZOrder", "Background"), self.templates.get(t.get("TemplateID", "")))
                for t in page.findall(f"{Q}Template")
            ]
            for z, loc in templates:
                if z != "Foreground" and loc:
                    self._paint_content(self._xml(loc), painter, base, out)
            self._paint_content(page, painter, base, out)
            for z, loc in templates:
                if z == "Foreground" and loc:
                    self._paint_content(self._xml(loc), painter, base, out)
        finally:
            painter.end()
        image.setDotsPerMeterX(round(dpi / 0.0254))
        image.setDotsPerMeterY(round(dpi / 0.0254))
        return out

    def _paint_content(self, page: etree._Element, painter: QPainter, base: QTransform, out: RenderedPage) -> None:
        for layer in page.iterfind(f"{Q}Content/{Q}Layer"):
            params = self._params(layer.get("DrawParam"), {})
            self._paint_block(layer, painter, base, out, params)

    def _params(self, ref: str | None, inherited: dict) -> dict:
        """LineWidth, FillColor, StrokeColor from a DrawParam (and the one it is relative to)."""
        got = dict(inherited)
        chain: list[etree._Element] = []
        seen: set[str] = set()
        while ref and ref in self.draw_params and ref not in seen:
            seen.add(ref)
            dp = self.draw_params[ref]
            chain.append(dp)
            ref = dp.get("Relative")
        for dp in reversed(chain):
            if dp.get("LineWidth"):
                got["LineWidth"] = float(dp.get("LineWidth"))
            for tag in ("FillColor", "StrokeColor"):
                el = dp.find(f"{Q}{tag}")
                if el is not None:
                    got[tag] = el
        return got

    def _paint_block(self, block: etree._Element, painter: QPainter, base: QTransform, out: RenderedPage, params: dict) -> None:
        for el in block:
            tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
            if el.get("Visible") == "false":
                continue
            own = self._params(el.get("DrawParam"), params)
            if tag == "TextObject":
                self._text(el, painter, base, out, own)
            elif tag == "PathObject":
                self._path(el, painter, base, out, own)
            elif tag == "ImageObject":
                self._image(el, painter, base, out)
            elif tag == "PageBlock":
                self._paint_block(el, painter, base, out, own)

    @staticmethod
    def _object_transform(el: etree._Element, base: QTransform) -> tuple[QTransform, QRectF]:
        box = _box(el.get("Boundary")) or QRectF()
        return _ctm(el.get("CTM")) * QTransform.fromTranslate(box.x(), box.y()) * base, box

    def _text(self, el: etree._Element, painter: QPainter, base: QTransform, out: RenderedPage, params: dict) -> None:
        t, box = self._object_transform(el, base)
        page_t = t * base.inverted()[0]  # object space -> page millimetres
        font = self.font(el.get("Font", ""))
        size = float(el.get("Size") or 3.528)
        qfont = QFont(font.family)
        qfont.setPointSizeF(size)
        qfont.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        weight = int(float(el.get("Weight") or (700 if font.bold else 400)))
        qfont.setWeight(QFont.Weight(min(900, max(100, weight))))
        qfont.setItalic(el.get("Italic") == "true" or font.italic)
        hscale = float(el.get("HScale") or 1.0)
        if hscale != 1.0:
            qfont.setStretch(max(1, round(hscale * 100)))
        painter.setFont(qfont)
        # metrics from the face at 1000 units (a few units would round to whole ones), scaled down
        big = QFont(qfont)
        big.setPointSizeF(1000.0)
        metrics = QFontMetricsF(big, painter.device())
        unit = size / 1000.0
        ascent, descent = metrics.ascent() * unit, metrics.descent() * unit
        fill = el.get("Fill") != "false"
        color = _color(el.find(f"{Q}FillColor") if el.find(f"{Q}FillColor") is not None else params.get("FillColor"), QColor(0, 0, 0))
        painter.setPen(QPen(color))
        painter.setWorldTransform(t)
        raw = font.raw
        x = y = 0.0
        for code in el.iterfind(f"{Q}TextCode"):
            text = code.text or ""
            if code.get("X") is not None:
                x = float(code.get("X"))
            if code.get("Y") is not None:
                y = float(code.get("Y"))
            dxs, dys = _deltas(code.get("DeltaX")), _deltas(code.get("DeltaY"))
            for k, ch in enumerate(text):
                if raw is not None and not ch.isspace() and not raw.supportsCharacter(ord(ch)):
                    out.missing.add(ch)
                adv = metrics.horizontalAdvance(ch) * unit
                if fill:
                    painter.drawText(QPointF(x, y), ch)
                if not ch.isspace():
                    rect = page_t.mapRect(QRectF(x, y - ascent, adv, ascent + descent))
                    out.glyphs.append(Glyph(ch, rect, font.name))
                x += dxs[k] if k < len(dxs) else adv
                y += dys[k] if k < len(dys) else 0.0
        painter.resetTransform()

    def _path(self, el: etree._Element, painter: QPainter, base: QTransform, out: RenderedPage, params: dict) -> None:
        t, box = self._object_transform(el, base)
        path = _path(el.findtext(f"{Q}AbbreviatedData"))
        width = float(el.get("LineWidth") or params.get("LineWidth", DEFAULT_LINE_WIDTH))
        stroke = el.get("Stroke") != "false"
        fill = el.get("Fill") == "true"
        painter.setWorldTransform(t)
        if fill:
            path.setFillRule(Qt.FillRule.OddEvenFill if el.get("Rule") == "Even-Odd" else Qt.FillRule.WindingFill)
            sc = el.find(f"{Q}FillColor")
            painter.fillPath(path, QBrush(_color(sc if sc is not None else params.get("FillColor"), QColor(0, 0, 0))))
        if stroke:
            sc = el.find(f"{Q}StrokeColor")
            pen = QPen(_color(sc if sc is not None else params.get("StrokeColor"), QColor(0, 0, 0)))
            pen.setWidthF(width)
            if width * t.m11() < 1.0 and width * t.m22() < 1.0:  # thinner than a pixel: one pixel, as viewers do
                pen.setCosmetic(True)
                pen.setWidthF(1.0)
            cap = {"Round": Qt.PenCapStyle.RoundCap, "Square": Qt.PenCapStyle.SquareCap}
            pen.setCapStyle(cap.get(el.get("Cap", ""), Qt.PenCapStyle.FlatCap))
            painter.strokePath(path, pen)
        painter.resetTransform()
        page_t = t * base.inverted()[0]
        for poly in path.toSubpathPolygons(page_t):
            for a, b in zip(poly, list(poly)[1:], strict=False):
                out.strokes.append(Stroke(a.x(), a.y(), b.x(), b.y(), width if stroke else 0.0))

    def _image(self, el: etree._Element, painter: QPainter, base: QTransform, out: RenderedPage) -> None:
        loc = self.media.get(el.get("ResourceID", ""))
        if not loc:
            return
        try:
            img = QImage.fromData(self.zip.read(loc))
        except KeyError:
            return
        if img.isNull():
            return
        t, _box_ = self._object_transform(el, base)
        painter.setWorldTransform(t)
        painter.drawImage(QRectF(0, 0, 1, 1), img)
        painter.resetTransform()
        out.images += 1


def _renamed(data: bytes, family: str) -> bytes | None:
    """The font file with its family names replaced by `family` (so Qt never confuses it with an installed
    face of the same name); the file as it is when fontTools cannot read it."""
    if not data:
        return None
    try:
        from fontTools.ttLib import TTFont

        tt = TTFont(io.BytesIO(data), lazy=False)
        if "name" in tt:
            table = tt["name"]
            for rec in list(table.names):
                if rec.nameID in (1, 4, 16, 21):
                    table.setName(family, rec.nameID, rec.platformID, rec.platEncID, rec.langID)
                elif rec.nameID == 6:
                    table.setName(family.replace(" ", "-"), rec.nameID, rec.platformID, rec.platEncID, rec.langID)
            table.setName(family, 1, 3, 1, 0x409)
            table.setName(family, 4, 3, 1, 0x409)
        buf = io.BytesIO()
        tt.save(buf)
        return buf.getvalue()
    except Exception:  # noqa: BLE001 - an unreadable embedded font: give Qt the bytes as they are
        return data


def _system_family(name: str, family: str) -> str:
    """A font the file names but does not embed: that family if the machine has it, else Noto CJK."""
    have = set(QFontDatabase.families())
    for candidate in (name, family):
        if candidate and candidate in have:
            return candidate
    sans = any(word in (name + family) for word in ("黑", "Hei", "hei", "Sans", "雅黑", "YaHei"))
    for candidate in (("Noto Sans CJK SC", "WenQuanYi Zen Hei") if sans else ("Noto Serif CJK SC", "AR PL UMing CN")):
        if candidate in have:
            return candidate
    return QFont().defaultFamily()


def render_file(path: Path | str, out_dir: Path | str, dpi: float = 96.0) -> list[Path]:
    """Every page of the OFD file as OUT_DIR/<stem>-<n>.png; returns the files written."""
    doc = OfdDocument(path)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    width = max(1, len(str(len(doc))))
    for i in range(len(doc)):
        target = out / f"{Path(path).stem}-{i + 1:0{width}d}.png"
        if not doc.render(i, dpi).image.save(str(target), "PNG"):
            raise OfdError(f"无法写入 {target}，请检查文件夹是否可写。")
        written.append(target)
    return written


USAGE = "用法：python -m desktop_app.ui.ofd_render 文件.ofd 输出文件夹 [分辨率，默认 96]"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # noqa: D401 - argparse hook; its words are English
        self.exit(2, f"命令行参数有误，{USAGE}\n")


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(
        prog="python -m desktop_app.ui.ofd_render", usage=USAGE, add_help=False,
        description="把 OFD 文件的每一页画成 PNG 图片（<文件名>-<页码>.png），用于查看和检查。",
    )
    parser.add_argument("file", help="OFD 文件")
    parser.add_argument("out_dir", help="存放 PNG 的文件夹")
    parser.add_argument("dpi", nargs="?", type=float, default=96.0, help="分辨率（每英寸点数），默认 96")
    parser.add_argument("-h", "--help", action="help", help="显示本帮助后退出")
    args = parser.parse_args(argv)
    import os

    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841 - fonts need it
    try:
        written = render_file(args.file, args.out_dir, args.dpi)
    except (OSError, OfdError) as exc:
        print(exc if isinstance(exc, OfdError) else f"无法读取 {args.file}：{exc.strerror or exc}，请检查文件路径。", file=sys.stderr)
        return 1
    print(f"已把 {args.file} 的 {len(written)} 页画到 {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
