#!/usr/bin/env bash
# Build the PyInstaller bundle in a temporary folder and prove it works, then check that the NSIS
# script compiles against it and (if Wine is installed) that the installer behaves. Run by CI (.ci/run);
# about 1-2 minutes on a 2-core machine.
#
#   installer/check_linux.sh            exit 0 = all good, non-zero = something failed (reason on stderr)
#
# Environment: PYTHON (default python3), KEEP_WORK=1 keeps the temporary folder,
# SIZE_LIMIT_MB (default 120) fails the check when the unpacked bundle grows beyond it,
# DESKTOP_APP_OLDGLIBC=1 builds and checks the glibc 2.28 bundle instead (see below), GLIBC_MAX=X.Y fails
# when any file of the bundle needs a newer glibc, DEB_OUT=DIR keeps the .deb, SKIP_NSIS=1 stops before NSIS.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
# DESKTOP_APP_OLDGLIBC=1: the bundle for glibc 2.28 (UOS 20 / Kylin V10), built with the CPython of
# installer/build_python_oldglibc.sh (cached; 15-30 minutes the first time) and checked with GLIBC_MAX=2.28.
if [[ "${DESKTOP_APP_OLDGLIBC:-0}" == "1" ]]; then
    if [[ -z "${PYTHON:-}" ]]; then
        PY="$(nice -n 10 "$ROOT/installer/build_python_oldglibc.sh" | tail -n 1)" || {
            echo "check_linux: FAIL: cannot build the old-glibc Python" >&2
            exit 1
        }
    fi
    export DESKTOP_APP_OLDGLIBC GLIBC_MAX="${GLIBC_MAX:-2.28}"
fi
SIZE_LIMIT_MB="${SIZE_LIMIT_MB:-120}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/desktop_app_check.XXXXXX")"
T0=$(date +%s)

