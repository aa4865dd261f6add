#!/usr/bin/env bash
# Build a CPython 3.11 whose binary, libpython and extension modules need no glibc newer than 2.28
# (UOS 20 / Kylin V10 / Debian 10 / RHEL 8), for the old-glibc bundle (installer/build_deb.sh).
#
#   installer/build_python_oldglibc.sh        prints the interpreter's path on its last line
#
# Only the package registries are used: zig from PyPI (`ziglang`: `zig cc -target x86_64-linux-gnu.2.28`
# links against glibc 2.28 stubs whatever glibc this machine has) and the upstream source tarballs of
# CPython 3.11, zlib, bzip2, xz, libffi and SQLite from Debian's source packages (apt-get source).
# Those libraries are built static and PIC, so the extension modules carry them and the bundle needs
# no libz/libffi/libsqlite3 of the build machine. Not built with it: _hashlib (hashlib keeps its built-in
# md5/sha1/sha2/sha3/blake2), readline, curses, tkinter, dbm, _uuid (uuid falls back to pure Python). _ssl
# is built afterwards on psycopg_binary's OpenSSL (build_ssl_module below).
#
# Then the bundle's requirements (installer/requirements-oldglibc.txt: PySide6 6.9, manylinux_2_28 wheels)
# are installed into it. Everything goes to $DESKTOP_APP_OLDGLIBC_CACHE (default ~/.cache/desktop_app-oldglibc) and is reused:
# the first run takes 15-30 minutes on 2 cores (run it under nice), later runs a second.
set -euo pipefail

CACHE="${DESKTOP_APP_OLDGLIBC_CACHE:-$HOME/.cache/desktop_app-oldglibc}"
GLIBC_TARGET="${GLIBC_TARGET:-2.28}"
ZIG_VERSION="${ZIG_VERSION:-0.17.1}"
PY_PREFIX="$CACHE/python3.11"
DEPS="$CACHE/deps"
SRC="$CACHE/src"
BUILD="$CACHE/build"
STAMP="$PY_PREFIX/.built-glibc-$GLIBC_TARGET"
JOBS="${JOBS:-2}"
HOST_PY="${HOST_PYTHON:-python3}"

