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


def _status(task):
    from datetime import date

    from desktop_app.domain.status import StatusRules, compute_status

    return compute_status(task, date(2023, 7, 1), StatusRules())


def test_a_column_the_ledger_never_had_starts_hidden(qtbot):
    from desktop_app.domain.model import Ledger, Section, Task
    from desktop_app.ui.models.task_table_model import COLUMN_INDEX, TaskTableModel
    from desktop_app.ui.widgets.task_view import TaskView

    model = TaskTableModel(_status)
    view = TaskView(model)
    qtbot.addWidget(view)
    bare = Ledger(id=1, title="无责任单位", sections=[Section(id=1, tasks=[Task(id=1, content="公开预算")])])
    model.set_ledger(bare)
    header = view.horizontalHeader()
    units = COLUMN_INDEX["units"]
    assert header.isSectionHidden(units)
    assert not header.isSectionHidden(COLUMN_INDEX["status"])
    # saved as shown: another ledger, or the next start, still shows it where it has data
    state = view.header_state()
    assert header.isSectionHidden(units)
    full = Ledger(
        id=2, title="有", sections=[Section(id=2, tasks=[Task(id=2, content="公开", units_text="市财政局")])]
    )
    model.set_ledger(full)
    assert not header.isSectionHidden(units)
    model.set_ledger(bare)
    assert view.restore_header(state)
    assert header.isSectionHidden(units)
    # a column the user hides stays hidden whatever the ledger
    model.set_ledger(full)
    view.set_column_visible(units, False)
    model.set_ledger(bare)
    model.set_ledger(full)
    assert header.isSectionHidden(units)


def test_working_columns_fit_a_laptop_view(qtbot):
    from desktop_app.domain.model import Ledger, Section, Task
    from desktop_app.ui.models.task_table_model import COLUMN_INDEX, TaskTableModel
    from desktop_app.ui.widgets.task_view import TaskView

    model = TaskTableModel(_status)
    view = TaskView(model)
    qtbot.addWidget(view)
    task = Task(id=1, key_work="重点", content="内容", indicator="指标", units_text="市财政局")
    model.set_ledger(Ledger(id=1, title="台账", sections=[Section(id=1, tasks=[task])]))
    view.resize(760, 500)
    view.show()
    qtbot.waitExposed(view)
    view.fit_widths(force=True)
    header = view.horizontalHeader()
    right = max(header.sectionPosition(i) + header.sectionSize(i) for i in range(header.count()))
    assert right <= view.viewport().width()
    for key in ("status", "percent", "progress"):
        i = COLUMN_INDEX[key]
        assert header.sectionPosition(i) + header.sectionSize(i) <= view.viewport().width()
    # once the user sizes a column, the layout is theirs
    header.resizeSection(COLUMN_INDEX["content"], 400)
    view.resize(700, 500)
    assert header.sectionSize(COLUMN_INDEX["content"]) == 400
