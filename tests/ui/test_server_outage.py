"""A dropped server connection while editing (the throw-away cluster stopped, or our connection cut in the
middle of a write): what was typed is kept whole (a paste over several rows, 批量修改, a progress entry,
已完成 with 100 %), said in one sentence, written all or nothing once the server is back; closing the
program meanwhile keeps it in a file in the user's data folder, offered at the next open of that database
through the versioned path (a conflict is shown as one)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel

from desktop_app.domain.model import TaskStatus
from desktop_app.ui.models.task_table_model import COLUMN_INDEX

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))  # the user's data folder (platformdirs) for this test
    return home


def _open(qtbot, url):  # noqa: ANN001, ANN202
    from desktop_app.app import create_window

    w = create_window(url)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    return w


@pytest.fixture
def server_window(qtbot, pg_url, data_home):
    w = _open(qtbot, pg_url)
    ledger = w.ctx.imports.import_file(DATA / "city-2023.docx")
    w.imported(ledger)
    yield w
    w.runner.wait(10000)
    w.shutdown()


def _rows(w, n: int) -> list[int]:  # noqa: ANN001
    return [r for r in range(w.model.rowCount()) if not w.model.is_section_row(r)][:n]


def _select(w, rows: list[int], column: str) -> None:  # noqa: ANN001
    w.task_view.setCurrentIndex(w.model.index(rows[0], COLUMN_INDEX[column]))
    selection = QItemSelection()
    for r in rows:
        selection.select(w.model.index(r, 0), w.model.index(r, w.model.columnCount() - 1))
    w.task_view.selectionModel().select(selection, QItemSelectionModel.ClearAndSelect)


def _stored(w, ids, *fields):  # noqa: ANN001, ANN202
    return [tuple(getattr(w.ctx.ledgers.get_task(i), f) for f in fields) for i in ids]


def _kept_file(data_home: Path) -> list[Path]:
    return sorted(data_home.rglob("pending-*.json"))


def test_a_paste_over_three_rows_while_the_server_is_down_is_kept_whole_and_saved_when_it_is_back(
    server_window, pg_cluster, data_home
) -> None:
    w = server_window
    rows = _rows(w, 3)
    ids = [w.model.task_id_at(r) for r in rows]
    before = _stored(w, ids, "content", "indicator")
    _select(w, rows[:1], "content")
    w.task_view.setColumnHidden(COLUMN_INDEX["indicator"], False)
    clip = "断线粘贴一\t指标一\n断线粘贴二\t指标二\n断线粘贴三\t指标三\n"  # 主要内容 and 量化指标
    pg_cluster.stop_server()
    try:
        assert w.office.paste(clip) == 0  # nothing could be saved ...
        said = w.errors[-1]
        assert "粘贴的 6 个单元格" in said and "没有丢失" in said and "\n" not in said
        kept = list(w.actions_.pending)
        assert len(kept) == 1 and kept[0].size() == 6  # ... but it is kept, whole, as one edit
        assert w.model.task(ids[0]).content == before[0][0]  # the table shows what the server has
        assert _kept_file(data_home)  # and it is in the user's data folder meanwhile
        assert w.watcher.poll() is False
    finally:
        pg_cluster.start_server()
    assert _stored(w, ids, "content", "indicator") == before  # not one cell was written while it was down
    w.watcher.poll()  # back: the kept paste is saved, all of it
    assert not w.actions_.pending and not _kept_file(data_home)
    contents = [c for (c, _i) in _stored(w, ids, "content", "indicator")]
    assert contents == ["断线粘贴一", "断线粘贴二", "断线粘贴三"]
    assert [i for (_c, i) in _stored(w, ids, "content", "indicator")] == ["指标一", "指标二", "指标三"]
    assert [w.model.task(i).content for i in ids] == contents
    assert "6 处内容已保存" in w.statusBar().currentMessage()
    w.undo_stack.undo()  # one step, undone as one
    assert _stored(w, ids, "content", "indicator") == before


def test_a_paste_cut_mid_way_by_a_dropped_connection_writes_nothing_and_is_saved_whole_later(
    server_window, pg_cluster, monkeypatch
) -> None:
    """Our connection is killed (as a server restart does) after the second row was written inside the
    transaction: none of the rows is in the database; the retry writes all three."""
    from desktop_app.storage.repository import LedgerRepository

    w = server_window
    rows = _rows(w, 3)
    ids = [w.model.task_id_at(r) for r in rows]
    before = _stored(w, ids, "content")
    database = w.ctx.db_label.rsplit("/", 1)[-1]
    real = LedgerRepository.save_task_change
    calls = []

    def cut_after_two(self, task, *args, **kwargs):  # noqa: ANN001, ANN202
        real(self, task, *args, **kwargs)
        calls.append(task.id)
        if len(calls) == 2:
            pg_cluster.sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{database}' AND pid <> pg_backend_pid()"
            )

    monkeypatch.setattr(LedgerRepository, "save_task_change", cut_after_two)
    _select(w, rows[:1], "content")
    assert w.office.paste("中途断线一\n中途断线二\n中途断线三\n") == 0
    assert len(calls) == 2 and "粘贴的 3 个单元格" in w.errors[-1]
    monkeypatch.setattr(LedgerRepository, "save_task_change", real)
    assert _stored(w, ids, "content") == before  # nothing half-written
    assert w.actions_.retry_pending() == 3
    assert _stored(w, ids, "content") == [("中途断线一",), ("中途断线二",), ("中途断线三",)]


def test_bulk_edit_while_the_server_is_down_is_kept_and_saved_whole(server_window, pg_cluster) -> None:
    """批量修改 of three tasks (责任单位, 完成时限 and 进度) during the outage: kept as one, saved as one."""
    w = server_window
    rows = _rows(w, 3)
    ids = [w.model.task_id_at(r) for r in rows]
    _select(w, rows, "content")

    def fill(d) -> bool:  # noqa: ANN001
        d.deadline.setText("2023年11月15日")
        d.deadline.textEdited.emit("2023年11月15日")
        d.checks["units_text"].setChecked(True)
        d.unit.setCurrentText("断线时的责任单位")
        d.percent.setValue(61)
        return True

    w.run_dialog = fill
    pg_cluster.stop_server()
    try:
        w.acts.bulk_edit.trigger()
        (kept,) = list(w.actions_.pending)
        assert kept.size() == 9 and {c.field for c in kept.cells} == {"units_text", "deadline_text", "percent"}
        assert "批量修改的 9 个单元格" in w.errors[-1] and "没有丢失" in w.errors[-1]
    finally:
        pg_cluster.start_server()
    assert w.actions_.retry_pending() == 9
    stored = {(t.units_text, t.deadline.text, t.percent) for t in map(w.ctx.ledgers.get_task, ids)}
    assert stored == {("断线时的责任单位", "2023年11月15日", 61)}


def test_done_with_100_percent_while_the_server_is_down_is_kept_as_one_pair(server_window, pg_cluster) -> None:
    """已完成 chosen in the 状态 cell with “进度 100%”: both cells kept together, saved together."""
    w = server_window
    task = next(t for t in w.current_ledger().all_tasks() if t.percent < 100)
    index = w.model.index(w.model.row_of_task(task.id), COLUMN_INDEX["status"])
    w.ask_done_percent = lambda t: "full"
    pg_cluster.stop_server()
    try:
        assert not w.model.setData(index, TaskStatus.DONE.value)
        assert "设为已完成（进度 100%）" in w.errors[-1]
        (kept,) = list(w.actions_.pending)
        assert {(c.field, c.value) for c in kept.cells} == {("status", TaskStatus.DONE.value), ("percent", 100)}
    finally:
        pg_cluster.start_server()
    assert w.actions_.retry_pending() >= 1
    stored = w.ctx.ledgers.get_task(task.id)
    assert (stored.status, stored.percent) == (TaskStatus.DONE, 100)


def test_a_progress_entry_while_the_server_is_down_keeps_the_text_and_is_recorded_when_it_is_back(
    server_window, pg_cluster
) -> None:
    """记入进展记录 during the outage: the typed text stays in the box, the entry is kept (with the
    time it was typed) and recorded once the server is back; nothing is said to be recorded before."""
    w = server_window
    task = w.current_ledger().all_tasks()[2]
    w.task_view.select_task(task.id)
    editor = w.progress_editor
    w.ctx.settings.update({"contact_person": "张三", "person_asked": "1"})
    history = len(w.ctx.progress.history(task.id))
    said = []
    editor.message.connect(said.append)
    pg_cluster.stop_server()
    try:
        editor.text.setPlainText("断线时填的进展记录")
        editor.add_entry()
        assert editor.text.toPlainText() == "断线时填的进展记录"  # the typed text stays
        assert "新填的进展记录" in w.errors[-1] and "没有丢失" in w.errors[-1]
        assert not any("已记入" in m for m in said)
        (kept,) = list(w.actions_.pending)
        assert kept.kind == "entry" and kept.entry["text"] == "断线时填的进展记录"
        assert w.watcher.poll() is False
    finally:
        pg_cluster.start_server()
    w.watcher.poll()  # back: recorded
    assert not w.actions_.pending and "1 处内容已保存" in w.statusBar().currentMessage()
    entries = w.ctx.progress.history(task.id)
    assert len(entries) == history + 1
    assert any(e.text == "断线时填的进展记录" and e.author == "张三" for e in entries)
    assert w.ctx.ledgers.get_task(task.id).progress == "断线时填的进展记录"


def test_closing_while_the_server_is_down_keeps_the_edits_in_a_file_and_the_next_open_saves_them(
    qtbot, pg_url, pg_cluster, data_home
) -> None:
    """Closed with a kept paste and a kept cell: said at close, in the user's data folder (no password
    in it); the next open of that database asks, and 补存 saves them; the cell someone else changed
    meanwhile is shown as a conflict (their text kept here), never overwritten silently."""
    from desktop_app.services.context import AppContext

    w = _open(qtbot, pg_url)
    w.imported(w.ctx.imports.import_file(DATA / "city-2023.docx"))
    rows = _rows(w, 3)
    ids = [w.model.task_id_at(r) for r in rows]
    told = []
    w.tell_at_close = told.append
    pg_cluster.stop_server()
    try:
        _select(w, rows[:2], "content")
        w.office.paste("关闭前粘贴一\n关闭前粘贴二\n")
        index = w.model.index(rows[2], COLUMN_INDEX["indicator"])
        w.model.setData(index, "关闭前的指标")
        assert w.actions_.pending.count() == 3
        w.shutdown()
    finally:
        pg_cluster.start_server()
    assert told == ["有 3 项修改尚未保存到服务器，已暂存在本机，下次打开时补存。"]
    (kept_file,) = _kept_file(data_home)
    data = json.loads(kept_file.read_text(encoding="utf-8"))
    assert data["database"].startswith("postgresql://") and len(data["edits"]) == 2
    other = AppContext.open(pg_url)  # meanwhile someone else changes the second row's 主要内容
    try:
        other.db.person = "李四"
        other.ledgers.update_task(ids[1], "content", "李四改的内容")
    finally:
        other.close()

    again = _open(qtbot, pg_url)
    asked, conflicts = [], []
    again.ask_apply_pending = lambda text: asked.append(text) or True
    again.actions_.resolve_conflict = lambda c: conflicts.append(c) or None  # keep theirs
    try:
        from desktop_app.ui.database_flows import offer_pending

        again.open_ledger(again.current_ledger().id if again.current_ledger() else again.summaries()[0].id)
        assert offer_pending(again) == 2
        assert asked and "有 3 项修改尚未保存到服务器" in asked[0] and "\n" not in asked[0]
        assert [(c.theirs, c.mine) for c in conflicts] == [("李四改的内容", "关闭前粘贴二")]
        stored = [again.ctx.ledgers.get_task(i) for i in ids]
        assert [stored[0].content, stored[1].content, stored[2].indicator] == ["关闭前粘贴一", "李四改的内容", "关闭前的指标"]
        assert not _kept_file(data_home) and not again.actions_.pending
        assert "已补存上次未保存的 2 项修改" in again.statusBar().currentMessage()
    finally:
        again.shutdown()


def test_put_off_at_the_next_open_the_kept_edits_stay_in_the_file(qtbot, pg_url, pg_cluster, data_home) -> None:
    w = _open(qtbot, pg_url)
    w.imported(w.ctx.imports.import_file(DATA / "city-2023.docx"))
    task = w.current_ledger().all_tasks()[0]
    w.tell_at_close = lambda text: None
    pg_cluster.stop_server()
    try:
        w.model.setData(w.model.index(w.model.row_of_task(task.id), COLUMN_INDEX["content"]), "以后再补")
        w.shutdown()
    finally:
        pg_cluster.start_server()
    again = _open(qtbot, pg_url)
    again.ask_apply_pending = lambda text: False  # 以后再说
    told = []
    again.tell_at_close = told.append
    from desktop_app.ui.database_flows import offer_pending

    assert offer_pending(again) == 0
    assert again.ctx.ledgers.get_task(task.id).content == task.content
    assert _kept_file(data_home)  # still there for the next open
    again.shutdown()
    assert told == ["有 1 项修改尚未保存到服务器，已暂存在本机，下次打开时补存。"]


def test_a_kept_progress_entry_and_cell_of_a_ledger_not_shown_are_saved_at_the_next_open(
    qtbot, pg_url, pg_cluster, data_home
) -> None:
    """Closed while down with a new progress entry and a cell kept; next time another ledger is shown:
    补存 records the entry (as typed then: text, 填报人, time) and the cell, in the ledger they belong to."""
    w = _open(qtbot, pg_url)
    w.imported(w.ctx.imports.import_file(DATA / "city-2023.docx"))
    city_id = w.current_ledger().id
    task = w.current_ledger().all_tasks()[3]
    w.ctx.settings.update({"contact_person": "王五", "person_asked": "1"})
    w.task_view.select_task(task.id)
    w.tell_at_close = lambda text: None
    pg_cluster.stop_server()
    try:
        w.progress_editor.text.setPlainText("关闭前记入的进展")
        w.progress_editor.add_entry()
        w.model.setData(w.model.index(w.model.row_of_task(task.id), COLUMN_INDEX["indicator"]), "关闭前的指标")
        (entry,) = [k for k in w.actions_.pending if k.kind == "entry"]
        typed_at = entry.entry["at"]
        w.shutdown()
    finally:
        pg_cluster.start_server()
    other = w.ctx.__class__.open(pg_url)
    try:
        other_id = other.ledgers.create_ledger("另一本台账", 2024).id
    finally:
        other.close()
    again = _open(qtbot, pg_url)
    again.ask_apply_pending = lambda text: True
    again.tell_at_close = lambda text: None
    try:
        again.open_ledger(other_id)
        assert again.current_ledger().id == other_id and again.model.task(task.id) is None
        from desktop_app.ui.database_flows import offer_pending

        assert offer_pending(again) == 2
        stored = again.ctx.ledgers.get_task(task.id)
        assert (stored.ledger_id, stored.indicator, stored.progress) == (city_id, "关闭前的指标", "关闭前记入的进展")
        (recorded,) = [e for e in again.ctx.progress.history(task.id) if e.text == "关闭前记入的进展"]
        assert recorded.author == "王五" and recorded.created_at.isoformat() == typed_at
        assert not _kept_file(data_home)
        assert again.model.task(task.id) is None  # the table shown is still the other ledger, as it was
    finally:
        again.shutdown()
