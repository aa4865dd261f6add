"""The task table view: fixed row heights (never resizeRowsToContents), spanned section rows,
a header context menu to choose columns, sort by header click (done in the model), and 序号 … 主要内容
frozen on the left while the other columns scroll sideways (Qt's "Frozen Column" example: a second view
over the first, sharing its model and selection)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QMenu,
    QStyle,
    QStyleOptionHeader,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desktop_app.ui.delegates.task_delegate import TaskDelegate
from desktop_app.ui.models.roles import IS_SECTION_ROLE
from desktop_app.ui.models.task_table_model import COLUMN_INDEX, COLUMNS, TaskTableModel

ROW_LINES = 2  # each row shows two lines; the rest is in the tooltip and the detail pane
# Imported columns that start hidden when the ledger shown has nothing in them.
AUTO_HIDE = ("key_work", "indicator", "units", "deadline")
# Text columns that share what room is left when the default widths do not fit the view.
FLEX = {"key_work": 1.0, "content": 2.4, "indicator": 0.9, "units": 1.0, "progress": 2.0}
# What the short columns must show when room is tight (their width is measured from it in the font).
NARROW_SAMPLE = {
    "number": "21-10",
    "deadline": "11月底前",
    "status": "已逾期 999",
    "percent": "100%",
    "updated": "2026-12-01",
}
# The longest forms a 状态 cell shows (status_style label, days, · 待更新): each must fit on ROW_LINES lines.
STATUS_SAMPLES = (
    "已逾期 9999 天 · 待更新",
    "即将到期（剩 99 天） · 待更新",
    "临期（剩 99 天） · 待更新",
    "持续推进 · 待更新",
)
STATUS_COMMON = (STATUS_SAMPLES[0], STATUS_SAMPLES[-1])  # what most cells say: 已逾期 N 天, 持续推进
# 完成时限 as ledgers write it, on ROW_LINES lines where the room is short (one line where there is room).
DEADLINE_SAMPLES = ("2023年11月底前", "11月底前")
# Room a cell takes beyond its text: margins, and the status icon.
CELL_PAD = 12
STATUS_ICON = 22
# The columns that stay in view while scrolling sideways: from the left edge up to 主要内容 (the task).
FROZEN_UP_TO = "content"
# The frozen part never takes more than this share of the view (else nothing is left to scroll).
FROZEN_MAX_SHARE = 0.5
# Narrowest a text column gets when fitting, in pixels at 100 % (主要内容, the task, keeps more).
FLEX_MIN = 48
CONTENT_MIN = 96


def lines_needed(metrics: QFontMetrics, text: str, width: int) -> int:
    """How many lines `text` takes wrapped at `width` px (as the cell lays it out: word wrap, CJK breaks
    between characters); a single word wider than the width counts one line more (it would be cut)."""
    if width <= 0:
        return 1 << 16
    one = metrics.boundingRect(QRect(0, 0, 1 << 20, 1 << 16), Qt.TextWordWrap, text)
    wrapped = metrics.boundingRect(QRect(0, 0, width, 1 << 16), Qt.TextWordWrap, text)
    count = max(1, round(wrapped.height() / max(1, one.height())))
    return count + (1 if wrapped.width() > width else 0)


def wrapped_width(metrics: QFontMetrics, text: str, lines: int) -> int:
    """The narrowest text width at which `text` fits on `lines` lines."""
    full = metrics.horizontalAdvance(text) + 1
    if lines <= 1:
        return full
    low, high = max(1, full // lines), full  # high always fits
    while low < high:
        mid = (low + high) // 2
        if lines_needed(metrics, text, mid) <= lines:
            high = mid
        else:
            low = mid + 1
    return high


def wrap_title(text: str) -> str:
    """A column title on two lines, broken after a two-character word (进展落实 / 情况, 最后 / 更新)."""
    if len(text) < 3 or "\n" in text:
        return text
    cut = ((len(text) + 1) // 2 + 1) // 2 * 2  # the longer line first, whole two-character words
    return f"{text[:cut]}\n{text[cut:]}"


class WrapHeader(QHeaderView):
    """A horizontal header whose titles break onto a second line when their column is narrower than
    the title (at 150–200 % screen scaling the working columns are narrow), full title in the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Horizontal, parent)
        self._two_lines = False
        self.setSectionsClickable(True)
        self.sectionResized.connect(lambda *_a: self.update_lines())

    def _title(self, logical: int) -> str:
        model = self.model()
        return str(model.headerData(logical, Qt.Horizontal, Qt.DisplayRole) or "") if model else ""

    def needs_wrap(self, logical: int, width: int | None = None) -> bool:
        text = self._title(logical)
        width = self.sectionSize(logical) if width is None else width
        return self.fontMetrics().horizontalAdvance(text) + CELL_PAD + 4 > width

    def wrapped_width(self, logical: int) -> int:
        """The width the title needs on two lines."""
        lines = wrap_title(self._title(logical)).split("\n")
        return max(self.fontMetrics().horizontalAdvance(t) for t in lines) + CELL_PAD + 4

    def update_lines(self) -> None:
        """Two lines of height while any shown title is wrapped, one otherwise."""
        wrapped = any(
            not self.isSectionHidden(i) and self.needs_wrap(i) for i in range(self.count())
        )
        if wrapped != self._two_lines:
            self._two_lines = wrapped
            self.setMinimumHeight(self.fontMetrics().lineSpacing() * 2 + 10 if wrapped else 0)
            self.updateGeometry()
        self.viewport().update()

    def two_lines(self) -> bool:
        return self._two_lines

    def paintSection(self, painter: QPainter, rect: QRect, logical: int) -> None:
        if not rect.isValid():
            return
        option = QStyleOptionHeader()
        self.initStyleOptionForIndex(option, logical)
        option.rect = rect
        if self.needs_wrap(logical, rect.width()):
            option.text = wrap_title(option.text)
        painter.save()
        self.style().drawControl(QStyle.CE_Header, option, painter, self)
        painter.restore()

    def sectionSizeFromContents(self, logical: int) -> QSize:
        size = super().sectionSizeFromContents(logical)
        if self._two_lines:
            size.setHeight(max(size.height(), self.fontMetrics().lineSpacing() * 2 + 10))
        return size


