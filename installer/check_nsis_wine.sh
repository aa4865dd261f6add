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

# shellcheck source=installer/wine_lib.sh
source "$ROOT/installer/wine_lib.sh"
why="$(wine_nsis_ready)" || skip "$why"
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
wine_env "$WORK"

build() { # build <version> <program.exe>: a fake bundle and its installer
    local version="$1" program="$2" bundle="$WORK/bundle-$1"
    mkdir -p "$bundle/_internal/resources"
    cp "$program" "$bundle/desktop_app.exe"
    echo "$version" >"$bundle/_internal/resources/version-$version.txt"
    makensis_amd64 "$version" "$bundle" "$WORK" -DCOMPRESSOR=zlib || fail "makensis $version"
}
build 0.0.1 "$WINBIN/hostname.exe"
build 0.0.2 "$WINBIN/cmd.exe"

wine_boot

echo "== silent install 0.0.1"
wine "$WORK/desktop_app-0.0.1-win64-installer.exe" /S || fail "install 0.0.1 exit code $?"
assert_installed 0.0.1

echo "== the user works: data in %LOCALAPPDATA%\\zwgk\\desktop_app, a note in the program folder"
mkdir -p "$DATA/backups"
echo "ledger" >"$DATA/ledger.sqlite3"
echo "note" >"$DIR/notes.txt"
echo "old" >"$DIR/_internal/old-library.dll"

echo "== silent upgrade to 0.0.2"
wine "$WORK/desktop_app-0.0.2-win64-installer.exe" /S || fail "upgrade exit code $?"
assert_upgraded 0.0.2 "$DATA/ledger.sqlite3"
[[ ! -e "$DIR/_internal/resources/version-0.0.1.txt" ]] || fail "upgrade left old program files"
[[ -f "$DIR/_internal/resources/version-0.0.2.txt" ]] || fail "upgrade did not install the new files"

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
uninstall_and_check "$DATA/ledger.sqlite3"

echo "check_nsis_wine: ok"
