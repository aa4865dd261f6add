# Shared by installer/check_nsis_wine.sh (installer logic, stand-in program) and installer/check_windows.sh
# (the real Windows bundle): a Wine prefix of our own, the installer's registry key and folders, and the
# checks of a silent install, an upgrade and a silent uninstall. Source it; it defines functions only,
# plus wine_env, which sets the variables below.
#
#   wine_env WORK        WINEPREFIX=$WORK/prefix, HOME=$WORK/home (Wine links the Windows desktop to $HOME,
#                        so the shortcuts it writes stay inside WORK), quiet Wine, no Mono/Gecko prompts
#   wine_boot            create the prefix, pretend to be Windows 10
#   makensis_amd64 ...   makensis for Wine: Debian's wine64 runs only 64-bit programs, and the real
#                        installer is a 32-bit NSIS stub, so the same script is compiled with
#                        `Target amd64-unicode` (the script does not depend on the stub's bitness)

# The caller defines fail() (prints its own name).

wine_env() {
    local work="$1"
    export HOME="$work/home" WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
    export LANG=C.UTF-8
    mkdir -p "$HOME"
    WIN_USER="$(whoami)"
    LOCAL="$WINEPREFIX/drive_c/users/$WIN_USER/AppData/Local"
    DIR="$LOCAL/Programs/desktop_app"
    WDIR='C:\users\'"$WIN_USER"'\AppData\Local\Programs\desktop_app'
    DATA="$LOCAL/zwgk/desktop_app"
    KEY='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\desktop_app'
    export WIN_USER LOCAL DIR WDIR DATA KEY
}

wine_boot() {
    wineboot -i >/dev/null 2>&1 || true
    wine winecfg -v win10 >/dev/null 2>&1 || true
}

# Wine needs a 64-bit NSIS stub and 64-bit Wine programs; prints why not, returns 1, when they are missing.
wine_nsis_ready() {
    command -v wine >/dev/null 2>&1 || { echo "wine not installed (apt-get install wine64)"; return 1; }
    command -v makensis >/dev/null 2>&1 || { echo "makensis not installed (apt-get install nsis)"; return 1; }
    local nsisdir
    nsisdir="$(makensis -HDRINFO 2>/dev/null | tr ' ,' '\n\n' | sed -n 's/^NSISDIR=//p' | head -n1)"
    [[ -e "${nsisdir:-/usr/share/nsis}/Stubs/zlib-amd64-unicode" ]] || { echo "NSIS has no amd64-unicode stubs"; return 1; }
    return 0
}

makensis_amd64() { # makensis_amd64 <version> <bundle dir> <out dir> [extra makensis args...]
    local version="$1" bundle="$2" out="$3"
    shift 3
    makensis -V1 -WX "-XTarget amd64-unicode" "-DVERSION=$version" "-DBUNDLE_DIR=$bundle" \
        "-DOUT_DIR=$out" "$@" "$ROOT/installer/desktop_app.nsi"
}

reg_value() { wine reg query "$KEY" /v "$1" 2>/dev/null | awk -v k="$1" '$1 == k {print $NF}' | tr -d '\r'; }

shortcut() { find -L "$WINEPREFIX/drive_c/users" "$HOME" -name '政务公开任务落实台账.lnk' 2>/dev/null | head -n1; }

# After `installer.exe /S`: program, uninstaller, the uninstall key complete, a shortcut.
assert_installed() { # assert_installed <version>
    [[ -f "$DIR/desktop_app.exe" && -f "$DIR/uninstall.exe" ]] || fail "$1 not installed in $DIR"
    [[ "$(reg_value DisplayVersion)" == "$1" ]] || fail "DisplayVersion is not $1"
    local v
    for v in DisplayName Publisher UninstallString QuietUninstallString InstallLocation DisplayIcon NoModify NoRepair EstimatedSize; do
        [[ -n "$(reg_value "$v")" ]] || fail "uninstall key lacks $v"
    done
    [[ -n "$(shortcut)" ]] || fail "no shortcut"
}

# After an upgrade to <version>: old program files gone, the user's data and foreign files kept.
# The caller put "$DIR/notes.txt" (a foreign file) and "$DIR/_internal/old-library.dll" (a stale one) there.
assert_upgraded() { # assert_upgraded <version> <data file>
    [[ "$(reg_value DisplayVersion)" == "$1" ]] || fail "DisplayVersion is not $1 after upgrade"
    [[ ! -e "$DIR/_internal/old-library.dll" ]] || fail "upgrade left old program files"
    [[ -f "$DIR/notes.txt" ]] || fail "upgrade removed a file that is not the program's"
    [[ -f "$2" ]] || fail "upgrade removed the user's data ($2)"
}

# `uninstall.exe /S` and the checks: program files, key and shortcut gone; data and foreign files kept.
uninstall_and_check() { # uninstall_and_check <data file>
    wine "$DIR/uninstall.exe" /S || fail "uninstall exit code $?"
    local _
    for _ in $(seq 60); do [[ -e "$DIR/desktop_app.exe" ]] || break; sleep 0.5; done
    [[ ! -e "$DIR/desktop_app.exe" && ! -e "$DIR/_internal" && ! -e "$DIR/uninstall.exe" ]] || fail "uninstall left program files"
    if wine reg query "$KEY" >/dev/null 2>&1; then fail "uninstall left the registry key"; fi
    [[ -z "$(shortcut)" ]] || fail "uninstall left a shortcut"
    [[ -f "$1" ]] || fail "uninstall removed the user's data ($1)"
    [[ -f "$DIR/notes.txt" ]] || fail "uninstall removed a file that is not the program's"
}
