"""installer/bundle_filter.py: what of PyInstaller's analysis goes into the bundle (Linux and Windows names)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "installer"))
from bundle_filter import drop_orphan_system_libs, keep  # noqa: E402

KEPT = [
    # Linux wheel layout
    "PySide6/Qt/lib/libQt6Core.so.6",
    "PySide6/Qt/lib/libQt6Gui.so.6",
    "PySide6/Qt/lib/libQt6Widgets.so.6",
    "PySide6/Qt/lib/libQt6PrintSupport.so.6",
    "PySide6/Qt/lib/libQt6XcbQpa.so.6",
    "PySide6/Qt/lib/libicudata.so.73",
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/imageformats/libqico.so",
    "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
    "PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so",
    "PySide6/Qt/translations/qtbase_zh_CN.qm",
    "PySide6/Qt/translations/qt_zh_CN.qm",
    "PySide6/QtCore.abi3.so",
    "PySide6/QtWidgets.abi3.so",
    "PySide6/libpyside6.abi3.so.6.11",
    "shiboken6/libshiboken6.abi3.so.6.11",
    "libpython3.11.so.1.0",
    # Windows wheel layout
    "PySide6\\Qt6Core.dll",
    "PySide6\\Qt6Gui.dll",
    "PySide6\\Qt6Widgets.dll",
    "PySide6\\Qt6PrintSupport.dll",
    "PySide6\\plugins\\platforms\\qwindows.dll",
    "PySide6\\plugins\\styles\\qmodernwindowsstyle.dll",
    "PySide6\\plugins\\printsupport\\windowsprintersupport.dll",
    "PySide6\\plugins\\imageformats\\qjpeg.dll",
    "PySide6\\translations\\qtbase_zh_CN.qm",
    "PySide6\\QtGui.pyd",
    "PySide6\\pyside6.abi3.dll",
    "PySide6\\msvcp140.dll",
    "python311.dll",
    # ours and other packages (a folder called plugins outside PySide6 is not Qt's)
    "resources/icons/app.ico",
    "desktop_app/storage/migrations/versions/0001_initial_ledger_schema.py",
    "docx/templates/default.docx",
    "somepkg/plugins/thing.py",
]

DROPPED = [
    "PySide6/Qt/lib/libQt6Network.so.6",
    "PySide6/Qt/lib/libQt6Pdf.so.6",
    "PySide6/Qt/lib/libQt6Qml.so.6",
    "PySide6/Qt/lib/libQt6Quick.so.6",
    "PySide6/Qt/lib/libQt6WaylandClient.so.6",
    "PySide6/Qt/lib/libQt6WebEngineCore.so.6",
    "PySide6/Qt/plugins/platforms/libqwayland-egl.so",
    "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "PySide6/Qt/plugins/imageformats/libqpdf.so",
    "PySide6/Qt/plugins/imageformats/libqtiff.so",
    "PySide6/Qt/plugins/tls/libqopensslbackend.so",
    "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
    "PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-kms-integration.so",
    "PySide6/Qt/translations/qtbase_de.qm",
    "PySide6/Qt/translations/qt_help_zh_CN.qm",
    "PySide6/Qt/qml/QtQuick/Controls/libqtquickcontrols2plugin.so",
    "PySide6/QtNetwork.abi3.so",
    "PySide6\\Qt6Network.dll",
    "PySide6\\Qt6Pdf.dll",
    "PySide6\\Qt6Quick.dll",
    "PySide6\\opengl32sw.dll",
    "PySide6\\d3dcompiler_47.dll",
    "PySide6\\plugins\\platforms\\qdirect2d.dll",
    "PySide6\\plugins\\generic\\qtuiotouchplugin.dll",
    "PySide6\\plugins\\imageformats\\qwebp.dll",
    "PySide6\\translations\\qtbase_ja.qm",
    "PySide6\\QtNetwork.pyd",
    "PySide6\\QtWebEngineProcess.exe",
    "PySide6\\resources\\icudtl.dat",
    "PySide6/Qt/resources/qtwebengine_resources.pak",
]


@pytest.mark.parametrize("dest", KEPT)
def test_kept(dest: str) -> None:
    assert keep(dest)


@pytest.mark.parametrize("dest", DROPPED)
def test_dropped(dest: str) -> None:
    assert not keep(dest)


def test_orphan_system_libs_are_dropped() -> None:
    binaries = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/src/libqxcb.so", "BINARY"),
        ("lxml/etree.cpython-311-x86_64-linux-gnu.so", "/src/etree.so", "EXTENSION"),
        ("libxcb-icccm.so.4", "/usr/lib/libxcb-icccm.so.4", "BINARY"),
        ("libxml2.so.2", "/usr/lib/libxml2.so.2", "BINARY"),
        ("libgtk-3.so.0", "/usr/lib/libgtk-3.so.0", "BINARY"),  # only the dropped qgtk3 wanted it
        ("libpython3.11.so.1.0", "/py/libpython3.11.so.1.0", "BINARY"),
    ]
    imports = {
        "/src/libqxcb.so": [("libxcb-icccm.so.4", "/usr/lib/libxcb-icccm.so.4")],
        "/src/etree.so": [("libxml2.so.2", "/usr/lib/libxml2.so.2")],
        "/py/libpython3.11.so.1.0": [],
    }
    kept = drop_orphan_system_libs(binaries, lambda src: imports[src])
    assert [d for d, _s, _k in kept] == [
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "lxml/etree.cpython-311-x86_64-linux-gnu.so",
        "libxcb-icccm.so.4",
        "libxml2.so.2",
        "libpython3.11.so.1.0",
    ]


def test_unreadable_binary_keeps_everything() -> None:
    binaries = [("PySide6/QtCore.abi3.so", "/x", "EXTENSION"), ("libfoo.so.1", "/y", "BINARY")]

    def broken(src: str):
        raise OSError("ldd failed")

    assert drop_orphan_system_libs(binaries, broken) == binaries
