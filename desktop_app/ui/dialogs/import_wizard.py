"""Import wizard: parse a file off the GUI thread, show what was read (sections and tasks, the
column mapping, deadlines that could not be read), let the user fix the mapping or pick a sheet,
then save it (on the GUI thread: database connections stay with their thread)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.model import Ledger, LedgerError
from desktop_app.ui.runner import Runner

log = logging.getLogger(__name__)

# The fields a source column can feed (names of importers' mapping), with their Chinese names.
FIELD_CHOICES: list[tuple[str, str]] = [
    ("number", "序号"),
    ("key_work", "重点工作"),
    ("item", "子项"),
    ("content", "主要内容"),
    ("indicator", "量化指标"),
    ("units", "责任单位"),
    ("cooperating_units", "配合单位"),
    ("deadline", "完成时限"),
    ("progress", "推进情况"),
    ("remarks", "备注"),
    ("ignore", "（不导入）"),
]
FLAG_BG = QColor("#ffe0b2")
MAX_PREVIEW_TASKS = 3000


class ImportWizard(QDialog):
    """Parses on show; `ledger` holds the saved ledger after accept()."""

    parsed = Signal()
    failed = Signal(str)

    def __init__(self, ctx: Any, path: Path, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.setWindowTitle(f"导入台账 — {path.name}")
        self.ctx = ctx
        self.path = Path(path)
        self.runner = runner
        self.result: Any = None
        self.ledger: Ledger | None = None
        self.error: str | None = None
        self._progress = (0, 0)
        self._combos: list[tuple[list[int], int, QComboBox]] = []  # (table indexes, column, combo)
        self._build()
        self._poll = QTimer(self)
        self._poll.setInterval(100)
        self._poll.timeout.connect(self._show_progress)
        QTimer.singleShot(0, self.parse)

    def _build(self) -> None:
        self.file_label = QLabel(f"文件：{self.path}")
        self.file_label.setWordWrap(True)
        self.sheet_label = QLabel("工作表：")
        self.sheet_combo = QComboBox()
        self.sheet_combo.setObjectName("sheetCombo")
        self.sheet_combo.activated.connect(lambda _i: self.parse())
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(self.sheet_label)
        sheet_row.addWidget(self.sheet_combo, 1)
        self.sheet_label.hide()
        self.sheet_combo.hide()
        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.status = QLabel("")
        self.status.setObjectName("importStatus")
        self.status.setWordWrap(True)

        self.mapping = QTableWidget(0, 3)
        self.mapping.setObjectName("mappingTable")
        self.mapping.setHorizontalHeaderLabels(["表格", "原表头", "读作"])
        self.mapping.verticalHeader().hide()
        self.mapping.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.reparse_button = QPushButton("按修改后的对应关系重新识别")
        self.reparse_button.setObjectName("reparseButton")
        self.reparse_button.clicked.connect(self.parse)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QLabel("列的对应关系（识别有误时在此更正）："))
        ll.addWidget(self.mapping, 1)
        ll.addWidget(self.reparse_button)

        self.tree = QTreeWidget()
        self.tree.setObjectName("previewTree")
        self.tree.setHeaderLabels(["序号", "主要内容", "责任单位", "完成时限", "识别为"])
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(1, QHeaderView.Stretch)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel("")
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        rl.addWidget(self.summary)
        rl.addWidget(self.tree, 1)
        # our own report re-imported: the tasks edited, added or deleted in Word/WPS/Excel
        self.changes_label = QLabel("以下任务在文件中有改动，已按文件中的内容导入：")
        self.changes = QListWidget()
        self.changes.setObjectName("changesList")
        self.changes.setMaximumHeight(140)
        rl.addWidget(self.changes_label)
        rl.addWidget(self.changes)
        self.changes_label.hide()
        self.changes.hide()
        split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([360, 640])

        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.import_button = self.buttons.button(QDialogButtonBox.Ok)
        self.import_button.setText("导入")
        self.import_button.setObjectName("importButton")
        self.import_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addLayout(sheet_row)
        layout.addWidget(self.progress)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(1100, 700)

    # ---- parsing -------------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._poll.isActive()

    def overrides(self) -> dict[int, dict[int, str]]:
        """{table index: {column: field}} for every column whose field the user changed."""
        out: dict[int, dict[int, str]] = {}
        if self.result is None:
            return out
        tables = {t.index: t for t in self.result.tables}
        for indexes, column, combo in self._combos:
            field = combo.currentData()
            for ti in indexes:
                table = tables.get(ti)
                if table is not None and column < len(table.fields) and table.fields[column] != field:
                    out.setdefault(ti, {})[column] = field
        return out

    def parse(self) -> None:
        if self.busy:
            return
        sheet = self.sheet_combo.currentText() if self.sheet_combo.count() > 1 else None
        overrides = self.overrides() or None
        if overrides and self.result is not None:  # keep the user's other choices: send the whole mapping
            overrides = self._full_mapping()
        self.import_button.setEnabled(False)
        self.reparse_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText("正在读取文件……")
        self._progress = (0, 0)
        self._poll.start()
        path, imports = self.path, self.ctx.imports

        def report(done: int, total: int) -> None:  # called on the worker thread: only store numbers
            self._progress = (done, total)

        def work() -> Any:
            return imports.inspect(path, sheet=sheet, overrides=overrides, progress=report)

        self.runner.run(work, self._on_parsed, self._on_failed, "读取文件")

    def _full_mapping(self) -> dict[int, dict[int, str]]:
        out: dict[int, dict[int, str]] = {}
        for indexes, column, combo in self._combos:
            for ti in indexes:
                out.setdefault(ti, {})[column] = combo.currentData()
        return out

    def _show_progress(self) -> None:
        done, total = self._progress
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _stop(self) -> None:
        self._poll.stop()
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.reparse_button.setEnabled(True)

    def _on_failed(self, message: str) -> None:
        self._stop()
        self.error = message
        self.status.setText(message)
        self.status.setStyleSheet("color: #c62828")
        self.failed.emit(message)

    def _on_parsed(self, result: Any) -> None:
        self._stop()
        self.result = result
        self.error = None
        self.status.setStyleSheet("")
        self._fill_sheets(result)
        self._fill_mapping(result)
        count = self._fill_tree(result)
        warnings = list(getattr(result, "warnings", []) or [])
        flagged = len(self._flagged(result))
        lines = [f"识别到 {len(result.ledger.sections)} 个板块、{count} 项任务。"]
        if flagged:
            lines.append(f"{flagged} 项的完成时限未能识别（橙色标出），导入后可在表格中修改。")
        lines += warnings[:5]
        changes = [c.text for c in getattr(result, "changes", []) or []]
        if changes:
            lines.append(f"{len(changes)} 项任务在文件中有改动，已按文件内容导入（见右下列表）。")
        self.changes.clear()
        self.changes.addItems(changes)
        self.changes_label.setVisible(bool(changes))
        self.changes.setVisible(bool(changes))
        self.summary.setText(f"《{result.ledger.title or self.path.stem}》")
        self.status.setText("\n".join(lines))
        self.import_button.setEnabled(count > 0)
        self.parsed.emit()

    def _fill_sheets(self, result: Any) -> None:
        candidates = list(getattr(result, "sheet_candidates", []) or [])
        if len(candidates) > 1:
            current = getattr(result, "sheet", None)
            self.sheet_combo.blockSignals(True)
            self.sheet_combo.clear()
            self.sheet_combo.addItems(candidates)
            if current in candidates:
                self.sheet_combo.setCurrentIndex(candidates.index(current))
            self.sheet_combo.blockSignals(False)
            self.sheet_label.show()
            self.sheet_combo.show()

    def _fill_mapping(self, result: Any) -> None:
        self.mapping.setRowCount(0)
        self._combos.clear()
        groups: dict[tuple, list] = {}
        for t in getattr(result, "tables", []) or []:
            groups.setdefault((tuple(t.headers), tuple(t.fields)), []).append(t)
        labels = dict(FIELD_CHOICES)
        for (_headers, _fields), tables in groups.items():
            first = tables[0]
            indexes = [t.index for t in tables]
            name = f"第 {indexes[0] + 1} 个" if len(indexes) == 1 else f"{len(indexes)} 个相同表格"
            if first.sheet:
                name = f"工作表“{first.sheet}”"
            for col, header in enumerate(first.headers):
                row = self.mapping.rowCount()
                self.mapping.insertRow(row)
                self.mapping.setItem(row, 0, QTableWidgetItem(name if col == 0 else ""))
                self.mapping.setItem(
                    row, 1, QTableWidgetItem(" ".join(header.split()) or f"（第 {col + 1} 列）")
                )
                combo = QComboBox()
                field = first.fields[col] if col < len(first.fields) else "ignore"
                for key, label in FIELD_CHOICES:
                    combo.addItem(label, key)
                if field not in labels:
                    combo.addItem(
                        field.replace("extra:", "其他：") if field.startswith("extra:") else field, field
                    )
                combo.setCurrentIndex(combo.findData(field))
                self.mapping.setCellWidget(row, 2, combo)
                self._combos.append((indexes, col, combo))
        self.mapping.resizeColumnToContents(0)

    @staticmethod
    def _flagged(result: Any) -> dict[tuple[int, int], str]:
        out = {(si, ti): reason for si, ti, reason in getattr(result, "flagged", []) or []}
        for si, s in enumerate(result.ledger.sections):
            for ti, t in enumerate(s.tasks):
                if t.deadline.flagged and (si, ti) not in out:
                    out[(si, ti)] = f"无法识别完成时限“{t.deadline.text}”"
        return out

    def _fill_tree(self, result: Any) -> int:
        self.tree.clear()
        flagged = self._flagged(result)
        count = 0
        brush = QBrush(FLAG_BG)
        for si, s in enumerate(result.ledger.sections):
            title = " ".join((s.title or "（未分节）").split())
            parent = QTreeWidgetItem([f"{title}（{len(s.tasks)} 项）", "", "", "", ""])
            font = parent.font(0)
            font.setBold(True)
            parent.setFont(0, font)
            self.tree.addTopLevelItem(parent)
            parent.setFirstColumnSpanned(True)  # only once it is in the tree
            for ti, t in enumerate(s.tasks):
                count += 1
                if count > MAX_PREVIEW_TASKS:
                    continue
                kind = t.deadline.kind.value
                content = " ".join(
                    ((f"【{t.item}】" if t.item and t.item != t.content else "") + t.content).split()
                )
                item = QTreeWidgetItem(
                    [
                        t.number,
                        content[:120],
                        " ".join(t.units_text.split())[:40],
                        t.deadline.text,
                        _KIND.get(kind, kind),
                    ]
                )
                item.setToolTip(1, content)
                reason = flagged.get((si, ti))
                if reason:
                    for c in range(5):
                        item.setBackground(c, brush)
                        item.setToolTip(c, reason)
                    item.setText(4, "⚠ 未识别")
                parent.addChild(item)
            parent.setExpanded(True)
        return count

    # ---- saving ------------------------------------------------------------------------------------------
    def accept(self) -> None:
        if self.result is None or self.busy:
            return
        try:
            kind = getattr(self.result, "source_kind", "")
            if kind == "json" and not self.overrides():
                # our own JSON carries the progress history too: import_file keeps it, save() would not
                self.ledger = self.ctx.imports.import_file(self.path)
            elif kind == "embedded":  # our own report: what the summary listed is what is stored
                self.ledger = self.ctx.imports.save(self.result, self.result.histories)
            else:
                self.ledger = self.ctx.imports.save(self.result)
        except LedgerError as exc:
            self.status.setText(exc.message)
            self.status.setStyleSheet("color: #c62828")
            return
        super().accept()


_KIND = {
    "none": "无",
    "date": "日期",
    "year_round": "全年",
    "ongoing": "长期",
    "recurring": "定期",
    "relative": "相对时限",
    "unknown": "未识别",
}
