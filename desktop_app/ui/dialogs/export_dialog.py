"""Export dialog: format, as-of date, public edition (each personal-data finding shown in context
with a mask/keep choice), fill-back into the source .docx, and "for report round" (marks it sent)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain import clock
from desktop_app.domain.model import Ledger, LedgerError
from desktop_app.ui.last_folder import last_folder, remember_folder

FORMATS = [
    ("docx", "Word 文档（.docx，公文格式报表）"),
    ("xlsx", "Excel 表格（.xlsx）"),
    ("pdf", "PDF（.pdf，打印/归档）"),
    ("ofd", "OFD（.ofd，供电子印章系统盖章）"),
    ("json", "JSON（.json，交换与备份，含进展记录）"),
]
FILTERS = {
    "docx": "Word 文档 (*.docx)",
    "xlsx": "Excel 表格 (*.xlsx)",
    "pdf": "PDF (*.pdf)",
    "ofd": "OFD 版式文件 (*.ofd)",
    "json": "JSON (*.json)",
}


@dataclass
class ExportRequest:
    fmt: str
    path: Path
    as_of: date
    public: bool = False
    fill_back: bool = False
    round_id: int | None = None
    decisions: dict[str, bool] = field(default_factory=dict)
    with_history: bool = False  # 附进展记录 (Word: 附件; Excel: a second sheet)
    with_attachments: bool = False  # 附佐证材料目录 (Word)


class ExportDialog(QDialog):
    def __init__(
        self, ctx: Any, ledger: Ledger, parent: QWidget | None = None, for_report: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("导出 / 生成报送文件" if for_report else "导出")
        self.ctx = ctx
        self.ledger = ledger
        self._findings: list[Any] | None = None
        self.format = QComboBox()
        self.format.setObjectName("formatCombo")
        for key, label in FORMATS:
            self.format.addItem(label, key)
        self.as_of = QDateEdit()
        self.as_of.setObjectName("asOfDate")
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("yyyy年M月d日")
        self.as_of.setDate(QDate(clock.today()))
        self.public = QCheckBox("公开版（遮掩身份证号、手机号等个人信息；不含备注）")
        self.public.setObjectName("publicCheck")
        self.fill_back = QCheckBox("按原表填报（把进展填回导入时的 Word 文件）")
        self.fill_back.setObjectName("fillBackCheck")
        self.with_history = QCheckBox("附进展记录（Word：附件；Excel：另一工作表）")
        self.with_history.setObjectName("historyCheck")
        self.with_attachments = QCheckBox("附佐证材料目录（Word 报表的附件）")
        self.with_attachments.setObjectName("attachmentsCheck")
        self.round = QComboBox()
        self.round.setObjectName("roundCombo")
        self.round.addItem("不作为报送（仅导出）", None)
        try:
            rounds = ctx.progress.rounds(ledger.id)
        except LedgerError:
            rounds = []
        pick = 0
        today = clock.today()
        self._round_dates = {r.id: r.due_date for r in rounds}
        for r in rounds:
            label = r.label or (clock.chinese_date(r.due_date) + "报送" if r.due_date else "报送")
            if r.submitted_at:
                label += f"（已于 {r.submitted_at:%Y-%m-%d} 报送）"
            self.round.addItem(label, r.id)
            if for_report and not pick and r.due_date and r.due_date >= today and not r.submitted_at:
                pick = self.round.count() - 1
        self.round.setCurrentIndex(pick)
        self.round.setToolTip("选择一次报送：导出后该轮次记为“已报送”，并存档报送时的内容")

        self.path = QLineEdit()
        self.path.setObjectName("exportPath")
        self._auto_path = True
        self.path.textEdited.connect(lambda _t: setattr(self, "_auto_path", False))
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)

        self.findings = QTreeWidget()
        self.findings.setObjectName("findingsView")
        self.findings.setHeaderLabels(["遮掩", "类型", "位置", "上下文"])
        self.findings.setRootIsDecorated(False)
        self.findings.header().setSectionResizeMode(3, QHeaderView.Stretch)
        self.findings_label = QLabel("")
        self.findings_label.setObjectName("findingsLabel")
        self.findings_label.setWordWrap(True)
        self.findings_box = QWidget()
        fl = QVBoxLayout(self.findings_box)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addWidget(self.findings_label)
        fl.addWidget(self.findings, 1)
        self.findings_box.hide()

        self.later_note = QLabel("")
        self.later_note.setObjectName("laterNote")
        self.later_note.setStyleSheet("color: #b26a00")
        self.later_note.setWordWrap(True)
        self.later_note.hide()

        self.error = QLabel("")
        self.error.setObjectName("exportError")
        self.error.setStyleSheet("color: #c62828")
        self.error.setWordWrap(True)

        form = QFormLayout()
        form.addRow("格式", self.format)
        form.addRow("进展截至", self.as_of)
        form.addRow("", self.later_note)
        form.addRow("报送轮次", self.round)
        form.addRow("", self.public)
        form.addRow("", self.fill_back)
        form.addRow("", self.with_history)
        form.addRow("", self.with_attachments)
        form.addRow("保存到", path_row)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("导出")
        buttons.button(QDialogButtonBox.Ok).setObjectName("exportButton")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.findings_box, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        self.format.currentIndexChanged.connect(self._on_format)
        self.public.toggled.connect(self._on_public)
        self.fill_back.toggled.connect(lambda _on: self._update_extras())
        self.round.currentIndexChanged.connect(lambda _i: self._suggest_path())
        self.as_of.dateChanged.connect(
            lambda _d: (self._suggest_path(), self._check_later(), self.public.isChecked() and self.scan())
        )
        self._on_format()
        self.resize(860, 420)

    @property
    def source_is_docx(self) -> bool:
        return (self.ledger.source_name or "").lower().endswith(".docx")

    def _suggested_name(self) -> str:
        fmt = self.format.currentData()
        base = self.ledger.title or "台账"
        if self.public.isChecked():
            base += "（公开版）"
        due = self._round_dates.get(self.round.currentData())
        if due is not None:  # a report for a round is named after it: …_8月15日报送.docx
            return f"{base}_{due.month}月{due.day}日报送.{fmt}"
        return f"{base}_{self.as_of.date().toPython():%Y%m%d}.{fmt}"

    def _folder(self) -> Path:
        """The folder this kind of file was last saved in (each format its own), else the home folder."""
        return last_folder(self.ctx.settings, self.format.currentData())

    def _remember_folder(self, folder: Path) -> None:
        remember_folder(self.ctx.settings, self.format.currentData(), folder)

    def _on_format(self) -> None:
        fmt = self.format.currentData()
        self.fill_back.setEnabled(fmt == "docx" and self.source_is_docx)
        if not self.fill_back.isEnabled():
            self.fill_back.setChecked(False)
            self.fill_back.setToolTip("只有从 Word 文档（.docx）导入的台账、导出为 Word 时才能按原表填报")
        self._update_extras()
        self._suggest_path()

    def _update_extras(self) -> None:
        """附进展记录 for Word and Excel, 附佐证材料目录 for Word; the city's own form (按原表) gets neither."""
        fmt = self.format.currentData()
        standard = not self.fill_back.isChecked()
        for box, ok in (
            (self.with_history, fmt in ("docx", "xlsx") and standard),
            (self.with_attachments, fmt == "docx" and standard),
        ):
            box.setEnabled(ok)
            if not ok:
                box.setChecked(False)

    def _suggest_path(self) -> None:
        """Until the user picks a place, the file name follows format, date and edition."""
        if self._auto_path:
            self.path.setText(str(self._folder() / self._suggested_name()))
        elif self.path.text():
            self.path.setText(str(Path(self.path.text()).with_suffix("." + self.format.currentData())))

    def ask_save_path(self, suggested: str, filters: str) -> str:
        """The file dialog (replaced in tests); "" when cancelled."""
        name, _ = QFileDialog.getSaveFileName(self, "保存为", suggested, filters)
        return name

    def _browse(self) -> None:
        fmt = self.format.currentData()
        name = self.ask_save_path(self.path.text() or self._suggested_name(), FILTERS[fmt])
        if name:
            self._auto_path = False
            self.path.setText(name)

    def _on_public(self, on: bool) -> None:
        self.findings_box.setVisible(on)
        self._suggest_path()
        if on:
            self.scan()

    def scan(self) -> None:
        """Find personal data in what the public edition would show; one row per finding."""
        self.findings.clear()
        try:
            self._findings = list(self.ctx.exports.scan_public(self.ledger.id, self.as_of.date().toPython()))
        except LedgerError as exc:
            self.error.setText(exc.message)
            self._findings = []
        for f in self._findings:
            where = getattr(f, "field_label", getattr(f, "field", ""))
            if getattr(f, "section_index", None) is not None and getattr(f, "task_index", None) is not None:
                try:
                    task = self.ledger.sections[f.section_index].tasks[f.task_index]
                    where = f"第 {task.number} 项 · {where}"
                except IndexError:
                    pass
            kind = getattr(f.hit.kind, "label", str(f.hit.kind))
            item = QTreeWidgetItem(["", kind, where, f.context])
            item.setCheckState(0, Qt.Checked)  # masked unless the user keeps it
            item.setData(0, Qt.UserRole, f.key)
            item.setToolTip(3, f.context)
            self.findings.addTopLevelItem(item)
        n = len(self._findings)
        self.findings_label.setText(
            f"发现 {n} 处个人信息：勾选的将被遮掩（如 138****5678），取消勾选则原样保留。"
            if n
            else "未发现身份证号、手机号、银行卡号等个人信息。"
        )

    def decisions(self) -> dict[str, bool]:
        out: dict[str, bool] = {}
        for i in range(self.findings.topLevelItemCount()):
            item = self.findings.topLevelItem(i)
            out[item.data(0, Qt.UserRole)] = item.checkState(0) == Qt.Checked
        return out

    def request(self) -> ExportRequest:
        return ExportRequest(
            fmt=self.format.currentData(),
            path=Path(self.path.text().strip()),
            as_of=self.as_of.date().toPython(),
            public=self.public.isChecked(),
            fill_back=self.fill_back.isChecked(),
            round_id=self.round.currentData(),
            decisions=self.decisions() if self.public.isChecked() else {},
            with_history=self.with_history.isChecked(),
            with_attachments=self.with_attachments.isChecked(),
        )

    def later_count(self) -> int:
        """Tasks whose progress came after the chosen 进展截至 day (left out of the report)."""
        if self.ledger.id is None:
            return 0
        try:
            return self.ctx.exports.changed_after(self.ledger.id, self.as_of.date().toPython())
        except LedgerError:
            return 0

    def _check_later(self) -> None:
        n = self.later_count()
        day = clock.chinese_date(self.as_of.date().toPython())
        self.later_note.setText(
            f"{n} 项在该日期之后才有进展记录，报表中这些任务只写到{day}为止的进展。" if n else ""
        )
        self.later_note.setVisible(bool(n))

    def confirm_submit(self, text: str) -> bool:
        """Asked before a round is marked 已报送 (tests replace this)."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Question, "记为已报送", text, QMessageBox.Yes | QMessageBox.No, self)
        box.button(QMessageBox.Yes).setText("导出并记为已报送")
        box.button(QMessageBox.No).setText("返回修改")
        return box.exec() == QMessageBox.Yes

    def submit_question(self) -> str | None:
        """The question asked before marking the chosen round, or None when no round is chosen."""
        round_id = self.round.currentData()
        if round_id is None or self.ledger.id is None:
            return None
        label = self.round.currentText().split("（")[0]
        try:
            pending = self.ctx.exports.pending_for_round(self.ledger.id, round_id)
        except LedgerError:
            pending = 0
        later = self.later_count()
        text = f"导出后，“{label}”将记为已报送，并存档这次报送的内容。"
        if pending:
            text += f"仍有 {pending} 项待更新。"
        if later:
            text += f"{later} 项在“进展截至”日期之后才有进展记录，不会写入。"
        return text + "记为已报送？"

    def accept(self) -> None:
        text = self.path.text().strip()
        if not text:
            self.error.setText("请选择保存位置。")
            return
        if not Path(text).parent.exists():
            self.error.setText(f"文件夹《{Path(text).parent}》不存在：请换一个保存位置。")
            return
        question = self.submit_question()
        if question is not None and not self.confirm_submit(question):
            return
        self._remember_folder(Path(text).parent)
        super().accept()
