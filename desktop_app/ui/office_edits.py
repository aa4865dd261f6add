"""Edits done the way Excel taught people: copy cells out, paste a column in, set a field on every
selected task, find and replace, and the status/percent questions. Receives only what it uses: the
table (view and model), the task edits and their undo stack, and a sink for messages and questions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from desktop_app.domain.model import Task, TaskStatus
from desktop_app.domain.status import display_percent
from desktop_app.ui.models.roles import FULL_TEXT_ROLE
from desktop_app.ui.models.task_table_model import COLUMN_INDEX, COLUMNS, TaskTableModel
from desktop_app.ui.table_clipboard import PastePlan, cell_value, cells_mime, parse_tsv, refused_sentence
from desktop_app.ui.task_actions import TaskActions

_STATUS, _PERCENT = COLUMN_INDEX["status"], COLUMN_INDEX["percent"]


class Questions(Protocol):
    """The two status/percent questions (the main window for the table, the progress editor for its
    own fields; tests replace them)."""

    def ask_done_percent(self, task: Task) -> str | None: ...  # "full" (set 100 %), "keep" (推进中), None
    def ask_done_at_full(self, task: Task) -> bool: ...  # also set 已完成 when the percent reaches 100


def ask_done_percent_box(parent: Any, task: Task) -> str | None:
    """已完成 on a task at less than 100 %: "full" sets 100 %, "keep" leaves it 推进中, None cancels."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Question, "状态与进度", "", QMessageBox.NoButton, parent)
    box.setText(f"这项任务的进度是 {display_percent(task)}%。设为“已完成”时把进度改为 100% 吗？")
    full = box.addButton("设为已完成，进度 100%", QMessageBox.AcceptRole)
    keep = box.addButton("保持推进中", QMessageBox.RejectRole)
    box.addButton("取消", QMessageBox.DestructiveRole)
    box.setDefaultButton(full)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    return "full" if clicked is full else "keep" if clicked is keep else None


def ask_done_at_full_box(parent: Any) -> bool:
    """Percent set to 100 on a task not done: also set 已完成?"""
    from PySide6.QtWidgets import QMessageBox

    answer = QMessageBox.question(
        parent, "状态与进度", "进度已到 100%，同时把状态设为“已完成”吗？",
        QMessageBox.Yes | QMessageBox.No, QMessageBox.Yes,
    )
    return answer == QMessageBox.Yes


class Messages(Protocol):
    """What the edits tell the user and ask them (the main window; tests replace the questions)."""

    def show_info(self, text: str) -> None: ...
    def show_error(self, text: str) -> None: ...
    def ask_done_percent(self, task: Task) -> str | None: ...  # "full" (set 100 %), "keep" (推进中), None
    def ask_done_at_full(self, task: Task) -> bool: ...  # also set 已完成 when the percent reaches 100


class TableView(Protocol):
    def currentIndex(self) -> Any: ...
    def selectionModel(self) -> Any: ...
    def horizontalHeader(self) -> Any: ...
    def selected_task_ids(self) -> list[int]: ...


