"""TaskTableModel on plain domain objects: sorting and filtering in the model, status colours."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt

from desktop_app.domain.model import (
    Deadline,
    DeadlineKind,
    Ledger,
    Section,
    Task,
    TaskStatus,
    UnitAssignment,
    UnitRole,
)
from desktop_app.domain.status import DisplayStatus, StatusRules, compute_status
from desktop_app.ui import status_style
from desktop_app.ui.models.roles import IS_SECTION_ROLE, TASK_ID_ROLE
from desktop_app.ui.models.task_table_model import COLUMN_INDEX, STALE_FILTER, FilterSpec, TaskTableModel

TODAY = date(2023, 7, 1)


def _task(tid: int, number: str, content: str, due: date | None = None, **kw) -> Task:
    deadline = Deadline(
        text=f"{due.month}月{due.day}日" if due else "长期坚持",
        kind=DeadlineKind.DATE if due else DeadlineKind.ONGOING,
        due_date=due,
    )
    return Task(
        id=tid, number=number, content=content, deadline=deadline, section_id=kw.pop("section_id", 1), **kw
    )


def _ledger() -> Ledger:
    s1 = Section(
        id=1,
        title="一、公开",
        tasks=[
            _task(
                1,
                "1",
                "发布政策文件",
                date(2023, 6, 30),
                key_work="政策",
                units_text="市财政局牵头",
                units=[UnitAssignment("市财政局", UnitRole.LEAD)],
            ),
            _task(
                2,
                "2",
                "解读政策 第二项",
                date(2023, 7, 5),
                key_work="政策",
                units_text="市教育局负责",
                units=[UnitAssignment("市教育局", UnitRole.RESPONSIBLE)],
            ),
            _task(
                3,
                "10",
                "回应关切",
                date(2023, 7, 20),
                key_work="回应",
                units=[UnitAssignment("市教育局", UnitRole.COOPERATING)],
            ),
        ],
    )
    s2 = Section(
        id=2,
        title="二、平台",
        tasks=[
            _task(
                4,
                "11",
                "网站建设",
                None,
                section_id=2,
                progress="已完成改版",
                status=TaskStatus.DONE,
                percent=100,
                progress_updated_at=datetime(2023, 6, 1),
            ),
            _task(5, "3", "政务新媒体", date(2023, 12, 31), section_id=2),
        ],
    )
    return Ledger(id=1, title="测试台账", year=2023, sections=[s1, s2])


@pytest.fixture
def model(qapp):
    m = TaskTableModel(lambda t: compute_status(t, TODAY, StatusRules()))
    m.set_ledger(_ledger())
    return m


def _ids(model: TaskTableModel) -> list[int | None]:
    return [model.index(r, 0).data(TASK_ID_ROLE) for r in range(model.rowCount())]


def test_passes_the_model_tester(qtmodeltester, model):
    qtmodeltester.check(model)
    model.set_filter(FilterSpec(text="政策"))
    qtmodeltester.check(model)
    model.sort(COLUMN_INDEX["deadline"], Qt.DescendingOrder)
    qtmodeltester.check(model)


def test_section_rows_then_tasks_in_ledger_order(model):
    assert _ids(model) == [None, 1, 2, 3, None, 4, 5]
    assert model.index(0, 0).data(IS_SECTION_ROLE) is True
    assert "一、公开" in model.index(0, 0).data()
    # a repeated key work shows as a ditto mark, like the merged cell in Word
    assert model.index(2, COLUMN_INDEX["key_work"]).data() == "〃"
    assert model.index(2, COLUMN_INDEX["key_work"]).data(Qt.EditRole) == "政策"


def test_sort_inside_sections_by_precomputed_keys(model):
    model.sort(COLUMN_INDEX["number"], Qt.AscendingOrder)
    assert _ids(model) == [None, 1, 2, 3, None, 5, 4]  # 3 before 11: natural order
    model.sort(COLUMN_INDEX["deadline"], Qt.DescendingOrder)
    assert _ids(model) == [None, 3, 2, 1, None, 4, 5]  # reversed: no date (长期坚持) first
    model.sort(COLUMN_INDEX["status"], Qt.AscendingOrder)
    assert _ids(model)[1] == 1  # overdue first
    model.sort(-1)
    assert _ids(model) == [None, 1, 2, 3, None, 4, 5]


def test_text_filter_and_counts(model):
    model.set_filter(FilterSpec(text="政策"))
    assert _ids(model) == [None, 1, 2]
    assert model.count_text() == "共 5 项，显示 2 项"
    model.set_filter(FilterSpec(text="政策 第二"))  # every word must match
    assert _ids(model) == [None, 2]
    assert model.search_terms() == ["政策", "第二"]
    model.set_filter(FilterSpec(text="已完成改版"))  # progress text is searched too
    assert _ids(model) == [None, 4]


def test_status_unit_and_due_filters(model):
    model.set_filter(FilterSpec(statuses=frozenset({"OVERDUE"})))
    assert _ids(model) == [None, 1]
    model.set_filter(FilterSpec(unit="市教育局"))
    assert _ids(model) == [None, 2, 3]
    model.set_filter(FilterSpec(unit="市教育局", unit_role=UnitRole.COOPERATING))
    assert _ids(model) == [None, 3]
    model.set_filter(FilterSpec(my_unit="财政局"))
    assert _ids(model) == [None, 1]
    model.set_filter(FilterSpec(due_within=7))  # overdue counts as due
    assert _ids(model) == [None, 1, 2]
    model.set_filter(FilterSpec(statuses=frozenset({STALE_FILTER})))
    assert _ids(model) == []


def test_status_colour_text_and_icon(model):
    idx = model.index(1, COLUMN_INDEX["status"])
    assert idx.data(Qt.BackgroundRole) == status_style.status_color(DisplayStatus.OVERDUE)
    assert idx.data().startswith("已逾期")  # never colour alone: the text says it
    assert not idx.data(Qt.DecorationRole).isNull()
    done = model.index(5, COLUMN_INDEX["status"])
    assert done.data() == "已完成"


def test_a_new_day_turns_rows_red(model):
    today = {"d": TODAY}
    model.set_status_function(lambda t: compute_status(t, today["d"], StatusRules()))
    row = model.row_of_task(2)
    assert model.index(row, COLUMN_INDEX["status"]).data().startswith("临期")
    today["d"] = date(2023, 7, 6)
    model.recompute_statuses()
    assert model.index(row, COLUMN_INDEX["status"]).data().startswith("已逾期")
    assert model.index(row, COLUMN_INDEX["status"]).data(Qt.BackgroundRole) == status_style.status_color(
        DisplayStatus.OVERDUE
    )


def test_set_data_goes_through_the_edit_handler(model):
    calls = []
    model.set_edit_handler(lambda tid, field, value: calls.append((tid, field, value)) or True)
    assert model.setData(model.index(1, COLUMN_INDEX["progress"]), "新进展")
    assert calls == [(1, "progress", "新进展")]
    assert not model.setData(model.index(0, COLUMN_INDEX["progress"]), "x")  # a section row
    assert not model.setData(model.index(1, COLUMN_INDEX["updated"]), "x")  # read only


def test_update_task_refreshes_the_row(model):
    task = model.task(2)
    task2 = Task(**{**task.__dict__, "status": TaskStatus.DONE})
    model.update_task(task2)
    assert model.index(model.row_of_task(2), COLUMN_INDEX["status"]).data() == "已完成"


def test_insert_remove_and_move_rows(model, qtmodeltester):
    qtmodeltester.check(model)
    new = _task(9, "9", "新任务", None, section_id=2)
    new.position = 0
    assert model.insert_task(new)
    assert _ids(model) == [None, 1, 2, 3, None, 9, 4, 5]
    moved = Task(**{**new.__dict__, "section_id": 1, "position": 1})
    assert model.move_task(moved)
    assert _ids(model) == [None, 1, 9, 2, 3, None, 4, 5]
    assert model.remove_task(9)
    assert _ids(model) == [None, 1, 2, 3, None, 4, 5]
    assert not model.remove_task(9)
    orphan = _task(10, "10", "x", None, section_id=99)
    assert not model.insert_task(orphan)  # unknown section: the caller reloads


# ---- big ledgers: statuses computed when a row needs one, search texts built in batches (issue 16)
def _big_ledger(n: int) -> Ledger:
    tasks = [
        _task(i, str(i), f"第{i}项任务", date(2023, 1 + i % 12, 28), key_work=f"重点{i // 10}")
        for i in range(1, n + 1)
    ]
    return Ledger(id=7, title="大台账", year=2023, sections=[Section(id=1, title="一、全部", tasks=tasks)])


def test_statuses_are_computed_only_for_the_rows_asked_for(qapp, qtmodeltester):
    asked: list[int] = []
    m = TaskTableModel(lambda t: asked.append(t.id) or compute_status(t, TODAY, StatusRules()))
    m.set_ledger(_big_ledger(500))
    assert m.computed_status_count() == 0 and asked == []  # opening computes none
    for row in range(1, 21):  # what a view paints: the first screenful
        m.index(row, COLUMN_INDEX["status"]).data()
    assert m.computed_status_count() == 20 and sorted(asked) == list(range(1, 21))
    # each one the same as the rule gives, and asked for once only
    assert m.index(3, COLUMN_INDEX["status"]).data() == m.index(3, COLUMN_INDEX["status"]).data()
    assert asked.count(3) == 1
    assert m.info(300) == compute_status(m.task(300), TODAY, StatusRules())
    assert m.computed_status_count() == 21
    assert m.info(9999) is None
    infos = m.infos()  # the dashboard and the reminder: all of them, once
    assert len(infos) == 500 and m.computed_status_count() == 500
    assert infos[77] == compute_status(m.task(77), TODAY, StatusRules())
    qtmodeltester.check(m)


def test_a_status_filter_or_sort_computes_what_it_needs(qapp, qtmodeltester):
    m = TaskTableModel(lambda t: compute_status(t, TODAY, StatusRules()))
    m.set_ledger(_big_ledger(120))
    m.set_filter(FilterSpec(statuses=frozenset({"OVERDUE"})))
    overdue = [tid for tid in m.visible_task_ids()]
    assert overdue and all(m.info(t).status == DisplayStatus.OVERDUE for t in overdue)
    assert len(overdue) == sum(
        1 for t in m.tasks() if compute_status(t, TODAY, StatusRules()).status == DisplayStatus.OVERDUE
    )
    m.set_filter(FilterSpec())
    m.sort(COLUMN_INDEX["status"], Qt.AscendingOrder)
    first = m.task_id_at(1)
    assert m.info(first).status == DisplayStatus.OVERDUE
    qtmodeltester.check(m)


def test_recomputed_statuses_follow_the_new_rule(qapp):
    rules = {"day": TODAY}
    m = TaskTableModel(lambda t: compute_status(t, rules["day"], StatusRules()))
    m.set_ledger(_big_ledger(30))
    row = m.row_of_task(8)  # due 2023-09-28
    before = m.index(row, COLUMN_INDEX["status"]).data()
    rules["day"] = date(2023, 10, 1)
    m.recompute_statuses()
    after = m.index(row, COLUMN_INDEX["status"]).data()
    assert before != after and after.startswith("已逾期")


def test_search_texts_are_built_in_batches(qapp, qtbot):
    m = TaskTableModel(lambda t: compute_status(t, TODAY, StatusRules()))
    m.set_ledger(_big_ledger(250))
    assert m.warm_up_batch(100) and len(m._hay) == 100
    assert m.warm_up_batch(100) and len(m._hay) == 200
    assert not m.warm_up_batch(100) and len(m._hay) == 250
    m.set_ledger(_big_ledger(40))  # a new ledger starts over
    m.start_warm_up()
    qtbot.waitUntil(lambda: len(m._hay) == 40)
    m.set_filter(FilterSpec(text="第17项"))
    assert m.visible_task_ids() == [17]


def test_rows_under_one_merged_number_read_21_1_to_21_4(qtmodeltester):
    """The city's form merges 序号 "21" over four rows; the window numbers them 21-1 … 21-4 (read as
    "21" on each row, or on the first row only with the same 重点工作 below) so the printed form and the
    screen match; a group the importer already numbered (5-1, 5-2) is left as it is."""
    repeated = [_task(10 + i, "21", f"第{i}行", None, key_work="依法公开") for i in range(4)]
    first_only = [_task(20, "22", "甲", None, key_work="平台")] + [
        _task(21 + i, "", f"乙{i}", None, key_work="平台") for i in range(2)
    ]
    numbered = [_task(30, "5-1", "丙", None, key_work="解读"), _task(31, "5-2", "丁", None, key_work="解读")]
    alone = [_task(40, "23", "单独一行", None, key_work="另一项")]
    ledger = Ledger(id=1, title="台账", sections=[Section(id=1, title="一", tasks=repeated + first_only + numbered + alone)])
    m = TaskTableModel(lambda t: compute_status(t, TODAY, StatusRules()))
    m.set_ledger(ledger)
    qtmodeltester.check(m)
    shown = [m.index(r, 0).data() for r in range(1, m.rowCount())]
    assert shown == ["21-1", "21-2", "21-3", "21-4", "22-1", "22-2", "22-3", "5-1", "5-2", "23"]
    assert m.index(2, 0).data(Qt.ToolTipRole) == "原表第 21 项（合并单元格，共 4 行）的第 2 行"
    # the number edited in the cell is the task's own, not the shown one
    assert m.index(1, 0).data(Qt.EditRole) == "21"
    # a row renumbered leaves the group: the others count again
    changed = _task(13, "24", "第3行", None, key_work="依法公开")
    m.update_task(changed)
    shown = [m.index(r, 0).data() for r in range(1, 5)]
    assert shown == ["21-1", "21-2", "21-3", "24"]



def test_the_21_1_numbers_hold_through_filters_and_follow_moves(qtmodeltester):
    """The 序号 groups are worked out once per ledger order (not at every keystroke): a filter or a
    sort leaves "21-3" on the third row of the group, even when the first rows are filtered out; a
    row moved, removed or added changes the groups."""
    repeated = [_task(10 + i, "21", f"第{i}行", None, key_work="依法公开") for i in range(4)]
    other = [_task(40, "23", "单独一行", None, key_work="另一项")]
    m = TaskTableModel(lambda t: compute_status(t, TODAY, StatusRules()))
    m.set_ledger(Ledger(id=1, title="台账", sections=[Section(id=1, title="一", tasks=repeated + other)]))
    qtmodeltester.check(m)

    def shown() -> list[str]:
        return [m.index(r, 0).data() for r in range(1, m.rowCount())]

    groups = m.number_places()
    m.set_filter(FilterSpec(text="第2行"))
    assert shown() == ["21-3"]
    assert m.number_places() is groups  # not worked out again for a filter
    m.set_filter(FilterSpec())
    m.sort(COLUMN_INDEX["content"], Qt.DescendingOrder)
    assert shown() == ["21-4", "21-3", "21-2", "21-1", "23"]
    m.sort(-1)
    m.remove_task(11)
    assert shown() == ["21-1", "21-2", "21-3", "23"]
    m.insert_task(_task(50, "21", "补的一行", None, key_work="依法公开", position=1))
    assert shown() == ["21-1", "21-2", "21-3", "21-4", "23"]
    moved = _task(50, "21", "补的一行", None, key_work="依法公开", position=4)
    m.move_task(moved)  # after 23: a group of its own no more
    assert shown() == ["21-1", "21-2", "21-3", "23", "21"]
    qtmodeltester.check(m)
def test_typing_on_gives_the_rows_a_fresh_filter_gives(qapp, qtmodeltester):
    def fresh(text: str, sort: int = -1, order=Qt.AscendingOrder) -> list[int | None]:
        m = TaskTableModel(lambda t: compute_status(t, TODAY, StatusRules()))
        m.set_ledger(_big_ledger(300))
        m.sort(sort, order)
        m.set_filter(FilterSpec(text=text))
        return _ids(m)

    typed = TaskTableModel(lambda t: compute_status(t, TODAY, StatusRules()))
    typed.set_ledger(_big_ledger(300))
    for text in ("1", "12", "12 重点1"):  # each keystroke narrows the last
        typed.set_filter(FilterSpec(text=text))
        assert _ids(typed) == fresh(text)
    typed.set_filter(FilterSpec(text="1"))  # backspace: a wider filter looks at every row again
    assert _ids(typed) == fresh("1")
    typed.sort(COLUMN_INDEX["deadline"], Qt.DescendingOrder)
    typed.set_filter(FilterSpec(text="12"))
    assert _ids(typed) == fresh("12", COLUMN_INDEX["deadline"], Qt.DescendingOrder)
    qtmodeltester.check(typed)


def test_sorting_keeps_ledger_order_among_equal_keys(qapp):
    m = TaskTableModel(lambda t: compute_status(t, TODAY, StatusRules()))
    ledger = _big_ledger(200)
    m.set_ledger(ledger)
    tasks = ledger.sections[0].tasks
    for order in (Qt.AscendingOrder, Qt.DescendingOrder):
        m.sort(COLUMN_INDEX["deadline"], order)
        expected = sorted(tasks, key=lambda t: t.deadline.due_date, reverse=order == Qt.DescendingOrder)
        assert m.visible_task_ids() == [t.id for t in expected]  # Python's stable sort: ties in ledger order
    m.sort(-1)
    assert m.visible_task_ids() == [t.id for t in tasks]


def test_ditto_marks_and_row_lookup_follow_the_rows_shown(qapp):
    m = TaskTableModel(lambda t: compute_status(t, TODAY, StatusRules()))
    m.set_ledger(_big_ledger(40))  # key work 重点0 for tasks 1-9, 重点1 for 10-19 ...
    kw = COLUMN_INDEX["key_work"]
    assert m.index(m.row_of_task(1), kw).data() == "重点0"
    assert m.index(m.row_of_task(2), kw).data() == "〃"
    assert m.index(m.row_of_task(10), kw).data() == "重点1"
    m.set_filter(FilterSpec(text="第2"))  # 2, 20-29: 20 now follows 2, a different key work
    assert m.visible_task_ids() == [2, *range(20, 30)]
    assert m.index(m.row_of_task(2), kw).data() == "重点0"
    assert m.index(m.row_of_task(20), kw).data() == "重点2"
    assert m.index(m.row_of_task(21), kw).data() == "〃"
    assert m.row_of_task(5) == -1
    m.set_filter(FilterSpec())
    assert m.index(m.row_of_task(2), kw).data() == "〃" and m.row_of_task(5) == 5
    new = _task(99, "99", "新任务", None, key_work="重点0", section_id=1)
    new.position = 1
    assert m.insert_task(new)
    assert m.row_of_task(99) == 2 and m.index(2, kw).data() == "〃" and m.row_of_task(2) == 3


def test_unit_names_for_the_filter_bar(qapp):
    m = TaskTableModel(lambda t: compute_status(t, TODAY, StatusRules()))
    tasks = [
        _task(1, "1", "a", units=[UnitAssignment("市财政局", UnitRole.LEAD), UnitAssignment("市教育局")]),
        _task(2, "2", "b", units=[UnitAssignment("市财政局")]),
        _task(3, "3", "c", units_text="各县（市）区人民政府"),  # no parsed units: the text as written
        _task(4, "4", "d"),
    ]
    m.set_ledger(Ledger(id=1, title="t", sections=[Section(id=1, title="一", tasks=tasks)]))
    assert m.unit_names() == sorted(["市财政局", "市教育局", "各县（市）区人民政府"])


def test_ditto_marks_follow_edits_of_key_work_under_a_filter(qtmodeltester):
    """〃 stands for "the same 重点工作 as the row above" among the rows shown: an edit that makes two
    rows alike, a task added with the same 重点工作, and one changed away all show at once."""
    tasks = [_task(1, "1", "甲 公开", None, key_work="解读"), _task(2, "2", "乙 公开", None, key_work="回应")]
    m = TaskTableModel(lambda t: compute_status(t, TODAY, StatusRules()))
    m.set_ledger(Ledger(id=1, title="台账", sections=[Section(id=1, title="一", tasks=tasks)]))
    m.set_filter(FilterSpec(text="公开"))

    def key_work() -> list[str]:
        return [m.index(r, COLUMN_INDEX["key_work"]).data() for r in range(1, m.rowCount())]

    assert key_work() == ["解读", "回应"]
    m.update_task(_task(2, "2", "乙 公开", None, key_work="解读"))
    assert key_work() == ["解读", "〃"]
    m.insert_task(_task(3, "3", "丙 公开", None, key_work="解读", position=2))
    assert key_work() == ["解读", "〃", "〃"]
    m.update_task(_task(2, "2", "乙 公开", None, key_work="新的"))
    assert key_work() == ["解读", "新的", "解读"]
    qtmodeltester.check(m)


def _mixed_ledger() -> Ledger:
    """Three sections, every column with repeated values (ties), some numbers not plain digits."""
    sections = []
    tid = 0
    for si in range(3):
        tasks = []
        for _j in range(40):
            tid += 1
            due = None if tid % 7 == 0 else date(2023, 1 + tid % 5, 10)
            tasks.append(
                _task(
                    tid,
                    f"{tid % 9}-{tid % 4}" if tid % 6 == 0 else str(tid % 13),
                    f"内容{tid % 11}" if tid % 3 else f"Content {tid % 4}",
                    due,
                    section_id=si + 1,
                    key_work=f"重点{tid % 5}",
                    indicator=f"指标{tid % 3}",
                    units_text=["市财政局", "市教育局", ""][tid % 3],
                    percent=(tid * 7) % 100 if tid % 4 else 0,
                    progress=f"进展{tid % 6}" if tid % 2 else "",
                    progress_updated_at=datetime(2023, 6, 1 + tid % 20) if tid % 5 else None,
                )
            )
        sections.append(Section(id=si + 1, title=f"第{si + 1}节", tasks=tasks))
    return Ledger(id=9, title="混合台账", year=2023, sections=sections)


def _reference_order(m: TaskTableModel, column: int, descending: bool, ids: list[int]) -> list[int]:
    """What sorting one section's rows gives: Python's stable sort of each task's key (ties in ledger order)."""
    from desktop_app.domain.status import display_percent
    from desktop_app.ui.models.task_table_model import COLUMNS, _natural_key

    key = COLUMNS[column].key

    def of(tid: int):  # noqa: ANN202
        t = m.task(tid)
        if key == "number":
            return _natural_key(t.number)
        if key == "deadline":
            due = t.deadline.due_date
            return (0, due.toordinal(), t.deadline.text) if due else (1 if t.deadline.text else 2, 0, t.deadline.text)
        if key == "status":
            info = m.info(tid)
            return (info.status.sort_key, info.days_left if info.days_left is not None else 10**6)
        if key == "percent":
            return display_percent(t)
        if key == "updated":
            return t.progress_updated_at.timestamp() if t.progress_updated_at else 0.0
        if key == "content":
            return ((t.item or "") + t.content).lower()
        if key == "units":
            return t.units_text.lower()
        return getattr(t, key).lower()

    return sorted(ids, key=of, reverse=descending)


