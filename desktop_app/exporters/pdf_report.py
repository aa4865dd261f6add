"""The report as PDF, drawn from the shared page layout (report_layout) with reportlab: no Qt, so the
command line writes it too. Fonts are embedded as subsets, and the text layer holds the very characters
of the ledger (copy and search work)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from desktop_app.domain.model import ColumnSpec, Ledger, Task
from desktop_app.exporters.common import ReportOptions
from desktop_app.exporters.files import save_atomically
from desktop_app.exporters.report_layout import PageSpec, ReportLayout, layout_report, ttfont

CREATOR = "政务公开任务落实台账"


def draw_pdf(layout: ReportLayout, target: str) -> None:
    """Every page of the layout onto a PDF file (y turned: PDF counts from the bottom)."""
    from reportlab.pdfgen import canvas

    width, height = layout.size
    names = {role: ttfont(layout.fonts[role]).fontName for role in ("fang", "song", "hei", "kai")}
    c = canvas.Canvas(target, pagesize=(width, height), pageCompression=1, initialFontName=names["fang"])
    c.setTitle(layout.title)
    c.setAuthor(layout.author)
    c.setCreator(CREATOR)
    c.setProducer(CREATOR)
    c.setSubject("任务落实台账")
    for page in layout.pages:
        c.setLineWidth(0.5)
        c.setStrokeColorRGB(0, 0, 0)
        path = c.beginPath()
        for r in page.rules:
            path.moveTo(r.x1, height - r.y1)
            path.lineTo(r.x2, height - r.y2)
        c.drawPath(path, stroke=1, fill=0)
        c.setFillColorRGB(0, 0, 0)
        font = size = None
        for t in page.texts:
            if (t.role, t.size) != (font, size):
                font, size = t.role, t.size
                c.setFont(names[t.role], t.size)
            c.drawString(t.x, height - t.y, t.text)
        c.showPage()
    c.save()


def write_pdf(
    ledger: Ledger,
    path: Path,
    options: ReportOptions | None = None,
    columns: Sequence[ColumnSpec] | None = None,
    tasks: Sequence[Task] | None = None,
    spec: PageSpec | None = None,
) -> int:
    """The report (the public edition when options.public) as a PDF at path; returns the page count.
    Written to a temporary name and renamed only when complete."""
    layout = layout_report(ledger, options, columns, tasks, spec)
    save_atomically(lambda tmp: draw_pdf(layout, tmp), Path(path))
    return len(layout.pages)
