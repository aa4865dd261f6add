"""The OFD renderer (ui/ofd_render): what a hand-written OFD says lands where it says, and the OFD report of
every fixture paints page for page as the report: ink in the type area, the text inside it and inside its
cells, nothing over anything, the fonts it embeds, and page 1 where LibreOffice puts page 1 of the Word
report, with as many pages."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QRectF
from PySide6.QtGui import QColor, QImage

from desktop_app.exporters.common import ReportOptions
from desktop_app.exporters.docx_report import write_report
from desktop_app.exporters.ofd_report import write_ofd
from desktop_app.exporters.report_layout import LANDSCAPE_MARGINS, layout_report
from desktop_app.importers import load_any
from desktop_app.ui.ofd_render import OfdDocument, OfdError, render_file
from tests.exporters import rendered

DATA = Path(__file__).resolve().parent.parent / "data"
OPTS = ReportOptions(
    as_of=date(2023, 8, 15), made_on=date(2023, 8, 16), unit="银川市自然资源局", filler="张三",
    phone="13912345678", reviewer="李四", head_of_unit="王五",
)
FIXTURES = ["city-2023.docx", "natural-resources-2022.docx", "natural-resources-2022.xlsx", "lingwu-2022-notice.docx"]
NS = "http://www.ofdspec.org/2016"
needs_renderer = pytest.mark.skipif(not rendered.have_renderer(), reason="LibreOffice/poppler not installed")


# ------------------------------------------------------------------------------ a hand-written OFD


def _png(w: int, h: int, color: str) -> bytes:
    img = QImage(w, h, QImage.Format.Format_RGB32)
    img.fill(QColor(color))
    buf = QBuffer()
    buf.open(QBuffer.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    return bytes(buf.data())


def _package(content: str, fonts: str = "", files: dict[str, bytes] | None = None) -> bytes:
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    parts = {
        "OFD.xml": f'{head}<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo>'
        "<ofd:DocID>x</ofd:DocID></ofd:DocInfo><ofd:DocRoot>/Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        "Doc_0/Document.xml": f'{head}<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData><ofd:MaxUnitID>99</ofd:MaxUnitID>'
        "<ofd:PageArea><ofd:PhysicalBox>0 0 100 50</ofd:PhysicalBox></ofd:PageArea>"
        "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>"
        '</ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>',
        "Doc_0/PublicRes.xml": f'{head}<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts>{fonts}</ofd:Fonts></ofd:Res>',
        "Doc_0/DocumentRes.xml": f'{head}<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:MultiMedias>'
        '<ofd:MultiMedia ID="50" Type="Image"><ofd:MediaFile>green.png</ofd:MediaFile></ofd:MultiMedia>'
        "</ofd:MultiMedias></ofd:Res>",
        "Doc_0/Pages/Page_0/Content.xml": f'{head}<ofd:Page xmlns:ofd="{NS}"><ofd:Content>'
        f'<ofd:Layer ID="2">{content}</ofd:Layer></ofd:Content></ofd:Page>',
        "Doc_0/Res/green.png": _png(4, 4, "#00ff00"),
        **(files or {}),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def _px(page, x_mm: float, y_mm: float) -> QColor:
    s = page.image.width() / page.size_mm[0]
    return page.image.pixelColor(int(x_mm * s), int(y_mm * s))


def test_a_handwritten_page_lands_where_its_numbers_say(qapp) -> None:
    content = (
        # a red frame 1 mm wide round (10,5)-(40,25), drawn with a Boundary offset and the path relative to it
        '<ofd:PathObject ID="3" Boundary="10 5 30 20" LineWidth="1"><ofd:StrokeColor Value="255 0 0"/>'
        "<ofd:AbbreviatedData>M 0 0 L 30 0 L 30 20 L 0 20 C</ofd:AbbreviatedData></ofd:PathObject>"
        # a blue square filled, not stroked, placed by its CTM (scaled 2x): (50,5)-(60,15)
        '<ofd:PathObject ID="4" Boundary="50 5 10 10" CTM="2 0 0 2 0 0" Stroke="false" Fill="true">'
        '<ofd:FillColor Value="0 0 255"/><ofd:AbbreviatedData>M 0 0 L 5 0 L 5 5 L 0 5 C</ofd:AbbreviatedData>'
        "</ofd:PathObject>"
        # the image into the unit square its CTM maps: (70,5)-(90,15)
        '<ofd:ImageObject ID="5" Boundary="70 5 20 10" CTM="20 0 0 10 0 0" ResourceID="50"/>'
        # three characters 6 mm apart ("g 2 6"), the second line of the object 8 mm lower by DeltaY
        '<ofd:TextObject ID="6" Boundary="10 30 80 20" Font="7" Size="5"><ofd:FillColor Value="0 0 0"/>'
        '<ofd:TextCode X="2" Y="5" DeltaX="g 2 6">一二三</ofd:TextCode>'
        '<ofd:TextCode X="2" Y="13" DeltaY="1">四五</ofd:TextCode></ofd:TextObject>'
    )
    fonts = '<ofd:Font ID="7" FontName="宋体" FamilyName="宋体"/>'  # not embedded: a system face stands in
    doc = OfdDocument(_package(content, fonts))
    assert len(doc) == 1 and doc.page_size(0) == (100.0, 50.0)
    page = doc.render(0, dpi=254)  # 10 px per mm
    assert (page.image.width(), page.image.height()) == (1000, 500)
    assert _px(page, 25, 5) == QColor(255, 0, 0) and _px(page, 40, 15) == QColor(255, 0, 0)
    assert _px(page, 25, 15) == QColor(255, 255, 255)  # the frame is not filled
    assert _px(page, 55, 10) == QColor(0, 0, 255) and _px(page, 61, 10) == QColor(255, 255, 255)
    assert _px(page, 80, 10) == QColor(0, 255, 0) and page.images == 1
    assert page.text() == "一二三四五"
    xs = [round(g.rect.left(), 2) for g in page.glyphs]
    assert xs[:3] == [12.0, 18.0, 24.0]  # Boundary x 10 + X 2, then DeltaX 6 each
    assert round(page.glyphs[3].rect.bottom() - page.glyphs[0].rect.bottom(), 2) == 8.0
    assert round(page.glyphs[4].rect.bottom() - page.glyphs[3].rect.bottom(), 2) == 1.0  # DeltaY
    assert all(abs(g.rect.height() - 5) < 2.5 for g in page.glyphs)  # 5 mm type
    # ink where the characters are and nowhere else on that line
    ink = _ink(page.image, QRectF(11, 29, 20, 8), 10)
    assert ink and _ink(page.image, QRectF(40, 29, 40, 8), 10) == 0
    assert page.strokes and {round(s.width, 3) for s in page.strokes} == {1.0, 0.0}


def test_an_embedded_font_is_used_and_its_missing_characters_are_told(qapp) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from desktop_app.exporters.fonts import find_fonts

    face = find_fonts()["fang"]
    with TTFont(str(face.path), fontNumber=face.index) as tt:
        sub = subset.Subsetter()
        sub.populate(unicodes=[ord("甲")])
        sub.subset(tt)
        buf = io.BytesIO()
        tt.save(buf)
    fonts = '<ofd:Font ID="7" FontName="Subset"><ofd:FontFile>sub.ttf</ofd:FontFile></ofd:Font>'
    content = (
        '<ofd:TextObject ID="6" Boundary="0 0 100 50" Font="7" Size="10">'
        '<ofd:TextCode X="10" Y="20">甲乙</ofd:TextCode></ofd:TextObject>'
    )
    page = OfdDocument(_package(content, fonts, {"Doc_0/Res/sub.ttf": buf.getvalue()})).render(0, 100)
    assert page.text() == "甲乙" and page.missing == {"乙"}
    assert doc_families(page) == {"Subset"}


def doc_families(page) -> set[str]:
    return {g.font for g in page.glyphs}


def test_not_an_ofd_file_is_one_sentence(tmp_path: Path) -> None:
    bad = tmp_path / "x.ofd"
    bad.write_bytes(b"not a zip")
    with pytest.raises(OfdError, match="不是 OFD 文件"):
        OfdDocument(bad)


# ------------------------------------------------------------------------------- the OFD report


def _ink(image: QImage, rect_mm: QRectF, px_per_mm: float, dark: int = 160) -> int:
    """Dark pixels inside a rectangle (mm)."""
    x0, y0 = max(0, int(rect_mm.left() * px_per_mm)), max(0, int(rect_mm.top() * px_per_mm))
    x1 = min(image.width(), int(rect_mm.right() * px_per_mm))
    y1 = min(image.height(), int(rect_mm.bottom() * px_per_mm))
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    count = 0
    for y in range(y0, y1):
        row = bytes(gray.constScanLine(y))[x0:x1]
        count += sum(1 for v in row if v < dark)
    return count


def _ink_box(image: QImage, dark: int = 160) -> tuple[int, int, int, int]:
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    xs: list[int] = []
    ys: list[int] = []
    for y in range(gray.height()):
        row = bytes(gray.constScanLine(y))[: gray.width()]
        hits = [x for x, v in enumerate(row) if v < dark]
        if hits:
            ys.append(y)
            xs += [hits[0], hits[-1]]
    return min(xs), min(ys), max(xs), max(ys)


def _overlaps(a: QRectF, b: QRectF, eps: float) -> bool:
    return a.adjusted(eps, eps, -eps, -eps).intersects(b.adjusted(eps, eps, -eps, -eps))


def _crossing(g: QRectF, s, eps: float = 0.15) -> bool:
    """A rule through a glyph's box (its edges may touch)."""
    r = g.adjusted(eps, eps, -eps, -eps)
    if abs(s.x1 - s.x2) < 1e-6:  # vertical
        return r.left() < s.x1 < r.right() and min(s.y1, s.y2) < r.bottom() and max(s.y1, s.y2) > r.top()
    if abs(s.y1 - s.y2) < 1e-6:  # horizontal
        return r.top() < s.y1 < r.bottom() and min(s.x1, s.x2) < r.right() and max(s.x1, s.x2) > r.left()
    return False


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, tuple]:
    """Per fixture: the ledger, its OFD report and the layout the writer drew."""
    out = tmp_path_factory.mktemp("ofd")
    got = {}
    for name in FIXTURES:
        ledger = load_any(DATA / name).ledger
        path = out / (name.replace(".", "_") + ".ofd")
        pages = write_ofd(ledger, path, OPTS)
        got[name] = (ledger, path, pages, layout_report(ledger, OPTS))
    return got


