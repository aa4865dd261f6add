"""Window state and 适老化 font scale: remembered across runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.ui.window_state import MAX_SCALE, MIN_SCALE

DATA = Path(__file__).resolve().parent.parent / "data"


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


# ---- the working columns on people's screens (issue 13) -------------------------------------------------
# Logical screen areas Qt gives the program: the screen in pixels divided by the Windows scaling.
SCREENS = {
    "1366x768@100%": (1366, 768),
    "1366x768@125%": (1093, 614),
    "1366x768@150%": (911, 512),
    "1920x1080@200%": (960, 540),
}
WORKING = ("status", "percent", "progress", "updated")


def _columns_out_of_view(window) -> list[str]:
    from desktop_app.ui.models.task_table_model import COLUMN_INDEX, COLUMNS

    view = window.task_view
    header = view.horizontalHeader()
    out = []
    for key in WORKING:
        i = COLUMN_INDEX[key]
        left = header.sectionViewportPosition(i)
        if header.isSectionHidden(i) or left < view.frozen_width() - 1 and i not in view.frozen_columns:
            out.append(COLUMNS[i].header)
        elif left + header.sectionSize(i) > view.viewport().width():
            out.append(COLUMNS[i].header)
    return out


@pytest.mark.parametrize("screen", list(SCREENS))
def test_first_start_shows_the_working_columns_without_scrolling(city, qtbot, monkeypatch, screen):
    """状态, 进度, 进展落实情况 and 最后更新 are in view, the table needs no sideways scroll, and the
    progress panel needs none either, on a first start at each of the office's screens."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QApplication, QScrollArea

    width, height = SCREENS[screen]
    monkeypatch.setattr(type(city), "_available", lambda self: QRect(0, 0, width, height))
    for key in city.qsettings.allKeys():
        city.qsettings.remove(key)
    city._restore_state()
    city.acts.sync_ledger_toggle()
    city.show()
    qtbot.waitExposed(city)
    QApplication.processEvents()
    assert city.width() <= width and city.height() <= height
    assert _columns_out_of_view(city) == []
    assert city.task_view.horizontalScrollBar().maximum() == 0
    dock_scroll = city.progress_dock.widget()
    assert isinstance(dock_scroll, QScrollArea)
    assert dock_scroll.horizontalScrollBar().maximum() == 0  # the progress panel fits its width
    # the ledger list folds away only where the table needs its room (150 %, 200 %), and comes back
    folded = width < 1024
    assert city.acts.toggle_ledgers.isChecked() is not folded
    city.acts.toggle_ledgers.trigger()
    assert city.ledger_list_shown() is folded
    city.acts.toggle_ledgers.trigger()
    assert city.ledger_list_shown() is not folded


def test_narrow_titles_break_onto_two_lines(city, qtbot, monkeypatch):
    """At 1366×768 150 % the working columns are narrow: their titles go on two lines, not cut."""
    from PySide6.QtCore import QRect

    from desktop_app.ui.models.task_table_model import COLUMN_INDEX
    from desktop_app.ui.widgets.task_view import WrapHeader, wrap_title

    assert wrap_title("进展落实情况") == "进展落实\n情况"
    assert wrap_title("最后更新") == "最后\n更新"
    assert wrap_title("状态") == "状态"
    monkeypatch.setattr(type(city), "_available", lambda self: QRect(0, 0, 911, 512))
    for key in city.qsettings.allKeys():
        city.qsettings.remove(key)
    city._restore_state()
    city.show()
    qtbot.waitExposed(city)
    header = city.task_view.horizontalHeader()
    assert isinstance(header, WrapHeader)
    assert header.two_lines()
    assert header.height() >= header.fontMetrics().lineSpacing() * 2
    i = COLUMN_INDEX["progress"]
    assert header.needs_wrap(i) and header.sectionSize(i) >= header.wrapped_width(i)


