"""The ledger's domain objects: plain dataclasses shared by every layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class UnitRole(StrEnum):
    LEAD = "lead"
    RESPONSIBLE = "responsible"
    COOPERATING = "cooperating"

    @property
    def label(self) -> str:
        return {"lead": "牵头", "responsible": "负责", "cooperating": "配合"}[self.value]


@dataclass(frozen=True)
class UnitAssignment:
    name: str
    role: UnitRole = UnitRole.RESPONSIBLE


class DeadlineKind(StrEnum):
    NONE = "none"  # the cell was empty
    DATE = "date"  # a fixed due date
    YEAR_ROUND = "year_round"  # 全年: ongoing, due at the year's end
    ONGOING = "ongoing"  # 长期坚持 / 持续推进: no due date
    RECURRING = "recurring"  # 每季度最后1个月15日前 ...: ongoing, next occurrence computable
    RELATIVE = "relative"  # 文件公布后3个工作日内: due once the anchor date is known
    UNKNOWN = "unknown"  # not understood: text kept, no date, flagged for the user


@dataclass(frozen=True)
class Deadline:
    text: str = ""
    kind: DeadlineKind = DeadlineKind.NONE
    due_date: date | None = None
    # RELATIVE: a count of days after an anchor event (anchor_text, e.g. "文件公布")
    relative_days: int | None = None
    working_days: bool = False
    anchor_text: str | None = None
    anchor_date: date | None = None
    # RECURRING: a rule such as "quarterly:last_month:15", "monthly:10", "yearly:12-05"
    recurrence: str | None = None

    @property
    def ongoing(self) -> bool:
        return self.kind in (DeadlineKind.ONGOING, DeadlineKind.YEAR_ROUND, DeadlineKind.RECURRING)

    @property
    def flagged(self) -> bool:
        """True when the user should look at it: text we could not read."""
        return self.kind == DeadlineKind.UNKNOWN


class TaskStatus(StrEnum):
    """The status the user records. What the table shows is computed (see domain.status)."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @property
    def label(self) -> str:
        return {"not_started": "未开始", "in_progress": "推进中", "done": "已完成"}[self.value]


@dataclass(frozen=True)
class ColumnSpec:
    """One column of the source table: which field it fed, and its header as written."""

    field: str  # number, key_work, item, content, indicator, units, cooperating_units,
    # deadline, progress, remarks, or "extra:<header>"
    header: str


@dataclass
class Task:
    id: int | None = None
    number: str = ""  # as written, "3", or "3-2" for the 2nd task of item 3
    key_work: str = ""
    item: str | None = None
    content: str = ""
    indicator: str = ""
    units_text: str = ""  # the responsible-units cell as written
    cooperating_text: str = ""  # a separate 配合单位 column, when the source had one
    units: list[UnitAssignment] = field(default_factory=list)
    deadline: Deadline = field(default_factory=Deadline)
    status: TaskStatus = TaskStatus.NOT_STARTED
    percent: int = 0
    progress: str = ""
    remarks: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    position: int = 0
    section_id: int | None = None
    ledger_id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    progress_updated_at: datetime | None = None  # last change of progress/status/percent
    version: int = 0  # the stored row's version: +1 per write (several staff on one ledger)
    # Filled only on a task just deleted, so that undo brings its history and evidence back.
    removed_history: list[ProgressEntry] | None = None
    removed_attachments: list[Attachment] | None = None


@dataclass
class Section:
    id: int | None = None
    title: str | None = None
    position: int = 0
    tasks: list[Task] = field(default_factory=list)


@dataclass
class Ledger:
    id: int | None = None
    title: str = ""
    year: int | None = None
    owner_unit: str = ""  # whose ledger it is (市自然资源局 ...)
    issuer: str = ""  # who issued the points (银川市政府政务公开办公室 ...)
    anchor_date: date | None = None  # 通知印发/收到日期: the relative deadlines of its tasks count from it
    report_dates: list[date] = field(default_factory=list)
    source_name: str | None = None
    source_file: bytes | None = None  # the imported file, kept for fill-back
    columns: list[ColumnSpec] = field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    sections: list[Section] = field(default_factory=list)
    ident: str = ""  # stable id across copies sent out and back (domain.identity); "" until stored

    def all_tasks(self) -> list[Task]:
        return [t for s in self.sections for t in s.tasks]


