"""Our own report re-imported: the visible table is the truth, the embedded copy fills in what the
table cannot show (unit roles, status, percent, history, fields not printed), task by task."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from typing import Any

from desktop_app.domain.fingerprint import EMPTY, VISIBLE_FORMAT, row_hashes, visible_text
from desktop_app.domain.model import Ledger, ProgressEntry, Section, Task, TaskStatus, UnitRole
from desktop_app.domain.serialize import ledger_from_dict
from desktop_app.domain.units import parse_units
from desktop_app.importers.result import ImportResult, TaskChange

STATUS_HEADER = "状态"  # the status column our Excel export adds (read as "extra:状态")


@dataclass
class _Seen:
    """A task as read from the visible table, with what its row shows."""

    task: Task
    hashes: list[str]
    fields: list[str]


@dataclass
class _Copied:
    """A task of the embedded copy: everything the program knew, and what its row showed."""

    task: Task
    history: list[ProgressEntry]
    hashes: list[str] | None  # None: an old copy (no hashes) or a task not written as a row


def _status_from(text: str) -> TaskStatus | None:
    t = visible_text(text)
    if "未开始" in t:
        return TaskStatus.NOT_STARTED
    if "已完成" in t or t == "完成":
        return TaskStatus.DONE
    if any(w in t for w in ("推进中", "持续推进", "进行中")):
        return TaskStatus.IN_PROGRESS
    return None  # 已逾期 / 临期 / 即将到期: worked out from the deadline, not recorded


def _field_value(task: Task, f: str) -> str:
    if f == "units":
        return task.units_text or "、".join(u.name for u in task.units)
    if f == "cooperating_units":
        return task.cooperating_text
    if f == "deadline":
        return task.deadline.text
    if f == "item":
        return task.item or ""
    if f.startswith("extra:"):
        return task.extra.get(f[6:], "")
    return str(getattr(task, f, "") or "")


def _edited_fields(seen: _Seen, copied: _Copied, status_field: str | None) -> list[str]:
    """The fields whose visible cells differ from what the copy recorded (old copies: from its values)."""
    out: list[str] = []
    for col, f in enumerate(seen.fields):
        if f == "ignore" or f in out:
            continue
        if copied.hashes is not None:
            shown = seen.hashes[col] if col < len(seen.hashes) else EMPTY
            written = copied.hashes[col] if col < len(copied.hashes) else EMPTY
            if shown != written:
                out.append(f)
            continue
        if f == status_field:
            status = _status_from(seen.task.extra.get(STATUS_HEADER, ""))
            if status is not None and (status == TaskStatus.DONE) != (copied.task.status == TaskStatus.DONE):
                out.append(f)
        elif visible_text(_field_value(seen.task, f)) != visible_text(_field_value(copied.task, f)):
            out.append(f)
    return out


def _apply(task: Task, seen: Task, fields: list[str], status_field: str | None) -> None:
    """The visible values of the edited fields into the copy's task."""
    for f in fields:
        if f == status_field:
            status = _status_from(seen.extra.get(STATUS_HEADER, ""))
            if status is not None:
                task.status = status
                if status == TaskStatus.DONE:
                    task.percent = 100
        elif f.startswith("extra:"):
            value = seen.extra.get(f[6:], "")
            if value:
                task.extra[f[6:]] = value
            else:
                task.extra.pop(f[6:], None)
        elif f == "units":
            task.units_text = seen.units_text
        elif f == "cooperating_units":
            task.cooperating_text = seen.cooperating_text
        elif f == "deadline":
            task.deadline = seen.deadline
        elif f in ("number", "key_work", "item", "content", "indicator", "progress", "remarks"):
            setattr(task, f, getattr(seen, f))
    if "units" in fields or "cooperating_units" in fields:
        task.units = parse_units(task.units_text) + parse_units(task.cooperating_text, UnitRole.COOPERATING)
    if "progress" in fields:
        task.progress_updated_at = datetime.now().replace(microsecond=0)
        if task.progress and task.status == TaskStatus.NOT_STARTED:
            task.status = TaskStatus.IN_PROGRESS


def _likeness(seen: _Seen, copied: _Copied) -> int:
    """How surely a visible row is this copy task (0: not at all)."""
    score = 0
    content = visible_text(seen.task.content)
    if content and content == visible_text(copied.task.content):
        score += 100
    number = visible_text(seen.task.number)
    if number and number == visible_text(copied.task.number):
        score += 50
    if copied.hashes is not None and score == 0:
        shown = [h for h in seen.hashes if h != EMPTY]
        same = sum(1 for a, b in zip(seen.hashes, copied.hashes, strict=False) if a == b and a != EMPTY)
        if same >= 2 and same * 2 > len(shown):
            score += same
    return score


def _pair_gap(seen: list[_Seen], copied: list[_Copied], vs: range, cs: range, pairs: dict[int, int]) -> None:
    """Rows between two runs of unchanged rows: each to the likeliest copy task of the same stretch."""
    free = list(cs)
    if not free:
        return
    wide = len(free) > 60  # a long stretch (an old copy is one): only content/number candidates
    by_content: dict[str, list[int]] = {}
    by_number: dict[str, list[int]] = {}
    if wide:
        for ci in free:
            by_content.setdefault(visible_text(copied[ci].task.content), []).append(ci)
            by_number.setdefault(visible_text(copied[ci].task.number), []).append(ci)
    taken: set[int] = set()
    for vi in vs:
        if wide:
            task = seen[vi].task
            pool = by_content.get(visible_text(task.content), []) + by_number.get(
                visible_text(task.number), []
            )
        else:
            pool = free
        best, best_score = None, 0
        for ci in pool:
            if ci in taken:
                continue
            score = _likeness(seen[vi], copied[ci])
            if score > best_score:
                best, best_score = ci, score
        if best is not None:
            pairs[vi] = best
            taken.add(best)


