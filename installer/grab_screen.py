"""Save a screenshot of the X display in $DISPLAY and print its size and how much of it is not black.

    QT_QPA_PLATFORM=xcb python3 installer/grab_screen.py OUT.png     ->  "1280x1024 0.43"

Used by installer/check_windows.sh: the program under Wine draws its main window on a virtual display
(Xvfb, black until a window is drawn; there is no window manager, so no frame).
"""

import sys

from PySide6.QtGui import QGuiApplication


def main(out: str) -> int:
    app = QGuiApplication(["grab_screen"])
    image = app.primaryScreen().grabWindow(0).toImage()
    step = 8  # a sample of the pixels is enough to tell a drawn window from a black screen
    pixels = [
        image.pixel(x, y) & 0xFFFFFF
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
    ]
    drawn = sum(p != 0 for p in pixels) / max(1, len(pixels))
    if not image.save(out):
        print(f"cannot write {out}", file=sys.stderr)
        return 1
    print(f"{image.width()}x{image.height()} {drawn:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
