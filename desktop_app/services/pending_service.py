"""Edits a dropped server connection held back: kept in memory while the program runs and, at every
change, in a small file in the user's data folder (written to a temporary name, then renamed), so that
closing the program while the server is still away loses nothing: the next time the same database is
opened, the program offers to save them (through the ordinary versioned path: a conflict is shown).

An edit is a group applied all or nothing: a paste over several rows, a 批量修改, 已完成 with 100 %,
one table cell (kind "cells"), or one progress entry (kind "entry")."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop_app.exporters.files import atomic_path

log = logging.getLogger(__name__)
FORMAT = 1

__all__ = ["KeptCell", "KeptEdit", "PendingEdits", "pending_file"]


@dataclass
class KeptCell:
    task_id: int
    field: str
    value: Any  # what the user typed (text, a number)
    base: Any = None  # the value the user saw before typing
    version: int | None = None  # the task's version the user saw


@dataclass
class KeptEdit:
    kind: str  # "cells" | "entry"
    label: str  # what the user did, for the sentences: "粘贴 12 个单元格", "第 3 项的“主要内容”"
    cells: list[KeptCell] = field(default_factory=list)
    entry: dict[str, Any] | None = None  # task_id, text, status, percent, author, round_id, entry_date, at
    at: str = ""  # when it was kept (ISO time)

    def task_ids(self) -> list[int]:
        if self.kind == "entry" and self.entry is not None:
            return [int(self.entry["task_id"])]
        return list(dict.fromkeys(c.task_id for c in self.cells))

    def size(self) -> int:
        return 1 if self.kind == "entry" else len(self.cells)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KeptEdit:
        cells = [KeptCell(**c) for c in data.get("cells") or []]
        return cls(
            kind=str(data["kind"]), label=str(data.get("label", "")), cells=cells,
            entry=data.get("entry"), at=str(data.get("at", "")),
        )


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def pending_file(folder: Path, database_key: str) -> Path:
    """The file that holds the kept edits of one database (a file's path, or a server's address
    without password) in `folder`."""
    return Path(folder) / f"pending-{_key_hash(database_key)}.json"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


class PendingEdits:
    """The kept edits of the database open, in the order made; persisted to `path` at each change
    (None: memory only)."""

    def __init__(self, database_key: str, path: Path | None = None) -> None:
        self.key = database_key
        self.path = path
        self.edits: list[KeptEdit] = []
        self.deferred: list[KeptEdit] = []  # left by an earlier session, not yet to be saved (以后再说)
        self.write_error: str | None = None

    # ---- the file ------------------------------------------------------------------------------------
    def load(self) -> list[KeptEdit]:
        """The edits a previous session left in the file (for this database only); [] when none or
        the file cannot be read (then it is left where it is, and logged)."""
        if self.path is None or not self.path.exists():
            return []
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("database") != self.key:
                return []
            return [KeptEdit.from_json(e) for e in data.get("edits") or []]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("cannot read the kept edits in %s: %s", self.path, exc)
            return []

    def _save(self) -> None:
        if self.path is None:
            return
        try:
            edits = self.deferred + self.edits
            if not edits:
                if self.path.exists():
                    os.remove(self.path)
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            data = {"format": FORMAT, "database": self.key, "edits": [e.to_json() for e in edits]}
            with atomic_path(self.path) as tmp:
                Path(tmp).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            self.write_error = None
        except Exception as exc:  # noqa: BLE001 - the edits stay in memory; said at close
            self.write_error = str(exc)
            log.warning("cannot keep the pending edits in %s: %s", self.path, exc)

    # ---- the list ------------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.edits)

    def __bool__(self) -> bool:
        return bool(self.edits)

    def __iter__(self):  # noqa: ANN204
        return iter(list(self.edits))

    def count(self) -> int:
        """How many changes wait (a cell is one, a progress entry is one), those put off included."""
        return sum(e.size() for e in self.deferred + self.edits)

    def defer(self, edits: list[KeptEdit]) -> None:
        """An earlier session's edits the user put off: kept in the file, not retried."""
        self.deferred = list(edits)
        self._save()

    def cells(self) -> dict[tuple[int, str], Any]:
        """(task id, field) -> the value kept (the newest)."""
        out: dict[tuple[int, str], Any] = {}
        for edit in self.edits:
            for c in edit.cells:
                out[(c.task_id, c.field)] = c.value
        return out

    def keep(self, edit: KeptEdit) -> bool:
        """Keep one more edit (a newer value of the same cell replaces the older one); False when it
        was kept already (a retry that failed again)."""
        if any(e is edit for e in self.edits):
            return False
        edit.at = edit.at or datetime.now().isoformat(timespec="seconds")
        if edit.entry is not None:
            edit.entry = {k: _plain(v) for k, v in edit.entry.items()}
        for c in edit.cells:
            c.value, c.base = _plain(c.value), _plain(c.base)
        self.supersede([(c.task_id, c.field) for c in edit.cells])
        self.edits.append(edit)
        self._save()
        return True

    def supersede(self, cells: list[tuple[int, str]]) -> None:
        """Those cells were saved (or kept anew) with a newer value: the older kept value goes."""
        wanted = set(cells)
        if not wanted:
            return
        changed = False
        for group in (self.edits, self.deferred):
            for edit in list(group):
                left = [c for c in edit.cells if (c.task_id, c.field) not in wanted]
                if edit.kind == "cells" and len(left) != len(edit.cells):
                    changed = True
                    edit.cells = left
                    if not left:
                        group.remove(edit)
        if changed:
            self._save()

    def drop(self, edit: KeptEdit) -> None:
        self.edits = [e for e in self.edits if e is not edit]
        self._save()

    def take_back(self, edits: list[KeptEdit]) -> None:
        """An earlier session's edits, to be saved now (first, in the order made)."""
        self.deferred = [e for e in self.deferred if not any(e is k for k in edits)]
        self.edits = list(edits) + self.edits
        self._save()
