"""Reads a file's identity (domain.identity): docProps/custom.xml first, else the embedded copy's."""

from __future__ import annotations

import zipfile
from typing import Any

from lxml import etree

from desktop_app.domain.identity import PROPERTY_NAMES, FileIdentity

CUSTOM_PART = "docProps/custom.xml"
MAX_PART = 1024 * 1024  # custom properties are small; a larger part is not ours
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def custom_properties(zf: zipfile.ZipFile) -> dict[str, str]:
    """Our custom properties as text ({} when the part is missing, too large or unreadable)."""
    try:
        info = zf.getinfo(CUSTOM_PART)
    except KeyError:
        return {}
    if info.file_size > MAX_PART:
        return {}
    try:
        with zf.open(info) as f:
            root = etree.fromstring(f.read(MAX_PART + 1), _PARSER)
    except (etree.XMLSyntaxError, OSError, zipfile.BadZipFile, ValueError):
        return {}
    out: dict[str, str] = {}
    for prop in root:
        name = prop.get("name")
        if name in PROPERTY_NAMES:
            out[name] = "".join(prop.itertext()).strip()
    return out


def read_identity(zf: zipfile.ZipFile, embedded: dict[str, Any] | None = None) -> FileIdentity | None:
    """The identity the file carries: its custom properties (kept by Word/WPS/Excel when edited), else the
    embedded copy's "identity"; None when neither names a ledger."""
    found = FileIdentity.from_dict(custom_properties(zf))
    if found is None and isinstance(embedded, dict):
        found = FileIdentity.from_dict(embedded.get("identity"))
    return found
