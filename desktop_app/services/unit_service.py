"""The unit directory: canonical unit names and their aliases (市自然资源局 = 自然资源局 ...)."""

from __future__ import annotations

from desktop_app.domain.model import LedgerError, Unit
from desktop_app.storage.database import Database
from desktop_app.storage.repository import UnitRepository


class UnitService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self) -> list[Unit]:
        with self.db.session() as s:
            return UnitRepository(s).all()

    def add(
        self, name: str, aliases: list[str] | None = None, kind: str | None = None, contact: str | None = None
    ) -> Unit:
        name = (name or "").strip()
        if not name:
            raise LedgerError("单位名称不能为空。请输入名称。")
        with self.db.session() as s:
            return UnitRepository(s).add(name, [a.strip() for a in aliases or [] if a.strip()], kind, contact)

    def canonical_name(self, name: str) -> str:
        with self.db.session() as s:
            return UnitRepository(s).canonical().get(name, name)

    def names_for(self, unit: str) -> set[str]:
        """The unit's name and every alias: what "only my unit" matches against."""
        unit = (unit or "").strip()
        if not unit:
            return set()
        for u in self.all():
            if unit == u.name or unit in u.aliases:
                return {u.name, *u.aliases}
        return {unit}
