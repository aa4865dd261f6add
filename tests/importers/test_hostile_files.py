"""Hostile files: each is read or refused within 10 s of CPU and 500 MB (a subprocess under RLIMIT_CPU and
RLIMIT_AS).

Built here: a stray cell at BH1048576, zip headers that lie about sizes, zip bombs, damaged shared
strings (unclosed tags, an index past the end, a million empty <si>), huge row numbers, a deeply nested
and a very large document.xml, billion-laughs and external entities, and hostile JSON.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).parents[2]
DATA = ROOT / "tests" / "data"
LIMIT_MB = 500
CPU_S = 10  # the bound, in CPU seconds (RLIMIT_CPU): wall time on a shared test machine says little
HANG_S = 180  # wall-clock guard against a hang
MEMORY_SENTENCE = "超出处理能力"  # what load_any says after a MemoryError: the limit was hit, not respected

RUNNER = f"""
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({LIMIT_MB} * 1024 * 1024, {LIMIT_MB} * 1024 * 1024))
resource.setrlimit(resource.RLIMIT_CPU, ({CPU_S}, {CPU_S} + 1))
from desktop_app.importers import ImportFailed, load_any
start = time.perf_counter()
try:
    result = load_any(sys.argv[1])
    out = {{"ok": True, "tasks": len(result.ledger.all_tasks()), "warnings": result.warnings}}
except ImportFailed as exc:
    out = {{"ok": False, "message": exc.message}}
out["seconds"] = round(time.perf_counter() - start, 2)
usage = resource.getrusage(resource.RUSAGE_SELF)
out["cpu"] = round(usage.ru_utime + usage.ru_stime, 2)
out["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps(out, ensure_ascii=False))
"""

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>\n"
)


def run_import(path: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, str(path)],
        capture_output=True,
        text=True,
        timeout=HANG_S,
        env=env,
    )
    assert proc.returncode == 0, (
        f"exit {proc.returncode} (SIGXCPU: over {CPU_S} s of CPU): {proc.stderr[-2000:]}"
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------------------- builders
def ledger_xlsx() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["序号", "重点工作", "主要内容", "责任单位", "完成时限"])
    for i in range(1, 4):
        ws.append([i, "加强信息公开", f"公开任务{i}", "办公室", "11月底"])
    return wb


def save(wb: openpyxl.Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def rezip(
    src: Path,
    dst: Path,
    replace: dict[str, bytes | Callable[[zipfile.ZipFile], None]],
    padding: int = 0,
) -> Path:
    """Copy a package, replacing members in place (or adding them); a callable writes its member itself
    (streamed). `padding`: bytes of incompressible data stored after them (room for a lying size)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            content = replace.get(info.filename, zin.read(info.filename))
            if callable(content):
                content(zout)
            else:
                zout.writestr(info.filename, content)
        for name, content in replace.items():
            if name in zin.namelist():
                continue
            if callable(content):
                content(zout)
            else:
                zout.writestr(name, content)
        if padding:
            zout.writestr(zipfile.ZipInfo("xl/media/image1.png"), os.urandom(padding), zipfile.ZIP_STORED)
    return dst


def streamed(
    name: str, head: bytes, piece: bytes, times: int, tail: bytes
) -> Callable[[zipfile.ZipFile], None]:
    def write(zout: zipfile.ZipFile) -> None:
        with zout.open(name, "w") as fh:
            fh.write(head)
            block = piece * 10_000
            for _ in range(times // 10_000):
                fh.write(block)
            fh.write(piece * (times % 10_000))
            fh.write(tail)

    return write


def patch_sizes(
    path: Path, member: str, file_size: int | None = None, compress_size: int | None = None
) -> Path:
    """Make the local and central headers of `member` lie about its sizes (the data stays as it was)."""
    data = bytearray(path.read_bytes())
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, pos + 28)
        name = bytes(data[pos + 46 : pos + 46 + name_len]).decode()
        if name == member:
            local = struct.unpack_from("<I", data, pos + 42)[0]
            if compress_size is not None:
                struct.pack_into("<I", data, pos + 20, compress_size)
                struct.pack_into("<I", data, local + 18, compress_size)
            if file_size is not None:
                struct.pack_into("<I", data, pos + 24, file_size)
                struct.pack_into("<I", data, local + 22, file_size)
        pos = data.find(b"PK\x01\x02", pos + 46 + name_len + extra_len + comment_len)
    path.write_bytes(bytes(data))
    return path


def sheet_xml(rows: bytes, before: bytes = b"", after: bytes = b"") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + before
        + f'<worksheet xmlns="{MAIN}"><sheetData>'.encode()
        + rows
        + b"</sheetData>"
        + after
        + b"</worksheet>"
    )


