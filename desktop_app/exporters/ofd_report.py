"""The report as OFD (GB/T 33190), drawn from the same page layout as the PDF: real text (TextObject with
the characters and their advances), the fonts embedded as subsets, the tables' rules as paths, one
Content.xml per page. Written directly as XML: what the unit's e-seal client opens and seals."""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from desktop_app.domain import clock
from desktop_app.domain.model import ColumnSpec, Ledger, Task
from desktop_app.exporters.common import ReportOptions
from desktop_app.exporters.files import save_atomically
from desktop_app.exporters.fonts import FontFile
from desktop_app.exporters.report_layout import MM, PageSpec, ReportLayout, _metrics, layout_report

NS = "http://www.ofdspec.org/2016"
CREATOR = "政务公开任务落实台账"
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _n(value: float) -> str:
    """A length in millimetres, short."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def _delta_x(advances: list[float]) -> str:
    """DeltaX with the standard's "g count value" runs for repeated advances (CJK text repeats one)."""
    out: list[str] = []
    i = 0
    while i < len(advances):
        j = i
        while j + 1 < len(advances) and abs(advances[j + 1] - advances[i]) < 1e-4:
            j += 1
        count = j - i + 1
        out.append(f"g {count} {_n(advances[i])}" if count > 2 else " ".join([_n(advances[i])] * count))
        i = j + 1
    return " ".join(out)


