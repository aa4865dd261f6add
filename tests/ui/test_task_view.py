"""The task view: column chooser, spanned section rows, fixed row heights, selection by task id."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop_app.ui.models.task_table_model import COLUMN_INDEX, COLUMNS


def test_column_chooser_hides_and_shows(city):
    view = city.task_view
    actions = view.column_actions(view)
    assert [a.text() for a in actions] == [c.header for c in COLUMNS]
    actions[COLUMN_INDEX["indicator"]].setChecked(False)
    assert view.horizontalHeader().isSectionHidden(COLUMN_INDEX["indicator"])
    actions[COLUMN_INDEX["indicator"]].setChecked(True)
    assert not view.horizontalHeader().isSectionHidden(COLUMN_INDEX["indicator"])


def test_cannot_hide_the_last_column(city):
    view = city.task_view
    for i in range(len(COLUMNS)):
        view.set_column_visible(i, False)
    header = view.horizontalHeader()
    assert header.count() - header.hiddenSectionCount() == 1


def test_section_rows_span_the_table(city):
    view = city.task_view
    section_rows = list(city.model.section_rows())
    assert len(section_rows) == 4
    assert view.columnSpan(section_rows[0], 0) == len(COLUMNS)
    city.filter_bar.search.setText("回头看")
    assert view.columnSpan(next(iter(city.model.section_rows())), 0) == len(COLUMNS)


def test_rows_keep_one_height(city):
    view = city.task_view
    heights = {view.rowHeight(r) for r in range(city.model.rowCount())}
    assert len(heights) == 1  # never resizeRowsToContents: long text is in the tooltip and detail pane


def test_select_task_and_reset_sort(city):
    view = city.task_view
    task = city.model.tasks()[20]
    assert view.select_task(task.id)
    assert view.current_task_id() == task.id
    assert view.selected_task_ids() == [task.id]
    view.horizontalHeader().setSortIndicator(COLUMN_INDEX["deadline"], Qt.AscendingOrder)
    assert city.model.sort_state()[0] == COLUMN_INDEX["deadline"]
    assert view.current_task_id() == task.id  # the selection follows the task
    view.reset_sort()
    assert city.model.sort_state()[0] == -1


def test_an_open_cell_editor_is_saved_on_close(city, qtbot):
    city.show()
    city.activateWindow()
    qtbot.waitUntil(lambda: city.isActiveWindow())
    task = next(t for t in city.model.tasks() if t.number == "12")
    index = city.model.index(city.model.row_of_task(task.id), COLUMN_INDEX["deadline"])
    city.task_view.setCurrentIndex(index)
    city.task_view.edit(index)
    editor = city.focusWidget()
    editor.setText("10月底")
    city.close()
    assert city.ctx.ledgers.get_task(task.id).deadline.text == "10月底"