log() { echo "== [build_python_oldglibc] $*" >&2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQS="$ROOT/installer/requirements-oldglibc.txt"
WHEELS="$CACHE/wheels"

# The bundle's requirements as wheels for manylinux_2_28 or older (pip evaluates the platform tags given,
# not this machine's glibc), downloaded once into $WHEELS and installed from there without the network.
install_requirements() {
    local py="$PY_PREFIX/bin/python3.11" stamp="$PY_PREFIX/.requirements"
    if [[ -f "$stamp" ]] && cmp -s "$stamp" "$REQS"; then return 0; fi
    if ! "$py" -m pip install --quiet --disable-pip-version-check --no-index --find-links "$WHEELS" -r "$REQS" 2>/dev/null; then
        log "downloading the wheels of $REQS (manylinux_2_28 and older)"
        local plats=()
        for p in manylinux_2_28 manylinux_2_27 manylinux_2_26 manylinux_2_24 manylinux_2_17 manylinux2014 \
            manylinux2010 manylinux1; do plats+=(--platform "${p}_x86_64"); done
        "$HOST_PY" -m pip download --quiet --disable-pip-version-check --only-binary=:all: "${plats[@]}" \
            --python-version 3.11 --implementation cp -d "$WHEELS" -r "$REQS"
        "$py" -m pip install --quiet --disable-pip-version-check --no-index --find-links "$WHEELS" -r "$REQS"
    fi
    cp "$REQS" "$stamp"
}

# Python's _ssl, on the OpenSSL 3 that psycopg_binary's wheel carries (manylinux_2_28, in
# site-packages/psycopg_binary.libs): psycopg_binary (server mode) imports ssl at load, and this Python has no
# OpenSSL of its own. Compiled with zig against Debian's OpenSSL 3 headers (libssl-dev; OpenSSL keeps its ABI
# within a major version) and linked to psycopg's libssl/libcrypto, so the bundle carries one OpenSSL.
build_ssl_module() {
    local py="$PY_PREFIX/bin/python3.11" stamp="$PY_PREFIX/.ssl-module" libs ssl crypto key work mod
    libs="$("$py" -c 'import importlib.util, pathlib; print(pathlib.Path(importlib.util.find_spec("psycopg_binary").origin).parent.parent / "psycopg_binary.libs")')"
    ssl="$(compgen -G "$libs/libssl-*.so.3" | head -n 1 || true)"
    crypto="$(compgen -G "$libs/libcrypto-*.so.3" | head -n 1 || true)"
    if [[ -z "$ssl" || -z "$crypto" ]]; then log "psycopg_binary carries no OpenSSL 3: no _ssl (server mode unavailable)"; return 0; fi
    key="$(basename "$ssl") $(basename "$crypto")"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$key" ]] && "$py" -c "import ssl" 2>/dev/null; then return 0; fi
    if [[ ! -f /usr/include/openssl/ssl.h ]]; then
        [[ "$(id -u)" == 0 ]] || { log "no OpenSSL headers: apt-get install libssl-dev"; exit 1; }
        apt-get install -y -qq libssl-dev >/dev/null
    fi
    log "_ssl on psycopg_binary's $(basename "$ssl")"
    work="$BUILD/ssl-module"
    rm -rf "$work" && mkdir -p "$work/include"
    # Only OpenSSL's headers: /usr/include also holds this machine's newer glibc headers.
    cp -r /usr/include/openssl "$work/include/"
    cp /usr/include/x86_64-linux-gnu/openssl/*.h "$work/include/openssl/" 2>/dev/null || true
    tar -C "$work" -xf "$(compgen -G "$SRC/python3.11_*.orig.tar.*" | head -n 1)" --wildcards \
        '*/Modules/_ssl*' '*/Modules/socketmodule.h' '*/Modules/clinic/_ssl.c.h'
    mod="$(find "$work" -path '*/Modules/_ssl.c' | head -n 1)"
    ZIG_GLOBAL_CACHE_DIR="$CACHE/zig-cache" ZIG_LOCAL_CACHE_DIR="$CACHE/zig-cache" \
        "$CACHE/bin/zcc" -shared -fPIC -O2 -I"$PY_PREFIX/include/python3.11" -I"$work/include" -I"$(dirname "$mod")" "$mod" \
        "$ssl" "$crypto" -Wl,-rpath,'$ORIGIN/../site-packages/psycopg_binary.libs' \
        -o "$PY_PREFIX/lib/python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so" >"$BUILD/ssl-module.log" 2>&1 ||
        { tail -n 30 "$BUILD/ssl-module.log" >&2; log "_ssl failed"; exit 1; }
    "$py" -c 'import ssl, psycopg; ssl.create_default_context(); assert psycopg.pq.__impl__ == "binary"; print("ssl:", ssl.OPENSSL_VERSION)' >&2
    echo "$key" >"$stamp"
}

if [[ -f "$STAMP" && -x "$PY_PREFIX/bin/python3.11" ]]; then
    install_requirements
    build_ssl_module
    log "cached: $PY_PREFIX"
    echo "$PY_PREFIX/bin/python3.11"
    exit 0
fi
mkdir -p "$CACHE" "$SRC" "$BUILD" "$DEPS" "$CACHE/bin"

# --- zig (PyPI) and the compiler wrappers -----------------------------------------------------
ZIG="$CACHE/zig/ziglang/zig"
if [[ ! -x "$ZIG" ]]; then
    log "installing ziglang==$ZIG_VERSION from PyPI"
    "$HOST_PY" -m pip install --quiet --disable-pip-version-check --target "$CACHE/zig" "ziglang==$ZIG_VERSION"
fi
export ZIG_GLOBAL_CACHE_DIR="$CACHE/zig-cache" ZIG_LOCAL_CACHE_DIR="$CACHE/zig-cache"
# -fno-sanitize=all: zig cc turns UBSan on when no optimisation is given (configure's test programs).
for t in cc c++; do
    name=zcc
    [[ $t == c++ ]] && name=zcxx
    cat >"$CACHE/bin/$name" <<EOF
#!/bin/sh
exec "$ZIG" $t -target x86_64-linux-gnu.$GLIBC_TARGET -fno-sanitize=all "\$@"
EOF
done
printf '#!/bin/sh\nexec "%s" ar "$@"\n' "$ZIG" >"$CACHE/bin/zar"
printf '#!/bin/sh\nexec "%s" ranlib "$@"\n' "$ZIG" >"$CACHE/bin/zranlib"
chmod +x "$CACHE/bin/"*
export PATH="$CACHE/bin:$PATH"
CC=zcc
CXX=zcxx

# --- sources (Debian's source packages: the upstream tarballs) --------------------------------
fetch_src() { # fetch_src <source package> [version]: downloads <pkg>_*.orig.tar.* into $SRC
    local pkg="$1" ver="${2:-}"
    if compgen -G "$SRC/${pkg}_*.orig.tar.*" >/dev/null; then return 0; fi
    if ! grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
        [[ "$(id -u)" == 0 ]] || { log "no deb-src in apt's sources and not root: add deb-src lines"; exit 1; }
        log "adding deb-src entries for apt-get source"
        sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
            >/etc/apt/sources.list.d/desktop-app-src.sources
        apt-get update -qq
    fi
    (cd "$SRC" && apt-get source --download-only -qq "$pkg${ver:+=$ver}") >/dev/null 2>&1 ||
        (cd "$SRC" && apt-get update -qq && apt-get source --download-only -qq "$pkg${ver:+=$ver}") >/dev/null 2>&1 ||
        true
    compgen -G "$SRC/${pkg}_*.orig.tar.*" >/dev/null || { log "apt-get source $pkg failed"; exit 1; }
}
unpack() { # unpack <source package> -> prints the unpacked folder
    local pkg="$1" tarball dir
    tarball="$(compgen -G "$SRC/${pkg}_*.orig.tar.*" | grep -v -- '-www\.' | head -n1)"
    rm -rf "$BUILD/$pkg"
    mkdir -p "$BUILD/$pkg"
    tar -C "$BUILD/$pkg" -xf "$tarball"
    dir="$(find "$BUILD/$pkg" -mindepth 1 -maxdepth 1 -type d | head -n1)"
    echo "$dir"
}

fetch_src python3.11
fetch_src zlib
fetch_src bzip2
fetch_src xz-utils
fetch_src libffi
fetch_src sqlite3
command -v tclsh >/dev/null || { [[ "$(id -u)" == 0 ]] && apt-get install -y -qq tcl >/dev/null; } # sqlite3.c generation

# clang 20+ makes these errors by default; the 2022-2023 sources of Debian 12 still have a few.
export CFLAGS="-O2 -fPIC -Wno-error=implicit-function-declaration -Wno-error=incompatible-pointer-types"
export CXXFLAGS="-O2 -fPIC"

# --- static, PIC dependencies -----------------------------------------------------------------
logged() { # logged <name> <command...>: output to $BUILD/<name>.log, its tail on failure
    local name="$1"
    shift
    if ! "$@" >"$BUILD/$name.log" 2>&1; then
        tail -n 40 "$BUILD/$name.log" >&2
        log "$name failed (log: $BUILD/$name.log)"
        exit 1
    fi
}
build_zlib() {
    cd "$(unpack zlib)" && CC=$CC AR=zar RANLIB=zranlib ./configure --static --prefix="$DEPS" &&
        make -j"$JOBS" libz.a && make install
}
build_bzip2() {
    cd "$(unpack bzip2)" &&
        make -j"$JOBS" CC=$CC AR=zar RANLIB=zranlib CFLAGS="$CFLAGS -D_FILE_OFFSET_BITS=64" libbz2.a &&
        install -D -m644 libbz2.a "$DEPS/lib/libbz2.a" && install -D -m644 bzlib.h "$DEPS/include/bzlib.h"
}
build_xz() {
    cd "$(unpack xz-utils)" && ./configure CC=$CC AR=zar RANLIB=zranlib --prefix="$DEPS" --libdir="$DEPS/lib" \
        --disable-shared --enable-static --with-pic --disable-xz --disable-xzdec --disable-lzmadec \
        --disable-lzmainfo --disable-lzma-links --disable-scripts --disable-doc --disable-nls &&
        make -j"$JOBS" && make install
}
build_libffi() {
    cd "$(unpack libffi)" && ./configure CC=$CC AR=zar RANLIB=zranlib --prefix="$DEPS" --libdir="$DEPS/lib" \
        --disable-shared --enable-static --with-pic --disable-docs --disable-multi-os-directory \
        --disable-exec-static-tramp &&
        make -j"$JOBS" && make install
}
build_sqlite3() {
    # Debian's build options that matter to Python users (FTS, JSON, R*Tree, math functions).
    cd "$(unpack sqlite3)" && ./configure CC=$CC BCC=gcc AR=zar RANLIB=zranlib --prefix="$DEPS" \
        --libdir="$DEPS/lib" --disable-shared --enable-static --with-pic --disable-tcl --disable-readline \
        --disable-editline --enable-fts4 --enable-fts5 --enable-rtree --enable-math \
        CFLAGS="$CFLAGS -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_ENABLE_UNLOCK_NOTIFY -DSQLITE_ENABLE_DBSTAT_VTAB" &&
        make -j"$JOBS" libsqlite3.la && install -D -m644 .libs/libsqlite3.a "$DEPS/lib/libsqlite3.a" &&
        install -D -m644 sqlite3.h "$DEPS/include/sqlite3.h" && install -D -m644 sqlite3ext.h "$DEPS/include/sqlite3ext.h"
}
[[ -f "$DEPS/lib/libz.a" ]] || { log "zlib"; logged zlib build_zlib; }
[[ -f "$DEPS/lib/libbz2.a" ]] || { log "bzip2"; logged bzip2 build_bzip2; }
[[ -f "$DEPS/lib/liblzma.a" ]] || { log "xz (liblzma)"; logged xz build_xz; }
[[ -f "$DEPS/lib/libffi.a" ]] || { log "libffi"; logged libffi build_libffi; }
[[ -f "$DEPS/lib/libsqlite3.a" ]] || { log "sqlite3"; logged sqlite3 build_sqlite3; }

# --- CPython ----------------------------------------------------------------------------------
log "CPython 3.11 (configure + make -j$JOBS)"
# An interrupted build resumes in its configured tree.
d="$(find "$BUILD/python3.11" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | head -n1)"
[[ -n "$d" && -f "$d/.configured" ]] || d="$(unpack python3.11)"
cd "$d"
# pkg-config must see only $DEPS, never the build machine's libraries.
export PKG_CONFIG_PATH="$DEPS/lib/pkgconfig" PKG_CONFIG_LIBDIR="$DEPS/lib/pkgconfig"
[[ -f .configured ]] || ./configure CC=$CC CXX=$CXX AR=zar RANLIB=zranlib --prefix="$PY_PREFIX" --enable-shared --with-ensurepip=install \
    --disable-test-modules --without-static-libpython \
    py_cv_module__crypt=n/a py_cv_module_nis=n/a py_cv_module__dbm=n/a py_cv_module__gdbm=n/a \
    py_cv_module_readline=n/a py_cv_module__curses=n/a py_cv_module__curses_panel=n/a \
    py_cv_module__tkinter=n/a py_cv_module__uuid=n/a \
    CFLAGS="-O2" CPPFLAGS="-I$DEPS/include" LDFLAGS="-L$DEPS/lib -Wl,-rpath,$PY_PREFIX/lib" \
    ZLIB_CFLAGS="-I$DEPS/include" ZLIB_LIBS="$DEPS/lib/libz.a" \
    BZIP2_CFLAGS="-I$DEPS/include" BZIP2_LIBS="$DEPS/lib/libbz2.a" \
    LIBLZMA_CFLAGS="-I$DEPS/include" LIBLZMA_LIBS="$DEPS/lib/liblzma.a" \
    LIBFFI_CFLAGS="-I$DEPS/include" LIBFFI_LIBS="$DEPS/lib/libffi.a" \
    LIBSQLITE3_CFLAGS="-I$DEPS/include" LIBSQLITE3_LIBS="$DEPS/lib/libsqlite3.a -lm" \
    >"$BUILD/python-configure.log" 2>&1 || { tail -n 40 "$BUILD/python-configure.log" >&2; exit 1; }
touch .configured
# zig's linker takes -soname, not the -h spelling of CPython's Makefile; and zig cc links no shared library
# from other shared libraries alone (libpython3.so, the stable-ABI stub): give it an empty C file too.
echo 'int _desktop_app_py3_stub;' >zig_py3_stub.c
sed -i -e 's/-Wl,-h\$(INSTSONAME)/-Wl,-soname,$(INSTSONAME)/' \
    -e 's/-o \$@ -Wl,-h\$@ \$^/-o $@ -Wl,-soname,$@ zig_py3_stub.c $^/' Makefile
# setup.py (the shared extension modules) adds the build machine's /usr/include/<multiarch>, /usr/local and
# /usr/lib: their headers are glibc 2.36's and their libraries need it. Only zig's glibc 2.28 and $DEPS.
sed -i -e 's/^        self.add_multiarch_paths()$/        pass  # not the build machine'"'"'s paths/' \
    -e "s|^\( *\)add_dir_to_list(self.compiler.library_dirs, '/usr/local/lib')|\1pass|" \
    -e "s|^\( *\)add_dir_to_list(self.compiler.include_dirs, '/usr/local/include')|\1pass|" \
    -e "s|^        system_lib_dirs = \['/lib64', '/usr/lib64', '/lib', '/usr/lib'\]|        system_lib_dirs = []|" \
    -e "s|^        system_include_dirs = \['/usr/include'\]|        system_include_dirs = []|" setup.py
# -Wno-date-time: zig cc makes __DATE__ (Modules/getbuildinfo.c) an error, for reproducible builds.
make -j"$JOBS" EXTRA_CFLAGS="-Wno-date-time" >"$BUILD/python-make.log" 2>&1 || { tail -n 60 "$BUILD/python-make.log" >&2; exit 1; }
grep -A12 "necessary bits to build these optional modules were not found" "$BUILD/python-make.log" >&2 || true
make install >"$BUILD/python-install.log" 2>&1 || { tail -n 40 "$BUILD/python-install.log" >&2; exit 1; }
"$PY_PREFIX/bin/python3.11" -c 'import sqlite3, zlib, bz2, lzma, ctypes, _decimal, pyexpat; print("modules ok, sqlite", sqlite3.sqlite_version)' >&2
touch "$STAMP"
install_requirements
build_ssl_module
log "built: $PY_PREFIX"
echo "$PY_PREFIX/bin/python3.11"
