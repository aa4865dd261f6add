"""The units directory (名录) use cases: fill it from a ledger, complete it from a list pasted from Excel."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop_app.domain.derive import Derived, derive_unit_ledger
from desktop_app.domain.directory import Directory, guess_kind, parse_paste, unmatched_names
from desktop_app.domain.model import LedgerError, Unit
from desktop_app.services.ledger_service import LedgerService
from desktop_app.storage.database import Database
from desktop_app.storage.repository import UnitRepository


@dataclass
class DirectoryChange:
    added: list[Unit] = field(default_factory=list)
    updated: list[Unit] = field(default_factory=list)


class DirectoryService:
    def __init__(self, db: Database, ledgers: LedgerService) -> None:
        self.db = db
        self.ledgers = ledgers

    def units(self) -> list[Unit]:
        """The directory in its order."""
        with self.db.session() as s:
            return UnitRepository(s).all()

    def directory(self) -> Directory:
        return Directory(self.units())

    def derive_unit_ledger(self, city_ledger_id: int, unit: str, kind: str) -> Derived:
        """生成本单位台账: a new ledger holding the city ledger's tasks addressed to `unit` (by name, alias
        or as a unit of `kind`), linked task by task, with the internal columns; stored at once."""
        city = self.ledgers.get_ledger(city_ledger_id)
        derived = derive_unit_ledger(city, unit, kind, self.directory())
        derived.ledger = self.ledgers.add_ledger(derived.ledger, action="derive")
        return derived

    def fill_from_ledger(self, ledger_id: int) -> DirectoryChange:
        """Add every unit named in the ledger's tasks that the directory does not know yet (kind guessed
        from the name); generic addressees (各部门 ...) are not units and are not added."""
        ledger = self.ledgers.get_ledger(ledger_id)
        names = unmatched_names(ledger.all_tasks(), self.directory())
        change = DirectoryChange()
        with self.db.session() as s:
            repo = UnitRepository(s)
            for name in names:
                change.added.append(repo.add(name, (), guess_kind(name), ""))
        return change

    def add_pasted(self, text: str) -> DirectoryChange:
        """Rows pasted from Excel (name, kind, other names separated by 、, contact; tab-separated).
        One bad row refuses the whole paste (nothing changes) with one sentence naming the row."""
        parsed = parse_paste(text)
        if parsed.errors:
            more = f"（另有 {len(parsed.errors) - 1} 行有误）" if len(parsed.errors) > 1 else ""
            raise LedgerError(f"{parsed.errors[0].rstrip('。')}{more}；名录未作任何修改。")
        if not parsed.units:
            raise LedgerError(
                "粘贴的内容中没有单位。请从 Excel 复制“名称、类别、其他名称、联系人”几列后再粘贴。"
            )
        known = {u.name for u in self.units()}
        change = DirectoryChange()
        with self.db.session() as s:
            repo = UnitRepository(s)
            for u in parsed.units:
                saved = repo.add(u.name, u.aliases, u.kind, u.contact)
                (change.updated if u.name in known else change.added).append(saved)
        return change
