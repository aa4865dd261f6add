"""The reminder tray icon (off by default; started at login when the user switches it on): tasks due
within N working days and the next report-round date, a notification once a day, and a click opens
the program at the task. No network, no service: it reads the database briefly once an hour."""

from __future__ import annotations

import json
import logging
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMenu, QStyle, QSystemTrayIcon

from desktop_app import autostart
from desktop_app.domain import clock
from desktop_app.domain.model import LedgerError

log = logging.getLogger(__name__)
REFRESH_MS = 60 * 60 * 1000  # once an hour
MAX_ITEMS = 10


def read_digest(db_path: Path):  # noqa: ANN201 - Digest | None
    """Open the database briefly, read the digest, close it; None when it cannot be read now (the
    program holds it, or it is missing): the tray tries again at the next refresh."""
    from desktop_app.services.context import AppContext

    try:
        ctx = AppContext.open(Path(db_path), create=False)
    except LedgerError as exc:
        log.info("reminder: database not readable now: %s", exc.message)
        return None
    try:
        if not ctx.reminders.enabled():
            return None
        return ctx.reminders.digest()
    finally:
        ctx.close()


class ReminderTray(QObject):
    """objectName reminderTray; `icon` (QSystemTrayIcon), `menu`; refresh() re-reads, notify_if_due()."""

    def __init__(
        self,
        db_path: Path,
        state_file: Path,
        read: Callable[[Path], object] = read_digest,
        launch: Callable[[list[str]], object] | None = None,
        parent: QObject | None = None,
        on_quit: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reminderTray")
        self.db_path = Path(db_path)
        self.state_file = Path(state_file)
        self._read = read
        self._launch = launch or (lambda args: subprocess.Popen(args))  # noqa: S603 - our own program
        self._quit = on_quit or QApplication.quit
        self.digest = None
        self.launched: list[list[str]] = []
        icon = QGuiApplication.windowIcon()
        if icon.isNull():
            icon = QApplication.style().standardIcon(QStyle.SP_MessageBoxInformation)
        self.icon = QSystemTrayIcon(QIcon(icon), self)
        self.icon.setToolTip("政务公开任务落实台账：提醒")
        self.menu = QMenu()
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(lambda reason: reason == QSystemTrayIcon.Trigger and self.open_program())
        self.icon.messageClicked.connect(lambda: self.open_program(self._first_task()))
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self._build_menu()

    def start(self) -> None:
        self.icon.show()
        self.refresh()
        self.timer.start()

    def refresh(self) -> None:
        digest = self._read(self.db_path)
        if digest is not None:
            self.digest = digest
            self.icon.setToolTip(f"政务公开任务落实台账：{digest.summary()}")
        self._build_menu()
        self.notify_if_due()

    def _first_task(self) -> int | None:
        d = self.digest
        items = (d.overdue + d.due) if d is not None else []
        return items[0].task_id if items else None

    def _build_menu(self) -> None:
        self.menu.clear()
        d = self.digest
        header = self.menu.addAction(d.summary() if d is not None else "正在读取提醒…")
        header.setEnabled(False)
        if d is not None:
            for item in (d.overdue + d.due)[:MAX_ITEMS]:
                when = "已逾期" if item.workdays_left < 0 else f"还有 {item.workdays_left} 个工作日"
                text = f"{item.number} {' '.join(item.content.split())[:24]}（{item.due:%m-%d}，{when}）"
                act = QAction(text, self.menu)
                act.triggered.connect(lambda _c=False, tid=item.task_id: self.open_program(tid))
                self.menu.addAction(act)
        self.menu.addSeparator()
        self.menu.addAction("打开台账", lambda: self.open_program())
        self.menu.addAction("立即刷新", self.refresh)
        self.menu.addAction("关闭提醒", self.switch_off)

    def notify_if_due(self) -> bool:
        """Once a day, when anything is due or overdue: a balloon naming it. True when shown."""
        d = self.digest
        today = clock.today()
        if d is None or not (d.due or d.overdue) or self._last_notified() == today:
            return False
        self.icon.showMessage("政务公开任务落实台账", d.summary(), QSystemTrayIcon.Information, 15000)
        self._remember_notified(today)
        return True

    def _last_notified(self) -> date | None:
        try:
            return date.fromisoformat(json.loads(self.state_file.read_text(encoding="utf-8"))["notified"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _remember_notified(self, day: date) -> None:
        try:
            self.state_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.state_file.with_name(self.state_file.name + ".tmp")
            tmp.write_text(json.dumps({"notified": day.isoformat()}), encoding="utf-8")
            tmp.replace(self.state_file)
        except OSError:
            log.warning("reminder: could not remember the notification day", exc_info=True)

    def open_program(self, task_id: int | None = None) -> None:
        args = [a for a in autostart.command(self.db_path) if a != "--tray"]
        if task_id is not None:
            args += ["--task", str(task_id)]
        self.launched.append(args)
        try:
            self._launch(args)
        except OSError:
            log.warning("reminder: could not start the program", exc_info=True)

    def switch_off(self) -> None:
        """关闭提醒: no tray at the next login; this one goes now."""
        try:
            autostart.disable()
        except OSError:
            log.warning("reminder: could not remove the autostart entry", exc_info=True)
        self.icon.hide()
        self.timer.stop()
        self._quit()
