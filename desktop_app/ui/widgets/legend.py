"""The status legend: icon, colour and text of every display status (for the status bar)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from desktop_app.domain.status import DisplayStatus
from desktop_app.ui import status_style
from desktop_app.ui.widgets.flow_layout import FlowLayout


class StatusLegend(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusLegend")
        self._icons: list[tuple[QLabel, object, bool]] = []
        layout = FlowLayout(self, spacing=4)  # wraps onto a second line at large font sizes
        caption = QLabel("图例：")
        layout.addWidget(caption)
        entries = [(st, False, st.label) for st in sorted(DisplayStatus, key=lambda s: s.sort_key)]
        entries.append((DisplayStatus.IN_PROGRESS, True, status_style.STALE_LABEL))
        for status, stale, label in entries:
            item = QWidget()
            row = QHBoxLayout(item)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(2)
            icon = QLabel()
            icon.setPixmap(status_style.status_icon(status, stale).pixmap(14, 14))
            self._icons.append((icon, status, stale))
            text = QLabel(label)
            bg = status_style.status_color(status).name()
            fg = status_style.STALE_COLOR if stale else status_style.status_text_color(status).name()
            text.setStyleSheet(f"background:{bg}; color:{fg}; padding:0 3px; border-radius:3px")
            row.addWidget(icon)
            row.addWidget(text)
            layout.addWidget(item)

    def apply_scale(self, percent: int) -> None:
        size = max(14, 14 * percent // 100)
        for label, status, stale in self._icons:
            label.setPixmap(status_style.status_icon(status, stale).pixmap(size, size))
