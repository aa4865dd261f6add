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
            self.follow_person(values["contact_person"])

    def follow_person(self, name: str | None) -> str:
        """Who the audit trail and the roles name from now on: on a server its login (one per person),
        whatever the settings say; on an SQLite file the 填报人 `name`, else the OS account. Called at
        open and whenever the 填报人 is entered or changed (it counts from the next change)."""
        url = getattr(self.db, "url", None)
        if getattr(self.db, "server", False) and url is not None and url.username:
            self.db.person = url.username
        else:
            self.db.person = (name or "").strip() or os_user()
        return self.db.person

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
