"""Undoable edits: every change to a task, a section or the progress history is one QUndoCommand
that calls the services (which commit at once and write the audit log)."""

from __future__ import annotations

import dataclasses
from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand

from desktop_app.domain.model import EditConflict, LedgerError, ProgressEntry, Section, Task, TaskStatus
from desktop_app.services.ledger_service import CellEdit
from desktop_app.services.progress_service import ProgressState


class _Signal(Protocol):
    def emit(self, *args: Any) -> None: ...


class CommandHost(Protocol):
    """What a command needs from whoever pushes it (ui.task_actions.TaskActions): the services, the
    ids that changed on restore, and the signals that say what changed. Commands never import it."""

    ctx: Any
    task_changed: _Signal
    structure_changed: _Signal
    task_inserted: _Signal
    task_removed: _Signal
    task_moved: _Signal
    history_changed: _Signal

    def resolve(self, task_id: int) -> int: ...
    def remap(self, old: int, new: int) -> None: ...
    def lookup(self, task_id: int) -> Task | None: ...
    def report_error(self, message: str) -> None: ...

    def refused(self, exc: LedgerError) -> None: ...
    def emit_task(self, task_id: int) -> None: ...

FIELD_LABELS = {
    "number": "序号",
    "key_work": "重点工作",
    "item": "子项",
    "content": "主要内容",
    "indicator": "量化指标",
    "units_text": "责任单位",
    "cooperating_text": "配合单位",
    "deadline_text": "完成时限",
    "status": "状态",
    "percent": "进度",
    "progress": "进展落实情况",
    "remarks": "备注",
}
_MERGE_ID = 4711
KEPT_AUTHOR = "\x00settings"  # an entry's 填报人 not known yet (the server was away): read when recorded
# fields whose edit also sets 最后更新 (progress_updated_at) and may change one another (已完成 → 100%)
PROGRESS_FIELDS = ("progress", "status", "percent")


def field_value(task: Task, field: str) -> Any:
    """The current value of an update_task field on a Task."""
    if field == "deadline_text":
        return task.deadline.text
    if field == "anchor_date":
        return task.deadline.anchor_date
    if field == "status":
        return task.status.value
    if field.startswith("extra:"):
        return task.extra.get(field[6:], "")
    return getattr(task, field)


class _Command(QUndoCommand):
    def __init__(self, actions: CommandHost, text: str) -> None:
        super().__init__(text)
        self.actions = actions
        self.ok = True  # False when the service refused (the stack then drops the command)

    def _guard(self, fn) -> bool:
        try:
            fn()
        except LedgerError as exc:
            self.actions.refused(exc)
            self.ok = False
            self.setObsolete(True)
            return False
        return True


class EditTaskCommand(_Command):
    """One field edit. An edit of progress, status or percent also sets 最后更新 and may change the
    other two: undo puts every one of them back as it was (so 待更新 counts as before), redo puts
    back exactly what the edit wrote (with its original time)."""

    def __init__(
        self,
        actions: CommandHost,
        task_id: int,
        field: str,
        old: Any,
        new: Any,
        merge: bool = False,
        version: int | None = None,
    ):
        super().__init__(actions, f"修改{FIELD_LABELS.get(field, field)}")
        self.task_id, self.field, self.old, self.new, self.merge = task_id, field, old, new, merge
        self.before: ProgressState | None = None  # the task's progress state before the first redo
        self.after: ProgressState | None = None  # and after it
        self.version = version  # the task's version the user saw: checked on the first redo only

    def _ledgers(self):  # noqa: ANN202
        return self.actions.ctx.ledgers

    def redo(self) -> None:
        def do() -> None:
            tid = self.actions.resolve(self.task_id)
            if self.field in PROGRESS_FIELDS and self.after is not None:
                task = self.actions.ctx.progress.restore_state(tid, self.after)
            else:
                before = self._ledgers().get_task(tid) if self.field in PROGRESS_FIELDS else None
                task = self._checked_update(tid)
                if task is None:  # another person's text kept: nothing to undo
                    self.ok = False
                    self.setObsolete(True)
                    return
                if before is not None:
                    self.before, self.after = ProgressState.of(before), ProgressState.of(task)
            self.actions.task_changed.emit(task)

        self._guard(do)

    def _checked_update(self, tid: int) -> Task | None:
        """The user's edit, checked against what others saved meanwhile: on a conflict the user sees
        both texts (actions.resolve_conflict) and keeps theirs (None), or saves the chosen/merged text."""
        if self.version is None:
            return self._ledgers().update_task(tid, self.field, self.new)
        version, self.version = self.version, None  # a later redo repeats the user's own edit
        try:
            return self._ledgers().update_task(tid, self.field, self.new, base=self.old, expected_version=version)
        except EditConflict as conflict:
            chosen = self.actions.resolve_conflict(conflict)
            fresh = self._ledgers().get_task(tid)
            if chosen is None or chosen == conflict.theirs:
                self.actions.task_changed.emit(fresh)
                return None
            self.old, self.new = conflict.theirs, chosen
            return self._ledgers().update_task(
                tid, self.field, chosen, base=conflict.theirs, expected_version=fresh.version
            )

    def undo(self) -> None:
        def do() -> None:
            tid = self.actions.resolve(self.task_id)
            if self.field in PROGRESS_FIELDS and self.before is not None:
                task = self.actions.ctx.progress.restore_state(tid, self.before)
            else:
                task = self._ledgers().update_task(tid, self.field, self.old)
            self.actions.task_changed.emit(task)

        self._guard(do)

    def id(self) -> int:
        return _MERGE_ID if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditTaskCommand) or not other.merge:
            return False
        if other.task_id != self.task_id or other.field != self.field:
            return False
        self.new = other.new
        self.after = other.after
        return True


