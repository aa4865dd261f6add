"""The filter bar builds a FilterSpec from its widgets."""

from __future__ import annotations

from desktop_app.domain.model import UnitRole
from desktop_app.ui.models.task_table_model import STALE_FILTER, FilterSpec
from desktop_app.ui.widgets.filter_bar import FilterBar


def test_spec_from_widgets(qtbot):
    bar = FilterBar()
    qtbot.addWidget(bar)
    specs = []
    bar.changed.connect(specs.append)
    bar.set_units(["市财政局", "市教育局"])
    bar.search.setText("政策 解读")
    bar.set_status("OVERDUE")
    bar.unit.setCurrentIndex(bar.unit.findData("市教育局"))
    bar.role.setCurrentIndex(bar.role.findData(UnitRole.LEAD.value))
    bar.due.setChecked(True)
    bar.due_days.setValue(14)
    spec = bar.spec()
    assert spec == FilterSpec(
        text="政策 解读",
        statuses=frozenset({"OVERDUE"}),
        unit="市教育局",
        unit_role=UnitRole.LEAD,
        due_within=14,
    )
    assert specs[-1] == spec
    bar.clear()
    assert bar.spec() == FilterSpec()


def test_my_unit_needs_the_setting(qtbot):
    bar = FilterBar()
    qtbot.addWidget(bar)
    assert not bar.mine.isEnabled()
    bar.set_my_unit("市审批局")
    bar.mine.setChecked(True)
    assert bar.spec().my_unit == "市审批局"


def test_stale_choice(qtbot):
    bar = FilterBar()
    qtbot.addWidget(bar)
    index = next(i for i in range(bar.status.count()) if bar.status.itemText(i) == "待更新")
    bar.status.setCurrentIndex(index)
    assert bar.spec().statuses == frozenset({STALE_FILTER})


def test_units_list_keeps_the_choice(qtbot):
    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.set_units(["甲", "乙"])
    bar.unit.setCurrentIndex(bar.unit.findData("乙"))
    bar.set_units(["乙", "丙"])
    assert bar.unit.currentData() == "乙"


def test_with_a_search_delay_a_word_typed_quickly_filters_once(qtbot):
    """A big ledger's search box waits for typing to pause: the keys of "12a" give one filter with
    all of them; a change of another control goes at once and takes the typed text along."""
    bar = FilterBar()
    qtbot.addWidget(bar)
    specs = []
    bar.changed.connect(specs.append)
    bar.set_search_delay(120)
    qtbot.keyClicks(bar.search, "12a")
    assert specs == []  # still waiting for a pause
    with qtbot.waitSignal(bar.changed, timeout=2000):
        pass
    assert [s.text for s in specs] == ["12a"]
    qtbot.keyClicks(bar.search, "b")
    bar.due.setChecked(True)  # goes now, with the word typed
    assert [s.text for s in specs] == ["12a", "12ab"] and specs[-1].due_within is not None
    qtbot.wait(300)
    assert len(specs) == 2  # the timer of "b" was taken along, not fired again
    bar.set_search_delay(0)
    qtbot.keyClicks(bar.search, "c")
    assert specs[-1].text == "12abc"
