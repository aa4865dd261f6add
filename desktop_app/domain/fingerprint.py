"""Short hashes of the visible cells of a task's row: written into our reports' embedded copy and
compared on re-import, so that a cell edited in Word/WPS/Excel is known as edited."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Hashable, Sequence
from functools import lru_cache

# Set in the embedded copy (top level) when its tasks carry "visible" hashes.
VISIBLE_FORMAT = 1

# White space (as str.isspace), control characters and invisible format characters (ZWSP, BOM ...).
_INVISIBLE = re.compile(
    r"[\s\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]+"
)


def visible_text(text: str) -> str:
    """A cell's text reduced to what an edit changes: spaces, line breaks and invisible characters
    dropped (the readers rejoin line breaks and trim spaces, Word and Excel add or lose some)."""
    return _INVISIBLE.sub("", text or "")


@lru_cache(maxsize=65536)  # ledgers repeat the same units, deadline and indicator texts on many rows
def cell_hash(text: str) -> str:
    return hashlib.sha256(visible_text(text).encode("utf-8")).hexdigest()[:8]


EMPTY = cell_hash("")


def row_hashes(cells: Sequence[tuple[str, Hashable]]) -> list[str]:
    """One hash per grid column of a row, from (text, identity of the source cell) per grid column.

    A cell spanning several grid columns counts in its last one (the others hash as empty), the way
    the readers split "主要内容" over sub-item and content; trailing empty columns are left off."""
    out: list[str] = []
    for i, (text, key) in enumerate(cells):
        spans_on = i + 1 < len(cells) and cells[i + 1][1] == key
        out.append(EMPTY if spans_on else cell_hash(text))
    while out and out[-1] == EMPTY:
        out.pop()
    return out
