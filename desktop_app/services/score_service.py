"""The city office's score sheet: the rule per year, each round's deductions per unit (with reason) from the
collected returns, the yearly total per unit, exported to Excel."""

from __future__ import annotations

from pathlib import Path

from desktop_app.domain import clock
from desktop_app.domain.directory import addressed_units
from desktop_app.domain.model import LedgerError
from desktop_app.domain.score import Deduction, ScoreRule, UnitRound, round_deductions, yearly_totals
from desktop_app.services.collect_service import CollectService
from desktop_app.storage.database import Database
from desktop_app.storage.repository import now
from desktop_app.storage.score import ScoreRepository


class ScoreService:
    def __init__(self, db: Database, collect: CollectService) -> None:
        self.db = db
        self.collect = collect

    def rule(self, year: int) -> ScoreRule:
        """The year's rule (the default one until the office sets its own)."""
        with self.db.session() as s:
            return ScoreRepository(s).rule(year) or ScoreRule()

    def set_rule(self, year: int, rule: ScoreRule) -> ScoreRule:
        try:
            rule.check()
        except ValueError as exc:
            raise LedgerError(f"{exc} 请改为 0 到 100 之间的分值。") from None
        with self.db.session() as s:
            ScoreRepository(s).set_rule(year, rule)
        return rule

    def assess(self, ledger_id: int, round_id: int | None = None) -> list[Deduction]:
        """The round's deductions per unit from its returns (late, missing, overdue tasks), stored in place
        of the round's previous assessment; the rule of the ledger's year applies."""
        ledger = self.collect.ledgers.get_ledger(ledger_id)
        rnd, states = self.collect.states(ledger_id, round_id)
        rid = rnd.id if rnd else None
        year = ledger.year or (rnd.due_date.year if rnd and rnd.due_date else clock.today().year)
        directory = self.collect.directory.directory()
        addressed: dict[str, list] = {}
        for task in ledger.all_tasks():
            for u in addressed_units(task, directory):
                addressed.setdefault(u.name, []).append(task)
        reported: dict[str, dict] = {}
        for r in self.collect.returns(ledger_id, rid):
            reported.setdefault(r.unit, {})[r.task_id] = (r.status, r.percent, r.progress)
        units = [
            UnitRound(
                s.unit,
                s.state,
                s.received.date() if s.received else None,
                addressed.get(s.unit, []),
                reported.get(s.unit, {}),
            )
            for s in states
        ]
        label = self.collect.round_label(ledger_id, rnd) or "本次报送"
        found = round_deductions(units, self.rule(year), label, rnd.due_date if rnd else None)
        with self.db.session() as s:
            ScoreRepository(s).replace_round(ledger_id, rid, year, found, now())
        for d in found:
            d.ledger_id, d.round_id, d.round_label, d.ledger_title = ledger_id, rid, label, ledger.title
        return found

    def deductions(self, year: int) -> list[Deduction]:
        with self.db.session() as s:
            return ScoreRepository(s).for_year(year)

    def totals(self, year: int) -> list[tuple[str, float, int]]:
        """(unit, points deducted in the year, number of deductions), in directory order."""
        order = [u.name for u in self.collect.directory.units()]
        return yearly_totals(self.deductions(year), order)

    def export_xlsx(self, year: int, path: Path) -> Path:
        """The year's score sheet as an Excel workbook (年度汇总, 扣分明细, the rule)."""
        from desktop_app.exporters.files import clean_leftovers
        from desktop_app.exporters.score_sheet import write_score_sheet

        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            raise LedgerError(
                f"考核扣分表只能保存为 Excel 表格（.xlsx），请把《{path.name}》改为以 .xlsx 结尾。"
            )
        clean_leftovers(path.parent)
        kinds = {u.name: u.kind for u in self.collect.directory.units()}
        write_score_sheet(path, year, self.rule(year), self.deductions(year), self.totals(year), kinds)
        return path
