"""Reads back the machine-readable ledger copy that this program puts inside its .docx/.xlsx reports."""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

EMBED_NS = "urn:desktop_app:ledger:1"  # same names as exporters.embedded (importers must not import it)
EMBED_SHEET = "_ledger_data"
EMBED_MARKER = "desktop_app.ledger.embedded:1"

MAX_PART = 64 * 1024 * 1024  # bytes, uncompressed: a larger part is not ours

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _read(z: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = z.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART:
        return None
    with z.open(info) as f:
        data = f.read(MAX_PART + 1)  # the header's size may lie: never inflate more than the cap
    return data if len(data) <= MAX_PART else None


def _xml(z: zipfile.ZipFile, name: str) -> etree._Element | None:
    data = _read(z, name)
    if data is None:
        return None
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return None


def _parse_json(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) and "sections" in data else None


def _from_docx(z: zipfile.ZipFile) -> dict[str, Any] | None:
    for name in sorted(z.namelist()):
        if not re.fullmatch(r"customXml/item\d+\.xml", name):
            continue
        root = _xml(z, name)
        if root is not None and root.tag == f"{{{EMBED_NS}}}ledger":
            return _parse_json(root.text)
    return None


def _from_xlsx(z: zipfile.ZipFile) -> dict[str, Any] | None:
    book = _xml(z, "xl/workbook.xml")
    rels = _xml(z, "xl/_rels/workbook.xml.rels")
    if book is None or rels is None:
        return None
    rid = None
    for sheet in book.iter(f"{{{_MAIN}}}sheet"):
        if sheet.get("name") == EMBED_SHEET:
            rid = sheet.get(f"{{{_REL}}}id")
    if rid is None:
        return None
    target = None
    for rel in rels.iter(f"{{{_PKG_REL}}}Relationship"):
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
    if not target:
        return None
    path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    sheet_xml = _xml(z, path)
    if sheet_xml is None:
        return None
    shared: list[str] = []
    sst = _xml(z, "xl/sharedStrings.xml")
    if sst is not None:
        for si in sst.iter(f"{{{_MAIN}}}si"):
            shared.append("".join(t.text or "" for t in si.iter(f"{{{_MAIN}}}t")))
    values: dict[int, str] = {}
    for c in sheet_xml.iter(f"{{{_MAIN}}}c"):
        m = re.fullmatch(r"A(\d+)", c.get("r") or "")
        if not m:
            continue
        kind = c.get("t")
        if kind == "inlineStr":
            text = "".join(t.text or "" for t in c.iter(f"{{{_MAIN}}}t"))
        else:
            v = c.find(f"{{{_MAIN}}}v")
            raw = v.text if v is not None and v.text is not None else ""
            if kind == "s":
                try:
                    text = shared[int(raw)]
                except (ValueError, IndexError):
                    return None
            else:
                text = raw
        values[int(m.group(1))] = text
    if values.get(1) != EMBED_MARKER:
        return None
    try:
        count = int(float(values.get(2, "0")))
    except ValueError:
        return None
    return _parse_json("".join(values.get(3 + i, "") for i in range(count)))


def read_embedded(path: Path) -> dict[str, Any] | None:
    """The ledger dict (domain.serialize form) embedded in a report we wrote, or None if there is none."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "xl/workbook.xml" in names:
                return _from_xlsx(z)
            if "word/document.xml" in names:
                return _from_docx(z)
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError):
        return None
    return None
