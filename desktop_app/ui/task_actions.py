"""Edits to tasks and sections, each pushed on the undo stack; announces what changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoGroup, QUndoStack
from PySide6.QtWidgets import QWidget

from desktop_app.domain.model import ConnectionLost, EditConflict, LedgerError, Task, TaskStatus
from desktop_app.domain.workdays import UnknownYearError
from desktop_app.ui import undo_commands as cmd


class TaskActions(QObject):
    task_changed = Signal(object)  # Task: one row to refresh
    structure_changed = Signal(object)  # task id to select afterwards, or None: reload the ledger
    task_inserted = Signal(object)  # Task added or restored (select it)
    task_removed = Signal(int)  # task id deleted
    task_moved = Signal(object)  # Task at its new section/position
    history_changed = Signal(int)  # task id whose progress history changed
    error = Signal(str)
    holidays_missing = Signal(int, str)  # (year, message): working days of a year without holiday data
    notice = Signal(str)  # a passing note for the status bar (a kept edit saved after all)

    def __init__(
        self,
        ctx: Any,
        undo_stack: QUndoStack | QUndoGroup,
        lookup: Callable[[int], Task | None],
        parent=None,
    ):
        super().__init__(parent)
        self.ctx = ctx
        self._undo = undo_stack  # a group: edits go on the stack of the ledger shown
        self._lookup = lookup
        self._alias: dict[int, int] = {}
        # cell edits a dropped connection held back: (task id, field) -> the value typed; saved when the
        # server is back (retry_pending: the window calls it when its change watcher reaches the server again)
        self.pending: dict[tuple[int, str], Any] = {}
        self._editing: tuple[int, str, Any] | None = None
        self._retrying = False
        self._lost_again = False

    @property
    def undo_stack(self) -> QUndoStack:
        if isinstance(self._undo, QUndoGroup):
            return self._undo.activeStack()
        return self._undo

    # ids can change when a deleted task is restored: commands keep the first id and resolve it
    def remap(self, old: int, new: int) -> None:
        for k, v in list(self._alias.items()):
            if v == old:
                self._alias[k] = new
        self._alias[old] = new

    def resolve(self, task_id: int) -> int:
        return self._alias.get(task_id, task_id)

    def lookup(self, task_id: int) -> Task | None:
        return self._lookup(task_id)

    def report_error(self, message: str, missing_year: int | None = None) -> None:
        if missing_year is not None:
            self.holidays_missing.emit(missing_year, message)  # the window offers the holiday editor
        else:
            self.error.emit(message)

    def refused(self, exc: LedgerError) -> None:
        """A service refused: say why (a year without holiday data opens the way to its editor). A cell
        edit the server's outage stopped is kept and tried again, and the sentence says so."""
        if isinstance(exc, ConnectionLost) and self._editing is not None:
            task_id, field, value = self._editing
            first = (task_id, field) not in self.pending
            self._lost_again = True
            self.pending[(task_id, field)] = value
            if first and not self._retrying:
                label = cmd.FIELD_LABELS.get(field, field)
                task = self._lookup(task_id)
                where = f"第 {task.number} 项的“{label}”" if task is not None and task.number else f"“{label}”"
                self.report_error(
                    f"与数据库服务器的连接中断了，您在{where}中输入的内容还没有保存，但没有丢失："
                    "程序保留着它，连接恢复后自动保存（表格里暂时显示原来的内容）。"
                )
            return
        self.report_error(exc.message, exc.year if isinstance(exc, UnknownYearError) else None)

    def resolve_conflict(self, conflict: EditConflict) -> str | None:
        """Someone else changed the same field meanwhile: the text to save (mine, theirs or merged),
        or None to keep theirs. Asks in ConflictDialog (tests replace this method)."""
        from desktop_app.ui.dialogs.conflict_dialog import ConflictDialog

        parent = self.parent()
        return ConflictDialog.choose(parent if isinstance(parent, QWidget) else None, conflict)

    def emit_task(self, task_id: int) -> None:
        task = self._fresh_task(task_id)
        if task is not None:
            self.task_changed.emit(task)

    def _fresh_task(self, task_id: int) -> Task | None:
        getter = getattr(self.ctx.ledgers, "get_task", None)
        if getter is not None:
            return getter(task_id)
        task = self._lookup(task_id)
        if task is None or task.ledger_id is None:
            return None
        ledger = self.ctx.ledgers.get_ledger(task.ledger_id)
        return next((t for t in ledger.all_tasks() if t.id == task_id), None)

    # ---- task edits ---------------------------------------------------------------------------------
    def edit(self, task_id: int, field: str, value: Any, merge: bool = False) -> bool:
        task = self._lookup(task_id)
        if task is None:
            return False
        old = cmd.field_value(task, field)
        if isinstance(value, TaskStatus):
            value = value.value
        if old == value:
            return False
        command = cmd.EditTaskCommand(self, task_id, field, old, value, merge, version=task.version or None)
        self._editing = (task_id, field, value)
        try:
            self.undo_stack.push(command)
        finally:
            self._editing = None
        if command.ok:
            self.pending.pop((task_id, field), None)  # a newer edit of the same cell went through
        return command.ok

    def retry_pending(self) -> int:
        """Save the cell edits a dropped connection held back; returns how many went through."""
        saved = 0
        self._retrying = True
        try:
            for (task_id, field), value in list(self.pending.items()):
                task = self._lookup(task_id)
                self._lost_again = False
                if task is not None and cmd.field_value(task, field) != value:
                    if self.edit(task_id, field, value):
                        saved += 1
                    elif self._lost_again:
                        break  # still no connection: this and the rest wait for the next try
                # saved, gone, already so, or refused for another reason (said), or theirs kept
                self.pending.pop((task_id, field), None)
        finally:
            self._retrying = False
        if saved:
            self.notice.emit(f"与数据库服务器的连接已恢复，断线时输入的 {saved} 处内容已保存。")
        return saved

    def add_task(self, section_id: int, position: int | None = None) -> None:
        self.undo_stack.push(cmd.AddTaskCommand(self, section_id, position))

    def delete_tasks(self, task_ids: list[int]) -> bool:
        """Move the tasks to the recycle bin (one undo step); True when every one went."""
        if not task_ids:
            return False
        if len(task_ids) == 1:
            command = cmd.DeleteTaskCommand(self, task_ids[0])
            self.undo_stack.push(command)
            return command.ok
        commands = [cmd.DeleteTaskCommand(self, tid) for tid in task_ids]
        self.undo_stack.beginMacro(f"删除 {len(task_ids)} 项任务")
        for command in commands:
            self.undo_stack.push(command)
        self.undo_stack.endMacro()
        return all(c.ok for c in commands)

    def move_task(self, task_id: int, section_id: int, from_pos: int, to_section: int, to_pos: int) -> None:
        self.undo_stack.push(cmd.MoveTaskCommand(self, task_id, (section_id, from_pos), (to_section, to_pos)))

    def add_progress(
        self,
        task: Task,
        text: str,
        status: TaskStatus,
        percent: int,
        author: str,
        round_id: int | None = None,
    ) -> None:
        self.undo_stack.push(cmd.AddProgressCommand(self, task, text, status, percent, author, round_id))

    def correct_entry(self, entry: Any, text: str, status: TaskStatus, percent: int) -> None:
        self.undo_stack.push(cmd.CorrectEntryCommand(self, entry, text, status, percent))

    def withdraw_entry(self, entry: Any) -> None:
        self.undo_stack.push(cmd.WithdrawEntryCommand(self, entry))

    # ---- sections -----------------------------------------------------------------------------------
    def add_section(self, ledger_id: int, title: str, position: int | None = None) -> None:
        self.undo_stack.push(cmd.AddSectionCommand(self, ledger_id, title, position))

    def delete_section(self, ledger_id: int, section_id: int) -> None:
        self.undo_stack.push(cmd.DeleteSectionCommand(self, ledger_id, section_id))

    def rename_section(self, section_id: int, old: str, new: str) -> None:
        if old != new:
            self.undo_stack.push(cmd.RenameSectionCommand(self, section_id, old, new))

    def guard(self, fn: Callable[[], Any]) -> Any:
        """Run a non-undoable service call, turning a LedgerError into an error message."""
        try:
            return fn()
        except LedgerError as exc:
            self.refused(exc)
            return None