class _FrozenDelegate(TaskDelegate):
    """Section titles in the frozen part run on one line, cut at its edge, so the title continues
    seamlessly in the table beneath (which draws the same line across the whole width)."""

    def initStyleOption(self, option: QStyleOptionViewItem, index) -> None:
        super().initStyleOption(option, index)
        if index.data(IS_SECTION_ROLE):
            option.features &= ~QStyleOptionViewItem.WrapText
            option.textElideMode = Qt.ElideNone


def row_header_command(view: QTableView, index: QModelIndex, flags):
    """A press on 序号 selects the whole row, as a press on Excel's row number does."""
    if index.isValid() and index.column() == COLUMN_INDEX["number"] and flags & QItemSelectionModel.Select:
        return flags | QItemSelectionModel.Rows
    return flags


class FrozenColumnsView(QTableView):
    """The overlay showing the frozen columns: same model, same selection, same row heights; no
    scroll bars of its own (it follows the main view's vertical scroll)."""

    def __init__(self, main: TaskView) -> None:
        super().__init__(main)
        self.setObjectName("frozenColumns")
        self.main = main
        self.setHorizontalHeader(WrapHeader(self))
        self.setModel(main.model())
        self.setSelectionModel(main.selectionModel())
        self.setItemDelegate(_FrozenDelegate(self, main.model().search_terms))
        self.setFocusPolicy(Qt.NoFocus)
        self.setSelectionBehavior(main.selectionBehavior())
        self.setSelectionMode(main.selectionMode())
        self.setEditTriggers(main.editTriggers())
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.ElideRight)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setSortIndicatorShown(True)
        self.horizontalHeader().setSortIndicator(-1, Qt.AscendingOrder)
        self.horizontalHeader().setContextMenuPolicy(Qt.CustomContextMenu)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(main.verticalScrollMode())
        self.setStyleSheet("QTableView#frozenColumns { border: none; border-right: 1px solid #b0bec5; }")

    def selectionCommand(self, index: QModelIndex, event=None):
        return row_header_command(self, index, super().selectionCommand(index, event))

    def sync_rows(self) -> None:
        src = self.main.verticalHeader()
        own = self.verticalHeader()
        own.setMinimumSectionSize(src.minimumSectionSize())
        own.setDefaultSectionSize(src.defaultSectionSize())
        self.clearSpans()
        model = self.main.model()
        for row in model.section_rows():
            self.setSpan(row, 0, 1, model.columnCount())


