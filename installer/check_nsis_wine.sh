#!/usr/bin/env bash
# Run the NSIS installer logic under Wine (64-bit) with a stand-in program: silent install, registry
# entries, shortcuts, upgrade over an older version (old program files go, user data and other files
# stay), a running program blocks the upgrade, silent uninstall keeps the data.
#
#   installer/check_nsis_wine.sh        exit 0 = ok, 77 = skipped (no wine64 / amd64 NSIS stubs), else failed
#
# The real installer is a 32-bit NSIS stub; Debian's wine64 runs only 64-bit programs, so this check
# compiles the same script with `Target amd64-unicode`. Wine stands in for Windows 10 (winecfg -v win10).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
skip() {
    echo "check_nsis_wine: skipped: $*"
    exit 77
}
fail() {
    echo "check_nsis_wine: FAIL: $*" >&2
    exit 1
}

command -v wine >/dev/null 2>&1 || skip "wine not installed (apt-get install wine64)"
command -v makensis >/dev/null 2>&1 || skip "makensis not installed"
NSISDIR="$(makensis -HDRINFO 2>/dev/null | tr ' ,' '\n\n' | sed -n 's/^NSISDIR=//p' | head -n1)"
[[ -e "${NSISDIR:-/usr/share/nsis}/Stubs/zlib-amd64-unicode" ]] || skip "NSIS has no amd64-unicode stubs"
WINBIN="$(dirname "$(find /usr/lib /usr/lib64 /opt -path '*x86_64-windows/cmd.exe' 2>/dev/null | head -n1)")"
[[ -f "$WINBIN/cmd.exe" && -f "$WINBIN/hostname.exe" ]] || skip "no 64-bit Wine programs to stand in for desktop_app.exe"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/desktop_app_wine.XXXXXX")"
stop_running() { # the stand-in program we started, and its pipe: by process id only
    if [[ -n "${RUNNING_PID:-}" ]]; then
        for pid in $(pgrep -P "$RUNNING_PID" || true); do kill "$pid" 2>/dev/null || true; done
        kill "$RUNNING_PID" 2>/dev/null || true
        wait "$RUNNING_PID" 2>/dev/null || true
        RUNNING_PID=""
    fi
}
cleanup() {
    stop_running
    WINEPREFIX="$WORK/prefix" wineserver -k 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
# Wine links the Windows desktop to $HOME: keep the shortcuts it writes inside the work folder.
export HOME="$WORK/home" WINEPREFIX="$WORK/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
export LANG=C.UTF-8
mkdir -p "$HOME"

build() { # build <version> <program.exe>: a fake bundle and its installer
    local version="$1" program="$2" bundle="$WORK/bundle-$1"
    mkdir -p "$bundle/_internal/resources"
    cp "$program" "$bundle/desktop_app.exe"
    echo "$version" >"$bundle/_internal/resources/version-$version.txt"
    makensis -V1 -WX "-XTarget amd64-unicode" -DCOMPRESSOR=zlib "-DVERSION=$version" "-DBUNDLE_DIR=$bundle" \
        "-DOUT_DIR=$WORK" "$ROOT/installer/desktop_app.nsi" || fail "makensis $version"
}
build 0.0.1 "$WINBIN/hostname.exe"
build 0.0.2 "$WINBIN/cmd.exe"

wineboot -i >/dev/null 2>&1 || true
wine winecfg -v win10 >/dev/null 2>&1 || true

LOCAL="$WINEPREFIX/drive_c/users/$(whoami)/AppData/Local"
DIR="$LOCAL/Programs/desktop_app"
WDIR='C:\users\'"$(whoami)"'\AppData\Local\Programs\desktop_app'
KEY='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\desktop_app'
reg_value() { wine reg query "$KEY" /v "$1" 2>/dev/null | awk -v k="$1" '$1 == k {print $NF}' | tr -d '\r'; }

echo "== silent install 0.0.1"
wine "$WORK/desktop_app-0.0.1-win64-installer.exe" /S || fail "install 0.0.1 exit code $?"
[[ -f "$DIR/desktop_app.exe" && -f "$DIR/uninstall.exe" ]] || fail "0.0.1 not installed in $DIR"
[[ "$(reg_value DisplayVersion)" == "0.0.1" ]] || fail "DisplayVersion is not 0.0.1"
for v in DisplayName Publisher UninstallString QuietUninstallString InstallLocation DisplayIcon NoModify NoRepair EstimatedSize; do
    [[ -n "$(reg_value "$v")" ]] || fail "uninstall key lacks $v"
done
[[ -n "$(find -L "$WINEPREFIX/drive_c/users" "$HOME" -name '政务公开任务落实台账.lnk' 2>/dev/null | head -n1)" ]] ||
    fail "no shortcut"

echo "== the user works: data in %LOCALAPPDATA%\\zwgk\\desktop_app, a note in the program folder"
mkdir -p "$LOCAL/zwgk/desktop_app/backups"
echo "ledger" >"$LOCAL/zwgk/desktop_app/ledger.sqlite3"
echo "note" >"$DIR/notes.txt"
echo "old" >"$DIR/_internal/old-library.dll"

echo "== silent upgrade to 0.0.2"
wine "$WORK/desktop_app-0.0.2-win64-installer.exe" /S || fail "upgrade exit code $?"
[[ "$(reg_value DisplayVersion)" == "0.0.2" ]] || fail "DisplayVersion is not 0.0.2 after upgrade"
[[ ! -e "$DIR/_internal/old-library.dll" && ! -e "$DIR/_internal/resources/version-0.0.1.txt" ]] ||
    fail "upgrade left old program files"
[[ -f "$DIR/_internal/resources/version-0.0.2.txt" ]] || fail "upgrade did not install the new files"
[[ -f "$DIR/notes.txt" ]] || fail "upgrade removed a file that is not the program's"
[[ -f "$LOCAL/zwgk/desktop_app/ledger.sqlite3" ]] || fail "upgrade removed the user's data"

echo "== a running program blocks the (silent) upgrade"
(sleep 120 | wine "$WDIR\\desktop_app.exe" >/dev/null 2>&1) &
RUNNING_PID=$!
for _ in $(seq 20); do pgrep -P "$RUNNING_PID" -f 'desktop_app\.exe' >/dev/null && break; sleep 0.5; done
set +e
wine "$WORK/desktop_app-0.0.2-win64-installer.exe" /S
rc=$?
set -e
# Windows: taskkill ends the program and the upgrade goes on (0); Wine's taskkill has no /FI, so 3.
[[ $rc == 0 || $rc == 3 ]] || fail "install over a running program: exit code $rc (expected 0 or 3)"
echo "   exit code $rc"
stop_running
sleep 1

echo "== silent uninstall"
wine "$DIR/uninstall.exe" /S || fail "uninstall exit code $?"
for _ in $(seq 30); do [[ -e "$DIR/desktop_app.exe" ]] || break; sleep 0.5; done
[[ ! -e "$DIR/desktop_app.exe" && ! -e "$DIR/_internal" && ! -e "$DIR/uninstall.exe" ]] || fail "uninstall left program files"
wine reg query "$KEY" >/dev/null 2>&1 && fail "uninstall left the registry key"
[[ -z "$(find -L "$WINEPREFIX/drive_c/users" "$HOME" -name '政务公开任务落实台账.lnk' 2>/dev/null | head -n1)" ]] ||
    fail "uninstall left a shortcut"
[[ -f "$LOCAL/zwgk/desktop_app/ledger.sqlite3" ]] || fail "uninstall removed the user's data"
[[ -f "$DIR/notes.txt" ]] || fail "uninstall removed a file that is not the program's"

echo "check_nsis_wine: ok"
