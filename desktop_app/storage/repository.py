"""Repositories: read and write domain objects; rows never leave this package."""

from __future__ import annotations

import gc
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import fields
from datetime import date, datetime

from sqlalchemy import Date, case, cast, delete, func, insert, literal_column, select, update
from sqlalchemy.orm import Session

from desktop_app.domain.identity import new_ident
from desktop_app.domain.model import (
    Attachment,
    AuditEvent,
    ColumnSpec,
    Deadline,
    DeadlineKind,
    HolidayDay,
    Ledger,
    LedgerError,
    LedgerSummary,
    ProgressDraft,
    ProgressEntry,
    RecycledTask,
    ReportRound,
    SearchHit,
    Section,
    Submission,
    Task,
    TaskStatus,
    Unit,
    UnitAssignment,
    UnitRole,
)
from desktop_app.storage.tables import (
    AttachmentRow,
    AuditEventRow,
    HolidayRow,
    LedgerMemberRow,
    LedgerRow,
    ProgressDraftRow,
    ProgressEntryRow,
    ReportRoundRow,
    SectionRow,
    SettingRow,
    SubmissionRow,
    TaskRow,
    TaskUnitRow,
    UnitAliasRow,
    UnitRow,
)


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


# Tasks and sections in the recycle bin carry deleted_at: every query of live data filters on these.
LIVE_TASK = TaskRow.deleted_at.is_(None)
LIVE_SECTION = SectionRow.deleted_at.is_(None)


# What str.strip() takes off (every character str.isspace() accepts): a text blank for Python is blank
# for the SQL too.
_BLANKS = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_ID_CHUNK = 500  # ids per IN (...): below SQLite's oldest bound of 999 parameters


def _stripped(session: Session, column):  # noqa: ANN001, ANN202 - SQL expressions
    """column with the blanks str.strip() removes trimmed off both ends (SQLite trim, PostgreSQL btrim)."""
    name = "btrim" if session.get_bind().dialect.name == "postgresql" else "trim"
    # a literal, not a parameter: PostgreSQL matches a grouped expression to the selected one only
    # when both are the same text (no quote or backslash among the blanks)
    return getattr(func, name)(column, literal_column(f"'{_BLANKS}'"))


