"""Undoable edits: every change to a task, a section or the progress history is one QUndoCommand
that calls the services (which commit at once and write the audit log)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from desktop_app.domain.model import LedgerError, ProgressEntry, Section, Task, TaskStatus

if TYPE_CHECKING:
    from desktop_app.ui.task_actions import TaskActions

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
_LINKED = ("status", "percent")  # fields an update of the other may change


def field_value(task: Task, field: str) -> Any:
    """The current value of an update_task field on a Task."""
    if field == "deadline_text":
        return task.deadline.text
    if field == "status":
        return task.status.value
    if field.startswith("extra:"):
        return task.extra.get(field[6:], "")
    return getattr(task, field)


class _Command(QUndoCommand):
    def __init__(self, actions: TaskActions, text: str) -> None:
        super().__init__(text)
        self.actions = actions
        self.ok = True  # False when the service refused (the stack then drops the command)

    def _guard(self, fn) -> bool:
        try:
            fn()
        except LedgerError as exc:
            self.actions.report_error(exc.message)
            self.ok = False
            self.setObsolete(True)
            return False
        return True


class EditTaskCommand(_Command):
    def __init__(
        self, actions: TaskActions, task_id: int, field: str, old: Any, new: Any, merge: bool = False
    ):
        super().__init__(actions, f"修改{FIELD_LABELS.get(field, field)}")
        self.task_id, self.field, self.old, self.new, self.merge = task_id, field, old, new, merge

    def _set(self, value: Any) -> Task:
        task = self.actions.ctx.ledgers.update_task(self.actions.resolve(self.task_id), self.field, value)
        self.actions.task_changed.emit(task)
        return task

    def redo(self) -> None:
        def do() -> None:
            before = self.actions.lookup(self.actions.resolve(self.task_id))
            after = self._set(self.new)
            # the service may change a linked field (status 已完成 sets 100%): undo puts those back too
            self.side = {
                f: field_value(before, f)
                for f in _LINKED
                if f != self.field and before is not None and field_value(before, f) != field_value(after, f)
            }

        self._guard(do)

    def undo(self) -> None:
        def do() -> None:
            task = self._set(self.old)
            for f, value in getattr(self, "side", {}).items():
                if field_value(task, f) != value:
                    task = self.actions.ctx.ledgers.update_task(task.id, f, value)
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
        return True


class AddTaskCommand(_Command):
    def __init__(
        self, actions: TaskActions, section_id: int, position: int | None, template: Task | None = None
    ):
        super().__init__(actions, "新增任务")
        self.section_id, self.position, self.template = section_id, position, template
        self.saved: Task | None = None
        self.task_id: int | None = None

    def redo(self) -> None:
        def do() -> None:
            ledgers = self.actions.ctx.ledgers
            task = (
                ledgers.restore_task(self.saved)
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
            self.saved = self.actions.ctx.ledgers.delete_task(tid)
            self.actions.task_removed.emit(tid)

        self._guard(do)


class DeleteTaskCommand(_Command):
    def __init__(self, actions: TaskActions, task_id: int):
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
            task = self.actions.ctx.ledgers.restore_task(self.saved)
            if task.id != self.actions.resolve(self.task_id):
                self.actions.remap(self.task_id, task.id)
            self.actions.task_inserted.emit(task)

        self._guard(do)


class MoveTaskCommand(_Command):
    def __init__(self, actions: TaskActions, task_id: int, src: tuple[int, int], dst: tuple[int, int]):
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
    def __init__(self, actions: TaskActions, ledger_id: int, title: str, position: int | None):
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
    def __init__(self, actions: TaskActions, ledger_id: int, section_id: int):
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
    def __init__(self, actions: TaskActions, section_id: int, old: str, new: str):
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
    """A new progress entry; undo removes it and puts the task's progress/status/percent back."""

    def __init__(
        self,
        actions: TaskActions,
        task: Task,
        text: str,
        status: TaskStatus,
        percent: int,
        author: str,
        round_id: int | None,
    ):
        super().__init__(actions, "添加进展记录")
        self.task_id = task.id
        self.before = (task.progress, task.status.value, task.percent)
        self.args = (text, status, percent, author, round_id)
        self.entry: ProgressEntry | None = None

    def redo(self) -> None:
        def do() -> None:
            text, status, percent, author, round_id = self.args
            tid = self.actions.resolve(self.task_id)
            self.entry = self.actions.ctx.progress.add_entry(
                tid, text, status, percent, author=author, round_id=round_id
            )
            self.actions.emit_task(tid)
            self.actions.history_changed.emit(tid)

        self._guard(do)

    def undo(self) -> None:
        def do() -> None:
            tid = self.actions.resolve(self.task_id)
            progress = self.actions.ctx.progress
            if self.entry is not None and self.entry.id is not None and hasattr(progress, "delete_entry"):
                progress.delete_entry(self.entry.id)
            ledgers = self.actions.ctx.ledgers
            for field, value in zip(("progress", "status", "percent"), self.before, strict=True):
                ledgers.update_task(tid, field, value)
            self.actions.emit_task(tid)
            self.actions.history_changed.emit(tid)

        self._guard(do)