def test_screens_under_real_windows_scaling(tmp_path):
    """The same at 1366×768 with QT_SCALE_FACTOR=1.5, as Windows' 150 % scaling gives it: a first
    start in a program of its own on a screen of that size."""
    import json
    import os
    import subprocess
    import sys

    db = tmp_path / "city.sqlite3"
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": 1366, "height": 768,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    script = tmp_path / "probe.py"
    script.write_text(
        "import sys\n"
        "from desktop_app.app import create_window, ensure_app\n"
        "from desktop_app.ui.models.task_table_model import COLUMN_INDEX\n"
        "app = ensure_app()\n"
        "w = create_window(sys.argv[1])\n"
        "w.ctx.imports.import_file(sys.argv[2]) and w.reload_ledgers()\n"
        "w.show()\n"
        "for _ in range(20): app.processEvents()\n"
        "v = w.task_view; h = v.horizontalHeader(); a = w.screen().availableGeometry()\n"
        "cols = [h.sectionViewportPosition(COLUMN_INDEX[k]) + h.sectionSize(COLUMN_INDEX[k])\n"
        "        for k in ('status', 'percent', 'progress', 'updated')]\n"
        "print(a.width(), a.height(), max(cols) <= v.viewport().width(), v.horizontalScrollBar().maximum())\n"
        "w.shutdown()\n"
    )
    env = dict(os.environ, QT_SCALE_FACTOR="1.5", QT_QPA_PLATFORM=f"offscreen:configfile={screen}",
               HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "cfg"), XDG_DATA_HOME=str(tmp_path / "data"))
    out = subprocess.run(
        [sys.executable, str(script), str(db), str(DATA / "city-2023.docx")],
        env=env, capture_output=True, text=True, timeout=120, check=True,
    ).stdout.split()
    assert out == ["911", "512", "True", "0"]


# ---- the 适老化 scale counts as display scaling (issue 13) ----------------------------------------------
# Screens at Windows 100 %, the program's own font scale on top.
PHYSICAL = {"1366x768": (1366, 768), "1920x1080": (1920, 1080)}
APP_SCALES = (100, 125, 150, 200)


@pytest.fixture
def scaled(city):
    """The city window; the application font is global: it is left at 100 % afterwards."""
    yield city
    city.apply_font_scale(100)


def _text_rect(view, row: int, column: int):
    """Where the cell's text goes, as the delegate lays the cell out (margins, status icon)."""
    from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

    index = view.model().index(row, column)
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualRect(index)
    view.itemDelegate().initStyleOption(option, index)
    rect = view.style().subElementRect(QStyle.SE_ItemViewItemText, option, view)
    margin = view.style().pixelMetric(QStyle.PM_FocusFrameHMargin, None, view) + 1  # as QCommonStyle draws
    return option, rect.adjusted(margin, 0, -margin, 0)


