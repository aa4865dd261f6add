"""The progress editor docked beside the table: the selected task's progress, status, percent,
its history of progress entries and its evidence (佐证材料). Saves by itself (idle timer, focus
out, selection change); every save is an undoable edit."""

from __future__ import annotations

import html
import logging
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain import clock
from desktop_app.domain.deadlines import period_due_dates
from desktop_app.domain.model import (
    ConnectionLost,
    DeadlineKind,
    LedgerError,
    ProgressDraft,
    Task,
    TaskStatus,
)
from desktop_app.domain.status import display_percent, due_date_on, effective_status
from desktop_app.ui import status_style
from desktop_app.ui.office_edits import ask_done_at_full_box, ask_done_percent_box
from desktop_app.ui.task_actions import TaskActions
from desktop_app.ui.undo_commands import KEPT_AUTHOR
from desktop_app.ui.widgets.flow_layout import FlowLayout

log = logging.getLogger(__name__)
IDLE_SAVE_MS = 1200


def _draft_label(d: ProgressDraft) -> str:
    when = f"{d.created_at:%m-%d %H:%M} " if d.created_at else ""
    return f"{when}{d.task_label}：{' '.join(d.text.split())[:30]}"


def task_detail_html(task: Task, info: Any | None) -> str:
    """The task's fields, wrapped, for the read-only detail pane."""

    def row(label: str, text: str) -> str:
        body = html.escape(text or "—").replace("\n", "<br>")
        return f"<p style='margin:2px 0'><b>{label}：</b>{body}</p>"

    parts = [row("序号", task.number), row("重点工作", task.key_work)]
    if task.item:
        parts.append(row("子项", task.item))
    parts += [row("主要内容", task.content), row("量化指标", task.indicator)]
    units = task.units_text + (f"；配合：{task.cooperating_text}" if task.cooperating_text else "")
    parts.append(row("责任单位", units))
    deadline = task.deadline.text or "—"
    if task.deadline.due_date:
        d = task.deadline.due_date
        deadline += f"（截止 {d.year}年{d.month}月{d.day}日）"
    if task.deadline.flagged:
        deadline += " ⚠ 完成时限未能识别，请核对"
    parts.append(row("完成时限", deadline))
    periods = period_line(task)
    if periods:
        parts.append(row("各期截止", periods))
    if info is not None:
        color = status_style.status_color(info.status).name()
        fg = status_style.status_text_color(info.status).name()
        label = html.escape(status_style.display_text(info.status, info.stale))
        parts.append(
            f"<p style='margin:2px 0'><b>状态：</b><span style='background:{color};color:{fg}'>&nbsp;{label}&nbsp;</span></p>"
        )
    if task.remarks:
        parts.append(row("备注", task.remarks))
    return "".join(parts)


def period_line(task: Task, today: date | None = None) -> str:
    """A recurring task's due dates of this year, one per period (每季度: four), the past ones marked
    已过 and the one the status now follows marked 本期; "" for other deadlines (and weekly work, whose
    fifty-two dates would say less than its deadline text)."""
    if task.deadline.kind != DeadlineKind.RECURRING or (task.deadline.recurrence or "").startswith("weekly:"):
        return ""
    today = today or clock.today()
    dates = period_due_dates(task.deadline, today.year)
    if not dates:
        return ""
    current = None if effective_status(task) == TaskStatus.DONE else due_date_on(task, today)
    words = []
    for d in dates:
        mark = "（本期）" if d == current else "（已过）" if d < today else ""
        words.append(f"{d.month}月{d.day}日{mark}")
    return "、".join(words)


