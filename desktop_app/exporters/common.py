"""What every report shares: its options, the columns it shows and the text of each cell."""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from datetime import date

from desktop_app.domain import clock
from desktop_app.domain.model import ColumnSpec, Ledger, Task
from desktop_app.domain.status import StatusInfo, StatusRules, compute_status

DEFAULT_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("number", "序号"),
    ColumnSpec("key_work", "重点工作"),
    ColumnSpec("content", "主要内容"),
    ColumnSpec("indicator", "量化指标"),
    ColumnSpec("units", "责任单位"),
    ColumnSpec("deadline", "完成时限"),
    ColumnSpec("progress", "进展落实情况"),
)

# Relative widths of the columns on paper (the content and progress columns get the room).
COLUMN_WEIGHTS: dict[str, float] = {
    "number": 0.8,
    "key_work": 2.0,
    "item": 2.0,
    "content": 5.0,
    "indicator": 3.2,
    "units": 2.6,
    "cooperating_units": 2.2,
    "deadline": 1.5,
    "progress": 5.0,
    "remarks": 1.8,
    "status": 1.4,
}

# Fields the public edition leaves out: internal notes.
INTERNAL_FIELDS = frozenset({"remarks"})


@dataclass
class ReportOptions:
    """How to write a report; the strings come from the settings (填报单位, 填报人 ...)."""

    as_of: date = field(default_factory=clock.today)
    unit: str = ""  # 填报单位
    filler: str = ""  # 填报人
    phone: str = ""  # 联系电话
    reviewer: str = ""  # 审核人
    head_of_unit: str = ""  # 单位负责人
    public: bool = False  # 公开版: personal data masked, internal fields left out
    # public edition: finding key -> True (mask) / False (keep as is); a finding not listed is masked
    masks: dict[str, bool] | None = None
    columns: list[ColumnSpec] | None = None  # None: the ledger's own columns
    progress_by_task: dict[int, str] | None = None  # task id -> progress text as of as_of
    title: str | None = None  # None: the ledger's title
    status_rules: StatusRules = field(default_factory=StatusRules)  # the settings' 临期/即将到期 days


def report_columns(ledger: Ledger, options: ReportOptions | None = None) -> list[ColumnSpec]:
    """The columns to print: the chosen ones, else the ledger's own, always with a progress column."""
    cols = list(options.columns) if options and options.columns else list(ledger.columns)
    if not cols:
        cols = list(DEFAULT_COLUMNS)
        if any(t.item for t in ledger.all_tasks()):
            cols.insert(2, ColumnSpec("item", "主要内容"))
    if not any(c.field == "progress" for c in cols):
        cols.append(ColumnSpec("progress", "进展落实情况"))
    if options and options.public:
        cols = [c for c in cols if c.field not in INTERNAL_FIELDS and not c.field.startswith("extra:")]
    return cols


def base_number(number: str) -> str:
    """ "3-2" (2nd task of item 3) -> "3"."""
    return number.split("-", 1)[0].strip() if "-" in number else number.strip()


def progress_of(task: Task, options: ReportOptions | None) -> str:
    if options and options.progress_by_task is not None and task.id is not None:
        if task.id in options.progress_by_task:
            return options.progress_by_task[task.id]
    return task.progress


def status_info(task: Task, options: ReportOptions | None = None) -> StatusInfo:
    """The task's status on the report date, by the one rule every view uses (domain.status)."""
    opts = options or ReportOptions()
    progress = progress_of(task, opts)
    if progress != task.progress:  # the progress as of the report date decides 推进中 / 未开始
        task = dataclasses.replace(task, progress=progress)
    return compute_status(task, opts.as_of, opts.status_rules)


def cell_text(task: Task, col: ColumnSpec, options: ReportOptions | None = None) -> str:
    f = col.field
    if f == "status":
        return status_info(task, options).status.label
    if f == "number":
        return base_number(task.number)
    if f == "key_work":
        return task.key_work
    if f == "item":
        return task.item or ""
    if f == "content":
        return task.content
    if f == "indicator":
        return task.indicator
    if f == "units":
        return task.units_text or "、".join(u.name for u in task.units)
    if f == "cooperating_units":
        return task.cooperating_text
    if f == "deadline":
        if task.deadline.text:
            return task.deadline.text
        return clock.chinese_date(task.deadline.due_date) if task.deadline.due_date else ""
    if f == "progress":
        return progress_of(task, options)
    if f == "remarks":
        return task.remarks
    if f.startswith("extra:"):
        key = f[len("extra:") :]
        return task.extra.get(key, task.extra.get(col.header, ""))
    return task.extra.get(col.header, "")


@dataclass
class Merges:
    """Which rows continue the cell above them (vertically merged), per column field."""

    continues: dict[str, list[bool]]

    def is_continued(self, field_name: str, row: int) -> bool:
        flags = self.continues.get(field_name)
        return bool(flags and flags[row])

    def is_start(self, field_name: str, row: int) -> bool:
        """The first row of a merge of two rows or more."""
        flags = self.continues.get(field_name)
        return bool(flags and not flags[row] and row + 1 < len(flags) and flags[row + 1])


def section_merges(tasks: list[Task]) -> Merges:
    """As the source tables do: key work merged over its rows, the item within it, "3-1","3-2" as one 3."""
    n = len(tasks)
    key = [False] * n
    item = [False] * n
    number = [False] * n
    for i in range(1, n):
        a, b = tasks[i - 1], tasks[i]
        key[i] = bool(b.key_work.strip()) and b.key_work == a.key_work
        item[i] = key[i] and bool((b.item or "").strip()) and b.item == a.item
        number[i] = "-" in b.number and base_number(b.number) == base_number(a.number) and key[i]
    return Merges({"key_work": key, "item": item, "number": number})


def has_section_titles(ledger: Ledger) -> bool:
    return any((s.title or "").strip() for s in ledger.sections)


def with_progress(ledger: Ledger, options: ReportOptions) -> Ledger:
    """The ledger as reported: a copy whose tasks carry the progress as of the report date."""
    if not options.progress_by_task:
        return ledger
    out = copy.deepcopy(ledger)
    out.source_file = None
    for task in out.all_tasks():
        if task.id is not None and task.id in options.progress_by_task:
            task.progress = options.progress_by_task[task.id]
    return out
