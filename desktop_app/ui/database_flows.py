"""文件 → 打开数据库…: the dialog, then the window on the new database (the old one is closed only
once the new one is open); the recent list (QSettings, per user: addresses, never a password)."""

from __future__ import annotations

import logging
from typing import Any

from desktop_app.domain.model import LedgerError
from desktop_app.services.connection_service import database_key, remember
from desktop_app.services.pending_service import pending_file

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


# ---- edits a dropped server connection held back: in a file meanwhile, offered at the next open ---------
PENDING_FOLDER = "pending"


def keep_pending(w: Any) -> None:
    """On a server database the edits an outage holds back are kept in the user's data folder too;
    what an earlier session left there for this database is offered once the window is up."""
    if not getattr(w.ctx, "server", False):
        return
    from desktop_app import paths

    key = database_key(w.ctx.db_label)
    try:
        path = pending_file(paths.data_dir() / PENDING_FOLDER, key)
    except OSError as exc:
        log.warning("no data folder for the kept edits: %s", exc)
        return
    w.kept_from_before = w.actions_.keep_pending_in(path, key)
    if w.kept_from_before:
        w.actions_.pending.defer(w.kept_from_before)  # in the file until the user says
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, w, lambda: offer_pending(w))


def offer_pending(w: Any) -> int:
    """What an earlier session could not save to the server (closed while it was away): asked once,
    saved through the ordinary versioned path (a conflict shows both texts); 以后再说 keeps it in the
    file for the next open. Returns how many changes were saved."""
    kept = list(getattr(w, "kept_from_before", None) or [])
    w.kept_from_before = []
    if not kept or getattr(w, "_shut_down", False):
        return 0
    n = sum(k.size() for k in kept)
    if not w.ask_apply_pending(
        f"上次关闭程序时，有 {n} 项修改尚未保存到服务器，暂存在本机：现在补存吗？"
        "（其间别人改过的内容会请您对照选择，不会直接覆盖）"
    ):
        w.show_info(f"上次未保存的 {n} 项修改仍暂存在本机，下次打开这个数据库时再问。")
        return 0
    w.actions_.pending.take_back(kept)
    saved = w.actions_.retry_pending(announce=False)
    left = w.actions_.pending.count()
    if left:
        w.show_error(f"已补存 {saved} 项修改，其余 {left} 项仍连不上服务器，已继续暂存在本机，连接恢复后自动保存。")
    else:
        w.show_info(f"已补存上次未保存的 {saved} 项修改。")
    return saved


def say_pending_at_close(w: Any) -> None:
    """Closing while edits still wait for the server: say where they are (one sentence)."""
    pending = w.actions_.pending
    n = pending.count()
    if not n:
        return
    if pending.path is not None and pending.write_error is None:
        text = f"有 {n} 项修改尚未保存到服务器，已暂存在本机，下次打开时补存。"
    else:
        text = f"有 {n} 项修改尚未保存到服务器，也未能暂存在本机，关闭后会丢失：请等服务器恢复后再关闭程序。"
    log.warning("closing with %d edit(s) unsaved: the server stayed away (%s)", n, pending.path)
    w.tell_at_close(text)


# ---- roles: 台账 → 权限… and the 只读 window ---------------------------------------------------------------
# Actions that change the database but not the ledger shown: a 只读 person on this ledger keeps them
# (a ledger of one's own can still be made); a database opened read-only has none of them.
DATABASE_WIDE = frozenset({"import_file", "new_ledger", "load_sample", "holidays", "derive_ledger"})
NO_LEDGER_NEEDED = frozenset({"import_file", "save", "holidays", "recycle_bin", "new_ledger", "load_sample"})
MORE_EDITS = ("paste", "bulk_edit", "replace", "collect_returns", "derive_ledger")
READ_ONLY_DB = "只读：可查看、导出和打印，不能修改"
READ_ONLY_LEDGER = "只读：您对这本台账只有查看权限，可查看、导出和打印"


def apply_roles(w: Any) -> None:
    """Read the person's role on the ledger shown; 只读 (or a database opened read-only): every action
    that would change it disabled, the table's cells and the progress editor not editable, the marker
    shown, 权限… hidden (only editors see it)."""
    acts = getattr(w, "acts", None)
    if acts is None:
        return
    ledger = w.shown_ledger()  # its id: no need to read its tasks
    db_read_only = bool(getattr(w.ctx, "read_only", False))
    ledger_read_only = False
    if ledger is not None and ledger.id is not None and not db_read_only:
        try:
            ledger_read_only = not w.ctx.people.can_edit(ledger.id)
        except LedgerError as exc:
            log.warning("cannot read the roles of ledger %s: %s", ledger.id, exc.message)
    w._ledger_read_only = ledger_read_only
    read_only = db_read_only or ledger_read_only
    names = [n for n in (*_editing_names(acts), *MORE_EDITS) if hasattr(acts, n)]
    for name in dict.fromkeys(names):
        action = getattr(acts, name)
        blocked = db_read_only or (ledger_read_only and name not in DATABASE_WIDE)
        if blocked:
            action.setEnabled(False)
        elif name in NO_LEDGER_NEEDED or name == "derive_ledger":
            action.setEnabled(True)
    if hasattr(acts, "roles"):
        acts.roles.setVisible(ledger is not None and not read_only)
        acts.roles.setEnabled(ledger is not None and not read_only)
    w.model.read_only = read_only
    w.progress_editor.set_read_only(read_only)
    marker = getattr(w, "read_only_marker", None)
    if marker is not None:
        marker.setText(READ_ONLY_DB if db_read_only else READ_ONLY_LEDGER)
        marker.setVisible(read_only)


def _editing_names(acts: Any) -> list[str]:
    return [name for name, value in vars(acts).items() if any(value is a for a in acts.editing())]


def open_roles(w: Any) -> None:
    """台账 → 权限…: the dialog; a change re-reads the roles (the window may become 只读 for oneself)."""
    from desktop_app.ui.dialogs.roles_dialog import RolesDialog

    ledger = w.current_ledger()
    if ledger is None or w.read_only_here():
        return
    dialog = RolesDialog(w.ctx, ledger, w)
    w.last_roles_dialog = dialog
    if w.run_dialog(dialog) and dialog.changed:
        w._set_ledger(w.ctx.ledgers.get_ledger(ledger.id), w.task_view.current_task_id())
        w.show_info(f"已保存《{ledger.title}》的权限。")
