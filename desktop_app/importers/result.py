"""What an import returns: the draft ledger plus what the user should look at."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop_app.domain.model import Ledger


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