def _clipped_cells(view) -> list[str]:
    """状态 texts that do not fit their cell (wrapped, in the cell's font), 进度 and 最后更新 texts
    (and their longest forms, 100% and a date) that do not fit on one line."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QFontMetrics

    from desktop_app.ui.models.task_table_model import COLUMN_INDEX

    model = view.model()
    bad = []
    task_rows = [r for r in range(model.rowCount()) if model.task_id_at(r) is not None]
    assert task_rows
    for row in task_rows:
        option, rect = _text_rect(view, row, COLUMN_INDEX["status"])
        text = option.text
        laid = QFontMetrics(option.font).boundingRect(QRect(0, 0, rect.width(), 1 << 16), Qt.TextWordWrap, text)
        if laid.width() > rect.width() or laid.height() > rect.height():
            bad.append(f"状态 {text!r}: {laid.width()}×{laid.height()} in {rect.width()}×{rect.height()}")
    row = task_rows[0]
    for key, longest in (("percent", "100%"), ("updated", "2026-12-01")):
        option, rect = _text_rect(view, row, COLUMN_INDEX[key])
        metrics = QFontMetrics(option.font)
        for text in {option.text, longest}:
            if metrics.horizontalAdvance(text) > rect.width():
                bad.append(f"{key} {text!r} wider than {rect.width()}")
    return bad


def _first_start(window, qtbot, monkeypatch, width: int, height: int, percent: int) -> None:
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QApplication

    monkeypatch.setattr(type(window), "_available", lambda self: QRect(0, 0, width, height))
    window.ctx.settings.set("font_scale", str(percent))
    window.apply_font_scale(window.font_scale())
    for key in window.qsettings.allKeys():
        window.qsettings.remove(key)
    window._restore_state()
    window.acts.sync_ledger_toggle()
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()


def _assert_fits(window, width: int, height: int, percent: int) -> None:
    from PySide6.QtWidgets import QScrollArea

    view = window.task_view
    assert window.width() <= width and window.height() <= height
    assert _columns_out_of_view(window) == []
    assert view.horizontalScrollBar().maximum() == 0
    dock_scroll = window.progress_dock.widget()
    assert isinstance(dock_scroll, QScrollArea)
    assert dock_scroll.horizontalScrollBar().maximum() == 0
    assert _clipped_cells(view) == []
    # the rows hold two lines of the scaled font
    assert view.verticalHeader().defaultSectionSize() >= 2 * view.fontMetrics().lineSpacing()
    assert view.frozen.verticalHeader().defaultSectionSize() == view.verticalHeader().defaultSectionSize()
    # the ledger list folds away where the scaled width is narrow, as with Windows scaling
    folded = width * 100 / percent < 1024
    assert window.ledger_list_shown() is not folded
    assert window.acts.toggle_ledgers.isChecked() is not folded


@pytest.mark.parametrize("percent", APP_SCALES)
@pytest.mark.parametrize("screen", list(PHYSICAL))
def test_working_columns_in_view_at_every_font_scale(scaled, qtbot, monkeypatch, screen, percent):
    """At 适老化 125/150/200 % the window is laid out as Windows scaling by as much would lay it out:
    状态, 进度, 进展落实情况 and 最后更新 in view without sideways scrolling, every 状态 text of the
    ledger whole in its cell in the scaled font, 进度 and the dates on one line, rows two lines high."""
    width, height = PHYSICAL[screen]
    _first_start(scaled, qtbot, monkeypatch, width, height, percent)
    base = scaled._base_font.pointSizeF()
    assert scaled.task_view.font().pointSizeF() == pytest.approx(base * percent / 100, abs=0.1)
    _assert_fits(scaled, width, height, percent)


def _indicator_width(box) -> int:
    from PySide6.QtWidgets import QStyle, QStyleOptionButton

    option = QStyleOptionButton()
    box.initStyleOption(option)
    return box.style().subElementRect(QStyle.SE_CheckBoxIndicator, option, box).width()


def test_changing_the_font_scale_lays_the_open_window_out_again(scaled, qtbot, monkeypatch):
    """放大字号 while the window is open: no restart; the window takes the screen, the ledger list folds
    away, columns and rows grow, the working columns stay in view; back at 100 % it is as it was."""
    from PySide6.QtWidgets import QApplication, QCheckBox

    from desktop_app.ui.models.task_table_model import COLUMN_INDEX

    _first_start(scaled, qtbot, monkeypatch, 1920, 1080, 100)
    view = scaled.task_view
    header = view.horizontalHeader()
    before = {k: header.sectionSize(COLUMN_INDEX[k]) for k in ("status", "percent", "updated")}
    row = view.verticalHeader().defaultSectionSize()
    assert scaled.ledger_list_shown() and (scaled.width(), scaled.height()) == (1440, 900)
    box = scaled.filter_bar.findChildren(QCheckBox)[0]
    tick = _indicator_width(box)
    for _ in range(10):
        scaled.acts.zoom_in.trigger()
    QApplication.processEvents()
    assert scaled.ctx.settings.get("font_scale") == "200"  # the one remembered setting
    assert scaled.width() > 1440 and scaled.height() > 900
    _assert_fits(scaled, 1920, 1080, 200)
    for key, width in before.items():
        assert header.sectionSize(COLUMN_INDEX[key]) > width * 1.5, key
    assert view.verticalHeader().defaultSectionSize() > row * 1.5
    assert _indicator_width(box) >= tick * 1.8  # check boxes grow with their text
    for _ in range(10):
        scaled.acts.zoom_out.trigger()
    QApplication.processEvents()
    assert scaled.ctx.settings.get("font_scale") == "100"
    assert view.verticalHeader().defaultSectionSize() == row
    assert _indicator_width(box) == tick
    assert scaled.ledger_list_shown()  # folded for the scale alone: back with it
    assert scaled.acts.toggle_ledgers.isChecked()
    _assert_fits(scaled, 1920, 1080, 100)


def test_the_settings_dialog_scale_re_lays_out_the_window(scaled, qtbot, monkeypatch):
    """字号 in 设置 (the other way to the same setting) lays the window out at once too."""
    from PySide6.QtWidgets import QApplication

    _first_start(scaled, qtbot, monkeypatch, 1366, 768, 100)
    assert scaled.ledger_list_shown()

    def accept(dialog):
        dialog.scale.setValue(150)
        return True

    monkeypatch.setattr(scaled, "run_dialog", accept)
    scaled.open_settings()
    QApplication.processEvents()
    assert scaled.ctx.settings.get("font_scale") == "150"
    _assert_fits(scaled, 1366, 768, 150)
