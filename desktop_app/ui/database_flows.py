"""文件 → 打开数据库…: the dialog, then the window on the new database (the old one is closed only
once the new one is open); the recent list (QSettings, per user: addresses, never a password)."""

from __future__ import annotations

import logging
from typing import Any

from desktop_app.domain.model import LedgerError
from desktop_app.services.connection_service import remember

log = logging.getLogger(__name__)
RECENT_KEY = "database/recent"


def recent_databases(settings: Any) -> list[str]:
    value = settings.value(RECENT_KEY) or []
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in value if v]


def remember_database(settings: Any, target: Any) -> None:
    """The database now open goes first in the recent list."""
    if target:
        settings.setValue(RECENT_KEY, remember(recent_databases(settings), str(target)))


def open_database(w: Any) -> Any:
    """Ask which database; on success the new window (shown where this one was), else None and this
    window goes on as it was."""
    from desktop_app.ui.dialogs.open_database_dialog import OpenDatabaseDialog

    w.task_view.commit_open_editor()  # what is being typed is saved in the database it belongs to
    w.progress_editor.flush()
    dialog = OpenDatabaseDialog(recent_databases(w.qsettings), current=w.ctx.db_label, parent=w)
    w.last_open_dialog = dialog
    if not w.run_dialog(dialog) or dialog.opened is None:
        return None
    return switch_database(w, dialog.opened, dialog.target)


def switch_database(w: Any, ctx: Any, target: Any = None) -> Any:
    """The window on `ctx` replaces `w`: the same way the program starts on --db, then `w` closes its
    database. `w.replaced_by` names the new window (the event loop's owner shuts that one down)."""
    w.save_state()  # the new window comes up with this one's size and columns
    try:
        new = type(w)(ctx, w.qsettings, w._base_font)  # the main window's class, as app.create_window makes it
    except LedgerError as exc:
        ctx.close()
        w.show_error(exc.message)
        return None
    except Exception:
        ctx.close()
        raise
    remember_database(w.qsettings, target or ctx.db_label)
    w.replaced_by = new
    if w.isVisible():
        new.show()
    w.shutdown()
    w.hide()
    log.info("switched database to %s", ctx.db_label)
    new.show_info(f"已打开数据库 {ctx.db_label}。")
    return new
