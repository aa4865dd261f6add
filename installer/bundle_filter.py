"""Which files of a PyInstaller analysis go into the bundle: the Qt parts the program uses, nothing else.

Imported by installer/desktop_app.spec (after ``Analysis``) and tested on its own with Linux- and
Windows-style destination names (tests/installer/test_bundle_filter.py).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

# PySide6 modules the program never imports: excluded from analysis, and their files dropped.
EXCLUDED_QT = [
    "QtWebEngine", "QtWebEngineCore", "QtWebEngineWidgets", "QtWebEngineQuick", "QtWebChannel",
    "QtWebSockets", "QtWebView", "QtQuick", "QtQuick3D", "QtQuickControls2", "QtQuickWidgets",
    "QtQml", "Qt3DCore", "Qt3DRender", "Qt3DInput", "Qt3DLogic", "Qt3DAnimation", "Qt3DExtras",
    "QtMultimedia", "QtMultimediaWidgets", "QtSpatialAudio", "QtCharts", "QtDataVisualization",
    "QtGraphs", "QtGraphsWidgets", "QtPdf", "QtPdfWidgets", "QtBluetooth", "QtNfc", "QtSensors",
    "QtSerialPort", "QtSerialBus", "QtNetworkAuth", "QtDesigner", "QtUiTools", "QtHelp", "QtTest",
    "QtPositioning", "QtLocation", "QtRemoteObjects", "QtScxml", "QtStateMachine", "QtTextToSpeech",
    "QtHttpServer", "QtOpenGL", "QtOpenGLWidgets", "QtSql", "QtConcurrent", "QtAxContainer",
    "QtDBus", "QtNetwork", "QtXml", "QtSvgWidgets",
]  # fmt: skip

# Qt shared libraries kept (libQt6<X>.so.6 / Qt6<X>.dll); every other Qt library is dropped.
# DBus, OpenGL and XcbQpa: the xcb platform plugin and its GL integration link them (Linux only).
QT_LIBS_KEEP = {"Core", "Gui", "Widgets", "PrintSupport", "Svg", "XcbQpa", "DBus", "OpenGL"}

# Qt plugin folder -> plugin names kept (None: all of them). Folders not listed are dropped.
PLUGIN_KEEP: dict[str, set[str] | None] = {
    "platforms": {"qwindows", "qoffscreen", "qminimal", "qxcb"},
    "imageformats": {"qico", "qjpeg", "qgif", "qsvg"},
    "styles": None,  # qmodernwindowsstyle on Windows
    "printsupport": None,  # windowsprintersupport / cupsprintersupport
    "iconengines": {"qsvgicon"},
    # Not qgtk3: it drags the build machine's GTK 3 stack (~15 MB) into the bundle, and a foreign
    # libgtk on UOS/Kylin is worse than Qt's own dialogs. The portal theme only needs D-Bus.
    "platformthemes": {"qxdgdesktopportal"},
    "xcbglintegrations": None,
    "platforminputcontexts": {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"},
}

TRANSLATIONS_KEEP = {"qt_zh_CN.qm", "qtbase_zh_CN.qm"}

_QT_LIB = re.compile(r"^(?:lib)?Qt6(\w+?)(?:\.so(?:\.[\d.]+)?|\.dll)$", re.I)
_PYSIDE_MODULE = re.compile(r"^(Qt\w+)\.(?:abi3\.so|pyd|pyi)$")


def keep(dest: str) -> bool:
    """Should the file at ``dest`` (its path inside the bundle, / or \\ separated) be bundled?"""
    parts = re.split(r"[\\/]", dest)
    name = parts[-1]
    lname = name.lower()
    low = "/".join(parts).lower()
    in_pyside = low.startswith("pyside6/")

    if in_pyside and "/plugins/" in low and len(parts) >= 2:
        group = parts[-2]
        if group not in PLUGIN_KEEP:
            return False
        allowed = PLUGIN_KEEP[group]
        if allowed is None:
            return True
        stem = re.sub(r"^lib", "", name.split(".")[0])
        return stem in allowed
    if in_pyside and "/translations/" in low:
        return name in TRANSLATIONS_KEEP if lname.endswith(".qm") else True
    if in_pyside and ("/qml/" in low or "qtwebengine" in lname or "/resources/" in low):
        return False  # QML modules; WebEngine's Chromium resources (icudtl.dat, *.pak) live in resources/
    if in_pyside and lname.startswith(("opengl32sw", "d3dcompiler")):
        return False  # software OpenGL / Direct3D compiler (~25 MB): Widgets paint with the raster engine
    m = _QT_LIB.match(name)
    if m and (in_pyside or "/" not in low):
        return m.group(1) in QT_LIBS_KEEP
    m = _PYSIDE_MODULE.match(name)
    if m and in_pyside:
        return m.group(1) not in EXCLUDED_QT
    return True


def _is_loose_system_lib(dest: str) -> bool:
    """A bare lib*.so* at the top of the bundle: collected only because something linked it."""
    return (
        "/" not in dest.replace("\\", "/")
        and dest.startswith("lib")
        and ".so" in dest
        and not dest.startswith(("libpython", "libpyside", "libshiboken"))
    )


def drop_orphan_system_libs(
    binaries: Iterable[tuple[str, str, str]],
    get_imports: Callable[[str], Iterable[tuple[str, str | None]]],
) -> list[tuple[str, str, str]]:
    """Linux: drop top-level system libraries that only the pruned plugins needed (GTK, Wayland ...).

    Roots are everything else (extension modules, Qt libraries, kept plugins, libpython); ``ldd``
    (PyInstaller's ``get_imports`` on Linux) lists each root's whole dependency closure, so one pass
    finds what is still used. If a file cannot be read, everything is kept.
    """
    binaries = list(binaries)
    needed: set[str] = set()
    for dest, src, _kind in binaries:
        if _is_loose_system_lib(dest):
            continue
        try:
            needed.update(Path(name).name for name, _path in get_imports(src))
        except Exception as exc:  # noqa: BLE001 - keep everything rather than break the build
            print(f"bundle_filter: cannot read imports of {src}: {exc}", file=sys.stderr)
            return binaries
    return [e for e in binaries if not _is_loose_system_lib(e[0]) or e[0] in needed]
