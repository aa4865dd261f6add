"""Import wizard: parse a file off the GUI thread, show what was read (sections and tasks, the
column mapping, deadlines that could not be read), let the user fix the mapping or pick a sheet,
then save it (on the GUI thread: database connections stay with their thread)."""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
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
PREVIEW_ROWS = 8  # first rows of the source table shown under the column roles
DOUBTFUL = 0.7  # importers.roles.DOUBTFUL: below it a column is asked about


class _WrapDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped text at the column's width (QTreeView alone keeps one line)."""

    def sizeHint(self, option, index):  # noqa: ANN001, ANN201, N802 - Qt override
        base = super().sizeHint(option, index)
        view = self.parent()
        width = max(40, view.columnWidth(index.column()) - 8)
        rect = option.fontMetrics.boundingRect(QRect(0, 0, width, 100000), Qt.TextWordWrap, index.data() or "")
        return QSize(base.width(), max(base.height(), rect.height() + 6))


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
        self._tables: list[Any] = []  # TableInfo of what the combos map (read, or offered by hand)
        self._base: Any = None  # the result read without corrections (to remember them by header shape)
        self._doubtful: set[tuple[int, int]] = set()  # (table index, column) read with little evidence
        self.failure: Any = None  # the ImportFailed of a file that is no ledger (its tables offered by hand)
        self.outcome_text = ""  # what accept() did when the file was already imported (open / update)
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

        self.mapping = QTableWidget(0, 5)
        self.mapping.setObjectName("mappingTable")
        self.mapping.setHorizontalHeaderLabels(["表格", "原表头", "读作", "把握", "依据"])
        self.mapping.verticalHeader().hide()
        self.mapping.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.reparse_button = QPushButton("按修改后的对应关系重新识别")
        self.reparse_button.setObjectName("reparseButton")
        self.reparse_button.clicked.connect(self.parse)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QLabel("列的对应关系（识别有误时在此更正；标橙的列把握不大，请核对）："))
        ll.addWidget(self.mapping, 1)
        ll.addWidget(self.reparse_button)
        # the first rows of the source table, each column headed by its role (a drop-down too)
        self.preview_label = QLabel("原表格前几行（每列上方为读作的内容，可直接更改）：")
        self.preview = QTableWidget(0, 0)
        self.preview.setObjectName("sourcePreview")
        self.preview.setWordWrap(True)
        self.preview.verticalHeader().hide()
        ll.addWidget(self.preview_label)
        ll.addWidget(self.preview, 1)
        self.confirm = QCheckBox("已核对标橙的列，按当前对应关系导入")
        self.confirm.setObjectName("confirmDoubtful")
        self.confirm.toggled.connect(lambda _on: self._update_import_button())
        self.confirm.hide()
        ll.addWidget(self.confirm)

        self.tree = QTreeWidget()
        self.tree.setObjectName("previewTree")
        self.tree.setHeaderLabels(["序号", "主要内容", "责任单位", "完成时限", "识别为", "重点工作"])
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        head = self.tree.header()
        head.setStretchLastSection(False)
        head.setSectionResizeMode(1, QHeaderView.Stretch)
        self.tree.setTextElideMode(Qt.ElideNone)  # long contents wrap onto more lines, never cut
        self.tree.setItemDelegateForColumn(1, _WrapDelegate(self.tree))
        for col, width in ((0, 72), (2, 120), (3, 80), (4, 44), (5, 100)):
            head.setSectionResizeMode(col, QHeaderView.Interactive)
            self.tree.setColumnWidth(col, width)
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
        split.setSizes([390, 710])
        self.split = split

        # A file that is no ledger: one sentence and the way on.
        self.not_ledger = QWidget()
        self.not_ledger.setObjectName("notLedgerPage")
        nl = QVBoxLayout(self.not_ledger)
        self.not_ledger_text = QLabel("")
        self.not_ledger_text.setObjectName("notLedgerText")
        self.not_ledger_text.setWordWrap(True)
        self.other_button = QPushButton("选择其他文件…")
        self.other_button.setObjectName("chooseOtherButton")
        self.other_button.clicked.connect(self.choose_other_file)
        self.by_hand_button = QPushButton("手动指定表格的列…")
        self.by_hand_button.setObjectName("mapByHandButton")
        self.by_hand_button.clicked.connect(self.map_by_hand)
        way = QHBoxLayout()
        way.addWidget(self.other_button)
        way.addWidget(self.by_hand_button)
        way.addStretch(1)
        nl.addWidget(self.not_ledger_text)
        nl.addLayout(way)
        nl.addStretch(1)
        self.not_ledger.hide()

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
        layout.addWidget(self.not_ledger, 1)
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
        if not self._tables:
            return out
        tables = {t.index: t for t in self._tables}
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
        if overrides and self._tables:  # keep the user's other choices: send the whole mapping
            overrides = self._full_mapping()
        if self.failure is not None and self._tables:  # columns named by hand on a sheet of our choosing
            sheet = self._tables[0].sheet or sheet
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
            try:
                return imports.inspect(path, sheet=sheet, overrides=overrides, progress=report)
            except LedgerError as exc:
                if getattr(exc, "tables", None) is not None and not overrides:
                    return exc  # no ledger found: the wizard offers another file or the columns by hand
                raise

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
        if isinstance(result, LedgerError):
            self._show_not_ledger(result)
            return
        self.result = result
        if self._base is None:  # the first reading: corrections are remembered against its columns
            self._base = result
        self.error = None
        self.not_ledger.hide()
        self.split.show()
        self.status.setStyleSheet("")
        self._fill_sheets(result)
        self._tables = list(getattr(result, "tables", []) or [])
        self._fill_mapping(self._tables)
        count = self._fill_tree(result)
        self.tree.doItemsLayout()  # row heights for the wrapped contents, now the columns have their width
        warnings = [w for w in list(getattr(result, "warnings", []) or []) if "把握不大" not in w]
        flagged = len(self._flagged(result))
        lines = [f"识别到 {len(result.ledger.sections)} 个板块、{count} 项任务。"]
        if flagged:
            lines.append(
                f"{flagged} 项有未能识别的内容（橙色标出，鼠标停留可看原因），导入后可在表格中修改。"
            )
        if self._doubtful:
            lines.append(
                f"有 {len(self._doubtful)} 列把握不大（左侧标橙）：请核对并在“读作”中更正后重新识别，"
                "或勾选“已核对”后导入。"
            )
        lines += _missing(result)
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
        self._count = count
        self.confirm.setChecked(False)
        self.confirm.setVisible(bool(self._doubtful))
        self._update_import_button()
        self.parsed.emit()

    def _update_import_button(self) -> None:
        """Import only with tasks read and every doubtful column looked at (corrected or confirmed)."""
        count = getattr(self, "_count", 0)
        ready = self.result is not None and count > 0 and (not self._doubtful or self.confirm.isChecked())
        self.import_button.setEnabled(bool(ready))

    # ---- a file that is no ledger ------------------------------------------------------------------
    def _show_not_ledger(self, failure: Any) -> None:
        self.failure = failure
        self.result = None
        self.error = failure.message
        self.split.hide()
        self.not_ledger.show()
        tables = list(getattr(failure, "tables", []) or [])
        self.by_hand_button.setVisible(bool(tables))
        way = (
            "请选择其他文件，或在下面手动指定表格各列的内容。"
            if tables
            else "请选择其他文件（台账表格或工作要点文件）。"
        )
        self.not_ledger_text.setText(f"{failure.message}\n{way}")
        self.status.setText("")
        self.import_button.setEnabled(False)
        self.failed.emit(failure.message)

    def ask_other_file(self) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getOpenFileName(
            self,
            "选择台账文件",
            str(self.path.parent),
            "台账文件 (*.docx *.xlsx *.json *.doc *.wps *.xls *.et)",
        )
        return Path(name) if name else None

    def choose_other_file(self) -> None:
        path = self.ask_other_file()
        if path is None:
            return
        self.path = Path(path)
        self.setWindowTitle(f"导入台账 — {self.path.name}")
        self.file_label.setText(f"文件：{self.path}")
        self.failure = None
        self._tables = []
        self._base = None
        self.sheet_combo.clear()
        self.parse()

    def map_by_hand(self) -> None:
        """Show the tables (or sheets) found, every column "（不导入）", for the user to name."""
        tables = list(getattr(self.failure, "tables", []) or [])
        if not tables:
            return
        self.not_ledger.hide()
        self.split.show()
        self._tables = tables[:1]
        self._base = SimpleNamespace(tables=self._tables)
        self._fill_mapping(self._tables)
        self.tree.clear()
        self.status.setText("请在“读作”中指定各列（至少“主要内容”），然后点“按修改后的对应关系重新识别”。")

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

    def _fill_mapping(self, tables: list[Any]) -> None:
        self.mapping.setRowCount(0)
        self._combos.clear()
        self._doubtful = set()
        groups: dict[tuple, list] = {}
        for t in tables:
            groups.setdefault((tuple(t.headers), tuple(t.fields), t.sheet), []).append(t)
        labels = dict(FIELD_CHOICES)
        brush = QBrush(FLAG_BG)
        for (_headers, _fields, _sheet), group in groups.items():
            first = group[0]
            indexes = [t.index for t in group]
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
                confidence = first.confidence[col] if col < len(first.confidence) else None
                reason = first.reasons[col] if col < len(first.reasons) else ""
                sure = QTableWidgetItem("" if confidence is None else f"{round(confidence * 100)}%")
                why = QTableWidgetItem(reason)
                why.setToolTip(reason)
                self.mapping.setItem(row, 3, sure)
                self.mapping.setItem(row, 4, why)
                if confidence is not None and confidence < DOUBTFUL and field != "ignore":
                    self._doubtful.update((i, col) for i in indexes)
                    for c in (0, 1, 3, 4):
                        item = self.mapping.item(row, c)
                        if item is not None:
                            item.setBackground(brush)
                            item.setToolTip(f"把握不大：{reason}")
        self.mapping.resizeColumnToContents(0)
        self.mapping.resizeColumnToContents(3)
        self._fill_preview(tables)

    def _fill_preview(self, tables: list[Any]) -> None:
        """The first rows of the first table, each column headed by its role as a drop-down (the same
        choice as in the list above: changing one changes the other)."""
        self.preview.clear()
        table = next((t for t in tables if t.sample), tables[0] if tables else None)
        if table is None:
            self.preview.setRowCount(0)
            self.preview.setColumnCount(0)
            return
        width = len(table.headers)
        rows = table.sample[:PREVIEW_ROWS]
        self.preview.setColumnCount(width)
        self.preview.setRowCount(len(rows) + 1)
        self.preview.setHorizontalHeaderLabels(
            [" ".join(h.split()) or f"第{c + 1}列" for c, h in enumerate(table.headers)]
        )
        brush = QBrush(FLAG_BG)
        for indexes, col, combo in self._combos:
            if table.index not in indexes or col >= width:
                continue
            twin = QComboBox()
            twin.setObjectName(f"previewRole{col}")
            for i in range(combo.count()):
                twin.addItem(combo.itemText(i), combo.itemData(i))
            twin.setCurrentIndex(combo.currentIndex())
            twin.currentIndexChanged.connect(combo.setCurrentIndex)
            combo.currentIndexChanged.connect(twin.setCurrentIndex)
            self.preview.setCellWidget(0, col, twin)
            if (table.index, col) in self._doubtful:
                head = QTableWidgetItem(self.preview.horizontalHeaderItem(col).text() + " ⚠")
                head.setBackground(brush)
                self.preview.setHorizontalHeaderItem(col, head)
        for r, values in enumerate(rows, 1):
            for c in range(width):
                text = values[c] if c < len(values) else ""
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if (table.index, c) in self._doubtful:
                    item.setBackground(brush)
                self.preview.setItem(r, c, item)
        for c in range(width):
            longest = max((len(v[c]) for v in rows if c < len(v)), default=0)
            self.preview.setColumnWidth(c, 200 if longest > 16 else 110)
        self.preview.resizeRowsToContents()

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
            parent = QTreeWidgetItem([f"板块：{title}（{len(s.tasks)} 项）", "", "", "", "", ""])
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
                        content[:300],
                        " ".join(t.units_text.split())[:80],
                        t.deadline.text,
                        _KIND.get(kind, kind),
                        t.key_work,
                    ]
                )
                item.setToolTip(1, content)
                item.setToolTip(5, t.key_work)
                reason = flagged.get((si, ti))
                if reason:
                    for c in range(6):
                        item.setBackground(c, brush)
                        item.setToolTip(c, reason)
                    item.setText(4, "⚠ 未识别")
                parent.addChild(item)
            parent.setExpanded(True)
        return count

    # ---- saving ------------------------------------------------------------------------------------------
    def ask_duplicate(self, same: Any) -> str | None:
        """The file was imported before: "update" the ledger from it, "open" it, import a "new" copy,
        or None (stay in the wizard). Tests replace this method."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Question)
        box.setWindowTitle("文件已导入过")
        box.setText(
            f"这个文件已导入为台账《{same.title}》（编号 {same.id}，{same.task_count} 项任务）。"
            "是否按文件更新已有台账，而不是再建一本相同的台账？"
        )
        update = box.addButton("更新已有台账", QMessageBox.AcceptRole)
        open_ = box.addButton("打开已有台账", QMessageBox.ActionRole)
        new = box.addButton("仍导入为新台账", QMessageBox.DestructiveRole)
        box.addButton("取消", QMessageBox.RejectRole)
        box.setDefaultButton(update)
        box.exec()
        return {id(update): "update", id(open_): "open", id(new): "new"}.get(id(box.clickedButton()))

    def _already_there(self) -> bool:
        """True when accept() is done because the file was imported before (opened or updated)."""
        same = self.ctx.imports.find_same(self.result)
        if same is None:
            return False
        choice = self.ask_duplicate(same)
        if choice is None:
            return True
        if choice == "open":
            self.ledger = self.ctx.ledgers.get_ledger(same.id)
            self.outcome_text = f"文件已导入过，已打开台账《{same.title}》。"
        elif choice == "update":
            outcome = self.ctx.imports.update_from(same.id, self.result)
            self.ledger = outcome.ledger
            self.outcome_text = outcome.text
        else:
            return False
        super().accept()
        return True

    def accept(self) -> None:
        if self.result is None or self.busy or not self.import_button.isEnabled():
            return
        try:
            if self._already_there():
                return
            if self._base is not None and self._combos:  # corrections kept for files of this shape
                self.ctx.imports.remember_columns(self._base, self._full_mapping())
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


def _missing(result: Any) -> list[str]:
    from desktop_app.importers.result import missing_columns

    return missing_columns(result)


_KIND = {
    "none": "无",
    "date": "日期",
    "year_round": "全年",
    "ongoing": "长期",
    "recurring": "定期",
    "relative": "相对时限",
    "unknown": "未识别",
}
