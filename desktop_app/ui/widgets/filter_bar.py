"""The row above the task table: search box, status and unit filters, due-within, counts."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.model import UnitRole
from desktop_app.domain.status import DisplayStatus
from desktop_app.ui import status_style
from desktop_app.ui.models.task_table_model import STALE_FILTER, FilterSpec
from desktop_app.ui.widgets.flow_layout import FlowLayout

SEARCH_DELAY_MS = 0  # the model filters 20,000 rows well within a keystroke; no debounce needed
# A big ledger (ui.main_window.BIG_LEDGER tasks and more) waits this long for typing to pause: one
# filter for a word typed quickly, not one per key (each ~80 ms at 100,000 tasks).
BIG_SEARCH_DELAY_MS = 120


class FilterBar(QWidget):
    changed = Signal(object)  # FilterSpec

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self._my_unit = ""
        self.search = QLineEdit()
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText("搜索任务（序号、内容、单位、进展……，空格分隔多个词）")
        self.search.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(lambda: self.changed.emit(self.spec()))
        self.search.textChanged.connect(self._text_changed)
        self._search_delay = SEARCH_DELAY_MS

        self.status = QComboBox()
        self.status.setObjectName("statusFilter")
        self.status.addItem("全部状态", None)
        for st in sorted(DisplayStatus, key=lambda s: s.sort_key):
            self.status.addItem(status_style.status_icon(st), st.label, frozenset({st.name}))
        self.status.addItem(
            status_style.status_icon(DisplayStatus.IN_PROGRESS, True), "待更新", frozenset({STALE_FILTER})
        )
        self.status.addItem(
            "未完成（全部）", frozenset(s.name for s in DisplayStatus if s != DisplayStatus.DONE)
        )
        self.status.currentIndexChanged.connect(self._emit)

        self.unit = QComboBox()
        self.unit.setObjectName("unitFilter")
        self.unit.setMinimumContentsLength(12)
        self.unit.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.unit.addItem("全部单位", "")
        self.unit.currentIndexChanged.connect(self._emit)
        self.role = QComboBox()
        self.role.setObjectName("roleFilter")
        self.role.addItem("任意角色", None)
        for role in UnitRole:
            self.role.addItem(role.label, role.value)
        self.role.currentIndexChanged.connect(self._emit)
        self.mine = QCheckBox("只看本单位")
        self.mine.setObjectName("myUnitCheck")
        self.mine.toggled.connect(self._emit)

        self.due = QCheckBox("到期")
        self.due.setObjectName("dueCheck")
        self.due_days = QSpinBox()
        self.due_days.setObjectName("dueDays")
        self.due_days.setRange(0, 366)
        self.due_days.setValue(30)
        self.due_days.setSuffix(" 天内")
        self.due_days.setToolTip("只显示在这些天内到期（含已逾期）且未完成的任务")
        self.due.toggled.connect(self._emit)
        self.due_days.valueChanged.connect(lambda _v: self.due.isChecked() and self._emit())

        self.count = QLabel("")
        self.count.setObjectName("countLabel")

        # two rows, so the bar still fits at 200% font size: search and counts, then the filters
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        filters = FlowLayout(spacing=6)  # wraps at large font sizes instead of widening the window
        for w in (self.status, self.unit, self.role, self.mine):
            filters.addWidget(w)
        due = QWidget()
        due_row = QHBoxLayout(due)
        due_row.setContentsMargins(0, 0, 0, 0)
        due_row.addWidget(self.due)
        due_row.addWidget(self.due_days)
        filters.addWidget(due)
        layout.addLayout(top)
        layout.addLayout(filters)
        self.set_my_unit("")

    def set_my_unit(self, unit: str) -> None:
        self._my_unit = unit or ""
        self.mine.setEnabled(bool(self._my_unit))
        self.mine.setToolTip(
            f"只显示“{self._my_unit}”参与的任务" if self._my_unit else "请先在“设置”中填写本单位名称"
        )
        if not self._my_unit and self.mine.isChecked():
            self.mine.setChecked(False)

    def set_units(self, names: list[str]) -> None:
        current = self.unit.currentData()
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItem("全部单位", "")
        for n in names:
            self.unit.addItem(n, n)
        index = self.unit.findData(current)
        self.unit.setCurrentIndex(max(0, index))
        self.unit.blockSignals(False)

    def spec(self) -> FilterSpec:
        role = self.role.currentData()
        return FilterSpec(
            text=self.search.text(),
            statuses=self.status.currentData() or frozenset(),
            unit=self.unit.currentData() or "",
            unit_role=UnitRole(role) if role else None,
            my_unit=self._my_unit if self.mine.isChecked() else "",
            due_within=self.due_days.value() if self.due.isChecked() else None,
        )

    def set_status(self, name: str | None) -> None:
        """Select a status filter by DisplayStatus name (None = all)."""
        for i in range(self.status.count()):
            data = self.status.itemData(i)
            if (name is None and data is None) or (data is not None and data == frozenset({name})):
                self.status.setCurrentIndex(i)
                return

    def clear(self) -> None:
        for w in (self.search, self.status, self.unit, self.role, self.mine, self.due):
            w.blockSignals(True)
        self.search.clear()
        self.status.setCurrentIndex(0)
        self.unit.setCurrentIndex(0)
        self.role.setCurrentIndex(0)
        self.mine.setChecked(False)
        self.due.setChecked(False)
        for w in (self.search, self.status, self.unit, self.role, self.mine, self.due):
            w.blockSignals(False)
        self._emit()

    def set_count_text(self, text: str) -> None:
        self.count.setText(text)

    def set_search_delay(self, ms: int) -> None:
        """How long the search box waits for typing to pause before filtering (0: at once)."""
        self._search_delay = max(0, int(ms))

    def search_delay(self) -> int:
        return self._search_delay

    def _text_changed(self, *_args) -> None:
        if self._search_delay:
            self._timer.start(self._search_delay)
        else:
            self._emit()

    def _emit(self, *_args) -> None:
        self._timer.stop()  # a typed word still waiting goes with this change
        self.changed.emit(self.spec())

    def focus_search(self) -> None:
        self.search.setFocus(Qt.ShortcutFocusReason)
        self.search.selectAll()