class TaskView(QTableView):
    current_task_changed = Signal(object)  # task id or None

    def __init__(self, model: TaskTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("taskView")
        self.setHorizontalHeader(WrapHeader(self))
        self.setModel(model)
        self._model = model
        self.setItemDelegate(TaskDelegate(self, model.search_terms))
        # cells, as in Excel: a click selects a cell, a drag or Shift+click a block of cells; a click on
        # 序号 (the row's header, as Excel's row numbers) or Shift+Space selects the whole row
        self.setSelectionBehavior(QAbstractItemView.SelectItems)
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
        self.setVerticalScrollMode(QAbstractItemView.ScrollPerPixel)  # the frozen part scrolls in step
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
        self.width_scale = 100  # the 适老化 scale (percent) the current column widths are meant for
        for i, col in enumerate(COLUMNS):
            self.setColumnWidth(i, col.width)
        header.sectionResized.connect(self._section_resized)
        self.setSortingEnabled(True)
        self.frozen = FrozenColumnsView(self)
        self.viewport().stackUnder(self.frozen)
        self.frozen_columns: list[int] = []
        fh = self.frozen.horizontalHeader()
        fh.sectionClicked.connect(self._frozen_header_clicked)
        fh.customContextMenuRequested.connect(self._header_menu)
        header.sortIndicatorChanged.connect(lambda col, order: fh.setSortIndicator(col, order))
        header.sectionResized.connect(lambda *_a: self._sync_frozen())
        header.sectionMoved.connect(lambda *_a: self._sync_frozen())
        self.frozen.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(self.frozen.verticalScrollBar().setValue)
        self.update_row_height()
        model.modelReset.connect(self._apply_spans)
        model.modelReset.connect(self._hide_empty_columns)
        model.layoutChanged.connect(self._apply_spans)
        self.selectionModel().currentRowChanged.connect(self._on_current_row)
        self._sync_frozen()

    def selectionCommand(self, index: QModelIndex, event=None):
        return row_header_command(self, index, super().selectionCommand(index, event))

    def selected_rows(self) -> list[int]:
        """Rows with a selected cell, top to bottom."""
        return sorted({i.row() for i in self.selectionModel().selectedIndexes()})

    def update_row_height(self, font: QFont | None = None) -> None:
        """Row height from the font (so 适老化 scaling grows the rows too)."""
        metrics = QFontMetrics(font) if font is not None else self.fontMetrics()
        # CJK glyphs come from a fallback font whose lines are taller than the Latin font's
        line = max(metrics.lineSpacing(), metrics.boundingRect("国字Ag").height() + 2)
        height = line * ROW_LINES + 8 + line // 3
        self.verticalHeader().setMinimumSectionSize(line + 6)
        self.verticalHeader().setDefaultSectionSize(height)
        frozen = getattr(self, "frozen", None)
        if frozen is not None:
            if font is not None:
                frozen.setFont(font)
            frozen.sync_rows()
            self._sync_frozen()

    def _apply_spans(self) -> None:
        self.clearSpans()
        columns = self._model.columnCount()
        for row in self._model.section_rows():
            self.setSpan(row, 0, 1, columns)
        if getattr(self, "frozen", None) is not None:
            self.frozen.sync_rows()

    # ---- the frozen columns --------------------------------------------------------------------------
    def _wanted_frozen(self) -> list[int]:
        """Logical columns to freeze: the visible ones from the left edge up to 主要内容, as long as
        they leave half the view to scroll (fewer otherwise; none when not even 序号 fits)."""
        header = self.horizontalHeader()
        limit = self.viewport().width() * FROZEN_MAX_SHARE
        out: list[int] = []
        width = 0
        target = COLUMN_INDEX[FROZEN_UP_TO]
        if header.isSectionHidden(target):
            return []
        for visual in range(header.count()):
            logical = header.logicalIndex(visual)
            if header.isSectionHidden(logical):
                continue
            width += header.sectionSize(logical)
            if width > limit:
                break
            out.append(logical)
            if logical == target:
                return out
        # 主要内容 does not fit in the frozen half: only 序号 stays
        number = COLUMN_INDEX["number"]
        return [number] if number in out else []

    def _sync_frozen(self) -> None:
        """Show in the overlay exactly the frozen columns, at the main view's widths and order."""
        frozen = getattr(self, "frozen", None)
        if frozen is None:
            return
        header = self.horizontalHeader()
        fh = frozen.horizontalHeader()
        keep = self._wanted_frozen()
        self.frozen_columns = keep
        for visual in range(header.count()):
            logical = header.logicalIndex(visual)
            at = fh.visualIndex(logical)
            if at != visual:
                fh.moveSection(at, visual)
        for i in range(header.count()):
            frozen.setColumnHidden(i, i not in keep)
            if i in keep:
                frozen.setColumnWidth(i, header.sectionSize(i))
        frozen.setVisible(bool(keep))
        self._frozen_geometry()

    def frozen_width(self) -> int:
        header = self.horizontalHeader()
        return sum(header.sectionSize(i) for i in self.frozen_columns)

    def _frozen_geometry(self) -> None:
        if not getattr(self, "frozen_columns", None):
            return
        f = self.frameWidth()
        self.frozen.horizontalHeader().setFixedHeight(self.horizontalHeader().height())
        self.frozen.setGeometry(
            self.verticalHeader().width() + f,
            f,
            self.frozen_width(),
            self.viewport().height() + self.horizontalHeader().height(),
        )

    def _frozen_header_clicked(self, logical: int) -> None:
        """A click on a frozen column's header sorts as a click on the main header would."""
        header = self.horizontalHeader()
        if header.sortIndicatorSection() == logical and header.sortIndicatorOrder() == Qt.AscendingOrder:
            header.setSortIndicator(logical, Qt.DescendingOrder)
        else:
            header.setSortIndicator(logical, Qt.AscendingOrder)

    def scrollTo(self, index: QModelIndex, hint=QAbstractItemView.EnsureVisible) -> None:
        """A cell right of the frozen part is scrolled out from under it (the overlay would hide it)."""
        super().scrollTo(index, hint)
        frozen = getattr(self, "frozen_columns", [])
        if not index.isValid() or index.column() in frozen or not frozen:
            return
        rect = self.visualRect(index)
        width = self.frozen_width()
        if rect.left() < width:
            bar = self.horizontalScrollBar()
            bar.setValue(max(0, bar.value() - (width - rect.left())))

    def moveCursor(self, action, modifiers) -> QModelIndex:
        current = super().moveCursor(action, modifiers)
        frozen = self.frozen_columns
        if action == QAbstractItemView.MoveLeft and current.isValid() and current.column() not in frozen:
            rect = self.visualRect(current)
            width = self.frozen_width()
            if rect.left() < width:
                bar = self.horizontalScrollBar()
                bar.setValue(bar.value() + rect.left() - width)
        return current

    def updateGeometries(self) -> None:
        super().updateGeometries()
        self._frozen_geometry()

    def _on_current_row(self, current, _previous) -> None:
        self.current_task_changed.emit(self._model.task_id_at(current.row()) if current.isValid() else None)

    def commit_open_editor(self) -> None:
        """Save a cell being edited (window closing, ledger switching): no edit is lost."""
        editing = QAbstractItemView.EditingState
        if self.state() != editing and self.frozen.state() != editing:
            return
        editor = QApplication.focusWidget()
        for view in (self, self.frozen):
            if editor is not None and view.viewport().isAncestorOf(editor):
                view.commitData(editor)
                view.closeEditor(editor, QAbstractItemDelegate.NoHint)
                return

    def current_task_id(self) -> int | None:
        index = self.currentIndex()
        return self._model.task_id_at(index.row()) if index.isValid() else None

    def selected_task_ids(self) -> list[int]:
        ids = [self._model.task_id_at(r) for r in self.selected_rows()]
        out = [i for i in ids if i is not None]
        if not out and self.current_task_id() is not None:
            out = [self.current_task_id()]
        return out

    def select_task(self, task_id: int) -> bool:
        row = self._model.row_of_task(task_id)
        if row < 0:
            return False
        index = self._model.index(row, 2)
        # the row alone, whatever modifier keys Qt believes are held (selectRow would extend with Shift)
        selection = self.selectionModel()
        selection.setCurrentIndex(index, QItemSelectionModel.NoUpdate)
        selection.select(index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
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
        # showing or hiding a column is not sizing one: the fitted layout stays
        was, self._fitting = self._fitting, True
        try:
            header.setSectionHidden(column, not visible)
        finally:
            self._fitting = was
        self.fit_widths()

    def set_scale(self, percent: int) -> None:
        """适老化: widths the user set grow and shrink with the font (200 %: twice as wide), the
        default layout is fitted again at the new size; row heights follow in update_row_height."""
        old = self.width_scale or 100
        self.width_scale = percent
        if self.user_sized and old != percent:
            header = self.horizontalHeader()
            was, self._fitting = self._fitting, True
            try:
                for i in range(header.count()):
                    header.resizeSection(i, max(20, round(header.sectionSize(i) * percent / old)))
            finally:
                self._fitting = was
        else:
            self.fit_widths()
        self._sync_frozen()

    def reset_widths(self) -> None:
        self.user_sized = False
        self.fit_widths(force=True)

    # ---- layout that fits the screen ------------------------------------------------------------------
    def _hide_empty_columns(self) -> None:
        header = self.horizontalHeader()
        was, self._fitting = self._fitting, True
        try:
            for key in AUTO_HIDE:
                i = COLUMN_INDEX[key]
                has = self._model.column_has_data(i)
                if not has and not header.isSectionHidden(i):
                    header.setSectionHidden(i, True)
                    self._auto_hidden.add(i)
                elif has and i in self._auto_hidden:
                    header.setSectionHidden(i, False)
                    self._auto_hidden.discard(i)
        finally:
            self._fitting = was
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
        was, self._fitting = self._fitting, True
        try:
            for i in self._auto_hidden:
                header.setSectionHidden(i, False)
            state = header.saveState()
            for i in self._auto_hidden:
                header.setSectionHidden(i, True)
        finally:
            self._fitting = was
        return state

    def fit_widths(self, force: bool = False) -> None:
        """Default widths when they fit; on a narrower view (1366 px laptops, 150–200 % scaling) the
        short columns take what their text needs, titles go on two lines, and the text columns share
        the rest (主要内容 the most), so 状态, 进度, 进展落实情况 and 最后更新 stay in view."""
        if self.user_sized and not force:
            return
        avail = self.viewport().width()
        if avail < 200:
            return
        header = self.horizontalHeader()
        scale = max(self.width_scale / 100, self.fontMetrics().horizontalAdvance("国") / 13, 1.0)
        visible = [i for i in range(len(COLUMNS)) if not header.isSectionHidden(i)]
        widths = {i: int(COLUMNS[i].width * scale) for i in visible}
        if sum(widths.values()) > avail:
            widths = self._narrow_widths(visible, avail, scale)
        # a width set here can resize the viewport (a scroll bar goes) and fit again inside: the inner
        # fit must not end the outer one's "not the user's sizing" (else the layout becomes the user's)
        was, self._fitting = self._fitting, True
        try:
            for i, w in widths.items():
                self.setColumnWidth(i, w)
        finally:
            self._fitting = was
        if isinstance(header, WrapHeader):
            header.update_lines()

    def _narrow_widths(self, visible: list[int], avail: int, scale: float) -> dict[int, int]:
        """Widths for a view too narrow for the defaults (1366 px laptops, 150–200 % screen or 适老化
        scaling). In turn, as far as the room goes: every short column as wide as its common text needs
        (状态 on two lines, 完成时限 on two lines) and every text column as wide as its title on two
        lines; then 主要内容 its least (CONTENT_MIN at the scale); then the short columns their whole text
        (状态's rarer long forms, 完成时限 on one line); then the other text columns their least (FLEX_MIN
        at the scale); the rest shared by weight."""
        header = self.horizontalHeader()
        cells = self.fontMetrics()
        heads = header.fontMetrics()

        def title(i: int) -> int:
            if isinstance(header, WrapHeader):
                return header.wrapped_width(i)
            return heads.horizontalAdvance(COLUMNS[i].header) + CELL_PAD + 4

        widths: dict[int, int] = {}  # the short columns
        whole: dict[int, int] = {}  # … with their whole text
        flex: list[int] = []
        hard: dict[int, int] = {}  # the text columns: their title
        soft: dict[int, int] = {}  # … their least
        for i in visible:
            key = COLUMNS[i].key
            if key in FLEX:
                flex.append(i)
                floor = CONTENT_MIN if key == "content" else FLEX_MIN
                hard[i] = title(i)
                soft[i] = max(int(floor * scale), hard[i])
                continue
            sample = NARROW_SAMPLE.get(key)
            need = cells.horizontalAdvance(sample) + CELL_PAD if sample else COLUMNS[i].width
            full = need
            if key == "status":
                pad = self.status_padding()
                full = max(need + int(STATUS_ICON * scale), self._wrapped_need(cells, STATUS_SAMPLES) + pad)
                need = self._wrapped_need(cells, STATUS_COMMON) + pad
            elif key == "deadline":
                need = self._wrapped_need(cells, DEADLINE_SAMPLES) + CELL_PAD
            widths[i] = max(min(need, full), title(i))
            whole[i] = max(full, widths[i])
        spare = avail - 2 - sum(widths.values()) - sum(hard.values())
        content = COLUMN_INDEX["content"]
        if content in hard:  # the task itself first: 主要内容 its least
            more = max(0, min(spare, soft[content] - hard[content]))
            hard[content] += more
            spare -= more
        for i in sorted(whole, key=lambda i: COLUMNS[i].key != "status"):  # 状态 first
            more = max(0, min(spare, whole[i] - widths[i]))
            widths[i] += more
            spare -= more
        gap = sum(soft[i] - hard[i] for i in flex)
        least = dict(soft)
        if spare < gap:  # not even the least for each: each gets its title and a share of what is left
            least = {i: hard[i] + (max(0, spare) * (soft[i] - hard[i]) // gap) for i in flex}
        room = max(0, avail - sum(widths.values()) - 2)
        # water-filling: a column whose share is below its least gets its least, the rest share again
        open_ = list(flex)
        while open_:
            weight = sum(FLEX[COLUMNS[i].key] for i in open_) or 1
            share = {i: int(room * FLEX[COLUMNS[i].key] / weight) for i in open_}
            short = [i for i in open_ if share[i] < least[i]]
            if not short:
                widths.update(share)
                break
            for i in short:
                widths[i] = least[i]
                room = max(0, room - least[i])
                open_.remove(i)
        return widths

    def _wrapped_need(self, metrics: QFontMetrics, samples: tuple[str, ...]) -> int:
        """The text width each of the samples needs to fit on ROW_LINES lines in this font."""
        key = metrics.fontDpi(), self.font().key(), samples
        cache = self.__dict__.setdefault("_wrap_need", {})
        if key not in cache:
            cache[key] = max(wrapped_width(metrics, t, ROW_LINES) for t in samples)
        return cache[key]

    def status_padding(self) -> int:
        """What a 状态 cell takes beside its text: the style's margins and the status icon (at its size
        for the 适老化 scale), measured by the style as the cell is laid out."""
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        option.features |= QStyleOptionViewItem.HasDecoration | QStyleOptionViewItem.HasDisplay
        option.features |= QStyleOptionViewItem.WrapText
        option.decorationSize = self.iconSize()
        option.rect = QRect(0, 0, 400, self.verticalHeader().defaultSectionSize())
        option.text = "已逾期"
        text = self.style().subElementRect(QStyle.SE_ItemViewItemText, option, self)
        # the style draws the text inside that rectangle by its focus-frame margin (QCommonStyle)
        margin = self.style().pixelMetric(QStyle.PM_FocusFrameHMargin, None, self) + 1
        return max(CELL_PAD, 400 - text.width() + 2 * margin + 1)

    def keyPressEvent(self, event) -> None:
        """Ctrl+C / Ctrl+V reach the window's 复制/粘贴 (QTableView would copy one cell's text itself);
        Shift+Space selects the current row (Excel's key for it)."""
        if event.key() == Qt.Key_Space and event.modifiers() == Qt.ShiftModifier and self.currentIndex().isValid():
            self.selectionModel().select(
                self.currentIndex(), QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows
            )
            event.accept()
            return
        for key in (QKeySequence.Copy, QKeySequence.Paste):
            if event.matches(key):
                action = next((a for a in self.actions() if a.shortcut() == QKeySequence(key)), None)
                if action is not None and action.isEnabled():
                    action.trigger()
                    event.accept()
                    return
        super().keyPressEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_widths()
        self._sync_frozen()
