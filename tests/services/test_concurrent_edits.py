"""Two writers on one ledger, on both engines, each with its own real connection: an edit on a stale
version of the same field is refused with both texts; other fields merge; the journal keeps every entry;
each sees the other's changes (and who made them) through the change counter; roles are enforced."""

from __future__ import annotations

import threading

import pytest

from desktop_app.domain.model import EditConflict, Ledger, Section, Task, TaskStatus
from desktop_app.services.context import AppContext
from desktop_app.storage.repository import LedgerReadOnly


@pytest.fixture
def two(db_target, engine_kind):
    """Zhang's and Li's programs on the same database (SQLite: the second without the file lock,
    standing in for a second writer; PostgreSQL: two logins' worth of connections)."""
    a = AppContext.open(db_target)
    b = AppContext.open(db_target, lock=False) if engine_kind == "sqlite" else AppContext.open(db_target)
    a.db.person, b.db.person = "张三", "李四"
    ledger = a.ledgers.add_ledger(
        Ledger(title="共同台账", year=2023, sections=[Section(title="一", tasks=[Task(content="原文", indicator="指标")])])
    )
    yield a, b, ledger.all_tasks()[0].id, ledger.id
    b.close()
    a.close()


def test_a_stale_edit_of_the_same_field_is_refused_with_both_texts(two) -> None:
    a, b, tid, _lid = two
    seen_by_a = a.ledgers.get_task(tid)
    b.ledgers.update_task(tid, "content", "李四的文字", base="原文", expected_version=b.ledgers.get_task(tid).version)
    with pytest.raises(EditConflict) as conflict:
        a.ledgers.update_task(tid, "content", "张三的文字", base="原文", expected_version=seen_by_a.version)
    c = conflict.value
    assert (c.field, c.mine, c.theirs, c.person) == ("content", "张三的文字", "李四的文字", "李四")
    assert "李四" in c.message
    assert a.ledgers.get_task(tid).content == "李四的文字"  # nothing overwritten
    # the user chose (or merged): saved on top of the version they have now seen
    merged = a.ledgers.update_task(tid, "content", "合并后的文字", base=c.theirs, expected_version=c.version)
    assert b.ledgers.get_task(tid).content == "合并后的文字" and merged.version == c.version + 1


def test_edits_of_different_fields_both_stay(two) -> None:
    a, b, tid, _lid = two
    v = a.ledgers.get_task(tid).version
    b.ledgers.update_task(tid, "content", "李四改内容", base="原文", expected_version=v)
    a.ledgers.update_task(tid, "indicator", "张三改指标", base="指标", expected_version=v)
    task = b.ledgers.get_task(tid)
    assert (task.content, task.indicator, task.version) == ("李四改内容", "张三改指标", v + 2)


def test_the_journal_keeps_every_entry_of_both(two) -> None:
    a, b, tid, _lid = two
    for i in range(3):
        a.progress.add_entry(tid, f"张三第{i}条", TaskStatus.IN_PROGRESS, 10 + i, author="张三")
        b.progress.add_entry(tid, f"李四第{i}条", TaskStatus.IN_PROGRESS, 20 + i, author="李四")
    texts = sorted(e.text for e in a.progress.history(tid))
    assert texts == sorted([f"张三第{i}条" for i in range(3)] + [f"李四第{i}条" for i in range(3)])
    assert a.ledgers.get_task(tid).progress == "李四第2条"  # the current text: the latest entry