class OfficeEdits:
    def __init__(self, view: TableView, model: TaskTableModel, actions: TaskActions, messages: Messages) -> None:
        self.view = view
        self.model = model
        self.actions = actions
        self.messages = messages

    # ---- the cells of the table -----------------------------------------------------------------
    def visible_columns(self) -> list[int]:
        """The columns shown, in the order the user sees them."""
        header = self.view.horizontalHeader()
        order = (header.logicalIndex(v) for v in range(header.count()))
        return [i for i in order if not header.isSectionHidden(i)]

    def selected_rows(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedIndexes()})
        if not rows and self.view.currentIndex().isValid():
            rows = [self.view.currentIndex().row()]
        return rows

    def cell_text(self, row: int, column: int) -> str:
        index = self.model.index(row, column)
        if self.model.is_section_row(row):
            return str(index.data(Qt.DisplayRole) or "") if column == 0 else ""
        if COLUMNS[column].key == "number":  # 21-1 as shown, to match the printed form
            return str(index.data(Qt.DisplayRole) or "")
        return str(index.data(FULL_TEXT_ROLE) or "")

    # ---- copy -----------------------------------------------------------------------------------
    def copy_rows(self) -> list[list[str]]:
        """The selected rows, the columns shown, with the header row on top (pasted into Word or a
        new sheet it is a table that says what each column is; pasting it back skips the header)."""
        rows = self.selected_rows()
        columns = self.visible_columns()
        if not rows:
            return []
        out = [[COLUMNS[c].header for c in columns]]
        for r in rows:
            if self.model.is_section_row(r):
                out.append([self.cell_text(r, 0)] + [""] * (len(columns) - 1))
            else:
                out.append([self.cell_text(r, c) for c in columns])
        return out

    def selected_block(self) -> list[list[str]] | None:
        """A selection of cells that are not whole rows: just those cells, as a block (the rows and the
        shown columns holding a selected cell, in the order seen; a cell inside the block that is not
        selected stays empty), without a header row, as Excel copies a range. None for whole rows."""
        indexes = self.view.selectionModel().selectedIndexes()
        if not indexes:
            return None
        columns = self.visible_columns()
        chosen = {(i.row(), i.column()) for i in indexes}
        rows = sorted({r for r, _c in chosen})
        if all((r, c) in chosen for r in rows for c in columns):
            return None  # whole rows: copied with their header row
        used = [c for c in columns if any((r, c) in chosen for r in rows)]
        return [[self.cell_text(r, c) if (r, c) in chosen else "" for c in used] for r in rows]

    def copy(self) -> int:
        """Ctrl+C: the selected cells on the clipboard as text and as an HTML table (whole rows with
        the header row on top, a block of cells as just those cells)."""
        block = self.selected_block()
        if block is not None:
            QGuiApplication.clipboard().setMimeData(cells_mime(block))
            cells = len(block) * len(block[0])
            self.messages.show_info(
                f"已复制 {len(block)} 行 × {len(block[0])} 列（{cells} 个单元格），可粘贴到 Excel、WPS 或 Word 中。"
            )
            return len(block)
        rows = self.copy_rows()
        if not rows:
            self.messages.show_info("请先在表格中选中要复制的任务。")
            return 0
        QGuiApplication.clipboard().setMimeData(cells_mime(rows))
        self.messages.show_info(f"已复制 {len(rows) - 1} 行，可粘贴到 Excel、WPS 或 Word 中。")
        return len(rows) - 1

    # ---- paste ----------------------------------------------------------------------------------
    def plan_paste(self, grid: list[list[str]]) -> PastePlan:
        """Where each pasted cell goes: from the current cell rightwards over the columns shown and
        downwards over the task rows shown; one pasted row fills every selected row (as in Excel)."""
        plan = PastePlan()
        grid = [row for row in grid if any(c.strip() for c in row)] or []
        headers = [c.header for c in COLUMNS]
        if grid and all(c.strip() in headers for c in grid[0] if c.strip()):
            grid = grid[1:]  # a header row copied along
        current = self.view.currentIndex()
        if not grid or not current.isValid():
            return plan
        columns = self.visible_columns()
        start = columns.index(current.column()) if current.column() in columns else 0
        task_rows = [r for r in range(self.model.rowCount()) if not self.model.is_section_row(r)]
        selected = [r for r in self.selected_rows() if not self.model.is_section_row(r)]
        if len(grid) == 1 and len(selected) > 1:
            targets = [(r, grid[0]) for r in selected]
        else:
            first = selected[0] if selected else current.row()
            below = [r for r in task_rows if r >= first]
            targets = list(zip(below, grid, strict=False))
            if len(grid) > len(below):
                plan.refused.append(f"有 {len(grid) - len(below)} 行超出表格末尾")
        for row, cells in targets:
            tid = self.model.task_id_at(row)
            task = self.model.task(tid) if tid is not None else None
            if task is None:
                continue
            for offset, text in enumerate(cells):
                if start + offset >= len(columns):
                    plan.refused.append(f"第 {row + 1} 行多出的 {len(cells) - offset} 格超出最后一列")
                    break
                column = columns[start + offset]
                value, why = cell_value(column, text)
                if why is not None:
                    plan.refused.append(f"序号 {self.model.shown_number(tid) or row + 1}“{COLUMNS[column].header}”：{why}")
                    continue
                plan.edits.append((tid, COLUMNS[column].field, value))
        return plan

    def paste(self, text: str | None = None) -> int:
        """Ctrl+V: cells copied from Excel/WPS over the table, checked first, written as one undo step."""
        if text is None:
            text = QGuiApplication.clipboard().text()
        plan = self.plan_paste(parse_tsv(text or ""))
        written = self.apply(plan.edits, "粘贴")
        if plan.refused:
            self.messages.show_error(refused_sentence(plan.refused, written))
        elif written:
            self.messages.show_info(f"已粘贴 {written} 个单元格（Ctrl+Z 可一步撤销）。")
        elif not plan.edits:
            self.messages.show_info("剪贴板中没有可粘贴的单元格，或内容与表格中相同。")
        return written

    # ---- writing several cells as one step ------------------------------------------------------
    def apply(self, edits: Iterable[tuple[int, str, Any]], label: str) -> int:
        """Write the edits as one undo step and one transaction (all or none); returns how many cells
        changed."""
        edits = [e for e in edits if self._differs(*e)]
        if not edits:
            return 0
        return self.actions.edit_many(edits, label)

    def _differs(self, tid: int, field: str, value: Any) -> bool:
        from desktop_app.ui.undo_commands import field_value

        task = self.model.task(tid)
        return task is not None and field_value(task, field) != value

    # ---- 批量修改 -------------------------------------------------------------------------------------
    def bulk_set(self, task_ids: list[int], values: dict[str, Any]) -> int:
        """Set each field to its value on every task (one undo step)."""
        edits = [(tid, field, value) for tid in task_ids for field, value in values.items()]
        written = self.apply(edits, "批量修改")
        self.messages.show_info(f"已修改 {len(task_ids)} 项任务的 {written} 个单元格（Ctrl+Z 可一步撤销）。")
        return written

    # ---- one cell edited in the table: status and percent agree --------------------------------------
    def edit_cell(
        self, tid: int, field: str, value: Any, merge: bool = False, ask: Questions | None = None
    ) -> bool:
        """The table's edit handler (and the progress editor's, asking through `ask`): 已完成 with less
        than 100 % asks to set 100 % (or keep 推进中); 100 % on a task not done asks whether it is 已完成."""
        ask = ask or self.messages
        task = self.model.task(tid) or self.actions.lookup(tid)
        if task is None:
            return False
        if field == "status" and str(value) == TaskStatus.DONE.value and display_percent(task) < 100:
            choice = ask.ask_done_percent(task)
            if choice is None:
                return False
            if choice == "keep":
                return self.actions.edit(tid, "status", TaskStatus.IN_PROGRESS.value)
            return bool(self.apply([(tid, "status", TaskStatus.DONE.value), (tid, "percent", 100)], "设为已完成"))
        if field == "percent" and _as_int(value) == 100 and task.status != TaskStatus.DONE:
            if ask.ask_done_at_full(task):
                return bool(self.apply([(tid, "percent", 100), (tid, "status", TaskStatus.DONE.value)], "设为已完成"))
        return self.actions.edit(tid, field, value, merge=merge)


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
