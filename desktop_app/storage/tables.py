"""SQLAlchemy 2 table classes (Mapped[] style). Only storage/ sees these."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column

# Stable constraint names so Alembic batch migrations on SQLite can find them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class LedgerRow(Base):
    __tablename__ = "ledger"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[int | None] = mapped_column(Integer)
    owner_unit: Mapped[str] = mapped_column(Text, default="")
    issuer: Mapped[str] = mapped_column(Text, default="")
    anchor_date: Mapped[date | None] = mapped_column(Date)  # revision 0008: relative deadlines count from it
    report_dates: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of ISO dates
    columns: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of {field, header}
    source_name: Mapped[str | None] = mapped_column(Text)
    source_file: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    ident: Mapped[str] = mapped_column(Text, default="", server_default="")  # revision 0005


class SectionRow(Base):
    __tablename__ = "section"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ledger_id: Mapped[int] = mapped_column(ForeignKey("ledger.id", ondelete="CASCADE"), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)  # in the recycle bin since


class TaskRow(Base):
    __tablename__ = "task"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ledger_id: Mapped[int] = mapped_column(ForeignKey("ledger.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    number: Mapped[str] = mapped_column(Text, default="")
    key_work: Mapped[str] = mapped_column(Text, default="")
    item: Mapped[str | None] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text, default="")
    indicator: Mapped[str] = mapped_column(Text, default="")
    units_text: Mapped[str] = mapped_column(Text, default="")
    cooperating_text: Mapped[str] = mapped_column(Text, default="")
    deadline_text: Mapped[str] = mapped_column(Text, default="")
    deadline_kind: Mapped[str] = mapped_column(String(16), default="none")
    due_date: Mapped[date | None] = mapped_column(Date)
    relative_days: Mapped[int | None] = mapped_column(Integer)
    working_days: Mapped[bool] = mapped_column(Boolean, default=False)
    anchor_text: Mapped[str | None] = mapped_column(Text)
    anchor_date: Mapped[date | None] = mapped_column(Date)
    recurrence: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    percent: Mapped[int] = mapped_column(Integer, default=0)
    progress: Mapped[str] = mapped_column(Text, default="")
    remarks: Mapped[str] = mapped_column(Text, default="")
    extra: Mapped[str] = mapped_column(Text, default="{}")  # JSON {header: value}
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    progress_updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)  # in the recycle bin since
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # +1 per write (0007)


class LedgerMemberRow(Base):
    """Who may do what on a ledger (revision 0007): role "edit" (编辑) or "read" (只读). A ledger with no
    member rows is open to everyone who can open the database (a single-user SQLite file)."""

    __tablename__ = "ledger_member"
    __table_args__ = (UniqueConstraint("ledger_id", "person", name="uq_ledger_member_ledger_id_person"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ledger_id: Mapped[int] = mapped_column(ForeignKey("ledger.id", ondelete="CASCADE"), index=True)
    person: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(8))


class TaskUnitRow(Base):
    __tablename__ = "task_unit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer, default=0)


class ReportRoundRow(Base):
    __tablename__ = "report_round"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ledger_id: Mapped[int] = mapped_column(ForeignKey("ledger.id", ondelete="CASCADE"), index=True)
    due_date: Mapped[date | None] = mapped_column(Date)
    label: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    file_name: Mapped[str | None] = mapped_column(Text)
    snapshot: Mapped[str | None] = deferred(mapped_column(Text))  # JSON of what was sent


class SubmissionRow(Base):
    """One file sent for a round (报送存档): what it held, frozen; withdrawn when the mark is taken back."""

    __tablename__ = "report_submission"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ledger_id: Mapped[int] = mapped_column(ForeignKey("ledger.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("report_round.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(DateTime)
    file_name: Mapped[str] = mapped_column(Text, default="", server_default="")
    as_of: Mapped[date | None] = mapped_column(Date)
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    snapshot: Mapped[str] = deferred(mapped_column(Text, nullable=False))


class ProgressEntryRow(Base):
    __tablename__ = "progress_entry"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    entry_date: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="in_progress")
    percent: Mapped[int] = mapped_column(Integer, default=0)
    author: Mapped[str] = mapped_column(Text, default="")
    round_id: Mapped[int | None] = mapped_column(ForeignKey("report_round.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class UnitRow(Base):
    __tablename__ = "unit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(Text, default="其他")  # domain.directory.KINDS (revision 0004)
    contact: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)  # the directory's order


class UnitReturnRow(Base):
    """What one unit reported on one task of a ledger in one round (the city office's collection)."""

    __tablename__ = "unit_return"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ledger_id: Mapped[int] = mapped_column(ForeignKey("ledger.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("report_round.id", ondelete="CASCADE"))
    unit: Mapped[str] = mapped_column(Text)  # the directory unit's name
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    progress: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    percent: Mapped[int] = mapped_column(Integer, default=0)
    file_name: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(DateTime)
    dated: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # the file's own date (0010)


class UnitReturnHistoryRow(Base):
    """A unit's return for a round that a newer one replaced (历次报送, revision 0009): what it held, frozen
    as JSON, and what the newer one changed."""

    __tablename__ = "unit_return_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ledger_id: Mapped[int] = mapped_column(ForeignKey("ledger.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("report_round.id", ondelete="CASCADE"))
    unit: Mapped[str] = mapped_column(Text)
    file_name: Mapped[str] = mapped_column(Text, default="", server_default="")
    received_at: Mapped[datetime | None] = mapped_column(DateTime)  # when the replaced return came in
    replaced_at: Mapped[datetime] = mapped_column(DateTime)
    replaced_by: Mapped[str] = mapped_column(Text, default="", server_default="")  # the newer file's name
    changes: Mapped[str] = mapped_column(Text, default="", server_default="")  # what the newer one changed
    snapshot: Mapped[str] = mapped_column(Text)  # JSON list of {task_id, progress, status, percent}


class ScoreRuleRow(Base):
    """The office's score rule for one assessment year (revision 0006)."""

    __tablename__ = "score_rule"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    late_return: Mapped[float] = mapped_column(Float)
    missing_return: Mapped[float] = mapped_column(Float)
    overdue_task: Mapped[float] = mapped_column(Float)


class ScoreDeductionRow(Base):
    """One deduction of a unit in one round of a ledger, with its reason (revision 0006)."""

    __tablename__ = "score_deduction"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ledger_id: Mapped[int] = mapped_column(ForeignKey("ledger.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("report_round.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer, index=True)
    unit: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))  # late | missing | overdue
    reason: Mapped[str] = mapped_column(Text)
    points: Mapped[float] = mapped_column(Float)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class UnitAliasRow(Base):
    __tablename__ = "unit_alias"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(Text, unique=True)


class AttachmentRow(Base):
    __tablename__ = "attachment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(Text, default="")
    mime: Mapped[str] = mapped_column(Text, default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    url: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    sha256: Mapped[str | None] = mapped_column(String(64))  # of data when stored (None: stored before 0008)


class AuditEventRow(Base):
    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    # No foreign keys: the trail must outlive the task or ledger it describes.
    ledger_id: Mapped[int | None] = mapped_column(Integer, index=True)
    task_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(32))
    field: Mapped[str | None] = mapped_column(Text)
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    # who made the change, and which running copy of the program (revision 0007): the windows poll
    # this table as their change counter and reload what the others changed
    person: Mapped[str] = mapped_column(Text, default="", server_default="")
    client: Mapped[str] = mapped_column(String(32), default="", server_default="")


class ProgressDraftRow(Base):
    """Progress text typed for a task that was gone when it was saved: kept for the user to recover."""

    __tablename__ = "progress_draft"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # No foreign keys: the draft must outlive the task it was typed for.
    task_id: Mapped[int | None] = mapped_column(Integer)
    ledger_id: Mapped[int | None] = mapped_column(Integer)
    task_label: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class HolidayRow(Base):
    __tablename__ = "holiday"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(Text, default="")


class SettingRow(Base):
    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)


Index("ix_task_ledger_position", TaskRow.ledger_id, TaskRow.section_id, TaskRow.position)
Index("ix_task_due_date", TaskRow.due_date)
Index("ix_unit_return_ledger_round_unit", UnitReturnRow.ledger_id, UnitReturnRow.round_id, UnitReturnRow.unit)
Index(
    "ix_unit_return_history_ledger_round_unit",
    UnitReturnHistoryRow.ledger_id,
    UnitReturnHistoryRow.round_id,
    UnitReturnHistoryRow.unit,
)
__all__ = [name for name in dir() if name.endswith("Row")] + ["Base", "UniqueConstraint"]
