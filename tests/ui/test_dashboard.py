"""Dashboard: counts, completion rate, bars, overdue and due-soon lists."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from desktop_app.domain.model import Deadline, DeadlineKind, Task, TaskStatus, UnitAssignment
from desktop_app.domain.status import DisplayStatus, compute_status
from desktop_app.ui.widgets.bar_chart import Bar, BarChart
from desktop_app.ui.widgets.dashboard import DashboardWidget


def _t(i, due, status=TaskStatus.NOT_STARTED, unit="市财政局"):
    return Task(
        id=i,
        number=str(i),
        content=f"任务{i}",
        status=status,
        units=[UnitAssignment(unit)],
        deadline=Deadline("x", DeadlineKind.DATE, due),
    )


def test_counts_lists_and_jump(qtbot):
    dash = DashboardWidget()
    qtbot.addWidget(dash)
    today = date(2023, 7, 1)
    tasks = [
        _t(1, date(2023, 6, 1)),
        _t(2, date(2023, 7, 3)),
        _t(3, date(2023, 7, 20), unit="市教育局"),
        _t(4, date(2023, 9, 1), TaskStatus.DONE),
    ]
    infos = {t.id: compute_status(t, today) for t in tasks}
    dash.update_from("测试台账", tasks, infos)
    assert dash.objectName() == "dashboard"
    assert dash.cards["total"].text() == "4"
    assert dash.cards["done"].text() == "1"
    assert dash.cards["rate"].text() == "25%"
    assert dash.cards["overdue"].text() == "1"
    assert dash.cards["soon"].text() == "2"
    assert dash.overdue_list.count() == 1
    assert [dash.soon_list.item(i).data(Qt.UserRole) for i in range(2)] == [2, 3]  # soonest first
    bars = {b.label: b.value for b in dash.status_chart.bars()}
    assert bars[DisplayStatus.OVERDUE.label] == 1
    units = {b.label: (b.value, b.maximum) for b in dash.unit_chart.bars()}
    assert units["市财政局"] == (1, 3)
    jumped = []
    dash.task_activated.connect(jumped.append)
    dash.overdue_list.itemDoubleClicked.emit(dash.overdue_list.item(0))
    assert jumped == [1]
    assert dash.grab().width() > 0


def test_empty_lists_say_so(qtbot):
    dash = DashboardWidget()
    qtbot.addWidget(dash)
    dash.update_from("", [], {})
    assert dash.overdue_list.item(0).text() == "没有逾期任务"
    assert dash.overdue_list.item(0).flags() == Qt.NoItemFlags


def test_bar_chart_paints(qtbot):
    chart = BarChart("标题")
    qtbot.addWidget(chart)
    chart.set_bars([Bar("甲", 3, 4, "#66bb6a", "3/4"), Bar("乙", 0, 4, "#66bb6a", "0/4")])
    chart.resize(400, chart.sizeHint().height())
    assert chart.grab().height() == chart.sizeHint().height()


def test_every_unit_is_shown_most_overdue_first(qtbot):
    dash = DashboardWidget()
    qtbot.addWidget(dash)
    today = date(2023, 7, 1)
    tasks = [_t(i, date(2023, 12, 1), unit=f"单位{i:02d}") for i in range(1, 31)]  # 30 units, none late
    tasks += [_t(100 + k, date(2023, 6, 1), unit="单位27") for k in range(3)]  # 单位27: 3 overdue
    tasks += [_t(200, date(2023, 6, 1), unit="单位05")]  # 单位05: 1 overdue
    infos = {t.id: compute_status(t, today) for t in tasks}
    dash.update_from("三十个单位", tasks, infos)
    bars = dash.unit_chart.bars()
    assert len(bars) == 30  # not cut at 15
    assert [b.label for b in bars[:2]] == ["单位27", "单位05"]
    assert "逾期 3" in bars[0].text