def inline_rows(count: int = 4) -> bytes:
    """The header and `count - 1` tasks as inline strings."""
    header = ["序号", "重点工作", "主要内容", "责任单位", "完成时限"]
    out = []
    for r in range(1, count + 1):
        values = header if r == 1 else [str(r - 1), "加强信息公开", f"公开任务{r - 1}", "办公室", "11月底"]
        cells = "".join(
            f'<c r="{"ABCDE"[i]}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values)
        )
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out).encode()


def shared_xlsx(
    tmp: Path, name: str, sst: bytes | Callable[[zipfile.ZipFile], None], index: str = ""
) -> Path:
    """The ledger with its text in a shared-strings table (Excel's way); `index` replaces the first index."""
    header = ["序号", "重点工作", "主要内容", "责任单位", "完成时限"]
    strings = header + ["加强信息公开", "办公室", "11月底"] + [f"公开任务{i}" for i in range(1, 4)]
    rows = ["".join(f'<c r="{"ABCDE"[i]}1" t="s"><v>{i}</v></c>' for i in range(5))]
    for r in range(2, 5):
        cells = [f'<c r="A{r}"><v>{r - 1}</v></c>', f'<c r="B{r}" t="s"><v>5</v></c>']
        cells += [f'<c r="C{r}" t="s"><v>{6 + r}</v></c>', f'<c r="D{r}" t="s"><v>6</v></c>']
        cells.append(f'<c r="E{r}" t="s"><v>7</v></c>')
        rows.append("".join(cells))
    body = "".join(f'<row r="{i}">{cells}</row>' for i, cells in enumerate(rows, start=1)).encode()
    if index:
        body = body.replace(b"<v>0</v>", f"<v>{index}</v>".encode(), 1)
    base = save(ledger_xlsx(), tmp / "base.xlsx")
    with zipfile.ZipFile(base) as z:
        rels = z.read("xl/_rels/workbook.xml.rels")
        types = z.read("[Content_Types].xml")
    rels = rels.replace(
        b"</Relationships>",
        b'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    types = types.replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    if sst == b"":
        items = "".join(f"<si><t>{t}</t></si>" for t in strings)
        sst = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">{items}</sst>'.encode()
    return rezip(
        base,
        tmp / name,
        {
            "xl/worksheets/sheet1.xml": sheet_xml(body),
            "xl/_rels/workbook.xml.rels": rels,
            "[Content_Types].xml": types,
            "xl/sharedStrings.xml": sst,
        },
    )


def good_sst(extra: bytes = b"") -> tuple[bytes, bytes]:
    """The head (through the 11 real strings) and the tail of the shared-strings part."""
    header = ["序号", "重点工作", "主要内容", "责任单位", "完成时限"]
    strings = header + ["加强信息公开", "办公室", "11月底"] + [f"公开任务{i}" for i in range(1, 4)]
    items = "".join(f"<si><t>{t}</t></si>" for t in strings)
    return f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">{items}'.encode() + extra, b"</sst>"


def docx_with(path: Path, document: bytes | Callable[[zipfile.ZipFile], None]) -> Path:
    return rezip(DATA / "natural-resources-2022.docx", path, {"word/document.xml": document})


def document_xml(body: bytes, before: bytes = b"") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + before
        + f'<w:document xmlns:w="{W}"><w:body>'.encode()
        + body
        + b"</w:body></w:document>"
    )


# ---------------------------------------------------------------------------------------- the cases
def stray_far_cell(tmp: Path) -> Path:
    wb = ledger_xlsx()
    wb.active["BH1048576"] = "x"
    return save(wb, tmp / "stray-cell.xlsx")


def declared_dimension_whole_sheet(tmp: Path) -> Path:
    base = save(ledger_xlsx(), tmp / "base.xlsx")
    sheet = sheet_xml(inline_rows(), before=b"", after=b"")
    sheet = sheet.replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>', 1)
    return rezip(base, tmp / "dimension.xlsx", {"xl/worksheets/sheet1.xml": sheet})


