"""Every status has a colour, a text colour, a label and an icon of its own shape."""

from __future__ import annotations

from desktop_app.domain.status import DisplayStatus
from desktop_app.ui import status_style


def test_each_status_has_label_colours_and_icon(qapp):
    images = set()
    for st in DisplayStatus:
        assert status_style.status_label(st) == st.label
        assert status_style.status_color(st).isValid()
        assert status_style.status_text_color(st).isValid()
        icon = status_style.status_icon(st)
        assert not icon.isNull()
        images.add(bytes(icon.pixmap(16, 16).toImage().constBits()))
    assert len(images) == len(DisplayStatus)  # no two statuses look the same


def test_stale_is_marked_in_text_and_icon(qapp):
    assert status_style.display_text(DisplayStatus.IN_PROGRESS, True) == "推进中·待更新"
    plain = status_style.status_icon(DisplayStatus.IN_PROGRESS, False).pixmap(16, 16).toImage()
    stale = status_style.status_icon(DisplayStatus.IN_PROGRESS, True).pixmap(16, 16).toImage()
    assert plain != stale


def test_strong_colour_for_bars(qapp):
    assert (
        status_style.status_strong(DisplayStatus.OVERDUE).lightness()
        < status_style.status_color(DisplayStatus.OVERDUE).lightness()
    )
