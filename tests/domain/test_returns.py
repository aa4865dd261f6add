"""domain.returns: what a newer return changed, the candidates offered when a match is uncertain, a cell's state."""

from __future__ import annotations

from datetime import date, datetime

from desktop_app.domain.directory import Directory
from desktop_app.domain.model import Task, TaskStatus, Unit
from desktop_app.domain.returns import (
    BLANK,
    LATE,
    MISSING,
    NOT_EXPECTED,
    SUBMITTED,
    UnitReturn,
    cell_state,
    describe_changes,
    match_tasks,
    task_candidates,
    unit_candidates,
)


def _r(task_id: int, text: str, percent: int = 50) -> UnitReturn:
    return UnitReturn(1, 1, "市财政局", task_id, text, TaskStatus.IN_PROGRESS, percent)


def test_describe_changes_names_the_tasks_rewritten_added_dropped_and_changed_in_state() -> None:
    numbers = {1: "1", 2: "2", 3: "3", 4: "4"}
    old = [_r(1, "甲"), _r(2, "乙"), _r(3, "丙")]
    new = [_r(1, "甲改"), _r(3, "丙", percent=100), _r(4, "丁")]
    assert describe_changes(old, new, numbers) == "第1项进展改写；第3项状态或完成度改变；新报第4项；不再报第2项"
    assert describe_changes(old, old, numbers) == "无变化"


def test_task_candidates_offer_the_most_alike_and_the_same_number_never_a_matched_one() -> None:
    target = [
        Task(number="1", content="公开财政预算决算和部门预算决算"),
        Task(number="2", content="公开重大建设项目批准和实施信息"),
        Task(number="3", content="推进政务服务事项办事指南公开"),
        Task(number="4", content="做好重要政策解读和回应关切工作"),
    ]
    retyped = Task(number="3", content="推进政务服务办事指南的公开工作", progress="已更新")
    match = match_tasks([retyped], target)
    assert match.matched == {} and len(match.uncertain) == 1  # below 90 %: asked, never guessed
    got = task_candidates(retyped, target, exclude={id(target[1])})
    assert got[0][0] is target[2] and 0.5 < got[0][1] < 0.9
    assert target[1] not in [t for t, _r in got] and len(got) == 3
    odd = Task(number="4", content="完全不同的内容")  # nothing alike: the task of its number is still offered
    assert target[3] in [t for t, _r in task_candidates(odd, target, n=1)]


def test_unit_candidates_put_the_likeliest_directory_units_first() -> None:
    d = Directory(
        [
            Unit(name="市财政局", kind="市政府部门"),
            Unit(name="市发展和改革委员会", aliases=["市发改委"], kind="市政府部门"),
            Unit(name="灵武市人民政府", aliases=["灵武市"], kind="县（市）区政府"),
        ]
    )
    assert d.find("灵武市政府") is None  # not found for sure: the wizard asks
    assert [u.name for u in unit_candidates("灵武市政府", d)][0] == "灵武市人民政府"
    assert [u.name for u in unit_candidates("发改委报送", d)][0] == "市发展和改革委员会"
    assert len(unit_candidates("", d)) == 3  # every unit is offered, in directory order when no hint


def test_cell_state_tells_a_task_left_empty_from_a_return_never_sent() -> None:
    due = date(2023, 8, 15)
    assert cell_state(True, datetime(2023, 8, 14), due) == SUBMITTED
    assert cell_state(True, datetime(2023, 8, 16), due) == LATE
    assert cell_state(True, None, due) == MISSING
    assert cell_state(True, None, due, sent=True) == BLANK
    assert cell_state(False, None, due, sent=True) == NOT_EXPECTED