def lying_small_size(tmp: Path) -> Path:
    """Declares 1 MB, inflates to 150 MB: zipfile stops at the declared size and the CRC check fails."""
    base = save(ledger_xlsx(), tmp / "base.xlsx")
    head = sheet_xml(inline_rows()).replace(b"</worksheet>", b"")
    path = rezip(
        base,
        tmp / "lying-small.xlsx",
        {
            "xl/worksheets/sheet1.xml": streamed(
                "xl/worksheets/sheet1.xml", head, b" ", 150_000_000, b"</worksheet>"
            )
        },
    )
    return patch_sizes(path, "xl/worksheets/sheet1.xml", file_size=1_000_000)


def lying_compressed_size(tmp: Path) -> Path:
    """True 190 MB in 185 KB, but the compressed size claims 960 KB so the ratio check passes."""
    base = save(ledger_xlsx(), tmp / "base.xlsx")
    head = sheet_xml(inline_rows()).replace(b"</worksheet>", b"")
    path = rezip(
        base,
        tmp / "lying-ratio.xlsx",
        {
            "xl/worksheets/sheet1.xml": streamed(
                "xl/worksheets/sheet1.xml", head, b" ", 190_000_000, b"</worksheet>"
            )
        },
        padding=1_000_000,
    )
    return patch_sizes(path, "xl/worksheets/sheet1.xml", compress_size=960_000)


def lying_many_elements(tmp: Path) -> Path:
    """60 MB of empty rows (10 million elements) behind a compressed size that passes the ratio check."""
    base = save(ledger_xlsx(), tmp / "base.xlsx")
    head = sheet_xml(inline_rows()).replace(b"</sheetData></worksheet>", b"")
    path = rezip(
        base,
        tmp / "lying-elements.xlsx",
        {
            "xl/worksheets/sheet1.xml": streamed(
                "xl/worksheets/sheet1.xml", head, b"<row/>", 10_000_000, b"</sheetData></worksheet>"
            )
        },
        padding=1_000_000,
    )
    return patch_sizes(path, "xl/worksheets/sheet1.xml", compress_size=960_000)


def zip_bomb(tmp: Path) -> Path:
    base = save(ledger_xlsx(), tmp / "base.xlsx")
    extra = {
        f"xl/media/bomb{i}.xml": streamed(f"xl/media/bomb{i}.xml", b"", b"\0", 100_000_000, b"")
        for i in range(3)
    }
    return rezip(base, tmp / "bomb.xlsx", extra)


def shared_strings_read_right(tmp: Path) -> Path:
    return shared_xlsx(tmp, "sst-good.xlsx", b"")


def shared_strings_unclosed(tmp: Path) -> Path:
    head, _tail = good_sst()
    return shared_xlsx(tmp, "sst-unclosed.xlsx", head.replace(b"</si>", b"", 3))


def shared_strings_index_past_end(tmp: Path) -> Path:
    return shared_xlsx(tmp, "sst-index.xlsx", b"", index="99999999")


def shared_strings_million_empty(tmp: Path) -> Path:
    head, tail = good_sst()
    return shared_xlsx(
        tmp, "sst-million.xlsx", streamed("xl/sharedStrings.xml", head, b"<si/>", 1_000_000, tail)
    )


def shared_strings_900k_empty(tmp: Path) -> Path:
    head, tail = good_sst()
    return shared_xlsx(tmp, "sst-900k.xlsx", streamed("xl/sharedStrings.xml", head, b"<si/>", 900_000, tail))


def shared_strings_one_huge_rich_text(tmp: Path) -> Path:
    head, tail = good_sst(b"<si>")
    runs = streamed("xl/sharedStrings.xml", head, b"<r><t>a</t></r>", 200_000, b"</si>" + tail)
    return shared_xlsx(tmp, "sst-runs.xlsx", runs)


