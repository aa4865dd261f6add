#!/usr/bin/env bash
# Package a built Linux bundle (dist/desktop_app/) as a .deb for UOS, Kylin and Debian/Ubuntu:
#
#   installer/make_deb.sh BUNDLE_DIR OUT_DIR       prints the .deb's path on its last line
#
#   /opt/desktop-app/                      the bundle (read-only for users; the program never writes there)
#   /usr/bin/desktop-app                   launcher (terminal commands: desktop-app --version, import ...)
#   /usr/share/applications/desktop-app.desktop   menu entry 政务公开任务落实台账
#   /usr/share/icons/hicolor/256x256/apps/desktop-app.png
#
# User data (台账数据库, 备份, 日志, 设置) lives in each user's home (~/.local/share/desktop_app, ...): the
# package neither ships nor removes anything there, on remove and on purge alike. No network, no
# maintainer script beyond refreshing the menu and icon caches.
#
# Environment: DEB_VERSION (default: the package version), DEB_COMPRESS (xz, the default; gzip, zstd
# or none for a quick check), DEB_DEPENDS (default: found from the bundle with dpkg -S, see below).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUNDLE="$(cd "${1:?usage: make_deb.sh BUNDLE_DIR OUT_DIR}" && pwd)"
OUT="${2:?usage: make_deb.sh BUNDLE_DIR OUT_DIR}"
PY="${HOST_PYTHON:-python3}"
[[ -x "$BUNDLE/desktop_app" ]] || { echo "make_deb: no $BUNDLE/desktop_app" >&2; exit 1; }
command -v dpkg-deb >/dev/null || { echo "make_deb: dpkg-deb not found (apt-get install dpkg)" >&2; exit 1; }

PKG=desktop-app
VERSION="${DEB_VERSION:-$("$PY" "$ROOT/installer/version_info.py" --version)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
STAGE="$(mktemp -d "${TMPDIR:-/tmp}/desktop_app_deb.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT

# --- files ------------------------------------------------------------------------------------
mkdir -p "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
    "$STAGE/usr/share/icons/hicolor/256x256/apps" "$STAGE/usr/share/doc/$PKG" "$STAGE/DEBIAN"
cp -a "$BUNDLE" "$STAGE/opt/$PKG"
# Only the program: the helper files build_linux.sh puts beside it for the .tar.gz are not needed here.
rm -f "$STAGE/opt/$PKG/desktop_app.desktop" "$STAGE/opt/$PKG/install-user.sh"
chmod -R u+rwX,go+rX,go-w "$STAGE/opt/$PKG"

cat >"$STAGE/usr/bin/$PKG" <<EOF
#!/bin/sh
# 政务公开任务落实台账 (package $PKG): the program lives in /opt/$PKG, the data in the user's home.
exec /opt/$PKG/desktop_app "\$@"
EOF
chmod 0755 "$STAGE/usr/bin/$PKG"

cat >"$STAGE/usr/share/applications/$PKG.desktop" <<EOF
[Desktop Entry]
Type=Application
Version=1.0
Name=政务公开任务落实台账
Name[zh_CN]=政务公开任务落实台账
GenericName=Government Disclosure Task Ledger
GenericName[zh_CN]=任务落实台账
Comment=Ledger of government affairs disclosure tasks and their progress
Comment[zh_CN]=政务公开工作要点任务落实台账管理
Exec=/usr/bin/$PKG
Icon=$PKG
Terminal=false
Categories=Office;
Keywords=政务公开;台账;任务;落实;ledger;
StartupNotify=true
EOF
chmod 0644 "$STAGE/usr/share/applications/$PKG.desktop"
install -m 0644 "$ROOT/resources/icons/app.png" "$STAGE/usr/share/icons/hicolor/256x256/apps/$PKG.png"

