"""Edits to tasks and sections, each pushed on the undo stack; announces what changed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoGroup, QUndoStack
from PySide6.QtWidgets import QWidget

from desktop_app.domain import clock
from desktop_app.domain.model import ConnectionLost, EditConflict, LedgerError, Task, TaskStatus
from desktop_app.domain.workdays import UnknownYearError
from desktop_app.services.pending_service import KeptCell, KeptEdit, PendingEdits
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
        # edits a dropped connection held back (a cell, a paste, 批量修改, a progress entry), each kept
        # whole; saved when the server is back (retry_pending: the window calls it when its change
        # watcher reaches the server again), and kept in a file meanwhile (keep_pending_in)
        self.pending = PendingEdits("")
        self._keeping: KeptEdit | None = None
        self._retrying = False
        self._lost_again = False

    def keep_pending_in(self, path: Any, database_key: str) -> list[KeptEdit]:
        """Kept edits go to `path` too (the user's data folder); returns what a previous session left
        there for this database (offered by the window, see apply_kept)."""
        self.pending = PendingEdits(database_key, path)
        return self.pending.load()

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
        """A service refused: say why (a year without holiday data opens the way to its editor). An
        edit the server's outage stopped is kept whole and tried again, and the sentence says so."""
        if isinstance(exc, ConnectionLost) and self._keeping is not None:
            self._lost_again = True
            if self.pending.keep(self._keeping) and not self._retrying:
                self.report_error(
                    f"与数据库服务器的连接中断了，您{self._keeping.label}还没有保存，但没有丢失："
                    "程序保留着它，连接恢复后自动保存（表格里暂时显示原来的内容）。"
                )
            return
        self.report_error(exc.message, exc.year if isinstance(exc, UnknownYearError) else None)

    def _where(self, task_id: int) -> str:
        task = self._lookup(task_id)
        return f"第 {task.number} 项" if task is not None and task.number else "这项任务"

    def resolve_conflict(self, conflict: EditConflict) -> str | None:
        """Someone else changed the same field meanwhile: the text to save (mine, theirs or merged),
        or None to keep theirs. Asks in ConflictDialog (tests replace this method)."""
        from desktop_app.ui.dialogs.conflict_dialog import ConflictDialog

        parent = self.parent()
        return ConflictDialog.choose(parent if isinstance(parent, QWidget) else None, conflict)

    def emit_task(self, task_id: int) -> None:
        if self._lookup(task_id) is None:
            return  # not in the table shown
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
        version = task.version or None
        command = cmd.EditTaskCommand(self, task_id, field, old, value, merge, version=version)
        label = cmd.FIELD_LABELS.get(field, field)
        kept = KeptEdit("cells", f"在{self._where(task_id)}的“{label}”中输入的内容",
                        [KeptCell(task_id, field, value, old, version)])
        return self._push(command, kept, [(task_id, field)])

    def edit_many(self, edits: list[tuple[int, str, Any]], label: str) -> int:
        """Several cells as one undo step and one transaction (paste, 批量修改, 已完成 with 100 %): all
        saved or none; returns how many cells changed."""
        rows = []
        for tid, field, value in edits:
            task = self._lookup(tid)
            if task is None:
                continue
            value = value.value if isinstance(value, TaskStatus) else value
            old = cmd.field_value(task, field)
            if old != value:
                rows.append((tid, field, old, value, task.version or None))
        if not rows:
            return 0
        n = len(rows)
        if label == "设为已完成":
            what = f"把{self._where(rows[0][0])}设为已完成（进度 100%）的修改"
        else:
            what = f"{label}的 {n} 个单元格"
        kept = KeptEdit("cells", what, [KeptCell(r[0], r[1], r[3], r[2], r[4]) for r in rows])
        text = f"{label} {n} 个单元格" if n > 1 and label != "设为已完成" else label
        return self._push_cells(rows, text, kept)

    def _push_cells(self, rows: list[tuple], text: str, kept: KeptEdit, undoable: bool = True) -> int:
        command = cmd.EditTasksCommand(self, rows, text)
        ok = self._push(command, kept, [(r[0], r[1]) for r in rows], undoable)
        return command.written if ok else 0

    def _push(self, command: Any, kept: KeptEdit, cells: list[tuple[int, str]], undoable: bool = True) -> bool:
        """Run the command (on the undo stack, or once when what it edits is not shown); an outage keeps
        `kept` (refused). Saved: the same cells' older kept values go."""
        self._keeping = kept
        try:
            if undoable:
                self.undo_stack.push(command)
            else:
                command.redo()
        finally:
            self._keeping = None
        if command.ok:
            self.pending.supersede(cells)
        return bool(command.ok)

    def retry_pending(self, announce: bool = True) -> int:
        """Save the edits a dropped connection held back, in the order made; returns how many changes
        went through (a cell is one, a progress entry one). Still no connection: the rest wait."""
        saved = 0
        self._retrying = True
        try:
            for kept in self.pending:
                self._lost_again = False
                saved += self.apply_kept(kept)
                if self._lost_again:
                    break  # still no connection: this and the rest wait for the next try
                self.pending.drop(kept)  # saved, gone, or refused for another reason (said), or theirs kept
        finally:
            self._retrying = False
        if saved and announce:
            self.notice.emit(f"与数据库服务器的连接已恢复，断线时输入的 {saved} 处内容已保存。")
        return saved

    def apply_kept(self, kept: KeptEdit) -> int:
        """One kept edit through the ordinary versioned path (a conflict is shown as one); undoable when
        the tasks are in the table shown. Returns how many changes were saved."""
        undoable = all(self._lookup(tid) is not None for tid in kept.task_ids())
        if kept.kind == "entry" and kept.entry is not None:
            e = kept.entry
            task = self._lookup(int(e["task_id"])) or Task(id=int(e["task_id"]))
            when = (
                date.fromisoformat(e["entry_date"]) if e.get("entry_date") else None,
                datetime.fromisoformat(e["at"]) if e.get("at") else None,
            )
            command = cmd.AddProgressCommand(
                self, task, e["text"], TaskStatus(e["status"]), int(e["percent"]), e.get("author", ""),
                e.get("round_id"), when=when,
            )
            return int(self._push(command, kept, [], undoable))
        rows = [(c.task_id, c.field, c.base, c.value, c.version) for c in kept.cells]
        if not rows:
            return 0
        if len(rows) == 1 and undoable:
            tid, field, old, new, version = rows[0]
            command = cmd.EditTaskCommand(self, tid, field, old, new, version=version)
            return int(self._push(command, kept, [(tid, field)]))
        return self._push_cells(rows, f"补存 {len(rows)} 个单元格", kept, undoable)

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
    ) -> bool:
        """A new progress entry (one undo step); an outage keeps it to record when the server is back."""
        when = (clock.today(), datetime.now().replace(microsecond=0))  # kept: recorded as of now
        command = cmd.AddProgressCommand(self, task, text, status, percent, author, round_id)
        entry = {
            "task_id": task.id, "text": text, "status": TaskStatus(status).value, "percent": int(percent),
            "author": author, "round_id": round_id, "entry_date": when[0], "at": when[1],
        }
        return self._push(command, KeptEdit("entry", f"为{self._where(task.id)}新填的进展记录", entry=entry), [])

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