def huge_row_number(tmp: Path) -> Path:
    base = save(ledger_xlsx(), tmp / "base.xlsx")
    rows = (
        inline_rows() + b'<row r="99999999999"><c r="A99999999999" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    return rezip(base, tmp / "huge-row.xlsx", {"xl/worksheets/sheet1.xml": sheet_xml(rows)})


def rows_without_numbers_far_apart(tmp: Path) -> Path:
    """A cell reference far down in a row that claims none: one cell, not a million rows."""
    base = save(ledger_xlsx(), tmp / "base.xlsx")
    rows = inline_rows() + b'<row><c r="BH1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return rezip(base, tmp / "far-ref.xlsx", {"xl/worksheets/sheet1.xml": sheet_xml(rows)})


def many_merges(tmp: Path) -> Path:
    base = save(ledger_xlsx(), tmp / "base.xlsx")
    merges = b"<mergeCells>" + b'<mergeCell ref="A1:BH1048576"/>' * 100_000 + b"</mergeCells>"
    rows = inline_rows() + b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return rezip(base, tmp / "merges.xlsx", {"xl/worksheets/sheet1.xml": sheet_xml(rows, after=merges)})


def sheet_billion_laughs(tmp: Path) -> Path:
    base = save(ledger_xlsx(), tmp / "base.xlsx")
    rows = inline_rows() + b'<row r="9"><c r="A9" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    sheet = sheet_xml(rows).replace(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n', LAUGHS)
    return rezip(base, tmp / "laughs.xlsx", {"xl/worksheets/sheet1.xml": sheet})


