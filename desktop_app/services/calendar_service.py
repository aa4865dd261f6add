"""The holiday / adjusted-working-day table: seeded from chinesecalendar, editable."""

from __future__ import annotations

from datetime import date

from desktop_app.domain.holiday_notice import NoticeDays, parse_holiday_notice
from desktop_app.domain.model import HolidayDay
from desktop_app.domain.workdays import WorkdayCalendar, known_years, seed_days
from desktop_app.storage.database import Database
from desktop_app.storage.repository import HolidayRepository, SettingsRepository

SEEDED_KEY = "holidays_seeded_years"
# Years whose days the user entered (the State Council's notice pasted, or the editor): known even
# where chinesecalendar, as installed, has no data for them.
USER_YEARS_KEY = "holidays_user_years"


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
            user = _years(SettingsRepository(s).get(USER_YEARS_KEY))
        return WorkdayCalendar(days, known=known_years() | user, strict=strict)

    def import_notice(self, text: str, year: int) -> NoticeDays:
        """The year's 放假/调休 days from the State Council's notice, pasted as text: they replace what
        the table held for that year (one transaction), and the year counts as known from then on."""
        parsed = parse_holiday_notice(text, year)
        with self.db.session() as s:
            repo = HolidayRepository(s)
            years = {d.day.year for d in parsed.days} | {year}
            for y in years:
                for old in repo.year(y):
                    if y == year or old.day in {d.day for d in parsed.days}:
                        repo.remove(old.day)
            repo.put_many(parsed.days)
            settings = SettingsRepository(s)
            user = _years(settings.get(USER_YEARS_KEY)) | {year}
            settings.set(USER_YEARS_KEY, ",".join(str(y) for y in sorted(user)))
        return parsed

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


def _years(text: str | None) -> set[int]:
    return {int(y) for y in (text or "").split(",") if y.strip().isdigit()}