@pytest.mark.parametrize("name", FIXTURES)
def test_the_ofd_report_paints_page_for_page_inside_the_type_area(qapp, reports, name: str) -> None:
    ledger, path, pages, layout = reports[name]
    doc = OfdDocument(path)
    assert len(doc) == pages == len(layout.pages) > 1
    top, right, bottom, left = LANDSCAPE_MARGINS
    w, h = doc.page_size(0)
    assert (w, h) == (297.0, 210.0)
    area = QRectF(left, top, w - left - right, h - top - bottom)
    hei = layout.fonts["hei"].family
    for i in range(len(doc)):
        page = doc.render(i, dpi=50.8)  # 2 px per mm
        where = f"第{i + 1}页"
        assert page.missing == set(), (where, page.missing)  # every character in the embedded font
        # the text as the writer was given it, all of it and nothing else
        wanted = "".join(t.text for t in layout.pages[i].texts).replace(" ", "").replace("\u3000", "")
        assert page.text() == wanted, where
        assert _ink(page.image, area, 2) > 2000, where  # not blank: ink in the type area
        number = f"— {i + 1} —".replace(" ", "")
        body = page.glyphs[: len(page.glyphs) - len(number)]
        folio = page.glyphs[len(body) :]
        assert "".join(g.char for g in folio) == number
        for g in body:  # GB/T 9704: the text inside the type area
            assert area.adjusted(-0.2, -0.2, 0.2, 0.2).contains(g.rect), (where, g.char, g.rect)
        # the page number under the type area, outside: odd pages right, even pages left
        assert all(g.rect.top() > area.bottom() for g in folio)
        if (i + 1) % 2:
            assert folio[-1].rect.right() > area.center().x() + 80
        else:
            assert folio[0].rect.left() < area.center().x() - 80
        # nothing drawn over anything: no rule through a character, no character over another
        rules = [s for s in page.strokes if s.width > 0]
        assert rules, where
        hit = [(g.char, g.rect) for g in body for s in rules if _crossing(g.rect, s)]
        assert hit == [], (where, hit[:5])
        cells: dict[tuple[int, int], list] = {}
        for g in body:
            cells.setdefault((int(g.rect.center().x() // 10), int(g.rect.center().y() // 10)), []).append(g)
        for (cx, cy), near in cells.items():
            others = [o for dx in (-1, 0, 1) for dy in (-1, 0, 1) for o in cells.get((cx + dx, cy + dy), [])]
            for g in near:
                clash = [o.char for o in others if o is not g and _overlaps(g.rect, o.rect, 0.1)]
                assert clash == [], (where, g.char, clash)
        # the table's header in 黑体 on every page that has one, the rest in the fonts the writer embedded
        heads = [g for k, g in enumerate(body[:-1]) if g.char + body[k + 1].char == "序号"]
        assert heads and all(g.font == hei for g in heads), where
    assert page.glyphs and {g.font for g in page.glyphs} <= {f.family for f in layout.fonts.roles.values()}


@needs_renderer
@pytest.mark.parametrize("name", FIXTURES)
def test_page_one_stands_where_the_word_report_puts_it(qapp, reports, tmp_path: Path, name: str) -> None:
    ledger, path, pages, _layout = reports[name]
    docx = tmp_path / "report.docx"
    write_report(ledger, docx, OPTS)
    pdf = rendered.to_pdf(docx, tmp_path / "word")
    # about as many pages as the Word report (a table per section here, with its heading and header row,
    # where Word has one table; groups that fit a page always kept on one here): a page apart at most
    word_pages = rendered.page_count(pdf)
    assert abs(word_pages - pages) <= 1, (pages, word_pages)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50.8", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "w")], check=True
    )
    word = QImage(str(next(tmp_path.glob("w*.png"))))
    ours = OfdDocument(path).render(0, dpi=50.8).image
    assert abs(word.width() - ours.width()) <= 2 and abs(word.height() - ours.height()) <= 2
    a, b = _ink_box(ours), _ink_box(word)
    inter = max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    assert inter / union > 0.85, (a, b)


def test_command_line_writes_one_png_per_page(qapp, reports, tmp_path: Path) -> None:
    _ledger, path, pages, _layout = reports["natural-resources-2022.docx"]
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run(
        [sys.executable, "-m", "desktop_app.ui.ofd_render", str(path), str(tmp_path / "png"), "40"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    written = sorted((tmp_path / "png").glob("*.png"))
    assert len(written) == pages and f"的 {pages} 页" in run.stdout
    img = QImage(str(written[0]))
    assert (img.width(), img.height()) == (round(297 / 25.4 * 40), round(210 / 25.4 * 40))
    bad = tmp_path / "bad.ofd"
    bad.write_bytes(b"PK")
    run = subprocess.run(
        [sys.executable, "-m", "desktop_app.ui.ofd_render", str(bad), str(tmp_path / "x")],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert run.returncode == 1 and "不是 OFD 文件" in run.stderr and "Traceback" not in run.stderr
    assert [p.name for p in render_file(path, tmp_path / "again", 20)] == [p.name for p in written]
    assert written[0].name == (f"{path.stem}-1.png" if pages < 10 else f"{path.stem}-01.png")


_TO_BITS = bytes(ord("1") if v < 160 else ord("0") for v in range(256))


def _ink_rows(image: QImage, width: int) -> list[int]:
    """Per pixel row the dark pixels as the bits of an integer (the first `width` pixels)."""
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    return [int(bytes(gray.constScanLine(y))[:width].translate(_TO_BITS), 2) for y in range(gray.height())]


def _near_share(a: list[int], b: list[int]) -> float:
    """The share of a's ink that has b's ink within one pixel."""
    h = min(len(a), len(b))
    grown = [(m | m << 1 | m >> 1) for m in b[:h]]
    grown = [grown[y] | (grown[y - 1] if y else 0) | (grown[y + 1] if y + 1 < h else 0) for y in range(h)]
    inked = sum(m.bit_count() for m in a[:h])
    return sum((a[y] & grown[y]).bit_count() for y in range(h)) / max(1, inked)


def test_every_page_paints_as_poppler_paints_the_pdf_of_the_same_layout(qapp, reports, tmp_path: Path) -> None:
    """The PDF is drawn from the same layout by another writer (reportlab) and rendered by another renderer
    (poppler): page for page the ink falls in the same places (within a pixel at 4 px/mm)."""
    from desktop_app.exporters.pdf_report import write_pdf

    ledger, path, pages, _layout = reports["natural-resources-2022.docx"]
    pdf = tmp_path / "report.pdf"
    assert write_pdf(ledger, pdf, OPTS) == pages
    subprocess.run(["pdftoppm", "-png", "-r", "101.6", str(pdf), str(tmp_path / "p")], check=True)
    shots = sorted(tmp_path.glob("p*.png"))
    assert len(shots) == pages
    doc = OfdDocument(path)
    for i, shot in enumerate(shots):
        mine = doc.render(i, dpi=101.6).image
        theirs = QImage(str(shot))
        width = min(mine.width(), theirs.width())
        a, b = _ink_rows(mine, width), _ink_rows(theirs, width)
        assert _near_share(a, b) > 0.95 and _near_share(b, a) > 0.95, (i + 1, _near_share(a, b), _near_share(b, a))
