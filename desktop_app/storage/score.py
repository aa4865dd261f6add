"""Queries on the score sheet (tables score_rule, score_deduction; revision 0006)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from desktop_app.domain.score import Deduction, ScoreRule
from desktop_app.storage.tables import LedgerRow, ReportRoundRow, ScoreDeductionRow, ScoreRuleRow


class ScoreRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def rule(self, year: int) -> ScoreRule | None:
        row = self.s.get(ScoreRuleRow, year)
        return None if row is None else ScoreRule(row.late_return, row.missing_return, row.overdue_task)

    def set_rule(self, year: int, rule: ScoreRule) -> None:
        row = self.s.get(ScoreRuleRow, year)
        if row is None:
            self.s.add(
                ScoreRuleRow(
                    year=year,
                    late_return=rule.late_return,
                    missing_return=rule.missing_return,
                    overdue_task=rule.overdue_task,
                )
            )
        else:
            row.late_return, row.missing_return, row.overdue_task = (
                rule.late_return,
                rule.missing_return,
                rule.overdue_task,
            )
        self.s.flush()

    def replace_round(
        self, ledger_id: int, round_id: int | None, year: int, rows: Iterable[Deduction], at: datetime
    ) -> None:
        """The round's deductions become `rows` (the previous assessment of the round is replaced)."""
        same_round = (
            ScoreDeductionRow.round_id.is_(None)
            if round_id is None
            else ScoreDeductionRow.round_id == round_id
        )
        self.s.execute(delete(ScoreDeductionRow).where(ScoreDeductionRow.ledger_id == ledger_id, same_round))
        values = [
            {
                "ledger_id": ledger_id,
                "round_id": round_id,
                "year": year,
                "unit": d.unit,
                "kind": d.kind,
                "reason": d.reason,
                "points": d.points,
                "task_id": d.task_id,
                "created_at": at,
            }
            for d in rows
        ]
        if values:
            self.s.execute(insert(ScoreDeductionRow), values)

    def for_year(self, year: int) -> list[Deduction]:
        """Every deduction of the year, by ledger, round date, then as assessed."""
        q = (
            select(ScoreDeductionRow, LedgerRow.title, ReportRoundRow.due_date)
            .join(LedgerRow, LedgerRow.id == ScoreDeductionRow.ledger_id)
            .outerjoin(ReportRoundRow, ReportRoundRow.id == ScoreDeductionRow.round_id)
            .where(ScoreDeductionRow.year == year)
            .order_by(ScoreDeductionRow.ledger_id, ReportRoundRow.due_date, ScoreDeductionRow.id)
        )
        return [
            Deduction(
                r.unit, r.kind, r.reason, r.points, r.ledger_id, r.round_id, r.task_id, "", title or "", r.id
            )
            for r, title, _due in self.s.execute(q).all()
        ]
