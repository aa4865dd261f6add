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
