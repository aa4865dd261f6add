"""Cells in and out of the clipboard as Excel, WPS and Word exchange them: tab-separated text and an
HTML table on copy; tab-separated text read back on paste, each cell checked before anything is written."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from PySide6.QtCore import QMimeData

from desktop_app.domain.model import TaskStatus
from desktop_app.ui.models.task_table_model import COLUMNS

# Words a clerk types for each status (the labels first).
STATUS_WORDS: dict[str, TaskStatus] = {
    **{s.label: s for s in TaskStatus},
    "完成": TaskStatus.DONE,
    "已办结": TaskStatus.DONE,
    "办结": TaskStatus.DONE,
    "进行中": TaskStatus.IN_PROGRESS,
    "正在推进": TaskStatus.IN_PROGRESS,
    "持续推进": TaskStatus.IN_PROGRESS,
    "推进": TaskStatus.IN_PROGRESS,
    "未启动": TaskStatus.NOT_STARTED,
    **{s.value: s for s in TaskStatus},
}
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[%％]?\s*$")


def cells_mime(rows: list[list[str]]) -> QMimeData:
    """The cells as text/plain (tab-separated, one line per row) and text/html (a table)."""
    mime = QMimeData()
    mime.setText("\n".join("\t".join(_tsv_cell(c) for c in row) for row in rows) + "\n")
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c).replace(chr(10), '<br>')}</td>" for c in row) + "</tr>"
        for row in rows
    )
    mime.setHtml(
        '<html><head><meta charset="utf-8"></head><body>'
        f'<table border="1" cellspacing="0">{body}</table></body></html>'
    )
    return mime


def _tsv_cell(text: str) -> str:
    """As Excel writes a cell with a line break or tab in it: quoted, quotes doubled."""
    if any(ch in text for ch in "\t\n\r\""):
        return '"' + text.replace('"', '""') + '"'
    return text


def parse_tsv(text: str) -> list[list[str]]:
    """Excel's tab-separated text back into rows of cells (quoted cells may hold line breaks)."""
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    i, n = 0, len(text)
    quoted = False
    while i < n:
        ch = text[i]
        if quoted:
            if ch == '"' and i + 1 < n and text[i + 1] == '"':
                cell.append('"')
                i += 1
            elif ch == '"':
                quoted = False
            else:
                cell.append(ch)
        elif ch == '"' and not cell:
            quoted = True
        elif ch == "\t":
            row.append("".join(cell))
            cell = []
        elif ch in "\r\n":
            if ch == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            row.append("".join(cell))
            rows.append(row)
            row, cell = [], []
        else:
            cell.append(ch)
        i += 1
    if cell or row:
        row.append("".join(cell))
        rows.append(row)
    return rows


@dataclass
class PastePlan:
    """What a paste will write (task id, update_task field, value) and the cells refused, in words."""

    edits: list[tuple[int, str, object]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def cell_value(column: int, text: str) -> tuple[object | None, str | None]:
    """The value to write into a column from pasted text, or (None, why not)."""
    col = COLUMNS[column]
    text = text.strip()
    if col.field is None:
        return None, f"“{col.header}”列不能修改"
    if col.key == "status":
        status = STATUS_WORDS.get(text.replace(" ", ""))
        if status is None:
            words = "、".join(s.label for s in TaskStatus)
            return None, f"“{text or '（空）'}”不是状态（可用：{words}）"
        return status.value, None
    if col.key == "percent":
        m = _PERCENT.match(text)
        value = float(m.group(1)) if m else None
        if value is not None and "%" not in text and "％" not in text and 0 < value <= 1 and "." in text:
            value *= 100  # Excel copies a cell formatted as 60% as 0.6 from some sheets
        if value is None or not 0 <= value <= 100 or value != int(value):
            return None, f"“{text or '（空）'}”不是 0–100 的进度"
        return int(value), None
    return text, None


def refused_sentence(refused: list[str], written: int) -> str:
    """One sentence: how many cells were pasted, which were not and why (the first three named)."""
    shown = "；".join(refused[:3]) + ("等" if len(refused) > 3 else "")
    done = f"已粘贴 {written} 个单元格，" if written else "没有粘贴任何单元格，"
    return f"{done}{len(refused)} 个单元格未粘贴（{shown}），请改正后再粘贴这几格。"
