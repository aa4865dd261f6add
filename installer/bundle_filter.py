"""Which files of a PyInstaller analysis go into the bundle: the Qt parts the program uses, nothing else.

Imported by installer/desktop_app.spec (after ``Analysis``) and tested on its own with Linux- and
Windows-style destination names (tests/installer/test_bundle_filter.py).
"""

from __future__ import annotations

import re
import subprocess
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
    if low.startswith("docx/templates/default-docx-template/"):
        return False  # the unpacked source of default.docx (~1 MB); python-docx reads default.docx
    if in_pyside and lname.startswith(("opengl32sw", "d3dcompiler")):
        return False  # software OpenGL / Direct3D compiler (~25 MB): Widgets paint with the raster engine
    m = _QT_LIB.match(name)
    if m and (in_pyside or "/" not in low):
        return m.group(1) in QT_LIBS_KEEP
    m = _PYSIDE_MODULE.match(name)
    if m and in_pyside:
        return m.group(1) not in EXCLUDED_QT
    return True


# Python modules the program never imports offline but its libraries' optional code paths reach, so
# PyInstaller would bundle them (with their shared libraries) unless excluded.
EXCLUDED_PY = [
    # pygments: only mako.ext.pygmentplugin (alembic's templates are rendered without it)
    "pygments", "mako.ext",
    # TLS and OpenSSL: no network. http.client, urllib.request and asyncio import ssl in try/except;
    # hashlib falls back to Python's own md5/sha1/sha2/sha3/blake2 without _hashlib (libcrypto, ~5 MB).
    # psycopg's ctypes binding (the fallback when psycopg_binary does not load) needs a system libpq.
    "ssl", "_ssl", "_hashlib", "psycopg.pq.pq_ctypes",
    # Pillow: reportlab imports PIL.Image (its _imaging core reads PNG/JPEG/TIFF/GIF); not the AVIF and
    # WebP codecs (libavif, libwebp: ~6 MB), colour management (lcms2) and Tk. Their plugins import the
    # C modules in try/except and report the formats as unsupported.
    "PIL._avif", "PIL._webp", "PIL._imagingcms", "PIL._imagingtk", "PIL.ImageTk", "PIL.ImageQt",
    # database drivers SQLAlchemy's other dialects would load (the program uses sqlite3 and, in server
    # mode, psycopg: the spec takes psycopg and psycopg_binary back); they are picked up when installed on
    # the build machine
    "psycopg", "psycopg_binary", "psycopg2", "psycopg_c", "pg8000", "asyncpg", "pymysql", "MySQLdb",
    "mysql", "oracledb", "cx_Oracle", "pyodbc", "aioodbc", "aiosqlite", "aiomysql", "greenlet",
    # interactive and test tools (readline drags libreadline/libtinfo); lxml's HTML tools
    "readline", "pdb", "doctest", "pydoc", "lxml.html", "lxml.doctestcompare", "lxml.usedoctest",
    "lxml.cssselect",
    # packaging tools the build environment has (the Windows build's Python brings setuptools)
    "setuptools", "pkg_resources", "_distutils_hack", "wheel",
]  # fmt: skip

# Server mode (--db postgresql://…): the spec takes these back out of EXCLUDED_PY. psycopg_binary carries
# libpq with its own OpenSSL for TLS to the server, and imports Python's ssl at load (to let Python set
# up libcrypto first: psycopg_binary/pq.pyx), so ssl and _ssl come back too.
SERVER_DRIVER = ["psycopg", "psycopg_binary", "ssl", "_ssl"]

# Libraries every Linux desktop provides itself, which the bundle does not carry, with everything only
# they link. Carrying the build machine's copies costs space and portability (they need the build
# machine's glibc, docs/INSTALL.md 5.2):
# - CUPS: the cups print plugin stays (printing to real printers uses it) and loads the system's libcups;
#   the build machine's would bring GnuTLS, Kerberos and Avahi (~7 MB). UOS and Kylin ship CUPS; a system
#   without it prints only to PDF (Qt skips a plugin it cannot load).
# - D-Bus (Qt6DBus, for the xcb plugin): libdbus-1 would bring systemd, libgcrypt, lz4 (~3 MB).
# - GLib (Qt's event dispatcher): libglib-2.0/libgthread-2.0 and PCRE2 (~2 MB).
SYSTEM_PROVIDED = {"libcups.so.2", "libdbus-1.so.3", "libglib-2.0.so.0", "libgthread-2.0.so.0"}

