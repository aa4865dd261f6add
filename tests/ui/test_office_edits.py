"""Working as Excel taught people, in the city window: copy cells out (text + HTML table), paste a
column from Excel over several rows (checked, one undo step), bulk edit, find and replace, and the
status/percent questions."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from desktop_app.domain.model import TaskStatus
from desktop_app.ui.models.task_table_model import COLUMN_INDEX


def _select_rows(w, rows: list[int], column: str) -> None:
    """Click the first row's cell in `column`, Ctrl+click the others (as the user does)."""
    view = w.task_view
    col = COLUMN_INDEX[column]
    view.setCurrentIndex(w.model.index(rows[0], col))
    selection = QItemSelection()
    for r in rows:
        selection.select(w.model.index(r, 0), w.model.index(r, w.model.columnCount() - 1))
    view.selectionModel().select(selection, QItemSelectionModel.ClearAndSelect)


def _task_rows(w, n: int, start: int = 0) -> list[int]:
    rows = [r for r in range(w.model.rowCount()) if not w.model.is_section_row(r)]
    return rows[start : start + n]


def test_ctrl_c_puts_the_selected_cells_as_text_and_html_table(city, qtbot):
    city.show()
    qtbot.waitExposed(city)
    rows = _task_rows(city, 3)
    _select_rows(city, rows, "content")
    city.task_view.setFocus()
    QTest.keyClick(city.task_view, Qt.Key_C, Qt.ControlModifier)
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.hasText() and mime.hasHtml()
    lines = mime.text().rstrip("\n").split("\n")
    header = lines[0].split("\t")
    assert header[:3] == ["序号", "重点工作", "主要内容"] and "状态" in header and "进展落实情况" in header
    assert len(lines) == 4  # the header and three rows
    first = city.model.task(city.model.task_id_at(rows[0]))
    cells = lines[1].split("\t")
    assert cells[0] == first.number and len(cells) == len(header)
    assert first.content[:20] in lines[1]
    html = mime.html()
    assert html.count("<tr>") == 4 and "<table" in html and first.content[:20] in html
    assert "已复制 3 行" in city.statusBar().currentMessage()


def test_ctrl_c_on_a_block_of_cells_copies_just_those_cells(city, qtbot):
    """A drag from 状态 of the first task to 进展落实情况 of the third (Shift+click, as in Excel): the
    clipboard holds those 3 × 3 cells, as text and as an HTML table, and no header row."""
    city.show()
    qtbot.waitExposed(city)
    rows = _task_rows(city, 3)
    view = city.task_view
    view.horizontalScrollBar().setValue(0)
    first = city.model.index(rows[0], COLUMN_INDEX["status"])
    last = city.model.index(rows[2], COLUMN_INDEX["progress"])
    ids = [city.model.task_id_at(r) for r in rows]
    city.actions_.edit(ids[1], "progress", "第二项\t进展")  # a tab inside a cell stays one cell
    for rect, mod in ((view.visualRect(first), Qt.NoModifier), (view.visualRect(last), Qt.ShiftModifier)):
        QTest.mouseClick(view.viewport(), Qt.LeftButton, mod, rect.center())
    assert view.selected_rows() == rows
    assert view.selected_task_ids() == ids
    QTest.keyClick(view, Qt.Key_C, Qt.ControlModifier)
    mime = QGuiApplication.clipboard().mimeData()
    from desktop_app.ui.table_clipboard import parse_tsv

    grid = parse_tsv(mime.text())
    shown = [[city.model.index(r, COLUMN_INDEX[k]).data() for k in ("status", "percent")] for r in rows]
    assert grid == [[*cells, city.model.task(i).progress] for cells, i in zip(shown, ids, strict=True)]
    assert grid[1][2] == "第二项\t进展"
    assert len(grid) == 3 and all(len(row) == 3 for row in grid)
    assert "序号" not in mime.text() and "状态" not in grid[0]
    html = mime.html()
    assert html.count("<tr>") == 3 and html.count("<td>") == 9
    assert "已复制 3 行 × 3 列" in city.statusBar().currentMessage()


