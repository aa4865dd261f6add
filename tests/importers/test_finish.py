"""The last step of every reader (importers/finish.py): units rules a ledger states once for its cells."""

from __future__ import annotations

from desktop_app.domain.model import Deadline, DeadlineKind, Ledger, Section, Task, UnitRole
from desktop_app.importers.finish import finish_tasks
from desktop_app.importers.result import ImportResult

L, R = UnitRole.LEAD, UnitRole.RESPONSIBLE


def _finish(*units: str) -> list[list[tuple[str, UnitRole]]]:
    ledger = Ledger(sections=[Section(tasks=[Task(content=f"任务{i}", units_text=u) for i, u in enumerate(units)])])
    finish_tasks(ledger, ImportResult(ledger=ledger))
    return [[(u.name, u.role) for u in t.units] for t in ledger.all_tasks()]


def test_a_comma_rule_stated_with_xia_tong_holds_for_the_tasks_after_it() -> None:
    got = _finish(
        "责任单位：市发展改革委、市商务局，各区县政府、高新区管委会。逗号前为牵头单位，多个牵头单位的按职责分别牵头，下同",
        "责任单位：市经济和信息化局，各区县政府",
        "市文化广电旅游局",
        "市财政局牵头，市审计局配合",  # a cell naming its roles keeps them
    )
    assert got == [
        [("市发展改革委", L), ("市商务局", L), ("各区县政府", R), ("高新区管委会", R)],
        [("市经济和信息化局", L), ("各区县政府", R)],
        [("市文化广电旅游局", L)],
        [("市财政局", L), ("市审计局", UnitRole.COOPERATING)],
    ]


def test_a_rule_without_xia_tong_holds_for_its_own_cell_only() -> None:
    got = _finish("市教育局、市民政局、市人社局。排在首位的为牵头单位", "市教育局、市民政局")
    assert got == [[("市教育局", L), ("市民政局", R), ("市人社局", R)], [("市教育局", R), ("市民政局", R)]]


def test_cells_without_a_rule_are_read_as_written() -> None:
    assert _finish("市财政局，各区县政府") == [[("市财政局", R), ("各区县政府", R)]]


def test_traditional_characters_read_their_roles_and_keep_their_names() -> None:
    ledger = Ledger(
        sections=[
            Section(
                tasks=[
                    Task(content="甲", units_text="市政府辦公室牽頭，市直各部門配合", deadline=Deadline("長期堅持")),
                    Task(content="乙", units_text="市教育局、市衛健委按職責分工負責", deadline=Deadline("2020年10月底")),
                ]
            )
        ]
    )
    result = ImportResult(ledger=ledger)
    finish_tasks(ledger, result)
    first, second = ledger.all_tasks()
    assert [(u.name, u.role) for u in first.units] == [("市政府辦公室", L), ("市直各部門", UnitRole.COOPERATING)]
    assert [(u.name, u.role) for u in second.units] == [("市教育局", R), ("市衛健委", R)]
    assert (first.deadline.text, first.deadline.kind) == ("長期堅持", DeadlineKind.ONGOING)
    assert second.deadline.due_date is not None and not result.flagged