def _shown_by_section(m: TaskTableModel) -> list[list[int]]:
    out: list[list[int]] = []
    for r in range(m.rowCount()):
        if m.index(r, 0).data(IS_SECTION_ROLE):
            out.append([])
        else:
            out[-1].append(m.index(r, 0).data(TASK_ID_ROLE))
    return out


@pytest.mark.parametrize("warm", [False, True])
def test_every_column_sorts_each_section_as_a_stable_sort_would(qapp, qtmodeltester, warm):
    """Ranks, the descending order read off the ascending one and the per-section orders kept between
    sorts give what a stable sort of each section gives, with and without the idle warm-up's keys,
    under a filter, and again after an edit changed a key."""
    from desktop_app.ui.models.task_table_model import COLUMNS

    m = TaskTableModel(lambda t: compute_status(t, TODAY, StatusRules()))
    ledger = _mixed_ledger()
    m.set_ledger(ledger)
    if warm:
        m.warm_up(sort_keys=True)
    section_ids = [[t.id for t in s.tasks] for s in ledger.sections]

    def check() -> None:
        for column in range(len(COLUMNS)):
            for order in (Qt.AscendingOrder, Qt.DescendingOrder, Qt.AscendingOrder):
                m.sort(column, order)
                expected = [
                    _reference_order(m, column, order == Qt.DescendingOrder, ids) for ids in section_ids
                ]
                assert _shown_by_section(m) == expected, (COLUMNS[column].key, order)

    check()
    m.set_filter(FilterSpec(text="内容"))
    m.sort(COLUMN_INDEX["percent"], Qt.DescendingOrder)
    kept = [[tid for tid in ids if "内容" in m.task(tid).content] for ids in section_ids]
    assert _shown_by_section(m) == [_reference_order(m, COLUMN_INDEX["percent"], True, ids) for ids in kept]
    m.set_filter(FilterSpec())
    # an edit changes a key: the next sort by that column puts the row where the new value belongs
    from dataclasses import replace

    edited = replace(m.task(5), content="aaa 最前", percent=99)
    m.update_task(edited)
    check()
    m.sort(COLUMN_INDEX["content"], Qt.AscendingOrder)
    assert _shown_by_section(m)[0][0] == 5
    qtmodeltester.check(m)


