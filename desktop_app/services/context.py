"""AppContext: the open database and the services on it, handed to the UI and the CLI."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

from desktop_app.domain import clock
from desktop_app.domain.model import Task
from desktop_app.domain.status import StatusInfo, compute_status
from desktop_app.services.backup_service import BackupService
from desktop_app.services.calendar_service import CalendarService
from desktop_app.services.collect_service import CollectService
from desktop_app.services.directory_service import DirectoryService
from desktop_app.services.export_service import ExportService
from desktop_app.services.import_service import ImportService
from desktop_app.services.ledger_service import LedgerService
from desktop_app.services.people_service import PeopleService
from desktop_app.services.progress_service import ProgressService
from desktop_app.services.reminder_service import ReminderService
from desktop_app.services.score_service import ScoreService
from desktop_app.services.settings_service import SettingsService
from desktop_app.services.unit_service import UnitService
from desktop_app.storage.database import Database, is_server_url

log = logging.getLogger(__name__)


class AppContext:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.settings = SettingsService(db)
        self.calendar = CalendarService(db)
        self.ledgers = LedgerService(db, self.calendar)
        self.progress = ProgressService(db)
        self.imports = ImportService(db, self.ledgers)
        self.exports = ExportService(db, self.ledgers, self.progress, self.settings)
        self.backups = BackupService(db)
        self.units = UnitService(db)
        self.directory = DirectoryService(db, self.ledgers)
        self.collect = CollectService(db, self.ledgers, self.progress, self.directory, self.exports)
        self.score = ScoreService(db, self.collect)
        self.people = PeopleService(db)
        self.reminders = ReminderService(self.ledgers, self.progress, self.calendar, self.settings)

    @classmethod
    def open(
        cls,
        db_path: Path | str,
        *,
        lock: bool = True,
        daily_backup: bool = False,
        create: bool = True,
        read_only: bool = False,
        password: Callable[[str], str | None] | None = None,
    ) -> AppContext:
        """Open (creating and migrating as needed). Raises LedgerError with a Chinese message.

        db_path: an SQLite file, or a `postgresql://user@host/dbname` server database.
        daily_backup (the GUI sets it): a backup on the first open of each calendar day.
        create=False (read-only commands): refuse a missing database instead of making one.
        read_only=True: read beside another program that holds it for writing; every write raises
        ReadOnlyDatabase. password(prompt) -> str | None asks for a server password when needed.
        """
        target = db_path if is_server_url(db_path) else Path(db_path)
        db = Database(target, lock=lock, create=create, read_only=read_only, password=password)
        ctx = cls(db)
        ctx.identify_person()
        if read_only:
            return ctx
        if daily_backup and not db.server:
            try:
                ctx.backups.daily_backup()
            except Exception:  # noqa: BLE001 - a failed backup is logged, never blocks opening
                log.exception("daily backup failed")
        try:
            ctx.calendar.ensure_seeded()
        except Exception:  # noqa: BLE001 - a missing calendar must not stop the program opening
            log.exception("seeding the holiday table failed")
        return ctx

    def identify_person(self) -> str:
        """Who the audit trail and the roles name: on a server its login (one per person); on an
        SQLite file the 填报人 from the settings, else the OS account."""
        try:
            name = self.settings.get("contact_person")
        except Exception:  # noqa: BLE001 - a database too old to read settings keeps the OS account
            log.exception("reading the 填报人 failed")
            name = None
        return self.settings.follow_person(name)

    @property
    def db_path(self) -> Path | None:
        """The SQLite file; None on a server database (see db_label)."""
        return self.db.path

    @property
    def db_label(self) -> str:
        """What to show for the database: the file's path, or the server address without password."""
        return self.db.label

    @property
    def read_only(self) -> bool:
        return self.db.read_only

    @property
    def server(self) -> bool:
        return self.db.server

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> AppContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def status_of(
        self, task: Task, as_of: date | None = None, last_report_date: date | None = None
    ) -> StatusInfo:
        return compute_status(task, as_of or clock.today(), self.settings.rules(), last_report_date)