class EditTasksCommand(_Command):
    """Several field edits as ONE step and ONE transaction (a paste over several rows, 批量修改,
    已完成 with 100 %): all of them are saved or none (a dropped connection mid-way writes nothing). Each
    cell is checked against the version the user saw: a conflict shows both texts (actions.resolve_conflict)
    and the step is tried again with the choice (theirs kept: that cell drops out). Undo puts every cell
    back, and a progress field's task exactly as it was (status, percent, 最后更新)."""

    def __init__(self, actions: CommandHost, edits: list[tuple[int, str, Any, Any, int | None]], text: str):
        super().__init__(actions, text)
        self.edits = list(edits)  # (task id, field, old, new, version seen)
        self.before: dict[int, ProgressState] = {}
        self.after: dict[int, ProgressState] = {}
        self.first = True
        self.written = 0  # cells the first redo wrote

    def _ledgers(self):  # noqa: ANN202
        return self.actions.ctx.ledgers

    def _plain_edits(self, which: int) -> list[CellEdit]:
        """The edits of fields that are not progress fields (those go back through the states)."""
        return [
            CellEdit(self.actions.resolve(e[0]), e[1], e[which])
            for e in self.edits
            if e[1] not in PROGRESS_FIELDS or e[0] not in self.before
        ]

    def _states(self, states: dict[int, ProgressState]) -> dict[int, ProgressState]:
        return {self.actions.resolve(tid): state for tid, state in states.items()}

    def redo(self) -> None:
        def do() -> None:
            if not self.first:
                tasks = self._ledgers().update_tasks(self._plain_edits(3), self._states(self.after))
            else:
                tasks = self._first_redo()
                if tasks is None:
                    return
            self._shown(tasks)

        self._guard(do)

    def _first_redo(self) -> list[Task] | None:
        ledgers = self._ledgers()
        checked = {i: e[4] for i, e in enumerate(self.edits)}  # the version each cell is checked against
        for _attempt in range(len(self.edits) + 1):
            wanted = [
                CellEdit(self.actions.resolve(tid), field, new, base=old, expected_version=checked.get(i))
                for i, (tid, field, old, new, _v) in enumerate(self.edits)
            ]
            first_ids = {self.actions.resolve(e[0]): e[0] for e in self.edits}  # now -> as first named
            progress_ids = {w.task_id for w in wanted if w.field in PROGRESS_FIELDS}
            try:
                before = {first_ids[tid]: ProgressState.of(ledgers.get_task(tid)) for tid in progress_ids}
                changed: list[tuple[int, str]] = []
                tasks = ledgers.update_tasks(wanted, changed=changed)
            except EditConflict as conflict:
                i = next(
                    j for j, w in enumerate(wanted) if w.task_id == conflict.task_id and w.field == conflict.field
                )
                chosen = self.actions.resolve_conflict(conflict)
                tid, field, _old, _new, version = self.edits[i]
                if chosen is None or chosen == conflict.theirs:
                    del self.edits[i]  # theirs kept
                    checked = {j - (j > i): v for j, v in checked.items() if j != i}
                    self.actions.task_changed.emit(ledgers.get_task(conflict.task_id))
                else:
                    self.edits[i] = (tid, field, conflict.theirs, chosen, version)
                    checked[i] = conflict.version
                if not self.edits:
                    self.ok = False
                    self.setObsolete(True)
                    return None
                continue
            self.first = False
            self.before = before
            self.after = {first_ids[t.id]: ProgressState.of(t) for t in tasks if t.id in progress_ids}
            self.written = len(changed)
            return tasks
        raise LedgerError("这些单元格在您编辑期间一再被其他人修改，改动没有保存，请刷新后重试。")

    def undo(self) -> None:
        def do() -> None:
            tasks = self._ledgers().update_tasks(self._plain_edits(2), self._states(self.before))
            self._shown(tasks)

        self._guard(do)

    def _shown(self, tasks: list[Task]) -> None:
        for task in tasks:
            if self.actions.lookup(task.id) is not None:  # in the table shown (a kept edit may not be)
                self.actions.task_changed.emit(task)


