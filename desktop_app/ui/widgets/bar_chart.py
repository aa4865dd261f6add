"""A small horizontal bar chart painted with QPainter (no QtCharts)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    maximum: float
    color: str
    text: str  # shown right of the bar, e.g. "12 项" or "3/5（60%）"


class BarChart(QWidget):
    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self._bars: list[Bar] = []
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)

    def set_bars(self, bars: list[Bar]) -> None:
        self._bars = list(bars)
        self.updateGeometry()
        self.update()

    def bars(self) -> list[Bar]:
        return list(self._bars)

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 8

    def sizeHint(self) -> QSize:
        title = self.fontMetrics().height() + 10 if self._title else 0
        return QSize(420, title + max(1, len(self._bars)) * self._row_height() + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self.sizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        fm = self.fontMetrics()
        y = 4.0
        if self._title:
            font = p.font()
            font.setBold(True)
            p.setFont(font)
            p.drawText(
                QRectF(4, y, self.width() - 8, fm.height() + 4), Qt.AlignLeft | Qt.AlignVCenter, self._title
            )
            p.setFont(self.font())
            y += fm.height() + 10
        if not self._bars:
            p.setPen(QColor("#78909c"))
            p.drawText(QRectF(4, y, self.width() - 8, fm.height() + 4), Qt.AlignLeft, "暂无数据")
            return
        label_w = min(max(fm.horizontalAdvance(b.label) for b in self._bars) + 12, self.width() * 0.4)
        text_w = max(fm.horizontalAdvance(b.text) for b in self._bars) + 12
        bar_w = max(20.0, self.width() - label_w - text_w - 8)
        row_h = self._row_height()
        for bar in self._bars:
            p.setPen(self.palette().color(self.foregroundRole()))
            label = fm.elidedText(bar.label, Qt.ElideMiddle, int(label_w - 8))
            p.drawText(QRectF(4, y, label_w - 8, row_h), Qt.AlignRight | Qt.AlignVCenter, label)
            track = QRectF(label_w, y + 3, bar_w, row_h - 6)
            p.setPen(Qt.NoPen)
            p.setBrush(QColor("#eceff1"))
            p.drawRoundedRect(track, 3, 3)
            share = 0 if bar.maximum <= 0 else max(0.0, min(1.0, bar.value / bar.maximum))
            if share > 0:
                color = QColor(bar.color)
                p.setBrush(color)
                p.setPen(QPen(color.darker(135), 1))
                p.drawRoundedRect(
                    QRectF(track.left(), track.top(), max(3.0, bar_w * share), track.height()), 3, 3
                )
            p.setPen(self.palette().color(self.foregroundRole()))
            p.drawText(
                QRectF(label_w + bar_w + 6, y, text_w, row_h), Qt.AlignLeft | Qt.AlignVCenter, bar.text
            )
            y += row_h
