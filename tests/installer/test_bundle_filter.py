"""installer/bundle_filter.py: what of PyInstaller's analysis goes into the bundle (Linux and Windows names)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "installer"))
from bundle_filter import drop_orphan_system_libs, elf_needed, keep  # noqa: E402

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
    "docx/templates/default-styles.xml",
    "docx\\templates\\default-header.xml",
    "somepkg/plugins/thing.py",
]

DROPPED = [
    "docx/templates/default-docx-template/word/styles.xml",
    "docx\\templates\\default-docx-template\\word\\stylesWithEffects.xml",
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


def _drop(binaries, direct):
    def no_ldd(src):  # with DT_NEEDED given, ldd's closures are not used
        raise AssertionError("ldd used")

    return [d for d, _s, _k in drop_orphan_system_libs(binaries, no_ldd, lambda src: direct.get(src, []))]


def test_system_provided_cups_goes_with_what_only_it_links() -> None:
    """The cups print plugin stays; the build machine's libcups and its private chain do not."""
    binaries = [
        ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", "/p/cups.so", "BINARY"),
        ("PySide6/Qt/lib/libQt6PrintSupport.so.6", "/p/ps.so", "BINARY"),
        ("libcups.so.2", "/sys/libcups.so.2", "BINARY"),
        ("libgnutls.so.30", "/sys/libgnutls.so.30", "BINARY"),
        ("libz.so.1", "/sys/libz.so.1", "BINARY"),  # CUPS links it, and so does Qt: stays
        ("libxkbcommon.so.0", "/sys/libxkbcommon.so.0", "BINARY"),  # the plugin's own direct need
    ]
    direct = {
        "/p/cups.so": ["libcups.so.2", "libQt6PrintSupport.so.6", "libxkbcommon.so.0", "libc.so.6"],
        "/p/ps.so": ["libz.so.1"],
        "/sys/libcups.so.2": ["libgnutls.so.30", "libz.so.1"],
    }
    assert _drop(binaries, direct) == [
        "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
        "PySide6/Qt/lib/libQt6PrintSupport.so.6",
        "libz.so.1",
        "libxkbcommon.so.0",
    ]


def test_a_chain_reached_through_qt_stops_at_the_system_library() -> None:
    """Gui -> Qt6DBus -> libdbus-1 -> libsystemd -> libgcrypt: all past libdbus-1 go; zstd (Core's) stays."""
    binaries = [
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/q/gui", "BINARY"),
        ("PySide6/Qt/lib/libQt6DBus.so.6", "/q/dbus", "BINARY"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/q/core", "BINARY"),
        ("libdbus-1.so.3", "/s/dbus", "BINARY"),
        ("libsystemd.so.0", "/s/systemd", "BINARY"),
        ("libgcrypt.so.20", "/s/gcrypt", "BINARY"),
        ("libzstd.so.1", "/s/zstd", "BINARY"),
        ("libglib-2.0.so.0", "/s/glib", "BINARY"),
        ("libpcre2-8.so.0", "/s/pcre2", "BINARY"),
        ("libX11.so.6", "/s/x11", "BINARY"),
        ("libxcb.so.1", "/s/xcb", "BINARY"),  # reached only through libX11, a bundled library: stays
    ]
    direct = {
        "/q/gui": ["libQt6DBus.so.6", "libQt6Core.so.6", "libglib-2.0.so.0", "libX11.so.6"],
        "/q/dbus": ["libdbus-1.so.3", "libQt6Core.so.6"],
        "/q/core": ["libzstd.so.1", "libglib-2.0.so.0"],
        "/s/dbus": ["libsystemd.so.0"],
        "/s/systemd": ["libgcrypt.so.20", "libzstd.so.1"],
        "/s/glib": ["libpcre2-8.so.0"],
        "/s/x11": ["libxcb.so.1"],
    }
    assert _drop(binaries, direct) == [
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "PySide6/Qt/lib/libQt6DBus.so.6",
        "PySide6/Qt/lib/libQt6Core.so.6",
        "libzstd.so.1",
        "libX11.so.6",
        "libxcb.so.1",
    ]


def test_elf_needed_reads_the_direct_dependencies_of_the_cups_plugin() -> None:
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "printsupport" / "libcupsprintersupport.so"
    names = elf_needed(str(plugin))
    assert "libcups.so.2" in names and "libQt6PrintSupport.so.6" in names
    assert "libgnutls.so.30" not in names  # CUPS' own dependency, not the plugin's
    with pytest.raises(ValueError):
        elf_needed(str(Path(__file__)))


BLOCKED_RUN = r"""
import importlib, pkgutil, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1] + "/installer")
from bundle_filter import EXCLUDED_PY

class Blocker:
    def find_spec(self, name, path=None, target=None):
        if any(name == x or name.startswith(x + ".") for x in EXCLUDED_PY):
            raise ImportError(f"excluded from the bundle: {name}")
        return None

for name in EXCLUDED_PY:
    sys.modules.pop(name, None)
sys.meta_path.insert(0, Blocker())
import desktop_app
for info in pkgutil.walk_packages(desktop_app.__path__, "desktop_app."):
    if ".migrations" not in info.name:
        importlib.import_module(info.name)
from desktop_app import cli
tmp = Path(sys.argv[2])
db = str(tmp / "l.sqlite3")
assert cli.main(["import", sys.argv[1] + "/tests/data/city-2023.docx", "--db", db]) == 0
assert cli.main(["--smoke", "--db", db]) == 0  # the window (a QApplication) before the PDF's Qt, if any
for fmt in ("docx", "xlsx", "pdf", "ofd", "json"):
    assert cli.main(["export", "1", "-o", str(tmp / f"r.{fmt}"), "--db", db]) == 0, fmt
    assert (tmp / f"r.{fmt}").stat().st_size > 0
print("ran without", len(EXCLUDED_PY), "modules")
"""


def test_the_program_runs_without_the_modules_the_bundle_excludes(tmp_path: Path) -> None:
    """Import every module, import a ledger, export each format and smoke, with EXCLUDED_PY unimportable."""
    import os
    import subprocess

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen",
           "XDG_STATE_HOME": str(tmp_path / "state")}  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-c", BLOCKED_RUN, str(root), str(tmp_path)],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ran without" in proc.stdout


