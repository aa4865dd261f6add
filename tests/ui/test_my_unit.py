"""只看本单位 by the directory's addressee rules: generic addressees by the unit's kind, other names,
and the unit's own ledger whose tasks name no unit."""

from __future__ import annotations

from desktop_app.domain.directory import COUNTY, DEPARTMENT
from desktop_app.domain.model import Task
from desktop_app.ui.my_unit import my_unit_rule, split_aliases


def _mine_count(w) -> int:
    w.filter_bar.mine.setChecked(True)
    w.filter_bar._timer.timeout.emit()
    return w.model.visible_count


def test_rule_reads_generic_addressees_kinds_and_other_names():
    generic = Task(id=1, units_text="市政府各部门、各直属机构负责")
    county = Task(id=2, units_text="各县（市）区人民政府负责")
    named = Task(id=3, units_text="市发改委牵头，市财政局配合")
    other = Task(id=4, units_text="市财政局负责")
    dept = my_unit_rule("市发展和改革委员会", ["市发改委"], DEPARTMENT)
    assert [dept(t) for t in (generic, county, named, other)] == [True, False, True, False]
    town = my_unit_rule("兴庆区人民政府", [], COUNTY)
    assert [town(t) for t in (generic, county, named, other)] == [False, True, False, False]
    # without a kind only the names count
    plain = my_unit_rule("市发展和改革委员会", ["市发改委"])
    assert [plain(t) for t in (generic, county, named, other)] == [False, False, True, False]
    assert my_unit_rule("  ") is None
    assert split_aliases("市发改委，发改委、 发展改革委") == ["市发改委", "发改委", "发展改革委"]


def test_own_ledger_tasks_naming_no_unit_are_the_units():
    bare = Task(id=1, content="公开预算")
    elsewhere = Task(id=2, content="配合", units_text="市财政局负责")
    own = my_unit_rule("市自然资源局", owner_unit="银川市自然资源局")
    assert own(bare) and not own(elsewhere)
    foreign = my_unit_rule("市自然资源局", owner_unit="市财政局")
    assert not foreign(bare)


def test_only_my_unit_in_the_window_follows_the_settings_and_directory(city):
    settings = city.ctx.settings
    settings.update({"my_unit": "市发展和改革委员会", "my_unit_aliases": "", "my_unit_kind": ""})
    city._read_rules()
    by_name = _mine_count(city)
    assert by_name == 0  # the city's ledger writes 市发改委: the full name alone finds nothing
    settings.set("my_unit_aliases", "市发改委")
    city._read_rules()
    named = city.model.visible_count
    assert 0 < named < 10
    settings.set("my_unit_kind", DEPARTMENT)
    city._read_rules()
    shown = [city.model.task(i) for i in city.model.visible_task_ids()]
    assert len(shown) > 30  # 市政府各部门 / 各有关部门 address every department
    assert all("各县（市）区人民政府负责" != t.units_text for t in shown)
    # the directory says the same without the settings' help
    settings.update({"my_unit": "市发改委", "my_unit_aliases": "", "my_unit_kind": ""})
    city.ctx.units.add("市发展和改革委员会", ["市发改委"], DEPARTMENT)
    city._read_rules()
    assert city.model.visible_count == len(shown)


def test_own_ledger_without_units_shows_every_task(window):
    ledger = window.ctx.ledgers.create_ledger("市自然资源局2024年政务公开台账", 2024)
    window.ctx.ledgers.update_ledger(ledger.id, owner_unit="市自然资源局")
    section = window.ctx.ledgers.add_section(ledger.id, "一、公开", None)
    for _ in range(3):
        window.ctx.ledgers.add_task(section.id, None, Task(content="本局的任务"))
    window.ctx.settings.set("my_unit", "市自然资源局")
    window.reload_ledgers(select=ledger.id)
    window._read_rules()
    assert window.model.total_count == 3
    assert _mine_count(window) == 3
    window.ctx.ledgers.update_ledger(ledger.id, owner_unit="市财政局")
    window.open_ledger(ledger.id)
    assert window.model.visible_count == 0


def test_settings_dialog_keeps_kind_and_other_names(city, qtbot):
    from desktop_app.ui.dialogs.settings_dialog import SettingsDialog

    d = SettingsDialog(city.ctx, city)
    qtbot.addWidget(d)
    d.edits["my_unit"].setText("兴庆区人民政府")
    d.edits["my_unit_aliases"].setText("兴庆区政府")
    d.kind.setCurrentIndex(d.kind.findData(COUNTY))
    d.save()
    s = city.ctx.settings
    assert (s.get("my_unit_kind"), s.get("my_unit_aliases")) == (COUNTY, "兴庆区政府")
    again = SettingsDialog(city.ctx, city)
    qtbot.addWidget(again)
    assert again.kind.currentData() == COUNTY


