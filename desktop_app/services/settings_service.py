"""User settings kept in the database (they travel with the ledger file)."""

from __future__ import annotations

from desktop_app.domain.status import StatusRules
from desktop_app.storage.database import Database, os_user
from desktop_app.storage.repository import SettingsRepository

DEFAULTS: dict[str, str] = {
    "my_unit": "",
    "contact_person": "",
    "phone": "",
    "reviewer": "",
    "head_of_unit": "",
    "very_soon_days": "7",
    "soon_days": "30",
    "font_scale": "100",
}


class SettingsService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, key: str, default: str | None = None) -> str | None:
        with self.db.session() as s:
            value = SettingsRepository(s).get(key)
        if value is None:
            return default if default is not None else DEFAULTS.get(key)
        return value

    def set(self, key: str, value: str | None) -> None:
        self.update({key: value})

    def update(self, values: dict[str, str | None]) -> None:
        with self.db.session() as s:
            repo = SettingsRepository(s)
            for k, v in values.items():
                repo.set(k, v)
        if "contact_person" in values:
            self._follow_person(values["contact_person"])

    def _follow_person(self, name: str | None) -> None:
        """On an SQLite file the audit trail names the 填报人 of the settings (else the OS account): a
        name entered or changed now counts from the next change, not only after a restart. A server
        database names its login, whatever the settings say."""
        url = getattr(self.db, "url", None)
        if getattr(self.db, "server", False) and url is not None and url.username:
            return
        self.db.person = (name or "").strip() or os_user()

    def all(self) -> dict[str, str | None]:
        with self.db.session() as s:
            stored = SettingsRepository(s).all()
        return {**DEFAULTS, **stored}

    def int_value(self, key: str, default: int) -> int:
        try:
            return int(self.get(key) or default)
        except ValueError:
            return default

    def rules(self) -> StatusRules:
        return StatusRules(
            very_soon_days=self.int_value("very_soon_days", 7), soon_days=self.int_value("soon_days", 30)
        )