SERVER_RUN = r"""
import json, sys
sys.path.insert(0, sys.argv[1] + "/installer")
from bundle_filter import EXCLUDED_PY, SERVER_DRIVER

BLOCKED = [m for m in EXCLUDED_PY if m not in SERVER_DRIVER]  # what installer/desktop_app.spec excludes

class Blocker:
    def find_spec(self, name, path=None, target=None):
        if any(name == x or name.startswith(x + ".") for x in BLOCKED):
            raise ImportError(f"excluded from the bundle: {name}")
        return None

for name in BLOCKED:
    sys.modules.pop(name, None)
sys.meta_path.insert(0, Blocker())
from desktop_app import cli
url = sys.argv[2]
assert cli.main(["import", sys.argv[1] + "/tests/data/city-2023.docx", "--db", url]) == 0
assert cli.main(["list", "--db", url]) == 0
import psycopg
print("impl", psycopg.pq.__impl__, "psycopg.pq.pq_ctypes" in sys.modules)
"""


def test_server_mode_runs_with_what_the_bundle_holds(pg_url: str, tmp_path: Path) -> None:
    """The bundle's server mode: psycopg's binary libpq, with the rest of EXCLUDED_PY (its ctypes binding,
    _hashlib, Pillow's AVIF/WebP/colour-management codecs) unimportable."""
    import os
    import subprocess

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen",
           "XDG_STATE_HOME": str(tmp_path / "state")}  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-c", SERVER_RUN, str(root), pg_url], capture_output=True, text=True, env=env, timeout=300
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert '"task_count": 39' in proc.stdout
    assert "impl binary False" in proc.stdout  # psycopg_binary loaded, not the ctypes fallback


def _fake_lib(path: Path, version: str) -> str:
    path.write_bytes(b"\x7fELF padding OpenSSL " + version.encode() + b" 1 Jan 2026\0")
    return str(path)


@pytest.mark.parametrize(("system", "psycopg", "shared"), [("3.0.19", "3.5.9", True), ("3.5.9", "3.5.9", True),
                                                          ("3.5.9", "3.0.19", False)])  # fmt: skip
def test_share_openssl_links_the_system_copy_to_psycopgs(tmp_path: Path, system, psycopg, shared) -> None:
    from bundle_filter import share_openssl

    binaries = [
        ("libssl.so.3", _fake_lib(tmp_path / "sys-ssl", system), "BINARY"),
        ("libcrypto.so.3", _fake_lib(tmp_path / "sys-crypto", system), "BINARY"),
        ("psycopg_binary.libs/libssl-6a9b88ec.so.3", _fake_lib(tmp_path / "pg-ssl", psycopg), "BINARY"),
        ("psycopg_binary.libs/libcrypto-3a0647ea.so.3", _fake_lib(tmp_path / "pg-crypto", psycopg), "BINARY"),
        ("libssl-6a9b88ec.so.3", "psycopg_binary.libs/libssl-6a9b88ec.so.3", "SYMLINK"),
        ("python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so", str(tmp_path / "_ssl.so"), "EXTENSION"),
    ]
    out = share_openssl(binaries)
    if shared:
        assert out[0] == ("libssl.so.3", "psycopg_binary.libs/libssl-6a9b88ec.so.3", "SYMLINK")
        assert out[1] == ("libcrypto.so.3", "psycopg_binary.libs/libcrypto-3a0647ea.so.3", "SYMLINK")
        assert out[2:] == binaries[2:]
    else:  # psycopg's OpenSSL older than what _ssl was built against: both copies stay
        assert out == binaries
    no_psycopg = [e for e in binaries if "psycopg" not in e[0]]
    assert share_openssl(no_psycopg) == no_psycopg
