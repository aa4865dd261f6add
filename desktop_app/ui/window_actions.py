"""The main window's QActions, menus (文件/编辑/视图/台账/报送/帮助) and toolbar, with shortcuts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle, QToolBar

from desktop_app.ui.window_parts import WindowCommands


class WindowActions:
    """Holds every action as an attribute so tests and menus share them."""

    def editing(self) -> list[QAction]:
        """The actions that change the database: disabled on a database opened read-only (只读)."""
        names = (
            "import_file", "save", "holidays", "add_task", "delete_task", "move_up", "move_down",
            "add_section", "rename_section", "delete_section", "recycle_bin", "new_ledger", "rename_ledger",
            "ledger_props", "delete_ledger", "copy_next_year", "load_sample", "report_dates",
        )
        return [getattr(self, n) for n in names if hasattr(self, n)]

    def __init__(self, w: WindowCommands) -> None:
        self.w = w
        style = w.style()

        def act(text: str, slot, shortcut=None, icon=None, name: str = "", tip: str = "") -> QAction:
            a = QAction(text, w)
            if shortcut is not None:
                a.setShortcut(QKeySequence(shortcut))
                a.setShortcutContext(Qt.WindowShortcut)
            if icon is not None:
                a.setIcon(style.standardIcon(icon))
            if name:
                a.setObjectName(name)
            a.setToolTip(tip or text.replace("…", "").replace("&", ""))
            a.setStatusTip(tip or "")
            a.triggered.connect(lambda _checked=False: slot())
            return a

        # 文件
        self.import_file = act(
            "导入台账文件…",
            w.import_file,
            QKeySequence.Open,
            QStyle.SP_DialogOpenButton,
            "actionImport",
            "从 Word/Excel/JSON 文件导入台账（也可把文件拖进窗口）",
        )
        self.open_database = act(
            "打开数据库…",
            w.open_database,
            None,
            None,
            "actionOpenDatabase",
            "打开另一个台账数据库文件，或连接单位的数据库服务器（PostgreSQL，多人共用）",
        )
        self.export = act(
            "导出…",
            w.export_ledger,
            "Ctrl+E",
            QStyle.SP_DialogSaveButton,
            "actionExport",
            "导出为 Word、Excel、PDF 或 JSON（可选公开版、按原表填报、作为报送）",
        )
        self.print_preview = act(
            "打印预览…",
            w.print_preview,
            QKeySequence.Print,
            QStyle.SP_FileDialogContentsView,
            "actionPrint",
            "按公文格式打印当前显示的任务",
        )
        self.export_pdf = act("导出 PDF…", w.export_pdf, None, None, "actionExportPdf")
        self.settings = act(
            "设置…",
            w.open_settings,
            QKeySequence.Preferences,
            QStyle.SP_FileDialogDetailedView,
            "actionSettings",
            "本单位、填报人、提醒天数、字号（适老化）、数据与备份",
        )
        self.save = act(
            "保存",
            w.save_now,
            QKeySequence.Save,
            None,
            "actionSave",
            "修改随时自动保存；Ctrl+S 立即保存正在编辑的内容",
        )
        self.holidays = act(
            "节假日与调休…",
            w.open_holidays,
            None,
            None,
            "actionHolidays",
            "各年的放假和调休上班日（可粘贴国务院办公厅的节假日安排通知导入）",
        )
        self.quit = act("退出", w.close, QKeySequence.Quit, None, "actionQuit")
        # 编辑
        self.undo = w.undo_history.group.createUndoAction(w, "撤销")
        self.undo.setShortcut(QKeySequence.Undo)
        self.undo.setObjectName("actionUndo")
        self.undo.setIcon(style.standardIcon(QStyle.SP_ArrowBack))
        self.redo = w.undo_history.group.createRedoAction(w, "重做")
        ctrl_y = QKeySequence("Ctrl+Y")  # the platform's own redo keys too, without duplicates (ambiguous)
        self.redo.setShortcuts(
            [ctrl_y, *(k for k in QKeySequence.keyBindings(QKeySequence.Redo) if k != ctrl_y)]
        )
        self.redo.setObjectName("actionRedo")
        self.redo.setIcon(style.standardIcon(QStyle.SP_ArrowForward))
        self.add_task = act(
            "新增任务",
            w.add_task,
            "Ctrl+Shift+N",
            QStyle.SP_FileIcon,
            "actionAddTask",
            "在当前任务下方新增一项任务",
        )
        self.delete_task = act(
            "删除任务",
            w.delete_tasks,
            QKeySequence.Delete,
            QStyle.SP_TrashIcon,
            "actionDeleteTask",
            "把所选任务移到回收站（Ctrl+Z 撤销，或在“编辑 → 回收站”中恢复）",
        )
        self.delete_task.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        self.move_up = act("上移", lambda: w.move_task(-1), "Ctrl+Up", QStyle.SP_ArrowUp, "actionMoveUp")
        self.move_down = act(
            "下移", lambda: w.move_task(1), "Ctrl+Down", QStyle.SP_ArrowDown, "actionMoveDown"
        )
        self.add_section = act("新增板块…", w.add_section, None, None, "actionAddSection")
        self.rename_section = act("重命名板块…", w.rename_section, None, None, "actionRenameSection")
        self.delete_section = act("删除板块", w.delete_section, None, None, "actionDeleteSection")
        self.recycle_bin = act(
            "回收站…",
            w.open_recycle_bin,
            None,
            QStyle.SP_TrashIcon,
            "actionRecycleBin",
            "查看删除的任务，恢复所选（连同进展记录和佐证材料），或清空回收站",
        )
        self.copy = act(
            "复制",
            w.office.copy,
            QKeySequence.Copy,
            None,
            "actionCopy",
            "把所选任务（显示的列）复制为表格，可粘贴到 Excel、WPS 或 Word",
        )
        self.paste = act(
            "粘贴",
            w.office.paste,
            QKeySequence.Paste,
            None,
            "actionPaste",
            "把从 Excel/WPS 复制的一列或几列（进展、状态、进度……）粘贴到所选的行（一步撤销）",
        )
        for a in (self.copy, self.paste):
            a.setShortcutContext(Qt.WidgetShortcut)  # the table's keys; a cell editor keeps its own
        self.bulk_edit = act(
            "批量修改…",
            w.open_bulk_edit,
            "Ctrl+Shift+E",
            None,
            "actionBulkEdit",
            "把所选的多项任务的状态、责任单位、完成时限或进度一次改好",
        )
        self.find_replace = act(
            "查找…", lambda: w.open_find(False), QKeySequence.Find, None, "actionFindReplace",
            "在整本台账的所有文字中查找（共几处，上一个/下一个）",
        )
        self.replace = act(
            "替换…", lambda: w.open_find(True), "Ctrl+H", None, "actionReplace",
            "在整本台账中查找并替换文字（全部替换可一步撤销）",
        )
        self.find = act("搜索框（筛选）", w.focus_search, "Ctrl+L", None, "actionFind")
        self.audit_trail = act(
            "修改记录…",
            w.open_audit_trail,
            None,
            None,
            "actionAuditTrail",
            "查看本台账的修改记录：谁在何时改了什么（原值、新值），可导出 Excel",
        )
        self.search_all = act(
            "查找所有台账…",
            w.search_all_ledgers,
            "Ctrl+Shift+G",
            None,
            "actionSearchAll",
            "在所有年度的台账、进展和进展记录中查找（回头看：去年就这项工作报了什么）",
        )
        self.clear_filters = act("清除筛选", w.clear_filters, "Ctrl+Shift+F", None, "actionClearFilters")
        # 视图
        self.show_tasks = act("任务表", lambda: w.show_tab(0), "Ctrl+1", None, "actionShowTasks")
        self.show_dashboard = act("概览", lambda: w.show_tab(1), "Ctrl+2", None, "actionShowDashboard")
        self.toggle_editor = w.progress_dock.toggleViewAction()
        self.toggle_editor.setText("进展编辑栏")
        # 台账列表: folded away on a narrow screen; the check follows the splitter (drag it out too)
        self.toggle_ledgers = QAction("台账列表", w)
        self.toggle_ledgers.setObjectName("actionToggleLedgerList")
        self.toggle_ledgers.setCheckable(True)
        self.toggle_ledgers.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.toggle_ledgers.setToolTip("显示或收起左侧的台账列表")
        self.toggle_ledgers.toggled.connect(w.show_ledger_list)
        w.splitter.splitterMoved.connect(lambda *_a: self.sync_ledger_toggle())
        self.zoom_in = act(
            "放大字号", lambda: w.step_font_scale(10), QKeySequence.ZoomIn, None, "actionZoomIn"
        )
        self.zoom_out = act(
            "缩小字号", lambda: w.step_font_scale(-10), QKeySequence.ZoomOut, None, "actionZoomOut"
        )
        self.reset_sort = act("恢复原表顺序", w.task_view.reset_sort, None, None, "actionResetSort")
        # 台账
        self.new_ledger = act(
            "新建台账…", w.new_ledger, QKeySequence.New, QStyle.SP_FileDialogNewFolder, "actionNewLedger"
        )
        self.rename_ledger = act("重命名…", w.rename_ledger, "F2", None, "actionRenameLedger")
        # F2 renames the ledger only in the ledger list: in the table it edits the cell
        self.rename_ledger.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        self.ledger_props = act("台账信息…", w.edit_ledger_info, None, None, "actionLedgerInfo")
        self.delete_ledger = act("删除台账…", w.delete_ledger, None, None, "actionDeleteLedger")
        self.copy_next_year = act(
            "复制到下一年…",
            w.copy_to_next_year,
            None,
            None,
            "actionCopyNextYear",
            "新建下一年的台账，带上未完成的任务（回头看）",
        )
        self.load_sample = act("载入示例台账", w.load_sample, None, None, "actionLoadSample")
        self.roles = act(
            "权限…",
            w.open_roles,
            None,
            None,
            "actionRoles",
            "设置谁可以修改这本台账（编辑）、谁只能查看（只读）；只有编辑人员看得到这一项",
        )
        self.derive_ledger = act(
            "生成本单位台账…",
            w.derive_unit_ledger,
            None,
            None,
            "actionDeriveLedger",
            "从当前的城市台账取出写给本单位的任务，生成本单位的任务分工台账",
        )
        # 报送
        self.report_dates = act(
            "报送日期…",
            w.edit_report_dates,
            None,
            None,
            "actionReportDates",
            "设置本台账每次报送的日期（如 8月15日、12月5日）",
        )
        self.report_export = act(
            "生成报送文件…", lambda: w.export_ledger(for_report=True), None, None, "actionReportExport"
        )
        self.stale_filter = act("查看待更新任务", w.show_stale, None, None, "actionShowStale")
        # 报送: the city office's side (ui/collect_flows.py; visible when the ledger addresses units)
        from desktop_app.ui import collect_flows as cf

        self.collect_returns = act(
            "收集报送…", lambda: cf.open_collect(w), None, None, "actionCollectReturns",
            "收集各单位的报送件（可拖入文件或文件夹），查看报送情况、催报和任务×单位矩阵",
        )
        self.export_consolidated = act(
            "导出汇总台账…", lambda: cf.export_consolidated(w), None, None, "actionExportConsolidated",
            "每项任务一行，进展列为各报送单位的“单位：进展”（Word/Excel/JSON）",
        )
        self.returns_notice = act(
            "报送情况通报…", lambda: cf.write_notice(w), None, None, "actionReturnsNotice",
            "生成报送情况通报（Word）：按时、逾期、未报送单位及无进展的任务",
        )
        self.evidence = act(
            "导出佐证材料包…",
            w.export_evidence,
            None,
            None,
            "actionEvidencePackage",
            "把各任务的佐证材料按序号分文件夹打成压缩包，附材料目录（含校验值）",
        )
        self.submissions = act(
            "报送存档…",
            w.open_submissions,
            None,
            None,
            "actionSubmissions",
            "查看每次报送的文件和当时的内容，再次导出，或撤销“已报送”标记",
        )
        # 帮助
        self.about = act("关于", lambda: w.show_about(), None, None, "actionAbout")  # looked up when chosen
        self.open_data_folder = act("打开数据文件夹", w.open_data_folder, None, None, "actionOpenDataFolder")

    def sync_ledger_toggle(self) -> None:
        """The 台账列表 check says whether the list is unfolded (first start, restored state, a drag)."""
        self.toggle_ledgers.blockSignals(True)
        self.toggle_ledgers.setChecked(self.w.ledger_list_shown())
        self.toggle_ledgers.blockSignals(False)

    def ledger_panel_actions(self) -> list[QAction]:
        return [self.new_ledger, self.rename_ledger, self.delete_ledger, self.copy_next_year]

    def build_menus(self, w: WindowCommands) -> None:
        bar = w.menuBar()
        m = bar.addMenu("文件(&F)")
        for a in (
            self.save,
            None,
            self.open_database,
            self.import_file,
            self.export,
            self.export_pdf,
            self.print_preview,
            None,
            self.settings,
            self.holidays,
            None,
            self.quit,
        ):
            m.addSeparator() if a is None else m.addAction(a)
        m = bar.addMenu("编辑(&E)")
        for a in (
            self.undo,
            self.redo,
            None,
            self.add_task,
            self.delete_task,
            self.move_up,
            self.move_down,
            None,
            self.add_section,
            self.rename_section,
            self.delete_section,
            self.recycle_bin,
            self.audit_trail,
            None,
            self.copy,
            self.paste,
            self.bulk_edit,
            None,
            self.find_replace,
            self.replace,
            self.find,
            self.search_all,
            self.clear_filters,
        ):
            m.addSeparator() if a is None else m.addAction(a)
        m = bar.addMenu("视图(&V)")
        for a in (
            self.show_tasks,
            self.show_dashboard,
            self.toggle_editor,
            self.toggle_ledgers,
            None,
            self.zoom_in,
            self.zoom_out,
            self.reset_sort,
        ):
            m.addSeparator() if a is None else m.addAction(a)
        columns = m.addMenu("显示的列")
        columns.aboutToShow.connect(
            lambda: (columns.clear(), [columns.addAction(x) for x in w.task_view.column_actions(columns)])
        )
        m = bar.addMenu("台账(&L)")
        for a in (
            self.new_ledger,
            self.rename_ledger,
            self.ledger_props,
            self.copy_next_year,
            self.derive_ledger,
            self.delete_ledger,
            None,
            self.roles,
            None,
            self.load_sample,
        ):
            m.addSeparator() if a is None else m.addAction(a)
        m = bar.addMenu("报送(&R)")
        for a in (self.report_dates, self.report_export, self.evidence, self.submissions, self.stale_filter):
            m.addAction(a)
        m.addSeparator()
        for a in (self.collect_returns, self.export_consolidated, self.returns_notice):
            m.addAction(a)
        m = bar.addMenu("帮助(&H)")
        for a in (self.open_data_folder, self.about):
            m.addAction(a)

        # The toolbar's 撤销/重做 keep their short label (the menu's says what is undone), so the
        # toolbar does not change width with every edit; the tooltip names the edit.
        self.toolbar_undo = _fixed_label(self.undo, "撤销", "toolbarUndo", w)
        self.toolbar_redo = _fixed_label(self.redo, "重做", "toolbarRedo", w)
        tb = QToolBar("工具栏", w)
        tb.setObjectName("mainToolBar")
        tb.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        for a in (
            self.import_file,
            self.export,
            self.print_preview,
            None,
            self.toolbar_undo,
            self.toolbar_redo,
            None,
            self.add_task,
            self.delete_task,
            self.move_up,
            self.move_down,
            None,
            self.settings,
        ):
            tb.addSeparator() if a is None else tb.addAction(a)
        w.addToolBar(Qt.TopToolBarArea, tb)


def _fixed_label(action: QAction, label: str, name: str, parent) -> QAction:
    """A toolbar stand-in for `action` with a constant text; enabled and tooltip follow it."""
    proxy = QAction(action.icon(), label, parent)
    proxy.setObjectName(name)
    proxy.triggered.connect(action.trigger)

    def sync() -> None:
        proxy.setEnabled(action.isEnabled())
        proxy.setToolTip(action.text() if action.isEnabled() else label)

    action.changed.connect(sync)
    sync()
    return proxy