class AddTaskCommand(_Command):
    def __init__(
        self, actions: CommandHost, section_id: int, position: int | None, template: Task | None = None
    ):
        super().__init__(actions, "新增任务")
        self.section_id, self.position, self.template = section_id, position, template
        self.saved: Task | None = None
        self.task_id: int | None = None

    def redo(self) -> None:
        def do() -> None:
            ledgers = self.actions.ctx.ledgers
            task = (
                ledgers.reinsert_task(self.saved)
                if self.saved
                else ledgers.add_task(self.section_id, self.position, self.template)
            )
            if self.task_id is not None and task.id != self.task_id:
                self.actions.remap(self.task_id, task.id)
            self.task_id = self.task_id if self.task_id is not None else task.id
            self.actions.task_inserted.emit(task)

        self._guard(do)

    def undo(self) -> None:
        def do() -> None:
            tid = self.actions.resolve(self.task_id)
            self.saved = self.actions.ctx.ledgers.discard_task(tid)  # a blank new task: not into the bin
            self.actions.task_removed.emit(tid)

        self._guard(do)


class DeleteTaskCommand(_Command):
    """Moves the task to the recycle bin; undo takes it out again (same id, history, evidence)."""

    def __init__(self, actions: CommandHost, task_id: int):
        super().__init__(actions, "删除任务")
        self.task_id = task_id
        self.saved: Task | None = None

    def redo(self) -> None:
        def do() -> None:
            tid = self.actions.resolve(self.task_id)
            self.saved = self.actions.ctx.ledgers.delete_task(tid)
            self.actions.task_removed.emit(tid)

        self._guard(do)

    def undo(self) -> None:
        def do() -> None:
            tid = self.actions.resolve(self.task_id)
            task = self.actions.ctx.ledgers.restore_task(tid)
            if self.actions.lookup(tid) is not None:  # already back (restored from the 回收站)
                self.actions.task_changed.emit(task)
            else:
                self.actions.task_inserted.emit(task)

        self._guard(do)


class MoveTaskCommand(_Command):
    def __init__(self, actions: CommandHost, task_id: int, src: tuple[int, int], dst: tuple[int, int]):
        super().__init__(actions, "移动任务")
        self.task_id, self.src, self.dst = task_id, src, dst

    def _move(self, where: tuple[int, int]) -> None:
        task = self.actions.ctx.ledgers.move_task(self.actions.resolve(self.task_id), where[0], where[1])
        self.actions.task_moved.emit(task)

    def redo(self) -> None:
        self._guard(lambda: self._move(self.dst))

    def undo(self) -> None:
        self._guard(lambda: self._move(self.src))


class AddSectionCommand(_Command):
    def __init__(self, actions: CommandHost, ledger_id: int, title: str, position: int | None):
        super().__init__(actions, "新增板块")
        self.ledger_id, self.title, self.position = ledger_id, title, position
        self.section_id: int | None = None
        self.saved: Section | None = None

    def redo(self) -> None:
        def do() -> None:
            ledgers = self.actions.ctx.ledgers
            if self.saved is not None:
                section = ledgers.restore_section(self.ledger_id, self.saved)
            else:
                section = ledgers.add_section(self.ledger_id, self.title, self.position)
            self.section_id = section.id
            self.actions.structure_changed.emit(None)

        self._guard(do)

    def undo(self) -> None:
        def do() -> None:
            self.saved = self.actions.ctx.ledgers.delete_section(self.section_id)
            self.actions.structure_changed.emit(None)

        self._guard(do)


class DeleteSectionCommand(_Command):
    def __init__(self, actions: CommandHost, ledger_id: int, section_id: int):
        super().__init__(actions, "删除板块")
        self.ledger_id, self.section_id = ledger_id, section_id
        self.saved: Section | None = None

    def redo(self) -> None:
        def do() -> None:
            self.saved = self.actions.ctx.ledgers.delete_section(self.section_id)
            self.actions.structure_changed.emit(None)

        self._guard(do)

    def undo(self) -> None:
        def do() -> None:
            section = self.actions.ctx.ledgers.restore_section(self.ledger_id, self.saved)
            self.section_id = section.id
            self.actions.structure_changed.emit(None)

        self._guard(do)