# The old-glibc build (DESKTOP_APP_OLDGLIBC=1, installer/build_deb.sh) also leaves out the build machine's
# libraries that need a glibc newer than 2.28 and that every X11 desktop of glibc 2.28 or later has (UOS 20,
# Kylin V10, Debian 10, RHEL 8: their Qt 5 desktops link them too). The manylinux_2_28 wheels are built
# against these libraries' older versions (libstdc++ of GCC 8: PySide6 6.9 needs GLIBCXX <= 3.4.21).
# Measured on Debian 12: libstdc++ 2.36, libgcc_s 2.35, libX11 2.34, libzstd 2.34, libexpat 2.36,
# libxkbcommon/fontconfig/freetype/libbsd/libmd 2.33, libpng16 2.29. The xcb-util libraries (xcb-cursor,
# icccm, keysyms, image, render-util: glibc <= 2.14) stay bundled: Qt 6 needs xcb-cursor, which Qt 5
# desktops lack. A library goes together with its sibling from the same project: the bundled Debian 12
# libxkbcommon-x11 over Debian 11's libxkbcommon crashed the xcb plugin (installer/check_glibc_chroot.sh).
OLD_GLIBC_SYSTEM_PROVIDED = {
    "libstdc++.so.6", "libgcc_s.so.1", "libX11.so.6", "libX11-xcb.so.1", "libxkbcommon.so.0",
    "libxkbcommon-x11.so.0",
    "libfontconfig.so.1", "libfreetype.so.6", "libpng16.so.16", "libzstd.so.1", "libexpat.so.1",
    "libbsd.so.0", "libmd.so.0",
}  # fmt: skip


def elf_needed(path: str) -> list[str]:
    """The DT_NEEDED names of a 64-bit little-endian ELF file (its direct shared-library dependencies)."""
    import struct

    with open(path, "rb") as fh:
        data = fh.read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError(f"{path}: not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    names: list[str] = []
    for _name, sh_type, _flags, _addr, offset, size, link, _info, _align, _entsize in sections:
        if sh_type != 6:  # SHT_DYNAMIC
            continue
        str_off = sections[link][4]
        for i in range(0, size, 16):
            tag, val = struct.unpack_from("<qQ", data, offset + i)
            if tag == 0:  # DT_NULL
                break
            if tag == 1:  # DT_NEEDED
                end = data.index(b"\0", str_off + val)
                names.append(data[str_off + val : end].decode())
    return names


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
    needed: Callable[[str], Iterable[str]] | None = None,
    system_provided: set[str] = SYSTEM_PROVIDED,
) -> list[tuple[str, str, str]]:
    """Linux: drop top-level system libraries that only the pruned plugins needed (GTK, Wayland ...), and
    the ``system_provided`` ones with what only they link (CUPS', D-Bus' and GLib's chains).

    Roots are everything else (extension modules, Qt libraries, kept plugins, libpython). With ``needed``
    (a file's DT_NEEDED names, ``elf_needed``) the dependency graph is walked from the roots through the
    bundled files, never into a system-provided library. Without it, ``ldd``'s whole closure of each root
    (PyInstaller's ``get_imports`` on Linux) decides, and nothing is treated as system-provided. If a file
    cannot be read, everything is kept.
    """
    binaries = list(binaries)
    try:
        if needed is None:
            system_provided = set()
            used: set[str] = set()
            for dest, src, _kind in binaries:
                if not _is_loose_system_lib(dest):
                    used.update(Path(name).name for name, _path in get_imports(src))
        else:
            used = _walk_needed(binaries, needed, system_provided)
    except Exception as exc:  # noqa: BLE001 - keep everything rather than break the build
        print(f"bundle_filter: cannot read imports: {exc}", file=sys.stderr)
        return binaries
    return [
        e for e in binaries
        if not _is_loose_system_lib(e[0]) or (e[0] in used and e[0] not in system_provided)
    ]  # fmt: skip


