"""The city office's actions of the main window (报送 menu): 收集报送, 导出汇总台账, 报送情况通报; shown only
when the ledger addresses units of the directory (the office's use, not a unit's own ledger)."""

from __future__ import annotations

from typing import Any

from desktop_app.domain.model import LedgerError

CONSOLIDATED_FILTERS = "Word 文档 (*.docx);;Excel 表格 (*.xlsx);;JSON 文件 (*.json)"


def update_visibility(w: Any) -> None:
    """The three actions are visible (and enabled) when the ledger shown expects returns from units."""
    acts = getattr(w, "acts", None)
    if acts is None or not hasattr(acts, "collect_returns"):
        return
    ledger = w.shown_ledger()
    try:  # the tasks in memory once the table read them all, else the unit texts read with the outline
        whole = ledger if w.model.fully_loaded() else None
        stand_ins = None if whole is not None else getattr(w, "unit_stand_ins", None)
        on = ledger is not None and w.ctx.collect.expects_returns(ledger.id, whole, stand_ins)
    except LedgerError:
        on = False
    for a in (acts.collect_returns, acts.export_consolidated, acts.returns_notice):
        a.setVisible(on)
        a.setEnabled(ledger is not None)


def open_collect(w: Any) -> None:
    from desktop_app.ui.dialogs.collect_dialog import CollectDialog

    ledger = w.current_ledger()
    if ledger is None:
        return
    dialog = CollectDialog(w.ctx, ledger.id, w.runner, w)
    w.run_dialog(dialog)
    dialog.deleteLater()


def export_consolidated(w: Any) -> None:
    ledger = w.current_ledger()
    if ledger is None:
        return
    path = w.ask_save_file(f"{ledger.title}（汇总）.docx", CONSOLIDATED_FILTERS)
    if path is None:
        return
    try:
        out = w.ctx.collect.export_consolidated(ledger.id, None, path)
    except LedgerError as exc:
        w.show_error(exc.message)
        return
    w.show_info(f"汇总台账已导出到 {out}")


def write_notice(w: Any) -> None:
    ledger = w.current_ledger()
    if ledger is None:
        return
    path = w.ask_save_file(f"{ledger.title}报送情况通报.docx", "Word 文档 (*.docx)")
    if path is None:
        return
    try:
        out = w.ctx.collect.write_notice(ledger.id, path)
    except LedgerError as exc:
        w.show_error(exc.message)
        return
    w.show_info(f"报送情况通报已保存到 {out}")
