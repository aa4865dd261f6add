"""收集报送 (the city office's side): drop the units' returns (files or a folder), see the result per file and
undo a whole collection; a file whose unit or tasks are uncertain is asked about (ConfirmReturnDialog) and
stored only once answered; the returns list of a round with its deadline, each unit's 历次报送 and a copyable
催报 text; the task x unit matrix (click a cell to read what the unit wrote); the consolidated ledger and the
报送情况通报."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain import clock
from desktop_app.domain.directory import KINDS
from desktop_app.domain.model import LedgerError
from desktop_app.domain.returns import BLANK, LATE, MISSING, NOT_EXPECTED, STATE_LABELS, SUBMITTED
from desktop_app.ui.models.returns_models import (
    CollectResultModel,
    DeductionsModel,
    DirectoryModel,
    ReturnHistoryModel,
    ReturnMatrixModel,
    ReturnStatesModel,
    TotalsModel,
)

CONSOLIDATED_FILTERS = "Word 文档 (*.docx);;Excel 表格 (*.xlsx);;JSON 文件 (*.json)"


class _Progress(QObject):
    """Emitted from the worker thread; Qt queues it to the dialog on the GUI thread."""

    step = Signal(int, int, str)


class CollectDialog(QDialog):
    def __init__(self, ctx: Any, ledger_id: int, runner: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ledger_id = ledger_id
        self.runner = runner
        self.last_collection: list[Any] | None = None  # the outcomes of the collection that can be undone
        self._plan: Any = None  # the last collection's plan (a file left to confirm is asked again with it)
        ledger = ctx.ledgers.get_ledger(ledger_id)
        self.setWindowTitle(f"收集报送 — {ledger.title}")
        self.setAcceptDrops(True)
        self.resize(1100, 720)

        top = QHBoxLayout()
        top.addWidget(QLabel("报送轮次："))
        self.round = QComboBox()
        self.round.setObjectName("collectRound")
        rounds = ctx.progress.rounds(ledger_id)
        current = ctx.collect.resolve_round(ledger_id)
        for n, r in enumerate(rounds, start=1):
            self.round.addItem(ctx.collect.round_label(ledger_id, r) or f"第{n}次报送", r.id)
        if not rounds:
            self.round.addItem("（未设报送日期）", None)
        if current is not None:
            self.round.setCurrentIndex(max(0, self.round.findData(current.id)))
        self.deadline = QLabel()
        top.addWidget(self.round)
        top.addWidget(self.deadline, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._collect_tab(), "收集报送")
        self.tabs.addTab(self._states_tab(), "报送情况")
        self.tabs.addTab(self._matrix_tab(), "任务×单位")
        self.year = ledger.year or clock.today().year
        self.tabs.addTab(self._score_tab(), "考核扣分")
        self.tabs.addTab(self._directory_tab(), "单位名录")

        bottom = QHBoxLayout()
        self.consolidated_button = QPushButton("导出汇总台账…")
        self.notice_button = QPushButton("生成报送情况通报…")
        self.close_button = QPushButton("关闭")
        for b in (self.consolidated_button, self.notice_button):
            bottom.addWidget(b)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        self.consolidated_button.clicked.connect(self.export_consolidated)
        self.notice_button.clicked.connect(self.write_notice)
        self.close_button.clicked.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.tabs, 1)
        lay.addLayout(bottom)
        self.round.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh()
        if not self.directory.rowCount():  # the office's first time: the directory comes first
            self.tabs.setCurrentWidget(self.directory_page)

    # ---- building -------------------------------------------------------------------------------------
    def _collect_tab(self) -> QWidget:
        page = QWidget()
        self.drop_label = QLabel(
            "把各单位的报送件（Word .docx / Excel .xlsx）或整个文件夹拖到这里，或点“添加文件…”。"
        )
        self.drop_label.setAlignment(Qt.AlignCenter)
        self.drop_label.setMinimumHeight(70)
        self.drop_label.setStyleSheet(
            "QLabel { border: 2px dashed #90a4ae; border-radius: 6px; color: #455a64; }"
        )
        self.add_files_button = QPushButton("添加文件…")
        self.add_folder_button = QPushButton("添加文件夹…")
        self.undo_button = QPushButton("撤销本次收集")
        self.undo_button.setEnabled(False)
        self.add_files_button.clicked.connect(lambda: self.collect_paths(self.ask_files()))
        self.add_folder_button.clicked.connect(self._add_folder)
        self.undo_button.clicked.connect(self.undo_collection)
        self.progress = QProgressBar()
        self.progress.setFormat("%v / %m 个文件")
        self.progress.setValue(0)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.results = CollectResultModel(self)
        self.results_view = _table(self.results, widths=(220, 160, 70))
        self.results_view.setObjectName("collectResults")
        self.results_view.doubleClicked.connect(lambda index: self.confirm_row(index.row()))
        buttons = QHBoxLayout()
        for b in (self.add_files_button, self.add_folder_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button)
        lay = QVBoxLayout(page)
        lay.addWidget(self.drop_label)
        lay.addLayout(buttons)
        lay.addWidget(self.progress)
        lay.addWidget(self.summary)
        lay.addWidget(self.results_view, 1)
        return page

    def _states_tab(self) -> QWidget:
        page = QWidget()
        self.states = ReturnStatesModel(self)
        self.states_view = _table(self.states, widths=(200, 120, 90, 150, 220))
        self.states_view.setObjectName("returnStates")
        self.states_view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.states_view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self.show_history(cur.row()))
        self.history = ReturnHistoryModel(self)
        self.history_view = _table(self.history, widths=(170, 220, 70))
        self.history_view.setObjectName("returnHistory")
        self.history_label = QLabel("历次报送：选中上面一个单位，查看它本轮每次报送的时间、文件和改动。")
        self.counts = QLabel()
        self.reminder = QPlainTextEdit()
        self.reminder.setReadOnly(True)
        self.reminder.setObjectName("reminderText")
        self.reminder.setMaximumHeight(130)
        self.copy_button = QPushButton("复制催报文本")
        self.copy_button.clicked.connect(self.copy_reminder)
        lower = QWidget()
        low = QVBoxLayout(lower)
        low.setContentsMargins(0, 0, 0, 0)
        low.addWidget(self.history_label)
        low.addWidget(self.history_view)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.states_view)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        lay = QVBoxLayout(page)
        lay.addWidget(self.counts)
        lay.addWidget(split, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel("催报文本（未报送单位）："))
        row.addStretch(1)
        row.addWidget(self.copy_button)
        lay.addLayout(row)
        lay.addWidget(self.reminder)
        return page

    def show_history(self, row: int) -> None:
        """历次报送 of the unit on that row of the returns list."""
        states = self.states.states()
        if not 0 <= row < len(states):
            self.history.set_versions("", [])
            return
        unit = states[row].unit
        versions = self.ctx.collect.history(self.ledger_id, unit, self.round_id())
        self.history.set_versions(unit, versions)
        self.history_label.setText(
            f"历次报送：{unit}本轮共报送 {len(versions)} 份（最新的在上，被替换的保留在此）。"
            if versions
            else f"历次报送：{unit}本轮尚未报送。"
        )

    def _matrix_tab(self) -> QWidget:
        page = QWidget()
        self.kind_filter = QComboBox()
        self.kind_filter.addItem("全部类别", "")
        for k in KINDS:
            self.kind_filter.addItem(k, k)
        self.state_filter = QComboBox()
        self.state_filter.addItem("全部状态", "")
        for s in (SUBMITTED, LATE, MISSING, BLANK, NOT_EXPECTED):
            self.state_filter.addItem(STATE_LABELS[s], s)
        self.matrix = ReturnMatrixModel(self)
        self.matrix_view = _table(self.matrix, stretch_last=False)
        self.matrix.modelReset.connect(lambda: _set_widths(self.matrix_view, (50, 240)))
        self.matrix_view.setObjectName("returnMatrix")
        self.matrix_view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.matrix_view.setSelectionBehavior(QAbstractItemView.SelectItems)
        self.matrix_view.clicked.connect(self.show_cell)
        self.cell_text = QPlainTextEdit()
        self.cell_text.setReadOnly(True)
        self.cell_text.setObjectName("matrixCellText")
        self.cell_text.setMaximumHeight(140)
        self.cell_text.setPlaceholderText("点击一个单元格，查看该单位在这项任务上报送的进展。")
        self.kind_filter.currentIndexChanged.connect(self._filter)
        self.state_filter.currentIndexChanged.connect(self._filter)
        row = QHBoxLayout()
        row.addWidget(QLabel("单位类别："))
        row.addWidget(self.kind_filter)
        row.addWidget(QLabel("状态："))
        row.addWidget(self.state_filter)
        row.addStretch(1)
        lay = QVBoxLayout(page)
        lay.addLayout(row)
        lay.addWidget(self.matrix_view, 1)
        lay.addWidget(self.cell_text)
        return page

    def _score_tab(self) -> QWidget:
        page = QWidget()
        rule = self.ctx.score.rule(self.year)
        self.late_points, self.missing_points, self.overdue_points = (
            _points(rule.late_return),
            _points(rule.missing_return),
            _points(rule.overdue_task),
        )
        self.save_rule_button = QPushButton("保存规则")
        self.assess_button = QPushButton("计算本轮扣分")
        self.score_export_button = QPushButton("导出考核扣分表…")
        self.save_rule_button.clicked.connect(self.save_rule)
        self.assess_button.clicked.connect(self.assess)
        self.score_export_button.clicked.connect(self.export_score)
        self.deductions = DeductionsModel(self)
        self.totals = TotalsModel(self)
        self.deductions_view = _table(self.deductions, widths=(130, 200, 110, 0, 60))
        self.totals_view = _table(self.totals, widths=(140, 70))
        row = QHBoxLayout()
        row.addWidget(QLabel(f"{self.year}年扣分规则：逾期报送每次"))
        row.addWidget(self.late_points)
        row.addWidget(QLabel("分，未报送每次"))
        row.addWidget(self.missing_points)
        row.addWidget(QLabel("分，任务逾期未完成每项"))
        row.addWidget(self.overdue_points)
        row.addWidget(QLabel("分"))
        row.addWidget(self.save_rule_button)
        row.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(self.assess_button)
        actions.addStretch(1)
        actions.addWidget(self.score_export_button)
        tables = QHBoxLayout()
        tables.addWidget(self.deductions_view, 5)
        tables.addWidget(self.totals_view, 2)
        lay = QVBoxLayout(page)
        lay.addLayout(row)
        lay.addLayout(actions)
        lay.addWidget(QLabel("扣分明细（本年度）与年度合计："))
        lay.addLayout(tables, 1)
        self._show_score()
        return page

    def _directory_tab(self) -> QWidget:
        page = self.directory_page = QWidget()
        self.directory = DirectoryModel(self)
        self.directory_view = _table(self.directory, widths=(220, 120, 260))
        self.directory_view.setObjectName("unitsDirectory")
        self.directory_info = QLabel()
        self.directory_info.setWordWrap(True)
        self.from_ledger_button = QPushButton("从本台账补充单位")
        self.from_ledger_button.clicked.connect(self.fill_directory)
        self.paste = QPlainTextEdit()
        self.paste.setObjectName("directoryPaste")
        self.paste.setMaximumHeight(110)
        self.paste.setPlaceholderText(
            "把从 Excel 复制的行粘贴到这里：名称、类别（市政府部门 / 直属机构 / 县（市）区政府 / 其他）、"
            "其他名称（用、分开）、联系人，每行一个单位；已有的单位按粘贴的内容更新。"
        )
        self.paste_button = QPushButton("加入名录")
        self.paste_button.clicked.connect(self.add_pasted)
        row = QHBoxLayout()
        row.addWidget(self.from_ledger_button)
        row.addStretch(1)
        row.addWidget(self.paste_button)
        lay = QVBoxLayout(page)
        lay.addWidget(self.directory_info)
        lay.addWidget(self.directory_view, 1)
        lay.addWidget(self.paste)
        lay.addLayout(row)
        self._show_directory()
        return page

    def _show_directory(self) -> None:
        units = self.ctx.directory.units()
        self.directory.set_units(units)
        if units:
            self.directory_info.setText(
                f"名录中共 {len(units)} 个单位。任务中的“市政府各部门”“各县（市）区人民政府”等泛指按类别对应到名录中的单位，"
                "据此确定谁应报送哪些任务；报送件上的“填报单位”按名称或其他名称对应。"
            )
        else:
            self.directory_info.setText(
                "单位名录是空的：先点“从本台账补充单位”取出台账中写明的单位，再粘贴从 Excel 复制的名录补全类别和其他名称。"
            )

    def fill_directory(self) -> None:
        change = self.ctx.directory.fill_from_ledger(self.ledger_id)
        self._show_directory()
        self.summary.setText(f"从本台账加入 {len(change.added)} 个单位。")
        self.refresh()

    def add_pasted(self) -> None:
        try:
            change = self.ctx.directory.add_pasted(self.paste.toPlainText())
        except LedgerError as exc:
            self.show_error(exc.message)
            return
        self.paste.clear()
        self._show_directory()
        self.summary.setText(f"名录：新增 {len(change.added)} 个单位，更新 {len(change.updated)} 个单位。")
        self.refresh()

    def _show_score(self) -> None:
        self.deductions.set_deductions(self.ctx.score.deductions(self.year))
        self.totals.set_totals(self.ctx.score.totals(self.year))

    def save_rule(self) -> None:
        from desktop_app.domain.score import ScoreRule

        rule = ScoreRule(self.late_points.value(), self.missing_points.value(), self.overdue_points.value())
        try:
            self.ctx.score.set_rule(self.year, rule)
        except LedgerError as exc:
            self.show_error(exc.message)
            return
        self.summary.setText(f"{self.year}年扣分规则已保存。")

    def assess(self) -> None:
        """The round's deductions (with the rule as shown, saved first), replacing its earlier ones."""
        self.save_rule()
        found = self.ctx.score.assess(self.ledger_id, self.round_id())
        self._show_score()
        self.summary.setText(f"本轮共 {len(found)} 项扣分，合计 {sum(d.points for d in found):g} 分。")

    def export_score(self) -> Path | None:
        path = self.ask_save(f"{self.year}年度考核扣分表.xlsx", "Excel 表格 (*.xlsx)")
        if path is None:
            return None
        try:
            out = self.ctx.score.export_xlsx(self.year, path)
        except LedgerError as exc:
            self.show_error(exc.message)
            return None
        self.summary.setText(f"考核扣分表已导出到 {out}")
        return out

    # ---- what tests replace -----------------------------------------------------------------------------
    def ask_files(self) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(
            self, "选择报送件", str(Path.home()), "报送件 (*.docx *.xlsx)"
        )
        return [Path(n) for n in names]

    def ask_folder(self) -> Path | None:
        name = QFileDialog.getExistingDirectory(self, "选择存放报送件的文件夹", str(Path.home()))
        return Path(name) if name else None

    def ask_save(self, suggested: str, filters: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, "保存为", str(Path.home() / suggested), filters)
        return Path(name) if name else None

    def show_error(self, text: str) -> None:
        QMessageBox.warning(self, "提示", text)

    def ask_confirm(self, outcome: Any) -> Any:
        """ConfirmReturnDialog for a file whose unit or tasks are uncertain: the ReturnAnswer, or None."""
        units = {u.name: u for u in self.ctx.directory.units()}
        dialog = ConfirmReturnDialog(outcome, units, self)
        run = getattr(self.parent(), "run_dialog", None)  # the window drives its modal dialogs (tests too)
        ok = run(dialog) if run is not None else dialog.exec()
        reply = dialog.answer() if ok else None
        dialog.deleteLater()
        return reply

    # ---- doing -------------------------------------------------------------------------------------------
    def round_id(self) -> int | None:
        return self.round.currentData()

    def _add_folder(self) -> None:
        folder = self.ask_folder()
        if folder is not None:
            self.collect_paths([folder])

    def _busy(self, busy: bool) -> None:
        for b in (self.add_files_button, self.add_folder_button, self.round, self.close_button):
            b.setEnabled(not busy)
        self.undo_button.setEnabled(not busy and bool(self.last_collection))
        self.setAcceptDrops(not busy)

    def collect_paths(self, paths: list[Path]) -> None:
        """Read the files off the GUI thread (progress bar), then store them here in one transaction."""
        if not paths:
            return
        try:
            # a file naming its round goes to it; the round box is for the files that name none
            plan = self.ctx.collect.plan(self.ledger_id, self.round_id(), explicit=False)
        except LedgerError as exc:
            self.show_error(exc.message)
            return
        self._busy(True)
        self.progress.setRange(0, 0)
        self.summary.setText("正在读取报送件…")
        relay = _Progress(self)
        relay.step.connect(self._step)

        def work() -> list[Any]:
            return self.ctx.collect.read(plan, paths, lambda n, total, f: relay.step.emit(n, total, f.name))

        def done(outcomes: list[Any]) -> None:
            self._plan = plan
            try:
                # a file with an uncertain unit or task is asked about now (unless it is one confirmed before);
                # unanswered, it stays unstored
                self.ctx.collect.settle_known(plan, outcomes)
                self.finish(self.ctx.collect.store(plan, [self._confirmed(plan, o) for o in outcomes]))
            except LedgerError as exc:
                self._busy(False)
                self.show_error(exc.message)

        def failed(message: str) -> None:
            self._busy(False)
            self.summary.setText("")
            self.show_error(message)

        if self.runner is None:
            try:
                done(work())
            except LedgerError as exc:
                failed(exc.message)
        else:
            self.runner.run(work, done, failed, "收集报送")

    def _confirmed(self, plan: Any, outcome: Any) -> Any:
        """The outcome as the user confirmed it (ready to store), or unchanged when it needs no question or
        the user declined."""
        if outcome.outcome != "confirm":
            return outcome
        reply = self.ask_confirm(outcome)
        if reply is None:
            return outcome
        try:
            return self.ctx.collect.answer(plan, outcome, reply)
        except LedgerError as exc:
            self.show_error(exc.message)
            return outcome

    def confirm_row(self, row: int) -> None:
        """A file left 待确认 in the result list asked about again (double click); stored once answered, and
        part of the collection 撤销本次收集 takes back."""
        outcomes = self.results.outcomes()
        if self._plan is None or not 0 <= row < len(outcomes) or outcomes[row].outcome != "confirm":
            return
        got = self._confirmed(self._plan, outcomes[row])
        if got is outcomes[row]:
            return
        try:
            (stored,) = self.ctx.collect.store(self._plan, [got])
        except LedgerError as exc:
            self.show_error(exc.message)
            return
        outcomes[row] = stored
        if stored.outcome in ("new", "updated"):
            self.last_collection = (self.last_collection or []) + [stored]
        self._show_outcomes(outcomes)
        self.refresh()

    def _step(self, n: int, total: int, name: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(n)
        self.summary.setText(f"已读取 {n}/{total}：《{name}》")

    def finish(self, outcomes: list[Any]) -> None:
        stored = [o for o in outcomes if o.outcome in ("new", "updated")]
        self.last_collection = stored or None
        self._show_outcomes(outcomes)
        self._busy(False)
        rounds = {o.round_id for o in outcomes if o.outcome in ("new", "updated", "unchanged")}
        if len(rounds) == 1 and (rid := rounds.pop()) != self.round_id() and self.round.findData(rid) >= 0:
            self.round.setCurrentIndex(self.round.findData(rid))  # the round the files say they are for
            self.summary.setText(self.summary.text() + f"报送件写明为{self.round.currentText()}，已切换到该轮次。")
        self.refresh()

    def _show_outcomes(self, outcomes: list[Any]) -> None:
        self.results.set_outcomes(outcomes)
        self.progress.setRange(0, max(1, len(outcomes)))
        self.progress.setValue(len(outcomes))
        n = {k: sum(1 for o in outcomes if o.outcome == k) for k in ("new", "updated", "unchanged", "confirm")}
        kept = n["new"] + n["updated"] + n["unchanged"]
        text = (
            f"共 {len(outcomes)} 个文件：收录 {kept} 个（新收录 {n['new']} 个，更新 {n['updated']} 个，"
            f"无变化 {n['unchanged']} 个），未收录 {len(outcomes) - kept} 个"
        )
        if n["confirm"]:
            text += f"（其中 {n['confirm']} 个待确认：双击该行确认后收录）"
        self.summary.setText(text + "。")
        self.undo_button.setEnabled(bool(self.last_collection))

    def undo_collection(self) -> None:
        if not self.last_collection:
            return
        n = self.ctx.collect.undo(self.last_collection)
        self.last_collection = None
        self.undo_button.setEnabled(False)
        self.summary.setText(f"已撤销本次收集：{n} 个单位的报送恢复为收集前的样子。")
        self.refresh()

    def refresh(self) -> None:
        rid = self.round_id()
        rnd, states = self.ctx.collect.states(self.ledger_id, rid)
        due = rnd.due_date if rnd else None
        self.deadline.setText(f"截止日期：{clock.chinese_date(due)}" if due else "截止日期：未设定")
        chosen = self.history.unit
        self.states.set_states(states)
        row = next((i for i, x in enumerate(states) if x.unit == chosen), -1)
        if row >= 0:  # the unit whose 历次报送 was shown stays selected
            self.states_view.setCurrentIndex(self.states.index(row, 0))
        n = {s: sum(1 for x in states if x.state == s) for s in (SUBMITTED, LATE, MISSING)}
        self.counts.setText(
            f"应报送 {len(states)} 个单位：按时报送 {n[SUBMITTED]} 个，逾期报送 {n[LATE]} 个，未报送 {n[MISSING]} 个。"
        )
        text = self.ctx.collect.reminder(self.ledger_id, rid)
        self.reminder.setPlainText(text or "各单位均已报送，无需催报。")
        self.copy_button.setEnabled(bool(text))
        self.matrix.set_matrix(self.ctx.collect.matrix(self.ledger_id, rid))
        self.cell_text.clear()
        self.show_history(self.states_view.currentIndex().row())

    def _filter(self) -> None:
        self.matrix.set_filters(self.kind_filter.currentData(), self.state_filter.currentData())
        self.cell_text.clear()

    def show_cell(self, index: Any) -> None:
        cell = self.matrix.cell(index)
        if cell is None:
            return
        unit = self.matrix.units()[index.column() - len(self.matrix.FIXED)].name
        task = self.matrix.tasks()[index.row()]
        head = f"{unit} · 第{task.number}项 · {STATE_LABELS.get(cell.state, cell.state)}"
        if cell.received:
            head += f"（{cell.received:%Y-%m-%d %H:%M} 收到《{cell.file}》）"
        self.cell_text.setPlainText(f"{head}\n{cell.text or '（未报送进展）'}")

    def copy_reminder(self) -> None:
        text = self.ctx.collect.reminder(self.ledger_id, self.round_id())
        if text:
            QGuiApplication.clipboard().setText(text)
            self.summary.setText("催报文本已复制，可粘贴到通知或即时通讯中。")

    def export_consolidated(self) -> Path | None:
        path = self.ask_save("汇总台账.docx", CONSOLIDATED_FILTERS)
        if path is None:
            return None
        try:
            out = self.ctx.collect.export_consolidated(self.ledger_id, None, path, self.round_id())
        except LedgerError as exc:
            self.show_error(exc.message)
            return None
        self.summary.setText(f"汇总台账已导出到 {out}")
        return out

    def write_notice(self) -> Path | None:
        path = self.ask_save("报送情况通报.docx", "Word 文档 (*.docx)")
        if path is None:
            return None
        try:
            out = self.ctx.collect.write_notice(self.ledger_id, path, self.round_id())
        except LedgerError as exc:
            self.show_error(exc.message)
            return None
        self.summary.setText(f"报送情况通报已保存到 {out}")
        return out

    # ---- drag and drop -------------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        self.collect_paths(paths)


def _points(value: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0, 100)
    box.setDecimals(1)
    box.setSingleStep(0.5)
    box.setValue(value)
    return box


def _set_widths(view: QTableView, widths: tuple[int, ...]) -> None:
    """Column widths in pixels; 0 stretches that column."""
    header = view.horizontalHeader()
    for i, w in enumerate(widths):
        if w:
            view.setColumnWidth(i, w)
        else:
            header.setStretchLastSection(False)
            header.setSectionResizeMode(i, QHeaderView.Stretch)


def _table(model: Any, stretch_last: bool = True, widths: tuple[int, ...] = ()) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setWordWrap(True)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setStretchLastSection(stretch_last)
    header.setSectionResizeMode(QHeaderView.Interactive)
    header.setDefaultSectionSize(110)
    _set_widths(view, widths)
    return view


class ConfirmReturnDialog(QDialog):
    """确认报送件: a return whose unit or some of whose tasks could not be matched for sure. The unit is picked
    from the directory (most likely first); per uncertain task the ledger's most alike tasks are offered
    with their content, or 不收录这一项. Nothing of the file is stored unless this is accepted."""

    SKIP = -1

    def __init__(self, outcome: Any, units: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outcome = outcome
        q = outcome.question
        self.setWindowTitle(f"确认报送件 — 《{outcome.file.name}》")
        self.resize(820, 560)
        lay = QVBoxLayout(self)
        head = QLabel(f"《{outcome.file.name}》需要您确认后才能收录：{outcome.reason}")
        head.setWordWrap(True)
        lay.addWidget(head)
        form = QFormLayout()
        self.unit = QComboBox()
        self.unit.setObjectName("confirmUnit")
        if q.unit_why:
            for name in q.unit_choices:
                kind = getattr(units.get(name), "kind", "")
                self.unit.addItem(f"{name}（{kind}）" if kind else name, name)
            self.unit.setCurrentIndex(max(0, self.unit.findData(q.unit)))
            why = QLabel(f"{q.unit_why}。请从单位名录中选择报送单位：")
            why.setWordWrap(True)
            form.addRow(why)
            form.addRow("报送单位：", self.unit)
        else:
            self.unit.addItem(q.unit, q.unit)
            self.unit.setEnabled(False)
            form.addRow("报送单位：", self.unit)
        lay.addLayout(form)
        self.task_choices: dict[int, QComboBox] = {}
        if q.tasks:
            lay.addWidget(QLabel(f"以下 {len(q.tasks)} 项在台账中对应不确定，请为每一项选择台账中的任务，或不收录："))
            inner = QWidget()
            rows = QVBoxLayout(inner)
            for t in q.tasks:
                box = QGroupBox(f"报送件中的第{t.number or t.index + 1}项")
                bl = QVBoxLayout(box)
                content = QLabel(f"任务内容：{t.content or '（空）'}")
                content.setWordWrap(True)
                progress = QLabel(f"填报的进展：{t.progress}")
                progress.setWordWrap(True)
                reason = QLabel(f"原因：{t.why}")
                reason.setStyleSheet("color: #e65100;")
                reason.setWordWrap(True)
                choice = QComboBox()
                choice.setObjectName(f"confirmTask{t.index}")
                for tid, number, text, ratio in t.candidates:
                    short = text.replace("\n", "")
                    short = short if len(short) <= 40 else short[:40] + "…"
                    choice.addItem(f"第{number}项（内容相似 {ratio:.0%}）：{short}", tid)
                    choice.setItemData(choice.count() - 1, text, Qt.ToolTipRole)
                choice.addItem("不收录这一项", self.SKIP)
                for w in (content, progress, reason, choice):
                    bl.addWidget(w)
                rows.addWidget(box)
                self.task_choices[t.index] = choice
            rows.addStretch(1)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.NoFrame)
            scroll.setWidget(inner)
            lay.addWidget(scroll, 1)
        else:
            lay.addStretch(1)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b71c1c;")
        lay.addWidget(self.error)
        buttons = QHBoxLayout()
        self.accept_button = QPushButton("确认收录")
        self.skip_button = QPushButton("暂不收录此文件")
        self.accept_button.setDefault(True)
        self.accept_button.clicked.connect(self.accept)
        self.skip_button.clicked.connect(self.reject)
        buttons.addStretch(1)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.accept_button)
        lay.addLayout(buttons)

    def answer(self) -> Any:
        from desktop_app.services.collect_service import ReturnAnswer

        tasks = {}
        for index, box in self.task_choices.items():
            tid = box.currentData()
            tasks[index] = None if tid == self.SKIP else tid
        return ReturnAnswer(self.unit.currentData(), tasks)

    def accept(self) -> None:
        chosen = [t for t in self.answer().tasks.values() if t is not None]
        if len(chosen) != len(set(chosen)):
            self.error.setText("有两项选了台账中的同一项任务，请为每一项选择不同的任务，或选“不收录这一项”。")
            return
        super().accept()
