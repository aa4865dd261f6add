"""The one wiring place: logging, the database (AppContext), QApplication and the main window."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QSettings, Qt, QTimer, QTranslator
from PySide6.QtGui import QFont, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox

from desktop_app import APP_ID, APP_NAME, __version__, paths
from desktop_app.domain.model import LedgerError

log = logging.getLogger(__name__)
ORG = "zwgk"
_base_font: QFont | None = None  # the font before any 适老化 scaling, taken once per process


def setup_logging(log_path: Path | None = None) -> Path | None:
    """The one log handler (see logsetup); returns the file it writes to."""
    from desktop_app.logsetup import setup_logging as install

    return install(log_path)


def ensure_app() -> QApplication:
    """The QApplication, created once (HiDPI, names, icon, style sheet)."""
    global _base_font
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName(ORG)
    QCoreApplication.setApplicationName(APP_ID)
    QCoreApplication.setApplicationVersion(__version__)
    QGuiApplication.setApplicationDisplayName(APP_NAME)
    icon = paths.resource("icons", "app.png")
    if icon.exists():
        QGuiApplication.setWindowIcon(QIcon(str(icon)))
    if _base_font is None:
        _base_font = QFont(QApplication.font())
        _install_translations(app)
        style = paths.resource("styles", "app.qss")
        qss = style.read_text(encoding="utf-8") if style.exists() else ""
        app.setProperty("ledgerBaseStyleSheet", qss)  # MainWindow adds the font size (适老化) to it
        # the sheet as the main window at 100 % composes it, so it is parsed and applied once, not twice
        size = _base_font.pointSizeF() if _base_font.pointSizeF() > 0 else 10.0
        app.setStyleSheet(f"{qss}\n* {{ font-size: {size:.1f}pt; }}")
    return app  # type: ignore[return-value]


_translators: list[QTranslator] = []


def _install_translations(app: QApplication) -> None:
    """Qt's own texts (Yes/No, Cancel, the print dialog) in Chinese."""
    folder = QLibraryInfo.path(QLibraryInfo.TranslationsPath)
    bundled = paths.resource("translations")
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        translator = QTranslator(app)
        if translator.load(name, str(bundled)) or translator.load(name, folder):
            app.installTranslator(translator)
            _translators.append(translator)


def ui_settings() -> QSettings:
    """Window geometry, column widths, splitters (per user, not in the database)."""
    return QSettings(QSettings.IniFormat, QSettings.UserScope, ORG, APP_ID)


def create_window(db_path: Path | str, settings: QSettings | None = None, read_only: bool = False):  # noqa: ANN201
    """The main window on that database (an SQLite file or a postgresql:// URL), without starting the
    event loop. read_only: beside another program that holds the file (title says 只读). Raises LedgerError."""
    ensure_app()
    from desktop_app.services.connection_service import open_database
    from desktop_app.storage.database import is_server_url
    from desktop_app.ui.main_window import MainWindow

    server = is_server_url(db_path)
    target = db_path if server else Path(db_path)
    ctx = open_database(target, read_only=read_only, password=ask_password)  # as 文件 → 打开数据库… does
    # what an export killed midway left beside its target (recognisable names) goes at the next start
    extra = [] if server else [paths.real_path(db_path).parent]
    removed = ctx.exports.clean_recent_leftovers(extra)
    if removed:
        log.info("removed %d leftover temporary file(s): %s", len(removed), ", ".join(map(str, removed)))
    try:
        return MainWindow(ctx, settings or ui_settings(), _base_font)
    except Exception:
        ctx.close()
        raise


def ask_password(prompt: str) -> str | None:
    """The server's password, asked in a dialog (kept in memory only; tests replace this)."""
    text, ok = QInputDialog.getText(None, "服务器数据库密码", prompt, QLineEdit.Password)
    return text if ok and text else None


def _shown(db_path: Path | str) -> str:
    """The database for the log: a server address never with its password."""
    from desktop_app.storage.database import display_url, is_server_url, server_url

    return display_url(server_url(str(db_path))) if is_server_url(db_path) else str(db_path)


