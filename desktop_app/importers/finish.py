"""The last step of every reader: deadlines and units read, progress marked, odd cells flagged."""

from __future__ import annotations

from desktop_app.domain.deadlines import parse_deadline
from desktop_app.domain.model import Ledger, TaskStatus, UnitRole
from desktop_app.domain.units import parse_units
from desktop_app.importers.result import ImportResult


def finish_tasks(ledger: Ledger, result: ImportResult) -> None:
    for si, section in enumerate(ledger.sections):
        section.position = si
        for ti, task in enumerate(section.tasks):
            task.position = ti
            text = task.deadline.text
            task.deadline = parse_deadline(text, ledger.year)
            if task.deadline.flagged:
                result.flagged.append((si, ti, f"无法识别完成时限“{text}”"))
            task.units = parse_units(task.units_text) if task.units_text else []
            if task.cooperating_text:
                task.units += parse_units(task.cooperating_text, UnitRole.COOPERATING)
            if (task.units_text or task.cooperating_text) and not task.units:
                result.flagged.append(
                    (si, ti, f"无法识别责任单位“{task.units_text or task.cooperating_text}”")
                )
            if task.progress:
                task.status = TaskStatus.IN_PROGRESS
