"""Checks before parsing: size, kind of file (by its bytes), zip bombs, encryption, legacy formats, and a
pre-flight over every XML part that counts the bytes really inflated (headers may lie) and the tags."""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import tempfile
import zipfile
import zlib
from pathlib import Path

from desktop_app.importers.errors import EXCEL_HINT, WORD_HINT, ImportFailed, fail

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024  # all members together
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for members over 1 MB
XML_MAX_RATIO = 1000
MAX_MEMBERS = 5000
CONVERT_TIMEOUT_S = 120
# Counted while inflating, whatever the headers say: every XML part of one file together.
MAX_INFLATED_XML = 128 * 1024 * 1024
# "<" in one XML part: bounds the tree any parser may build from it (a million elements: about 125 MB,
# read in a few seconds); a Word ledger takes about 100 per task, so this allows some 10,000 tasks.
MAX_PART_TAGS = 1_000_000
MAX_TOTAL_TAGS = 3_000_000
_CHUNK = 1024 * 1024
_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
LEGACY_WORD = {".doc", ".wps", ".rtf", ".wpt", ".dot"}
LEGACY_EXCEL = {".xls", ".et", ".ett", ".xlt"}


def read_bytes(path: Path) -> bytes:
    name = path.name
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportFailed(f"无法读取《{name}》：文件不存在。请确认文件位置后重新选择。") from None
    except OSError:
        raise ImportFailed(
            f"无法读取《{name}》：没有权限打开该文件。请把文件复制到“文档”文件夹后再导入。"
        ) from None
    if path.is_dir():
        raise ImportFailed(f"无法读取《{name}》：这是一个文件夹。请选择其中的 .docx 或 .xlsx 文件。")
    if size > MAX_FILE_BYTES:
        raise ImportFailed(
            f"无法导入《{name}》：文件大小 {size // (1024 * 1024)} MB，超过 50 MB 上限。"
            "请删除其中的图片等附件或拆分后再导入。"
        )
    if size == 0:
        raise ImportFailed(
            f"无法读取《{name}》：文件是空的（0 字节）。请确认文件已完整保存或重新下载后再导入。"
        )
    try:
        with path.open("rb") as fh:
            return fh.read(MAX_FILE_BYTES + 1)
    except OSError:
        raise ImportFailed(
            f"无法读取《{name}》：文件正被其他程序占用或没有读取权限。请关闭 Word/WPS 后重试。"
        ) from None


def sniff(data: bytes) -> str:
    """ "zip" | "ole" | "json" | "text" | "unknown"."""
    if data.startswith(ZIP_MAGIC) or data.startswith(b"PK\x05\x06"):
        return "zip"
    if data.startswith(OLE_MAGIC):
        return "ole"
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return "json"
    return "unknown"


def ole_kind(data: bytes) -> str:
    """ "encrypted" (an Office file with a password) | "word" | "excel" | "other", from stream names."""

    def has(name: str) -> bool:
        return name.encode("utf-16-le") in data

    if has("EncryptedPackage") or has("EncryptionInfo"):
        return "encrypted"
    if has("WordDocument"):
        return "word"
    if has("Workbook") or has("Book"):
        return "excel"
    return "other"


def open_zip(data: bytes, name: str, hint: str) -> zipfile.ZipFile:
    """Open the package after checking member sizes (a zip bomb stops here, before any parsing)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
        raise fail(name, "文件已损坏（可能未完整下载或保存）", hint) from None
    if len(infos) > MAX_MEMBERS:
        raise fail(name, "文件内部结构异常（成员过多），可能不是正常的 Office 文档", hint)
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES or total > MAX_UNPACKED_BYTES:
            raise fail(name, "文件解压后体积异常巨大，可能是恶意构造的压缩文件", hint)
        # XML parts are also measured while really inflating them (scan_package); real Office XML stays
        # far below 1000:1 (deflate's limit is about 1030:1, reached only by runs of one byte).
        ratio = XML_MAX_RATIO if _is_xml_part(info) else MAX_RATIO
        if info.file_size > 1024 * 1024 and info.file_size > ratio * max(info.compress_size, 1):
            raise fail(name, "文件解压后体积异常巨大，可能是恶意构造的压缩文件", hint)
        if info.flag_bits & 0x1:
            raise fail(name, "文件设有密码保护", "请在 Word/WPS 中取消密码后另存为 .docx 再导入。")
    return zf


def package_kind(zf: zipfile.ZipFile) -> str:
    """ "docx" | "xlsx" | "other" for an Office Open XML package."""
    names = set(zf.namelist())
    if "word/document.xml" in names or any(n.startswith("word/") and n.endswith(".xml") for n in names):
        return "docx"
    if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
        return "xlsx"
    return "other"


def find_converter() -> str | None:
    """LibreOffice's command line (WPS has no headless conversion to call)."""
    for exe in ("soffice", "libreoffice"):
        found = shutil.which(exe)
        if found:
            return found
    return None