cat >"$STAGE/usr/share/doc/$PKG/copyright" <<EOF
政务公开任务落实台账 $VERSION. License: MIT (the program). The bundled Qt (PySide6) is LGPLv3;
the other bundled libraries keep their own licenses (see /opt/$PKG/_internal/*.dist-info).
EOF
chmod 0644 "$STAGE/usr/share/doc/$PKG/copyright"

# --- what the bundle needs from the system ----------------------------------------------------
# The oldest glibc: the highest GLIBC_x.y symbol version any file needs. The libraries the bundle's files
# link but the bundle does not carry (the desktop's libX11, fontconfig, libGL ...): their Debian packages,
# found on the build machine with dpkg -S (Debian 10 / UOS 20 / Kylin V10 use the same names).
glibc_need="$(find "$STAGE/opt/$PKG" -type f \( -name '*.so*' -o -name desktop_app \) -print0 |
    xargs -0 -r -n 40 objdump -T 2>/dev/null | grep -oE 'GLIBC_[0-9]+\.[0-9]+' | sed 's/GLIBC_//' |
    sort -u -t. -k1,1n -k2,2n | tail -n1 || true)"
if [[ -z "${DEB_DEPENDS:-}" ]]; then
    bundled="$(find "$STAGE/opt/$PKG" -name '*.so*' -printf '%f\n' | sort -u)"
    needed="$(find "$STAGE/opt/$PKG" -type f \( -name '*.so*' -o -name desktop_app \) -print0 |
        xargs -0 -r -n 40 objdump -p 2>/dev/null | awk '/NEEDED/ {print $2}' | sort -u || true)"
    deps=("libc6 (>= ${glibc_need:-2.28})")
    for so in $(comm -23 <(echo "$needed") <(echo "$bundled")); do
        case "$so" in
        libc.so.* | libm.so.* | libdl.so.* | libpthread.so.* | librt.so.* | libutil.so.* | ld-linux* | libresolv.so.*) continue ;;
        esac
        pkg="$(dpkg -S "*/$so" 2>/dev/null | grep -v -- '-dev\|i386\|:i386' | head -n1 | cut -d: -f1 || true)"
        if [[ -z "$pkg" ]]; then
            echo "make_deb: note: no Debian package on this machine provides $so (not declared)" >&2
            continue
        fi
        [[ "$pkg" == libc6 ]] && continue
        [[ "$pkg" == libgcc-s1 ]] && pkg="libgcc-s1 | libgcc1" # Debian 10 / UOS 20 call it libgcc1
        [[ " ${deps[*]} " == *" $pkg"* ]] || deps+=("$pkg")
    done
    DEB_DEPENDS="$(IFS=,; echo "${deps[*]}" | sed 's/,/, /g')"
fi

INSTALLED_KB=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
cat >"$STAGE/DEBIAN/control" <<EOF
Package: $PKG
Version: $VERSION
Architecture: amd64
Maintainer: desktop_app maintainers <desktop-app@localhost>
Installed-Size: $INSTALLED_KB
Depends: $DEB_DEPENDS
Section: misc
Priority: optional
Homepage: https://localhost/desktop_app
Description: 政务公开任务落实台账
 Desktop program for the ledger of government affairs disclosure tasks
 (政务公开工作要点任务落实台账): import the yearly work plan, track each
 unit's progress, export Word/Excel/PDF reports.
 .
 The program is installed in /opt/$PKG; each user's data stays in that
 user's home folder and is kept when the package is removed or purged.
EOF

# Menu and icon caches only; never anything in a user's home.
for script in postinst postrm; do
    cat >"$STAGE/DEBIAN/$script" <<'EOF'
#!/bin/sh
set -e
if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q /usr/share/applications || true; fi
if command -v gtk-update-icon-cache >/dev/null 2>&1; then gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true; fi
exit 0
EOF
    chmod 0755 "$STAGE/DEBIAN/$script"
done

# md5sums: `dpkg --verify desktop-app` then tells whether any installed file was changed.
(cd "$STAGE" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) >"$STAGE/DEBIAN/md5sums"

DEB="$OUT/${PKG}_${VERSION}_amd64.deb"
dpkg-deb --root-owner-group -Z"${DEB_COMPRESS:-xz}" --build "$STAGE" "$DEB" >/dev/null
echo "make_deb: $DEB ($(du -h "$DEB" | cut -f1); installed $((INSTALLED_KB / 1024)) MB; needs glibc >= ${glibc_need:-?})" >&2
echo "make_deb: Depends: $DEB_DEPENDS" >&2
echo "$DEB"
