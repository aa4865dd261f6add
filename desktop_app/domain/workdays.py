"""Working-day calendar: statutory holidays and 调休 days from an editable table, seeded by chinesecalendar."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from desktop_app.domain.model import HolidayDay, LedgerError

# chinesecalendar names its holidays in English; the ledger's users read Chinese.
_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

# add_workdays walks day by day; this bounds it so a silly count cannot hang the program.
_MAX_STEP_DAYS = 366 * 50


class UnknownYearError(LedgerError):
    """The calendar has no holiday data for a year, so working days there cannot be counted."""

    def __init__(self, year: int) -> None:
        super().__init__(
            f"程序不知道{year}年的法定节假日安排，请在“文件 → 节假日与调休”中粘贴该年的国务院放假通知（或逐日补充）后再计算工作日。"
        )
        self.year = year


def _chinese_name(name: object) -> str:
    text = getattr(name, "value", name)
    text = str(text) if text is not None else ""
    return _HOLIDAY_NAMES.get(text, text)


def known_years() -> set[int]:
    """The years chinesecalendar (as installed) has holiday data for."""
    try:
        from chinese_calendar.constants import holidays
    except Exception:  # a broken or missing package must not stop the program: the table still works
        return set()
    return {d.year for d in holidays}


def seed_days(years: Iterable[int]) -> list[HolidayDay]:
    """Holidays (is_workday False) and 调休 working days (is_workday True) chinesecalendar knows.

    Years it does not know are skipped; the user adds them by hand in the settings.
    """
    wanted = set(years) & known_years()
    if not wanted:
        return []
    from chinese_calendar.constants import holidays, workdays

    days: list[HolidayDay] = []
    for day, name in holidays.items():
        if day.year in wanted:
            days.append(HolidayDay(day=day, is_workday=False, name=_chinese_name(name)))
    for day, name in workdays.items():
        # chinesecalendar's workdays table holds only weekend days swapped into working days.
        if day.year in wanted:
            days.append(HolidayDay(day=day, is_workday=True, name=_chinese_name(name)))
    days.sort(key=lambda h: h.day)
    return days


class WorkdayCalendar:
    """Decides whether a day is a working day, from the holiday table and Mon–Fri otherwise."""

    def __init__(
        self, days: Iterable[HolidayDay], known: set[int] | None = None, strict: bool = True
    ) -> None:
        self._days: dict[date, bool] = {}
        for h in days:
            self._days[h.day] = h.is_workday
        self._years = {d.year for d in self._days} | set(known or ())
        self.strict = strict

    @classmethod
    def default(cls, strict: bool = True) -> WorkdayCalendar:
        """A calendar from chinesecalendar alone (for when no database table is at hand)."""
        years = known_years()
        return cls(seed_days(years), known=years, strict=strict)

    def knows_year(self, year: int) -> bool:
        return year in self._years

    @property
    def years(self) -> set[int]:
        return set(self._years)

    def is_workday(self, day: date) -> bool:
        """True on a working day. Raises UnknownYearError for a year without data (unless strict=False)."""
        if day in self._days:
            return self._days[day]
        if self.strict and day.year not in self._years:
            raise UnknownYearError(day.year)
        return day.weekday() < 5

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after start; start itself never counts (n=0 gives start back).

        That is how 《政府信息公开条例》 counts "自收到申请之日起20个工作日内": the day of the event is
        not day one. A negative n counts backwards.
        """
        if n == 0:
            return start
        step = timedelta(days=1 if n > 0 else -1)
        left = abs(n)
        day = start
        for _ in range(_MAX_STEP_DAYS):
            day = day + step
            if self.is_workday(day):
                left -= 1
                if left == 0:
                    return day
        raise LedgerError(f"工作日数{n}过大，无法计算，请检查输入。")

    def workdays_between(self, a: date, b: date) -> int:
        """Working days after a up to and including b (negative when b is before a).

        So workdays_between(a, add_workdays(a, n)) == n.
        """
        if a == b:
            return 0
        sign = 1
        if b < a:
            a, b, sign = b, a, -1
        count = 0
        day = a
        while day < b:
            day = day + timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return sign * count
