"""The main window: ledgers by year on the left, the task table (and dashboard) in the middle,
the progress editor docked on the right. It wires widgets to services; the work is in them."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFont, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app import APP_NAME
from desktop_app.domain import clock
from desktop_app.domain.model import Ledger, LedgerError, Task
from desktop_app.domain.status import DisplayStatus, StatusRules, compute_status
from desktop_app.ui import collect_flows
from desktop_app.ui.edit_commands import EditCommandsMixin
from desktop_app.ui.models.task_table_model import STALE_FILTER, FilterSpec, LazyLedger, TaskTableModel
from desktop_app.ui.office_edits import OfficeEdits, ask_done_at_full_box, ask_done_percent_box
from desktop_app.ui.runner import Runner
from desktop_app.ui.task_actions import TaskActions
from desktop_app.ui.undo_history import LedgerUndoHistory
from desktop_app.ui.widgets.dashboard import DashboardWidget
from desktop_app.ui.widgets.filter_bar import BIG_SEARCH_DELAY_MS, SEARCH_DELAY_MS, FilterBar
from desktop_app.ui.widgets.ledger_panel import LedgerPanel
from desktop_app.ui.widgets.legend import StatusLegend
from desktop_app.ui.widgets.progress_editor import ProgressEditor
from desktop_app.ui.widgets.task_view import TaskView
from desktop_app.ui.widgets.welcome import WelcomePage
from desktop_app.ui.window_actions import WindowActions
from desktop_app.ui.window_state import WindowStateMixin

log = logging.getLogger(__name__)
DAY_CHECK_MS = 60_000
BIG_LEDGER = 20_000  # tasks from which the search box waits for typing to pause (filter_bar)
IMPORT_SUFFIXES = {".docx", ".xlsx", ".json", ".doc", ".wps", ".xls", ".et"}


class MainWindow(EditCommandsMixin, WindowStateMixin, QMainWindow):
    def __init__(self, ctx: Any, settings: QSettings, base_font: QFont | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(f"{APP_NAME}（只读）" if getattr(ctx, "read_only", False) else APP_NAME)
        self._ledger_read_only = False
        self.unit_stand_ins = None  # the ledger outline's units (collect_flows), until the table read every task
        self.setAcceptDrops(True)
        self.ctx = ctx
        self.qsettings = settings
        self._base_font = QFont(base_font or QApplication.font())
        self._as_of = clock.today()
        self._rules = StatusRules()
        self._last_report: date | None = None
        self._rounds: list = []
        self._ledger: Ledger | None = None
        self.undo_history = LedgerUndoHistory(self)  # one stack per ledger, kept while running
        self.runner = Runner(self)
        self.model = TaskTableModel(self._status_of, parent=self)
        self.actions_ = TaskActions(ctx, self.undo_history.group, self.model.task, self)
        self.actions_.resolve_conflict = self.ask_conflict  # type: ignore[method-assign]
        self.model.set_section_edit_handler(self._rename_section_to)
        self._build()
        self.office = OfficeEdits(self.task_view, self.model, self.actions_, self)
        self.model.set_edit_handler(self.office.edit_cell)  # status and percent kept in agreement
        self.progress_editor.office = self.office  # … in the progress panel too (its own questions)
        self.acts = WindowActions(self)
        self.acts.build_menus(self)
        self.task_view.addAction(self.acts.delete_task)
        for a in (self.acts.copy, self.acts.paste):  # Ctrl+C/V in a cell editor stay the editor's
            self.task_view.addAction(a)
        self.ledger_panel.tree.addAction(self.acts.rename_ledger)
        self._connect()
        # 只读 (a reader beside the writer, or the person's role on the ledger shown): said in the status bar
        self.read_only_marker = QLabel("只读：可查看、导出和打印，不能修改")
        self.read_only_marker.setObjectName("readOnlyMarker")
        self.read_only_marker.setStyleSheet("QLabel { color:#b71c1c; font-weight:bold; padding:0 8px }")
        self.statusBar().addPermanentWidget(self.read_only_marker)
        self.read_only_marker.setVisible(getattr(ctx, "read_only", False))
        self._read_rules()
        self._restore_state()
        self.acts.sync_ledger_toggle()
        self._day_timer = QTimer(self)
        self._day_timer.setInterval(DAY_CHECK_MS)
        self._day_timer.timeout.connect(self.check_day)
        self._day_timer.start()
        self.apply_font_scale(self.font_scale())
        self.reload_ledgers()
        self.show_reminder()
        self._watch_others()
        from desktop_app.ui.database_flows import keep_pending, remember_database

        remember_database(settings, getattr(ctx, "db_label", None))  # 文件 → 打开数据库… lists it
        keep_pending(self)  # edits an outage holds back go to a file; an earlier session's are offered

    # ---- layout ------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.filter_bar = FilterBar()
        self.task_view = TaskView(self.model)
        self.banner = QFrame()
        self.banner.setObjectName("reminderBanner")
        self.banner.setStyleSheet(
            "#reminderBanner { background:#fff8e1; border:1px solid #ffcc80; border-radius:4px }"
        )
        self.banner_label = QLabel()
        self.banner_label.setObjectName("reminderLabel")
        self.banner_label.setWordWrap(True)
        show = QPushButton("查看")
        show.setObjectName("reminderShow")
        show.clicked.connect(self._show_reminded)
        close = QPushButton("知道了")
        close.setObjectName("reminderDismiss")
        close.clicked.connect(self._dismiss_banner)
        bl = QHBoxLayout(self.banner)
        bl.setContentsMargins(8, 4, 8, 4)
        bl.addWidget(self.banner_label, 1)
        bl.addWidget(show)
        bl.addWidget(close)
        self.banner.hide()
        # The banner follows the ledger shown and every edit (debounced); 知道了 hides it for that ledger.
        self._banner_dismissed: set[int | None] = set()
        self._banner_timer = QTimer(self)
        self._banner_timer.setSingleShot(True)
        self._banner_timer.setInterval(250)
        self._banner_timer.timeout.connect(self._refresh_banner)
        for signal in (
            self.model.dataChanged,
            self.model.modelReset,
            self.model.rowsInserted,
            self.model.rowsRemoved,
        ):
            signal.connect(self._banner_timer.start)

        tasks_page = QWidget()
        tl = QVBoxLayout(tasks_page)
        tl.setContentsMargins(4, 4, 4, 4)
        tl.addWidget(self.banner)
        tl.addWidget(self.filter_bar)
        tl.addWidget(self.task_view, 1)
        self.legend = StatusLegend()
        tl.addWidget(self.legend)
        self.dashboard = DashboardWidget()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.addTab(tasks_page, "任务表")
        self.tabs.addTab(self.dashboard, "概览")
        self.welcome = WelcomePage()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.tabs)
        # the stack is as narrow as the page shown: the welcome page's long lines (at 200 %) must not
        # keep the task table and the progress panel from sharing a 1366 px screen
        self.stack.currentChanged.connect(self._size_stack_to_page)
        self._size_stack_to_page()

        self.ledger_panel = LedgerPanel()  # buttons are added once WindowActions exists
        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.ledger_panel)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([270, 1000])
        self.setCentralWidget(self.splitter)

        self.progress_editor = ProgressEditor(self.ctx, self.actions_)
        self.progress_editor.run_dialog = lambda dialog: self.run_dialog(dialog)  # one place runs dialogs
        self.progress_dock = QDockWidget("进展填报", self)
        self.progress_dock.setObjectName("progressDock")
        scroll = QScrollArea()  # at 200% font size the editor may need more room than the dock has
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(self.progress_editor)
        self.progress_dock.setWidget(scroll)
        self.progress_dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetClosable)
        # our own title bar: the style draws the default one in a small font that ignores 适老化 scaling
        title = QWidget()
        title_layout = QHBoxLayout(title)
        title_layout.setContentsMargins(6, 2, 2, 2)
        title_label = QLabel("进展填报")
        title_label.setStyleSheet("font-weight: bold")
        hide = QPushButton("隐藏")
        hide.setFlat(True)
        hide.setToolTip("隐藏进展填报栏（视图 → 进展编辑栏 可再打开）")
        hide.clicked.connect(self.progress_dock.hide)
        title_layout.addWidget(title_label, 1)
        title_layout.addWidget(hide)
        self.progress_dock.setTitleBarWidget(title)
        self.addDockWidget(Qt.RightDockWidgetArea, self.progress_dock)

        sb = self.statusBar()
        self.report_label = QLabel("")
        self.report_label.setObjectName("reportLabel")
        self.busy_bar = QProgressBar()
        self.busy_bar.setObjectName("busyBar")
        self.busy_bar.setMaximumWidth(160)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.hide()
        sb.addPermanentWidget(self.busy_bar)
        sb.addPermanentWidget(self.report_label)

    def _size_stack_to_page(self, _index: int = 0) -> None:
        for page in (self.welcome, self.tabs):
            shown = page is self.stack.currentWidget()
            page.setSizePolicy(QSizePolicy.Preferred if shown else QSizePolicy.Ignored, QSizePolicy.Preferred)

    def _connect(self) -> None:
        self.ledger_panel.add_buttons(self.acts.ledger_panel_actions())
        self.ledger_panel.ledger_selected.connect(self.open_ledger)
        self.filter_bar.changed.connect(self._on_filter)
        self.task_view.current_task_changed.connect(self._on_current_task)
        self.actions_.task_changed.connect(self._on_task_changed)
        self.actions_.structure_changed.connect(self._on_structure_changed)
        self.actions_.task_inserted.connect(self._on_task_inserted)
        self.actions_.task_removed.connect(self._on_task_removed)
        self.actions_.task_moved.connect(self._on_task_moved)
        self.actions_.error.connect(self.show_error)
        self.actions_.holidays_missing.connect(self.offer_holidays)
        self.actions_.notice.connect(self.show_info)
        self.progress_editor.message.connect(lambda m: self.statusBar().showMessage(m, 8000))
        self.dashboard.task_activated.connect(self.goto_task)
        self.tabs.currentChanged.connect(lambda _i: self._refresh_dashboard())
        self.welcome.sample_requested.connect(self.load_sample)
        self.welcome.import_requested.connect(self.import_file)
        self.welcome.new_requested.connect(self.new_ledger)
        self.welcome.identity_changed.connect(self._save_identity)
        self.runner.started.connect(lambda _label: (self.busy_bar.setRange(0, 0), self.busy_bar.show()))
        self.runner.finished.connect(self.busy_bar.hide)
        self.runner.progress.connect(self._on_job_progress)
        self.model.modelReset.connect(self._update_counts)
        self.model.layoutChanged.connect(self._update_counts)

    # ---- dialogs (small methods that tests replace) -----------------------------------------------------
    def ask_confirm(self, text: str, title: str = "请确认") -> bool:
        return (
            QMessageBox.question(self, title, text, QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
            == QMessageBox.Yes
        )

    def ask_apply_pending(self, text: str) -> bool:
        """补存 what an earlier session could not save to the server (True), or 以后再说."""
        box = QMessageBox(QMessageBox.Question, "补存修改", text, QMessageBox.NoButton, self)
        apply = box.addButton("补存", QMessageBox.AcceptRole)
        box.addButton("以后再说", QMessageBox.RejectRole)
        box.setDefaultButton(apply)
        box.exec()
        chosen = box.clickedButton() is apply
        box.deleteLater()
        return chosen

    def tell_at_close(self, text: str) -> None:
        QMessageBox.information(self, "尚未保存到服务器", text)

    def show_error(self, text: str) -> None:
        log.info("error shown: %s", text)
        self.statusBar().showMessage(text, 15000)
        QMessageBox.warning(self, "提示", text)

    def offer_holidays(self, year: int, message: str) -> None:
        """Working days of a year the calendar does not know: say so and offer its holiday editor."""
        log.info("error shown: %s", message)
        self.statusBar().showMessage(message, 15000)
        if self.ask_confirm(f"{message}\n\n现在打开“节假日与调休”（{year}年）吗？", "缺少节假日安排"):
            self.open_holidays(year)

    def show_info(self, text: str) -> None:
        self.statusBar().showMessage(text, 10000)

    def ask_open_file(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "选择台账文件",
            str(Path.home()),
            "台账文件 (*.docx *.xlsx *.json *.doc *.wps *.xls *.et);;所有文件 (*)",
        )
        return Path(name) if name else None

    def ask_save_file(self, suggested: str, filters: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, "保存为", str(Path.home() / suggested), filters)
        return Path(name) if name else None

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self, title, label, text=text)
        return value.strip() if ok and value.strip() else None

    def ask_new_ledger(self) -> tuple[str, int] | None:
        from desktop_app.ui.dialogs.ledger_dialog import LedgerDialog

        dialog = LedgerDialog(self, year=clock.today().year)
        return dialog.values() if self.run_dialog(dialog) else None

    def ask_ledger_info(self, ledger: Ledger) -> dict | None:
        from desktop_app.ui.dialogs.ledger_dialog import LedgerDialog

        dialog = LedgerDialog(self, ledger=ledger)
        return dialog.fields() if self.run_dialog(dialog) else None

    def ask_report_dates(self, dates: list[date], year: int | None) -> list[date] | None:
        from desktop_app.ui.dialogs.report_dates_dialog import ReportDatesDialog

        dialog = ReportDatesDialog(dates, year, self)
        return dialog.dates() if self.run_dialog(dialog) else None

    def ask_done_percent(self, task: Task) -> str | None:
        """已完成 on a task at less than 100 %: "full" sets 100 %, "keep" leaves it 推进中, None cancels."""
        return ask_done_percent_box(self, task)

    def ask_done_at_full(self, task: Task) -> bool:
        """Percent set to 100 on a task not done: also set 已完成?"""
        return ask_done_at_full_box(self)

    def run_dialog(self, dialog) -> bool:
        """exec() a dialog; tests replace this to drive the dialog without a modal loop."""
        return bool(dialog.exec())

    # ---- status rules and the clock ------------------------------------------------------------------------
    def _status_of(self, task: Task) -> Any:
        return compute_status(task, self._as_of, self._rules, self._last_report)

    def _read_rules(self) -> None:
        try:
            self._rules = self.ctx.settings.rules()
            self.filter_bar.set_my_unit(self.ctx.settings.get("my_unit", "") or "")
        except LedgerError as exc:
            self.show_error(exc.message)
        self._update_my_unit_rule()

    def _update_my_unit_rule(self) -> None:
        """只看本单位 by the directory's addressee rules, the unit's kind and other names from the
        settings, and the ledger's 所属单位 (on the unit's own ledger a task naming no unit is its)."""
        from desktop_app.ui.my_unit import my_unit_rule, split_aliases

        settings = self.ctx.settings
        try:
            name = settings.get("my_unit", "") or ""
            aliases = split_aliases(settings.get("my_unit_aliases", "") or "")
            kind = settings.get("my_unit_kind", "") or ""
            directory = getattr(self.ctx, "directory", None)
            units = directory.units() if directory is not None and name else []
        except LedgerError:
            name, aliases, kind, units = "", [], "", []
        owner = (self._ledger.owner_unit or "") if self._ledger is not None else ""
        self.model.set_my_unit_rule(my_unit_rule(name, aliases, kind, units, owner))

    def _read_rounds(self) -> None:
        """The report rounds decide 待更新: progress older than the last report date is stale. Before
        the first report of the year that is the year's start, so a task never reported on counts too
        (the rule ProgressService.next_report counts by, so the table and the status bar agree)."""
        self._rounds = []
        self._last_report = None
        ledger = self._ledger
        if ledger is None or ledger.id is None:
            return
        try:
            self._rounds = self.ctx.progress.rounds(ledger.id)
        except LedgerError:
            return
        past = [r.due_date for r in self._rounds if r.due_date and r.due_date < self._as_of]
        upcoming = [r.due_date for r in self._rounds if r.due_date and r.due_date >= self._as_of]
        if past:
            self._last_report = max(past)
        elif upcoming:
            self._last_report = date((ledger.year or self._as_of.year), 1, 1)

    def check_day(self) -> None:
        """Each minute: a new day recolours the rows (a window left open overnight)."""
        today = clock.today()
        if today != self._as_of:
            self._as_of = today
            self.refresh_statuses()

    def refresh_statuses(self) -> None:
        self._read_rounds()
        self.model.recompute_statuses()
        self._refresh_side()

    # ---- ledgers -----------------------------------------------------------------------------------------
    def reload_ledgers(self, select: int | None = None) -> None:
        try:
            summaries = self.ctx.ledgers.list_ledgers()
        except LedgerError as exc:
            self.show_error(exc.message)
            summaries = []
        self.ledger_panel.set_ledgers(summaries)
        if not summaries:
            self.stack.setCurrentWidget(self.welcome)
            self._show_welcome_dock(False)
            self._set_ledger(None)
            return
        self.stack.setCurrentWidget(self.tabs)
        self._show_welcome_dock(True)
        ids = [s.id for s in summaries]
        if select not in ids:
            current = self._ledger.id if self._ledger else None
            last = self.qsettings.value("ui/lastLedger")
            try:
                last = int(last) if last is not None else None
            except (TypeError, ValueError):
                last = None
            select = current if current in ids else last if last in ids else ids[0]
        self.ledger_panel.select_ledger(select, emit=False)
        if self._ledger is None or self._ledger.id != select:
            self.open_ledger(select)

    def _show_welcome_dock(self, ledgers: bool) -> None:
        """On the welcome page the empty 进展填报 panel is hidden (it would take a quarter of the
        window for nothing); it comes back with the first ledger, unless the user had closed it."""
        if not ledgers:
            if not self.progress_dock.isHidden():
                self._welcome_hid_dock = True
                self.progress_dock.hide()
            try:
                self.welcome.set_identity(
                    self.ctx.settings.get("my_unit", "") or "", self.ctx.settings.get("contact_person", "") or ""
                )
            except LedgerError:
                pass
        elif getattr(self, "_welcome_hid_dock", False):
            self._welcome_hid_dock = False
            self.progress_dock.show()

    def _save_identity(self, values: dict) -> None:
        self.actions_.guard(lambda: self.ctx.settings.update(values))
        self._read_rules()

    def identity_ready(self) -> bool:
        """Before a report goes out: with 本单位 or 填报人 empty, ask for them (or go on without them,
        or stop). True: go on."""
        try:
            values = {k: self.ctx.settings.get(k, "") or "" for k in ("my_unit", "contact_person", "phone")}
        except LedgerError:
            return True
        if values["my_unit"].strip() and values["contact_person"].strip():
            return True
        answer = self.ask_identity(values)
        if answer is None:
            return False
        if answer:
            self._save_identity(answer)
        return True

    def ask_identity(self, values: dict) -> dict | None:
        """The settings to store ({} to go on without them), None to stop (tests replace this)."""
        from desktop_app.ui.dialogs.identity_dialog import IdentityDialog

        dialog = IdentityDialog(values, self)
        return dialog.values() if self.run_dialog(dialog) else None

    def summaries(self):
        return self.ledger_panel.model.summaries()

    def open_ledger(self, ledger_id: int, keep_task: int | None = None) -> None:
        self.task_view.commit_open_editor()
        self.progress_editor.flush()
        # A file: the rows' heads only, the table reads tasks as it paints them (TaskTableModel, lazy). A
        # server may go away between reads (an outage keeps edits in a file): there the ledger is read whole.
        server = bool(getattr(getattr(self.ctx, "db", None), "server", False))
        try:
            if server:
                ledger, lazy, stand_ins = self.ctx.ledgers.get_ledger(ledger_id), None, None
            else:
                outline = self.ctx.ledgers.ledger_outline(ledger_id)
                ledger, lazy, stand_ins = outline.ledger, self._lazy_rows(outline), outline.unit_stand_ins
        except LedgerError as exc:
            self.show_error(exc.message)
            return
        self.undo_history.activate(ledger_id)  # this ledger's own undo/redo history comes back
        self.unit_stand_ins = stand_ins  # collect_flows: does the ledger address units?
        self._set_ledger(ledger, keep_task, lazy=lazy)
        self.qsettings.setValue("ui/lastLedger", ledger_id)

    def _lazy_rows(self, outline) -> LazyLedger:  # noqa: ANN001 - services.ledger_service.LedgerOutline
        ledgers, lid = self.ctx.ledgers, outline.ledger.id
        return LazyLedger(
            outline.heads,
            outline.unit_names,
            outline.fields_with_text,
            load=ledgers.tasks_by_id,
            load_all=lambda: ledgers.ledger_tasks(lid),
            status_groups=lambda: ledgers.status_groups(lid, self._last_report),  # the rule's report date
        )

    def _set_ledger(
        self, ledger: Ledger | None, keep_task: int | None = None, lazy: LazyLedger | None = None
    ) -> None:
        self._ledger = ledger
        if ledger is None:
            self.undo_history.activate(None)
        self._as_of = clock.today()
        self._read_rounds()
        self._update_my_unit_rule()
        self.model.set_ledger(ledger, lazy)
        self._update_actions()
        self.model.start_warm_up()  # search haystacks, built in batches while the user looks
        self.filter_bar.set_units(self.model.unit_names())
        big = self.model.total_count >= BIG_LEDGER
        self.filter_bar.set_search_delay(BIG_SEARCH_DELAY_MS if big else SEARCH_DELAY_MS)
        self.setWindowTitle(self._title(ledger))
        if keep_task is not None and self.task_view.select_task(keep_task):
            pass
        else:
            self.progress_editor.set_task(None)
        self._refresh_side()

    def current_ledger(self) -> Ledger | None:
        """The ledger shown, its sections holding every task (read now if the table has not yet)."""
        self.model.ensure_loaded()
        return self._ledger

    def shown_ledger(self) -> Ledger | None:
        """The ledger shown, for its id, title and settings: its sections may not hold the tasks yet."""
        return self._ledger

    @property
    def undo_stack(self) -> QUndoStack:
        """The undo stack of the ledger shown (Ctrl+Z / Ctrl+Y act on it)."""
        return self.undo_history.active()

    def _update_actions(self) -> None:
        """Ledger and task actions need a ledger: greyed out on the welcome page."""
        acts = getattr(self, "acts", None)
        if acts is None:
            return
        has = self._ledger is not None
        for a in (
            acts.export,
            acts.export_pdf,
            acts.print_preview,
            acts.add_task,
            acts.delete_task,
            acts.move_up,
            acts.move_down,
            acts.add_section,
            acts.rename_section,
            acts.delete_section,
            acts.rename_ledger,
            acts.ledger_props,
            acts.delete_ledger,
            acts.copy_next_year,
            acts.report_dates,
            acts.report_export,
            acts.stale_filter,
            acts.copy,
            acts.paste,
            acts.bulk_edit,
            acts.find_replace,
            acts.replace,
        ):
            a.setEnabled(has)
        collect_flows.update_visibility(self)  # the city office's actions: only for a ledger addressing units
        from desktop_app.ui.database_flows import apply_roles

        apply_roles(self)  # 只读: a reader beside the writer, or the person's role on this ledger

    def read_only_here(self) -> bool:
        """Nothing may be changed here: the database is open read-only, or the ledger shown is 只读 for
        the person (台账 → 权限…)."""
        return getattr(self.ctx, "read_only", False) or getattr(self, "_ledger_read_only", False)

    def _title(self, ledger: Ledger | None) -> str:
        """The ledger's title, the program, and 只读 when nothing may be changed here."""
        title = f"{ledger.title} — {APP_NAME}" if ledger else APP_NAME
        return f"{title}（只读）" if self.read_only_here() else title

    def _refresh_side(self) -> None:
        """Dashboard, report countdown, counts and the reminder: everything computed from the statuses."""
        self._dashboard_stale = True
        if self.tabs.currentWidget() is self.dashboard:
            self._refresh_dashboard()
        self._update_counts()
        self._update_report_label()
        current = self.progress_editor.task()
        if current is not None and current.id is not None:
            self.progress_editor.set_info(self.model.info(current.id))

    def _refresh_dashboard(self) -> None:
        """Only when it is (or becomes) visible: 10,000 tasks are counted in ~30 ms, not per edit."""
        if not getattr(self, "_dashboard_stale", True):
            return
        self._dashboard_stale = False
        title = self._ledger.title if self._ledger else ""
        self.dashboard.update_from(title, self.model.tasks(), self.model.infos(), self._rules.soon_days)

    def _update_counts(self) -> None:
        self.filter_bar.set_count_text(self.model.count_text())

    def _update_report_label(self) -> None:
        """ "距 8月15日 报送还有 12 天，7 项待更新", from the rounds and the statuses in memory."""
        if self._ledger is None:
            self.report_label.setText("")
            return
        upcoming = sorted(
            r.due_date
            for r in self._rounds
            if r.due_date and r.due_date >= self._as_of and not r.submitted_at
        )
        if not upcoming:
            self.report_label.setText("未设置下一次报送日期（报送 → 报送日期）")
            return
        due = upcoming[0]
        stale = sum(n for (_status, is_stale), n in self.model.status_counts().items() if is_stale)
        days = (due - self._as_of).days
        when = clock.chinese_month_day(due)
        if days == 0:
            text = f"今天（{when}）报送，{stale} 项待更新"
        else:
            text = f"距 {when} 报送还有 {days} 天，{stale} 项待更新"
        self.report_label.setText(text)

    def _shown_ledger_id(self) -> int | None:
        ledger = getattr(self, "_ledger", None)
        return getattr(ledger, "id", None)

    def _dismiss_banner(self) -> None:
        self._banner_dismissed.add(self._shown_ledger_id())
        self.banner.hide()

    def _refresh_banner(self) -> None:
        """Counts as they are now, for the ledger shown (after an edit, a switch, the date timer)."""
        if self._shown_ledger_id() in self._banner_dismissed:
            self.banner.hide()
            return
        self.show_reminder(announce=False)

    def show_reminder(self, announce: bool = True) -> None:
        """At start: a non-modal banner saying what is overdue or due soon."""
        if not announce and self._shown_ledger_id() in self._banner_dismissed:
            return
        by_status: Counter = Counter()
        for (status, _stale), n in self.model.status_counts().items():
            by_status[status] += n
        overdue = by_status[DisplayStatus.OVERDUE]
        very = by_status[DisplayStatus.DUE_VERY_SOON]
        soon = very + by_status[DisplayStatus.DUE_SOON]
        if not (overdue or soon):
            self.banner.hide()
            return
        parts = []
        if overdue:
            parts.append(f"{overdue} 项已逾期")
        if very:
            parts.append(f"{very} 项 {self._rules.very_soon_days} 天内到期")
        if soon - very:
            parts.append(f"{soon - very} 项 {self._rules.soon_days} 天内到期")
        self.banner_label.setText(f"提醒（{clock.chinese_date(self._as_of)}）：" + "，".join(parts) + "。")
        self.banner.show()
        if announce:
            self.statusBar().showMessage(self.banner_label.text(), 15000)

    def _show_reminded(self) -> None:
        self.filter_bar.clear()
        self.filter_bar.due.setChecked(True)
        self.filter_bar.due_days.setValue(self._rules.soon_days)
        self.show_tab(0)

    # ---- selection -----------------------------------------------------------------------------------------
    def _on_current_task(self, task_id: int | None) -> None:
        task = self.model.task(task_id) if task_id is not None else None
        self.progress_editor.set_task(task, self.model.info(task_id) if task_id is not None else None)

    def current_task(self) -> Task | None:
        tid = self.task_view.current_task_id()
        return self.model.task(tid) if tid is not None else None

    def goto_task(self, task_id: int) -> None:
        self.show_tab(0)
        if self.model.row_of_task(task_id) < 0:
            self.filter_bar.clear()
        self.task_view.select_task(task_id)
        self.task_view.setFocus()

    def show_tab(self, index: int) -> None:
        if self.stack.currentWidget() is self.tabs:
            self.tabs.setCurrentIndex(index)

    # ---- filters -------------------------------------------------------------------------------------------
    def _on_filter(self, spec: FilterSpec) -> None:
        self.model.set_filter(spec)

    def focus_search(self) -> None:
        self.show_tab(0)
        self.filter_bar.focus_search()

    def clear_filters(self) -> None:
        self.filter_bar.clear()

    def show_stale(self) -> None:
        self.show_tab(0)
        self.filter_bar.clear()
        for i in range(self.filter_bar.status.count()):
            if self.filter_bar.status.itemData(i) == frozenset({STALE_FILTER}):
                self.filter_bar.status.setCurrentIndex(i)

    # ---- several staff on one ledger: the others' changes, edit conflicts --------------------------------------
    def _watch_others(self) -> None:
        from desktop_app.ui.change_watcher import ChangeWatcher

        self.watcher = ChangeWatcher(self.ctx, self)
        self.watcher.tasks_changed.connect(self._on_others_changed_tasks)
        self.watcher.ledgers_changed.connect(self._on_others_changed_ledgers)
        self.watcher.connection.connect(lambda text: self.statusBar().showMessage(text or "已重新连接数据库。", 15000))
        self.watcher.connection.connect(lambda text: None if text else self.actions_.retry_pending())
        self.watcher.start()

    def _on_others_changed_tasks(self, task_ids: set, people: list) -> None:
        shown = [tid for tid in task_ids if self.model.task(tid) is not None]
        for tid in shown:
            try:
                self.model.update_task(self.ctx.ledgers.get_task(tid))
            except LedgerError:  # gone meanwhile: the ledger's reload (announced too) drops it
                continue
        if shown:
            self._refresh_side()
            self.statusBar().showMessage(f"{'、'.join(people) or '其他人'}刚修改了 {len(shown)} 项任务，已更新显示。", 15000)

    def _on_others_changed_ledgers(self, ledger_ids: set, people: list) -> None:
        self.reload_ledger_summaries()
        if self._ledger is not None and self._ledger.id in ledger_ids:
            self._on_structure_changed(None)
            self.statusBar().showMessage(f"{'、'.join(people) or '其他人'}刚修改了这本台账，已更新显示。", 15000)

    def ask_conflict(self, conflict) -> str | None:  # noqa: ANN001 - EditConflict
        """Both texts side by side: the text to save, or None to keep the other person's."""
        from desktop_app.ui.dialogs.conflict_dialog import ConflictDialog

        dialog = ConflictDialog(conflict, self)
        return dialog.chosen if self.run_dialog(dialog) else None

    # ---- edits coming back from the services ----------------------------------------------------------------
    def _on_task_changed(self, task: Task) -> None:
        self.model.update_task(task)
        self._refresh_side()

    def _on_structure_changed(self, select: int | None) -> None:
        if self._ledger is None or self._ledger.id is None:
            return
        keep = select if select is not None else self.task_view.current_task_id()
        self.open_ledger(self._ledger.id, keep_task=keep)
        self.reload_ledger_summaries()

    def _on_task_inserted(self, task: Task) -> None:
        if self.model.insert_task(task):
            self.task_view.select_task(task.id)
            self._after_rows_changed()
        else:
            self._on_structure_changed(task.id)

    def _on_task_removed(self, task_id: int) -> None:
        if self.model.remove_task(task_id):
            self._after_rows_changed()
        else:
            self._on_structure_changed(None)

    def _on_task_moved(self, task: Task) -> None:
        if self.model.move_task(task):
            self.task_view.select_task(task.id)
            self._after_rows_changed()
        else:
            self._on_structure_changed(task.id)

    def _after_rows_changed(self) -> None:
        """Rows added, removed or moved in place: no reload of the ledger (10,000 tasks: 0.5 s)."""
        self.filter_bar.set_units(self.model.unit_names())
        self._refresh_side()
        self.reload_ledger_summaries()

    def reload_ledger_summaries(self) -> None:
        current = self._ledger.id if self._ledger else None
        try:
            self.ledger_panel.set_ledgers(self.ctx.ledgers.list_ledgers())
        except LedgerError as exc:
            self.show_error(exc.message)
            return
        if current is not None:
            self.ledger_panel.select_ledger(current, emit=False)

    # ---- files: import, export, print, sample ----------------------------------------------------------------------
    def import_file(self, path: Path | None = None) -> None:
        from desktop_app.ui.file_flows import start_import

        path = path or self.ask_open_file()
        if path is not None:
            start_import(self, Path(path))

    def open_task(self, task_id: int) -> bool:
        """Show the task in its ledger (the reminder tray's --task); False when it is gone."""
        try:
            task = self.ctx.ledgers.get_task(task_id)
        except LedgerError as exc:
            self.show_error(exc.message)
            return False
        if self._ledger is None or self._ledger.id != task.ledger_id:
            self.reload_ledgers(select=task.ledger_id)
            self.open_ledger(task.ledger_id, keep_task=task_id)
        self.show_tab(0)
        if not self.task_view.select_task(task_id):
            self.clear_filters()
            return self.task_view.select_task(task_id)
        return True

    def _on_job_progress(self, done: int, total: int) -> None:
        """A long job (an evidence package) says how far it is: the bar stops spinning and fills."""
        scale = max(1, total // 1_000_000)  # QProgressBar counts in int: keep the numbers small
        self.busy_bar.setRange(0, max(1, total // scale))
        self.busy_bar.setValue(min(done, total) // scale)

    def export_evidence(self) -> None:
        """报送 → 导出佐证材料包: a zip with one folder per task and an index, written off the GUI thread."""
        ledger = self.current_ledger()
        if ledger is None:
            return
        self.progress_editor.flush()
        target = self.ask_save_file(f"{ledger.title}_佐证材料.zip", "压缩包 (*.zip)")
        if target is None:
            return
        ctx, runner = self.ctx, self.runner

        def work():  # noqa: ANN202
            return ctx.exports.export_evidence(ledger.id, target, progress=runner.report)

        def done(result) -> None:  # noqa: ANN001
            self.last_evidence = (target, result)
            text = f"已导出佐证材料包：{target}（{result.files} 个文件、{result.links} 个链接）"
            if result.problems:
                names = "、".join(f"{p.task_number} {p.file_name}（{p.reason}）" for p in result.problems[:3])
                text += f"；{len(result.problems)} 个文件有问题未打包：{names}，详见目录"
            self.show_info(text + "。")

        self.runner.run(work, done, self.show_error, "导出佐证材料包")

    def open_submissions(self) -> None:
        """报送 → 报送存档: the rounds and what was sent for each; a mark taken back refreshes the window."""
        from desktop_app.ui.dialogs.submissions_dialog import SubmissionsDialog

        ledger = self.current_ledger()
        if ledger is None:
            return
        dialog = SubmissionsDialog(self.ctx, ledger, self)
        self.last_submissions_dialog = dialog
        self.run_dialog(dialog)  # tests replace run_dialog to drive the dialog
        if dialog.changed:
            self.refresh_statuses()

    def export_ledger(self, for_report: bool = False) -> None:
        from desktop_app.ui.file_flows import start_export

        if self._ledger is not None:
            start_export(self, for_report=for_report)

    def export_pdf(self) -> None:
        from desktop_app.ui.file_flows import export_pdf

        if self._ledger is not None:
            export_pdf(self)

    def print_preview(self) -> None:
        from desktop_app.ui.file_flows import print_preview

        if self._ledger is not None:
            print_preview(self)

    def load_sample(self) -> None:
        from desktop_app.ui.file_flows import load_sample

        load_sample(self)

    def imported(self, ledger: Ledger) -> None:
        """After an import: show the new ledger."""
        self.reload_ledgers(select=ledger.id)
        self.open_ledger(ledger.id)
        self.show_tab(0)
        self.show_info(f"已导入《{ledger.title}》，共 {len(ledger.all_tasks())} 项任务。")
        self.show_reminder()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if any(Path(u.toLocalFile()).suffix.lower() in IMPORT_SUFFIXES for u in urls):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls()]
        paths = [p for p in paths if p.suffix.lower() in IMPORT_SUFFIXES]
        if paths:
            event.acceptProposedAction()
            # after the drop returns: the wizard must not run inside the drag event
            QTimer.singleShot(0, lambda: self.import_files(paths))

    def import_files(self, paths: list[Path]) -> None:
        """Several dropped files: one wizard after the other."""
        for path in paths:
            self.import_file(path)

    def open_roles(self) -> None:
        """台账 → 权限…: who may edit the ledger shown (编辑) and who may only look (只读); its editors only."""
        from desktop_app.ui.database_flows import open_roles

        open_roles(self)

    def open_database(self) -> None:
        """文件 → 打开数据库…: another SQLite file or a PostgreSQL server; this window gives way to one
        on the new database (see ui/database_flows.py)."""
        from desktop_app.ui.database_flows import open_database

        open_database(self)

    def shutdown(self) -> None:
        """Save what is pending and close the database (the caller quits the event loop). Once."""
        if getattr(self, "_shut_down", False):
            return
        self._shut_down = True
        self.task_view.commit_open_editor()
        if self.actions_.pending:
            self.actions_.retry_pending()  # the server back by now?
        from desktop_app.ui.database_flows import say_pending_at_close

        say_pending_at_close(self)  # what still waits is in a file: said, saved at the next open
        self.progress_editor.flush()
        self.runner.wait(10000)
        self._day_timer.stop()
        if hasattr(self, "watcher"):
            self.watcher.stop()
        self.save_state()
        self.progress_editor.cleanup()
        self.ctx.close()
