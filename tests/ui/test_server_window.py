"""The window on a PostgreSQL server database (the throw-away cluster): it opens, edits, and when the
server restarts while progress is being typed, the text stays in the box and is saved once it is back."""

from __future__ import annotations

import pytest

DATA = __import__("pathlib").Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def server_window(qtbot, pg_url, tmp_path, monkeypatch):
    from desktop_app.app import create_window

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # the kept edits' file: not the user's
    w = create_window(pg_url)
    qtbot.addWidget(w)
    ledger = w.ctx.imports.import_file(DATA / "city-2023.docx")
    w.imported(ledger)
    yield w
    w.runner.wait(10000)
    w.shutdown()


def test_the_window_runs_on_the_server_without_backups(server_window) -> None:
    w = server_window
    assert w.ctx.server and w.ctx.db_path is None and "postgresql://" in w.ctx.db_label
    assert w.ctx.backups.list_backups() == [] and not w.ctx.backups.available
    assert len(w.current_ledger().all_tasks()) > 10


def test_progress_typed_while_the_server_restarts_is_kept_and_saved_after(server_window, pg_cluster) -> None:
    w = server_window
    task = w.current_ledger().all_tasks()[0]
    w.task_view.select_task(task.id)
    editor = w.progress_editor
    assert editor.task().id == task.id
    editor.text.insertPlainText("服务器重启时输入的进展")
    pg_cluster.stop_server()
    try:
        editor.flush()  # the save comes while the server is down
        assert editor.text.toPlainText() == "服务器重启时输入的进展"  # nothing typed is lost
        assert editor.dirty and "连接中断" in editor.saved_label.text()
    finally:
        pg_cluster.start_server()
    editor.flush()  # the retry (the idle timer's, here called at once)
    assert not editor.dirty and editor.saved_label.text() == "已自动保存"
    assert w.ctx.ledgers.get_task(task.id).progress == "服务器重启时输入的进展"


def test_settings_and_the_data_folder_on_the_server(server_window) -> None:
    from desktop_app.ui.dialogs.settings_dialog import SettingsDialog

    w = server_window
    dialog = SettingsDialog(w.ctx, w)
    try:
        assert "postgresql://" in dialog.folder_label.text()
        assert not dialog.backup_button.isEnabled() and not dialog.restore_button.isEnabled()
    finally:
        dialog.deleteLater()
    opened = []
    w.open_url = lambda url: opened.append(url) or True
    w.acts.open_data_folder.trigger()
    assert opened == [] and "服务器数据库" in w.statusBar().currentMessage()


def test_a_cell_edit_typed_while_the_server_is_down_is_kept_and_saved_when_it_is_back(server_window, pg_cluster):
    from desktop_app.ui.models.task_table_model import COLUMN_INDEX

    w = server_window
    task = w.current_ledger().all_tasks()[1]
    index = w.model.index(w.model.row_of_task(task.id), COLUMN_INDEX["content"])
    pg_cluster.stop_server()
    try:
        assert not w.model.setData(index, "断线时在表格里改的内容")  # the edit could not be saved ...
        said = w.errors[-1]
        assert "没有丢失" in said and "连接恢复后自动保存" in said and "\n" not in said
        assert w.actions_.pending.cells() == {(task.id, "content"): "断线时在表格里改的内容"}  # ... but it is kept
        assert w.actions_.retry_pending() == 0 and w.actions_.pending  # still down: kept, not said again
        assert len(w.errors) == 1
        assert w.watcher.poll() is False  # the watcher notices the server is away
    finally:
        pg_cluster.start_server()
    w.watcher.poll()  # back: the watcher's reconnection saves the kept edit
    assert not w.actions_.pending
    assert w.ctx.ledgers.get_task(task.id).content == "断线时在表格里改的内容"
    assert w.model.task(task.id).content == "断线时在表格里改的内容"
    assert "已保存" in w.statusBar().currentMessage()
    w.undo_stack.undo()  # an ordinary edit from then on: undone like any other
    assert w.ctx.ledgers.get_task(task.id).content == task.content