def _numbered_ledger(n: int) -> Ledger:
    """n tasks in two sections; 序号 2 spans three rows (2-1 … 2-3), 重点工作 repeats (〃)."""
    ledger = _big_ledger(n)
    tasks = ledger.sections[0].tasks
    for t in tasks[1:4]:
        t.number = "2"
    half = n // 2
    for t in tasks[half:]:
        t.section_id = 2
    ledger.sections = [
        Section(id=1, title="一、前半", tasks=tasks[:half]),
        Section(id=2, title="二、后半", tasks=tasks[half:]),
    ]
    return ledger


def _lazy_of(ledger: Ledger, reads: list):  # noqa: ANN202
    """The outline of a ledger and a LazyLedger reading from it, noting each read in `reads`."""
    from desktop_app.ui.models.task_table_model import LazyLedger

    tasks = {t.id: t for t in ledger.all_tasks()}
    bare = Ledger(
        id=ledger.id,
        title=ledger.title,
        year=ledger.year,
        sections=[Section(id=s.id, title=s.title, position=s.position) for s in ledger.sections],
    )
    heads = [(s.id, t.id, t.number, t.key_work) for s in ledger.sections for t in s.tasks]
    names = sorted({u.name for t in tasks.values() for u in t.units} | {t.units_text for t in tasks.values() if t.units_text})

    def load(ids: list[int]) -> dict[int, Task]:
        reads.append(list(ids))
        return {i: tasks[i] for i in ids if i in tasks}

    def load_all() -> list[tuple[int, Task]]:
        reads.append("all")
        return [(s.id, t) for s in ledger.sections for t in s.tasks]

    def groups() -> list[tuple[Task, int]]:
        reads.append("groups")
        return [(t, 1) for t in tasks.values()]

    lazy = LazyLedger(heads, names, {"key_work", "deadline_text"}, load, load_all, groups)
    return bare, lazy


