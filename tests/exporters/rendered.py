"""Reports rendered by LibreOffice (as a reader sees them): page counts, and which row starts each page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from desktop_app.exporters.common import ReportModel, ReportRow


def have_renderer() -> bool:
    return bool(shutil.which("soffice") and shutil.which("pdfinfo") and shutil.which("pdftotext"))


def to_pdf(path: Path, out: Path) -> Path:
    """path (.docx) converted by LibreOffice to out/<stem>.pdf."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:  # a profile of its own: runs in parallel do not collide
        env = dict(os.environ, HOME=home)
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(path)],
            env=env,
            capture_output=True,
            check=True,
            timeout=300,
        )
    pdf = out / (path.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice wrote no PDF for {path.name}"
    return pdf


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.M)
    assert found, info
    return int(found.group(1))


def pages_of(path: Path, out: Path) -> int:
    """Pages of a .docx as LibreOffice lays it out."""
    return page_count(to_pdf(path, out))


@dataclass
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def page_words(pdf: Path) -> list[list[Word]]:
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages: list[list[Word]] = []
    for chunk in html.split("<page ")[1:]:
        pages.append(
            [
                Word(unescape(t), float(a), float(b), float(c), float(d))
                for a, b, c, d, t in _WORD.findall(chunk)
            ]
        )
    return pages


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text)


def first_rows(pdf: Path, model: ReportModel, left: float) -> list[ReportRow | None]:
    """Per page with table rows: the task row at its top (below the repeated header), found by the first
    words of its main text; None where the page starts inside a row (its first words match no row)."""
    fields = [c.field for c in model.columns]
    at = (
        fields.index("content")
        if "content" in fields
        else max(range(len(fields)), key=lambda i: model.widths[i])
    )
    x_item = left + sum(model.widths[: at - 1 if model.join_item and fields[at - 1] == "item" else at])
    x_from = left + sum(model.widths[:at])
    x_to = left + sum(model.widths[: at + 1])
    header = model.columns[at].header
    tasks = [r for r in model.rows if r.kind == "task"]

    def text_of(row: ReportRow) -> str:
        return _key(next((c.text for c in row.cells if c.field == fields[at]), ""))

    out: list[ReportRow | None] = []
    for words in page_words(pdf):
        heads = [w for w in words if _key(w.text) == header and x_item - 1 <= w.x0 <= x_to]
        if not heads:
            continue  # no table on this page (the appendix, the sign block alone would show here)
        below = min(heads, key=lambda w: w.y0).y1
        body = sorted(
            (w for w in words if w.y0 > below + 1 and x_item - 1 <= w.x0 < x_to), key=lambda w: (w.y0, w.x0)
        )
        match: list[ReportRow] = []
        # line by line from the top: the content column's words (a row with one cell over item + content
        # starts further left); the first line that begins a row's text is the top row's
        while body and not match:
            line = [w for w in body if abs(w.y0 - body[0].y0) < 2]
            body = body[len(line) :]
            for words_in in (line, [w for w in line if w.x0 >= x_from - 1]):
                text = "".join(_key(w.text) for w in words_in)
                match = [r for r in tasks if text and text_of(r).startswith(text)]
                if match:
                    break
            if not match and any(w.x0 >= x_from - 1 for w in line):
                break  # the page's first line of main text begins no row: the page starts inside a row
        out.append(match[0] if match else None)
    return out
