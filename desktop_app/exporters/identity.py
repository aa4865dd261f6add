"""Writes the file's identity (domain.identity) into docProps/custom.xml of a .docx/.xlsx: the ledger's id,
the unit that sends it, the round and the date. Called by docx_report, xlsx_export and fill_back; the same
dict goes into the embedded copy as "identity"."""

from __future__ import annotations

from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree

from desktop_app.domain.identity import PROPERTY_NAMES, FileIdentity, round_for, round_label
from desktop_app.domain.model import Ledger

CUSTOM_PART = "docProps/custom.xml"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
RT_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_CP = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def _round(ledger: Ledger, options: Any) -> tuple[int | None, date | None]:
    """The round the file is for: the one the user chose to send it for (a late report of the past round
    stays that round's), else the round by 进展截至."""
    chosen = getattr(options, "round_due", None)
    dates = sorted(set(ledger.report_dates))
    if chosen is not None and chosen in dates:
        return dates.index(chosen) + 1, chosen
    return round_for(ledger.report_dates, options.as_of)


def file_identity(ledger: Ledger, options: Any) -> FileIdentity:
    """The identity of a file written from `ledger` with ReportOptions `options`."""
    round_no, due = _round(ledger, options)
    return FileIdentity(
        ledger=ledger.ident,
        unit=options.unit or ledger.owner_unit or "",
        round_no=round_no,
        round_due=due,
        date=options.as_of,
    )


def visible_round(ledger: Ledger, options: Any) -> str:
    """ "第2次报送（8月15日前）" for the header line; "" when the ledger has no report dates."""
    return round_label(*_round(ledger, options))


def custom_xml(identity: FileIdentity, existing: bytes | None = None) -> bytes:
    """docProps/custom.xml with our properties; any other property already in `existing` is kept."""
    ours = identity.properties()
    kept: list[etree._Element] = []
    if existing:
        try:
            root = etree.fromstring(existing, _PARSER)
            kept = [p for p in root if p.get("name") not in PROPERTY_NAMES]
        except etree.XMLSyntaxError:
            kept = []
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
        f'<Properties xmlns="{_CP}" xmlns:vt="{_VT}">',
    ]
    pid = 2
    for p in kept:
        p.set("pid", str(pid))
        parts.append(etree.tostring(p, encoding="unicode"))
        pid += 1
    for name, value in ours.items():
        parts.append(
            f'<property fmtid="{_FMTID}" pid="{pid}" name="{name}"><vt:lpwstr>{escape(value)}</vt:lpwstr></property>'
        )
        pid += 1
    parts.append("</Properties>")
    return "".join(parts).encode("utf-8")


def stamp_docx(document: Any, ledger: Ledger, options: Any) -> dict[str, Any]:
    """Custom properties of a python-docx Document; returns the identity for the embedded copy."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    identity = file_identity(ledger, options)
    package = document.part.package
    for rel in package.rels.values():
        if rel.reltype == RT_CUSTOM and not rel.is_external:
            rel.target_part._blob = custom_xml(identity, rel.target_part.blob)
            return identity.to_dict()
    part = Part(PackURI("/" + CUSTOM_PART), CUSTOM_CT, custom_xml(identity), package)
    package.relate_to(part, RT_CUSTOM)
    return identity.to_dict()


def stamp_members(
    members: dict[str, bytes], order: list[str], ledger: Ledger, options: Any
) -> dict[str, Any]:
    """Custom properties in a package held as {part name: bytes} (fill_back); returns the identity."""
    identity = file_identity(ledger, options)
    members[CUSTOM_PART] = custom_xml(identity, members.get(CUSTOM_PART))
    if CUSTOM_PART not in order:
        order.append(CUSTOM_PART)
    ct = etree.fromstring(members["[Content_Types].xml"], _PARSER)
    if not any(o.get("PartName") == "/" + CUSTOM_PART for o in ct.iter(f"{{{_CT_NS}}}Override")):
        o = etree.SubElement(ct, f"{{{_CT_NS}}}Override")
        o.set("PartName", "/" + CUSTOM_PART)
        o.set("ContentType", CUSTOM_CT)
        members["[Content_Types].xml"] = etree.tostring(
            ct, xml_declaration=True, encoding="UTF-8", standalone=True
        )
    rels_name = "_rels/.rels"
    rels = (
        etree.fromstring(members[rels_name], _PARSER)
        if rels_name in members
        else etree.Element(f"{{{_PKG_REL}}}Relationships", nsmap={None: _PKG_REL})
    )
    if rels_name not in order:
        order.insert(0, rels_name)
    if not any(r.get("Type") == RT_CUSTOM for r in rels):
        ids = {r.get("Id") for r in rels}
        rel = etree.SubElement(rels, f"{{{_PKG_REL}}}Relationship")
        rel.set("Id", next(f"rIdCustom{i}" for i in range(1, 1000) if f"rIdCustom{i}" not in ids))
        rel.set("Type", RT_CUSTOM)
        rel.set("Target", CUSTOM_PART)
        members[rels_name] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
    return identity.to_dict()
