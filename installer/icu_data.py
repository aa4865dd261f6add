"""A smaller ICU data library for the Linux bundle (installer/desktop_app.spec).

Qt Core of the PySide6 wheels links ICU, whose data library ``libicudata.so.NN`` is 31 MB: every locale's
names, currencies, units and number spellings, every legacy converter, the Thai/Khmer/Burmese/CJK word
dictionaries, transliterators. Qt calls ICU only for collation (``ucol_*``: QCollator), case mapping
(``u_strToUpper/Lower``: QLocale::toUpper), time-zone ids and names (``ucal_*``: QTimeZone) and converters
(``ucnv_*``: QStringConverter for encodings other than UTF and Latin-1); ``nm -D --undefined-only
libQt6Core.so.6`` lists no word-break, number-format or transliteration call. This module rewrites the
library with what those calls read for the root, Chinese and English locales (collation with pinyin,
stroke and zhuyin orders, zone and region names, calendar data) plus the Chinese and the small single-byte
converters: about 3 MB. Other locales fall back to ICU's root data (what ICU does for any locale it lacks).

    python3 installer/icu_data.py SRC.so OUT.so     # prints the sizes; needs a C compiler (cc / $CC)

The data is a "common data" package (ICU's pkgdata format: a header, a table of contents of
(name offset, data offset) pairs sorted by name, the items 16-byte aligned) exported by the library as
the one symbol ``icudtNN_dat``; the new library is that symbol and nothing else (an ``.incbin`` compiled
with ``-nostdlib``), so it needs no glibc symbol at all.
"""

from __future__ import annotations

import os
import re
import shlex
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

# Resource trees whose locale files are kept (for root/zh/en); the others (brkitr, curr, lang, rbnf,
# translit, unit) serve APIs Qt does not call.
KEEP_TREES = {"", "coll", "zone", "region"}
KEEP_LANGUAGES = {"root", "zh", "en"}
# Multi-byte converters kept: GB18030, GBK (windows-936), GB2312 (EUC-CN) and Big5 (windows-950), with the
# IBM base tables those extend (found in their headers); the single-byte converters (a few KB each) are all
# kept; Japanese, Korean, EUC-TW, HKSCS and EBCDIC DBCS tables (~100-500 KB each) are not.
KEEP_CONVERTERS = {"gb18030", "windows-936-2000", "ibm-1383_P110-1999", "windows-950-2000"}
SMALL_CONVERTER = 16 * 1024
# Other top-level data not read by those four APIs: character names, spoof checks, stringprep profiles.
DROP_FILES = {"unames.icu", "confusables.cfu", "uemoji.icu"}
_LOCALE_FILE = re.compile(r"^([a-z]{2,3}|root)(?:_[A-Za-z0-9_]+)?\.res$")
_ALWAYS = {"pool.res", "res_index.res"}


def keep_item(name: str, size: int) -> bool:
    """Is the item ``icudtNNl/<tree>/<file>`` (``size`` bytes) needed by the ICU calls Qt makes?"""
    parts = name.split("/")[1:]  # drop the "icudt73l" prefix
    tree, file = ("/".join(parts[:-1]), parts[-1])
    if tree not in KEEP_TREES:
        return False
    if file in _ALWAYS:
        return True
    m = _LOCALE_FILE.match(file)
    if m:  # a locale's bundle (zh_Hans_CN.res); non-locale bundles (supplementalData.res) do not match
        return m.group(1) in KEEP_LANGUAGES
    if tree == "":
        if file.endswith(".cnv"):
            return file[:-4] in KEEP_CONVERTERS or size <= SMALL_CONVERTER
        if file.endswith(".spp"):
            return False
        return file not in DROP_FILES
    return True


