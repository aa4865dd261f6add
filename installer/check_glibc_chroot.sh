#!/usr/bin/env bash
# Run a Linux bundle on an OLDER glibc than this machine's: inside a minimal chroot of an older Debian
# (debootstrap, Debian's own packages), with that system's libc, libstdc++, libX11, fontconfig, ... only.
#
#   installer/check_glibc_chroot.sh BUNDLE_DIR [SUITE]      SUITE: default bullseye (glibc 2.31)
#
# bullseye is the oldest Debian that Debian's default mirror still serves; buster (glibc 2.28, the base of
# UOS 20) is only on Debian's archive host: pass DEBOOTSTRAP_MIRROR=<that mirror> with SUITE=buster where
# it is reachable. Runs --version, --smoke (offscreen, new and imported database), import of
# tests/data/city-2023.docx, export docx/xlsx/pdf, and --smoke on the xcb platform under Xvfb.
# Needs root (chroot, mount). The chroot is cached in $DESKTOP_APP_OLDGLIBC_CACHE/chroot-SUITE (~500 MB).
# Exit 0 = good, 1 = failure, 77 = cannot run here (not root, no debootstrap, no network for it).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUNDLE="$(cd "${1:?usage: check_glibc_chroot.sh BUNDLE_DIR [SUITE]}" && pwd)"
SUITE="${2:-bullseye}"
CACHE="${DESKTOP_APP_OLDGLIBC_CACHE:-$HOME/.cache/desktop_app-oldglibc}"
CH="$CACHE/chroot-$SUITE"
T0=$(date +%s)
step() { echo "== [check_glibc_chroot $(($(date +%s) - T0)) s] $*"; }
fail() {
    echo "check_glibc_chroot: FAIL: $*" >&2
    exit 1
}
[[ "$(id -u)" == 0 ]] || { echo "check_glibc_chroot: skipped (needs root)" >&2; exit 77; }

LIBS=libx11-6,libx11-xcb1,libxkbcommon0,libxkbcommon-x11-0,libfontconfig1,libfreetype6,libpng16-16,libzstd1
LIBS=$LIBS,libexpat1,libgl1,libegl1,libglib2.0-0,libdbus-1-3,libxcb1,libxcb-icccm4,libxcb-keysyms1,libxcb-image0
LIBS=$LIBS,libxcb-render-util0,libxcb-xinerama0,libxcb-randr0,libxcb-shape0,libxcb-xkb1,libxrender1
LIBS=$LIBS,fonts-wqy-zenhei,python3,xvfb,xauth
if [[ ! -f "$CH/.complete" ]]; then
    command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null 2>&1 ||
        { echo "check_glibc_chroot: skipped (no debootstrap)" >&2; exit 77; }
    step "debootstrap --variant=minbase $SUITE (a few minutes, once)"
    rm -rf "$CH"
    mkdir -p "$CH"
    if ! nice -n 10 debootstrap --variant=minbase --include="$LIBS" "$SUITE" "$CH" ${DEBOOTSTRAP_MIRROR:+"$DEBOOTSTRAP_MIRROR"} \
        >"$CACHE/debootstrap-$SUITE.log" 2>&1; then
        tail -n 5 "$CACHE/debootstrap-$SUITE.log" >&2
        echo "check_glibc_chroot: skipped (debootstrap $SUITE failed: not served here?)" >&2
        exit 77
    fi
    touch "$CH/.complete"
fi
GLIBC_HERE="$(ldd --version | awk 'NR == 1 {print $NF}')"
GLIBC_THERE="$(chroot "$CH" ldd --version | awk 'NR == 1 {print $NF}')"
step "chroot $SUITE: glibc $GLIBC_THERE (this machine: $GLIBC_HERE)"

mounted=()
cleanup() {
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
    rm -rf "$CH/opt/desktop-app-check" "$CH/tmp/desktop-app-check"
}
trap cleanup EXIT
for m in proc dev; do
    mountpoint -q "$CH/$m" || { mount --bind "/$m" "$CH/$m" && mounted+=("$CH/$m"); }
done
rm -rf "$CH/opt/desktop-app-check" "$CH/tmp/desktop-app-check"
mkdir -p "$CH/opt" "$CH/tmp/desktop-app-check/home"
cp -a "$BUNDLE" "$CH/opt/desktop-app-check"
cp "$ROOT/tests/data/city-2023.docx" "$CH/tmp/desktop-app-check/"

inside() { # inside <label> <shell command>: runs in the chroot as a user with an empty home
    local label="$1"
    shift
    if ! chroot "$CH" /usr/bin/env -i HOME=/tmp/desktop-app-check/home PATH=/usr/bin:/bin LANG=C.UTF-8 \
        QT_QPA_PLATFORM="${PLATFORM:-offscreen}" /bin/sh -c "$*" >"$CACHE/chroot-out.txt" 2>&1; then
        cat "$CACHE/chroot-out.txt" >&2
        fail "$label failed on glibc $GLIBC_THERE"
    fi
    grep -v propagateSizeHints "$CACHE/chroot-out.txt" | sed -n 's/^/    /; 1,4p' || true
}
EXE=/opt/desktop-app-check/desktop_app
D=/tmp/desktop-app-check
inside "--version" "$EXE --version"
inside "--smoke (new database)" "$EXE --smoke --db $D/fresh.sqlite3"
inside "import" "$EXE import $D/city-2023.docx --db $D/ledger.sqlite3"
inside "--smoke (ledger)" "$EXE --smoke --db $D/ledger.sqlite3"
grep -Eq "smoke ok: .* 1 ledgers, [1-9][0-9]* tasks" "$CACHE/chroot-out.txt" || fail "--smoke did not load the ledger"
for fmt in docx xlsx pdf; do
    inside "export $fmt" "$EXE export 1 --format $fmt -o $D/report.$fmt --db $D/ledger.sqlite3"
    [[ -s "$CH$D/report.$fmt" ]] || fail "export $fmt wrote nothing"
done
cp "$CH$D/report.pdf" "$CACHE/chroot-$SUITE-report.pdf" # to look at: /work/shared/tools/look/pages.sh
if command -v pdffonts >/dev/null; then
    pdffonts "$CH$D/report.pdf" | sed -n 's/^/    /; 1,4p'
fi
PLATFORM=xcb inside "--smoke on xcb (Xvfb)" "xvfb-run -a $EXE --smoke --db $D/ledger.sqlite3"
step "all good on glibc $GLIBC_THERE ($SUITE): --version, --smoke, import, export docx/xlsx/pdf, xcb smoke"
