"""The dashboard tab: totals by status, completion rate, overdue and due-soon lists, per-unit bars."""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.model import Task
from desktop_app.domain.status import DisplayStatus
from desktop_app.ui import status_style
from desktop_app.ui.widgets.bar_chart import Bar, BarChart


class DashboardWidget(QScrollArea):
    task_activated = Signal(int)  # double-click on a listed task

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.setWidgetResizable(True)
        body = QWidget()
        self.setWidget(body)
        layout = QVBoxLayout(body)

        self.title = QLabel("")
        self.title.setObjectName("dashboardTitle")
        self._scale = 100
        self.title.setStyleSheet(f"font-size: {15 * self._scale // 100}pt; font-weight: bold")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)

        cards = QHBoxLayout()
        self.cards: dict[str, QLabel] = {}
        for key, label in (
            ("total", "任务总数"),
            ("done", "已完成"),
            ("rate", "完成率"),
            ("overdue", "已逾期"),
            ("soon", "30 天内到期"),
            ("stale", "待更新"),
        ):
            frame = QFrame()
            frame.setFrameShape(QFrame.StyledPanel)
            fl = QVBoxLayout(frame)
            value = QLabel("0")
            value.setObjectName(f"card_{key}")
            value.setAlignment(Qt.AlignCenter)
            value.setStyleSheet(self._big_style())
            caption = QLabel(label)
            caption.setAlignment(Qt.AlignCenter)
            fl.addWidget(value)
            fl.addWidget(caption)
            cards.addWidget(frame)
            self.cards[key] = value
        layout.addLayout(cards)

        charts = QHBoxLayout()
        self.status_chart = BarChart("按状态统计")
        self.status_chart.setObjectName("statusChart")
        self.unit_chart = BarChart("各单位完成情况（已完成/任务数）")
        self.unit_chart.setObjectName("unitChart")
        charts.addWidget(self.status_chart, 1)
        charts.addWidget(self.unit_chart, 1)
        layout.addLayout(charts)

        lists = QGridLayout()
        self.overdue_list = QListWidget()
        self.overdue_list.setObjectName("overdueList")
        self.soon_list = QListWidget()
        self.soon_list.setObjectName("dueSoonList")
        for col, (box_title, widget) in enumerate(
            (("已逾期（双击查看）", self.overdue_list), ("即将到期（双击查看）", self.soon_list))
        ):
            box = QGroupBox(box_title)
            bl = QVBoxLayout(box)
            bl.addWidget(widget)
            widget.setMinimumHeight(160)
            widget.itemDoubleClicked.connect(self._activate)
            widget.itemActivated.connect(self._activate)
            lists.addWidget(box, 0, col)
        layout.addLayout(lists, 1)

    def _big_style(self, color: str = "") -> str:
        return f"font-size: {20 * self._scale // 100}pt; font-weight: bold;" + (
            f" color: {color}" if color else ""
        )

    def apply_scale(self, percent: int) -> None:
        """The big numbers grow with the 适老化 font scale like everything else."""
        self._scale = percent
        self.title.setStyleSheet(f"font-size: {15 * percent // 100}pt; font-weight: bold")
        for key, label in self.cards.items():
            label.setStyleSheet(
                self._big_style("#c62828" if key == "overdue" and label.text() != "0" else "")
            )

    def _activate(self, item: QListWidgetItem) -> None:
        tid = item.data(Qt.UserRole)
        if tid is not None:
            self.task_activated.emit(int(tid))

    def update_from(self, title: str, tasks: list[Task], infos: dict[int, Any], soon_days: int = 30) -> None:
        self.title.setText(title or "未选择台账")
        # one pass over the tasks for every figure (a 50,000-task ledger is walked once, not six times)
        counts: Counter = Counter()
        stale = 0
        overdue: list[Task] = []
        soon: list[Task] = []
        per_unit_total: Counter = Counter()
        per_unit_done: Counter = Counter()
        per_unit_overdue: Counter = Counter()
        done_status, overdue_status = DisplayStatus.DONE, DisplayStatus.OVERDUE
        soon_statuses = (DisplayStatus.DUE_VERY_SOON, DisplayStatus.DUE_SOON)
        total = len(tasks)
        for t in tasks:
            info = infos.get(t.id)
            status = info.status if info is not None else None
            if info is not None:
                counts[status] += 1
                if info.stale:
                    stale += 1
                if status == overdue_status:
                    overdue.append(t)
                elif status in soon_statuses and info.days_left is not None:
                    soon.append(t)
            names = {u.name for u in t.units} if t.units else ({t.units_text} if t.units_text else ())
            for n in names:
                per_unit_total[n] += 1
                if status == done_status:
                    per_unit_done[n] += 1
                elif status == overdue_status:
                    per_unit_overdue[n] += 1
        done = counts.get(done_status, 0)
        overdue.sort(key=lambda t: infos[t.id].days_left or 0)
        soon.sort(key=lambda t: infos[t.id].days_left or 0)
        self.cards["total"].setText(str(total))
        self.cards["done"].setText(str(done))
        self.cards["rate"].setText(f"{(done * 100 / total) if total else 0:.0f}%")
        self.cards["overdue"].setText(str(len(overdue)))
        self.cards["soon"].setText(str(len(soon)))
        self.cards["stale"].setText(str(stale))
        self.cards["overdue"].setStyleSheet(self._big_style("#c62828" if overdue else "#2e7d32"))
        self.status_chart.set_bars(
            [
                Bar(
                    st.label,
                    counts.get(st, 0),
                    max(1, total),
                    status_style.status_strong(st).name(),
                    f"{counts.get(st, 0)} 项",
                )
                for st in sorted(DisplayStatus, key=lambda s: s.sort_key)
            ]
        )
        # every unit (the dashboard scrolls), the ones with most overdue work first
        units = sorted(per_unit_total, key=lambda n: (-per_unit_overdue[n], -per_unit_total[n], n))
        self.unit_chart.set_bars(
            [
                Bar(
                    name,
                    per_unit_done[name],
                    per_unit_total[name],
                    "#66bb6a",
                    f"{per_unit_done[name]}/{per_unit_total[name]}"
                    f"（{per_unit_done[name] * 100 // per_unit_total[name]}%）"
                    + (f" · 逾期 {per_unit_overdue[name]}" if per_unit_overdue[name] else ""),
                )
                for name in units
            ]
        )
        self._fill(self.overdue_list, overdue, infos, lambda d: f"逾期 {-d} 天", "没有逾期任务")
        self._fill(self.soon_list, soon, infos, lambda d: f"剩 {d} 天", f"{soon_days} 天内没有到期的任务")

    def _fill(self, widget: QListWidget, tasks: list[Task], infos: dict[int, Any], days, empty: str) -> None:
        widget.clear()
        for t in tasks[:500]:
            info = infos[t.id]
            text = " ".join(t.content.split())
            label = f"［{days(info.days_left)}］{t.number} {text[:50]}{'…' if len(text) > 50 else ''}"
            if t.units_text:
                label += f" — {' '.join(t.units_text.split())[:20]}"
            item = QListWidgetItem(status_style.status_icon(info.status, info.stale), label)
            item.setData(Qt.UserRole, t.id)
            item.setToolTip(t.content)
            widget.addItem(item)
        if not tasks:
            item = QListWidgetItem(empty)
            item.setFlags(Qt.NoItemFlags)
            widget.addItem(item)