def _title(task: Task) -> str:
    text = " ".join(task.content.split())
    return text if len(text) <= 16 else text[:16] + "…"


def merge_copy(result: ImportResult, data: dict[str, Any]) -> ImportResult:
    """Our own report, read from its visible table, completed from its embedded copy.

    The copy gives what the table cannot show (unit roles, status, percent, history, fields not
    printed), task by task, for rows found again in the table: a row that still shows what the copy
    recorded is the copy's task; a row edited in Word/WPS/Excel takes the visible text for every
    edited cell (listed in `result.changes`); a row added is a new task; a task whose row was deleted
    is not imported. Raises ValueError for a copy that is not a ledger."""
    copy_ledger, copy_histories = ledger_from_dict(data)
    hashed = data.get("visible_format") == VISIBLE_FORMAT
    raw = [t for s in data["sections"] for t in (s.get("tasks") or [])]
    copied: list[_Copied] = []
    for section, hist in zip(copy_ledger.sections, copy_histories, strict=True):
        for task, entries in zip(section.tasks, hist, strict=True):
            hashes = raw[len(copied)].get("visible") if hashed else None
            ok = isinstance(hashes, list) and all(isinstance(h, str) for h in hashes)
            copied.append(_Copied(task, entries, list(hashes) if ok else None))  # type: ignore[arg-type]

    visible = result.ledger
    rows = result.visible_rows or [[None] * len(s.tasks) for s in visible.sections]
    seen: list[_Seen] = []
    for section, section_rows in zip(visible.sections, rows, strict=True):
        for task, found in zip(section.tasks, section_rows, strict=True):
            if found is None:
                seen.append(_Seen(task, [], []))
            else:
                row, fields = found
                seen.append(_Seen(task, row_hashes([(c.text, c.key) for c in row]), list(fields)))

    # Rows unchanged since the export line up with their copy tasks in order; between them, the
    # edited rows are matched by content, number or most cells.
    never = object()
    vkeys = [tuple(s.hashes) for s in seen]
    ckeys = [tuple(c.hashes) if c.hashes is not None else (never, i) for i, c in enumerate(copied)]
    matcher = SequenceMatcher(None, vkeys, ckeys, autojunk=False)  # type: ignore[arg-type]
    pairs: dict[int, int] = {}
    a0 = b0 = 0
    for a, b, size in matcher.get_matching_blocks():
        _pair_gap(seen, copied, range(a0, a), range(b0, b), pairs)
        for k in range(size):
            pairs[a + k] = b + k
        a0, b0 = a + size, b + size

    status_field = f"extra:{STATUS_HEADER}"
    if any(c.field == status_field for c in copy_ledger.columns):
        status_field_or_none: str | None = None  # the ledger's own column named 状态: an ordinary field
    else:
        status_field_or_none = status_field
    headers: dict[str, str] = {}
    for c in visible.columns:
        headers.setdefault(c.field, c.header)
    titles = {visible_text(s.title or ""): s.title for s in copy_ledger.sections if s.title}

    ledger = Ledger(
        title=copy_ledger.title or visible.title,
        ident=copy_ledger.ident,
        year=copy_ledger.year if copy_ledger.year is not None else visible.year,
        owner_unit=copy_ledger.owner_unit or visible.owner_unit,
        issuer=copy_ledger.issuer or visible.issuer,
        report_dates=copy_ledger.report_dates or visible.report_dates,
        columns=copy_ledger.columns or visible.columns,
        source_name=visible.source_name,
    )
    changes: list[TaskChange] = []
    histories: list[list[list[ProgressEntry]]] = []
    fresh: set[tuple[int, int]] = set()  # tasks whose deadline/units come from the visible table
    vi = 0
    for si, vsection in enumerate(visible.sections):
        section = Section(title=titles.get(visible_text(vsection.title or ""), vsection.title), position=si)
        section_history: list[list[ProgressEntry]] = []
        for ti, vtask in enumerate(vsection.tasks):
            s = seen[vi]
            ci = pairs.get(vi)
            vi += 1
            if ci is None:
                task = vtask
                if status_field_or_none and STATUS_HEADER in task.extra:
                    status = _status_from(task.extra.pop(STATUS_HEADER))
                    if status is not None:
                        task.status = status
                        task.percent = 100 if status == TaskStatus.DONE else task.percent
                changes.append(TaskChange("added", task.number, _title(task)))
                fresh.add((si, ti))
                entries: list[ProgressEntry] = []
            else:
                c = copied[ci]
                task = copy.deepcopy(c.task)
                entries = copy.deepcopy(c.history)
                if c.hashes is None or c.hashes != s.hashes:
                    edited = _edited_fields(s, c, status_field_or_none)
                    _apply(task, vtask, edited, status_field_or_none)
                    if edited:
                        labels = [headers.get(f, f[6:] if f.startswith("extra:") else f) for f in edited]
                        changes.append(TaskChange("changed", task.number, _title(task), labels))
                    if {"deadline", "units", "cooperating_units"} & set(edited):
                        fresh.add((si, ti))
            task.position = ti
            task.id = None
            section.tasks.append(task)
            section_history.append(entries)
        ledger.sections.append(section)
        histories.append(section_history)
    used = set(pairs.values())
    changes.extend(
        TaskChange("removed", c.task.number, _title(c.task)) for i, c in enumerate(copied) if i not in used
    )

    result.ledger = ledger
    result.source_kind = "embedded"
    result.changes = changes
    result.histories = histories
    result.flagged = [f for f in result.flagged if (f[0], f[1]) in fresh]
    return result
