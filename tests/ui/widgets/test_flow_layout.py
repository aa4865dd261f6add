"""FlowLayout: wraps its items; asked for its size while a window is torn down (its items' C++ side
already deleted) it answers instead of raising, which crashed PySide6 6.9 (the Windows build's) in
shiboken at every exit of the program."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QLabel, QWidget

from desktop_app.ui.widgets.flow_layout import FlowLayout


def test_items_wrap_onto_more_lines_when_narrow(qtbot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    layout = FlowLayout(host, spacing=4)
    for text in ("已逾期", "临期", "即将到期", "未开始", "推进中"):
        layout.addWidget(QLabel(text))
    wide = layout.heightForWidth(2000)
    assert layout.heightForWidth(60) > wide  # one per line, taller
    assert layout.count() == 5


def test_sizes_asked_after_the_items_are_deleted_do_not_raise(qtbot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    layout = FlowLayout(host)
    first, second = QLabel("第一"), QLabel("第二")
    layout.addWidget(first)
    layout.addWidget(second)
    shiboken6.delete(layout.itemAt(0))  # as Qt does while the window is destroyed
    size = layout.minimumSize()  # raised RuntimeError (Internal C++ object already deleted)
    assert size.width() >= second.minimumSizeHint().width()
    assert layout.count() == 1
    layout.heightForWidth(100)
