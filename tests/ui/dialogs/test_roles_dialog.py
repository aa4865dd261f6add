"""台账 → 权限…: an editor gives 李四 只读; 李四's window then shows the ledger 只读 (marker, title, no edits
in the table or the progress editor, no 权限…) and the program refuses his edits; the last editor cannot
be removed; on the PostgreSQL server the roles follow the logins."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from desktop_app.domain.model import LedgerError

DATA = Path(__file__).resolve().parent.parent.parent / "data"


def _drive(w, monkeypatch, *steps):  # noqa: ANN001, ANN202
    """run_dialog replaced: each step fills the dialog, the last one presses 保存 (accept)."""
    seen = {}

    def run(dialog) -> bool:  # noqa: ANN001
        seen["dialog"] = dialog
        for step in steps:
            step(dialog)
            if dialog.result():
                return True
        dialog.reject()
        return False

    monkeypatch.setattr(w, "run_dialog", run)
    w.acts.roles.trigger()
    return seen.get("dialog")


def _add(person: str, role: str):  # noqa: ANN202
    def step(d) -> None:  # noqa: ANN001
        d.person.setText(person)
        d.role.setCurrentIndex(d.role.findData(role))
        d.findChild(QPushButton, "rolesAdd").click()

    return step


def _save(d) -> None:  # noqa: ANN001
    d.accept()


def _as(w, person: str) -> None:  # noqa: ANN001
    """The same window as another person (on a file: the 填报人), the ledger shown again."""
    w.ctx.db.person = person
    w.open_ledger(w.current_ledger().id)


def _assert_read_only(w) -> None:  # noqa: ANN001
    from desktop_app.ui.models.task_table_model import COLUMN_INDEX

    assert w.read_only_here() and "（只读）" in w.windowTitle()
    marker = w.read_only_marker
    assert marker.isVisibleTo(w) and "只有查看权限" in marker.text()
    assert not w.acts.add_task.isEnabled() and not w.acts.delete_task.isEnabled()
    assert not w.acts.paste.isEnabled() and not w.acts.bulk_edit.isEnabled()
    assert not w.acts.roles.isVisible()  # only editors see 权限…
    assert w.acts.export.isEnabled() and w.acts.new_ledger.isEnabled()  # reading, and a ledger of one's own
    task = w.current_ledger().all_tasks()[0]
    index = w.model.index(w.model.row_of_task(task.id), COLUMN_INDEX["progress"])
    assert not (w.model.flags(index) & Qt.ItemIsEditable)
    assert not w.model.setData(index, "只读的人写的")
    w.task_view.select_task(task.id)
    editor = w.progress_editor
    assert editor.text.isReadOnly() and not editor.add_entry_button.isEnabled()
    assert not editor.status_combo.isEnabled()
    with pytest.raises(LedgerError, match="只读"):
        w.ctx.ledgers.update_task(task.id, "progress", "绕过窗口写的")  # the program itself refuses
    assert w.ctx.ledgers.get_task(task.id).progress == task.progress


def test_an_editor_sets_a_reader_and_the_readers_window_refuses_edits(city, monkeypatch):
    w = city
    _as(w, "张三")
    assert w.acts.roles.isVisible() and w.acts.roles.isEnabled() and not w.read_only_here()
    d = _drive(w, monkeypatch, _add("lisi", "read"), _save)
    assert d.result() and d.changed
    lid = w.current_ledger().id
    assert w.ctx.people.members(lid) == {"张三": "edit", "lisi": "read"}  # the first to set roles stays editor
    assert not w.read_only_here() and not w.read_only_marker.isVisibleTo(w)
    _as(w, "lisi")
    _assert_read_only(w)
    _as(w, "王五")  # not on the list: 只读 too
    assert w.read_only_here()
    _as(w, "张三")  # back to the editor: everything comes back
    assert not w.read_only_here() and w.acts.add_task.isEnabled() and w.acts.roles.isVisible()
    task = w.current_ledger().all_tasks()[0]
    from desktop_app.ui.models.task_table_model import COLUMN_INDEX

    index = w.model.index(w.model.row_of_task(task.id), COLUMN_INDEX["progress"])
    assert w.model.flags(index) & Qt.ItemIsEditable and not w.progress_editor.text.isReadOnly()
    assert w.model.setData(index, "编辑人员写的") and w.ctx.ledgers.get_task(task.id).progress == "编辑人员写的"


def test_the_last_editor_cannot_be_removed_and_a_refusal_changes_nothing(city, monkeypatch):
    w = city
    _as(w, "张三")
    lid = w.current_ledger().id
    w.ctx.people.set_roles(lid, {"张三": "edit", "lisi": "read"})

    def remove_me(d) -> None:  # noqa: ANN001
        d.table.selectRow(d._row_of("张三"))
        d.remove_selected()
        d.accept()

    d = _drive(w, monkeypatch, remove_me, lambda d: None)
    assert "至少要有一位" in d.error.text() and not d.changed
    assert w.ctx.people.members(lid) == {"张三": "edit", "lisi": "read"}
    # handing the ledger on: lisi made editor, then 张三 steps down to 只读, in one 保存
    d = _drive(w, monkeypatch, _add("lisi", "edit"), _add("张三", "read"), _save)
    assert d.changed and w.ctx.people.members(lid) == {"张三": "read", "lisi": "edit"}
    assert w.read_only_here()  # the window follows at once


def test_on_the_server_the_roles_follow_the_logins(qtbot, monkeypatch, pg_cluster, pg_template):
    import pgcluster

    from desktop_app.app import create_window

    name = pg_cluster.new_database(template=pg_template)
    for what in ("TABLES", "SEQUENCES"):
        pg_cluster.sql(f"GRANT ALL ON ALL {what} IN SCHEMA public TO {pgcluster.CLERK}", database=name)
    windows = []
    try:
        boss = create_window(pg_cluster.url(name))
        windows.append(boss)
        qtbot.addWidget(boss)
        boss.imported(boss.ctx.imports.import_file(DATA / "city-2023.docx"))
        assert boss.ctx.db.person == "postgres"
        d = _drive(boss, monkeypatch, _add(pgcluster.CLERK, "read"), _save)
        assert d.changed
        monkeypatch.setattr("desktop_app.app.ask_password", lambda prompt: pgcluster.CLERK_PASSWORD)
        clerk = create_window(pg_cluster.url(name, user=pgcluster.CLERK))
        windows.append(clerk)
        qtbot.addWidget(clerk)
        assert clerk.ctx.db.person == pgcluster.CLERK
        _assert_read_only(clerk)
        # the editor makes the clerk an editor: the clerk's window follows (the change watcher's poll)
        boss.ctx.people.set_roles(boss.current_ledger().id, {"postgres": "edit", pgcluster.CLERK: "edit"})
        clerk.watcher.poll()
        assert not clerk.read_only_here() and clerk.acts.add_task.isEnabled()
    finally:
        for win in windows:
            win.runner.wait(10000)
            win.shutdown()
        pg_cluster.drop_database(name)
