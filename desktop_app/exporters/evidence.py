"""佐证材料包: a zip with one folder per task (named by its number), the evidence files in it, and an
index workbook (佐证材料目录.xlsx) listing every file and link with its size and SHA-256. A file whose
stored checksum no longer matches, or whose content is missing, is listed as such and not packed."""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from desktop_app.domain.model import Attachment, Ledger, Task
from desktop_app.exporters.files import atomic_path, write_failure
from desktop_app.exporters.xlsx_writer import Book, Style

INDEX_NAME = "佐证材料目录.xlsx"
INDEX_HEADERS = ("序号", "任务", "材料", "类型", "大小（KB）", "SHA-256", "包内位置", "说明")
CHUNK = 1024 * 1024
_BAD_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass
class EvidenceProblem:
    task_number: str
    file_name: str
    reason: str  # 内容缺失 / 校验值不符


@dataclass
class EvidenceResult:
    files: int = 0
    links: int = 0
    bytes: int = 0
    problems: list[EvidenceProblem] = field(default_factory=list)


def folder_name(task: Task, index: int) -> str:
    """ "3_公开财政预决算" — the number first (as in the report), a short content, safe on Windows."""
    number = _BAD_NAME.sub("-", task.number.strip()) or f"第{index + 1}项"
    text = _BAD_NAME.sub("", " ".join(task.content.split()))[:20].rstrip(" .")
    return f"{number}_{text}" if text else number


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    out, n = name, 2
    while out.lower() in taken:
        out = f"{stem}（{n}）{'.' + ext if ext else ''}"
        n += 1
    taken.add(out.lower())
    return out


def write_evidence_package(
    ledger: Ledger,
    attachments: Iterable[Attachment],
    load: Callable[[int], bytes | None],
    path: Path,
    progress: Callable[[int, int], None] | None = None,
) -> EvidenceResult:
    """Write the package to `path` (atomically). `load(att_id)` gives a stored file's bytes; `progress`
    is called with (bytes done, bytes in all) while files are packed."""
    tasks = {t.id: (i, t) for i, t in enumerate(ledger.all_tasks())}
    items = sorted(
        (a for a in attachments if a.task_id in tasks), key=lambda a: (tasks[a.task_id][0], a.id or 0)
    )
    total = sum(a.size for a in items if a.url is None) or 1
    result = EvidenceResult()
    rows: list[list[str]] = []
    try:
        with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as z:
            taken: dict[str, set[str]] = {}
            done = 0
            for a in items:
                i, task = tasks[a.task_id]
                folder = folder_name(task, i)
                label = f"{task.number} {' '.join(task.content.split())[:30]}".strip()
                if a.url is not None:
                    result.links += 1
                    rows.append([task.number, label, a.file_name, "链接", "", "", "", a.url])
                    continue
                data = load(a.id) if a.id is not None else None
                if data is None:
                    result.problems.append(EvidenceProblem(task.number, a.file_name, "内容缺失"))
                    rows.append([task.number, label, a.file_name, "文件", "", "", "", "内容缺失，未打包"])
                    continue
                digest = hashlib.sha256(data).hexdigest()
                if a.sha256 and a.sha256 != digest:
                    result.problems.append(EvidenceProblem(task.number, a.file_name, "校验值不符"))
                    rows.append(
                        [task.number, label, a.file_name, "文件", "", digest, "", "与添加时的校验值不符，未打包"]
                    )
                    continue
                name = _unique(_BAD_NAME.sub("_", a.file_name) or "材料", taken.setdefault(folder, set()))
                inner = f"{folder}/{name}"
                with z.open(inner, "w", force_zip64=len(data) > 0x7FFFFFFF) as out:
                    view = memoryview(data)
                    for start in range(0, len(data), CHUNK):  # in chunks, so the bar moves on big files
                        out.write(view[start : start + CHUNK])
                        done += min(CHUNK, len(data) - start)
                        if progress:
                            progress(done, total)
                result.files += 1
                result.bytes += len(data)
                note = "" if a.sha256 else "添加时未记录校验值"
                rows.append(
                    [task.number, label, a.file_name, "文件", f"{len(data) / 1024:.1f}", digest, inner, note]
                )
            z.writestr(INDEX_NAME, _index_workbook(ledger, rows))
        if progress:
            progress(total, total)
    except OSError as exc:
        raise write_failure(path, exc) from exc
    return result


def _index_workbook(ledger: Ledger, rows: list[list[str]]) -> bytes:
    """The index: title, header (frozen), one wrapped row per file or link; text stays text (xlsx_writer)."""
    book = Book()
    ws = book.add_sheet("佐证材料目录")
    ws.widths = dict(enumerate((8, 36, 30, 8, 10, 30, 36, 24), start=1))
    ws.freeze_rows = 2
    ws.append([f"{ledger.title}——佐证材料目录"], book.style(Style(font="黑体", size=14, bold=True)))
    ws.merge(1, 1, 1, len(INDEX_HEADERS))
    ws.append(list(INDEX_HEADERS), book.style(Style(font="黑体", bold=True)))
    wrap = book.style(Style(wrap=True, vertical="top"))
    ws.line_pt = 16  # rows as tall as their wrapped text
    for r in rows:
        ws.append(r, wrap)
    book.title = f"{ledger.title}——佐证材料目录"
    book.language = "zh-CN"
    buf = BytesIO()
    book.save(buf)
    return buf.getvalue()