def _walk_needed(
    binaries: list[tuple[str, str, str]], needed: Callable[[str], Iterable[str]], system_provided: set[str]
) -> set[str]:
    """Names of the libraries reachable from the roots by DT_NEEDED, through bundled files only."""
    by_name = {Path(dest.replace("\\", "/")).name: src for dest, src, _kind in binaries}
    todo = [src for dest, src, _kind in binaries if not _is_loose_system_lib(dest)]
    seen = set(todo)
    used: set[str] = set()
    while todo:
        src = todo.pop()
        try:
            names = list(needed(src))
        except ValueError:  # not an ELF file: links nothing
            continue
        for name in names:
            if name in system_provided or name in used:
                continue
            used.add(name)
            dep = by_name.get(name)
            if dep is not None and dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return used


def small_icu_data(binaries: Iterable[tuple[str, str, str]], workdir: Path) -> list[tuple[str, str, str]]:
    """Linux: ``binaries`` with Qt's ICU data library (libicudata.so.NN) replaced by the copy
    installer/icu_data.py writes into ``workdir``. If that cannot be built (no C compiler), the original
    stays and a note says so."""
    import icu_data

    out = []
    for dest, src, kind in binaries:
        name = Path(dest.replace("\\", "/")).name
        if kind == "BINARY" and re.fullmatch(r"libicudata\.so\.\d+", name):
            try:
                old, new = icu_data.build(src, workdir / name)
            except (OSError, ValueError, RuntimeError, subprocess.CalledProcessError) as exc:
                print(f"bundle_filter: note: full ICU data kept ({exc})", file=sys.stderr)
            else:
                print(f"bundle_filter: {name}: {new / 1e6:.1f} MB (was {old / 1e6:.1f} MB)", file=sys.stderr)
                src = str(workdir / name)
        out.append((dest, src, kind))
    return out


_OPENSSL_VERSION = re.compile(rb"OpenSSL (\d+)\.(\d+)\.(\d+)")


def openssl_version(path: str) -> tuple[int, int, int] | None:
    """The OpenSSL version a libcrypto/libssl file names itself (``OpenSSL 3.5.9 …``), or None."""
    with open(path, "rb") as fh:
        m = _OPENSSL_VERSION.search(fh.read())
    return tuple(int(g) for g in m.groups()) if m else None  # type: ignore[return-value]


def share_openssl(binaries: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Linux: one OpenSSL in the bundle, not two. Python's _ssl links the system's libssl.so.3 and
    libcrypto.so.3 (~6 MB); psycopg_binary's libpq brings its own copies (hash-named, in
    psycopg_binary.libs/). When those are the same major version and not older, the system's copies
    become symbolic links to psycopg's: the dynamic loader sees one file under both names and maps it
    once (OpenSSL 3 keeps its ABI within the major version). Otherwise nothing changes."""
    binaries = list(binaries)
    system = {}
    ours = {}
    for dest, src, kind in binaries:
        d = dest.replace("\\", "/")
        m = re.fullmatch(r"(libssl|libcrypto)\.so\.(\d+)", d)
        if m and kind == "BINARY":
            system[m.group(1)] = (dest, src, m.group(2))
        m = re.fullmatch(r"psycopg_binary\.libs/(libssl|libcrypto)-[0-9a-f]+\.so\.(\d+)", d)
        if m and kind == "BINARY":
            ours[m.group(1)] = (dest, src, m.group(2))
    if set(system) != {"libssl", "libcrypto"} or set(ours) != set(system):
        return binaries
    try:
        sys_version, our_version = openssl_version(system["libcrypto"][1]), openssl_version(ours["libcrypto"][1])
    except OSError:
        return binaries
    same_major = all(system[k][2] == ours[k][2] for k in system)
    if not (same_major and sys_version and our_version and our_version >= sys_version):
        print(f"bundle_filter: note: two OpenSSL copies kept ({sys_version} and psycopg's {our_version})", file=sys.stderr)
        return binaries
    links = {system[k][0]: ours[k][0].replace("\\", "/") for k in system}
    print(f"bundle_filter: {', '.join(links)} -> psycopg_binary's OpenSSL {'.'.join(map(str, our_version))}", file=sys.stderr)
    return [(dest, links[dest], "SYMLINK") if dest in links else (dest, src, kind) for dest, src, kind in binaries]