def ask_read_only(message: str) -> bool:
    """Another program holds the file: open it read-only (只读)? (tests replace this)."""
    answer = QMessageBox.question(
        None,
        APP_NAME,
        f"{message}\n\n是否以只读方式打开，只查看、导出和打印，不做修改？",
        QMessageBox.Yes | QMessageBox.No,
        QMessageBox.Yes,
    )
    return answer == QMessageBox.Yes


def choose_backup(damaged) -> Path | None:  # noqa: ANN001 - DatabaseDamaged
    """The damaged-database message with 从备份恢复: which backup to restore, or None (tests replace this)."""
    if not damaged.backups:
        QMessageBox.critical(None, APP_NAME, damaged.message)
        return None
    names = [p.name for p in damaged.backups]
    name, ok = QInputDialog.getItem(
        None, "从备份恢复", f"{damaged.message}\n\n选择要恢复的备份（最新的在最上面）：", names, 0, False
    )
    return damaged.backups[names.index(name)] if ok and name in names else None


def open_window(db_path: Path | str):  # noqa: ANN201 - MainWindow | None
    """create_window; a damaged database offers 从备份恢复 and opens the restored copy. Raises LedgerError."""
    from desktop_app.services.backup_service import DatabaseDamaged, restore_damaged
    from desktop_app.storage.locking import DatabaseLocked

    try:
        return create_window(db_path)
    except DatabaseLocked as locked:
        if not ask_read_only(locked.message):
            return None
        return create_window(db_path, read_only=True)
    except DatabaseDamaged as damaged:
        chosen = choose_backup(damaged)
        if chosen is None:
            return None
        aside = restore_damaged(db_path, chosen)
        log.warning("damaged database %s moved to %s, restored from %s", db_path, aside, chosen)
        return create_window(db_path)


def run_tray(db_path: Path) -> int:
    """--tray: the reminder icon alone (started at login when reminders are on); no window."""
    setup_logging()
    app = ensure_app()
    app.setQuitOnLastWindowClosed(False)
    from PySide6.QtWidgets import QSystemTrayIcon

    from desktop_app.ui.tray import ReminderTray

    if not QSystemTrayIcon.isSystemTrayAvailable():
        log.warning("no system tray on this desktop: reminders not shown")
        return 0
    tray = ReminderTray(Path(db_path), paths.data_dir() / "reminder-state.json")
    tray.start()
    return int(app.exec())


def run_gui(db_path: Path | str, task_id: int | None = None) -> int:
    log_path = setup_logging() or paths.log_file()
    try:
        from desktop_app.ui.crash_dialog import install_excepthook

        install_excepthook(log_path)
    except ImportError:
        log.warning("crash dialog not available")
    app = ensure_app()
    log.info("starting %s %s on %s", APP_NAME, __version__, _shown(db_path))
    try:
        window = open_window(db_path)
    except LedgerError as exc:
        QMessageBox.critical(None, APP_NAME, exc.message)
        return 2
    if window is None:
        return 2
    window.show()
    QTimer.singleShot(0, window.show_reminder)
    if task_id is not None:  # opened from the reminder tray: at that task
        QTimer.singleShot(0, lambda: window.open_task(task_id))
    code = app.exec()
    while getattr(window, "replaced_by", None) is not None:  # 文件 → 打开数据库… switched windows
        window = window.replaced_by
    window.shutdown()
    return int(code)


def smoke(db_path: Path | str) -> int:
    """Open the window on that database, show its largest ledger, report how long it took."""
    start = time.perf_counter()
    app = ensure_app()
    try:
        window = create_window(db_path)
    except LedgerError as exc:
        print(f"smoke failed: {exc.message}")
        return 2
    summaries = window.summaries()
    if summaries:
        largest = max(summaries, key=lambda s: s.task_count)
        current = window.shown_ledger()
        if current is None or current.id != largest.id:
            window.ledger_panel.select_ledger(largest.id, emit=False)
            window.open_ledger(largest.id)
    window.show()
    app.processEvents()
    elapsed = time.perf_counter() - start
    # The Qt platform (windows, xcb, offscreen) it ran on: the installers' checks require the real one.
    print(f"smoke ok: {elapsed:.2f} s, {len(summaries)} ledgers, {window.model.total_count} tasks, "
          f"platform {app.platformName()}")
    window.close()
    window.shutdown()
    app.processEvents()
    return 0
