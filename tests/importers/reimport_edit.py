"""Editing our exported reports the way Word/WPS and Excel would, for the re-import tests."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
VALIDATOR = Path(os.environ["OOXML_VALIDATOR"])  # set by tests/conftest.py


def edit_docx(src: Path, dst: Path, edit: Callable[[etree._Element], None]) -> Path:
    """Rewrite word/document.xml through `edit(body)`; every other part kept (Word keeps custom XML)."""
    with zipfile.ZipFile(src) as z:
        infos = z.infolist()
        members = {i.filename: z.read(i) for i in infos}
    doc = etree.fromstring(members["word/document.xml"])
    edit(doc.find(f"{W}body"))
    members["word/document.xml"] = etree.tostring(
        doc, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            out.writestr(info.filename, members[info.filename])
    return dst


def cells(tr: etree._Element) -> list[etree._Element]:
    return tr.findall(f"{W}tc")


def cell_text(tc: etree._Element) -> str:
    return "".join(t.text or "" for t in tc.iter(f"{W}t"))


def set_cell(tc: etree._Element, text: str) -> None:
    """Type over a cell: one paragraph, its first run keeps its formatting, lines as <w:br/>."""
    paragraphs = tc.findall(f"{W}p")
    p = paragraphs[0]
    for extra in paragraphs[1:]:
        tc.remove(extra)
    runs = p.findall(f"{W}r")
    rpr = runs[0].find(f"{W}rPr") if runs else None
    for r in runs:
        p.remove(r)
    r = etree.SubElement(p, f"{W}r")
    if rpr is not None:
        r.append(copy.deepcopy(rpr))
    for i, line in enumerate(text.split("\n")):
        if i:
            etree.SubElement(r, f"{W}br")
        t = etree.SubElement(r, f"{W}t")
        t.text = line
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def rows_of(body: etree._Element, table: int = 0) -> list[etree._Element]:
    return body.findall(f"{W}tbl")[table].findall(f"{W}tr")


def validate(*paths: Path) -> None:
    """Every file a test writes passes the OOXML schema check (the originals' settings.xml zoom aside)."""
    done = subprocess.run(
        [sys.executable, str(VALIDATOR), *map(str, paths)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr
    bad = [
        line
        for line in done.stdout.splitlines()
        if line.startswith("VIOLATION") and not line.endswith("'w:percent' is required but missing.")
    ]
    assert not bad, "\n".join(bad)


def _shift_merges(ws, at: int, delta: int) -> None:
    """Merged ranges moved as Excel moves them when rows are inserted (+1) or deleted (-1) at `at`
    (openpyxl's insert_rows/delete_rows leave them where they were)."""
    ranges = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges]
    for r in list(ws.merged_cells.ranges):
        ws.merged_cells.remove(r)
    for r0, c0, r1, c1 in ranges:
        if delta < 0 and r0 == r1 == at:
            continue  # a merge within the deleted row goes with it
        if r0 > at or (delta > 0 and r0 == at):
            r0 += delta
        if r1 >= at:
            r1 += delta
        if (r0, c0) != (r1, c1):
            ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)


def excel_delete_row(ws, row: int) -> None:
    ws.delete_rows(row)
    _shift_merges(ws, row, -1)


def excel_insert_row(ws, row: int) -> None:
    ws.insert_rows(row)
    _shift_merges(ws, row, +1)
