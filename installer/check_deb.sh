#!/usr/bin/env bash
# Install a desktop-app .deb on this machine and prove it: the files are where the package says, the
# installed program runs (--version, --smoke, import, export) with its data in the user's home, an
# upgrade keeps the data, remove and purge take the program away and leave the data.
#
#   installer/check_deb.sh DEB          exit 0 = good, 1 = failure (reason on stderr), 77 = cannot run here
#
# Needs root and dpkg (CI has both). Leaves no package installed. The "user" is a temporary home folder
# (HOME=...), so nothing of the real user's is read or written.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEB="$(cd "$(dirname "${1:?usage: check_deb.sh DEB}")" && pwd)/$(basename "$1")"
PKG=desktop-app
T0=$(date +%s)
step() { echo "== [check_deb $(($(date +%s) - T0)) s] $*"; }
fail() {
    echo "check_deb: FAIL: $*" >&2
    exit 1
}

if [[ "$(id -u)" != 0 ]] || ! command -v dpkg >/dev/null 2>&1; then
    echo "check_deb: skipped (needs root and dpkg)" >&2
    exit 77
fi
status="$(dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null || true)"
if [[ "$status" == *" installed" ]]; then
    fail "$PKG is already installed on this machine; remove it first (dpkg -r $PKG)"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/desktop_app_deb_check.XXXXXX")"
cleanup() {
    dpkg -P "$PKG" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# A user with an empty home; the program's data goes to ~/.local/share/desktop_app and ~/.local/state.
export HOME="$WORK/home"
mkdir -p "$HOME"
unset XDG_DATA_HOME XDG_STATE_HOME XDG_CONFIG_HOME XDG_CACHE_HOME LEDGER_TODAY || true
export QT_QPA_PLATFORM=offscreen
DATA="$HOME/.local/share/desktop_app"

run() { # run <label> <args...>
    local label="$1"
    shift
    if ! /usr/bin/$PKG "$@" >"$WORK/out.txt" 2>&1; then
        cat "$WORK/out.txt" >&2
        fail "installed program: $label failed"
    fi
    sed -n 's/^/    /; 1,4p' "$WORK/out.txt"
}

step "package $(basename "$DEB") ($(du -h "$DEB" | cut -f1))"
dpkg-deb --field "$DEB" Package Version Architecture Depends | sed 's/^/    /'
outside="$(dpkg-deb --contents "$DEB" | awk '{print $6}' |
    grep -Ev '^\./(opt/desktop-app|usr/bin/desktop-app$|usr/share/(applications|icons|doc)|$|opt/$|usr/$|usr/bin/$|usr/share/$)' || true)"
[[ -z "$outside" ]] || fail "the package holds files outside /opt/$PKG, /usr/bin/$PKG and /usr/share: ${outside:0:200}"
if dpkg-deb --contents "$DEB" | awk '{print $6}' | grep -Eq '^\./(home|root|etc/skel)'; then
    fail "the package ships files into a home folder"
fi

step "dpkg -i"
dpkg -i "$DEB" >"$WORK/dpkg.log" 2>&1 || { cat "$WORK/dpkg.log" >&2; fail "dpkg -i failed (missing dependencies?)"; }
for f in /opt/$PKG/desktop_app /usr/bin/$PKG /usr/share/applications/$PKG.desktop \
    /usr/share/icons/hicolor/256x256/apps/$PKG.png; do
    [[ -e "$f" ]] || fail "installed package lacks $f"
done
grep -qx 'Name\[zh_CN\]=政务公开任务落实台账' /usr/share/applications/$PKG.desktop || fail "the menu entry has no Chinese name"
grep -qx "Exec=/usr/bin/$PKG" /usr/share/applications/$PKG.desktop || fail "the menu entry does not start /usr/bin/$PKG"
if command -v desktop-file-validate >/dev/null 2>&1; then
    desktop-file-validate /usr/share/applications/$PKG.desktop || fail "desktop-file-validate rejects the menu entry"
else
    echo "check_deb: note: desktop-file-validate not installed (desktop-file-utils); menu entry checked by grep only"
