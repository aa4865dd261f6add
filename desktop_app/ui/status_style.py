"""How a display status looks: colours, a painted icon and a text, so nothing depends on colour alone."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

# Fallbacks used when domain.status gives no colour (names follow DisplayStatus members).
_FALLBACK = {
    "DONE": ("#43a047", "#ffffff", "已完成"),
    "OVERDUE": ("#e53935", "#ffffff", "已逾期"),
    "DUE_VERY_SOON": ("#fb8c00", "#ffffff", "临期"),
    "DUE_SOON": ("#fdd835", "#3e2723", "即将到期"),
    "ONGOING": ("#1e88e5", "#ffffff", "持续推进"),
    "IN_PROGRESS": ("#90caf9", "#0d47a1", "推进中"),
    "NOT_STARTED": ("#cfd8dc", "#263238", "未开始"),
}
STALE_COLOR = "#8e24aa"
STALE_LABEL = "待更新"


def _name(status: object) -> str:
    return getattr(status, "name", str(status))


_colors: dict[object, QColor] = {}
_text_colors: dict[object, QColor] = {}
_tints: dict[object, QColor] = {}


def status_color(status: object) -> QColor:
    color = _colors.get(status)
    if color is None:
        value = getattr(status, "color", None) or _FALLBACK.get(_name(status), ("#9e9e9e",))[0]
        color = _colors[status] = QColor(value)
    return color


def status_text_color(status: object) -> QColor:
    color = _text_colors.get(status)
    if color is None:
        value = getattr(status, "text_color", None) or _FALLBACK.get(_name(status), ("", "#000000"))[1]
        color = _text_colors[status] = QColor(value)
    return color


def status_label(status: object) -> str:
    return getattr(status, "label", None) or _FALLBACK.get(_name(status), ("", "", _name(status)))[2]


def status_tint(status: object) -> QColor:
    """A light version of the status colour for whole-row backgrounds."""
    color = status_color(status)
    return QColor.fromHsvF(
        color.hsvHueF() if color.hsvHueF() >= 0 else 0, min(color.hsvSaturationF(), 1) * 0.18, 1.0
    )


def status_strong(status: object) -> QColor:
    """A stronger tone between the pastel background and the text colour: for chart bars."""
    bg, fg = status_color(status), status_text_color(status)
    if bg.lightness() > 245:  # white (未开始): use a grey
        return QColor("#90a4ae")
    t = 0.35
    return QColor(
        int(bg.red() * (1 - t) + fg.red() * t),
        int(bg.green() * (1 - t) + fg.green() * t),
        int(bg.blue() * (1 - t) + fg.blue() * t),
    )


def display_text(status: object, stale: bool) -> str:
    label = status_label(status)
    return f"{label}·{STALE_LABEL}" if stale else label


def _draw_shape(p: QPainter, name: str, r: QRectF, fg: QColor) -> None:
    pen = QPen(fg, max(1.5, r.width() / 8), Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.NoBrush)
    cx, cy, w = r.center().x(), r.center().y(), r.width()
    if name == "DONE":  # a check mark
        path = QPainterPath(QPointF(cx - w * 0.25, cy))
        path.lineTo(cx - w * 0.05, cy + w * 0.2)
        path.lineTo(cx + w * 0.28, cy - w * 0.2)
        p.drawPath(path)
    elif name in ("OVERDUE", "DUE_VERY_SOON"):  # an exclamation mark
        p.drawLine(QPointF(cx, cy - w * 0.28), QPointF(cx, cy + w * 0.06))
        p.drawPoint(QPointF(cx, cy + w * 0.24))
    elif name == "DUE_SOON":  # clock hands
        p.drawLine(QPointF(cx, cy), QPointF(cx, cy - w * 0.26))
        p.drawLine(QPointF(cx, cy), QPointF(cx + w * 0.2, cy))
    elif name == "ONGOING":  # a loop: two arcs
        rr = QRectF(cx - w * 0.24, cy - w * 0.24, w * 0.48, w * 0.48)
        p.drawArc(rr, 30 * 16, 150 * 16)
        p.drawArc(rr, 210 * 16, 150 * 16)
    elif name == "IN_PROGRESS":  # half-filled
        p.setBrush(QBrush(fg))
        p.setPen(Qt.NoPen)
        rr = QRectF(cx - w * 0.25, cy - w * 0.25, w * 0.5, w * 0.5)
        p.drawPie(rr, 90 * 16, 180 * 16)
    else:  # not started: a small ring
        p.drawEllipse(QRectF(cx - w * 0.18, cy - w * 0.18, w * 0.36, w * 0.36))


@lru_cache(maxsize=64)
def _icon(name: str, bg: str, fg: str, stale: bool, size: int) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(Qt.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.Antialiasing)
    r = QRectF(1, 1, size - 2, size - 2)
    p.setPen(QPen(QColor(bg).darker(130), 1))
    p.setBrush(QColor(bg))
    if name == "DUE_VERY_SOON":  # a triangle, so it differs from overdue by shape too
        path = QPainterPath(QPointF(r.center().x(), r.top()))
        path.lineTo(r.bottomRight())
        path.lineTo(r.bottomLeft())
        path.closeSubpath()
        p.drawPath(path)
        _draw_shape(p, name, r.adjusted(0, size * 0.12, 0, size * 0.12), QColor(fg))
    elif name == "DUE_SOON":  # a rounded square
        p.drawRoundedRect(r, size * 0.2, size * 0.2)
        _draw_shape(p, name, r, QColor(fg))
    else:
        p.drawEllipse(r)
        _draw_shape(p, name, r, QColor(fg))
    if stale:  # a purple dot in the corner: 待更新
        d = size * 0.42
        p.setPen(QPen(QColor("#ffffff"), 1))
        p.setBrush(QColor(STALE_COLOR))
        p.drawEllipse(QRectF(size - d - 0.5, 0.5, d, d))
    p.end()
    return QIcon(pix)


def status_icon(status: object, stale: bool = False, size: int = 32) -> QIcon:
    """Painted at 32 px: QIcon scales it down crisply for 16 px and keeps it sharp at 200%."""
    return _icon(_name(status), status_color(status).name(), status_text_color(status).name(), stale, size)