class RenameSectionCommand(_Command):
    def __init__(self, actions: CommandHost, section_id: int, old: str, new: str):
        super().__init__(actions, "重命名板块")
        self.section_id, self.old, self.new = section_id, old, new

    def _set(self, title: str) -> None:
        self.actions.ctx.ledgers.rename_section(self.section_id, title)
        self.actions.structure_changed.emit(None)

    def redo(self) -> None:
        self._guard(lambda: self._set(self.new))

    def undo(self) -> None:
        self._guard(lambda: self._set(self.old))


class AddProgressCommand(_Command):
    """A new progress entry. Undo removes it and puts back everything it changed on the task
    (progress, status, percent, 最后更新); redo records it again with its original date and time."""

    def __init__(
        self,
        actions: CommandHost,
        task: Task,
        text: str,
        status: TaskStatus,
        percent: int,
        author: str,
        round_id: int | None,
        when: tuple[Any, Any] = (None, None),
    ):
        super().__init__(actions, "添加进展记录")
        self.task_id = task.id
        self.before: ProgressState | None = None
        self.args = (text, status, percent, author, round_id)
        self.entry: ProgressEntry | None = None
        self.when = when  # (entry date, time) of an entry typed earlier (kept through an outage); else now

    def redo(self) -> None:
        def do() -> None:
            text, status, percent, author, round_id = self.args
            tid = self.actions.resolve(self.task_id)
            progress = self.actions.ctx.progress
            if self.before is None:
                self.before = ProgressState.of(self.actions.ctx.ledgers.get_task(tid))
            if author == KEPT_AUTHOR:
                author = (self.actions.ctx.settings.get("contact_person", "") or "").strip()
                self.args = (text, status, percent, author, round_id)
            first = self.entry
            self.entry = progress.add_entry(
                tid,
                text,
                status,
                percent,
                author=author,
                round_id=round_id,
                entry_date=first.entry_date if first else self.when[0],
                at=first.created_at if first else self.when[1],
            )
            self.actions.emit_task(tid)
            self.actions.history_changed.emit(tid)

        self._guard(do)

    def undo(self) -> None:
        def do() -> None:
            tid = self.actions.resolve(self.task_id)
            entry_id = self.entry.id if self.entry is not None else None
            task = self.actions.ctx.progress.restore_state(tid, self.before, remove_entry=entry_id)
            self.actions.task_changed.emit(task)
            self.actions.history_changed.emit(tid)

        self._guard(do)


class CorrectEntryCommand(_Command):
    """更正 a recorded progress entry; undo puts the entry's old text, status and percent back."""

    def __init__(self, actions: CommandHost, entry: ProgressEntry, text: str, status: TaskStatus, percent: int):
        super().__init__(actions, "更正进展记录")
        self.entry_id = entry.id
        self.task_id = entry.task_id
        self.old = (entry.text, entry.status, entry.percent)
        self.new = (text, status, percent)

    def _apply(self, values: tuple) -> None:
        def do() -> None:
            self.actions.ctx.progress.correct_entry(self.entry_id, *values)
            tid = self.actions.resolve(self.task_id)
            self.actions.emit_task(tid)
            self.actions.history_changed.emit(tid)

        self._guard(do)

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


class WithdrawEntryCommand(_Command):
    """撤回 a recorded progress entry; undo brings it back with the task's progress as it was."""

    def __init__(self, actions: CommandHost, entry: ProgressEntry):
        super().__init__(actions, "撤回进展记录")
        self.entry = entry
        self.task_id = entry.task_id
        self.before: ProgressState | None = None

    def redo(self) -> None:
        def do() -> None:
            tid = self.actions.resolve(self.task_id)
            progress = self.actions.ctx.progress
            self.before = ProgressState.of(self.actions.ctx.ledgers.get_task(tid))
            progress.withdraw_entry(self.entry.id)
            self.actions.emit_task(tid)
            self.actions.history_changed.emit(tid)

        self._guard(do)

    def undo(self) -> None:
        def do() -> None:
            tid = self.actions.resolve(self.task_id)
            back = self.actions.ctx.progress.reinstate_entry(
                dataclasses.replace(self.entry, task_id=tid), self.before
            )
            self.entry = back  # a redo withdraws the entry that came back
            self.actions.emit_task(tid)
            self.actions.history_changed.emit(tid)

        self._guard(do)
