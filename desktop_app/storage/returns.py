"""Queries on the returns collected from the units (table unit_return, revision 0004)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from desktop_app.domain.model import TaskStatus
from desktop_app.domain.returns import UnitReturn
from desktop_app.storage.tables import TaskRow, UnitReturnRow


def _round_is(round_id: int | None):  # noqa: ANN202
    return UnitReturnRow.round_id.is_(None) if round_id is None else UnitReturnRow.round_id == round_id


def _from_row(r: UnitReturnRow) -> UnitReturn:
    try:
        status = TaskStatus(r.status)
    except ValueError:
        status = TaskStatus.NOT_STARTED
    return UnitReturn(
        ledger_id=r.ledger_id,
        round_id=r.round_id,
        unit=r.unit,
        task_id=r.task_id,
        progress=r.progress,
        status=status,
        percent=r.percent,
        file_name=r.file_name,
        received_at=r.received_at,
        id=r.id,
    )


class ReturnRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def for_round(self, ledger_id: int, round_id: int | None, unit: str | None = None) -> list[UnitReturn]:
        """The returns of the ledger's round (of one unit when given), on live tasks, in task order."""
        q = (
            select(UnitReturnRow)
            .join(TaskRow, TaskRow.id == UnitReturnRow.task_id)
            .where(UnitReturnRow.ledger_id == ledger_id, _round_is(round_id), TaskRow.deleted_at.is_(None))
            .order_by(TaskRow.section_id, TaskRow.position, UnitReturnRow.id)
        )
        if unit is not None:
            q = q.where(UnitReturnRow.unit == unit)
        return [_from_row(r) for r in self.s.scalars(q).all()]

    def replace_unit(
        self, ledger_id: int, round_id: int | None, unit: str, rows: Iterable[UnitReturn]
    ) -> None:
        """The unit's return for the round becomes `rows` (the older one is removed)."""
        self.s.execute(
            delete(UnitReturnRow).where(
                UnitReturnRow.ledger_id == ledger_id, _round_is(round_id), UnitReturnRow.unit == unit
            )
        )
        values = [
            {
                "ledger_id": ledger_id,
                "round_id": round_id,
                "unit": unit,
                "task_id": r.task_id,
                "progress": r.progress,
                "status": r.status.value,
                "percent": r.percent,
                "file_name": r.file_name,
                "received_at": r.received_at,
            }
            for r in rows
        ]
        if values:  # one executemany, not an ORM object per row
            self.s.execute(insert(UnitReturnRow), values)
