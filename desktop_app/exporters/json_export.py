"""The ledger as JSON (domain.serialize form): for other programs and for backups by hand."""

from __future__ import annotations

import json
from pathlib import Path

from desktop_app.domain.model import Ledger, ProgressEntry
from desktop_app.domain.serialize import ledger_to_dict
from desktop_app.exporters.files import write_text_atomically


def write_json(ledger: Ledger, path: Path, history: dict[int, list[ProgressEntry]] | None = None) -> None:
    """UTF-8 JSON, Chinese kept readable (ensure_ascii=False), indented; `history`: task id -> entries."""
    text = json.dumps(ledger_to_dict(ledger, history), ensure_ascii=False, indent=2) + "\n"

    write_text_atomically(Path(path), text)