@dataclass
class LedgerSummary:
    id: int
    title: str
    year: int | None
    owner_unit: str
    task_count: int
    updated_at: datetime | None


@dataclass
class SearchHit:
    """A task of any ledger whose text, progress or journal holds the words looked for (回头看)."""

    ledger_id: int
    ledger_title: str
    year: int | None
    task_id: int
    number: str
    content: str
    where: str  # 主要内容 / 重点工作 / 当前进展 / 进展记录 / 备注
    excerpt: str  # the matching text around the words
    progress: str = ""


@dataclass
class ProgressEntry:
    id: int | None = None
    task_id: int | None = None
    entry_date: date | None = None
    text: str = ""
    status: TaskStatus = TaskStatus.IN_PROGRESS
    percent: int = 0
    author: str = ""
    round_id: int | None = None
    created_at: datetime | None = None


@dataclass
class ReportRound:
    id: int | None = None
    ledger_id: int | None = None
    due_date: date | None = None
    label: str = ""
    submitted_at: datetime | None = None
    file_name: str | None = None
    snapshot: dict | None = None  # the ledger as sent (domain.serialize form)


@dataclass
class Submission:
    """One file sent for a round (报送存档), with the ledger as it was sent."""

    id: int | None = None
    ledger_id: int | None = None
    round_id: int | None = None
    submitted_at: datetime | None = None
    file_name: str = ""
    as_of: date | None = None
    public: bool = False
    withdrawn_at: datetime | None = None  # the round's 已报送 mark was taken back afterwards
    snapshot: dict | None = None  # domain.serialize form; None in listings


@dataclass
class Unit:
    id: int | None = None
    name: str = ""
    aliases: list[str] = field(default_factory=list)
    kind: str = "其他"  # the directory's kind: 市政府部门 / 直属机构 / 县（市）区政府 / 其他 (domain.directory)
    contact: str = ""  # who to call there (the directory's 联系人/电话 column, as typed)


@dataclass
class Attachment:
    id: int | None = None
    task_id: int | None = None
    file_name: str = ""
    mime: str = ""
    size: int = 0
    data: bytes | None = None  # None for a link
    url: str | None = None
    created_at: datetime | None = None
    sha256: str | None = None  # of the file as it was added (None: added by an older version, or a link)


@dataclass
class AuditEvent:
    id: int | None = None
    at: datetime | None = None
    ledger_id: int | None = None
    task_id: int | None = None
    action: str = ""  # update, create, delete, import, progress ...
    field: str | None = None
    old_value: str | None = None
    new_value: str | None = None
    person: str = ""  # who made the change (填报人, the server login, or the OS account)
    client: str = ""  # which running copy of the program made it


@dataclass(frozen=True)
class HolidayDay:
    day: date
    is_workday: bool  # True: a weekend day swapped into a working day (调休)
    name: str = ""


class LedgerError(Exception):
    """An error with a one-sentence Chinese message for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConnectionLost(LedgerError):
    """The database server went away during an operation (restart, network): nothing of it was
    written; the same operation can be tried again once the server is back."""


class EditConflict(LedgerError):
    """An edit made on a task another person changed meanwhile: both texts, for the user to choose."""

    def __init__(
        self, task_id: int, field: str, mine: str, theirs: str, person: str = "", at: datetime | None = None,
        version: int = 0,
    ) -> None:
        who = person or "其他人"
        when = at.strftime("%H:%M") if at else ""
        super().__init__(
            f"这项任务在您编辑期间已被{who}{('于 ' + when) if when else ''}修改，您的修改没有覆盖对方的内容，"
            "请对照两边的文字选择保留哪一份或合并后再保存。"
        )
        self.task_id, self.field, self.mine, self.theirs = task_id, field, mine, theirs
        self.person, self.at, self.version = person, at, version


@dataclass
class RecycledTask:
    """A task in the recycle bin (回收站): deleted, restorable with its history and evidence."""

    task: Task
    ledger_id: int
    ledger_title: str
    section_title: str | None
    deleted_at: datetime


@dataclass
class ProgressDraft:
    """Progress text typed for a task that was gone when it was saved, kept for the user."""

    id: int | None = None
    task_id: int | None = None
    ledger_id: int | None = None
    task_label: str = ""
    text: str = ""
    created_at: datetime | None = None
