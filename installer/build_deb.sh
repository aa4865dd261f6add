#!/usr/bin/env bash
# Build the Linux .deb for UOS 20 / Kylin V10 / Debian 10 and later (glibc >= 2.28):
#
#   installer/build_deb.sh          -> dist/deb/desktop_app/ (the bundle) and dist/desktop-app_<version>_amd64.deb
#
# 1. installer/build_python_oldglibc.sh: a CPython 3.11 compiled with `zig cc -target x86_64-linux-gnu.2.28`
#    and the requirements of installer/requirements-oldglibc.txt (PySide6 6.9, manylinux_2_28 wheels);
#    the first run takes 15-30 minutes, later runs reuse it (~/.cache/desktop_app-oldglibc);
# 2. PyInstaller with that Python and DESKTOP_APP_OLDGLIBC=1 (installer/desktop_app.spec leaves out the
#    build machine's desktop libraries that need a newer glibc: bundle_filter.OLD_GLIBC_SYSTEM_PROVIDED);
# 3. objdump -T over every file of the bundle: fails if any symbol needs more than GLIBC_MAX (2.28);
# 4. installer/make_deb.sh packages it.
# `installer/check_linux.sh` with DESKTOP_APP_OLDGLIBC=1 runs the same build and also starts the bundle and
# installs the .deb (installer/check_deb.sh); .ci/run does that when DESKTOP_APP_CHECK_OLDGLIBC=1.
#
# Environment: OLDGLIBC=0 packages a bundle built with $PYTHON (default python3) instead, which runs only
# on this machine's glibc or newer; GLIBC_MAX (default 2.28 with OLDGLIBC=1).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
T0=$(date +%s)
step() { echo "== [build_deb $(($(date +%s) - T0)) s] $*"; }

if [[ "${OLDGLIBC:-1}" == "1" ]]; then
    step "Python for glibc 2.28 (installer/build_python_oldglibc.sh)"
    PY="$(nice -n 10 "$ROOT/installer/build_python_oldglibc.sh" | tail -n 1)"
    export DESKTOP_APP_OLDGLIBC=1
    GLIBC_MAX="${GLIBC_MAX:-2.28}"
else
    PY="${PYTHON:-python3}"
    "$PY" -c "import PyInstaller" 2>/dev/null || "$PY" -m pip install "pyinstaller>=6.3"
fi
step "python $("$PY" -c 'import sys; print(sys.version.split()[0])'), PySide6 $("$PY" -c 'import PySide6; print(PySide6.__version__)')"

step "PyInstaller"
nice -n 10 "$PY" -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist/deb --workpath build/pyinstaller-deb \
    installer/desktop_app.spec
BUNDLE="dist/deb/desktop_app"
QT_QPA_PLATFORM=offscreen "$BUNDLE/desktop_app" --version

step "glibc symbol versions (objdump -T)"
"$ROOT/installer/glibc_needed.sh" "$BUNDLE" ${GLIBC_MAX:+"$GLIBC_MAX"}

step "dpkg-deb"
DEB="$(HOST_PYTHON=python3 "$ROOT/installer/make_deb.sh" "$BUNDLE" dist | tail -n 1)"
step "done: $DEB ($(du -h "$DEB" | cut -f1)), bundle $(du -sh "$BUNDLE" | cut -f1)"