def _cells(m: TaskTableModel, rows: range) -> list:
    from desktop_app.ui.models.roles import FULL_TEXT_ROLE

    roles = (Qt.DisplayRole, Qt.ForegroundRole, Qt.BackgroundRole, Qt.ToolTipRole, Qt.EditRole, FULL_TEXT_ROLE)
    out = []
    for r in rows:
        for c in range(m.columnCount()):
            for role in roles:
                value = m.index(r, c).data(role)
                out.append(value.name() if hasattr(value, "name") and callable(value.name) else value)
    return out


def test_a_lazy_ledger_shows_its_rows_reading_only_the_blocks_painted(qapp):
    """Opened from its outline, a ledger reads no task; painting a screenful reads one block around it,
    the 21-1 numbers, 〃 marks, section counts, unit names, empty columns and the banner's status counts
    come without reading tasks; the cells are those of the ledger read whole; a sort reads the rest once
    and leaves the ledger's sections holding every task."""
    from desktop_app.ui.models.task_table_model import LOAD_BLOCK

    status_of = lambda t: compute_status(t, TODAY, StatusRules())  # noqa: E731
    full = TaskTableModel(status_of)
    full.set_ledger(_numbered_ledger(1000))
    reads: list = []
    bare, lazy = _lazy_of(_numbered_ledger(1000), reads)
    m = TaskTableModel(status_of)
    m.set_ledger(bare, lazy)
    assert reads == [] and m.loaded_count() == 0 and not m.fully_loaded()
    assert (m.rowCount(), m.count_text()) == (full.rowCount(), full.count_text()) == (1002, "共 1000 项")
    assert m.index(0, 0).data() == full.index(0, 0).data() == "一、前半（500 项）"
    assert m.number_places() == full.number_places() and m.number_places()[3] == (2, 3, "2")
    assert m.unit_names() == full.unit_names()
    assert [m.column_has_data(c) for c in range(10)] == [full.column_has_data(c) for c in range(10)]
    assert m.status_counts() == full.status_counts() and reads == ["groups"]
    assert m.loaded_count() == 0
    # a screenful: one block read, cells as the ledger read whole shows them (〃, 2-1 … 2-3, colours)
    assert _cells(m, range(0, 31)) == _cells(full, range(0, 31))
    assert len(reads) == 2 and len(reads[1]) <= LOAD_BLOCK and m.loaded_count() == len(reads[1])
    assert [m.index(r, 0).data() for r in (2, 3, 4)] == ["2-1", "2-2", "2-3"]
    assert m.index(12, 1).data() == "〃"
    far = m.row_of_task(900)
    assert _cells(m, range(far, far + 5)) == _cells(full, range(far, far + 5))
    assert len(reads) == 3 and m.loaded_count() < 1000
    assert m.info(901) == full.info(901)
    # a sort needs every task: the rest in one read, then the ledger's sections hold them all
    m.sort(COLUMN_INDEX["deadline"], Qt.DescendingOrder)
    full.sort(COLUMN_INDEX["deadline"], Qt.DescendingOrder)
    assert reads[-1] == "all" and m.fully_loaded() and m.loaded_count() == 1000
    assert m.visible_task_ids() == full.visible_task_ids()
    assert [t.id for s in bare.sections for t in s.tasks] == list(range(1, 1001))
    assert m.status_counts() == full.status_counts() and reads.count("groups") == 1