def test_racing_writers_on_one_version_one_wins_one_is_told(two) -> None:
    a, b, tid, _lid = two
    v = a.ledgers.get_task(tid).version
    barrier = threading.Barrier(2)
    outcome: dict[str, object] = {}

    def edit(ctx: AppContext, who: str) -> None:
        barrier.wait()
        try:
            ctx.ledgers.update_task(tid, "content", f"{who}抢先", base="原文", expected_version=v)
            outcome[who] = "saved"
        except EditConflict as exc:
            outcome[who] = exc

    threads = [threading.Thread(target=edit, args=(a, "张三")), threading.Thread(target=edit, args=(b, "李四"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(type(x).__name__ for x in outcome.values()) == ["EditConflict", "str"]
    winner = next(w for w, x in outcome.items() if x == "saved")
    loser = next(x for x in outcome.values() if isinstance(x, EditConflict))
    assert loser.theirs == f"{winner}抢先" and a.ledgers.get_task(tid).content == f"{winner}抢先"


def test_each_sees_the_others_changes_and_who_made_them(two) -> None:
    a, b, tid, lid = two
    a.people.start_watching()
    b.people.start_watching()
    b.ledgers.update_task(tid, "content", "李四刚改的")
    a.ledgers.update_task(tid, "indicator", "张三刚改的")
    seen_by_a = a.people.poll()
    assert seen_by_a.task_ids == {tid} and seen_by_a.people == ["李四"]
    assert [e.new_value for e in seen_by_a.events] == ["李四刚改的"]  # not its own change
    assert not a.people.poll()  # reported once
    b.ledgers.add_section(lid, "二、新板块")
    seen_by_b = b.people.poll()
    assert seen_by_b.people == ["张三"] and seen_by_b.task_ids == {tid}
    again = a.people.poll()
    assert again.ledger_ids == {lid} and again.people == ["李四"]


def test_a_reader_of_a_ledger_may_read_and_export_but_not_edit(two, tmp_path) -> None:
    a, b, tid, lid = two
    a.people.set_role(lid, "李四", "read")
    assert a.people.members(lid) == {"张三": "edit", "李四": "read"}
    assert not b.people.can_edit(lid) and a.people.can_edit(lid)
    with pytest.raises(LedgerReadOnly) as refused:
        b.ledgers.update_task(tid, "content", "李四想改")
    assert "只读" in refused.value.message
    with pytest.raises(LedgerReadOnly):
        b.progress.add_entry(tid, "李四想写", TaskStatus.IN_PROGRESS, 5)
    with pytest.raises(LedgerReadOnly):
        b.people.set_role(lid, "李四", "edit")  # a reader cannot promote themself
    assert b.exports.export(lid, "json", tmp_path / "李四导出.json").exists()
    assert a.ledgers.get_task(tid).content == "原文" and a.progress.history(tid) == []
    a.people.set_role(lid, "李四", "edit")
    b.ledgers.update_task(tid, "content", "李四现在能改")
    events = a.ledgers.audit_events(lid, tid)
    assert events[0].person == "李四" and events[0].new_value == "李四现在能改"


def test_the_whole_list_is_set_at_once_or_not_at_all(two) -> None:
    """people.set_roles (the 权限 dialog's 保存): one transaction; an editor may hand over and step down."""
    a, b, tid, lid = two
    a.people.set_roles(lid, {"李四": "read"})
    assert a.people.members(lid) == {"张三": "edit", "李四": "read"}  # the first to set roles stays editor
    with pytest.raises(LedgerReadOnly):
        b.people.set_roles(lid, {"张三": "read", "李四": "edit"})  # a reader changes nothing
    from desktop_app.domain.model import LedgerError

    with pytest.raises(LedgerError, match="至少要有一位"):
        a.people.set_roles(lid, {"张三": "read", "李四": "read", "王五": "read"})
    assert a.people.members(lid) == {"张三": "edit", "李四": "read"}  # 王五 was not added either
    a.people.set_roles(lid, {"张三": "read", "李四": "edit"})
    assert a.people.members(lid) == {"张三": "read", "李四": "edit"} and not a.people.can_edit(lid)
    events = [e for e in a.ledgers.audit_events(lid) if e.action == "member"]
    assert {(e.field, e.new_value, e.person) for e in events[:2]} == {("李四", "edit", "张三"), ("张三", "read", "张三")}
    b.people.set_roles(lid, {})  # back to everyone may edit
    assert a.people.members(lid) == {} and a.people.can_edit(lid)


def test_changes_made_before_watching_began_are_not_news(two) -> None:
    """Opening the program after 李四's edits (made while it was closed): the first poll says nothing."""
    a, b, tid, lid = two
    for i in range(3):
        b.ledgers.update_task(tid, "content", f"李四昨天改的{i}")
    a.people.start_watching()
    assert not a.people.poll()
    b.ledgers.update_task(tid, "content", "李四刚改的")
    assert [e.new_value for e in a.people.poll().events] == ["李四刚改的"]


# ---- several cells in one transaction (a paste, 批量修改): all or none -------------------------------------
def _two_tasks(a, lid):  # noqa: ANN001, ANN202
    section = a.ledgers.get_ledger(lid).sections[0]
    second = a.ledgers.add_task(section.id)
    return a.ledgers.get_ledger(lid).all_tasks()[0], second


def test_several_cells_are_written_in_one_transaction_or_not_at_all(two) -> None:
    from desktop_app.services.ledger_service import CellEdit

    a, b, tid, lid = two
    first, second = _two_tasks(a, lid)
    changed: list = []
    tasks = a.ledgers.update_tasks(
        [CellEdit(first.id, "content", "一"), CellEdit(second.id, "content", "二"), CellEdit(first.id, "percent", 30)],
        changed=changed,
    )
    assert [t.id for t in tasks] == [first.id, second.id] and len(changed) == 3
    assert (b.ledgers.get_task(first.id).content, b.ledgers.get_task(second.id).content) == ("一", "二")
    assert b.ledgers.get_task(first.id).version == first.version + 1  # one version step per task
    with pytest.raises(Exception, match="进度须是"):  # the last cell refused: the first two are not kept
        a.ledgers.update_tasks(
            [CellEdit(first.id, "content", "甲"), CellEdit(second.id, "content", "乙"), CellEdit(second.id, "percent", 300)]
        )
    assert (b.ledgers.get_task(first.id).content, b.ledgers.get_task(second.id).content) == ("一", "二")


def test_a_stale_cell_among_several_refuses_them_all_with_both_texts(two) -> None:
    from desktop_app.services.ledger_service import CellEdit

    a, b, tid, lid = two
    first, second = _two_tasks(a, lid)
    seen = {t.id: t for t in (a.ledgers.get_task(first.id), a.ledgers.get_task(second.id))}
    b.ledgers.update_task(second.id, "content", "李四的文字", base="", expected_version=seen[second.id].version)
    edits = [
        CellEdit(first.id, "content", "张三一", base="原文", expected_version=seen[first.id].version),
        CellEdit(second.id, "content", "张三二", base="", expected_version=seen[second.id].version),
    ]
    with pytest.raises(EditConflict) as conflict:
        a.ledgers.update_tasks(edits)
    assert (conflict.value.task_id, conflict.value.theirs, conflict.value.person) == (second.id, "李四的文字", "李四")
    assert b.ledgers.get_task(first.id).content == "原文"  # the other cell waited too: nothing half-written
