"""Task, section and ledger commands of the main window (a mixin: MainWindow holds the state)."""

from __future__ import annotations

from desktop_app import APP_NAME


class EditCommandsMixin:
    """Needs on self: ctx, model, task_view, actions_, undo_stack, ask_* methods, show_* methods."""

    # ---- task and section commands ---------------------------------------------------------------------------
    def add_task(self) -> None:
        if self._ledger is None:
            return
        row = self.task_view.currentIndex().row()
        section = self.model.section_at(row) if row >= 0 else None
        if section is None:
            sections = self.model.sections()
            if not sections:
                self.show_error("这本台账还没有板块：请先用“编辑 → 新增板块”添加一个板块。")
                return
            section = sections[-1]
        task = self.current_task()
        position = task.position + 1 if task is not None and task.section_id == section.id else None
        self.actions_.add_task(section.id, position)

    def delete_tasks(self) -> None:
        """Delete key: the tasks go to the 回收站 (nothing is destroyed, Ctrl+Z or the bin brings them
        back), so one task goes without a question, as a file does to the Windows recycle bin; a
        selection of several is confirmed, in case the selection is not what the user thinks."""
        ids = self.task_view.selected_task_ids()
        if not ids:
            return
        if len(ids) > 1 and not self.ask_confirm(
            f"确定把所选的 {len(ids)} 项任务移到回收站吗？（可用 Ctrl+Z 撤销，或在“编辑 → 回收站”中恢复）"
        ):
            return
        self.progress_editor.flush()  # text typed for a task being deleted is saved with it first
        if self.actions_.delete_tasks(ids):
            what = "所选任务" if len(ids) == 1 else f"{len(ids)} 项任务"
            self.show_info(f"{what}已移到回收站（Ctrl+Z 撤销）。")

    def open_bulk_edit(self) -> None:
        """批量修改: one value for a field of every selected task, written as one undo step."""
        from desktop_app.ui.dialogs.bulk_edit_dialog import BulkEditDialog

        ids = self.task_view.selected_task_ids()
        if not ids:
            self.show_info("请先在表格中选中要修改的任务（按住 Ctrl 或 Shift 可多选）。")
            return
        self.task_view.commit_open_editor()
        self.progress_editor.flush()
        dialog = BulkEditDialog(len(ids), self.model.unit_names(), self)
        if self.run_dialog(dialog) and dialog.values():
            self.office.bulk_set(ids, dialog.values())

    def open_find(self, replace: bool = False) -> None:
        """查找 (Ctrl+F) / 替换 (Ctrl+H) over every text field of the ledger."""
        from desktop_app.ui.dialogs.find_replace_dialog import FindReplaceDialog

        if self._ledger is None:
            return
        self.task_view.commit_open_editor()
        self.progress_editor.flush()
        dialog = FindReplaceDialog(self.model.tasks, self._goto_field, self.office.apply, replace, self)
        selected = self.filter_bar.search.text().strip()
        if selected:
            dialog.find_edit.setText(selected)
        self.last_find_dialog = dialog
        self.run_dialog(dialog)

    def _goto_field(self, task_id: int, field: str) -> None:
        from desktop_app.ui.models.task_table_model import COLUMNS

        self.goto_task(task_id)
        column = next((i for i, c in enumerate(COLUMNS) if c.field == field), None)
        if column is None and field in ("item", "cooperating_text"):
            column = next(i for i, c in enumerate(COLUMNS) if c.key == ("content" if field == "item" else "units"))
        row = self.model.row_of_task(task_id)
        if column is not None and row >= 0 and not self.task_view.isColumnHidden(column):
            index = self.model.index(row, column)
            self.task_view.setCurrentIndex(index)
            self.task_view.scrollTo(index)

    def open_recycle_bin(self) -> None:
        from desktop_app.ui.dialogs.recycle_bin_dialog import RecycleBinDialog

        self.task_view.commit_open_editor()
        self.progress_editor.flush()
        dialog = RecycleBinDialog(self.ctx, self._ledger.id if self._ledger else None, self)
        self.run_dialog(dialog)  # tests replace run_dialog to drive the dialog
        if not dialog.changed:
            return
        self.reload_ledger_summaries()
        if self._ledger is not None and self._ledger.id is not None:
            here = [t for t in dialog.restored if t.ledger_id == self._ledger.id]
            keep = here[-1].id if here else self.task_view.current_task_id()
            self.open_ledger(self._ledger.id, keep_task=keep)
        if dialog.restored:
            self.show_info(f"已从回收站恢复 {len(dialog.restored)} 项任务（含进展记录和佐证材料）。")

    def move_task(self, step: int) -> None:
        task = self.current_task()
        if task is None or task.section_id is None:
            return
        if self.model.sort_state()[0] >= 0:
            self.show_info("表格按列排序时不能移动任务：请先在表头右键选择“恢复原表顺序”。")
            return
        sections = self.model.sections()
        index = next((i for i, s in enumerate(sections) if s.id == task.section_id), None)
        if index is None:
            return
        section = sections[index]
        pos = next((i for i, t in enumerate(section.tasks) if t.id == task.id), 0)
        new = pos + step
        if 0 <= new < len(section.tasks):
            self.actions_.move_task(task.id, section.id, pos, section.id, new)
        elif new < 0 and index > 0:  # to the end of the section above
            target = sections[index - 1]
            self.actions_.move_task(task.id, section.id, pos, target.id, len(target.tasks))
        elif new >= len(section.tasks) and index + 1 < len(sections):  # to the top of the next one
            self.actions_.move_task(task.id, section.id, pos, sections[index + 1].id, 0)

    def _current_section(self):
        row = self.task_view.currentIndex().row()
        return self.model.section_at(row) if row >= 0 else None

    def add_section(self) -> None:
        if self._ledger is None:
            return
        title = self.ask_text("新增板块", "板块标题（如“一、加强政策解读”）：")
        if title:
            current = self._current_section()
            sections = self.model.sections()
            position = next(
                (i + 1 for i, s in enumerate(sections) if current is not None and s.id == current.id), None
            )
            self.actions_.add_section(self._ledger.id, title, position)

    def rename_section(self) -> None:
        section = self._current_section()
        if section is None:
            return
        title = self.ask_text("重命名板块", "板块标题：", section.title or "")
        if title:
            self.actions_.rename_section(section.id, section.title or "", title)

    def _rename_section_to(self, section_id: int, title: str) -> bool:
        section = next((s for s in self.model.sections() if s.id == section_id), None)
        if section is None or not title:
            return False
        self.actions_.rename_section(section_id, section.title or "", title)
        return True

    def delete_section(self) -> None:
        section = self._current_section()
        if section is None or self._ledger is None:
            return
        if self.ask_confirm(
            f"确定删除板块“{section.title or '（未分节）'}”及其中的 {len(section.tasks)} 项任务吗？（可撤销）"
        ):
            self.actions_.delete_section(self._ledger.id, section.id)

    # ---- ledger commands -------------------------------------------------------------------------------------
    def new_ledger(self) -> None:
        values = self.ask_new_ledger()
        if not values:
            return
        ledger = self.actions_.guard(lambda: self.ctx.ledgers.create_ledger(values[0], values[1]))
        if ledger is not None:
            self.reload_ledgers(select=ledger.id)
            self.open_ledger(ledger.id)

    def rename_ledger(self) -> None:
        if self._ledger is None:
            return
        title = self.ask_text("重命名台账", "台账名称：", self._ledger.title)
        if title and title != self._ledger.title:
            lid = self._ledger.id
            self.actions_.guard(lambda: self.ctx.ledgers.rename_ledger(lid, title))
            self._ledger.title = title
            self.reload_ledger_summaries()
            self.setWindowTitle(f"{title} — {APP_NAME}")
            self._refresh_side()

    def edit_ledger_info(self) -> None:
        if self._ledger is None:
            return
        fields = self.ask_ledger_info(self._ledger)
        if fields:
            lid = self._ledger.id
            self.actions_.guard(lambda: self.ctx.ledgers.update_ledger(lid, **fields))
            self.reload_ledgers(select=lid)
            self.open_ledger(lid)

    def delete_ledger(self) -> None:
        if self._ledger is None:
            return
        ledger = self._ledger
        count = self.model.total_count
        if not self.ask_confirm(
            f"确定删除台账《{ledger.title}》（{count} 项任务及其全部进展记录）吗？删除后不能撤销，建议先在“设置”中备份。"
        ):
            return
        if self.actions_.guard(lambda: (self.ctx.ledgers.delete_ledger(ledger.id), True)[1]):
            self._ledger = None
            self.undo_history.forget(ledger.id)
            self.reload_ledgers()

    def copy_to_next_year(self) -> None:
        """年度结转: the dialog asks what to carry and why not, runs the copy and lists what needs review."""
        if self._ledger is None:
            return
        from desktop_app.ui.dialogs.carry_over_dialog import CarryOverDialog

        ledger = self.actions_.guard(lambda: self.ctx.ledgers.get_ledger(self._ledger.id))
        if ledger is None:
            return
        # a failed copy (LedgerError) is shown inside the dialog and changes nothing
        dialog = CarryOverDialog(
            ledger, lambda reasons: self.ctx.ledgers.copy_to_next_year(ledger.id, reasons), self
        )
        self.run_dialog(dialog)
        result = dialog.result_value
        if result is not None:
            self.reload_ledgers(select=result.ledger.id)
            self.open_ledger(result.ledger.id)
            review = f"，{len(result.to_confirm)} 项完成时限待确认" if result.to_confirm else ""
            self.statusBar().showMessage(
                f"已新建《{result.ledger.title}》，结转 {result.carried} 项任务，"
                f"{len(result.left_behind)} 项未结转{review}。"
            )

    def search_all_ledgers(self) -> None:
        """编辑 → 查找所有台账: words in every ledger and year; the task chosen is shown in its ledger."""
        from desktop_app.ui.dialogs.search_all_dialog import SearchAllDialog

        self.task_view.commit_open_editor()
        self.progress_editor.flush()
        dialog = SearchAllDialog(self.ctx, self)
        if not self.run_dialog(dialog) or dialog.chosen is None:
            return
        hit = dialog.chosen
        if self._ledger is None or self._ledger.id != hit.ledger_id:
            self.reload_ledgers(select=hit.ledger_id)
            self.open_ledger(hit.ledger_id, keep_task=hit.task_id)
        self.show_tab(0)
        if not self.task_view.select_task(hit.task_id):
            self.show_info(f"该任务在《{hit.ledger_title}》中被当前筛选隐藏：请清除筛选后查看。")

    def open_audit_trail(self) -> None:
        """编辑 → 修改记录: who changed what in this ledger (the selected task first in reach)."""
        if self._ledger is None:
            return
        from desktop_app.ui.dialogs.audit_dialog import AuditDialog

        self.task_view.commit_open_editor()
        self.progress_editor.flush()
        dialog = AuditDialog(self.ctx, self._ledger, self.task_view.current_task_id(), self)
        self.run_dialog(dialog)

    def derive_unit_ledger(self) -> None:
        """生成本单位台账 from the ledger shown (the city's); the new ledger is opened."""
        if self._ledger is None:
            return
        from desktop_app.ui.dialogs.derive_dialog import DeriveDialog

        city = self.actions_.guard(lambda: self.ctx.ledgers.get_ledger(self._ledger.id))
        if city is None:
            return
        dialog = DeriveDialog(self.ctx, city, self)
        if not self.run_dialog(dialog) or dialog.result_ledger is None:
            return
        new = dialog.result_ledger
        self.reload_ledgers(select=new.id)
        self.open_ledger(new.id)
        self.statusBar().showMessage(f"已生成《{new.title}》，共 {len(new.all_tasks())} 项任务。")

    def edit_report_dates(self) -> None:
        if self._ledger is None:
            return
        dates = self.ask_report_dates(list(self._ledger.report_dates), self._ledger.year)
        if dates is None:
            return
        lid = self._ledger.id
        self.actions_.guard(lambda: self.ctx.progress.set_report_dates(lid, dates))
        self._ledger.report_dates = dates
        self.refresh_statuses()
