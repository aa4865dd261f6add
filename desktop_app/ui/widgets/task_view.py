"""The task table view: fixed row heights (never resizeRowsToContents), spanned section rows,
a header context menu to choose columns, sort by header click (done in the model)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QMenu,
    QTableView,
    QWidget,
)

from desktop_app.ui.delegates.task_delegate import TaskDelegate
from desktop_app.ui.models.task_table_model import COLUMN_INDEX, COLUMNS, TaskTableModel

ROW_LINES = 2  # each row shows two lines; the rest is in the tooltip and the detail pane
# Imported columns that start hidden when the ledger shown has nothing in them.
AUTO_HIDE = ("key_work", "indicator", "units", "deadline")
# Text columns that share what room is left when the default widths do not fit the view.
FLEX = {"key_work": 1.0, "content": 2.4, "indicator": 0.9, "units": 1.0, "progress": 2.0}
# Widths of the short columns when room is tight.
NARROW = {"number": 44, "deadline": 76, "status": 112, "percent": 50, "updated": 84}


class TaskView(QTableView):
    current_task_changed = Signal(object)  # task id or None

    def __init__(self, model: TaskTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("taskView")
        self.setModel(model)
        self._model = model
        self.setItemDelegate(TaskDelegate(self, model.search_terms))
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.DoubleClicked
            | QAbstractItemView.EditKeyPressed
            | QAbstractItemView.AnyKeyPressed
        )
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.ElideRight)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollPerPixel)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setContextMenuPolicy(Qt.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.setSortIndicator(-1, Qt.AscendingOrder)
        # Columns hidden because the ledger shown has nothing in them (shown again for one that has);
        # widths fitted to the view until the user sizes a column or a saved layout is restored.
        self._auto_hidden: set[int] = set()
        self._fitting = False
        self.user_sized = False
        for i, col in enumerate(COLUMNS):
            self.setColumnWidth(i, col.width)
        header.sectionResized.connect(self._section_resized)
        self.setSortingEnabled(True)
        self.update_row_height()
        model.modelReset.connect(self._apply_spans)
        model.modelReset.connect(self._hide_empty_columns)
        model.layoutChanged.connect(self._apply_spans)
        self.selectionModel().currentRowChanged.connect(self._on_current_row)

    def update_row_height(self, font: QFont | None = None) -> None:
        """Row height from the font (so 适老化 scaling grows the rows too)."""
        metrics = QFontMetrics(font) if font is not None else self.fontMetrics()
        # CJK glyphs come from a fallback font whose lines are taller than the Latin font's
        line = max(metrics.lineSpacing(), metrics.boundingRect("国字Ag").height() + 2)
        height = line * ROW_LINES + 8 + line // 3
        self.verticalHeader().setMinimumSectionSize(line + 6)
        self.verticalHeader().setDefaultSectionSize(height)

    def _apply_spans(self) -> None:
        self.clearSpans()
        columns = self._model.columnCount()
        for row in self._model.section_rows():
            self.setSpan(row, 0, 1, columns)

    def _on_current_row(self, current, _previous) -> None:
        self.current_task_changed.emit(self._model.task_id_at(current.row()) if current.isValid() else None)

    def commit_open_editor(self) -> None:
        """Save a cell being edited (window closing, ledger switching): no edit is lost."""
        if self.state() != QAbstractItemView.EditingState:
            return
        editor = QApplication.focusWidget()
        if editor is not None and self.viewport().isAncestorOf(editor):
            self.commitData(editor)
            self.closeEditor(editor, QAbstractItemDelegate.NoHint)

    def current_task_id(self) -> int | None:
        index = self.currentIndex()
        return self._model.task_id_at(index.row()) if index.isValid() else None

    def selected_task_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        ids = [self._model.task_id_at(r) for r in rows]
        out = [i for i in ids if i is not None]
        if not out and self.current_task_id() is not None:
            out = [self.current_task_id()]
        return out

    def select_task(self, task_id: int) -> bool:
        row = self._model.row_of_task(task_id)
        if row < 0:
            return False
        index = self._model.index(row, 2)
        self.setCurrentIndex(index)
        self.selectRow(row)
        self.scrollTo(index, QAbstractItemView.PositionAtCenter)
        return True

    def reset_sort(self) -> None:
        self.horizontalHeader().setSortIndicator(-1, Qt.AscendingOrder)
        self._model.sort(-1)

    def header_menu(self) -> QMenu:
        """The header's context menu: a check per column, original order, default widths."""
        menu = QMenu(self)
        menu.setObjectName("columnChooser")
        for action in self.column_actions(menu):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction("恢复原表顺序", self.reset_sort).setObjectName("actionHeaderResetSort")
        menu.addAction("恢复默认列宽", self.reset_widths).setObjectName("actionResetWidths")
        return menu

    def _header_menu(self, pos) -> None:
        menu = self.header_menu()
        menu.exec(self.horizontalHeader().viewport().mapToGlobal(pos))
        menu.deleteLater()  # one menu per right-click, not one more child of the view each time

    def column_actions(self, parent) -> list[QAction]:
        actions = []
        header = self.horizontalHeader()
        for i, col in enumerate(COLUMNS):
            action = QAction(col.header, parent)
            action.setObjectName(f"actionColumn_{col.key}")
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(i))
            action.toggled.connect(lambda on, i=i: self.set_column_visible(i, on))
            actions.append(action)
        return actions

    def set_column_visible(self, column: int, visible: bool) -> None:
        header = self.horizontalHeader()
        if not visible and header.count() - header.hiddenSectionCount() <= 1:
            return  # keep at least one column
        self._auto_hidden.discard(column)
        header.setSectionHidden(column, not visible)
        self.fit_widths()

    def reset_widths(self) -> None:
        self.user_sized = False
        self.fit_widths(force=True)

    # ---- layout that fits the screen ------------------------------------------------------------------
    def _hide_empty_columns(self) -> None:
        header = self.horizontalHeader()
        for key in AUTO_HIDE:
            i = COLUMN_INDEX[key]
            has = self._model.column_has_data(i)
            if not has and not header.isSectionHidden(i):
                header.setSectionHidden(i, True)
                self._auto_hidden.add(i)
            elif has and i in self._auto_hidden:
                header.setSectionHidden(i, False)
                self._auto_hidden.discard(i)
        self.fit_widths()

    def _section_resized(self, _index: int, _old: int, _new: int) -> None:
        if not self._fitting:
            self.user_sized = True

    def restore_header(self, state) -> bool:
        ok = self.horizontalHeader().restoreState(state)
        if ok:
            self.user_sized = True
            self._auto_hidden.clear()
            self._hide_empty_columns()
        return ok

    def header_state(self):
        """The header as the user laid it out: columns hidden only for this ledger are saved as shown."""
        header = self.horizontalHeader()
        self._fitting = True
        try:
            for i in self._auto_hidden:
                header.setSectionHidden(i, False)
            state = header.saveState()
            for i in self._auto_hidden:
                header.setSectionHidden(i, True)
        finally:
            self._fitting = False
        return state

    def fit_widths(self, force: bool = False) -> None:
        """Default widths when they fit; on a narrower view (1366 px laptops, 150–200 % scaling) the
        text columns give up room so 状态, 进度 and 进展落实情况 stay in view without scrolling."""
        if self.user_sized and not force:
            return
        avail = self.viewport().width()
        if avail < 200:
            return
        header = self.horizontalHeader()
        scale = max(1.0, self.fontMetrics().horizontalAdvance("国") / 13)
        visible = [i for i in range(len(COLUMNS)) if not header.isSectionHidden(i)]
        widths = {i: int(COLUMNS[i].width * scale) for i in visible}
        total = sum(widths.values())
        if total > avail:
            for key, narrow in NARROW.items():
                i = COLUMN_INDEX[key]
                if i in widths:
                    widths[i] = int(narrow * scale)
            flex = [i for i in visible if COLUMNS[i].key in FLEX]
            fixed = sum(w for i, w in widths.items() if i not in flex)
            room = max(0, avail - fixed - 2)
            weight = sum(FLEX[COLUMNS[i].key] for i in flex) or 1
            for i in flex:
                widths[i] = max(int(60 * scale), int(room * FLEX[COLUMNS[i].key] / weight))
        self._fitting = True
        try:
            for i, w in widths.items():
                self.setColumnWidth(i, w)
        finally:
            self._fitting = False

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_widths()
