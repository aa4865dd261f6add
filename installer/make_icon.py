"""Draw the program icon (a ledger sheet with a red seal) and write resources/icons/app.png and app.ico.

Run once when the design changes; the outputs are committed. Needs only PySide6 (no Pillow):
``QT_QPA_PLATFORM=offscreen python installer/make_icon.py``.
The .ico holds 16, 20, 24, 32, 40, 48, 64 and 128 px as 32-bit DIBs (what NSIS and old shells read)
and 256 px as PNG (what Windows Vista+ expects for the large size).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)

SEAL_RED = QColor(200, 30, 30)
INK = QColor(40, 62, 100)


def draw(size: int) -> QImage:
    """Draw the icon at ``size`` px, on a 256-unit canvas scaled down (small sizes drop detail)."""
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256.0, size / 256.0)
    small = size <= 24

    # The sheet: white paper with a blue-grey border and a folded corner.
    sheet = QPainterPath()
    sheet.moveTo(40, 16)
    sheet.lineTo(176, 16)
    sheet.lineTo(220, 60)
    sheet.lineTo(220, 240)
    sheet.lineTo(40, 240)
    sheet.closeSubpath()
    grad = QLinearGradient(QPointF(40, 16), QPointF(220, 240))
    grad.setColorAt(0.0, QColor(255, 255, 255))
    grad.setColorAt(1.0, QColor(232, 236, 242))
    p.setBrush(QBrush(grad))
    p.setPen(
        QPen(
            INK, 14 if small else 9, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
        )
    )
    p.drawPath(sheet)
    fold = QPainterPath()
    fold.moveTo(176, 16)
    fold.lineTo(176, 60)
    fold.lineTo(220, 60)
    p.setBrush(QColor(200, 208, 220))
    p.drawPath(fold)

    # The ledger table: a header band and ruled rows with a column line.
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(INK)
    p.drawRect(QRectF(62, 72, 136, 22 if not small else 28))
    if small:
        p.setBrush(QColor(90, 110, 140))
        for y in (118, 156):
            p.drawRect(QRectF(62, y, 136, 16))
    else:
        p.setPen(QPen(QColor(90, 110, 140), 6))
        for y in (118, 144, 170, 196, 222):
            p.drawLine(QPointF(62, y), QPointF(198, y))
        p.drawLine(QPointF(96, 94), QPointF(96, 222))

    # The red seal: a ring with a star, overlapping the lower right corner like a stamp.
    cx, cy, r = 178.0, 190.0, 52.0 if not small else 62.0
    p.setBrush(QColor(255, 255, 255, 150))
    p.setPen(QPen(SEAL_RED, 10 if not small else 16))
    p.drawEllipse(QPointF(cx, cy), r, r)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(SEAL_RED)
    star = QPainterPath()
    import math

    outer, inner = (26.0, 10.5) if not small else (32.0, 13.0)
    for i in range(10):
        rad = outer if i % 2 == 0 else inner
        ang = -math.pi / 2 + i * math.pi / 5
        pt = QPointF(cx + rad * math.cos(ang), cy + rad * math.sin(ang))
        if i == 0:
            star.moveTo(pt)
        else:
            star.lineTo(pt)
    star.closeSubpath()
    p.drawPath(star)
    p.end()
    return img


def png_bytes(img: QImage) -> bytes:
    ba = QByteArray()
    buf = QBuffer(ba)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    buf.close()
    return bytes(ba.data())


def dib_bytes(img: QImage) -> bytes:
    """A 32-bit BGRA DIB with AND mask, as stored inside .ico files (height doubled, bottom-up)."""
    img = img.convertToFormat(QImage.Format.Format_ARGB32)
    w, h = img.width(), img.height()
    header = struct.pack("<IiiHHIIiiII", 40, w, h * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    pixels = bytearray()
    mask_stride = ((w + 31) // 32) * 4
    mask = bytearray()
    for y in range(h - 1, -1, -1):
        mrow = bytearray(mask_stride)
        for x in range(w):
            c = img.pixelColor(x, y)
            pixels += bytes((c.blue(), c.green(), c.red(), c.alpha()))
            if c.alpha() == 0:
                mrow[x // 8] |= 0x80 >> (x % 8)
        mask += mrow
    return header + bytes(pixels) + bytes(mask)


def ico_bytes(images: list[QImage]) -> bytes:
    entries = []
    blobs = []
    offset = 6 + 16 * len(images)
    for img in images:
        size = img.width()
        blob = png_bytes(img) if size >= 256 else dib_bytes(img)
        dim = 0 if size >= 256 else size
        entries.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset))
        blobs.append(blob)
        offset += len(blob)
    return struct.pack("<HHH", 0, 1, len(images)) + b"".join(entries) + b"".join(blobs)


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    ICONS.mkdir(parents=True, exist_ok=True)
    draw(256).save(str(ICONS / "app.png"), "PNG")
    (ICONS / "app.ico").write_bytes(ico_bytes([draw(s) for s in ICO_SIZES]))
    print(f"wrote {ICONS / 'app.png'} and {ICONS / 'app.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