def test_a_click_on_the_number_selects_the_row(city, qtbot):
    """序号 is the row's header, as Excel's row numbers: a click there selects the whole row, and
    Shift+Space does too; a click elsewhere selects one cell."""
    city.show()
    qtbot.waitExposed(city)
    row = _task_rows(city, 1, start=2)[0]
    view = city.task_view
    view.horizontalScrollBar().setValue(0)
    number = city.model.index(row, COLUMN_INDEX["number"])
    frozen = view.frozen
    assert frozen.isVisible()
    QTest.mouseClick(frozen.viewport(), Qt.LeftButton, Qt.NoModifier, frozen.visualRect(number).center())
    selected = {(i.row(), i.column()) for i in view.selectionModel().selectedIndexes()}
    assert selected == {(row, c) for c in range(city.model.columnCount())}
    status = city.model.index(row, COLUMN_INDEX["status"])
    QTest.mouseClick(view.viewport(), Qt.LeftButton, Qt.NoModifier, view.visualRect(status).center())
    assert [(i.row(), i.column()) for i in view.selectionModel().selectedIndexes()] == [(row, status.column())]
    QTest.keyClick(view, Qt.Key_Space, Qt.ShiftModifier)
    assert len(view.selectionModel().selectedIndexes()) == city.model.columnCount()
    QTest.keyClick(view, Qt.Key_C, Qt.ControlModifier)  # a whole row: copied with its header row
    assert QGuiApplication.clipboard().text().startswith("序号\t")


def test_paste_a_column_of_progress_status_and_percent_from_excel(city, qtbot):
    """Three rows × three columns copied in Excel (状态, 进度, 进展落实情况 side by side in the sheet
    as in the table) pasted at the first row's 状态: every cell written, one undo step undoes all."""
    rows = _task_rows(city, 3)
    ids = [city.model.task_id_at(r) for r in rows]
    _select_rows(city, rows[:1], "status")
    clip = "推进中\t40%\t已梳理政策文件\n已完成\t100\t已全部公开\n未开始\t0\t\"两行\n进展\"\n"
    depth = city.undo_stack.count()
    # 6 cells change: 已完成 sets 100 % itself, and 未开始 / 0 % of the third row are what it has
    assert city.office.paste(clip) == 6
    tasks = [city.ctx.ledgers.get_task(i) for i in ids]
    assert [(t.status, t.percent, t.progress) for t in tasks] == [
        (TaskStatus.IN_PROGRESS, 40, "已梳理政策文件"),
        (TaskStatus.DONE, 100, "已全部公开"),
        (TaskStatus.NOT_STARTED, 0, "两行\n进展"),
    ]
    assert city.undo_stack.count() == depth + 1
    assert "粘贴" in city.undo_stack.undoText()
    city.undo_stack.undo()
    tasks = [city.ctx.ledgers.get_task(i) for i in ids]
    assert [(t.status, t.percent, t.progress) for t in tasks] == [(TaskStatus.NOT_STARTED, 0, "")] * 3
    assert not getattr(city, "errors", [])


def test_one_pasted_value_fills_every_selected_row_and_bad_cells_are_refused(city):
    rows = _task_rows(city, 4)
    ids = [city.model.task_id_at(r) for r in rows]
    _select_rows(city, rows, "percent")
    assert city.office.paste("60%\n") == 4
    assert [city.ctx.ledgers.get_task(i).percent for i in ids] == [60] * 4
    # a column with a word that is no status and a percent over 100: the good cells go in, the bad
    # ones are named in one sentence, nothing of them is written
    _select_rows(city, rows[:1], "status")
    depth = city.undo_stack.count()
    assert city.office.paste("推进中\n差不多了\n已完成\n") == 2
    assert city.undo_stack.count() == depth + 1
    assert city.ctx.ledgers.get_task(ids[1]).status == TaskStatus.NOT_STARTED
    message = city.errors[-1]
    assert "1 个单元格未粘贴" in message and "差不多了" in message and "\n" not in message
    _select_rows(city, rows[:1], "percent")
    assert city.office.paste("150\n") == 0
    assert "不是 0–100 的进度" in city.errors[-1]
    assert city.ctx.ledgers.get_task(ids[0]).percent == 60


