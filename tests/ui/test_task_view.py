"""The task view: column chooser, spanned section rows, fixed row heights, selection by task id."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

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


def _wide_ledger(n: int = 30):
    from desktop_app.domain.model import Ledger, Section, Task

    tasks = [
        Task(id=i, number=str(i), key_work="重点工作", content=f"主要内容第{i}项", indicator="指标",
             units_text="市财政局", progress="已推进")
        for i in range(1, n + 1)
    ]
    return Ledger(id=1, title="台账", sections=[Section(id=1, title="一、板块", tasks=tasks)])


def test_number_and_task_stay_frozen_while_scrolling_sideways(qtbot):
    from desktop_app.ui.models.task_table_model import TaskTableModel
    from desktop_app.ui.widgets.task_view import TaskView

    model = TaskTableModel(_status)
    view = TaskView(model)
    qtbot.addWidget(view)
    model.set_ledger(_wide_ledger())
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    header = view.horizontalHeader()
    assert not view.user_sized  # the fitted layout, 序号 … 主要内容 in the left half
    header.resizeSection(COLUMN_INDEX["progress"], 600)  # wider than the view: something to scroll
    frozen = view.frozen
    assert frozen.isVisible()
    assert COLUMN_INDEX["number"] in view.frozen_columns and COLUMN_INDEX["content"] in view.frozen_columns
    assert COLUMN_INDEX["status"] not in view.frozen_columns
    assert all(frozen.isColumnHidden(i) != (i in view.frozen_columns) for i in range(len(COLUMNS)))
    assert frozen.width() == view.frozen_width()
    # scroll to the right end: the frozen columns still show 序号 and 主要内容 at the left edge
    bar = view.horizontalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    assert frozen.horizontalScrollBar().value() == 0
    x_number = frozen.columnViewportPosition(COLUMN_INDEX["number"])
    assert x_number == 0
    # the main view's 序号 scrolled away under the overlay
    assert view.columnViewportPosition(COLUMN_INDEX["number"]) < 0
    # rows scroll together and keep one height
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0)
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    assert frozen.verticalScrollBar().value() > 0
    assert frozen.verticalScrollBar().value() == view.verticalScrollBar().value()
    assert frozen.rowHeight(3) == view.rowHeight(3)
    # a click in the frozen part selects that cell in the whole table (one selection); on 序号 the row
    view.verticalScrollBar().setValue(0)
    rect = frozen.visualRect(model.index(5, COLUMN_INDEX["content"]))
    QTest.mouseClick(frozen.viewport(), Qt.LeftButton, Qt.NoModifier, rect.center())
    assert view.current_task_id() == model.task_id_at(5)
    assert view.selectionModel().isSelected(model.index(5, COLUMN_INDEX["content"]))
    assert view.selected_task_ids() == [model.task_id_at(5)]
    rect = frozen.visualRect(model.index(5, COLUMN_INDEX["number"]))
    QTest.mouseClick(frozen.viewport(), Qt.LeftButton, Qt.NoModifier, rect.center())
    assert view.selectionModel().isRowSelected(5)
    # a cell right of the frozen part, reached by the keyboard, is scrolled out from under it
    bar.setValue(bar.maximum())
    view.scrollTo(model.index(5, COLUMN_INDEX["indicator"]))
    left = view.visualRect(model.index(5, COLUMN_INDEX["indicator"])).left()
    assert left >= view.frozen_width()
    # a click on a frozen header sorts like the main header
    fh = frozen.horizontalHeader()
    QTest.mouseClick(fh.viewport(), Qt.LeftButton, Qt.NoModifier, QPoint(fh.sectionViewportPosition(0) + 5, 5))
    assert model.sort_state()[0] == COLUMN_INDEX["number"]


def test_frozen_part_never_takes_the_whole_view(qtbot):
    from desktop_app.ui.models.task_table_model import TaskTableModel
    from desktop_app.ui.widgets.task_view import TaskView

    model = TaskTableModel(_status)
    view = TaskView(model)
    qtbot.addWidget(view)
    model.set_ledger(_wide_ledger(3))
    view.resize(500, 300)
    view.show()
    qtbot.waitExposed(view)
    view.horizontalHeader().resizeSection(COLUMN_INDEX["content"], 900)
    assert view.frozen_width() <= view.viewport().width() // 2
    assert COLUMN_INDEX["content"] not in view.frozen_columns


def test_column_widths_and_rows_follow_the_font_scale(city, qtbot):
    view = city.task_view
    header = view.horizontalHeader()
    header.resizeSection(COLUMN_INDEX["content"], 300)  # the user's own layout
    assert view.user_sized
    row = view.rowHeight(1)
    city.apply_font_scale(200)
    assert header.sectionSize(COLUMN_INDEX["content"]) == 600
    assert view.rowHeight(1) > row * 1.5
    assert view.frozen.rowHeight(1) == view.rowHeight(1)
    assert view.frozen.columnWidth(COLUMN_INDEX["number"]) == header.sectionSize(COLUMN_INDEX["number"])
    city.apply_font_scale(150)
    assert header.sectionSize(COLUMN_INDEX["content"]) == 450
    # saved at 150 %: the next start at 100 % shows them at their 100 % widths
    city.save_state()
    assert int(city.qsettings.value("ui/taskHeaderScale")) == 150
