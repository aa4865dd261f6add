#!/usr/bin/env bash
# Build the Linux bundle: dist/desktop_app/ (one folder) and dist/desktop_app-<version>-linux-x86_64.tar.gz.
#
#   installer/build_linux.sh            uses python3 from PATH (or $PYTHON); run from any folder
#
# Build on the OLDEST glibc you must support (the bundle runs on that glibc and newer, never older):
# glibc 2.28 = UOS 20 / Kylin V10 / Debian 10 / RHEL 8, which is also what the PySide6 6.x wheels need.
# Install libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 on the build machine so that
# PyInstaller can put them into the bundle (desktops that lack them then still start the program).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
cd "$ROOT"

if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
    "$PY" -m pip install "pyinstaller>=6.3"
fi

VERSION="$("$PY" installer/version_info.py --version)"
echo "== building desktop_app $VERSION"
"$PY" -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller installer/desktop_app.spec

BUNDLE="dist/desktop_app"
QT_QPA_PLATFORM=offscreen "$BUNDLE/desktop_app" --version

# A menu entry users can copy to ~/.local/share/applications/ (paths filled in by install-user.sh).
cat >"$BUNDLE/desktop_app.desktop" <<EOF
[Desktop Entry]
Type=Application
Name=政务公开任务落实台账
Comment=政务公开工作要点任务落实台账管理
Exec=@BUNDLE@/desktop_app
Icon=@BUNDLE@/_internal/resources/icons/app.png
Terminal=false
Categories=Office;
EOF
cat >"$BUNDLE/install-user.sh" <<'EOF'
#!/bin/sh
# Add 政务公开任务落实台账 to this user's application menu (no root needed). Data stays in
# ~/.local/share/desktop_app; removing this folder and the menu entry uninstalls the program.
set -e
here="$(cd "$(dirname "$0")" && pwd)"
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
mkdir -p "$apps"
sed "s#@BUNDLE@#$here#g" "$here/desktop_app.desktop" >"$apps/desktop_app.desktop"
chmod +x "$apps/desktop_app.desktop"
echo "已添加到应用程序菜单：$apps/desktop_app.desktop"
EOF
chmod +x "$BUNDLE/install-user.sh"

ARCHIVE="dist/desktop_app-$VERSION-linux-x86_64.tar.gz"
tar -C dist -czf "$ARCHIVE" desktop_app
echo "== bundle: $(du -sh "$BUNDLE" | cut -f1) unpacked, archive $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1))"