def test_the_warm_up_reads_a_lazy_ledger_in_batches(qapp, qtbot, qtmodeltester):
    from desktop_app.ui.models.task_table_model import WARM_UP_BATCH

    reads: list = []
    bare, lazy = _lazy_of(_numbered_ledger(5000), reads)
    m = TaskTableModel(lambda t: compute_status(t, TODAY, StatusRules()))
    m.set_ledger(bare, lazy)
    m.start_warm_up()
    qtbot.waitUntil(m.search_ready, timeout=20000)
    qtbot.waitUntil(lambda: not m.warming(), timeout=20000)  # the sort keys and 主要内容 order too
    assert "all" not in reads and all(len(r) <= WARM_UP_BATCH for r in reads) and len(reads) >= 3
    assert m.fully_loaded() and len(bare.sections[1].tasks) == 2500
    m.set_filter(FilterSpec(text="第4999项"))
    assert m.visible_task_ids() == [4999] and "all" not in reads
    qtmodeltester.check(m)


def test_an_edit_or_a_filter_on_a_lazy_ledger_reads_the_rest_first(qapp, qtmodeltester):
    from dataclasses import replace

    reads: list = []
    bare, lazy = _lazy_of(_numbered_ledger(600), reads)
    m = TaskTableModel(lambda t: compute_status(t, TODAY, StatusRules()))
    m.set_ledger(bare, lazy)
    m.index(5, 2).data()
    m.update_task(replace(m.task(5), content="改过的内容"))
    assert reads[-1] == "all" and m.fully_loaded()
    assert m.index(m.row_of_task(5), COLUMN_INDEX["content"]).data() == "改过的内容"
    assert bare.sections[0].tasks[4].content == "改过的内容"
    qtmodeltester.check(m)

    reads.clear()
    bare, lazy = _lazy_of(_numbered_ledger(600), reads)
    m.set_ledger(bare, lazy)
    m.set_filter(FilterSpec(unit="市财政局"))
    assert reads == ["all"] and m.visible_count == 0


def test_a_row_deleted_elsewhere_before_it_was_read_shows_empty(qapp, qtmodeltester):
    """Another copy deleted a task between the outline and the read: an empty row (the change watcher
    reloads the ledger), never an error."""
    reads: list = []
    ledger = _numbered_ledger(300)
    bare, lazy = _lazy_of(ledger, reads)
    gone = ledger.sections[0].tasks[9]  # task 10: gone from the store after the outline was read
    load, load_all = lazy.load, lazy.load_all
    lazy.load = lambda ids: {k: v for k, v in load(ids).items() if k != gone.id}
    lazy.load_all = lambda: [(sid, t) for sid, t in load_all() if t.id != gone.id]
    m = TaskTableModel(lambda t: compute_status(t, TODAY, StatusRules()))
    m.set_ledger(bare, lazy)
    row = m.row_of_task(gone.id)
    assert m.index(row, COLUMN_INDEX["content"]).data() == ""
    assert m.index(row, 0).data() == gone.number
    qtmodeltester.check(m)