def test_ctrl_v_in_the_table_pastes_and_in_a_cell_editor_stays_the_editors(city, qtbot):
    city.show()
    qtbot.waitExposed(city)
    rows = _task_rows(city, 2)
    ids = [city.model.task_id_at(r) for r in rows]
    _select_rows(city, rows, "progress")
    QGuiApplication.clipboard().setText("按季度公开\n")
    city.task_view.setFocus()
    QTest.keyClick(city.task_view, Qt.Key_V, Qt.ControlModifier)
    assert [city.ctx.ledgers.get_task(i).progress for i in ids] == ["按季度公开"] * 2


def test_bulk_edit_sets_status_unit_deadline_and_percent_in_one_step(city, monkeypatch):
    from desktop_app.ui.dialogs.bulk_edit_dialog import BulkEditDialog

    rows = _task_rows(city, 5, start=2)
    ids = [city.model.task_id_at(r) for r in rows]
    _select_rows(city, rows, "content")
    seen = {}

    def fill(dialog: BulkEditDialog) -> bool:
        seen["title"] = dialog.layout().itemAt(0).widget().text()
        assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
        dialog.status.setCurrentIndex(dialog.status.findData(TaskStatus.IN_PROGRESS.value))
        dialog.unit.setCurrentText("市自然资源局")
        dialog.deadline.setText("12月底")
        dialog.deadline.textEdited.emit("12月底")
        dialog.percent.setValue(30)
        dialog.accept()
        return dialog.result() == dialog.DialogCode.Accepted

    monkeypatch.setattr(city, "run_dialog", fill)
    depth = city.undo_stack.count()
    city.acts.bulk_edit.trigger()
    assert "5 项任务" in seen["title"]
    tasks = [city.ctx.ledgers.get_task(i) for i in ids]
    assert {(t.status, t.units_text, t.deadline.text, t.percent) for t in tasks} == {
        (TaskStatus.IN_PROGRESS, "市自然资源局", "12月底", 30)
    }
    assert city.undo_stack.count() == depth + 1
    city.undo_stack.undo()
    assert all(city.ctx.ledgers.get_task(i).percent == 0 for i in ids)
    assert all(city.ctx.ledgers.get_task(i).units_text != "市自然资源局" for i in ids)


def test_bulk_edit_refuses_an_empty_unit(city, qtbot):
    from desktop_app.ui.dialogs.bulk_edit_dialog import BulkEditDialog

    dialog = BulkEditDialog(3, ["市财政局"])
    qtbot.addWidget(dialog)
    dialog.checks["units_text"].setChecked(True)
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted and "责任单位" in dialog.error.text()
    dialog.checks["units_text"].setChecked(False)
    dialog.checks["percent"].setChecked(True)
    assert dialog.values() == {"percent": 0}


def test_find_counts_steps_and_replace_all_is_one_undo_step(city, monkeypatch):
    from desktop_app.ui.dialogs.find_replace_dialog import FindReplaceDialog

    tasks = city.model.tasks()
    expected = sum(
        (t.content.count("银川市") + t.units_text.count("银川市") + t.key_work.count("银川市")
         + t.indicator.count("银川市") + (t.item or "").count("银川市") + t.progress.count("银川市")
         + t.remarks.count("银川市") + t.cooperating_text.count("银川市") + t.number.count("银川市")
         + t.deadline.text.count("银川市"))
        for t in tasks
    )
    assert expected > 3
    result = {}

    def drive(dialog: FindReplaceDialog) -> bool:
        assert dialog.replace_edit.isVisibleTo(dialog)  # Ctrl+H: the replace part shows
        dialog.find_edit.setText("银川市")
        result["count"] = dialog.count_label.text()
        dialog.step(1)
        result["first"] = city.task_view.current_task_id()
        dialog.step(1)
        dialog.step(-1)
        result["back"] = city.task_view.current_task_id()
        dialog.step(-1)  # wraps round to the last match
        result["last"] = city.task_view.current_task_id()
        dialog.replace_edit.setText("某市")
        dialog.replace_all()
        result["after"] = dialog.count_label.text()
        dialog.reject()
        return False

    monkeypatch.setattr(city, "run_dialog", drive)
    depth = city.undo_stack.count()
    city.acts.replace.trigger()
    assert result["count"].startswith(f"共 {expected} 处")
    first_match = next(t.id for t in tasks if "银川市" in " ".join((t.number, t.key_work, t.item or "", t.content)))
    assert result["first"] == result["back"] == first_match
    assert result["last"] != result["first"]
    assert result["after"] == "未找到"
    assert not any("银川市" in t.content for t in city.model.tasks())
    assert city.undo_stack.count() == depth + 1
    city.undo_stack.undo()
    assert sum(t.content.count("银川市") for t in city.model.tasks()) == sum(t.content.count("银川市") for t in tasks)


