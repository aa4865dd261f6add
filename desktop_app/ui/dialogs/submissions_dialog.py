"""报送存档: every round of the ledger with the files sent for it; the content of each as it was sent,
written again on request; a round's 已报送 mark taken back (what was sent stays archived)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain import clock
from desktop_app.domain.model import Ledger, LedgerError, ReportRound, Submission
from desktop_app.ui.last_folder import last_folder, remember_folder

ROUND_ROLE = Qt.UserRole
SUBMISSION_ROLE = Qt.UserRole + 1
PREVIEW_COLUMNS = ["序号", "主要内容", "状态", "进展落实情况"]
STATUS_WORDS = {"done": "已完成", "in_progress": "推进中", "not_started": "未开始", "ongoing": "持续推进"}
FILTERS = "Word 文档 (*.docx);;Excel 表格 (*.xlsx);;PDF (*.pdf);;JSON (*.json)"


def _round_label(r: ReportRound) -> str:
    return r.label or (clock.chinese_date(r.due_date) + "报送" if r.due_date else "报送")


class SubmissionsDialog(QDialog):
    """objectName submissionsDialog; children submissionTree, submissionPreview, exportAgainButton,
    unmarkButton, submissionInfo."""

    def __init__(self, ctx: Any, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("submissionsDialog")
        self.setWindowTitle(f"报送存档 — {ledger.title}")
        self.resize(980, 560)
        self.ctx = ctx
        self.ledger = ledger
        self.changed = False  # a mark taken back: the window refreshes its rounds
        self.exported: list[Path] = []

        self.info = QLabel()
        self.info.setObjectName("submissionInfo")
        self.info.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("submissionTree")
        self.tree.setHeaderLabels(["报送轮次 / 文件", "报送时间", "进展截至", "说明"])
        self.tree.setSelectionMode(QAbstractItemView.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeToContents)
        self.tree.itemSelectionChanged.connect(self._on_select)
        self.preview = QTableWidget(0, len(PREVIEW_COLUMNS))
        self.preview.setObjectName("submissionPreview")
        self.preview.setHorizontalHeaderLabels(PREVIEW_COLUMNS)
        self.preview.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.preview.setWordWrap(True)
        self.preview.verticalHeader().hide()
        ph = self.preview.horizontalHeader()
        ph.setSectionResizeMode(1, QHeaderView.Stretch)
        ph.setSectionResizeMode(3, QHeaderView.Stretch)
        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.preview)
        splitter.setSizes([220, 320])

        self.export_button = QPushButton("再次导出…")
        self.export_button.setObjectName("exportAgainButton")
        self.export_button.setToolTip("按报送时的内容（进展、填报时间）重新生成文件")
        self.export_button.clicked.connect(self.export_selected)
        self.unmark_button = QPushButton("撤销“已报送”标记…")
        self.unmark_button.setObjectName("unmarkButton")
        self.unmark_button.setToolTip("该轮次改回未报送；已存档的内容保留，可随时查看和再次导出")
        self.unmark_button.clicked.connect(self.unmark_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addStretch(1)
        row.addWidget(self.unmark_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(splitter, 1)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.reload()

    # ---- replaced in tests ---------------------------------------------------------------------------
    def ask_confirm(self, text: str) -> bool:
        return (
            QMessageBox.question(self, "请确认", text, QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
            == QMessageBox.Yes
        )

    def ask_save_path(self, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, "再次导出报送存档", suggested, FILTERS)
        return path

    def show_error(self, text: str) -> None:
        QMessageBox.warning(self, "提示", text)

    # ---- content ---------------------------------------------------------------------------------------
    def reload(self) -> None:
        try:
            rounds = self.ctx.progress.rounds(self.ledger.id)
            subs = self.ctx.progress.submissions(self.ledger.id)
        except LedgerError as exc:
            rounds, subs = [], []
            self.show_error(exc.message)
        self._rounds = {r.id: r for r in rounds}
        self.tree.clear()
        by_round: dict[int | None, list[Submission]] = {}
        for s in subs:
            by_round.setdefault(s.round_id if s.round_id in self._rounds else None, []).append(s)
        for r in rounds:
            state = f"已于 {r.submitted_at:%Y-%m-%d %H:%M} 报送" if r.submitted_at else "未报送"
            due = clock.chinese_date(r.due_date) if r.due_date else ""
            top = QTreeWidgetItem([_round_label(r), "", "", f"{state}；报送日期 {due}" if due else state])
            top.setData(0, ROUND_ROLE, r.id)
            self.tree.addTopLevelItem(top)
            for s in by_round.get(r.id, []):
                top.addChild(self._submission_item(s))
            top.setExpanded(True)
        if by_round.get(None):
            top = QTreeWidgetItem(["（轮次已删除）", "", "", ""])
            self.tree.addTopLevelItem(top)
            for s in by_round[None]:
                top.addChild(self._submission_item(s))
            top.setExpanded(True)
        sent = sum(1 for r in rounds if r.submitted_at)
        self.info.setText(
            f"共 {len(rounds)} 个报送轮次，已报送 {sent} 个，存档 {len(subs)} 份。选中一份存档可查看报送时的内容。"
            if rounds or subs
            else "还没有报送轮次。在“报送 → 报送日期”中设置后，用“生成报送文件”报送时会自动存档。"
        )
        self.preview.setRowCount(0)
        self._update_buttons()

    @staticmethod
    def _submission_item(s: Submission) -> QTreeWidgetItem:
        notes = []
        if s.public:
            notes.append("公开版")
        if s.withdrawn_at:
            notes.append(f"已于 {s.withdrawn_at:%Y-%m-%d} 撤销报送标记")
        item = QTreeWidgetItem(
            [
                s.file_name or "（未记录文件名）",
                f"{s.submitted_at:%Y-%m-%d %H:%M}" if s.submitted_at else "",
                clock.chinese_date(s.as_of) if s.as_of else "",
                "；".join(notes),
            ]
        )
        item.setData(0, SUBMISSION_ROLE, s.id)
        return item

    def select(self, round_id: int | None = None, submission_id: int | None = None) -> bool:
        """Select a round's row or a submission's row (tests and the window use it)."""
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if round_id is not None and top.data(0, ROUND_ROLE) == round_id and submission_id is None:
                self.tree.setCurrentItem(top)
                return True
            for j in range(top.childCount()):
                child = top.child(j)
                if submission_id is not None and child.data(0, SUBMISSION_ROLE) == submission_id:
                    self.tree.setCurrentItem(child)
                    return True
        return False

    def selected_submission(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, SUBMISSION_ROLE) if item is not None else None

    def selected_round(self) -> ReportRound | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        rid = item.data(0, ROUND_ROLE)
        if rid is None and item.parent() is not None:
            rid = item.parent().data(0, ROUND_ROLE)
        return self._rounds.get(rid)

    def _update_buttons(self) -> None:
        self.export_button.setEnabled(self.selected_submission() is not None)
        rnd = self.selected_round()
        self.unmark_button.setEnabled(rnd is not None and rnd.submitted_at is not None)

    def _on_select(self) -> None:
        self._update_buttons()
        sub_id = self.selected_submission()
        self.preview.setRowCount(0)
        if sub_id is None:
            return
        try:
            sub = self.ctx.progress.get_submission(sub_id)
        except LedgerError as exc:
            self.show_error(exc.message)
            return
        rows = [t for s in (sub.snapshot or {}).get("sections", []) for t in s.get("tasks", [])]
        self.preview.setRowCount(len(rows))
        for i, t in enumerate(rows):
            values = [
                str(t.get("number") or ""),
                " ".join(str(t.get("content") or "").split()),
                STATUS_WORDS.get(str(t.get("status") or ""), ""),
                str(t.get("progress") or ""),
            ]
            for j, v in enumerate(values):
                cell = QTableWidgetItem(v)
                cell.setToolTip(v)
                self.preview.setItem(i, j, cell)

    def preview_rows(self) -> list[list[str]]:
        return [
            [self.preview.item(i, j).text() for j in range(self.preview.columnCount())]
            for i in range(self.preview.rowCount())
        ]

    def _folder(self) -> Path:
        """The folder reports were last saved in (the export dialog's memory), else the home folder."""
        return last_folder(self.ctx.settings, "docx")

    # ---- actions ---------------------------------------------------------------------------------------
    def export_selected(self) -> None:
        sub_id = self.selected_submission()
        if sub_id is None:
            return
        item = self.tree.currentItem()
        suggested = str(self._folder() / (Path(item.text(0)).stem + "（存档）.docx"))
        target = self.ask_save_path(suggested)
        if not target:
            return
        try:
            path = self.ctx.exports.export_submission(sub_id, None, Path(target))
        except LedgerError as exc:
            self.show_error(exc.message)
            return
        self.exported.append(path)
        remember_folder(self.ctx.settings, "docx", Path(path).parent)
        self.info.setText(f"已再次导出：{path}")

    def unmark_selected(self) -> None:
        rnd = self.selected_round()
        if rnd is None or rnd.submitted_at is None:
            return
        if not self.ask_confirm(
            f"把“{_round_label(rnd)}”改回未报送吗？已存档的报送内容会保留，可随时查看和再次导出。"
        ):
            return
        try:
            self.ctx.progress.unmark_submitted(rnd.id)
        except LedgerError as exc:
            self.show_error(exc.message)
            return
        self.changed = True
        self.reload()
        self.select(round_id=rnd.id)
        self.info.setText(f"“{_round_label(rnd)}”已改回未报送。")
