"""The holiday / adjusted-working-day table: seeded from chinesecalendar, editable."""

from __future__ import annotations

from datetime import date

from desktop_app.domain.model import HolidayDay
from desktop_app.domain.workdays import WorkdayCalendar, known_years, seed_days
from desktop_app.storage.database import Database
from desktop_app.storage.repository import HolidayRepository, SettingsRepository

SEEDED_KEY = "holidays_seeded_years"


class CalendarService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def ensure_seeded(self) -> int:
        """Add chinesecalendar's years not seeded before; user edits are never overwritten."""
        years = known_years()
        with self.db.session() as s:
            settings = SettingsRepository(s)
            done = {int(y) for y in (settings.get(SEEDED_KEY) or "").split(",") if y.strip().isdigit()}
            todo = sorted(years - done)
            if not todo:
                return 0
            repo = HolidayRepository(s)
            existing = {d.day for d in repo.all()}
            new = [d for d in seed_days(todo) if d.day not in existing]
            repo.put_many(new)
            settings.set(SEEDED_KEY, ",".join(str(y) for y in sorted(done | set(todo))))
            return len(new)

    def calendar(self, strict: bool = True) -> WorkdayCalendar:
        with self.db.session() as s:
            days = HolidayRepository(s).all()
        return WorkdayCalendar(days, known=known_years(), strict=strict)

    def days(self, year: int) -> list[HolidayDay]:
        with self.db.session() as s:
            return HolidayRepository(s).year(year)

    def set_day(self, day: HolidayDay) -> None:
        with self.db.session() as s:
            HolidayRepository(s).put(day)

    def remove_day(self, day: date) -> None:
        with self.db.session() as s:
            HolidayRepository(s).remove(day)

    def knows_year(self, year: int) -> bool:
        return self.calendar().knows_year(year)