def docx_billion_laughs(tmp: Path) -> Path:
    body = b"<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"
    doc = document_xml(body).replace(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n', LAUGHS)
    return docx_with(tmp / "laughs.docx", doc)


def docx_external_entity(tmp: Path) -> Path:
    before = b'<!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
    body = b"<w:p><w:r><w:t>&secret;</w:t></w:r></w:p>"
    doc = document_xml(body).replace(b"?>\n", b"?>\n" + before, 1)
    return docx_with(tmp / "xxe.docx", doc)


def docx_embedded_copy_laughs(tmp: Path) -> Path:
    """The machine-readable copy (customXml) is parsed before the visible table: it too is checked."""
    copy = LAUGHS + b'<ledger xmlns="urn:desktop_app:ledger:1">&lol9;</ledger>'
    return rezip(
        DATA / "natural-resources-2022.docx", tmp / "custom-laughs.docx", {"customXml/item1.xml": copy}
    )


def docx_deeply_nested(tmp: Path) -> Path:
    depth = 100_000
    body = b"<w:sdt><w:sdtContent>" * depth + b"<w:p/>" + b"</w:sdtContent></w:sdt>" * depth
    return docx_with(tmp / "nested.docx", document_xml(body))


def docx_very_large(tmp: Path) -> Path:
    head = document_xml(b"").replace(b"</w:body></w:document>", b"")
    return docx_with(
        tmp / "large.docx",
        streamed(
            "word/document.xml",
            head,
            b"<w:p><w:r><w:t>x</w:t></w:r></w:p>",
            5_000_000,
            b"</w:body></w:document>",
        ),
    )


def docx_large_but_allowed(tmp: Path) -> Path:
    """Read to the end (a notice with no numbered items is refused as no ledger)."""
    head = document_xml(b"").replace(b"</w:body></w:document>", b"")
    return docx_with(
        tmp / "large-allowed.docx",
        streamed(
            "word/document.xml",
            head,
            b"<w:p><w:r><w:t>x</w:t></w:r></w:p>",
            50_000,
            b"</w:body></w:document>",
        ),
    )


def docx_many_empty_paragraphs(tmp: Path) -> Path:
    head = document_xml(b"").replace(b"</w:body></w:document>", b"")
    return docx_with(
        tmp / "empty-paragraphs.docx",
        streamed("word/document.xml", head, b"<w:p/>", 990_000, b"</w:body></w:document>"),
    )


def many_rows(tmp: Path) -> Path:
    """100,000 rows of one cell each under the ledger: read to the end, the ledger found above them."""
    base = save(ledger_xlsx(), tmp / "base.xlsx")
    head = sheet_xml(inline_rows()).replace(b"</sheetData></worksheet>", b"")
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = streamed("xl/worksheets/sheet1.xml", head, row, 100_000, b"</sheetData></worksheet>")
    return rezip(base, tmp / "many-rows.xlsx", {"xl/worksheets/sheet1.xml": sheet})


def json_many_strings(tmp: Path) -> Path:
    path = tmp / "strings.json"
    with path.open("wb") as fh:
        fh.write(b'{"sections": [], "later": [')
        fh.write(b'"ab",' * 3_900_000)
        fh.write(b'"ab"]}')
    return path


def json_deep(tmp: Path) -> Path:
    path = tmp / "deep.json"
    path.write_bytes(b'{"sections": ' + b"[" * 900_000 + b"]" * 900_000 + b"}")
    return path


# (case, builder, None for "read correctly" or the words the refusal must contain, tasks when read)
CASES: list[tuple[str, Callable[[Path], Path], tuple[str, ...] | None, int]] = [
    ("stray cell at BH1048576", stray_far_cell, None, 3),
    ("declared dimension A1:XFD1048576", declared_dimension_whole_sheet, None, 3),
    ("cell reference far down in an unnumbered row", rows_without_numbers_far_apart, None, 3),
    ("headers claim a smaller size", lying_small_size, ("已损坏",), 0),
    ("headers claim a larger compressed size (190 MB)", lying_compressed_size, ("解压后的内容超过",), 0),
    ("lying headers, 10 million elements", lying_many_elements, ("结构过于庞大",), 0),
    ("zip bomb (3 x 100 MB)", zip_bomb, ("解压后体积异常巨大",), 0),
    ("shared strings: read right", shared_strings_read_right, None, 3),
    ("shared strings: unclosed tags", shared_strings_unclosed, ("无法解析",), 0),
    ("shared strings: index past the end", shared_strings_index_past_end, ("共享文字表已损坏",), 0),
    ("shared strings: 900,000 empty <si>", shared_strings_900k_empty, None, 3),
    ("shared strings: a million empty <si>", shared_strings_million_empty, ("结构过于庞大",), 0),
    ("shared strings: one <si> of 200,000 runs", shared_strings_one_huge_rich_text, None, 3),
    ("100,000 rows under the ledger", many_rows, None, 3),
    ("row number 99999999999", huge_row_number, ("超出 Excel",), 0),
    ("100,000 merges over the whole sheet", many_merges, ("合并单元格",), 0),
    ("billion laughs in a sheet", sheet_billion_laughs, ("实体声明",), 0),
    ("billion laughs in document.xml", docx_billion_laughs, ("实体声明",), 0),
    ("external entity in document.xml", docx_external_entity, ("实体声明",), 0),
    ("billion laughs in the embedded copy", docx_embedded_copy_laughs, ("实体声明",), 0),
    ("document.xml nested 100,000 deep", docx_deeply_nested, ("嵌套超过 256 层",), 0),
    ("document.xml of 5 million paragraphs", docx_very_large, ("结构过于庞大",), 0),
    ("document.xml of 50,000 paragraphs", docx_large_but_allowed, ("没有找到任务台账",), 0),
    ("document.xml of 990,000 empty paragraphs", docx_many_empty_paragraphs, ("段落超过",), 0),
    ("JSON of 3.9 million strings", json_many_strings, ("数据项超过",), 0),
    ("JSON nested 900,000 deep", json_deep, ("嵌套层数过深",), 0),
]


@pytest.mark.parametrize("case,build,refusal,tasks", CASES, ids=[c[0] for c in CASES])
def test_hostile_file_is_read_or_refused_within_bounds(tmp_path, case, build, refusal, tasks) -> None:
    path = build(tmp_path)
    assert path.stat().st_size <= 20 * 1024 * 1024, path.stat().st_size
    out = run_import(path)
    size = path.stat().st_size // 1024
    print(f"{case}: {size} KB, cpu {out['cpu']} s, wall {out['seconds']} s, peak {out['peak_mb']} MB")
    if refusal is None:
        assert out["ok"], out
        assert out["tasks"] == tasks
    else:
        assert not out["ok"], out
        message = out["message"]
        assert MEMORY_SENTENCE not in message, message
        assert message.startswith("无法") and f"《{path.name}》" in message, message
        for word in refusal:
            assert word in message, message
    assert out["peak_mb"] < LIMIT_MB and out["cpu"] < CPU_S


def test_the_stray_cell_costs_one_cell(tmp_path) -> None:
    from desktop_app.importers.xlsx_reader import read_sheets

    (table,) = read_sheets(stray_far_cell(tmp_path).read_bytes())
    assert len(table.rows) <= 6  # four real rows, one row for the gap, the stray row
    assert table.rows[-1][59].text == "x" and len(table.rows[0]) == 60