def read_package(blob: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """Split a common-data package into its header and its (name, bytes) items, in table order."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != (0xDA, 0x27) or blob[12:16] != b"CmnD" or blob[8] != 0:
        raise ValueError("not a little-endian ICU common data package")
    toc = memoryview(blob)[header_size:]
    count, = struct.unpack_from("<I", toc, 0)
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_off, data_off) in enumerate(entries):
        end = entries[i + 1][1] if i + 1 < count else len(toc)
        name = bytes(toc[name_off : bytes(toc[name_off:]).index(b"\0") + name_off]).decode("ascii")
        items.append((name, bytes(toc[data_off:end])))
    if [n for n, _ in items] != sorted(n for n, _ in items):
        raise ValueError("the package's table of contents is not sorted")
    return bytes(blob[:header_size]), items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """A common-data package of ``items`` (sorted by name, as ICU's binary search needs)."""
    items = sorted(items)
    names = b"".join(n.encode("ascii") + b"\0" for n, _ in items)
    table = 4 + 8 * len(items)
    offset = _align(table + len(names))
    entries, name_off, chunks = [], table, []
    for name, data in items:
        entries.append((name_off, offset))
        name_off += len(name) + 1
        chunks.append(data + b"\0" * (_align(len(data)) - len(data)))
        offset += _align(len(data))
    toc = struct.pack("<I", len(items)) + b"".join(struct.pack("<II", *e) for e in entries) + names
    toc += b"\xaa" * (_align(len(toc)) - len(toc))  # pkgdata's padding byte
    return header + toc + b"".join(chunks)


def _align(n: int) -> int:
    return (n + 15) & ~15


def data_symbol(path: str | os.PathLike) -> tuple[str, bytes]:
    """The ``icudtNN_dat`` symbol of an ICU data library (64-bit little-endian ELF): its name and bytes."""
    data = Path(path).read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError(f"{path}: not a 64-bit little-endian ELF file")
    phoff, shoff = struct.unpack_from("<QQ", data, 0x20)
    phentsize, phnum, shentsize, shnum = struct.unpack_from("<HHHH", data, 0x36)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    loads = []
    for i in range(phnum):
        p_type, _flags, p_offset, p_vaddr, _paddr, p_filesz = struct.unpack_from("<IIQQQQ", data, phoff + i * phentsize)
        if p_type == 1:  # PT_LOAD
            loads.append((p_vaddr, p_offset, p_filesz))
    for _name, sh_type, _f, _a, offset, size, link, _i, _al, entsize in sections:
        if sh_type != 11:  # SHT_DYNSYM
            continue
        strtab = sections[link][4]
        for j in range(size // entsize):
            st_name, _info, _other, _shndx, st_value, st_size = struct.unpack_from("<IBBHQQ", data, offset + j * entsize)
            sym = data[strtab + st_name : data.index(b"\0", strtab + st_name)].decode()
            if re.fullmatch(r"icudt\d+_dat", sym):
                for vaddr, file_off, filesz in loads:
                    if vaddr <= st_value and st_value + st_size <= vaddr + filesz:
                        start = file_off + st_value - vaddr
                        return sym, data[start : start + st_size]
    raise ValueError(f"{path}: no icudtNN_dat symbol")


def base_table(data: bytes, names: set[str]) -> str | None:
    """The converter an extension-only .cnv builds on: a converter name in its header (after its own)."""
    found = [m.decode() for m in re.findall(rb"[\x21-\x7e]{3,}", data[:512]) if m.decode() in names]
    return found[1] if len(found) > 1 else None


def reduce(blob: bytes) -> tuple[bytes, list[str]]:
    """The package with only the items ``keep_item`` wants (and the base tables of kept converters), and
    the names dropped."""
    header, items = read_package(blob)
    prefix = items[0][0].split("/")[0] + "/"
    converters = {n[len(prefix) : -4]: d for n, d in items if n.endswith(".cnv") and n.count("/") == 1}
    keep = {n for n, d in items if keep_item(n, len(d))}
    bases = {name: base_table(data, set(converters)) for name, data in converters.items()}
    keep |= {f"{prefix}{bases[name]}.cnv" for name in KEEP_CONVERTERS if bases.get(name)}
    for name, base in bases.items():  # a small extension of a table left out would be unusable
        if base and f"{prefix}{base}.cnv" not in keep:
            keep.discard(f"{prefix}{name}.cnv")
    kept = [(n, d) for n, d in items if n in keep]
    return write_package(header, kept), [n for n, _ in items if n not in keep]


def build(src: str | os.PathLike, out: str | os.PathLike, cc: str | None = None) -> tuple[int, int]:
    """Write ``out``: the ICU data library ``src`` with the reduced package. Returns (old, new) sizes."""
    src, out = Path(src), Path(out)
    symbol, blob = data_symbol(src)
    small, _dropped = reduce(blob)
    soname = src.name  # libicudata.so.73
    compiler = shlex.split(cc or os.environ.get("CC") or "cc")
    with tempfile.TemporaryDirectory() as tmp:
        dat = Path(tmp, "icudt.dat")
        dat.write_bytes(small)
        asm = Path(tmp, "icudata.S")
        asm.write_text(
            "\t.section .rodata\n"
            f"\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign 16\n{symbol}:\n"
            f'\t.incbin "{dat}"\n\t.size {symbol}, . - {symbol}\n'
            '\t.section .note.GNU-stack,"",@progbits\n',
            encoding="ascii",
        )
        tmp_out = Path(tmp, soname)
        subprocess.run(
            [*compiler, "-shared", "-nostdlib", f"-Wl,-soname,{soname}", "-Wl,--hash-style=both", "-s",
             "-o", str(tmp_out), str(asm)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        if data_symbol(tmp_out) != (symbol, small):
            raise RuntimeError(f"{tmp_out}: the compiled library does not hold the package")
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp_final = out.with_name(out.name + ".tmp")
        tmp_final.write_bytes(tmp_out.read_bytes())
        tmp_final.chmod(0o755)
        tmp_final.replace(out)
    return src.stat().st_size, out.stat().st_size


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[2])
    old, new = build(sys.argv[1], sys.argv[2])
    print(f"{sys.argv[2]}: {new / 1e6:.1f} MB (was {old / 1e6:.1f} MB)")
