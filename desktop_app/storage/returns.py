"""Queries on the returns collected from the units (table unit_return, revision 0004) and on the returns
newer ones replaced (unit_return_history, revision 0009)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from desktop_app.domain.model import TaskStatus
from desktop_app.domain.returns import ReturnVersion, UnitReturn
from desktop_app.storage.tables import TaskRow, UnitReturnHistoryRow, UnitReturnRow


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
        dated=r.dated,
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
                "dated": r.dated,
            }
            for r in rows
        ]
        if values:  # one executemany, not an ORM object per row
            self.s.execute(insert(UnitReturnRow), values)

    # ------------------------------------------------------------------ 历次报送
    def add_history(
        self,
        replaced: list[UnitReturn],
        replaced_at: datetime,
        replaced_by: str,
        changes: str,
    ) -> int:
        """Keep a unit's return that a newer one replaces; returns the history row's id."""
        first = replaced[0]
        snapshot = [
            {"task_id": r.task_id, "progress": r.progress, "status": r.status.value, "percent": r.percent}
            for r in replaced
        ]
        row = UnitReturnHistoryRow(
            ledger_id=first.ledger_id,
            round_id=first.round_id,
            unit=first.unit,
            file_name=first.file_name,
            received_at=first.received_at,
            replaced_at=replaced_at,
            replaced_by=replaced_by,
            changes=changes,
            snapshot=json.dumps(snapshot, ensure_ascii=False),
        )
        self.s.add(row)
        self.s.flush()
        return row.id

    def delete_history(self, history_id: int) -> None:
        self.s.execute(delete(UnitReturnHistoryRow).where(UnitReturnHistoryRow.id == history_id))

    def history(self, ledger_id: int, round_id: int | None, unit: str) -> list[ReturnVersion]:
        """The unit's replaced returns of the round, oldest first."""
        q = (
            select(UnitReturnHistoryRow)
            .where(
                UnitReturnHistoryRow.ledger_id == ledger_id,
                UnitReturnHistoryRow.round_id.is_(None)
                if round_id is None
                else UnitReturnHistoryRow.round_id == round_id,
                UnitReturnHistoryRow.unit == unit,
            )
            .order_by(UnitReturnHistoryRow.replaced_at, UnitReturnHistoryRow.id)
        )
        out = []
        for h in self.s.scalars(q).all():
            rows = []
            for d in json.loads(h.snapshot or "[]"):
                try:
                    status = TaskStatus(d.get("status"))
                except ValueError:
                    status = TaskStatus.NOT_STARTED
                rows.append(
                    UnitReturn(
                        ledger_id=h.ledger_id,
                        round_id=h.round_id,
                        unit=h.unit,
                        task_id=int(d["task_id"]),
                        progress=d.get("progress", ""),
                        status=status,
                        percent=int(d.get("percent") or 0),
                        file_name=h.file_name,
                        received_at=h.received_at,
                    )
                )
            out.append(
                ReturnVersion(
                    h.unit, h.file_name, h.received_at, rows, h.replaced_at, h.replaced_by, h.changes, h.id
                )
            )
        return out

    def history_counts(self, ledger_id: int, round_id: int | None) -> dict[str, tuple[int, datetime | None]]:
        """Unit -> (how many of its returns of the round were replaced, when the first of them came in)."""
        q = (
            select(
                UnitReturnHistoryRow.unit,
                func.count(UnitReturnHistoryRow.id),
                func.min(UnitReturnHistoryRow.received_at),
            )
            .where(
                UnitReturnHistoryRow.ledger_id == ledger_id,
                UnitReturnHistoryRow.round_id.is_(None)
                if round_id is None
                else UnitReturnHistoryRow.round_id == round_id,
            )
            .group_by(UnitReturnHistoryRow.unit)
        )
        return {unit: (n, first) for unit, n, first in self.s.execute(q).all()}
