"""Reminders while the program is closed (off by default): the tasks of every ledger due within N
working days, the overdue ones, and the next report-round date — what the tray icon shows once a day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from desktop_app.domain import clock
from desktop_app.domain.model import LedgerError, TaskStatus
from desktop_app.domain.status import effective_status
from desktop_app.services.calendar_service import CalendarService
from desktop_app.services.ledger_service import LedgerService
from desktop_app.services.progress_service import ProgressService
from desktop_app.services.settings_service import SettingsService

ENABLED_KEY = "reminders_enabled"  # "1" when the user switched reminders on
DAYS_KEY = "reminder_days"  # N working days ahead (default 5)
DEFAULT_DAYS = 5


@dataclass
class DueItem:
    ledger_id: int
    ledger_title: str
    task_id: int
    number: str
    content: str
    due: date
    workdays_left: int  # < 0: overdue


@dataclass
class Digest:
    as_of: date
    days: int
    due: list[DueItem] = field(default_factory=list)  # due within `days` working days, soonest first
    overdue: list[DueItem] = field(default_factory=list)
    next_round: tuple[date, str] | None = None  # (date, ledger title)

    def summary(self) -> str:
        """One line for the tray's tooltip and the day's notification."""
        parts = []
        if self.overdue:
            parts.append(f"{len(self.overdue)} 项已逾期")
        parts.append(f"{len(self.due)} 项在 {self.days} 个工作日内到期" if self.due else f"{self.days} 个工作日内无到期任务")
        if self.next_round:
            day, title = self.next_round
            parts.append(f"下次报送：{day.month}月{day.day}日（{title}）")
        return "；".join(parts)


class ReminderService:
    def __init__(
        self,
        ledgers: LedgerService,
        progress: ProgressService,
        calendar: CalendarService,
        settings: SettingsService,
    ) -> None:
        self.ledgers = ledgers
        self.progress = progress
        self.calendar = calendar
        self.settings = settings

    def enabled(self) -> bool:
        return (self.settings.get(ENABLED_KEY) or "") == "1"

    def days(self) -> int:
        try:
            return max(1, min(60, int(self.settings.get(DAYS_KEY) or DEFAULT_DAYS)))
        except ValueError:
            return DEFAULT_DAYS

    def set_enabled(self, on: bool, days: int | None = None) -> None:
        self.settings.set(ENABLED_KEY, "1" if on else "0")
        if days is not None:
            self.settings.set(DAYS_KEY, str(max(1, min(60, int(days)))))

    def digest(self, as_of: date | None = None, days: int | None = None) -> Digest:
        """Across every ledger: tasks not done whose due date is at most `days` working days away (and
        those past it), and the next report-round date not yet sent."""
        as_of = as_of or clock.today()
        days = days or self.days()
        cal = self.calendar.calendar()
        try:
            horizon = cal.add_workdays(as_of, days)
        except LedgerError:  # a year without holiday data: count calendar days
            from datetime import timedelta

            horizon = as_of + timedelta(days=days + days // 5 * 2)
        out = Digest(as_of=as_of, days=days)
        rounds: list[tuple[date, str]] = []
        for summary in self.ledgers.list_ledgers():
            ledger = self.ledgers.get_ledger(summary.id)
            for task in ledger.all_tasks():
                due = task.deadline.due_date
                if due is None or effective_status(task) == TaskStatus.DONE or due > horizon:
                    continue
                left = _workdays(cal, as_of, due)
                item = DueItem(ledger.id, ledger.title, task.id, task.number, task.content, due, left)  # type: ignore[arg-type]
                (out.overdue if due < as_of else out.due).append(item)
            for r in self.progress.rounds(summary.id):
                if r.due_date and r.due_date >= as_of and r.submitted_at is None:
                    rounds.append((r.due_date, ledger.title))
        out.due.sort(key=lambda i: (i.due, i.ledger_id, i.task_id))
        out.overdue.sort(key=lambda i: (i.due, i.ledger_id, i.task_id))
        out.next_round = min(rounds) if rounds else None
        return out


def _workdays(cal, start: date, end: date) -> int:  # noqa: ANN001
    """Working days from start to end (negative when end is before start)."""
    try:
        return cal.workdays_between(start, end)
    except LedgerError:
        return (end - start).days