def _day_of(session: Session, column):  # noqa: ANN001, ANN202
    """The date part of a DATETIME column (SQLite keeps text 'YYYY-MM-DD HH:MM:SS')."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(column, Date)
    return func.substr(column, 1, 10)


# ----------------------------------------------------------------- conversions
# Reading a ledger builds tens of thousands of tasks: enum values by dict lookup (not Enum(...)),
# equal Deadline and UnitAssignment values shared (both frozen), "{}" extras not parsed.
_STATUS = {s.value: s for s in TaskStatus}
_KIND = {k.value: k for k in DeadlineKind}
_ROLE = {r.value: r for r in UnitRole}
_NO_EXTRA = ("", "{}", None)


class _Interned:
    """Frozen value objects met over and over in one read (a ledger's deadlines and units)."""

    def __init__(self) -> None:
        self.deadlines: dict[tuple, Deadline] = {}
        self.units: dict[tuple[str, str], UnitAssignment] = {}

    def deadline(self, r: object) -> Deadline:
        key = (
            r.deadline_text,
            r.deadline_kind,
            r.due_date,
            r.relative_days,
            r.working_days,
            r.anchor_text,
            r.anchor_date,
            r.recurrence,
        )
        found = self.deadlines.get(key)
        return found if found is not None else self.deadline_of(key)

    def deadline_of(self, key: tuple) -> Deadline:
        """The Deadline of (text, kind, due, relative days, working days, anchor text/date, recurrence)."""
        text, kind, due, relative, working, anchor_text, anchor_date, recurrence = key
        found = self.deadlines[key] = Deadline(
            text=text or "",
            kind=_KIND.get(kind or "none") or DeadlineKind(kind),
            due_date=due,
            relative_days=relative,
            working_days=bool(working),
            anchor_text=anchor_text,
            anchor_date=anchor_date,
            recurrence=recurrence,
        )
        return found

    def unit(self, name: str, role: str) -> UnitAssignment:
        found = self.units.get((name, role))
        if found is None:
            found = self.units[(name, role)] = UnitAssignment(name, _ROLE.get(role) or UnitRole(role))
        return found


# Task's leading fields in order: passed by position (a dataclass __init__ parses 21 keywords about
# twice as slowly); if Task's fields ever change order, keywords are used instead.
_TASK_ORDER = (
    "id number key_work item content indicator units_text cooperating_text units deadline status percent"
    " progress remarks extra position section_id ledger_id created_at updated_at progress_updated_at version"
).split()
_POSITIONAL = [f.name for f in fields(Task)][: len(_TASK_ORDER)] == _TASK_ORDER


def _task_from_row(r: TaskRow | object, units: list[UnitAssignment], interned: _Interned | None = None) -> Task:
    extra = r.extra
    values = (
        r.id,
        r.number or "",
        r.key_work or "",
        r.item,
        r.content or "",
        r.indicator or "",
        r.units_text or "",
        r.cooperating_text or "",
        units,
        (interned or _Interned()).deadline(r),
        _STATUS.get(r.status or "not_started") or TaskStatus(r.status),
        r.percent or 0,
        r.progress or "",
        r.remarks or "",
        {} if extra in _NO_EXTRA else json.loads(extra),
        r.position or 0,
        r.section_id,
        r.ledger_id,
        r.created_at,
        r.updated_at,
        r.progress_updated_at,
        getattr(r, "version", 0) or 0,
    )
    return Task(*values) if _POSITIONAL else Task(**dict(zip(_TASK_ORDER, values, strict=True)))


# The columns ledger_tasks reads, in this order (_task_from_tuple reads them by position).
_TASK_COLUMNS = (
    TaskRow.id,
    TaskRow.number,
    TaskRow.key_work,
    TaskRow.item,
    TaskRow.content,
    TaskRow.indicator,
    TaskRow.units_text,
    TaskRow.cooperating_text,
    TaskRow.deadline_text,
    TaskRow.deadline_kind,
    TaskRow.due_date,
    TaskRow.relative_days,
    TaskRow.working_days,
    TaskRow.anchor_text,
    TaskRow.anchor_date,
    TaskRow.recurrence,
    TaskRow.status,
    TaskRow.percent,
    TaskRow.progress,
    TaskRow.remarks,
    TaskRow.extra,
    TaskRow.position,
    TaskRow.section_id,
    TaskRow.ledger_id,
    TaskRow.created_at,
    TaskRow.updated_at,
    TaskRow.progress_updated_at,
    TaskRow.version,
)


def _task_from_tuple(r: tuple, units: list[UnitAssignment], interned: _Interned) -> Task:
    """_task_from_row for a row of _TASK_COLUMNS, read by position."""
    key = r[8:16]
    deadline = interned.deadlines.get(key)
    if deadline is None:
        deadline = interned.deadline_of(key)
    extra = r[20]
    values = (
        r[0],
        r[1] or "",
        r[2] or "",
        r[3],
        r[4] or "",
        r[5] or "",
        r[6] or "",
        r[7] or "",
        units,
        deadline,
        _STATUS.get(r[16] or "not_started") or TaskStatus(r[16]),
        r[17] or 0,
        r[18] or "",
        r[19] or "",
        {} if extra in _NO_EXTRA else json.loads(extra),
        r[21] or 0,
        r[22],
        r[23],
        r[24],
        r[25],
        r[26],
        r[27] or 0,
    )
    return Task(*values) if _POSITIONAL else Task(**dict(zip(_TASK_ORDER, values, strict=True)))


def _task_values(t: Task) -> dict:
    d = t.deadline
    return {
        "number": t.number,
        "key_work": t.key_work,
        "item": t.item,
        "content": t.content,
        "indicator": t.indicator,
        "units_text": t.units_text,
        "cooperating_text": t.cooperating_text,
        "deadline_text": d.text,
        "deadline_kind": d.kind.value,
        "due_date": d.due_date,
        "relative_days": d.relative_days,
        "working_days": d.working_days,
        "anchor_text": d.anchor_text,
        "anchor_date": d.anchor_date,
        "recurrence": d.recurrence,
        "status": t.status.value,
        "percent": int(t.percent or 0),
        "progress": t.progress,
        "remarks": t.remarks,
        "extra": json.dumps(t.extra, ensure_ascii=False),
        "position": t.position,
        "progress_updated_at": t.progress_updated_at,
    }


def _ledger_from_row(r: LedgerRow, with_source: bool = False) -> Ledger:
    return Ledger(
        id=r.id,
        title=r.title or "",
        year=r.year,
        owner_unit=r.owner_unit or "",
        issuer=r.issuer or "",
        anchor_date=r.anchor_date,
        report_dates=[date.fromisoformat(x) for x in json.loads(r.report_dates or "[]")],
        source_name=r.source_name,
        source_file=r.source_file if with_source else None,
        columns=[ColumnSpec(c["field"], c["header"]) for c in json.loads(r.columns or "[]")],
        created_at=r.created_at,
        updated_at=r.updated_at,
        ident=r.ident or "",
    )


def _dates_json(values: Iterable[date]) -> str:
    return json.dumps(sorted({d.isoformat() for d in values}))


def _columns_json(columns: Iterable[ColumnSpec]) -> str:
    return json.dumps([{"field": c.field, "header": c.header} for c in columns], ensure_ascii=False)


class LedgerRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    # ------------------------------------------------------------- ledgers
    def summaries(self) -> list[LedgerSummary]:
        counts = dict(
            self.s.execute(
                select(TaskRow.ledger_id, func.count(TaskRow.id)).where(LIVE_TASK).group_by(TaskRow.ledger_id)
            ).all()
        )
        rows = self.s.scalars(select(LedgerRow).order_by(LedgerRow.year.desc(), LedgerRow.title)).all()
        return [
            LedgerSummary(r.id, r.title, r.year, r.owner_unit, counts.get(r.id, 0), r.updated_at)
            for r in rows
        ]

    def ledger_row(self, ledger_id: int) -> LedgerRow | None:
        return self.s.get(LedgerRow, ledger_id)

    def get(self, ledger_id: int, with_source: bool = False, tasks: bool = True) -> Ledger | None:
        """The ledger with its sections; with tasks=False the sections' task lists stay empty (what
        the window's table reads row by row: ledger_heads, tasks_by_id)."""
        row = self.s.get(LedgerRow, ledger_id)
        if row is None:
            return None
        ledger = _ledger_from_row(row, with_source)
        sections = self.s.scalars(
            select(SectionRow)
            .where(SectionRow.ledger_id == ledger_id, LIVE_SECTION)
            .order_by(SectionRow.position, SectionRow.id)
        ).all()
        by_id: dict[int, Section] = {}
        for sr in sections:
            sec = Section(id=sr.id, title=sr.title, position=sr.position)
            by_id[sr.id] = sec
            ledger.sections.append(sec)
        if not tasks:
            return ledger
        for section_id, task in self.ledger_tasks(ledger_id):
            sec = by_id.get(section_id)
            if sec is not None:
                sec.tasks.append(task)
        return ledger

    def ledger_tasks(self, ledger_id: int) -> list[tuple[int, Task]]:
        """(section id, task) of every live task of a ledger in index order (section, position, id).

        One Core query on the connection, rows read by position (a Row's attributes by name cost
        ~2 µs each, 28 of them a task), the units in a second query; the collector paused meanwhile
        (50,000 tasks allocate ~1.5 million objects: gen-2 passes over all of them otherwise)."""
        conn = self.s.connection()
        interned = _Interned()
        paused = gc.isenabled()
        gc.disable()
        try:
            units: dict[int, list[UnitAssignment]] = {}
            unit = interned.unit
            for task_id, name, role in conn.execute(
                select(TaskUnitRow.task_id, TaskUnitRow.name, TaskUnitRow.role)
                .join(TaskRow, TaskRow.id == TaskUnitRow.task_id)
                .where(TaskRow.ledger_id == ledger_id, LIVE_TASK)
                .order_by(TaskUnitRow.task_id, TaskUnitRow.position)
            ).all():
                found = units.get(task_id)
                if found is None:
                    units[task_id] = [unit(name, role)]
                else:
                    found.append(unit(name, role))
            rows = conn.execute(
                select(*_TASK_COLUMNS)
                .where(TaskRow.ledger_id == ledger_id, LIVE_TASK)
                .order_by(TaskRow.section_id, TaskRow.position, TaskRow.id)
            ).all()
            return [(r[22], _task_from_tuple(r, units.get(r[0]) or [], interned)) for r in rows]
        finally:
            if paused:
                gc.enable()

    def ledger_heads(self, ledger_id: int) -> list[tuple[int, int, str, str]]:
        """(section id, task id, 序号, 重点工作) of every live task in index order: what a table needs of
        all its rows before it shows any (row count, 21-1 groups, 〃 marks); one narrow Core query."""
        return (
            self.s.connection()
            .execute(
                select(TaskRow.section_id, TaskRow.id, TaskRow.number, TaskRow.key_work)  # NOT NULL, all four
                .where(TaskRow.ledger_id == ledger_id, LIVE_TASK)
                .order_by(TaskRow.section_id, TaskRow.position, TaskRow.id)
            )
            .all()
        )

    def tasks_by_id(self, task_ids: Iterable[int]) -> dict[int, Task]:
        """The tasks with these ids (in the recycle bin too: a row shown a moment ago still reads), by
        the same Core read as ledger_tasks, in chunks below every engine's bound on parameters."""
        ids = list(task_ids)
        out: dict[int, Task] = {}
        conn = self.s.connection()
        interned = _Interned()
        paused = gc.isenabled()
        gc.disable()
        try:
            for start in range(0, len(ids), _ID_CHUNK):
                chunk = ids[start : start + _ID_CHUNK]
                units: dict[int, list[UnitAssignment]] = {}
                for task_id, name, role in conn.execute(
                    select(TaskUnitRow.task_id, TaskUnitRow.name, TaskUnitRow.role)
                    .where(TaskUnitRow.task_id.in_(chunk))
                    .order_by(TaskUnitRow.task_id, TaskUnitRow.position)
                ):
                    units.setdefault(task_id, []).append(interned.unit(name, role))
                for r in conn.execute(select(*_TASK_COLUMNS).where(TaskRow.id.in_(chunk))):
                    out[r[0]] = _task_from_tuple(r, units.get(r[0]) or [], interned)
        finally:
            if paused:
                gc.enable()
        return out

    def unit_texts(self, ledger_id: int) -> tuple[list[str], list[str], list[str]]:
        """What a ledger's live tasks write of units, each text once: (the parsed unit names, the
        责任单位 text of tasks with no parsed units, the 配合单位 texts). The filter bar's list and the
        addressee rules' inputs, without reading the tasks."""
        conn = self.s.connection()
        live = (TaskRow.ledger_id == ledger_id, LIVE_TASK)
        names = conn.execute(
            select(TaskUnitRow.name).distinct().join(TaskRow, TaskRow.id == TaskUnitRow.task_id).where(*live)
        ).scalars()
        has_units = select(TaskUnitRow.task_id).where(TaskUnitRow.task_id == TaskRow.id).exists()
        pairs = conn.execute(  # one pass over the tasks for both texts
            select(case((has_units, ""), else_=TaskRow.units_text), TaskRow.cooperating_text).distinct().where(*live)
        ).all()
        texts = {text for text, _c in pairs if text}
        cooperating = {c for _t, c in pairs if c}
        return sorted(n for n in names if n), sorted(texts), sorted(cooperating)

    def unit_names(self, ledger_id: int) -> list[str]:
        """The unit names of a ledger's live tasks (a task with no parsed units: its 责任单位 text), sorted:
        the filter bar's list (TaskTableModel.unit_names), without reading the tasks."""
        names, texts, _cooperating = self.unit_texts(ledger_id)
        return sorted({*names, *texts})

    def fields_with_text(self, ledger_id: int, names: Iterable[str]) -> set[str]:
        """Which of these task columns hold text other than blanks (str.strip's) in some live task."""
        conn = self.s.connection()
        found = set()
        for name in names:
            column = getattr(TaskRow, name)
            hit = conn.execute(
                select(TaskRow.id)
                .where(TaskRow.ledger_id == ledger_id, LIVE_TASK, _stripped(self.s, column) != "")
                .limit(1)
            ).first()
            if hit is not None:
                found.add(name)
        return found

    def status_groups(self, ledger_id: int, stale_before: date | None = None) -> list[tuple[Task, int]]:
        """What the status rule (domain.status.compute_status) reads of a ledger's live tasks, grouped:
        (a task standing for the group, how many tasks share it), in one grouped query; the caller runs
        the rule once a group instead of once a task.

        Grouped by what the rule tells apart: the deadline, the recorded status, the percent as 0 / between
        / 100 or more, whether the progress text is blank (as str.strip has it); the day progress was last
        updated only for recurring deadlines (whose period it decides), else only whether it is before
        `stale_before` (the last report date, 待更新) or missing: the standing task then carries no date,
        or `stale_before` itself."""
        progress_given = case((_stripped(self.s, TaskRow.progress) == "", 0), else_=1)
        percent = case((TaskRow.percent >= 100, 100), (TaskRow.percent > 0, 1), else_=0)
        day = _day_of(self.s, TaskRow.progress_updated_at)
        missing = TaskRow.progress_updated_at.is_(None)
        if stale_before is not None:
            boundary = stale_before.isoformat() if self.s.get_bind().dialect.name != "postgresql" else stale_before
            before = case((missing, 1), (day < boundary, 1), else_=0)
        else:
            before = case((missing, 1), else_=0)
        recurring_day = case((TaskRow.deadline_kind == DeadlineKind.RECURRING.value, day), else_=None)
        keys = (
            TaskRow.deadline_text,
            TaskRow.deadline_kind,
            TaskRow.due_date,
            TaskRow.relative_days,
            TaskRow.working_days,
            TaskRow.anchor_text,
            TaskRow.anchor_date,
            TaskRow.recurrence,
            TaskRow.status,
            percent,
            progress_given,
            before,
            recurring_day,
        )
        rows = (
            self.s.connection()
            .execute(select(*keys, func.count()).where(TaskRow.ledger_id == ledger_id, LIVE_TASK).group_by(*keys))
            .all()
        )
        interned = _Interned()
        out: list[tuple[Task, int]] = []
        for r in rows:
            deadline = interned.deadlines.get(tuple(r[0:8])) or interned.deadline_of(tuple(r[0:8]))
            when = r[12]
            if isinstance(when, str):
                when = date.fromisoformat(when[:10])
            if when is None and not r[11]:
                when = stale_before or date(1970, 1, 1)  # updated, not before the last report
            task = Task(
                deadline=deadline,
                status=_STATUS.get(r[8] or "not_started") or TaskStatus(r[8]),
                percent=r[9],
                progress="有" if r[10] else "",
                progress_updated_at=datetime(when.year, when.month, when.day) if when is not None else None,
            )
            out.append((task, r[13]))
        return out

    def _units_for(
        self, task_ids_select, interned: _Interned | None = None  # noqa: ANN001
    ) -> dict[int, list[UnitAssignment]]:
        interned = interned or _Interned()
        out: dict[int, list[UnitAssignment]] = defaultdict(list)
        rows = self.s.execute(
            select(TaskUnitRow.task_id, TaskUnitRow.name, TaskUnitRow.role)
            .where(TaskUnitRow.task_id.in_(task_ids_select))
            .order_by(TaskUnitRow.task_id, TaskUnitRow.position)
        ).all()
        for task_id, name, role in rows:
            out[task_id].append(interned.unit(name, role))
        return out

    def add(self, ledger: Ledger) -> Ledger:
        """Insert a whole ledger (sections, tasks, units). Returns it with ids filled in."""
        ts = now()
        row = LedgerRow(
            title=ledger.title,
            year=ledger.year,
            owner_unit=ledger.owner_unit,
            issuer=ledger.issuer,
            anchor_date=ledger.anchor_date,
            report_dates=_dates_json(ledger.report_dates),
            columns=_columns_json(ledger.columns),
            source_name=ledger.source_name,
            source_file=ledger.source_file,
            created_at=ts,
            updated_at=ts,
            ident=ledger.ident or new_ident(),
        )
        self.s.add(row)
        self.s.flush()
        ledger.id = row.id
        ledger.ident = row.ident
        ledger.created_at = ledger.updated_at = ts
        if not ledger.sections:
            ledger.sections.append(Section(title=None))
        for si, sec in enumerate(ledger.sections):
            srow = SectionRow(ledger_id=row.id, title=sec.title, position=si)
            self.s.add(srow)
            self.s.flush()
            sec.id, sec.position = srow.id, si
            self._insert_tasks(row.id, srow.id, sec.tasks, ts)
        return ledger

    def add_history(self, ledger: Ledger, histories: list[list[list[ProgressEntry]]]) -> int:
        """Insert imported history entries (per section per task, as ledger_from_dict gives them) for a
        ledger just added in this session; returns how many. Part of the caller's transaction."""
        ts = now()
        values = []
        for section, section_history in zip(ledger.sections, histories, strict=False):
            for task, entries in zip(section.tasks, section_history, strict=False):
                for e in entries:
                    e.task_id = task.id
                    values.append(
                        {
                            "task_id": task.id,
                            "entry_date": e.entry_date,
                            "text": e.text,
                            "status": e.status.value,
                            "percent": e.percent,
                            "author": e.author,
                            "round_id": None,
                            "created_at": e.created_at or ts,
                        }
                    )
        if values:
            self.s.execute(ProgressEntryRow.__table__.insert(), values)
        return len(values)

    def _insert_tasks(self, ledger_id: int, section_id: int, tasks: list[Task], ts: datetime) -> None:
        if not tasks:
            return
        values = []
        for i, t in enumerate(tasks):
            t.position = i
            v = _task_values(t)
            v.update(ledger_id=ledger_id, section_id=section_id, created_at=t.created_at or ts, updated_at=ts)
            values.append(v)
        # Bulk insert with RETURNING keeps a 2,000-task import to one round trip per section.
        ids = self.s.scalars(
            TaskRow.__table__.insert().returning(TaskRow.id, sort_by_parameter_order=True), values
        ).all()
        unit_values = []
        for t, tid in zip(tasks, ids, strict=True):
            t.id, t.section_id, t.ledger_id = tid, section_id, ledger_id
            t.created_at = t.created_at or ts
            t.updated_at = ts
            unit_values.extend(
                {"task_id": tid, "name": u.name, "role": u.role.value, "position": j}
                for j, u in enumerate(t.units)
            )
        if unit_values:
            self.s.execute(TaskUnitRow.__table__.insert(), unit_values)

    def update_ledger(self, ledger_id: int, **fields: object) -> None:
        row = self.s.get(LedgerRow, ledger_id)
        if row is None:
            raise KeyError(ledger_id)
        for key, value in fields.items():
            if key == "report_dates":
                row.report_dates = _dates_json(value)  # type: ignore[arg-type]
            elif key == "columns":
                row.columns = _columns_json(value)  # type: ignore[arg-type]
            elif key in ("title", "year", "owner_unit", "issuer", "anchor_date", "source_name", "source_file"):
                setattr(row, key, value)
            else:
                raise ValueError(f"unknown ledger field {key}")
        row.updated_at = now()

    def touch(self, ledger_id: int) -> None:
        self.s.execute(update(LedgerRow).where(LedgerRow.id == ledger_id).values(updated_at=now()))

    def delete_ledger(self, ledger_id: int) -> None:
        self.s.execute(delete(LedgerRow).where(LedgerRow.id == ledger_id))

    def source_file(self, ledger_id: int) -> tuple[str | None, bytes | None]:
        row = self.s.execute(
            select(LedgerRow.source_name, LedgerRow.source_file).where(LedgerRow.id == ledger_id)
        ).one_or_none()
        return (row[0], row[1]) if row else (None, None)

    # ------------------------------------------------------------- sections
    def section_row(self, section_id: int) -> SectionRow | None:
        return self.s.get(SectionRow, section_id)

    def add_section(self, ledger_id: int, title: str | None, position: int | None = None) -> Section:
        rows = self.live_sections(ledger_id)
        pos = len(rows) if position is None else max(0, min(position, len(rows)))
        for r in rows[pos:]:
            r.position += 1
        srow = SectionRow(ledger_id=ledger_id, title=title, position=pos)
        self.s.add(srow)
        self.s.flush()
        return Section(id=srow.id, title=title, position=pos)

    def live_sections(self, ledger_id: int) -> list[SectionRow]:
        return list(
            self.s.scalars(
                select(SectionRow)
                .where(SectionRow.ledger_id == ledger_id, LIVE_SECTION)
                .order_by(SectionRow.position, SectionRow.id)
            ).all()
        )

    def renumber_sections(self, ledger_id: int) -> None:
        for i, r in enumerate(self.live_sections(ledger_id)):
            r.position = i

    def live_section_row(self, section_id: int) -> SectionRow | None:
        row = self.s.get(SectionRow, section_id)
        return row if row is not None and row.deleted_at is None else None

    def soft_delete_section(self, section_id: int, at: datetime) -> None:
        """Into the recycle bin: the section and its live tasks, marked with the same time."""
        row = self.s.get(SectionRow, section_id)
        if row is None:
            raise KeyError(section_id)
        self.s.execute(
            update(TaskRow).where(TaskRow.section_id == section_id, LIVE_TASK).values(deleted_at=at)
        )
        row.deleted_at = at
        self.s.flush()
        self.renumber_sections(row.ledger_id)

    def undelete_section(self, section_id: int, with_tasks: bool = True) -> SectionRow:
        """Back from the bin at its old place; with_tasks: the tasks deleted along with it too."""
        row = self.s.get(SectionRow, section_id)
        if row is None:
            raise KeyError(section_id)
        if row.deleted_at is None:
            return row
        others = self.live_sections(row.ledger_id)
        pos = max(0, min(row.position, len(others)))
        others.insert(pos, row)
        for i, r in enumerate(others):
            r.position = i
        if with_tasks:
            self.s.execute(
                update(TaskRow)
                .where(TaskRow.section_id == section_id, TaskRow.deleted_at == row.deleted_at)
                .values(deleted_at=None)
            )
        row.deleted_at = None
        return row

    # ------------------------------------------------------------- tasks
    def task_row(self, task_id: int) -> TaskRow | None:
        return self.s.get(TaskRow, task_id)

    def get_task(self, task_id: int, include_deleted: bool = False) -> Task | None:
        """A live task (None when it is gone or in the recycle bin, unless include_deleted)."""
        row = self.s.get(TaskRow, task_id)
        if row is None or (row.deleted_at is not None and not include_deleted):
            return None
        units = self._units_for(select(TaskRow.id).where(TaskRow.id == task_id))
        return _task_from_row(row, units.get(task_id, []))

    def section_tasks(self, section_id: int) -> list[TaskRow]:
        return list(
            self.s.scalars(
                select(TaskRow)
                .where(TaskRow.section_id == section_id, LIVE_TASK)
                .order_by(TaskRow.position, TaskRow.id)
            ).all()
        )

    def insert_task(self, ledger_id: int, section_id: int, task: Task, position: int | None) -> Task:
        rows = self.section_tasks(section_id)
        pos = len(rows) if position is None else max(0, min(position, len(rows)))
        for i, r in enumerate(rows):
            r.position = i if i < pos else i + 1
        ts = now()
        task.position = pos
        v = _task_values(task)
        row = TaskRow(
            ledger_id=ledger_id, section_id=section_id, created_at=task.created_at or ts, updated_at=ts, **v
        )
        self.s.add(row)
        self.s.flush()
        self.set_units(row.id, task.units)
        task.id, task.section_id, task.ledger_id = row.id, section_id, ledger_id
        task.created_at, task.updated_at = row.created_at, ts
        return task

    def bump_version(self, task_id: int) -> int | None:
        """version + 1 as the transaction's first write: on PostgreSQL it locks the row until commit
        (a second writer waits, then sees this one's result); on SQLite it takes the write lock before
        anything is read, so the check that follows reads the latest state. The new version, or None."""
        return self.s.execute(
            update(TaskRow)
            .where(TaskRow.id == task_id)
            .values(version=TaskRow.version + 1)
            .returning(TaskRow.version)
            .execution_options(synchronize_session=False)
        ).scalar()

    def last_change(self, task_id: int, field: str | None = None) -> AuditEvent | None:
        q = select(AuditEventRow).where(AuditEventRow.task_id == task_id)
        if field is not None:
            q = q.where(AuditEventRow.field == field)
        row = self.s.scalars(q.order_by(AuditEventRow.id.desc()).limit(1)).first()
        return _audit(row) if row is not None else None

    def save_task(self, task: Task) -> None:
        row = self.s.get(TaskRow, task.id)
        if row is None:
            raise KeyError(task.id)
        for key, value in _task_values(task).items():
            setattr(row, key, value)
        row.updated_at = task.updated_at = now()
        self.set_units(row.id, task.units)

    def save_task_change(
        self,
        task: Task,
        action: str,
        field: str | None,
        old: str | None,
        new: str | None,
        bumped: bool = False,
    ) -> None:
        """Save an edited task, mark its ledger updated and write the change to the audit trail;
        the row's version goes up by one (bumped: the caller did it already, to check a conflict)."""
        version = task.version if bumped else self.bump_version(task.id)  # type: ignore[arg-type]
        self.save_task(task)
        if version:
            task.version = version
        self.touch(task.ledger_id)  # type: ignore[arg-type]
        self.audit(
            AuditEvent(
                ledger_id=task.ledger_id,
                task_id=task.id,
                action=action,
                field=field,
                old_value=old,
                new_value=new,
            )
        )

    def set_units(self, task_id: int, units: list[UnitAssignment]) -> None:
        self.s.execute(delete(TaskUnitRow).where(TaskUnitRow.task_id == task_id))
        for j, u in enumerate(units):
            self.s.add(TaskUnitRow(task_id=task_id, name=u.name, role=u.role.value, position=j))

    def delete_task(self, task_id: int) -> None:
        """Delete for good (history, evidence and units go with it by cascade)."""
        row = self.s.get(TaskRow, task_id)
        if row is None:
            return
        section_id = row.section_id
        self.s.delete(row)
        self.s.flush()
        for i, r in enumerate(self.section_tasks(section_id)):
            r.position = i

    def soft_delete_task(self, task_id: int, at: datetime) -> None:
        """Into the recycle bin: the row stays (with its history and evidence), hidden from every view;
        it keeps its position so that a restore puts it back where it was."""
        row = self.s.get(TaskRow, task_id)
        if row is None:
            raise KeyError(task_id)
        row.deleted_at = at
        self.s.flush()
        for i, r in enumerate(self.section_tasks(row.section_id)):
            r.position = i

    def undelete_task(self, task_id: int) -> TaskRow:
        """Back from the bin at its old place (its section, if in the bin too, comes back with it)."""
        row = self.s.get(TaskRow, task_id)
        if row is None:
            raise KeyError(task_id)
        if row.deleted_at is None:
            return row
        section = self.s.get(SectionRow, row.section_id)
        if section is not None and section.deleted_at is not None:
            self.undelete_section(section.id, with_tasks=False)
        others = self.section_tasks(row.section_id)
        pos = max(0, min(row.position, len(others)))
        others.insert(pos, row)
        row.deleted_at = None
        for i, r in enumerate(others):
            r.position = i
        row.updated_at = now()
        return row

    def recycled(self, ledger_id: int | None = None) -> list[RecycledTask]:
        """The tasks in the recycle bin, newest deletion first."""
        q = (
            select(
                TaskRow.__table__, LedgerRow.title.label("ledger_title"), SectionRow.title.label("sec_title")
            )
            .join(LedgerRow, LedgerRow.id == TaskRow.ledger_id)
            .join(SectionRow, SectionRow.id == TaskRow.section_id)
            .where(TaskRow.deleted_at.is_not(None))
            .order_by(TaskRow.deleted_at.desc(), TaskRow.id)
        )
        if ledger_id is not None:
            q = q.where(TaskRow.ledger_id == ledger_id)
        rows = self.s.execute(q).all()
        units = self._units_for(select(TaskRow.id).where(TaskRow.deleted_at.is_not(None)))
        return [
            RecycledTask(
                task=_task_from_row(r, units.get(r.id, [])),
                ledger_id=r.ledger_id,
                ledger_title=r.ledger_title or "",
                section_title=r.sec_title,
                deleted_at=r.deleted_at,
            )
            for r in rows
        ]

    def purge(self, task_ids: Iterable[int] | None = None) -> int:
        """Empty the bin (all of it, or the given tasks in it); sections left empty in it go too."""
        q = delete(TaskRow).where(TaskRow.deleted_at.is_not(None))
        if task_ids is not None:
            q = q.where(TaskRow.id.in_(list(task_ids)))
        count = self.s.execute(q).rowcount or 0
        self.s.execute(
            delete(SectionRow).where(
                SectionRow.deleted_at.is_not(None),
                ~SectionRow.id.in_(select(TaskRow.section_id).distinct()),
            )
        )
        return count

    def move_task(self, task_id: int, section_id: int, position: int) -> None:
        row = self.s.get(TaskRow, task_id)
        if row is None:
            raise KeyError(task_id)
        old_section = row.section_id
        others = [r for r in self.section_tasks(section_id) if r.id != task_id]
        pos = max(0, min(position, len(others)))
        others.insert(pos, row)
        row.section_id = section_id
        for i, r in enumerate(others):
            r.position = i
        if old_section != section_id:
            for i, r in enumerate(self.section_tasks(old_section)):
                if r.id != task_id:
                    r.position = i
        row.updated_at = now()

    # ------------------------------------------------------------- progress
    def add_entry(self, entry: ProgressEntry) -> ProgressEntry:
        row = ProgressEntryRow(
            task_id=entry.task_id,
            entry_date=entry.entry_date,
            text=entry.text,
            status=entry.status.value,
            percent=entry.percent,
            author=entry.author,
            round_id=entry.round_id,
            created_at=entry.created_at or now(),
        )
        self.s.add(row)
        self.s.flush()
        entry.id, entry.created_at = row.id, row.created_at
        return entry

    def history(self, task_id: int) -> list[ProgressEntry]:
        rows = self.s.scalars(
            select(ProgressEntryRow)
            .where(ProgressEntryRow.task_id == task_id)
            .order_by(ProgressEntryRow.entry_date.desc(), ProgressEntryRow.id.desc())
        ).all()
        return [_entry(r) for r in rows]

    def history_for_ledger(self, ledger_id: int) -> dict[int, list[ProgressEntry]]:
        rows = self.s.scalars(
            select(ProgressEntryRow)
            .join(TaskRow, TaskRow.id == ProgressEntryRow.task_id)
            .where(TaskRow.ledger_id == ledger_id, LIVE_TASK)
            .order_by(ProgressEntryRow.entry_date, ProgressEntryRow.id)
        ).all()
        out: dict[int, list[ProgressEntry]] = defaultdict(list)
        for r in rows:
            out[r.task_id].append(_entry(r))
        return out

    def delete_entry(self, entry_id: int) -> None:
        self.s.execute(delete(ProgressEntryRow).where(ProgressEntryRow.id == entry_id))

    def get_entry(self, entry_id: int) -> ProgressEntry | None:
        row = self.s.get(ProgressEntryRow, entry_id)
        return _entry(row) if row else None

    def update_entry(self, entry: ProgressEntry) -> None:
        """Correct an entry's text, status and percent (its date, author and round stay)."""
        row = self.s.get(ProgressEntryRow, entry.id)
        if row is None:
            raise KeyError(entry.id)
        row.text, row.status, row.percent = entry.text, entry.status.value, entry.percent

    def search_all(self, words: str, limit: int = 500) -> list[SearchHit]:
        """Tasks of every ledger (not in the recycle bin) whose content, key work, current progress,
        remarks or any journal entry holds `words`, newest year first; the first field matched names the
        hit. One query for the tasks, one for the journal."""

        def has(col):  # noqa: ANN001, ANN202 - LIKE with % and _ in the words taken literally
            return col.contains(words, autoescape=True)

        cols = (
            TaskRow.id, TaskRow.ledger_id, TaskRow.number, TaskRow.content, TaskRow.key_work,
            TaskRow.progress, TaskRow.remarks, LedgerRow.title, LedgerRow.year,
        )  # fmt: skip
        base = select(*cols).join(LedgerRow, LedgerRow.id == TaskRow.ledger_id).where(LIVE_TASK)
        text_hits = self.s.execute(
            base.where(has(TaskRow.content) | has(TaskRow.key_work) | has(TaskRow.progress) | has(TaskRow.remarks))
            .limit(limit)
        ).all()
        journal = self.s.execute(
            select(ProgressEntryRow.task_id, ProgressEntryRow.text, ProgressEntryRow.entry_date)
            .join(TaskRow, TaskRow.id == ProgressEntryRow.task_id)
            .where(LIVE_TASK, has(ProgressEntryRow.text))
            .order_by(ProgressEntryRow.entry_date.desc())
            .limit(limit)
        ).all()
        seen: dict[int, SearchHit] = {}
        for r in text_hits:
            where, text = next(
                (w, t) for w, t in (("主要内容", r[3]), ("重点工作", r[4]), ("当前进展", r[5]), ("备注", r[6]))
                if words in (t or "")
            )
            seen[r[0]] = SearchHit(r[1], r[7] or "", r[8], r[0], r[2] or "", r[3] or "", where, text or "", r[5] or "")
        missing = [j[0] for j in journal if j[0] not in seen]
        if missing:
            rows = {r[0]: r for r in self.s.execute(base.where(TaskRow.id.in_(set(missing)))).all()}
            for task_id, text, day in journal:
                r = rows.get(task_id)
                if r is None or task_id in seen:
                    continue
                label = f"进展记录（{day.isoformat()}）" if day else "进展记录"
                seen[task_id] = SearchHit(
                    r[1], r[7] or "", r[8], r[0], r[2] or "", r[3] or "", label, text or "", r[5] or ""
                )
        return sorted(seen.values(), key=lambda h: (-(h.year or 0), h.ledger_id, h.task_id))[:limit]

    def count_stale(self, ledger_id: int, since: date | None) -> int:
        """Tasks not done whose progress was never touched, or not since `since`."""
        touched = TaskRow.progress_updated_at.is_(None)
        if since is not None:
            touched = touched | (TaskRow.progress_updated_at < datetime.combine(since, datetime.min.time()))
        # done as domain.status.effective_status reads it: recorded, or never set with 100 %
        done = (TaskRow.status == "done") | ((TaskRow.status == "not_started") & (TaskRow.percent >= 100))
        q = select(func.count(TaskRow.id)).where(TaskRow.ledger_id == ledger_id, ~done, LIVE_TASK, touched)
        return self.s.scalar(q) or 0

    # ------------------------------------------------------------- rounds
    def rounds(self, ledger_id: int) -> list[ReportRound]:
        rows = self.s.scalars(
            select(ReportRoundRow)
            .where(ReportRoundRow.ledger_id == ledger_id)
            .order_by(ReportRoundRow.due_date)
        ).all()
        return [_round(r, with_snapshot=False) for r in rows]

    def get_round(self, round_id: int) -> ReportRound | None:
        row = self.s.get(ReportRoundRow, round_id)
        return _round(row, with_snapshot=True) if row else None

    def sync_rounds(self, ledger_id: int, dates: list[date]) -> None:
        """One round per report date; rounds already submitted are never removed."""
        rows = self.s.scalars(select(ReportRoundRow).where(ReportRoundRow.ledger_id == ledger_id)).all()
        have = {r.due_date: r for r in rows}
        for d in dates:
            if d not in have:
                self.s.add(ReportRoundRow(ledger_id=ledger_id, due_date=d, label=f"{d.month}月{d.day}日报送"))
        for d, r in have.items():
            if d not in dates and r.submitted_at is None:
                self.s.delete(r)

    def mark_submitted(self, round_id: int, file_name: str, snapshot: dict) -> None:
        """The round is 已报送; the file sent joins the round's archive (report_submission)."""
        row = self.s.get(ReportRoundRow, round_id)
        if row is None:
            raise KeyError(round_id)
        row.submitted_at = now()
        row.file_name = file_name
        row.snapshot = json.dumps(snapshot, ensure_ascii=False)
        as_of = snapshot.get("as_of")
        self.s.add(
            SubmissionRow(
                ledger_id=row.ledger_id,
                round_id=row.id,
                submitted_at=row.submitted_at,
                file_name=file_name,
                as_of=date.fromisoformat(as_of) if as_of else None,
                public=bool(snapshot.get("public")),
                snapshot=row.snapshot,
            )
        )

    def unmark_submitted(self, round_id: int) -> str | None:
        """Take back a round's 已报送 mark; what was sent stays in the archive, marked withdrawn.
        Returns the file name the round was marked with."""
        row = self.s.get(ReportRoundRow, round_id)
        if row is None:
            raise KeyError(round_id)
        was = row.file_name
        row.submitted_at = None
        row.file_name = None
        row.snapshot = None
        at = now()
        for sub in self.s.scalars(
            select(SubmissionRow).where(SubmissionRow.round_id == round_id, SubmissionRow.withdrawn_at.is_(None))
        ):
            sub.withdrawn_at = at
        return was

    def submissions(self, ledger_id: int) -> list[Submission]:
        """Every file sent for the ledger's rounds, newest first (without their snapshots)."""
        rows = self.s.scalars(
            select(SubmissionRow)
            .where(SubmissionRow.ledger_id == ledger_id)
            .order_by(SubmissionRow.submitted_at.desc(), SubmissionRow.id.desc())
        ).all()
        return [_submission(r, with_snapshot=False) for r in rows]

    def get_submission(self, submission_id: int) -> Submission | None:
        row = self.s.get(SubmissionRow, submission_id)
        return _submission(row, with_snapshot=True) if row else None

    # ------------------------------------------------------------- attachments
    def add_attachment(self, att: Attachment) -> Attachment:
        row = AttachmentRow(
            task_id=att.task_id,
            file_name=att.file_name,
            mime=att.mime,
            size=att.size,
            data=att.data,
            url=att.url,
            created_at=now(),
            sha256=att.sha256 or (hashlib.sha256(att.data).hexdigest() if att.data is not None else None),
        )
        self.s.add(row)
        self.s.flush()
        att.id, att.created_at, att.sha256 = row.id, row.created_at, row.sha256
        return att

    def attachments(self, task_id: int) -> list[Attachment]:
        rows = self.s.execute(
            _ATTACHMENT_LISTING
            .where(AttachmentRow.task_id == task_id)
            .order_by(AttachmentRow.id)
        ).all()
        return [_listed_attachment(r) for r in rows]

    def ledger_attachments(self, ledger_id: int) -> list[Attachment]:
        """Every evidence item of the ledger's live tasks (without the file contents), task order."""
        rows = self.s.execute(
            _ATTACHMENT_LISTING
            .join(TaskRow, TaskRow.id == AttachmentRow.task_id)
            .where(TaskRow.ledger_id == ledger_id, LIVE_TASK)
            .order_by(AttachmentRow.task_id, AttachmentRow.id)
        ).all()
        return [_listed_attachment(r) for r in rows]

    def attachments_with_data(self, task_id: int) -> list[Attachment]:
        rows = self.s.scalars(
            select(AttachmentRow).where(AttachmentRow.task_id == task_id).order_by(AttachmentRow.id)
        ).all()
        return [
            Attachment(
                id=r.id,
                task_id=r.task_id,
                file_name=r.file_name,
                mime=r.mime,
                size=r.size,
                data=r.data,
                url=r.url,
                created_at=r.created_at,
                sha256=r.sha256,
            )
            for r in rows
        ]

    def attachment_data(self, att_id: int) -> bytes | None:
        return self.s.scalar(select(AttachmentRow.data).where(AttachmentRow.id == att_id))

    def delete_attachment(self, att_id: int) -> None:
        self.s.execute(delete(AttachmentRow).where(AttachmentRow.id == att_id))

    # ------------------------------------------------------------- drafts
    def add_draft(self, draft: ProgressDraft) -> ProgressDraft:
        row = ProgressDraftRow(
            task_id=draft.task_id,
            ledger_id=draft.ledger_id,
            task_label=draft.task_label,
            text=draft.text,
            created_at=draft.created_at or now(),
        )
        self.s.add(row)
        self.s.flush()
        draft.id, draft.created_at = row.id, row.created_at
        return draft

    def drafts(self) -> list[ProgressDraft]:
        rows = self.s.scalars(select(ProgressDraftRow).order_by(ProgressDraftRow.id.desc())).all()
        return [ProgressDraft(r.id, r.task_id, r.ledger_id, r.task_label, r.text, r.created_at) for r in rows]

    def delete_draft(self, draft_id: int) -> None:
        self.s.execute(delete(ProgressDraftRow).where(ProgressDraftRow.id == draft_id))

    # ------------------------------------------------------------- audit
    def audit(self, event: AuditEvent) -> None:
        """Write one change to the trail (who: the session's person; from which copy: its client).
        Every write of a ledger goes through here, so here the ledger's roles are enforced: a person
        who may only read it (只读) is refused and the whole transaction rolls back."""
        person = event.person or self.s.info.get("person", "")
        if event.ledger_id is not None and event.action not in READ_ACTIONS:
            self.check_can_edit(event.ledger_id, person)
        self.s.add(
            AuditEventRow(
                at=event.at or now(),
                ledger_id=event.ledger_id,
                task_id=event.task_id,
                action=event.action,
                field=event.field,
                old_value=event.old_value,
                new_value=event.new_value,
                person=person,
                client=event.client or self.s.info.get("client", ""),
            )
        )

    def audit_events(
        self,
        ledger_id: int | None,
        task_id: int | None = None,
        limit: int = 200,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[AuditEvent]:
        q = select(AuditEventRow).order_by(AuditEventRow.id.desc()).limit(limit)
        if since is not None:
            q = q.where(AuditEventRow.at >= since)
        if until is not None:
            q = q.where(AuditEventRow.at < until)
        if ledger_id is not None:
            q = q.where(AuditEventRow.ledger_id == ledger_id)
        if task_id is not None:
            q = q.where(AuditEventRow.task_id == task_id)
        return [_audit(r) for r in self.s.scalars(q).all()]

    # ------------------------------------------------------------- changes (the counter windows poll)
    def latest_change(self) -> int:
        return self.s.scalar(select(func.max(AuditEventRow.id))) or 0

    def changes_since(self, after_id: int, overlap: int = 0) -> list[AuditEvent]:
        """Changes with an id above after_id - overlap, oldest first. On PostgreSQL ids are handed out
        when a row is inserted, not when it commits: a poller re-reads a small overlap and skips the
        ids it has seen, so a change committed late is not missed."""
        q = (
            select(AuditEventRow)
            .where(AuditEventRow.id > max(0, after_id - overlap))
            .order_by(AuditEventRow.id)
            .limit(2000)
        )
        return [_audit(r) for r in self.s.scalars(q).all()]

    # ------------------------------------------------------------- roles (编辑 / 只读)
    def members(self, ledger_id: int) -> dict[str, str]:
        rows = self.s.execute(
            select(LedgerMemberRow.person, LedgerMemberRow.role)
            .where(LedgerMemberRow.ledger_id == ledger_id)
            .order_by(LedgerMemberRow.person)
        ).all()
        return {p: r for p, r in rows}

    def role_of(self, ledger_id: int, person: str) -> str:
        """"edit" or "read": a ledger with no member list is open to every user of the database."""
        members = self.members(ledger_id)
        if not members:
            return ROLE_EDIT
        return members.get(person, ROLE_READ)

    def check_can_edit(self, ledger_id: int, person: str) -> None:
        if self.role_of(ledger_id, person) != ROLE_EDIT:
            title = self.s.scalar(select(LedgerRow.title).where(LedgerRow.id == ledger_id)) or ""
            raise LedgerReadOnly(
                f"您（{person or '当前用户'}）对台账《{title}》只有查看权限（只读），改动没有保存，"
                "如需修改请联系该台账的编辑人员为您设置“编辑”权限。"
            )

    def set_member(self, ledger_id: int, person: str, role: str | None) -> None:
        """Give a person a role on the ledger (None: take it away). Only an editor may change roles,
        and the last editor cannot be removed: someone must be able to edit."""
        if role not in (ROLE_EDIT, ROLE_READ, None):
            raise ValueError(role)
        me = self.s.info.get("person", "")
        members = self.members(ledger_id)
        if members:
            self.check_can_edit(ledger_id, me)
        elif me and person != me:  # the first to set roles keeps the right to edit
            self.s.add(LedgerMemberRow(ledger_id=ledger_id, person=me, role=ROLE_EDIT))
            members = {me: ROLE_EDIT}
            self.s.flush()
        after = dict(members)
        if role is None:
            after.pop(person, None)
        else:
            after[person] = role
        if after and ROLE_EDIT not in after.values():
            raise LedgerError("台账至少要有一位“编辑”权限的人员，未做改动。请先为其他人设置编辑权限。")
        # audited first, while the role check still sees the list as it was: an editor may step down
        self.audit(
            AuditEvent(
                ledger_id=ledger_id, action="member", field=person, old_value=members.get(person), new_value=role
            )
        )
        self.s.execute(
            delete(LedgerMemberRow).where(LedgerMemberRow.ledger_id == ledger_id, LedgerMemberRow.person == person)
        )
        if role is not None:
            self.s.add(LedgerMemberRow(ledger_id=ledger_id, person=person, role=role))
        self.s.flush()


ROLE_EDIT, ROLE_READ = "edit", "read"
ROLE_LABELS = {ROLE_EDIT: "编辑", ROLE_READ: "只读"}
READ_ACTIONS = frozenset({"export"})  # audited, but a reader may do them


class LedgerReadOnly(LedgerError):
    """The person may only read this ledger (role 只读)."""


def _audit(r: AuditEventRow) -> AuditEvent:
    return AuditEvent(
        id=r.id,
        at=r.at,
        ledger_id=r.ledger_id,
        task_id=r.task_id,
        action=r.action,
        field=r.field,
        old_value=r.old_value,
        new_value=r.new_value,
        person=r.person or "",
        client=r.client or "",
    )


def _entry(r: ProgressEntryRow) -> ProgressEntry:
    return ProgressEntry(
        id=r.id,
        task_id=r.task_id,
        entry_date=r.entry_date,
        text=r.text or "",
        status=TaskStatus(r.status or "in_progress"),
        percent=r.percent or 0,
        author=r.author or "",
        round_id=r.round_id,
        created_at=r.created_at,
    )


def _submission(r: SubmissionRow, with_snapshot: bool) -> Submission:
    snapshot = json.loads(r.snapshot) if with_snapshot and r.snapshot else None
    as_of = r.as_of
    if as_of is None and snapshot and snapshot.get("as_of"):
        as_of = date.fromisoformat(snapshot["as_of"])
    return Submission(
        id=r.id,
        ledger_id=r.ledger_id,
        round_id=r.round_id,
        submitted_at=r.submitted_at,
        file_name=r.file_name or "",
        as_of=as_of,
        public=bool(r.public),
        withdrawn_at=r.withdrawn_at,
        snapshot=snapshot,
    )


# An attachment as listed (everything but its contents): one select and one mapping for every listing.
_ATTACHMENT_LISTING = select(
    AttachmentRow.id,
    AttachmentRow.task_id,
    AttachmentRow.file_name,
    AttachmentRow.mime,
    AttachmentRow.size,
    AttachmentRow.url,
    AttachmentRow.created_at,
    AttachmentRow.sha256,
)


def _listed_attachment(r) -> Attachment:  # noqa: ANN001 - a row of _ATTACHMENT_LISTING
    return Attachment(
        id=r[0], task_id=r[1], file_name=r[2], mime=r[3], size=r[4], url=r[5], created_at=r[6], sha256=r[7]
    )


def _round(r: ReportRoundRow, with_snapshot: bool) -> ReportRound:
    return ReportRound(
        id=r.id,
        ledger_id=r.ledger_id,
        due_date=r.due_date,
        label=r.label or "",
        submitted_at=r.submitted_at,
        file_name=r.file_name,
        snapshot=json.loads(r.snapshot) if with_snapshot and r.snapshot else None,
    )


class SettingsRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def all(self) -> dict[str, str | None]:
        return {r.key: r.value for r in self.s.scalars(select(SettingRow)).all()}

    def get(self, key: str) -> str | None:
        row = self.s.get(SettingRow, key)
        return row.value if row else None

    def set(self, key: str, value: str | None) -> None:
        row = self.s.get(SettingRow, key)
        if row is None:
            self.s.add(SettingRow(key=key, value=value))
        else:
            row.value = value


class HolidayRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def all(self) -> list[HolidayDay]:
        return [
            HolidayDay(r.day, bool(r.is_workday), r.name or "")
            for r in self.s.scalars(select(HolidayRow)).all()
        ]

    def year(self, year: int) -> list[HolidayDay]:
        rows = self.s.scalars(
            select(HolidayRow)
            .where(HolidayRow.day >= date(year, 1, 1), HolidayRow.day <= date(year, 12, 31))
            .order_by(HolidayRow.day)
        ).all()
        return [HolidayDay(r.day, bool(r.is_workday), r.name or "") for r in rows]

    def count(self) -> int:
        return self.s.scalar(select(func.count()).select_from(HolidayRow)) or 0

    def put(self, day: HolidayDay) -> None:
        self.s.merge(HolidayRow(day=day.day, is_workday=day.is_workday, name=day.name))

    def put_many(self, days: Iterable[HolidayDay]) -> None:
        """Replace these days in bulk: one DELETE and one executemany INSERT (seeding: ~300 days)."""
        rows = {d.day: {"day": d.day, "is_workday": d.is_workday, "name": d.name} for d in days}
        if not rows:
            return
        self.s.flush()
        self.s.execute(delete(HolidayRow).where(HolidayRow.day.in_(list(rows))))
        self.s.execute(insert(HolidayRow), list(rows.values()))

    def remove(self, day: date) -> None:
        self.s.execute(delete(HolidayRow).where(HolidayRow.day == day))


class UnitRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def all(self) -> list[Unit]:
        """The directory in its order (position, then name)."""
        aliases: dict[int, list[str]] = defaultdict(list)
        for unit_id, alias in self.s.execute(
            select(UnitAliasRow.unit_id, UnitAliasRow.alias).order_by(UnitAliasRow.id)
        ).all():
            aliases[unit_id].append(alias)
        return [
            Unit(r.id, r.name, aliases.get(r.id, []), r.kind or "其他", r.contact or "")
            for r in self.s.scalars(select(UnitRow).order_by(UnitRow.position, UnitRow.name)).all()
        ]

    def add(
        self, name: str, aliases: Iterable[str] = (), kind: str | None = None, contact: str | None = None
    ) -> Unit:
        """Add the unit (at the directory's end) or complete it: new aliases added, kind and contact
        replaced when given. An alias another unit already goes by is not taken from it."""
        row = self.s.scalar(select(UnitRow).where(UnitRow.name == name))
        if row is None:
            last = self.s.scalar(select(func.max(UnitRow.position)))
            row = UnitRow(name=name, kind=kind or "其他", contact=contact or "", position=(last or 0) + 1)
            self.s.add(row)
            self.s.flush()
        else:
            if kind:
                row.kind = kind
            if contact:
                row.contact = contact
        taken_names = set(self.s.scalars(select(UnitRow.name)).all())
        for a in aliases:
            if a != name and a not in taken_names:
                if self.s.scalar(select(UnitAliasRow).where(UnitAliasRow.alias == a)) is None:
                    self.s.add(UnitAliasRow(unit_id=row.id, alias=a))
        self.s.flush()
        mine = list(self.s.scalars(select(UnitAliasRow.alias).where(UnitAliasRow.unit_id == row.id)).all())
        return Unit(row.id, row.name, mine, row.kind, row.contact)

    def canonical(self) -> dict[str, str]:
        """alias -> unit name."""
        return dict(
            self.s.execute(
                select(UnitAliasRow.alias, UnitRow.name).join(UnitRow, UnitRow.id == UnitAliasRow.unit_id)
            ).all()
        )
