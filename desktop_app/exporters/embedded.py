"""The machine-readable copy inside each exported .docx/.xlsx (read back by importers.embedded_copy)."""

from __future__ import annotations

import json
from typing import Any

from lxml import etree

EMBED_NS = "urn:desktop_app:ledger:1"
EMBED_SHEET = "_ledger_data"
EMBED_MARKER = "desktop_app.ledger.embedded:1"
CHUNK = 30000  # characters per Excel cell (the limit is 32,767)

_CUSTOM_XML_PROPS_CT = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_RT_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
_RT_CUSTOM_XML_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
_ITEM_ID = "{6B1C2E63-5D0A-4F6B-9A55-2D5D8E2C1A01}"


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def ledger_xml(data: dict[str, Any]) -> bytes:
    """<ledger xmlns="urn:desktop_app:ledger:1" format="json">{...}</ledger> (the JSON as escaped text)."""
    root = etree.Element(f"{{{EMBED_NS}}}ledger", nsmap={None: EMBED_NS})
    root.set("format", "json")
    root.text = to_json(data)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _props_xml() -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        f'<ds:datastoreItem ds:itemID="{_ITEM_ID}" xmlns:ds="{_DS}">'
        f'<ds:schemaRefs><ds:schemaRef ds:uri="{EMBED_NS}"/></ds:schemaRefs></ds:datastoreItem>'
    ).encode()


def add_to_docx(document: Any, data: dict[str, Any]) -> None:
    """A custom XML part (customXml/itemN.xml + itemPropsN.xml) related from the document part."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    main = document.part
    package = main.package
    taken = {str(p.partname) for p in package.iter_parts()}
    n = 1
    while f"/customXml/item{n}.xml" in taken:
        n += 1
    item = Part(PackURI(f"/customXml/item{n}.xml"), "application/xml", ledger_xml(data), package)
    props = Part(PackURI(f"/customXml/itemProps{n}.xml"), _CUSTOM_XML_PROPS_CT, _props_xml(), package)
    item.relate_to(props, _RT_CUSTOM_XML_PROPS)
    main.relate_to(item, _RT_CUSTOM_XML)


def add_to_workbook(workbook: Any, data: dict[str, Any]) -> None:
    """A very hidden sheet: A1 marker, A2 number of chunks, A3.. the JSON in pieces."""
    ws = workbook.create_sheet(EMBED_SHEET)
    ws.sheet_state = "veryHidden"
    text = to_json(data)
    chunks = [text[i : i + CHUNK] for i in range(0, len(text), CHUNK)] or [""]
    ws.cell(row=1, column=1, value=EMBED_MARKER)
    ws.cell(row=2, column=1, value=len(chunks))
    for i, chunk in enumerate(chunks):
        c = ws.cell(row=3 + i, column=1, value=chunk)
        c.data_type = "s"  # a piece starting with "=" is text, not a formula
