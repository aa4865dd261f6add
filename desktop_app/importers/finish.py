"""The last step of every reader: deadlines and units read, progress marked, odd cells flagged."""

from __future__ import annotations

from desktop_app.domain.deadlines import parse_deadline
from desktop_app.domain.model import ColumnSpec, Deadline, Ledger, TaskStatus, UnitAssignment, UnitRole
from desktop_app.domain.units import parse_units
from desktop_app.importers.people import PEOPLE_COLUMN, split_people
from desktop_app.importers.result import ImportResult


def finish_tasks(ledger: Ledger, result: ImportResult) -> None:
    # Ledgers repeat the same units and deadline cells on many rows: read each text once.
    units_seen: dict[tuple[str, UnitRole], list[UnitAssignment]] = {}
    deadlines_seen: dict[str, Deadline] = {}

    def units(text: str, role: UnitRole) -> list[UnitAssignment]:
        if not text:
            return []
        if (text, role) not in units_seen:
            units_seen[(text, role)] = parse_units(text, role)
        return list(units_seen[(text, role)])

    for si, section in enumerate(ledger.sections):
        section.position = si
        for ti, task in enumerate(section.tasks):
            task.position = ti
            text = task.deadline.text
            if text not in deadlines_seen:
                deadlines_seen[text] = parse_deadline(text, ledger.year)
            task.deadline = deadlines_seen[text]  # frozen: safe to share
            if task.deadline.flagged:
                result.flagged.append((si, ti, f"无法识别完成时限“{text}”"))
            # a person is not a unit ("（张某某）", "王副县长"): kept apart (table cells were done per column)
            for attr in ("units_text", "cooperating_text"):
                text, people = split_people(getattr(task, attr))
                if people:
                    setattr(task, attr, text)
                    written = task.extra.get(PEOPLE_COLUMN, "")
                    task.extra[PEOPLE_COLUMN] = "；".join(dict.fromkeys(([written] if written else []) + people))
                    if not any(c.field == f"extra:{PEOPLE_COLUMN}" for c in ledger.columns):
                        ledger.columns.append(ColumnSpec(f"extra:{PEOPLE_COLUMN}", PEOPLE_COLUMN))
            task.units = units(task.units_text, UnitRole.RESPONSIBLE) + units(
                task.cooperating_text, UnitRole.COOPERATING
            )
            if (task.units_text or task.cooperating_text) and not task.units:
                result.flagged.append(
                    (si, ti, f"无法识别责任单位“{task.units_text or task.cooperating_text}”")
                )
            if task.progress:
                task.status = TaskStatus.IN_PROGRESS