fi
[[ "$(stat -c %U /opt/$PKG/desktop_app)" == root ]] || fail "installed files are not owned by root"
[[ -z "$(find /opt/$PKG -perm -o+w -not -type l -print -quit)" ]] || fail "installed files are world-writable"

step "installed program: --version, --smoke, import, export (data in the user's home)"
VERSION="$(dpkg-deb --field "$DEB" Version)"
run "--version" --version
grep -q "${VERSION%%+*}" "$WORK/out.txt" || fail "--version does not print ${VERSION%%+*}"
run "--smoke (new database)" --smoke
db="$(find "$DATA" -maxdepth 1 -name '*.sqlite3' -print -quit)"
[[ -n "$db" && -s "$db" ]] || fail "--smoke created no database under $DATA"
run "import" import "$ROOT/tests/data/city-2023.docx"
run "--smoke (with the ledger)" --smoke
grep -Eq "smoke ok: .* 1 ledgers, [1-9][0-9]* tasks" "$WORK/out.txt" || fail "--smoke did not load the imported ledger from the default database"
run "list" list
ledger_id="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$WORK/out.txt")" || fail "list did not print JSON"
for fmt in docx pdf; do
    run "export $fmt" export "$ledger_id" --format "$fmt" -o "$WORK/report.$fmt"
    [[ -s "$WORK/report.$fmt" ]] || fail "export $fmt wrote nothing"
done
dpkg --verify "$PKG" >"$WORK/verify.txt" 2>&1 || true
[[ ! -s "$WORK/verify.txt" ]] || { cat "$WORK/verify.txt" >&2; fail "running the program changed installed files"; }
extra="$(comm -13 <(dpkg -L "$PKG" | sort) <(find /opt/$PKG | sort) | sed -n 1,3p)"
[[ -z "$extra" ]] || fail "the program wrote beside itself: $extra"
snapshot() { (cd "$DATA" && find . -type f -name '*.sqlite3' -print0 | sort -z | xargs -0 md5sum); }

step "upgrade (a newer version over it): data kept"
mkdir -p "$WORK/upgrade"
mkdir "$WORK/x" && dpkg-deb -R "$DEB" "$WORK/x/pkg"
sed -i "s/^Version: .*/Version: ${VERSION}+check1/" "$WORK/x/pkg/DEBIAN/control"
dpkg-deb --root-owner-group -Znone --build "$WORK/x/pkg" "$WORK/upgrade/new.deb" >/dev/null
rm -rf "$WORK/x"
dpkg -i "$WORK/upgrade/new.deb" >"$WORK/dpkg.log" 2>&1 || { cat "$WORK/dpkg.log" >&2; fail "upgrade failed"; }
[[ "$(dpkg-query -W -f='${Version}' "$PKG")" == "${VERSION}+check1" ]] || fail "upgrade did not install the new version"
run "--smoke after upgrade" --smoke
grep -Eq "1 ledgers" "$WORK/out.txt" || fail "the ledger is gone after the upgrade"
before="$(snapshot)"

step "dpkg -r, then dpkg -P: program gone, data kept"
dpkg -r "$PKG" >"$WORK/dpkg.log" 2>&1 || { cat "$WORK/dpkg.log" >&2; fail "dpkg -r failed"; }
[[ ! -e /opt/$PKG && ! -e /usr/bin/$PKG && ! -e /usr/share/applications/$PKG.desktop ]] ||
    fail "dpkg -r left program files behind"
[[ "$(snapshot)" == "$before" ]] || fail "dpkg -r changed or removed the user's data"
dpkg -i "$DEB" >"$WORK/dpkg.log" 2>&1 || { cat "$WORK/dpkg.log" >&2; fail "reinstall failed"; }
dpkg -P "$PKG" >"$WORK/dpkg.log" 2>&1 || { cat "$WORK/dpkg.log" >&2; fail "dpkg -P failed"; }
[[ ! -e /opt/$PKG ]] || fail "dpkg -P left /opt/$PKG behind"
[[ "$(snapshot)" == "$before" && -n "$before" ]] || fail "dpkg -P changed or removed the user's data"
step "all good: installed, ran, upgraded, removed and purged; data in $DATA kept ($(echo "$before" | wc -l) database file(s))"