cleanup() {
    if [[ "${KEEP_WORK:-0}" == "1" ]]; then
        echo "check_linux: work folder kept: $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

step() { echo "== [$(($(date +%s) - T0)) s] $*"; }
fail() {
    echo "check_linux: FAIL: $*" >&2
    exit 1
}

# Everything the frozen program writes (database, logs, settings) goes to the work folder, never to
# the real user's folders, and never beside the program (checked below).
export XDG_DATA_HOME="$WORK/xdg/data" XDG_STATE_HOME="$WORK/xdg/state" XDG_CONFIG_HOME="$WORK/xdg/config"
export XDG_CACHE_HOME="${XDG_CACHE_HOME:-$HOME/.cache}" # PyInstaller's binary cache may stay
export QT_QPA_PLATFORM=offscreen
unset LEDGER_TODAY || true

VERSION="$("$PY" "$ROOT/installer/version_info.py" --version)"
step "version $VERSION, python $("$PY" -c 'import sys; print(sys.version.split()[0])'), work folder $WORK"

# --- 1. PyInstaller ---------------------------------------------------------------------------
if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
    step "installing PyInstaller"
    "$PY" -m pip install --quiet "pyinstaller>=6.3" || fail "cannot install PyInstaller"
fi

step "building the bundle (PyInstaller $("$PY" -c 'import PyInstaller; print(PyInstaller.__version__)'))"
B0=$(date +%s)
if ! "$PY" -m PyInstaller --noconfirm --log-level WARN --distpath "$WORK/dist" --workpath "$WORK/build" \
    "$ROOT/installer/desktop_app.spec" >"$WORK/pyinstaller.log" 2>&1; then
    tail -n 60 "$WORK/pyinstaller.log" >&2
    fail "PyInstaller build failed (log above)"
fi
BUILD_S=$(($(date +%s) - B0))
BUNDLE="$WORK/dist/desktop_app"
EXE="$BUNDLE/desktop_app"
[[ -x "$EXE" ]] || fail "no executable at $EXE"
step "built in ${BUILD_S} s"

# --- 2. what must (and must not) be inside ----------------------------------------------------
INTERNAL="$BUNDLE/_internal"
for f in resources/icons/app.png resources/icons/app.ico \
    desktop_app/storage/migrations/env.py desktop_app/storage/migrations/script.py.mako \
    docx/templates/default.docx alembic/templates \
    PySide6/Qt/plugins/platforms/libqoffscreen.so PySide6/Qt/plugins/platforms/libqxcb.so \
    PySide6/Qt/plugins/imageformats/libqico.so PySide6/Qt/plugins/printsupport \
    PySide6/Qt/translations/qtbase_zh_CN.qm; do
    [[ -e "$INTERNAL/$f" ]] || fail "bundle lacks $f"
done
ls "$INTERNAL"/desktop_app/storage/migrations/versions/*.py >/dev/null 2>&1 || fail "bundle lacks the migration versions"
for f in resources/templates/report.docx resources/styles/app.qss; do
    if [[ -e "$ROOT/$f" && ! -e "$INTERNAL/$f" ]]; then fail "bundle lacks $f"; fi
done
unwanted="$(find "$INTERNAL" \( -iname '*WebEngine*' -o -iname '*Qt6Quick*' -o -iname '*Qt6Qml*' \
    -o -iname '*Qt63D*' -o -iname '*Qt6Multimedia*' -o -iname '*Qt6Charts*' -o -iname '*Qt6Pdf*' \
    -o -iname '*Qt6Designer*' -o -iname '*Qt6Test*' -o -iname '_tkinter*' -o -iname 'libgtk-3*' \) | head -n 5)"
[[ -z "$unwanted" ]] || fail "bundle holds unused Qt/Tk parts: $unwanted"
n_qm=$(find "$INTERNAL" -name '*.qm' | wc -l)
((n_qm <= 4)) || fail "bundle holds $n_qm Qt translations; only zh_CN should be there"

# Libraries the kept plugins need but neither the bundle nor this machine has (informational:
# the build host decides what PyInstaller can pick up, e.g. libxcb-icccm4/libxcb-keysyms1).
missing="$(cd "$INTERNAL" && find . -name '*.so*' -type f -print0 |
    LD_LIBRARY_PATH="$INTERNAL:$INTERNAL/PySide6/Qt/lib" xargs -0 -r ldd 2>/dev/null |
    awk '/not found/ {print $1}' | sort -u | tr '\n' ' ')"
if [[ -n "$missing" ]]; then
    echo "check_linux: note: not bundled and not on this machine (the target system must provide them): $missing"
fi

before="$(cd "$BUNDLE" && find . | sort)"

# --- 3. run it --------------------------------------------------------------------------------
run() { # run <label> <args...>: the bundle, output to $WORK/out.txt, fail on non-zero exit
    local label="$1"
    shift
    if ! "$EXE" "$@" >"$WORK/out.txt" 2>&1; then
        cat "$WORK/out.txt" >&2
        find "$XDG_STATE_HOME" -name '*.log' -exec tail -n 40 {} \; >&2 2>/dev/null || true
        fail "bundle: $label failed"
    fi
    sed 's/^/    /' "$WORK/out.txt" | head -n 8
}

step "bundle --version"
run "--version" --version
grep -q "$VERSION" "$WORK/out.txt" || fail "--version does not print $VERSION"

step "bundle --smoke on a fresh database"
run "--smoke (fresh)" --smoke --db "$WORK/fresh.sqlite3"
grep -q "smoke ok" "$WORK/out.txt" || fail "--smoke did not say 'smoke ok'"
[[ -s "$WORK/fresh.sqlite3" ]] || fail "--smoke did not create the database"

step "bundle import tests/data/city-2023.docx"
run "import" import "$ROOT/tests/data/city-2023.docx" --db "$WORK/ledger.sqlite3"

step "bundle --smoke on a database holding that ledger"
run "--smoke (ledger)" --smoke --db "$WORK/ledger.sqlite3"
grep -Eq "smoke ok: .* 1 ledgers, [1-9][0-9]* tasks" "$WORK/out.txt" || fail "--smoke did not load the imported ledger"

step "bundle list / export docx, xlsx, pdf"
run "list" list --db "$WORK/ledger.sqlite3"
ledger_id="$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$WORK/out.txt")" ||
    fail "list did not print JSON"
for fmt in docx xlsx pdf ofd; do
    run "export $fmt" export "$ledger_id" --format "$fmt" -o "$WORK/report.$fmt" --db "$WORK/ledger.sqlite3"
    [[ -s "$WORK/report.$fmt" ]] || fail "export $fmt wrote nothing"
done
if command -v pdftotext >/dev/null 2>&1; then
    pdftotext "$WORK/report.pdf" "$WORK/report.txt" && grep -q "政务公开" "$WORK/report.txt" || fail "the PDF holds no Chinese text (fonts missing from the bundle?)"
fi

# Every fixture (Word and Excel ledgers, a notice), imported and exported in every format: what the
# importers and exporters load (lxml, openpyxl, python-docx, reportlab with Pillow's core, fontTools) is
# in the bundle. installer/bundle_filter.py cuts parts of Pillow, OpenSSL and ICU: this proves the rest.
step "bundle import + export (docx, xlsx, pdf, ofd) of each fixture in tests/data"
n_fix=0
for f in "$ROOT"/tests/data/*.docx "$ROOT"/tests/data/*.xlsx; do
    run "import $(basename "$f")" import "$f" --db "$WORK/all.sqlite3"
    n_fix=$((n_fix + 1))
done
run "list (all fixtures)" list --db "$WORK/all.sqlite3"
ids="$("$PY" -c 'import json,sys; print(" ".join(str(l["id"]) for l in json.load(open(sys.argv[1]))))' "$WORK/out.txt")"
[[ $(wc -w <<<"$ids") == "$n_fix" ]] || fail "imported $n_fix fixtures but list shows ledgers: $ids"
for id in $ids; do
    for fmt in docx xlsx pdf ofd; do
        run "export ledger $id $fmt" export "$id" --format "$fmt" -o "$WORK/all-$id.$fmt" --db "$WORK/all.sqlite3" >/dev/null
        [[ -s "$WORK/all-$id.$fmt" ]] || fail "export of ledger $id to $fmt wrote nothing"
    done
done
run "--smoke (all fixtures)" --smoke --db "$WORK/all.sqlite3"
grep -Eq "smoke ok: .* $n_fix ledgers" "$WORK/out.txt" || fail "--smoke did not load the $n_fix imported ledgers"

# Qt's ICU data is the reduced copy (installer/icu_data.py): what Qt asks ICU (Chinese collation, case
# mapping, time-zone names, the Chinese converters) answers as with the full data (installer/icu_probe.py,
# run with this Python's PySide6 - the same Qt the bundle carries - once with the bundle's data preloaded).
icu_lib="$(find "$INTERNAL" -name 'libicudata.so.*' -type f | head -n 1)"
if [[ -n "$icu_lib" ]]; then
    icu_mb=$(du -m "$icu_lib" | cut -f1)
    step "ICU data: $(basename "$icu_lib") ${icu_mb} MB; installer/icu_probe.py with the full and the bundled data"
    ((icu_mb <= 10)) || echo "check_linux: note: the bundle carries the full ICU data (no C compiler at build time?)"
    "$PY" "$ROOT/installer/icu_probe.py" >"$WORK/icu-full.txt" 2>&1 || { cat "$WORK/icu-full.txt" >&2; fail "icu_probe.py failed"; }
    LD_PRELOAD="$icu_lib" "$PY" "$ROOT/installer/icu_probe.py" >"$WORK/icu-bundle.txt" 2>&1 ||
        { cat "$WORK/icu-bundle.txt" >&2; fail "icu_probe.py with the bundle's ICU data failed"; }
    head -n 1 "$WORK/icu-bundle.txt" | grep -qF "$icu_lib" || fail "icu_probe.py did not load the bundle's ICU data"
    if ! diff <(tail -n +2 "$WORK/icu-full.txt") <(tail -n +2 "$WORK/icu-bundle.txt") >&2; then
        fail "Qt answers differently with the bundle's ICU data (diff above: full < > bundle)"
    fi
    echo "    $(($(wc -l <"$WORK/icu-bundle.txt") - 1)) answers the same"
fi

# Server mode: the bundle carries psycopg (libpq). An unreachable server gives our Chinese sentence, not
# an ImportError; with PostgreSQL installed here, a throw-away cluster (tests/pgcluster.py) is used for real.
step "bundle --db postgresql://… (server unreachable: one Chinese sentence)"
if "$EXE" list --db "postgresql://nobody@127.0.0.1:1/zwgk_none" >"$WORK/out.txt" 2>&1; then
    fail "list on an unreachable server did not fail"
fi
grep -q "无法连接服务器数据库" "$WORK/out.txt" || { cat "$WORK/out.txt" >&2; fail "bundle: no 'cannot connect' sentence for a server"; }
! grep -Eqi "ImportError|ModuleNotFound|Traceback|psycopg" "$WORK/out.txt" || { cat "$WORK/out.txt" >&2; fail "bundle: server mode lacks its driver"; }
if PYTHONPATH="$ROOT/tests" "$PY" -c "import pgcluster; pgcluster.Cluster().stop()" 2>/dev/null; then
    step "bundle import + list on a throw-away PostgreSQL cluster"
    PYTHONPATH="$ROOT/tests" "$PY" - "$EXE" "$ROOT/tests/data/city-2023.docx" >"$WORK/out.txt" 2>&1 <<'PYEOF' ||
import json, subprocess, sys
import pgcluster
exe, docx = sys.argv[1], sys.argv[2]
cluster = pgcluster.Cluster().start()
try:
    url = cluster.url(cluster.new_database())
    for args in (["import", docx], ["list"]):
        done = subprocess.run([exe, *args, "--db", url], capture_output=True, text=True, timeout=300)
        print(done.stdout, done.stderr)
        if done.returncode != 0:
            sys.exit(f"{args[0]} on the server failed")
    ledgers = json.loads(done.stdout)
    assert len(ledgers) == 1 and ledgers[0]["task_count"] > 10, ledgers
    print("server ok:", ledgers[0]["title"], ledgers[0]["task_count"], "tasks")
finally:
    cluster.stop()
PYEOF
        { cat "$WORK/out.txt" >&2; fail "bundle: server mode on a real PostgreSQL failed"; }
    grep "server ok" "$WORK/out.txt"
else
    echo "check_linux: note: no PostgreSQL here (initdb/psycopg): only the unreachable-server sentence checked"
fi

# The real display plugin too, when this machine can run it (X virtual frame buffer + xcb libs).
if command -v xvfb-run >/dev/null 2>&1 && ! LD_LIBRARY_PATH="$INTERNAL:$INTERNAL/PySide6/Qt/lib" \
    ldd "$INTERNAL/PySide6/Qt/plugins/platforms/libqxcb.so" | grep -q "not found"; then
    step "bundle --smoke on xcb (xvfb)"
    if ! QT_QPA_PLATFORM=xcb timeout 60 xvfb-run -a "$EXE" --smoke --db "$WORK/ledger.sqlite3" >"$WORK/out.txt" 2>&1; then
        cat "$WORK/out.txt" >&2
        fail "bundle --smoke on xcb failed"
    fi
else
    echo "check_linux: note: xcb smoke skipped (no xvfb-run, or libxcb-icccm4/libxcb-keysyms1 missing here)"
fi

after="$(cd "$BUNDLE" && find . | sort)"
if [[ "$before" != "$after" ]]; then
    diff <(echo "$before") <(echo "$after") | head -n 10 >&2
    fail "the program wrote files beside itself (must use the user data folder)"
fi
[[ -n "$(find "$XDG_STATE_HOME" -name 'desktop_app.log' 2>/dev/null)" ]] ||
    echo "check_linux: note: no log file under \$XDG_STATE_HOME (the CLI may log only on errors)"

# The oldest glibc the bundle can start on: the highest GLIBC_x.y symbol version any of its files needs
# (objdump -T). GLIBC_MAX=2.28 makes it a failure to need more (UOS 20 / Kylin V10: docs/INSTALL.md 5.2).
if command -v objdump >/dev/null 2>&1; then
    step "glibc symbol versions (installer/glibc_needed.sh)"
    "$ROOT/installer/glibc_needed.sh" "$BUNDLE" ${GLIBC_MAX:+"$GLIBC_MAX"} | sed 's/^/    /' ||
        fail "the bundle needs a glibc newer than GLIBC_MAX=$GLIBC_MAX (files above)"
fi

SIZE_MB=$(du -sm "$BUNDLE" | cut -f1)
step "unpacked bundle size: ${SIZE_MB} MB (limit ${SIZE_LIMIT_MB} MB)"
((SIZE_MB <= SIZE_LIMIT_MB)) || fail "bundle is ${SIZE_MB} MB, over ${SIZE_LIMIT_MB} MB"

# --- 4. the .deb (installer/make_deb.sh), installed, run, upgraded, removed (installer/check_deb.sh) ---
if command -v dpkg-deb >/dev/null 2>&1; then
    step "the .deb: make_deb.sh (${DEB_COMPRESS:-none}: uncompressed unless DEB_COMPRESS is set; build_deb.sh uses xz)"
    DEB="$(DEB_COMPRESS="${DEB_COMPRESS:-none}" HOST_PYTHON=python3 "$ROOT/installer/make_deb.sh" "$BUNDLE" "$WORK/deb" |
        tail -n 1)" || fail "make_deb.sh failed"
    DEB_MB=$(du -m "$DEB" | cut -f1)
    step "check_deb.sh: dpkg -i, run, upgrade, dpkg -r / -P keep the user's data"
    set +e
    "$ROOT/installer/check_deb.sh" "$DEB"
    rc=$?
    set -e
    if [[ $rc == 77 ]]; then
        echo "check_linux: note: .deb install check skipped (needs root)"
    elif [[ $rc != 0 ]]; then
        fail "the .deb misbehaves (see above)"
    fi
    if [[ -n "${DEB_OUT:-}" ]]; then
        mkdir -p "$DEB_OUT" && cp "$DEB" "$DEB_OUT/" && echo "check_linux: .deb kept: $DEB_OUT/$(basename "$DEB")"
    fi
else
    echo "check_linux: note: no dpkg-deb here, .deb not built"
fi

if [[ "${SKIP_NSIS:-0}" == "1" ]]; then
    step "all good (NSIS skipped): bundle ${SIZE_MB} MB, .deb ${DEB_MB:-?} MB, built in ${BUILD_S} s; whole check $(($(date +%s) - T0)) s"
    exit 0
fi

# --- 5. NSIS ----------------------------------------------------------------------------------
if ! command -v makensis >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == "0" ]]; then
        step "installing nsis"
        (apt-get install -y -q nsis >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q nsis >/dev/null)) ||
            fail "cannot install nsis"
    else
        fail "makensis not found (apt-get install nsis)"
    fi
fi
step "makensis $(makensis -VERSION) against the Linux bundle (compile check only)"
mkdir -p "$WORK/nsis"
if ! makensis -V2 -WX -DCOMPRESSOR=none "-DVERSION=$VERSION" "-DBUNDLE_DIR=$BUNDLE" "-DOUT_DIR=$WORK/nsis" \
    "$ROOT/installer/desktop_app.nsi" >"$WORK/makensis.log" 2>&1; then
    cat "$WORK/makensis.log" >&2
    fail "makensis failed"
fi
OUT="$WORK/nsis/desktop_app-$VERSION-win64-installer.exe"
[[ -s "$OUT" ]] || fail "makensis wrote no $OUT"

# --- 6. the installer's logic under Wine, when this machine has it (about 20 s) ---------------
step "NSIS installer under Wine (install, upgrade, running program, uninstall keeps data)"
set +e
"$ROOT/installer/check_nsis_wine.sh"
rc=$?
set -e
if [[ $rc == 77 ]]; then
    echo "check_linux: note: Wine check skipped"
elif [[ $rc != 0 ]]; then
    fail "the installer misbehaves under Wine (see above)"
fi

step "all good: bundle ${SIZE_MB} MB, .deb ${DEB_MB:-?} MB, built in ${BUILD_S} s; whole check $(($(date +%s) - T0)) s"