def _subset(font: FontFile, chars: set[str]) -> bytes:
    """The face cut down to the characters used (TrueType), so the file stays small."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    with TTFont(str(font.path), fontNumber=font.index, lazy=True) as tt:
        return _cut(tt, chars, subset)


def _cut(tt, chars: set[str], subset) -> bytes:  # noqa: ANN001
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ["DSIG", "GSUB", "GPOS", "EBDT", "EBLC", "EBSC", "morx"]
    sub = subset.Subsetter(options)
    sub.populate(unicodes={ord(c) for c in chars} | {0x20})
    sub.subset(tt)
    buf = io.BytesIO()
    tt.save(buf)
    return buf.getvalue()


def build_ofd(layout: ReportLayout) -> dict[str, bytes]:
    """The package's parts, name -> bytes."""
    parts: dict[str, bytes] = {}
    ids = iter(range(1, 10_000_000))
    w_mm, h_mm = layout.spec.size_mm
    # one font resource per file and face, shared by the roles that use it
    font_ids: dict[str, int] = {}
    role_font: dict[str, int] = {}
    chars: dict[int, set[str]] = {}
    files: dict[int, FontFile] = {}
    for role in ("fang", "song", "hei", "kai"):
        f = layout.fonts[role]
        if f.key not in font_ids:
            font_ids[f.key] = next(ids)
            files[font_ids[f.key]] = f
            chars[font_ids[f.key]] = set()
        role_font[role] = font_ids[f.key]
    for page in layout.pages:
        for t in page.texts:
            chars[role_font[t.role]].update(t.text)

    page_ids: list[int] = []
    for index, page in enumerate(layout.pages):
        page_id = next(ids)
        page_ids.append(page_id)
        layer = next(ids)
        body: list[str] = []
        if page.rules:
            path = " ".join(
                f"M {_n(r.x1 / MM)} {_n(r.y1 / MM)} L {_n(r.x2 / MM)} {_n(r.y2 / MM)}" for r in page.rules
            )
            lw = page.rules[0].width / MM
            body.append(
                f'<ofd:PathObject ID="{next(ids)}" Boundary="0 0 {_n(w_mm)} {_n(h_mm)}" LineWidth="{_n(lw)}"'
                f' Stroke="true" Fill="false"><ofd:StrokeColor Value="0 0 0"/>'
                f"<ofd:AbbreviatedData>{path}</ofd:AbbreviatedData></ofd:PathObject>"
            )
        for t in page.texts:
            m = _metrics(layout.fonts[t.role])
            size = t.size / MM
            advances = [m.char(c) * size for c in t.text]
            ascent = m.ascent * size
            height = (m.ascent + m.descent) * size
            x, top = t.x / MM, t.y / MM - ascent
            width = sum(advances)
            delta = _delta_x(advances[:-1]) if len(advances) > 1 else ""
            delta_attr = f' DeltaX="{delta}"' if delta else ""
            body.append(
                f'<ofd:TextObject ID="{next(ids)}" Boundary="{_n(x)} {_n(top)} {_n(width + size * 0.1)} {_n(height)}"'
                f' Font="{role_font[t.role]}" Size="{_n(size)}"><ofd:FillColor Value="0 0 0"/>'
                f'<ofd:TextCode X="0" Y="{_n(ascent)}"{delta_attr}>{escape(t.text)}</ofd:TextCode></ofd:TextObject>'
            )
        content = (
            f'{_HEAD}<ofd:Page xmlns:ofd="{NS}"><ofd:Area><ofd:PhysicalBox>0 0 {_n(w_mm)} {_n(h_mm)}'
            f'</ofd:PhysicalBox></ofd:Area><ofd:Content><ofd:Layer ID="{layer}" Type="Body">'
            + "".join(body)
            + "</ofd:Layer></ofd:Content></ofd:Page>"
        )
        parts[f"Doc_0/Pages/Page_{index}/Content.xml"] = content.encode("utf-8")

    fonts_xml: list[str] = []
    for fid, f in files.items():
        name = f"font_{fid}.ttf"
        parts[f"Doc_0/Res/{name}"] = _subset(f, chars[fid])
        fonts_xml.append(
            f'<ofd:Font ID="{fid}" FontName={quoteattr(f.family)} FamilyName={quoteattr(f.family)}>'
            f"<ofd:FontFile>{name}</ofd:FontFile></ofd:Font>"
        )
    parts["Doc_0/PublicRes.xml"] = (
        f'{_HEAD}<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts>{"".join(fonts_xml)}</ofd:Fonts></ofd:Res>'
    ).encode()
    max_id = next(ids) - 1
    pages_xml = "".join(
        f'<ofd:Page ID="{pid}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i, pid in enumerate(page_ids)
    )
    parts["Doc_0/Document.xml"] = (
        f'{_HEAD}<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData><ofd:MaxUnitID>{max_id}</ofd:MaxUnitID>'
        f"<ofd:PageArea><ofd:PhysicalBox>0 0 {_n(w_mm)} {_n(h_mm)}</ofd:PhysicalBox></ofd:PageArea>"
        f"<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages>{pages_xml}</ofd:Pages>"
        "</ofd:Document>"
    ).encode()
    today = clock.today().isoformat()
    parts["OFD.xml"] = (
        f'{_HEAD}<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo>'
        f"<ofd:DocID>{uuid.uuid4().hex}</ofd:DocID><ofd:Title>{escape(layout.title)}</ofd:Title>"
        f"<ofd:Author>{escape(layout.author)}</ofd:Author><ofd:CreationDate>{today}</ofd:CreationDate>"
        f"<ofd:Creator>{CREATOR}</ofd:Creator></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
        "</ofd:DocBody></ofd:OFD>"
    ).encode()
    return parts


def _save(parts: dict[str, bytes], target: str) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", parts["OFD.xml"])
        for name, data in parts.items():
            if name != "OFD.xml":
                z.writestr(name, data)


def write_ofd(
    ledger: Ledger,
    path: Path,
    options: ReportOptions | None = None,
    columns: Sequence[ColumnSpec] | None = None,
    tasks: Sequence[Task] | None = None,
    spec: PageSpec | None = None,
) -> int:
    """The report (the public edition when options.public) as OFD at path; returns the page count."""
    layout = layout_report(ledger, options, columns, tasks, spec)
    parts = build_ofd(layout)
    save_atomically(lambda tmp: _save(parts, tmp), Path(path))
    return len(layout.pages)
