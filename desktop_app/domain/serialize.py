"""The ledger as a JSON-ready dict (the `inspect`/`export --format json` form) and back."""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Any

from desktop_app.domain.ledger_schema import FORMAT_NAME, FORMAT_VERSION, validate_ledger_dict
from desktop_app.domain.model import (
    ColumnSpec,
    Deadline,
    DeadlineKind,
    Ledger,
    ProgressEntry,
    Section,
    Task,
    TaskStatus,
    UnitAssignment,
    UnitRole,
)


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _pd(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _pdt(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def deadline_to_dict(d: Deadline) -> dict[str, Any]:
    return {
        "kind": d.kind.value,
        "relative_days": d.relative_days,
        "working_days": d.working_days,
        "anchor_text": d.anchor_text,
        "anchor_date": _d(d.anchor_date),
        "recurrence": d.recurrence,
    }


def task_to_dict(t: Task, history: list[ProgressEntry] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "number": t.number,
        "key_work": t.key_work,
        "item": t.item,
        "content": t.content,
        "indicator": t.indicator,
        "units": [{"name": u.name, "role": u.role.value} for u in t.units],
        "deadline_text": t.deadline.text,
        "due_date": _d(t.deadline.due_date),
        "ongoing": t.deadline.ongoing,
        "progress": t.progress or None,
        # fields beyond the fixed ones, for a lossless round trip
        "units_text": t.units_text,
        "cooperating_text": t.cooperating_text,
        "deadline": deadline_to_dict(t.deadline),
        "deadline_flagged": t.deadline.flagged,
        "status": t.status.value,
        "percent": t.percent,
        "remarks": t.remarks,
        "extra": dict(t.extra),
        "progress_updated_at": _dt(t.progress_updated_at),
    }
    if history is not None:
        out["history"] = [
            {
                "date": _d(h.entry_date),
                "text": h.text,
                "status": h.status.value,
                "percent": h.percent,
                "author": h.author,
            }
            for h in history
        ]
    return out


def ledger_to_dict(
    ledger: Ledger,
    history: dict[int, list[ProgressEntry]] | None = None,
    include_source: bool = False,
) -> dict[str, Any]:
    """JSON form. `history` maps task id -> entries; `include_source` embeds the source file."""
    out: dict[str, Any] = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "ident": ledger.ident or None,
        "title": ledger.title,
        "year": ledger.year,
        "owner_unit": ledger.owner_unit,
        "issuer": ledger.issuer,
        "anchor_date": _d(ledger.anchor_date),
        "report_dates": [_d(x) for x in ledger.report_dates],
        "source_name": ledger.source_name,
        "columns": [{"field": c.field, "header": c.header} for c in ledger.columns],
        "sections": [
            {
                "title": s.title,
                "tasks": [
                    task_to_dict(t, (history or {}).get(t.id or -1) if history is not None else None)
                    for t in s.tasks
                ],
            }
            for s in ledger.sections
        ],
    }
    if include_source and ledger.source_file:
        out["source_file_base64"] = base64.b64encode(ledger.source_file).decode("ascii")
    return out


def _deadline_from(data: dict[str, Any]) -> Deadline:
    raw = data.get("deadline") or {}
    text = data.get("deadline_text") or ""
    if not raw:
        # Only the fixed fields: re-derive the kind from what is there.
        due = _pd(data.get("due_date"))
        if data.get("ongoing"):
            kind = DeadlineKind.YEAR_ROUND if due else DeadlineKind.ONGOING
        elif due:
            kind = DeadlineKind.DATE
        elif text:
            kind = DeadlineKind.UNKNOWN
        else:
            kind = DeadlineKind.NONE
        return Deadline(text=text, kind=kind, due_date=due)
    return Deadline(
        text=text,
        kind=DeadlineKind(raw.get("kind", "none")),
        due_date=_pd(data.get("due_date")),
        relative_days=raw.get("relative_days"),
        working_days=bool(raw.get("working_days")),
        anchor_text=raw.get("anchor_text"),
        anchor_date=_pd(raw.get("anchor_date")),
        recurrence=raw.get("recurrence"),
    )


def task_from_dict(data: dict[str, Any], position: int = 0) -> Task:
    return Task(
        number=str(data.get("number") or ""),
        key_work=data.get("key_work") or "",
        item=data.get("item"),
        content=data.get("content") or "",
        indicator=data.get("indicator") or "",
        units_text=data.get("units_text") or "",
        cooperating_text=data.get("cooperating_text") or "",
        units=[UnitAssignment(u["name"], UnitRole(u.get("role", "responsible"))) for u in data.get("units") or []],
        deadline=_deadline_from(data),
        status=TaskStatus(data.get("status") or "not_started"),
        percent=int(data.get("percent") or 0),
        progress=data.get("progress") or "",
        remarks=data.get("remarks") or "",
        extra={str(k): str(v) for k, v in (data.get("extra") or {}).items()},
        position=position,
        progress_updated_at=_pdt(data.get("progress_updated_at")),
    )


def history_from_dict(data: dict[str, Any]) -> list[ProgressEntry]:
    return [
        ProgressEntry(
            entry_date=_pd(h.get("date")),
            text=h.get("text") or "",
            status=TaskStatus(h.get("status") or "in_progress"),
            percent=int(h.get("percent") or 0),
            author=h.get("author") or "",
        )
        for h in data.get("history") or []
    ]


def ledger_from_dict(data: dict[str, Any]) -> tuple[Ledger, list[list[list[ProgressEntry]]]]:
    """Ledger plus history per section per task (same shape as sections/tasks).

    Raises LedgerSchemaError (a LedgerError and ValueError; one sentence naming the field) unless
    `data` follows domain.ledger_schema: nothing is built from a document that breaks it."""
    validate_ledger_dict(data)
    ledger = Ledger(
        title=data.get("title") or "",
        ident=data.get("ident") or "",
        year=data.get("year"),
        owner_unit=data.get("owner_unit") or "",
        issuer=data.get("issuer") or "",
        anchor_date=_pd(data.get("anchor_date")),
        report_dates=[d for d in (_pd(x) for x in data.get("report_dates") or []) if d],
        source_name=data.get("source_name"),
        columns=[ColumnSpec(c["field"], c["header"]) for c in data.get("columns") or []],
    )
    if data.get("source_file_base64"):
        ledger.source_file = base64.b64decode(data["source_file_base64"])
    histories: list[list[list[ProgressEntry]]] = []
    for si, s in enumerate(data["sections"]):
        section = Section(title=s.get("title"), position=si)
        hs: list[list[ProgressEntry]] = []
        for ti, t in enumerate(s.get("tasks") or []):
            section.tasks.append(task_from_dict(t, ti))
            hs.append(history_from_dict(t))
        ledger.sections.append(section)
        histories.append(hs)
    return ledger, histories
