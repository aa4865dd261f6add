"""Repository read paths at scale (issue 16): a ledger read as Core rows, holidays stored in bulk."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from desktop_app.domain.deadlines import parse_deadline
from desktop_app.domain.model import HolidayDay, Ledger, Section, Task, TaskStatus, UnitAssignment, UnitRole
from desktop_app.storage.database import Database
from desktop_app.storage.repository import HolidayRepository, LedgerRepository


def _ledger() -> Ledger:
    sections = []
    for s in range(3):
        tasks = [
            Task(
                number=f"{s}-{i}",
                content=f"第{s}节第{i}项",
                units_text="市财政局牵头，市教育局负责",
                units=[UnitAssignment("市财政局", UnitRole.LEAD), UnitAssignment("市教育局")],
                deadline=parse_deadline("9月底" if i % 2 else "长期坚持", 2023),
                status=TaskStatus.DONE if i == 3 else TaskStatus.NOT_STARTED,
                extra={"备注2": "x"} if i == 2 else {},
                position=i,
            )
            for i in range(6)
        ]
        sections.append(Section(title=f"第{s}节", position=s, tasks=tasks))
    return Ledger(title="读取测试", year=2023, sections=sections)


def test_a_ledger_reads_back_as_written(tmp_path: Path) -> None:
    with Database(tmp_path / "a.sqlite3") as db:
        with db.session() as s:
            written = LedgerRepository(s).add(_ledger())
        with db.session() as s:
            read = LedgerRepository(s).get(written.id)
    assert [sec.title for sec in read.sections] == ["第0节", "第1节", "第2节"]
    by_title = {sec.title: sec for sec in read.sections}
    for sec in written.sections:
        got = by_title[sec.title].tasks
        assert [t.number for t in got] == [t.number for t in sec.tasks]
        for a, b in zip(sec.tasks, got, strict=True):
            assert (b.content, b.units, b.deadline, b.status, b.extra) == (
                a.content,
                a.units,
                a.deadline,
                a.status,
                a.extra,
            )
    tasks = read.all_tasks()
    assert isinstance(tasks[0].status, TaskStatus) and isinstance(tasks[0].units[0].role, UnitRole)
    # each task its own lists, so changing one never changes another
    tasks[0].units.append(UnitAssignment("市民政局"))
    tasks[0].extra["新"] = "y"
    assert len(tasks[1].units) == 2 and "新" not in tasks[1].extra


def test_holidays_are_replaced_in_bulk(tmp_path: Path) -> None:
    with Database(tmp_path / "a.sqlite3") as db:
        with db.session() as s:
            repo = HolidayRepository(s)
            before = repo.count()
            repo.put_many([HolidayDay(date(2031, 1, 1), False, "元旦"), HolidayDay(date(2031, 1, 4), True, "")])
        with db.session() as s:
            repo = HolidayRepository(s)
            repo.put_many([HolidayDay(date(2031, 1, 4), False, "改为放假"), HolidayDay(date(2031, 1, 5), True, "")])
            repo.put_many([])
        with db.session() as s:
            days = HolidayRepository(s).year(2031)
            total = HolidayRepository(s).count()
    assert days == [
        HolidayDay(date(2031, 1, 1), False, "元旦"),
        HolidayDay(date(2031, 1, 4), False, "改为放假"),
        HolidayDay(date(2031, 1, 5), True, ""),
    ]
    assert total == before + 3


def test_tasks_are_built_by_position_while_the_fields_keep_their_order() -> None:
    from desktop_app.storage import repository

    assert repository._POSITIONAL  # Task's leading fields are still in the order the reader passes them


def test_the_bulk_read_gives_each_task_as_read_alone(db_target) -> None:  # noqa: ANN001 - fixture
    """ledger_tasks (Core rows read by position, units in one query) builds the very Task that get_task
    builds from the ORM row, on SQLite and PostgreSQL; tasks in the recycle bin are left out."""
    with Database(db_target) as db:
        with db.session() as s:
            written = LedgerRepository(s).add(_ledger())
        gone = written.sections[1].tasks[2].id
        with db.session() as s:
            repo = LedgerRepository(s)
            repo.soft_delete_task(gone, datetime(2023, 7, 1, 9, 30))
            repo.bump_version(written.sections[0].tasks[1].id)  # a version above 1
        with db.session() as s:
            repo = LedgerRepository(s)
            pairs = repo.ledger_tasks(written.id)
            alone = {t.id: repo.get_task(t.id) for _sid, t in pairs}
    ids = [t.id for sec in written.sections for t in sec.tasks if t.id != gone]
    assert [t.id for _sid, t in pairs] == ids
    assert gone not in alone
    for section_id, task in pairs:
        assert task == alone[task.id] and section_id == task.section_id
    assert sorted({t.version for _sid, t in pairs}) == [1, 2]
