"""Repository read paths at scale (issue 16): a ledger read as Core rows, holidays stored in bulk."""

from __future__ import annotations

from dataclasses import replace
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


def _varied_ledger() -> Ledger:
    """Tasks whose status inputs vary: deadlines of every kind, recorded statuses, percents, progress text
    (blank, blanks only, full-width blanks), the time of day progress was last updated."""
    texts = ["9月底", "2023年7月5日", "长期坚持", "全年", "每月10日前", "每季度最后1个月15日前", "", "看情况", "7月1日"]
    progress = ["", "已发布信息3条", " \u3000\n", "\t", "x"]
    tasks = []
    for i in range(90):
        tasks.append(
            Task(
                number=str(i),
                key_work=f"重点{i % 4}" if i % 5 else "",
                content=f"第{i}项",
                indicator="\u3000 \n" if i % 2 else "",  # blanks only: no text in this column
                units_text="市财政局牵头" if i % 3 else ("各县（市）区人民政府" if i % 2 else ""),
                units=[UnitAssignment("市财政局", UnitRole.LEAD)] if i % 3 else [],
                deadline=parse_deadline(texts[i % len(texts)], 2023),
                status=[TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.DONE][i % 7 % 3],
                percent=[0, 0, 30, 100, 60][i % 5],
                progress=progress[i % len(progress)],
                # the last 30 repeat the inputs of the first 30 at another time of the same day
                progress_updated_at=None if i % 4 == 0 else datetime(2023, 5 + i % 3, 1 + i % 27, i % 24, i % 60),
                position=i,
            )
        )
    for i, task in enumerate(tasks[:30]):
        tasks[60 + i] = replace(
            task,
            number=str(60 + i),
            position=60 + i,
            progress=task.progress + " 续" if task.progress.strip() else task.progress,
            progress_updated_at=task.progress_updated_at and task.progress_updated_at.replace(hour=23, minute=1),
        )
    return Ledger(
        title="状态分组", year=2023, sections=[Section(title="一", tasks=tasks[:50]), Section(title="二", tasks=tasks[50:])]
    )


def test_the_outline_and_the_rows_by_id_read_what_the_whole_ledger_reads(db_target, monkeypatch) -> None:  # noqa: ANN001
    """A table shows a ledger from its outline (sections without tasks, every row's id, 序号 and 重点工作,
    the unit names, the columns with text) and reads tasks by id in chunks; each agrees with get()."""
    from desktop_app.storage import repository

    monkeypatch.setattr(repository, "_ID_CHUNK", 7)  # several chunks with a few tasks
    with Database(db_target) as db:
        with db.session() as s:
            written = LedgerRepository(s).add(_varied_ledger())
        gone = written.sections[1].tasks[3].id
        with db.session() as s:
            LedgerRepository(s).soft_delete_task(gone, datetime(2023, 7, 1, 9, 30))
        with db.session() as s:
            repo = LedgerRepository(s)
            whole = repo.get(written.id)
            bare = repo.get(written.id, tasks=False)
            heads = repo.ledger_heads(written.id)
            ids = [t.id for t in whole.all_tasks()]
            by_id = repo.tasks_by_id([*ids, gone])
            names = repo.unit_names(written.id)
            fields = repo.fields_with_text(written.id, ["key_work", "indicator", "units_text", "deadline_text"])
    assert [sec.title for sec in bare.sections] == ["一", "二"] and all(not sec.tasks for sec in bare.sections)
    assert heads == [(t.section_id, t.id, t.number, t.key_work) for t in whole.all_tasks()]
    assert gone not in ids and len(ids) == 89
    assert [by_id[tid] for tid in ids] == whole.all_tasks()
    # a row shown a moment ago, deleted meanwhile, still reads
    assert (by_id[gone].id, by_id[gone].content) == (gone, written.sections[1].tasks[3].content)
    tasks = whole.all_tasks()
    expected = {u.name for t in tasks for u in t.units} | {t.units_text for t in tasks if not t.units and t.units_text}
    assert names == sorted(expected) == ["各县（市）区人民政府", "市财政局"]
    # 量化指标 holds blanks only (full-width, line breaks): no text, as str.strip() sees it
    assert fields == {"key_work", "units_text", "deadline_text"}


def test_status_groups_count_what_the_rule_gives_task_by_task(db_target) -> None:  # noqa: ANN001 - fixture
    """The banner's and report countdown's counts from one grouped query, the rule run once a group,
    equal the rule run on every task, on several days and report dates (stale), on both engines."""
    from collections import Counter

    from desktop_app.domain.status import StatusRules, compute_status

    with Database(db_target) as db:
        with db.session() as s:
            written = LedgerRepository(s).add(_varied_ledger())
        with db.session() as s:
            repo = LedgerRepository(s)
            tasks = [t for _sid, t in repo.ledger_tasks(written.id)]
            reports = [None, date(2023, 6, 15), date(2023, 6, 3), date(2023, 12, 5), date(2023, 5, 9)]
            groups_of = {last: repo.status_groups(written.id, last) for last in reports}
    for groups in groups_of.values():
        assert sum(n for _t, n in groups) == len(tasks) == 90
        assert len(groups) < len(tasks) * 2 // 3
    rules = StatusRules(very_soon_days=7, soon_days=30)
    for as_of, last_report in [
        (date(2023, 7, 1), None),
        (date(2023, 7, 1), date(2023, 6, 15)),
        (date(2023, 9, 20), date(2023, 6, 3)),
        (date(2024, 1, 2), date(2023, 12, 5)),
        (date(2023, 5, 9), date(2023, 5, 9)),
        (date(2023, 5, 20), date(2023, 5, 9)),
    ]:
        groups = groups_of[last_report]
        one_by_one = Counter(
            (i.status, i.stale) for i in (compute_status(t, as_of, rules, last_report) for t in tasks)
        )
        grouped: Counter = Counter()
        for task, n in groups:
            info = compute_status(task, as_of, rules, last_report)
            grouped[(info.status, info.stale)] += n
        assert grouped == one_by_one, (as_of, last_report)
        assert len(one_by_one) > 3