def test_replace_one_changes_only_the_match_shown(city, monkeypatch):
    target = next(t for t in city.model.tasks() if "政府网站" in t.content)
    others = {t.id: t.content for t in city.model.tasks() if t.id != target.id}

    def drive(dialog) -> bool:  # noqa: ANN001
        dialog.find_edit.setText(target.content[:12])
        dialog.replace_edit.setText("XX")
        dialog.replace_one()
        dialog.reject()
        return False

    monkeypatch.setattr(city, "run_dialog", drive)
    city.acts.replace.trigger()
    assert city.ctx.ledgers.get_task(target.id).content == "XX" + target.content[12:]
    assert {t.id: t.content for t in city.model.tasks() if t.id != target.id} == others


def test_done_at_60_percent_asks_to_set_100_or_keep_in_progress(city, monkeypatch):
    task = city.model.tasks()[4]
    row = city.model.row_of_task(task.id)
    city.model.setData(city.model.index(row, COLUMN_INDEX["percent"]), 60)
    asked = []
    monkeypatch.setattr(city, "ask_done_percent", lambda t: asked.append(t.percent) or "keep")
    city.model.setData(city.model.index(row, COLUMN_INDEX["status"]), TaskStatus.DONE.value)
    stored = city.ctx.ledgers.get_task(task.id)
    assert asked == [60] and (stored.status, stored.percent) == (TaskStatus.IN_PROGRESS, 60)
    monkeypatch.setattr(city, "ask_done_percent", lambda t: None)  # 取消: nothing changes
    city.model.setData(city.model.index(row, COLUMN_INDEX["status"]), TaskStatus.DONE.value)
    assert city.ctx.ledgers.get_task(task.id).status == TaskStatus.IN_PROGRESS
    monkeypatch.setattr(city, "ask_done_percent", lambda t: "full")
    depth = city.undo_stack.count()
    city.model.setData(city.model.index(row, COLUMN_INDEX["status"]), TaskStatus.DONE.value)
    stored = city.ctx.ledgers.get_task(task.id)
    assert (stored.status, stored.percent) == (TaskStatus.DONE, 100)
    assert city.undo_stack.count() == depth + 1


def test_percent_100_asks_about_done(city, monkeypatch):
    task = city.model.tasks()[5]
    row = city.model.row_of_task(task.id)
    answers = iter([False, True])
    monkeypatch.setattr(city, "ask_done_at_full", lambda t: next(answers))
    city.model.setData(city.model.index(row, COLUMN_INDEX["percent"]), 100)
    stored = city.ctx.ledgers.get_task(task.id)
    assert (stored.status, stored.percent) == (TaskStatus.NOT_STARTED, 100)
    city.model.setData(city.model.index(row, COLUMN_INDEX["percent"]), 90)
    city.model.setData(city.model.index(row, COLUMN_INDEX["percent"]), 100)
    stored = city.ctx.ledgers.get_task(task.id)
    assert (stored.status, stored.percent) == (TaskStatus.DONE, 100)
    city.undo_stack.undo()  # one step: percent and status back together
    stored = city.ctx.ledgers.get_task(task.id)
    assert (stored.status, stored.percent) == (TaskStatus.NOT_STARTED, 90)
