"""Window state and 适老化 font scale: remembered across runs."""

from __future__ import annotations

from desktop_app.ui.window_state import MAX_SCALE, MIN_SCALE


def test_font_scale_is_stored_and_bounded(city):
    city.step_font_scale(30)
    assert city.ctx.settings.get("font_scale") == "130"
    assert city.font_scale() == 130
    city.ctx.settings.set("font_scale", "999")
    assert city.font_scale() == MAX_SCALE
    city.ctx.settings.set("font_scale", "abc")
    assert city.font_scale() == MIN_SCALE
    city.apply_font_scale(100)


def test_geometry_and_splitters_are_saved(city):
    city.resize(1234, 777)
    city.splitter.setSizes([300, 900])
    city.save_state()
    s = city.qsettings
    for key in ("ui/geometry", "ui/windowState", "ui/splitter", "ui/progressSplitter", "ui/taskHeader"):
        assert s.value(key) is not None, key


def _available(w):
    return w.screen().availableGeometry()


def test_first_start_fits_the_screen(window):
    """No remembered geometry: the window is never bigger than the screen it opens on."""
    window._first_start_geometry()
    area = _available(window)
    assert window.width() <= area.width() and window.height() <= area.height()
    assert area.contains(window.geometry())


def test_remembered_geometry_is_clamped_to_this_screen(window):
    from PySide6.QtCore import QByteArray

    area = _available(window)
    window.setGeometry(area.x() + 3000, area.y() + 2000, area.width() + 900, area.height() + 700)
    window.qsettings.setValue("ui/geometry", window.saveGeometry())
    window.move(0, 0)
    window._restore_state()
    assert window.width() <= area.width() and window.height() <= area.height()
    assert area.contains(window.frameGeometry()) or area.contains(window.geometry())
    assert isinstance(window.qsettings.value("ui/geometry"), QByteArray | bytes)


def test_ctrl_s_saves_what_is_typed_and_says_so(city, qtbot):
    from PySide6.QtGui import QKeySequence

    task = next(t for t in city.model.tasks() if t.number == "2")
    city.task_view.select_task(task.id)
    editor = city.progress_editor
    qtbot.keyClicks(editor.text, "typed just now")
    assert editor.dirty
    assert city.acts.save.shortcut() == QKeySequence(QKeySequence.Save)
    city.acts.save.trigger()
    assert not editor.dirty
    assert city.ctx.ledgers.get_task(task.id).progress == "typed just now"
    assert city.statusBar().currentMessage().startswith("已保存")