def convert_legacy(path: Path, target: str) -> bytes:
    """.doc/.wps -> .docx, .xls/.et -> .xlsx through LibreOffice (headless), when installed.

    In a temporary folder (a copy of the file, a throw-away LibreOffice profile, the output), removed
    afterwards; the converter runs in a process group of its own and is killed with everything it
    started when it takes longer than CONVERT_TIMEOUT_S."""
    name = path.name
    hint = WORD_HINT if target == "docx" else EXCEL_HINT
    exe = find_converter()
    old = "Word 97-2003/WPS 旧格式" if target == "docx" else "Excel 97-2003/WPS 表格旧格式"
    if exe is None:
        raise ImportFailed(f"无法直接读取《{name}》：这是{old}文件，本机没有可用的转换程序。{hint}")
    with tempfile.TemporaryDirectory(prefix="ledger-convert-") as tmp:
        tmpdir = Path(tmp)
        src = tmpdir / ("source" + path.suffix.lower())
        shutil.copyfile(path, src)
        profile = (tmpdir / "profile").as_uri()
        cmd = [
            exe,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(tmpdir / "out"),
            str(src),
        ]
        if _run_limited(cmd, {**os.environ, "HOME": str(tmpdir)}, name) == "timeout":
            raise ImportFailed(
                f"无法读取《{name}》：{old}文件自动转换超过 {CONVERT_TIMEOUT_S} 秒仍未完成，已停止。{hint}"
            )
        out = tmpdir / "out" / f"source.{target}"
        if not out.exists() or out.stat().st_size == 0:
            raise ImportFailed(f"无法读取《{name}》：{old}文件自动转换失败。{hint}")
        return out.read_bytes()


def _run_limited(cmd: list[str], env: dict[str, str], name: str) -> str:
    """Run the converter: "done", "failed" (could not start) or "timeout" (it and its children killed)."""
    group: dict = (
        {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}  # type: ignore[attr-defined]
        if os.name == "nt"
        else {"start_new_session": True}
    )
    try:
        proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, **group
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("conversion of %s could not start: %s", name, exc)
        return "failed"
    try:
        proc.wait(timeout=CONVERT_TIMEOUT_S)
        return "done"
    except subprocess.TimeoutExpired:
        log.warning("conversion of %s took over %s s, stopped", name, CONVERT_TIMEOUT_S)
        _kill_group(proc)
        return "timeout"


def _kill_group(proc: subprocess.Popen) -> None:
    """The converter and what it started (soffice is a script that starts soffice.bin)."""
    try:
        if os.name == "nt":
            proc.kill()
        else:
            import signal

            os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - a process that outlives SIGKILL
        pass


def _is_xml_part(info: zipfile.ZipInfo) -> bool:
    return not info.is_dir() and info.filename.lower().endswith((".xml", ".rels", ".vml"))


def scan_package(zf: zipfile.ZipFile, name: str, hint: str) -> None:
    """Inflate every XML part once, counting the bytes that really come out and the tags in them, before
    any parser sees the package; refuse a part that declares a DTD (entity expansion, "billion laughs").

    zipfile never yields more than a member's declared size (a larger stream fails its CRC check), and
    this counter stops at MAX_INFLATED_XML whatever the declared sizes are; every tree built later from
    these parts (lxml, python-docx, openpyxl) is therefore bounded in time and memory."""
    inflated = 0
    tags_total = 0
    for info in zf.infolist():
        if not _is_xml_part(info):
            continue
        tags = 0
        tail = b""
        try:
            with zf.open(info) as fh:
                while True:
                    chunk = fh.read(_CHUNK)
                    if not chunk:
                        break
                    inflated += len(chunk)
                    if inflated > MAX_INFLATED_XML:
                        raise fail(
                            name,
                            f"文件解压后的内容超过 {MAX_INFLATED_XML // (1024 * 1024)} MB，"
                            "可能是恶意构造的压缩文件",
                            hint,
                        )
                    tags += chunk.count(b"<")
                    window = tail + chunk
                    if any(mark in window for mark in _DTD_MARKS):
                        raise fail(
                            name,
                            f"文件内部的“{info.filename}”含有不允许的实体声明（DTD），可能是恶意构造的文件",
                            hint,
                        )
                    tail = chunk[-16:]
                    if tags > MAX_PART_TAGS or tags_total + tags > MAX_TOTAL_TAGS:
                        raise fail(
                            name,
                            f"文件内部的“{info.filename}”结构过于庞大（超过 {MAX_PART_TAGS} 个标记），"
                            "不像是正常的台账文档",
                            hint,
                        )
        except ImportFailed:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError):
            raise fail(name, "文件已损坏（内部数据校验失败，可能未完整下载或保存）", hint) from None
        tags_total += tags
