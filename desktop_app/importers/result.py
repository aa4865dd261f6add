"""What an import returns: the draft ledger plus what the user should look at."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop_app.domain.identity import FileIdentity
from desktop_app.domain.model import Ledger, ProgressEntry


@dataclass
class TableInfo:
    """One source table as the import wizard shows it: headers (as written, per grid column)
    and the field each column was read into ("ignore" for a column not imported).
    `index` is the key for `load_any(..., overrides={index: {column: field}})`."""

    index: int
    headers: list[str]
    fields: list[str]
    header_row: int  # 0-based row of the (first) header row within the table / sheet
    header_rows: int = 1  # 2 when the header took two rows (labels merged "上/下")
    task_count: int = 0
    sheet: str | None = None  # xlsx: the sheet it came from
    sample: list[list[str]] = field(default_factory=list)  # first data rows, for a preview
    # per grid column: how sure the reading of `fields` is (0..1; below 0.7 doubtful) and why
    confidence: list[float] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def doubtful(self) -> list[int]:
        """Grid columns whose field was guessed with little evidence (the wizard stops on them)."""
        return [c for c, v in enumerate(self.confidence) if v < 0.7 and self.fields[c] != "ignore"]


@dataclass
class TaskChange:
    """A task of our own report whose row was edited, added or deleted in Word/WPS/Excel."""

    kind: str  # "changed" | "added" | "removed"
    number: str  # 序号 as in the file ("" when it has none)
    title: str  # the start of its content, to recognise it
    fields: list[str] = field(default_factory=list)  # "changed": column headers as written

    @property
    def text(self) -> str:
        who = f"第{self.number}项" if self.number else f"“{self.title}”"
        if self.kind == "added":
            return f"{who}：文件中新增的任务，已作为新任务导入"
        if self.kind == "removed":
            return f"{who}：已从文件中删除，未导入"
        return f"{who}：{'、'.join(self.fields)} 已在文件中修改"


@dataclass
class ImportResult:
    ledger: Ledger
    warnings: list[str] = field(default_factory=list)
    # (section index, task index, reason), e.g. (0, 3, "无法识别完成时限“…”")
    flagged: list[tuple[int, int, str]] = field(default_factory=list)
    sheet_candidates: list[str] = field(default_factory=list)  # xlsx: sheets that each hold a ledger
    source_kind: str = ""  # "docx-table" | "xlsx" | "notice" | "json" | "embedded"
    tables: list[TableInfo] = field(default_factory=list)
    sheet: str | None = None  # xlsx: the sheet that was read
    fill_line: str | None = None  # the "填报单位：… 填报时间：…" line under the title, as written
    identity: FileIdentity | None = None  # what the file says it is (docProps/custom.xml, embedded copy)
    # our own report re-imported: the tasks edited/added/deleted in the file, for the summary
    changes: list[TaskChange] = field(default_factory=list)
    # progress history per section per task (same shape as ledger.sections), from an embedded copy
    histories: list[list[list[ProgressEntry]]] | None = None
    # per section per task: (row as read, field per grid column); filled by the table readers
    visible_rows: list[list[Any]] | None = field(default=None, repr=False)


# What a ledger loses when the file has no column for a field (the wizard and the CLI say so).
EXPECTED_COLUMNS: dict[str, str] = {
    "units": "没有找到“责任单位”列：任务导入后没有责任单位，“只看本单位”和按单位统计用不上，可导入后在表格中补填。",
    "deadline": "没有找到“完成时限”列：任务导入后没有完成时限，不会有逾期和临近提醒，可导入后在表格中补填。",
    "content": "没有找到“主要内容”列：任务的内容取自其他文字列，请核对。",
}


def missing_columns(result: ImportResult) -> list[str]:
    """One sentence per expected column the tables of a Word/Excel ledger do not have."""
    if not result.tables or result.source_kind not in ("docx-table", "xlsx"):
        return []
    read = [t for t in result.tables if t.header_rows > 0 or any(f != "ignore" for f in t.fields)]
    fields = {f for t in read for f in t.fields}
    out = []
    wanted = {"units": {"units", "cooperating_units"}, "content": {"content", "item"}}
    for name, sentence in EXPECTED_COLUMNS.items():
        if read and not fields & wanted.get(name, {name}):
            out.append(sentence)
    return out


def flagged_lines(result: ImportResult, limit: int = 20) -> list[str]:
    """One line per task the user should look at (units not written, a deadline not understood), as
    the wizard marks them: "第3项“公开财政预决算…”：原文未写明责任单位…"; past `limit`, one line counts
    the rest."""
    sections = result.ledger.sections
    out: list[str] = []
    for si, ti, reason in result.flagged:
        if len(out) == limit:
            out.append(f"另有 {len(result.flagged) - limit} 项需要核对，请导入后在表格中查看（橙色标出）。")
            break
        task = sections[si].tasks[ti] if si < len(sections) and ti < len(sections[si].tasks) else None
        if task is None:
            out.append(reason)
            continue
        title = " ".join(task.content.split())
        title = f"“{title[:16]}…”" if len(title) > 16 else (f"“{title}”" if title else "")
        who = f"第{task.number}项" if task.number else "一项任务"
        out.append(f"{who}{title}：{reason}")
    return out


def column_decisions(result: ImportResult) -> list[dict]:
    """Per table column: the field it was read into, how sure, why (for `inspect --json`)."""
    out = []
    for t in result.tables:
        for c, header in enumerate(t.headers):
            confidence = t.confidence[c] if c < len(t.confidence) else None
            out.append(
                {
                    "table": t.index,
                    "sheet": t.sheet,
                    "column": c,
                    "header": header,
                    "field": t.fields[c],
                    "confidence": round(confidence, 2) if confidence is not None else None,
                    "doubtful": confidence is not None and confidence < 0.7 and t.fields[c] != "ignore",
                    "reason": t.reasons[c] if c < len(t.reasons) else "",
                }
            )
    return out
