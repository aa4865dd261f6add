#!/usr/bin/env bash
# The oldest glibc a Linux bundle can start on: the highest GLIBC_x.y symbol version that any of its ELF
# files needs (objdump -T over every file, whatever its name), and which files need it.
#
#   installer/glibc_needed.sh BUNDLE_DIR [GLIBC_MAX]
#
# Prints "glibc >= X.Y needed (highest in: files)", the highest GLIBCXX (libstdc++) and CXXABI versions,
# and with GLIBC_MAX every file that needs more than it; exits 1 when one does.
set -euo pipefail

BUNDLE="${1:?usage: glibc_needed.sh BUNDLE_DIR [GLIBC_MAX]}"
MAX="${2:-}"
command -v objdump >/dev/null || { echo "glibc_needed: objdump not found (apt-get install binutils)" >&2; exit 2; }

vsort() { sort -u -t. -k1,1n -k2,2n -k3,3n; }
# "<version> <file>" for every GLIBC_/GLIBCXX_/CXXABI_ version any ELF file of the bundle refers to.
elf_files() { # every ELF file under ., NUL-separated, whatever its name
    python3 -c 'import os, sys
for d, _dirs, files in os.walk("."):
    for n in files:
        p = os.path.join(d, n)
        if not os.path.islink(p):
            with open(p, "rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    sys.stdout.write(p + "\0")'
}
report="$(cd "$BUNDLE" && elf_files | xargs -0 -r -n 40 objdump -T 2>/dev/null |
    awk '/file format/ {f=$1; sub(/:$/, "", f); sub(/^\.\//, "", f)}
         {line=$0; while (match(line, /(GLIBC|GLIBCXX|CXXABI)_[0-9.]+/)) {
            print substr(line, RSTART, RLENGTH), f; line=substr(line, RSTART+RLENGTH)}}' | sort -u)"
n_files="$(echo "$report" | awk '{print $2}' | sort -u | grep -c . || true)"
[[ -n "$report" ]] || { echo "glibc_needed: no ELF file with glibc symbols in $BUNDLE" >&2; exit 2; }

highest() { echo "$report" | awk -v p="$1_" 'index($1, p) == 1 {print substr($1, length(p) + 1)}' | vsort | tail -n1; }
files_needing() { echo "$report" | awk -v v="$1" '$1 == v {print $2}' | sort -u; }
NEED="$(highest GLIBC)"
echo "glibc >= $NEED needed ($n_files ELF files checked; highest in: $(files_needing "GLIBC_$NEED" | head -n 8 | tr '\n' ' '))"
cxx="$(highest GLIBCXX)"
if [[ -n "$cxx" ]]; then echo "libstdc++: up to GLIBCXX_$cxx, CXXABI_$(highest CXXABI)"; else echo "libstdc++: not used"; fi
if [[ -n "$MAX" ]]; then
    over="$(echo "$report" | awk '$1 ~ /^GLIBC_/ {v=substr($1, 7); print v, $2}' |
        awk -v max="$MAX" 'BEGIN {split(max, m, ".")} {split($1, a, "."); if (a[1] > m[1] || (a[1] == m[1] && a[2] + 0 > m[2] + 0)) print}')"
    if [[ -n "$over" ]]; then
        echo "glibc_needed: FAIL: these files need a glibc newer than $MAX:" >&2
        echo "$over" | sort -t. -k1,1n -k2,2n | sed 's/^/    GLIBC_/' >&2
        exit 1
    fi
    echo "ok: no file needs more than GLIBC_$MAX"
fi
