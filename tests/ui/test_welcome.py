"""First contact: the welcome page asks once for 本单位 and 填报人 (skippable), the import is its main
action, and the empty progress panel is not shown beside it."""

from __future__ import annotations


def test_welcome_asks_for_unit_and_person_and_saves_them(window, qtbot, monkeypatch):
    window.show()
    qtbot.waitExposed(window)
    welcome = window.welcome
    assert window.stack.currentWidget() is welcome
    assert welcome.identity.isVisible()
    welcome.unit_edit.setText("市自然资源局")
    welcome.person_edit.setText("张三")
    monkeypatch.setattr(window, "ask_open_file", lambda: None)  # the import's file box, cancelled
    welcome.import_button.click()
    s = window.ctx.settings
    assert (s.get("my_unit"), s.get("contact_person")) == ("市自然资源局", "张三")
    assert window.filter_bar.mine.isEnabled()  # 只看本单位 now has a unit


def test_skipping_the_welcome_fields_saves_nothing(window):
    window.welcome.sample_button.click()
    assert window.ctx.settings.get("my_unit") == ""
    assert window.stack.currentWidget() is window.tabs


def test_the_progress_panel_waits_for_the_first_ledger(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    assert not window.progress_dock.isVisible()  # nothing to fill in on the welcome page
    window.welcome.sample_button.click()
    qtbot.waitUntil(window.progress_dock.isVisible)
    # a panel the user closed stays closed
    window.progress_dock.hide()
    for s in window.ctx.ledgers.list_ledgers():
        window.ctx.ledgers.delete_ledger(s.id)
    window.reload_ledgers()
    assert window.stack.currentWidget() is window.welcome
    window.welcome.sample_button.click()
    assert not window.progress_dock.isVisible()


def test_report_with_unit_and_person_empty_asks_first(city, monkeypatch):
    asked = []
    monkeypatch.setattr(city, "ask_identity", lambda values: asked.append(values) or None)
    opened = []
    monkeypatch.setattr(city, "run_dialog", lambda d: opened.append(d.objectName()) or False)
    city.acts.report_export.trigger()
    assert asked and asked[0]["my_unit"] == "" and opened == []  # 取消: no export dialog
    monkeypatch.setattr(city, "ask_identity", lambda values: {"my_unit": "市财政局", "contact_person": "王五"})
    city.acts.report_export.trigger()
    assert opened == ["exportDialog"]
    assert city.ctx.settings.get("contact_person") == "王五"


def test_the_welcome_text_is_shown_whole(window, qtbot):
    from PySide6.QtWidgets import QLabel

    window.show()
    qtbot.waitExposed(window)
    label = next(x for x in window.welcome.findChildren(QLabel) if "您可以" in x.text())
    assert "新建一份空白台账" in label.text()
    assert label.height() >= label.sizeHint().height()  # no line cut off at the bottom