class ProgressEditor(QWidget):
    """objectName progressEditor; children progressText, statusCombo, percentSpin, historyView."""

    message = Signal(str)  # a line for the status bar

    def __init__(self, ctx: Any, actions: TaskActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressEditor")
        self.ctx = ctx
        self.actions = actions
        self._task: Task | None = None
        self._info: Any = None
        self._dirty = False
        # the task the pending text was typed for, taken when typing starts: a save goes there,
        # whatever the selection is by then
        self._typing_for: Task | None = None
        self._loading = False
        self.read_only = False  # 只读 (set_read_only): the text can be read and copied, not changed
        self._tmp: Path | None = None  # temp copies of opened evidence files, made on first use
        self.office: Any = None  # OfficeEdits, set by the window: status and percent kept in agreement
        self._build()
        self.set_task(None)
        self.refresh_drafts()
        actions.task_changed.connect(self._on_task_changed)
        actions.history_changed.connect(self._on_history_changed)

    # ---- building --------------------------------------------------------------------------------
    def _build(self) -> None:
        self.title = QLabel("未选择任务")
        self.title.setObjectName("progressTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold")
        self.detail = QTextBrowser()
        self.detail.setObjectName("taskDetail")
        self.detail.setOpenLinks(False)

        self.text = QPlainTextEdit()
        self.text.setObjectName("progressText")
        self.text.setPlaceholderText("在此填写进展落实情况，停止输入后自动保存。")
        self.text.textChanged.connect(self._on_text_changed)
        self.text.installEventFilter(self)
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_SAVE_MS)
        self._idle.timeout.connect(self.flush)

        self.status_combo = QComboBox()
        self.status_combo.setObjectName("statusCombo")
        for st in TaskStatus:
            self.status_combo.addItem(st.label, st.value)
        self.status_combo.currentIndexChanged.connect(self._on_status_changed)
        self.percent_spin = QSpinBox()
        self.percent_spin.setObjectName("percentSpin")
        self.percent_spin.setRange(0, 100)
        self.percent_spin.setSuffix("%")
        self.percent_spin.valueChanged.connect(self._on_percent_changed)
        self.saved_label = QLabel("")
        self.saved_label.setObjectName("savedLabel")
        self.saved_label.setStyleSheet("color: #607d8b")

        self.round_combo = QComboBox()
        self.round_combo.setObjectName("roundCombo")
        self.round_combo.setToolTip("这条进展记录属于哪一次报送")
        self.add_entry_button = QPushButton("记入进展记录")
        self.add_entry_button.setObjectName("addEntryButton")
        self.add_entry_button.setToolTip("把当前的进展、状态和进度作为一条记录存入历史（可撤销）")
        self.add_entry_button.clicked.connect(self.add_entry)

        # 起算日期: only for a deadline counted from an event (收到通知后3个工作日内 …)
        self.anchor_known = QCheckBox("已知")
        self.anchor_known.setObjectName("taskAnchorKnown")
        self.anchor_date = QDateEdit()
        self.anchor_date.setObjectName("taskAnchorDate")
        self.anchor_date.setCalendarPopup(True)
        self.anchor_date.setDisplayFormat("yyyy年M月d日")
        self.anchor_date.setToolTip("本任务时限的起算日期（如通知收到之日）；不填则按台账信息中的日期")
        self.anchor_known.toggled.connect(self._on_anchor_changed)
        self.anchor_date.dateChanged.connect(lambda _d: self._on_anchor_changed())
        self.anchor_box = QWidget()
        anchor_line = QHBoxLayout(self.anchor_box)
        anchor_line.setContentsMargins(0, 0, 0, 0)
        anchor_line.addWidget(self.anchor_known)
        anchor_line.addWidget(self.anchor_date, 1)
        self.anchor_label = QLabel("起算日期")
        self.anchor_box.hide()
        self.anchor_label.hide()

        form = QFormLayout()  # one field a row: the panel stays narrow (1366×768 at 150 %)
        form.addRow("状态", self.status_combo)
        form.addRow("进度", self.percent_spin)
        form.addRow("报送", self.round_combo)
        form.addRow(self.anchor_label, self.anchor_box)
        entry_line = QHBoxLayout()
        entry_line.addStretch(1)
        entry_line.addWidget(self.add_entry_button)
        form.addRow(entry_line)

        edit_box = QWidget()
        edit_layout = QVBoxLayout(edit_box)
        edit_layout.setContentsMargins(0, 0, 0, 0)
        edit_layout.addWidget(QLabel("进展落实情况"))
        edit_layout.addWidget(self.text, 1)
        edit_layout.addLayout(form)
        edit_layout.addWidget(self.saved_label)

        # history
        self.history = QTreeWidget()
        self.history.setObjectName("historyView")
        self.history.setHeaderLabels(["日期", "填报人", "进展", "状态", "轮次"])
        self.history.setRootIsDecorated(False)
        self.history.header().setStretchLastSection(False)
        for col in (0, 1, 3, 4):
            self.history.header().setSectionResizeMode(col, QHeaderView.ResizeToContents)
        self.history.header().setSectionResizeMode(2, QHeaderView.Stretch)
        self.history.setAlternatingRowColors(True)
        self.history.currentItemChanged.connect(self._on_history_selected)
        self.history_text = QPlainTextEdit()
        self.history_text.setObjectName("historyText")
        self.history_text.setReadOnly(True)
        self.history_text.setPlaceholderText("选择一条记录查看全文")
        reuse = QPushButton("以此为当前进展")
        reuse.setObjectName("reuseEntryButton")
        reuse.setToolTip("把所选历史记录的文字复制到当前进展，再修改")
        reuse.clicked.connect(self._reuse_entry)
        history_page = QWidget()
        hl = QVBoxLayout(history_page)
        hl.setContentsMargins(2, 2, 2, 2)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.history)
        split.addWidget(self.history_text)
        hl.addWidget(split, 1)
        self.correct_button = QPushButton("更正…")
        self.correct_button.setObjectName("correctEntryButton")
        self.correct_button.setToolTip("更正所选记录的文字、状态或百分比（原内容留在修改记录中）")
        self.correct_button.clicked.connect(self.correct_selected_entry)
        self.withdraw_button = QPushButton("撤回")
        self.withdraw_button.setObjectName("withdrawEntryButton")
        self.withdraw_button.setToolTip("撤回所选记录（留在修改记录中，可用 Ctrl+Z 撤销）")
        self.withdraw_button.clicked.connect(self.withdraw_selected_entry)
        entry_row = FlowLayout(spacing=4)  # wraps onto a second line in a narrow panel
        entry_row.addWidget(self.correct_button)
        entry_row.addWidget(self.withdraw_button)
        entry_row.addWidget(reuse)
        hl.addLayout(entry_row)

        # evidence
        self.attachments = QListWidget()
        self.attachments.setObjectName("attachmentList")
        self.attachments.itemDoubleClicked.connect(lambda _item: self.open_selected_attachment())
        buttons = QGridLayout()  # two by two: still fits the dock at 200% font size
        for n, (label, slot, name) in enumerate(
            (
                ("添加文件…", self.add_files, "addFileButton"),
                ("添加链接…", self.add_link, "addLinkButton"),
                ("打开", self.open_selected_attachment, "openAttachmentButton"),
                ("删除", self.delete_selected_attachment, "deleteAttachmentButton"),
            )
        ):
            b = QPushButton(label)
            b.setObjectName(name)
            b.clicked.connect(slot)
            buttons.addWidget(b, n // 2, n % 2)
        att_page = QWidget()
        al = QVBoxLayout(att_page)
        al.setContentsMargins(2, 2, 2, 2)
        al.addWidget(self.attachments, 1)
        al.addLayout(buttons)

        self.tabs = QTabWidget()
        self.tabs.addTab(history_page, "进展记录")
        self.tabs.addTab(att_page, "佐证材料")

        self.splitter = QSplitter(Qt.Vertical)
        self.splitter.setObjectName("progressSplitter")
        self.splitter.addWidget(self.detail)
        self.splitter.addWidget(edit_box)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 3)
        # progress that could not be saved (its task was deleted meanwhile): kept, shown, recoverable
        self.draft_banner = QFrame()
        self.draft_banner.setObjectName("draftBanner")
        self.draft_banner.setStyleSheet(
            "#draftBanner { background:#fff3e0; border:1px solid #ffb74d; border-radius:4px }"
        )
        self.draft_label = QLabel()
        self.draft_label.setObjectName("draftLabel")
        self.draft_label.setWordWrap(True)
        self.draft_restore = QPushButton("恢复草稿")
        self.draft_restore.setObjectName("draftRestoreButton")
        self.draft_restore.setToolTip("把草稿放回当前所选任务的进展中（没有选中任务时显示全文，可复制）")
        self.draft_restore.clicked.connect(self.restore_draft)
        self.draft_discard = QPushButton("丢弃")
        self.draft_discard.setObjectName("draftDiscardButton")
        self.draft_discard.clicked.connect(self.discard_draft)
        db = QGridLayout(self.draft_banner)
        db.setContentsMargins(6, 4, 6, 4)
        db.addWidget(self.draft_label, 0, 0, 1, 2)
        db.addWidget(self.draft_restore, 1, 0)
        db.addWidget(self.draft_discard, 1, 1)
        self.draft_banner.hide()
        self._drafts: list[ProgressDraft] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.draft_banner)
        layout.addWidget(self.splitter, 1)

    # ---- dialogs (replaced in tests) -------------------------------------------------------------------
    def ask_attachment_paths(self) -> list[Path]:
        files, _ = QFileDialog.getOpenFileNames(self, "选择佐证材料", "", "所有文件 (*)")
        return [Path(f) for f in files]

    def ask_link(self) -> tuple[str, str] | None:
        url, ok = QInputDialog.getText(self, "添加链接", "网址（如政府网站上发布的页面）：")
        if not ok or not url.strip():
            return None
        return url.strip(), ""

    def ask_confirm(self, text: str) -> bool:
        return QMessageBox.question(self, "请确认", text) == QMessageBox.Yes

    def open_url(self, url: QUrl) -> bool:
        return QDesktopServices.openUrl(url)

    def choose_draft(self, drafts: list[ProgressDraft]) -> ProgressDraft | None:
        if len(drafts) == 1:
            return drafts[0]
        labels = [_draft_label(d) for d in drafts]
        label, ok = QInputDialog.getItem(self, "恢复草稿", "选择要恢复的草稿：", labels, 0, False)
        return drafts[labels.index(label)] if ok and label in labels else None

    def show_draft_text(self, draft: ProgressDraft) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("进展草稿")
        box.setText(
            f"为“{draft.task_label}”填写的进展（请在表格中选择任务后再点“恢复草稿”，或复制下面的文字）："
        )
        box.setDetailedText(draft.text)
        box.setInformativeText(draft.text[:300])
        box.setTextInteractionFlags(Qt.TextSelectableByMouse)
        box.exec()

    def notify(self, text: str) -> None:
        """Tell the user something that matters (a draft kept): the status bar, via the window."""
        self.message.emit(text)

    # ---- task ---------------------------------------------------------------------------------------
    def task(self) -> Task | None:
        return self._task

    def set_read_only(self, read_only: bool) -> None:
        """只读 (a reader's database, or the person's role on the ledger): nothing here can change it."""
        self.read_only = read_only
        self.text.setReadOnly(read_only)
        for w in (self.status_combo, self.percent_spin, self.add_entry_button, self.round_combo):
            w.setEnabled(self._task is not None and not read_only)
        if not read_only:
            for w in (self.correct_button, self.withdraw_button, self.anchor_known):
                w.setEnabled(True)
        self._apply_read_only()

    def _apply_read_only(self) -> None:
        if self.read_only:
            for w in (self.status_combo, self.percent_spin, self.add_entry_button, self.round_combo,
                      self.correct_button, self.withdraw_button, self.anchor_known, self.anchor_date):
                w.setEnabled(False)

    def set_task(self, task: Task | None, info: Any = None) -> None:
        if self._task is not None and (task is None or task.id != self._task.id):
            self.flush()
        same = task is not None and self._task is not None and task.id == self._task.id
        self._task = task
        self._info = info
        self._loading = True
        try:
            enabled = task is not None
            for w in (
                self.text,
                self.status_combo,
                self.percent_spin,
                self.add_entry_button,
                self.tabs,
                self.round_combo,
            ):
                w.setEnabled(enabled)
            self._apply_read_only()
            if task is None:
                self.anchor_box.hide()  # 起算日期 is only for a task whose deadline counts from an event
                self.anchor_label.hide()
                self.title.setText("未选择任务：在表格中点选一项任务，在此填写进展。")
                self.detail.setHtml("")
                self.text.setPlainText("")
                self.history.clear()
                self.history_text.clear()
                self.attachments.clear()
                self.saved_label.setText("")
                return
            head = " ".join(task.content.split())
            self.title.setText(f"{task.number}  {head[:36]}{'…' if len(head) > 36 else ''}")
            self.title.setToolTip(task.content)
            self.detail.setHtml(task_detail_html(task, info))
            if not (same and self._dirty) and self.text.toPlainText() != task.progress:
                self.text.setPlainText(task.progress)  # only when different: keeps the cursor while typing
                self._dirty = False
            # the status and percent every other view shows (domain.status); stored ones stay until a save
            shown = effective_status(task)
            self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(shown.value)))
            self.percent_spin.setValue(display_percent(task))
            relative = task.deadline.kind == DeadlineKind.RELATIVE
            self.anchor_box.setVisible(relative)
            self.anchor_label.setVisible(relative)
            if relative:
                anchor = task.deadline.anchor_date
                self.anchor_known.setChecked(anchor is not None)
                self.anchor_date.setEnabled(anchor is not None)
                self.anchor_date.setDate(QDate(anchor or clock.today()))
                due = task.deadline.due_date
                self.anchor_box.setToolTip(f"截止：{due:%Y-%m-%d}" if due else "填写起算日期后算出截止日期")
            updated = task.progress_updated_at
            self.saved_label.setText(f"最后更新：{updated:%Y-%m-%d %H:%M}" if updated else "尚未填写进展")
            if not same:
                self._load_rounds(task)
                self.reload_history()
                self.reload_attachments()
        finally:
            self._loading = False

    def _load_rounds(self, task: Task) -> None:
        self.round_combo.clear()
        self.round_combo.addItem("不关联报送轮次", None)
        if task.ledger_id is None:
            return
        try:
            rounds = self.ctx.progress.rounds(task.ledger_id)
        except LedgerError:
            rounds = []
        from desktop_app.domain import clock

        today = clock.today()
        pick = 0
        for r in rounds:
            label = r.label or (f"{r.due_date.month}月{r.due_date.day}日报送" if r.due_date else "报送")
            if r.submitted_at:
                label += "（已报送）"
            self.round_combo.addItem(label, r.id)
            if not pick and r.due_date and r.due_date >= today and not r.submitted_at:
                pick = self.round_combo.count() - 1
        self.round_combo.setCurrentIndex(pick)

    def _on_task_changed(self, task: Task) -> None:
        if self._task is not None and task.id == self._task.id:
            info = self._info
            self.set_task(task, info)
        elif self._task is not None and self.actions.resolve(self._task.id) == task.id:
            self.set_task(task, self._info)

    def set_info(self, info: Any) -> None:
        self._info = info
        if self._task is not None:
            self.detail.setHtml(task_detail_html(self._task, info))

    # ---- saving ---------------------------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.text and event.type() == QEvent.FocusOut:
            self.flush()
        return super().eventFilter(obj, event)

    def _on_text_changed(self) -> None:
        if self._loading or self._task is None:
            return
        if not self._dirty or self._typing_for is None:
            self._typing_for = self._task
        self._dirty = True
        self.saved_label.setText("正在输入…")
        self._idle.start()

    def flush(self) -> None:
        """Save typed progress text now (idle timer, focus out, task switch, window close), to the
        task it was typed for; if that task is gone, keep the text as a draft and say so."""
        self._idle.stop()
        target = self._typing_for or self._task
        if not self._dirty or target is None or target.id is None:
            return
        self._dirty = False
        self._typing_for = None
        text = self.text.toPlainText()
        tid = self.actions.resolve(target.id)
        try:
            stored = self.ctx.ledgers.get_task(tid)
        except ConnectionLost as exc:
            self._retry_later(target, exc.message)
            return
        except LedgerError:
            self._keep_draft(target, text)
            return
        if text != stored.progress and not self._save_progress(tid, text):
            self._keep_draft(target, text)
            return
        self.saved_label.setText("已自动保存")

    def _retry_later(self, target: Task, message: str) -> None:
        """The database server is unreachable (restarting, network): the typed text stays in the box
        and is saved by the next try (the idle timer, a focus change, the window closing)."""
        self._dirty = True
        self._typing_for = target
        self.saved_label.setText("未能保存：与数据库的连接中断，文字仍在，稍后自动重试")
        self.notify(message)
        self._idle.start()

    def _save_progress(self, task_id: int, text: str) -> bool:
        if self.actions.lookup(task_id) is not None:
            return self.actions.edit(task_id, "progress", text, merge=True)
        try:  # not in the table shown (another ledger by now): saved all the same, not undoable here
            self.ctx.ledgers.update_task(task_id, "progress", text)
        except LedgerError:
            return False
        return True

    def _keep_draft(self, task: Task, text: str) -> None:
        if not text.strip():
            return
        label = f"{task.number} {' '.join(task.content.split())[:24]}".strip()
        try:
            self.ctx.progress.save_draft(task.id, task.ledger_id, label, text)
        except LedgerError as exc:
            self.saved_label.setText("未能保存")
            self.notify(exc.message)
            return
        self.saved_label.setText("未能保存：该任务已删除，文字已存为草稿")
        self.refresh_drafts()
        self.notify(
            f"任务“{label}”已被删除，刚填写的进展未能保存，已存为草稿：可在“进展填报”栏点“恢复草稿”找回。"
        )

    # ---- drafts ---------------------------------------------------------------------------------------
    def drafts(self) -> list[ProgressDraft]:
        return list(self._drafts)

    def refresh_drafts(self) -> None:
        try:
            self._drafts = self.ctx.progress.drafts()
        except LedgerError:
            self._drafts = []
        if not self._drafts:
            self.draft_banner.hide()
            return
        newest = self._drafts[0]
        more = f"等 {len(self._drafts)} 条" if len(self._drafts) > 1 else ""
        self.draft_label.setText(
            f"有未能保存的进展草稿{more}（“{newest.task_label}”，任务已删除）。"
            "选中一项任务后点“恢复草稿”放回它的进展中。"
        )
        self.draft_banner.show()

    def restore_draft(self) -> None:
        """Put a draft back into the editor of the task selected (saved at once), or show its text."""
        if not self._drafts:
            return
        draft = self.choose_draft(self.drafts())
        if draft is None:
            return
        if self._task is None:
            self.show_draft_text(draft)
            return
        current = self.text.toPlainText()
        self.text.setPlainText(f"{current}\n{draft.text}" if current.strip() else draft.text)
        self._typing_for = self._task
        self._dirty = True
        self.flush()
        if self._dirty or self.saved_label.text() != "已自动保存":
            return  # not saved: the draft stays
        try:
            self.ctx.progress.delete_draft(draft.id)
        except LedgerError as exc:
            self.notify(exc.message)
        self.refresh_drafts()
        self.notify("草稿已放回当前任务的进展中并保存（可用 Ctrl+Z 撤销）。")

    def discard_draft(self) -> None:
        if not self._drafts:
            return
        draft = self.choose_draft(self.drafts())
        if draft is None or not self.ask_confirm(
            f"确定丢弃为“{draft.task_label}”填写的进展草稿吗？丢弃后不能恢复。"
        ):
            return
        try:
            self.ctx.progress.delete_draft(draft.id)
        except LedgerError as exc:
            self.notify(exc.message)
        self.refresh_drafts()

    @property
    def dirty(self) -> bool:
        return self._dirty

    def _on_anchor_changed(self) -> None:
        """起算日期 set, changed or cleared: the due date is computed at once (one undo step)."""
        self.anchor_date.setEnabled(self.anchor_known.isChecked())
        if self._loading or self._task is None or self._task.id is None:
            return
        value = self.anchor_date.date().toPython() if self.anchor_known.isChecked() else None
        if value != self._task.deadline.anchor_date:
            self.actions.edit(self._task.id, "anchor_date", value)

    def _on_status_changed(self, _index: int) -> None:
        if self._loading or self._task is None:
            return
        self.flush()
        self._edit_field("status", self.status_combo.currentData())

    def _on_percent_changed(self, value: int) -> None:
        if self._loading or self._task is None:
            return
        self.flush()
        self._edit_field("percent", value, merge=True)

    def _edit_field(self, field: str, value: Any, merge: bool = False) -> None:
        """Status and percent agree here as in the table (OfficeEdits.edit_cell asks this panel's
        questions); a question cancelled puts the field back as the task has it."""
        task = self._task
        if task is None:
            return
        if self.office is None:
            done = self.actions.edit(task.id, field, value, merge=merge)
        else:
            done = self.office.edit_cell(task.id, field, value, merge=merge, ask=self)
        if not done and self._task is task:
            self.set_task(task, self._info)

    # ---- the status/percent questions (replaced in tests) ------------------------------------------------
    def ask_done_percent(self, task: Task) -> str | None:
        return ask_done_percent_box(self, task)

    def ask_done_at_full(self, task: Task) -> bool:
        return ask_done_at_full_box(self)

    def add_entry(self) -> None:
        if self._task is None:
            return
        self._idle.stop()
        self._dirty = False
        self._typing_for = None
        text = self.text.toPlainText().strip()
        if not text:
            self.message.emit("进展内容为空：请先填写进展落实情况，再记入进展记录。")
            return
        try:
            author = self._entry_author()
        except ConnectionLost:
            author = KEPT_AUTHOR  # the server is away: the 填报人 is read when the entry is recorded
        if author is None:
            return  # 取消 in the 填报人 question: nothing recorded, the typed text stays
        if self.actions.add_progress(
            self._task,
            text,
            TaskStatus(self.status_combo.currentData()),
            self.percent_spin.value(),
            author,
            self.round_combo.currentData(),
        ):
            self.message.emit("已记入进展记录（可用 Ctrl+Z 撤销）。")

    def _entry_author(self) -> str | None:
        """The 填报人 of a new entry, from the settings. While it is empty, ask once (the answer, or
        "暂不填写", is kept, so the question never comes back); None: the user cancelled."""
        settings = self.ctx.settings
        author = (settings.get("contact_person", "") or "").strip()
        if author or (settings.get("person_asked", "") or ""):
            return author
        values = {k: settings.get(k, "") or "" for k in ("my_unit", "contact_person", "phone")}
        answer = self.ask_person(values)
        if answer is None:
            return None
        try:
            settings.update({**answer, "person_asked": "1"})
        except LedgerError as exc:
            self.message.emit(exc.message)
        return (answer.get("contact_person") or "").strip()

    def ask_person(self, values: dict) -> dict | None:
        """The settings to keep ({} to go on without a name), None to stop (tests replace this)."""
        from desktop_app.ui.dialogs.identity_dialog import IdentityDialog

        dialog = IdentityDialog(values, self, purpose="entry")
        return dialog.values() if self.run_dialog(dialog) else None

    # ---- history --------------------------------------------------------------------------------------
    def _on_history_changed(self, task_id: int) -> None:
        if self._task is not None and self.actions.resolve(self._task.id) == task_id:
            self.reload_history()

    def reload_history(self) -> None:
        self.history.clear()
        self.history_text.clear()
        if self._task is None or self._task.id is None:
            return
        try:
            entries = self.ctx.progress.history(self.actions.resolve(self._task.id))
            rounds = (
                {r.id: r for r in self.ctx.progress.rounds(self._task.ledger_id)}
                if self._task.ledger_id
                else {}
            )
        except LedgerError as exc:
            self.message.emit(exc.message)
            return
        for e in entries:
            r = rounds.get(e.round_id)
            round_label = (
                r.label or (f"{r.due_date.month}月{r.due_date.day}日" if r and r.due_date else "")
                if r
                else ""
            )
            item = QTreeWidgetItem(
                [
                    e.entry_date.isoformat() if e.entry_date else "",
                    e.author or "",
                    " ".join(e.text.split())[:80],
                    f"{e.status.label} {e.percent}%",
                    round_label,
                ]
            )
            item.setData(0, Qt.UserRole, e.text)
            item.setData(1, Qt.UserRole, e.id)
            item.setToolTip(2, "<qt>" + html.escape(e.text).replace("\n", "<br>") + "</qt>")
            self.history.addTopLevelItem(item)
        self.tabs.setTabText(0, f"进展记录（{len(entries)}）")

    def _on_history_selected(self, current: QTreeWidgetItem | None, _prev: QTreeWidgetItem | None) -> None:
        self.history_text.setPlainText(current.data(0, Qt.UserRole) if current else "")

    def run_dialog(self, dialog: QDialog) -> bool:
        """exec() a dialog; the window routes this through its own run_dialog (tests drive it there)."""
        return bool(dialog.exec())

    def selected_entry_id(self) -> int | None:
        item = self.history.currentItem()
        return item.data(1, Qt.UserRole) if item is not None else None

    def select_entry(self, entry_id: int) -> bool:
        for i in range(self.history.topLevelItemCount()):
            item = self.history.topLevelItem(i)
            if item.data(1, Qt.UserRole) == entry_id:
                self.history.setCurrentItem(item)
                return True
        return False

    def _selected_entry(self) -> Any:
        entry_id = self.selected_entry_id()
        if entry_id is None or self._task is None:
            self.message.emit("请先在进展记录中选择一条记录。")
            return None
        try:
            return self.ctx.progress.get_entry(entry_id)
        except LedgerError as exc:
            self.message.emit(exc.message)
            self.reload_history()
            return None

    def correct_selected_entry(self) -> None:
        from desktop_app.ui.dialogs.entry_dialog import EntryCorrectionDialog

        entry = self._selected_entry()
        if entry is None:
            return
        self.flush()
        dialog = EntryCorrectionDialog(entry, self)
        self.last_entry_dialog = dialog
        if not self.run_dialog(dialog) or not dialog.changed():
            return
        self.actions.correct_entry(entry, *dialog.values())
        self.message.emit("已更正进展记录（原内容留在修改记录中，可用 Ctrl+Z 撤销）。")

    def withdraw_selected_entry(self) -> None:
        entry = self._selected_entry()
        if entry is None:
            return
        when = entry.entry_date.isoformat() if entry.entry_date else ""
        if not self.ask_confirm(f"撤回 {when} 的这条进展记录吗？撤回后仍留在修改记录中，可用 Ctrl+Z 撤销。"):
            return
        self.flush()
        self.actions.withdraw_entry(entry)
        self.message.emit("已撤回进展记录（可用 Ctrl+Z 撤销）。")

    def _reuse_entry(self) -> None:
        item = self.history.currentItem()
        if item is None or self._task is None:
            return
        self.text.setPlainText(item.data(0, Qt.UserRole) or "")
        self.flush()

    # ---- evidence ---------------------------------------------------------------------------------------
    def reload_attachments(self) -> None:
        self.attachments.clear()
        if self._task is None or self._task.id is None:
            return
        try:
            items = self.ctx.progress.attachments(self.actions.resolve(self._task.id))
        except LedgerError as exc:
            self.message.emit(exc.message)
            return
        for att in items:
            if att.url:
                label = f"［链接］{att.file_name or att.url}"
                tip = att.url
            else:
                label = f"［文件］{att.file_name}（{max(1, att.size // 1024)} KB）"
                tip = att.file_name
            item = QListWidgetItem(label)
            item.setData(Qt.UserRole, att)
            item.setToolTip(tip)
            self.attachments.addItem(item)
        self.tabs.setTabText(1, f"佐证材料（{len(items)}）")

    def add_files(self) -> None:
        if self._task is None:
            return
        for path in self.ask_attachment_paths():
            try:
                self.ctx.progress.add_attachment(self.actions.resolve(self._task.id), path)
            except LedgerError as exc:
                self.message.emit(exc.message)
        self.reload_attachments()

    def add_link(self) -> None:
        if self._task is None:
            return
        link = self.ask_link()
        if link is None:
            return
        try:
            self.ctx.progress.add_link(self.actions.resolve(self._task.id), link[0], link[1])
        except LedgerError as exc:
            self.message.emit(exc.message)
        self.reload_attachments()

    def _selected_attachment(self) -> Any:
        item = self.attachments.currentItem()
        return item.data(Qt.UserRole) if item else None

    def open_selected_attachment(self) -> None:
        att = self._selected_attachment()
        if att is None:
            return
        if att.url:
            self.open_url(QUrl(att.url))
            return
        try:
            data = self.ctx.progress.attachment_data(att.id)
        except LedgerError as exc:
            self.message.emit(exc.message)
            return
        # a temp copy: the viewer never touches the database, and edits there do not get lost silently
        if self._tmp is None:
            self._tmp = Path(tempfile.mkdtemp(prefix="ledger-att-"))
        folder = self._tmp / str(att.id)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (Path(att.file_name).name or "附件")
        path.write_bytes(data)
        if not self.open_url(QUrl.fromLocalFile(str(path))):
            self.message.emit(
                f"无法打开《{att.file_name}》：系统中没有能打开此类文件的程序。请安装相应软件后重试。"
            )

    def delete_selected_attachment(self) -> None:
        att = self._selected_attachment()
        if att is None or not self.ask_confirm(
            f"确定删除佐证材料“{att.file_name or att.url}”吗？此操作不能撤销。"
        ):
            return
        try:
            self.ctx.progress.delete_attachment(att.id)
        except LedgerError as exc:
            self.message.emit(exc.message)
        self.reload_attachments()

    def cleanup(self) -> None:
        """Remove the temp copies (a file still open in a viewer stays; the system clears it later)."""
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
