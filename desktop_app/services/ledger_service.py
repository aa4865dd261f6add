"""Ledger use cases: list, create, edit tasks and sections, copy into next year; all audited."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from datetime import date

from desktop_app.domain import clock
from desktop_app.domain.carry_over import shift_deadline, shift_report_dates
from desktop_app.domain.deadlines import parse_deadline
from desktop_app.domain.model import (
    AuditEvent,
    Deadline,
    DeadlineKind,
    EditConflict,
    Ledger,
    LedgerError,
    LedgerSummary,
    RecycledTask,
    SearchHit,
    Section,
    Task,
    TaskStatus,
    UnitAssignment,
    UnitRole,
)
from desktop_app.domain.status import effective_status
from desktop_app.domain.units import parse_units
from desktop_app.services.calendar_service import CalendarService
from desktop_app.services.common import LEDGER_GONE, TASK_GONE, locked_task, require_task
from desktop_app.storage.database import Database
from desktop_app.storage.repository import LedgerRepository, now

TEXT_FIELDS = ("number", "key_work", "item", "content", "indicator", "progress", "remarks")
TASK_FIELDS = TEXT_FIELDS + ("units_text", "cooperating_text", "deadline_text", "status", "percent")
GONE = TASK_GONE
CARRY_FIELD = "结转情况"  # the old task's extra field that says what 年度结转 did with it


@dataclass(frozen=True)
class CellEdit:
    """One field of one task to set (update_tasks): the value, the value the user saw (base) and the
    task's version then (None: not checked)."""

    task_id: int
    field: str
    value: object
    base: object = None
    expected_version: int | None = None


@dataclass
class DeadlineReview:
    """A carried task whose deadline could not be moved into the new year safely: 待确认."""

    old_task_id: int
    task: Task  # the task in the new ledger
    old_text: str
    reason: str


@dataclass
class CarryOverResult:
    ledger: Ledger  # the new year's ledger
    carried: int = 0
    left_behind: list[tuple[Task, str]] = dc_field(default_factory=list)  # old task, reason
    to_confirm: list[DeadlineReview] = dc_field(default_factory=list)


def _plain(value: object) -> str:
    """A field's value as text, the same for what the user saw and what is stored."""
    if value is None:
        return ""
    return str(getattr(value, "value", value))


def field_text(task: Task, field: str) -> str:
    """The stored value of an update_task field, as text (compared with what the user was shown)."""
    if field == "deadline_text":
        return task.deadline.text
    if field == "anchor_date":
        return task.deadline.anchor_date.isoformat() if task.deadline.anchor_date else ""
    if field.startswith("extra:"):
        return task.extra.get(field[len("extra:") :], "")
    return _plain(getattr(task, field, ""))


def _s(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, TaskStatus):
        return value.value
    return str(value)


OUTLINE_TEXT_FIELDS = ("key_work", "indicator", "units_text", "deadline_text")  # the table's optional columns


@dataclass(frozen=True)
class LedgerOutline:
    """LedgerService.ledger_outline: what a table shows before it reads the tasks."""

    ledger: Ledger  # its sections hold no tasks
    heads: list[tuple[int, int, str, str]]  # (section id, task id, 序号, 重点工作) in ledger order
    unit_names: list[str]
    fields_with_text: set[str]  # of OUTLINE_TEXT_FIELDS
    unit_stand_ins: list[Task]  # LedgerService.unit_stand_ins, read with the outline


def _stand_ins(names: list[str], texts: list[str], cooperating: list[str]) -> list[Task]:
    return [
        *(Task(units=[UnitAssignment(n)]) for n in names),
        *(Task(units_text=t) for t in texts),
        *(Task(cooperating_text=c) for c in cooperating),
    ]


class LedgerService:
    def __init__(self, db: Database, calendar: CalendarService | None = None) -> None:
        self.db = db
        self.calendar = calendar

    # ---------------------------------------------------------------- ledgers
    def list_ledgers(self) -> list[LedgerSummary]:
        with self.db.session() as s:
            return LedgerRepository(s).summaries()

    def get_ledger(self, ledger_id: int, with_source: bool = False) -> Ledger:
        with self.db.session() as s:
            ledger = LedgerRepository(s).get(ledger_id, with_source)
        if ledger is None:
            raise LedgerError(LEDGER_GONE)
        return ledger

    def ledger_outline(self, ledger_id: int) -> LedgerOutline:
        """A ledger to show before its tasks are read: its sections (no tasks in them), every live task's
        (section id, id, 序号, 重点工作) in order, the unit names and the text fields not empty throughout."""
        with self.db.session() as s:
            repo = LedgerRepository(s)
            ledger = repo.get(ledger_id, tasks=False)
            if ledger is None:
                raise LedgerError(LEDGER_GONE)
            names, texts, cooperating = repo.unit_texts(ledger_id)
            return LedgerOutline(
                ledger,
                repo.ledger_heads(ledger_id),
                sorted({*names, *texts}),
                repo.fields_with_text(ledger_id, OUTLINE_TEXT_FIELDS),
                _stand_ins(names, texts, cooperating),
            )

    def unit_stand_ins(self, ledger_id: int) -> list[Task]:
        """One task for each unit text the ledger's live tasks write (a parsed unit, a 责任单位 text with
        none parsed, a 配合单位 text): what the addressee rules read of the ledger's tasks, taken
        together, without reading them (CollectService.expects_returns)."""
        with self.db.session() as s:
            return _stand_ins(*LedgerRepository(s).unit_texts(ledger_id))

    def tasks_by_id(self, task_ids: list[int]) -> dict[int, Task]:
        """Those tasks (a block of rows about to be painted), the recycle bin's too."""
        with self.db.session() as s:
            return LedgerRepository(s).tasks_by_id(task_ids)

    def ledger_tasks(self, ledger_id: int) -> list[tuple[int, Task]]:
        """(section id, task) of every live task of the ledger, in ledger order."""
        with self.db.session() as s:
            return LedgerRepository(s).ledger_tasks(ledger_id)

    def status_groups(self, ledger_id: int, stale_before: date | None = None) -> list[tuple[Task, int]]:
        """The status rule's inputs of the ledger's live tasks, grouped: (a task standing for the group,
        its size); run domain.status on each, with stale_before as its last report date, to count
        statuses without reading the tasks."""
        with self.db.session() as s:
            return LedgerRepository(s).status_groups(ledger_id, stale_before)

    def source_file(self, ledger_id: int) -> tuple[str | None, bytes | None]:
        with self.db.session() as s:
            return LedgerRepository(s).source_file(ledger_id)

    def add_ledger(self, ledger: Ledger, action: str = "import") -> Ledger:
        """Store a whole ledger draft (import, copy, sample) in one transaction."""
        with self.db.session() as s:
            repo = LedgerRepository(s)
            repo.add(ledger)
            if ledger.report_dates:
                repo.sync_rounds(ledger.id, ledger.report_dates)  # type: ignore[arg-type]
            repo.audit(
                AuditEvent(
                    ledger_id=ledger.id,
                    action=action,
                    new_value=f"{ledger.title}（{len(ledger.all_tasks())} 项任务）",
                )
            )
        return ledger

    def create_ledger(self, title: str, year: int | None) -> Ledger:
        title = (title or "").strip()
        if not title:
            raise LedgerError("台账名称不能为空。请输入名称。")
        return self.add_ledger(
            Ledger(title=title, year=year, sections=[Section(title=None)]), action="create"
        )

    def rename_ledger(self, ledger_id: int, title: str) -> None:
        title = (title or "").strip()
        if not title:
            raise LedgerError("台账名称不能为空。请输入名称。")
        self.update_ledger(ledger_id, title=title)

    def update_ledger(self, ledger_id: int, **fields: object) -> None:
        with self.db.session() as s:
            repo = LedgerRepository(s)
            row = repo.ledger_row(ledger_id)
            if row is None:
                raise LedgerError(LEDGER_GONE)
            for key, value in fields.items():
                old = getattr(row, key) if key not in ("report_dates", "columns") else None
                if key == "report_dates":
                    old = row.report_dates
                repo.audit(
                    AuditEvent(
                        ledger_id=ledger_id,
                        action="update_ledger",
                        field=key,
                        old_value=_s(old),
                        new_value=", ".join(d.isoformat() for d in value)
                        if key == "report_dates"
                        else _s(value),  # type: ignore[union-attr]
                    )
                )
            old_anchor = row.anchor_date
            repo.update_ledger(ledger_id, **fields)
            if "anchor_date" in fields and fields["anchor_date"] != old_anchor:
                self._apply_ledger_anchor(repo, ledger_id, old_anchor, fields["anchor_date"])  # type: ignore[arg-type]
            if "report_dates" in fields:
                repo.sync_rounds(ledger_id, list(fields["report_dates"]))  # type: ignore[arg-type]

    def relative_tasks(self, ledger_id: int) -> list[Task]:
        """The ledger's tasks whose deadline counts from an event (收到通知后3个工作日内 …)."""
        ledger = self.get_ledger(ledger_id)
        return [t for t in ledger.all_tasks() if t.deadline.kind == DeadlineKind.RELATIVE]

    def _apply_ledger_anchor(
        self, repo: LedgerRepository, ledger_id: int, old: date | None, new: date | None
    ) -> int:
        """The ledger's anchor date changed: every relative deadline that counted from the ledger's date
        (no date of its own, or the old ledger date) counts from the new one; due dates recomputed."""
        ledger = repo.get(ledger_id)

        def from_ledger(d: Deadline) -> bool:
            return d.kind == DeadlineKind.RELATIVE and (d.anchor_date is None or d.anchor_date == old)

        changed = 0
        for seen in ledger.all_tasks() if ledger else []:
            if not from_ledger(seen.deadline):
                continue
            task, version = locked_task(repo, seen.id)  # type: ignore[arg-type]
            d = task.deadline
            if not from_ledger(d):  # changed meanwhile
                continue
            before = d.due_date.isoformat() if d.due_date else None
            task.deadline = self._resolve(replace(d, anchor_date=new))
            after = task.deadline.due_date.isoformat() if task.deadline.due_date else None
            repo.save_task_change(task, "update", "anchor_date", before, after, bumped=version is not None)
            changed += 1
        return changed

    def delete_ledger(self, ledger_id: int) -> None:
        with self.db.session() as s:
            repo = LedgerRepository(s)
            row = repo.ledger_row(ledger_id)
            if row is None:
                return
            repo.audit(AuditEvent(ledger_id=ledger_id, action="delete_ledger", old_value=row.title))
            repo.delete_ledger(ledger_id)

    def copy_to_next_year(
        self, ledger_id: int, reasons: Mapping[int, str | None] | None = None
    ) -> CarryOverResult:
        """年度结转 / 回头看: a new ledger for the next year with the tasks carried over, in one transaction.

        `reasons` maps an old task's id to why it is NOT carried ("已完成", "取消", "合并到第3项" ...)
        or to None to carry it. A task not named is left behind as 已完成 when it is done
        (domain.status.effective_status) and carried otherwise. A carried task starts afresh: its
        progress text, status, percent and progress date are cleared (its history stays with the
        old ledger), its deadline moves into the new year (domain.carry_over; those that cannot be
        moved safely are marked 待确认 in its remarks and listed in the result). The report dates
        move by a year (Feb 29 -> Feb 28). Every old task gets its outcome in the audit trail and in
        its extra field "结转情况".
        """
        reasons = dict(reasons or {})
        old = self.get_ledger(ledger_id)
        with self.db.session() as s:
            round_dates = {r.due_date for r in LedgerRepository(s).rounds(ledger_id) if r.due_date}
        known = {t.id for t in old.all_tasks()}
        for tid, reason in reasons.items():
            if tid not in known:
                raise LedgerError("结转失败：有任务已不在原台账中（可能刚被删除）。请重新打开结转窗口。")
            if reason is not None and not reason.strip():
                raise LedgerError(
                    "结转失败：不结转的任务须写明原因（已完成、取消或合并到哪一项）。请补上原因后重试。"
                )
        self.db.backup_before("carry-over")  # a checked backup first (logged, never blocks the copy)
        old_year = old.year or clock.today().year
        year = old_year + 1
        title = (
            old.title.replace(str(old.year), str(year))
            if old.year and str(old.year) in old.title
            else f"{old.title}（{year}年）"
        )
        new = Ledger(
            title=title,
            year=year,
            owner_unit=old.owner_unit,
            issuer=old.issuer,
            columns=list(old.columns),
            report_dates=shift_report_dates(set(old.report_dates) | round_dates),
            source_name=None,
        )
        carried: list[tuple[Task, Task]] = []  # (old, new)
        left_behind: list[tuple[Task, str]] = []
        to_confirm: list[DeadlineReview] = []
        for sec in old.sections:
            tasks = []
            for t in sec.tasks:
                default = "已完成" if effective_status(t) == TaskStatus.DONE else None
                reason = reasons[t.id] if t.id in reasons else default
                if reason is not None:
                    left_behind.append((t, reason.strip()))
                    continue
                nt = self._carried_copy(t, old_year, year)
                shifted = shift_deadline(t.deadline, old_year, year)
                nt.deadline = shifted.deadline
                if shifted.to_confirm:
                    nt.remarks = f"{nt.remarks}【完成时限待确认】{shifted.to_confirm}。"
                    to_confirm.append(
                        DeadlineReview(
                            old_task_id=t.id,  # type: ignore[arg-type]
                            task=nt,
                            old_text=t.deadline.text,
                            reason=shifted.to_confirm,
                        )
                    )
                tasks.append(nt)
                carried.append((t, nt))
            if tasks:
                new.sections.append(Section(title=sec.title, tasks=tasks))
        if not new.sections:
            new.sections.append(Section(title=None))
        with self.db.session() as s:
            repo = LedgerRepository(s)
            if repo.ledger_row(ledger_id) is None:
                raise LedgerError(LEDGER_GONE)
            repo.add(new)
            if new.report_dates:
                repo.sync_rounds(new.id, new.report_dates)  # type: ignore[arg-type]
            repo.audit(
                AuditEvent(
                    ledger_id=new.id,
                    action="copy_next_year",
                    old_value=old.title,
                    new_value=f"{new.title}（{len(carried)} 项任务）",
                )
            )
            for t, _nt in carried:
                self._record_outcome(repo, t, f"已结转到《{new.title}》")
            for t, reason in left_behind:
                self._record_outcome(repo, t, f"未结转：{reason}（{year}年）")
            repo.touch(ledger_id)
        return CarryOverResult(
            ledger=new,
            carried=len(carried),
            left_behind=left_behind,
            to_confirm=to_confirm,
        )

    @staticmethod
    def _carried_copy(t: Task, old_year: int, year: int) -> Task:
        nt = copy.deepcopy(t)
        nt.id = nt.section_id = nt.ledger_id = None
        nt.created_at = nt.updated_at = nt.progress_updated_at = None
        nt.removed_history = nt.removed_attachments = None
        # next year's work starts afresh (the dialog says 进展将清空); the history stays with the old task
        nt.progress, nt.status, nt.percent = "", TaskStatus.NOT_STARTED, 0
        nt.extra.pop(CARRY_FIELD, None)
        nt.remarks = (f"由{old_year}年结转。" + (nt.remarks or "")).strip()
        return nt

    @staticmethod
    def _record_outcome(repo: LedgerRepository, task: Task, outcome: str) -> None:
        """On the old ledger's task: its extra field and an audit event say what the carry-over did."""
        before = task.extra.get(CARRY_FIELD)
        task.extra[CARRY_FIELD] = outcome
        repo.save_task(task)
        repo.audit(
            AuditEvent(
                ledger_id=task.ledger_id,
                task_id=task.id,
                action="carry_over",
                field=f"extra:{CARRY_FIELD}",
                old_value=before,
                new_value=outcome,
            )
        )

    # ---------------------------------------------------------------- tasks
    def get_task(self, task_id: int) -> Task:
        with self.db.session() as s:
            task = LedgerRepository(s).get_task(task_id)
        if task is None:
            raise LedgerError(TASK_GONE)
        return task

    def update_task(
        self,
        task_id: int,
        field: str,
        value: object,
        base: object = None,
        expected_version: int | None = None,
    ) -> Task:
        """Change one field, re-deriving units or deadline; committed and audited at once.

        Several staff on one ledger: expected_version is the version of the task the user was shown,
        base the field's value then. When someone else wrote the task meanwhile and changed this very
        field (its value is no longer base), the edit is refused with EditConflict carrying both texts;
        a change of another field is no conflict (both edits stay). Without expected_version: as before.
        """
        with self.db.session() as s:
            repo = LedgerRepository(s)
            task, version = locked_task(repo, task_id)  # first: the row's (PostgreSQL) / file's (SQLite) lock
            self._check_stale(repo, task, version, CellEdit(task_id, field, value, base, expected_version))
            self._write_field(repo, task, version, field, value)
            return task

    def update_tasks(
        self, edits: list[CellEdit], states: Mapping[int, object] | None = None, changed: list | None = None
    ) -> list[Task]:
        """Several field edits (a paste, 批量修改, 已完成 with 100 %) in ONE transaction: all of them are
        written or, when anything refuses (a conflict, a bad value, the server gone), none. Each edit is
        checked against its own expected_version/base as update_task does (EditConflict names the first
        stale one, and nothing was written). states: task id -> a ProgressState (progress, status,
        percent, 最后更新) put back exactly, after the edits (the undo/redo of such a step).
        Returns the tasks as they are now, in the order first named; `changed` (a list) receives the
        (task id, field) of each cell whose value changed."""
        order: list[int] = list(dict.fromkeys([e.task_id for e in edits] + list(states or {})))
        done: list[Task] = []
        with self.db.session() as s:
            repo = LedgerRepository(s)
            for task_id in order:
                task, version = locked_task(repo, task_id)
                mine = [e for e in edits if e.task_id == task_id]
                for edit in mine:
                    self._check_stale(repo, task, version, edit)
                for edit in mine:
                    if self._write_field(repo, task, version, edit.field, edit.value) and changed is not None:
                        changed.append((task_id, edit.field))
                state = (states or {}).get(task_id)
                if state is not None:
                    old = (task.status.value, task.percent, task.progress)
                    task.progress, task.status = state.progress, TaskStatus(state.status)  # type: ignore[attr-defined]
                    task.percent = state.percent  # type: ignore[attr-defined]
                    task.progress_updated_at = state.progress_updated_at  # type: ignore[attr-defined]
                    repo.save_task_change(
                        task, "undo_progress", "progress", f"{old[0]} {old[1]}% {old[2]}",
                        f"{task.status.value} {task.percent}% {task.progress}", bumped=version is not None,
                    )
                done.append(task)
        return done

    def _check_stale(self, repo: LedgerRepository, task: Task, version: int | None, edit: CellEdit) -> None:
        """EditConflict when someone else wrote the task since the version the user saw and changed this
        very field (its value is no longer the base the user saw)."""
        expected = edit.expected_version
        if version is None or expected is None or version - 1 == expected:
            return
        current = field_text(task, edit.field)
        last = repo.last_change(task.id, edit.field) or repo.last_change(task.id)  # type: ignore[arg-type]
        mine = last is not None and last.client == self.db.client  # this program's own earlier write
        if not mine and (edit.base is None or current not in (_plain(edit.base), _plain(edit.value))):
            raise EditConflict(
                task.id,  # type: ignore[arg-type]
                edit.field,
                mine=_plain(edit.value),
                theirs=current,
                person=last.person if last else "",
                at=last.at if last else None,
                version=version - 1,
            )

    def _write_field(
        self, repo: LedgerRepository, task: Task, version: int | None, field: str, value: object
    ) -> bool:
        ledger_row = repo.ledger_row(task.ledger_id)  # type: ignore[arg-type]
        year = ledger_row.year if ledger_row else None
        old, new = self._apply(task, field, value, year)
        d = task.deadline
        if field == "deadline_text" and d.kind == DeadlineKind.RELATIVE and d.anchor_date is None:
            if ledger_row is not None and ledger_row.anchor_date is not None:
                task.deadline = self._resolve(replace(d, anchor_date=ledger_row.anchor_date))
        if old == new:
            return False
        repo.save_task_change(task, "update", field, old, new, bumped=version is not None)
        return True

    def _apply(
        self, task: Task, field: str, value: object, year: int | None
    ) -> tuple[str | None, str | None]:
        if field in TEXT_FIELDS:
            old = getattr(task, field)
            text = (
                None
                if (field == "item" and (value is None or str(value).strip() == ""))
                else str(value or "")
            )
            setattr(task, field, text if field == "item" else (text or ""))
            if field == "progress":
                task.progress_updated_at = now()
            return _s(old), _s(getattr(task, field))
        if field in ("units_text", "cooperating_text"):
            old = getattr(task, field)
            setattr(task, field, str(value or ""))
            task.units = parse_units(task.units_text) + parse_units(
                task.cooperating_text, UnitRole.COOPERATING
            )
            return old, getattr(task, field)
        if field == "deadline_text":
            old = task.deadline.text
            task.deadline = self._deadline(str(value or ""), year, task.deadline)
            return old, task.deadline.text
        if field == "anchor_date":
            old = task.deadline.anchor_date.isoformat() if task.deadline.anchor_date else None
            anchor = value if isinstance(value, date) or value is None else date.fromisoformat(str(value))
            task.deadline = self._resolve(replace(task.deadline, anchor_date=anchor))
            return old, anchor.isoformat() if anchor else None
        if field == "status":
            old = task.status.value
            task.status = value if isinstance(value, TaskStatus) else TaskStatus(str(value))
            if task.status == TaskStatus.DONE and task.percent < 100:
                task.percent = 100
            task.progress_updated_at = now()
            return old, task.status.value
        if field == "percent":
            old = str(task.percent)
            try:
                pct = int(value)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                raise LedgerError("进度须是 0 到 100 之间的整数。请重新输入。") from None
            if not 0 <= pct <= 100:
                raise LedgerError("进度须是 0 到 100 之间的整数。请重新输入。")
            task.percent = pct
            task.progress_updated_at = now()
            return old, str(pct)
        if field.startswith("extra:"):
            key = field[len("extra:") :]
            old = task.extra.get(key)
            task.extra[key] = str(value or "")
            return old, task.extra[key]
        raise LedgerError(f"不能修改字段“{field}”。")

    def _deadline(self, text: str, year: int | None, previous: Deadline | None = None) -> Deadline:
        deadline = parse_deadline(text, year)
        if deadline.kind == DeadlineKind.RELATIVE and previous is not None and previous.anchor_date:
            deadline = self._resolve(replace(deadline, anchor_date=previous.anchor_date))
        return deadline

    def _resolve(self, deadline: Deadline) -> Deadline:
        if deadline.kind != DeadlineKind.RELATIVE or deadline.anchor_date is None:
            return replace(deadline, due_date=None) if deadline.kind == DeadlineKind.RELATIVE else deadline
        from desktop_app.domain.deadlines import resolve_relative

        cal = self.calendar.calendar() if self.calendar else None
        return resolve_relative(deadline, deadline.anchor_date, cal)

    def add_task(self, section_id: int, position: int | None = None, task: Task | None = None) -> Task:
        with self.db.session() as s:
            repo = LedgerRepository(s)
            sec = repo.live_section_row(section_id)
            if sec is None:
                raise LedgerError("该板块已不存在。请刷新后再试。")
            task = task or Task()
            task.id = None
            repo.insert_task(sec.ledger_id, section_id, task, position)
            repo.touch(sec.ledger_id)
            repo.audit(
                AuditEvent(
                    ledger_id=sec.ledger_id, task_id=task.id, action="create", new_value=task.content[:200]
                )
            )
            return task

    def delete_task(self, task_id: int) -> Task:
        """Move a task to the recycle bin (回收站); its history and evidence stay with it."""
        with self.db.session() as s:
            repo = LedgerRepository(s)
            task = require_task(repo, task_id)
            repo.soft_delete_task(task_id, now())
            _record_delete(repo, task)
            return task

    def restore_task(self, task: Task | int) -> Task:
        """Undo of delete / 回收站 → 恢复: the task comes back at its old place, same id, with its
        history and evidence (its section too, when that is in the bin)."""
        task_id = task if isinstance(task, int) else task.id
        with self.db.session() as s:
            repo = LedgerRepository(s)
            if task_id is None or repo.get_task(task_id, include_deleted=True) is None:
                raise LedgerError("无法恢复该任务：它已从回收站中清除。")
            row = repo.undelete_task(task_id)
            s.flush()
            restored = repo.get_task(task_id)
            repo.touch(row.ledger_id)
            repo.audit(
                AuditEvent(
                    ledger_id=row.ledger_id,
                    task_id=task_id,
                    action="restore",
                    new_value=f"{row.number} {(row.content or '')[:200]}",
                )
            )
        return restored  # type: ignore[return-value]

    def recycle_bin(self, ledger_id: int | None = None) -> list[RecycledTask]:
        """The tasks in the recycle bin (of one ledger, or of all), newest deletion first."""
        with self.db.session() as s:
            return LedgerRepository(s).recycled(ledger_id)

    def restore_from_bin(self, task_ids: list[int]) -> list[Task]:
        """Restore the chosen tasks in one transaction: all of them, or none when one is gone."""
        with self.db.session() as s:
            repo = LedgerRepository(s)
            out = []
            for tid in task_ids:
                if repo.get_task(tid, include_deleted=True) is None:
                    raise LedgerError(
                        "无法恢复所选任务：其中有任务已从回收站中清除。请关闭回收站后重新打开。"
                    )
                row = repo.undelete_task(tid)
                s.flush()
                repo.touch(row.ledger_id)
                repo.audit(
                    AuditEvent(
                        ledger_id=row.ledger_id, task_id=tid, action="restore", new_value=row.content[:200]
                    )
                )
                out.append(repo.get_task(tid))
            return out  # type: ignore[return-value]

    def empty_recycle_bin(self, task_ids: list[int] | None = None) -> int:
        """Delete for good what is in the bin (all, or the given tasks): returns how many tasks."""
        with self.db.session() as s:
            repo = LedgerRepository(s)
            gone = repo.recycled()
            if task_ids is not None:
                wanted = set(task_ids)
                gone = [g for g in gone if g.task.id in wanted]
            for g in gone:
                repo.audit(
                    AuditEvent(
                        ledger_id=g.ledger_id,
                        task_id=g.task.id,
                        action="purge",
                        old_value=f"{g.task.number} {g.task.content[:200]}",
                    )
                )
            return repo.purge([g.task.id for g in gone])  # type: ignore[misc]

    def discard_task(self, task_id: int) -> Task:
        """Undo of 新增任务: the task just added goes for good, not into the bin (a snapshot is
        returned for redo, with its history and evidence)."""
        with self.db.session() as s:
            repo = LedgerRepository(s)
            task = require_task(repo, task_id)
            task.removed_history = repo.history(task_id)
            task.removed_attachments = repo.attachments_with_data(task_id)
            repo.delete_task(task_id)
            _record_delete(repo, task)
            return task

    def reinsert_task(self, task: Task) -> Task:
        """Redo of 新增任务 after its undo: the snapshot from discard_task goes back (with a new id)."""
        if task.section_id is None:
            raise LedgerError("无法恢复该任务：它所在的板块已不存在。")
        restored = copy.deepcopy(task)
        with self.db.session() as s:
            repo = LedgerRepository(s)
            sec = repo.live_section_row(task.section_id)
            if sec is None:
                raise LedgerError("无法恢复该任务：它所在的板块已不存在。")
            restored.id = None
            history, attachments = restored.removed_history or [], restored.removed_attachments or []
            restored.removed_history = restored.removed_attachments = None
            repo.insert_task(sec.ledger_id, sec.id, restored, task.position)
            for entry in reversed(history):  # history() is newest first
                entry.id, entry.task_id = None, restored.id
                repo.add_entry(entry)
            for att in attachments:
                att.id, att.task_id = None, restored.id
                repo.add_attachment(att)
            repo.touch(sec.ledger_id)
            repo.audit(
                AuditEvent(
                    ledger_id=sec.ledger_id,
                    task_id=restored.id,
                    action="restore",
                    new_value=restored.content[:200],
                )
            )
        return restored

    def move_task(self, task_id: int, section_id: int, position: int) -> Task:
        with self.db.session() as s:
            repo = LedgerRepository(s)
            task = require_task(repo, task_id)
            old = f"{task.section_id}:{task.position}"
            repo.move_task(task_id, section_id, position)
            s.flush()
            moved = repo.get_task(task_id)
            repo.audit(
                AuditEvent(
                    ledger_id=task.ledger_id,
                    task_id=task_id,
                    action="move",
                    old_value=old,
                    new_value=f"{section_id}:{moved.position}",  # type: ignore[union-attr]
                )
            )
            return moved  # type: ignore[return-value]

    # ---------------------------------------------------------------- sections
    def add_section(self, ledger_id: int, title: str | None, position: int | None = None) -> Section:
        with self.db.session() as s:
            repo = LedgerRepository(s)
            if repo.ledger_row(ledger_id) is None:
                raise LedgerError(LEDGER_GONE)
            sec = repo.add_section(ledger_id, title, position)
            repo.touch(ledger_id)
            repo.audit(AuditEvent(ledger_id=ledger_id, action="create_section", new_value=title))
            return sec

    def rename_section(self, section_id: int, title: str | None) -> None:
        with self.db.session() as s:
            repo = LedgerRepository(s)
            row = repo.live_section_row(section_id)
            if row is None:
                raise LedgerError("该板块已不存在。请刷新后再试。")
            repo.audit(
                AuditEvent(
                    ledger_id=row.ledger_id, action="rename_section", old_value=row.title, new_value=title
                )
            )
            row.title = title

    def delete_section(self, section_id: int) -> Section:
        """Move a section and its tasks to the recycle bin; returns it (with its tasks) for undo."""
        with self.db.session() as s:
            repo = LedgerRepository(s)
            row = repo.live_section_row(section_id)
            if row is None:
                raise LedgerError("该板块已不存在。请刷新后再试。")
            ledger = repo.get(row.ledger_id)
            section = next(sec for sec in ledger.sections if sec.id == section_id)  # type: ignore[union-attr]
            repo.audit(
                AuditEvent(
                    ledger_id=row.ledger_id,
                    action="delete_section",
                    old_value=f"{row.title}（{len(section.tasks)} 项）",
                )
            )
            repo.soft_delete_section(section_id, now())
            repo.touch(row.ledger_id)
            return section

    def restore_section(self, ledger_id: int, section: Section) -> Section:
        """Undo of 删除板块: the section and the tasks deleted with it come back at their place."""
        with self.db.session() as s:
            repo = LedgerRepository(s)
            if section.id is None or repo.section_row(section.id) is None:
                raise LedgerError("无法恢复该板块：它已从回收站中清除。")
            repo.undelete_section(section.id)
            for t in section.tasks:  # also when the section came back earlier with one of its tasks
                if t.id is not None and repo.get_task(t.id, include_deleted=True) is not None:
                    repo.undelete_task(t.id)
            s.flush()
            ledger = repo.get(ledger_id)
            repo.touch(ledger_id)
            repo.audit(AuditEvent(ledger_id=ledger_id, action="restore_section", new_value=section.title))
            return next(sec for sec in ledger.sections if sec.id == section.id)  # type: ignore[union-attr]

    # ---------------------------------------------------------------- audit
    def search_all(self, words: str, limit: int = 500) -> list[SearchHit]:
        """回头看: the tasks of every ledger and year whose text, progress or journal holds the words."""
        words = " ".join((words or "").split())
        if len(words) < 2:
            raise LedgerError("请至少输入两个字再查找。")
        with self.db.session() as s:
            hits = LedgerRepository(s).search_all(words, limit)
        for h in hits:
            h.excerpt = _excerpt(h.excerpt, words)
        return hits

    def audit_events(
        self,
        ledger_id: int | None,
        task_id: int | None = None,
        limit: int = 200,
        since: date | None = None,
        until: date | None = None,
        person: str | None = None,
    ) -> list[AuditEvent]:
        """The audit trail, newest first: of a ledger (or all), a task, the days since..until (both
        included), one person (who made the change)."""
        from datetime import datetime, time, timedelta

        start = datetime.combine(since, time()) if since else None
        end = datetime.combine(until + timedelta(days=1), time()) if until else None
        with self.db.session() as s:
            events = LedgerRepository(s).audit_events(ledger_id, task_id, limit, start, end)
        if person:
            events = [e for e in events if getattr(e, "person", "") == person]
        return events


def _excerpt(text: str, words: str, around: int = 30) -> str:
    """The words with some text on either side, on one line."""
    flat = " ".join(text.split())
    at = flat.find(words)
    if at < 0:
        return flat[: around * 2]
    start, end = max(0, at - around), at + len(words) + around
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")


def _record_delete(repo: LedgerRepository, task: Task) -> None:
    """A task left the ledger (to the 回收站, or discarded by an undo): its ledger is touched and audited."""
    repo.touch(task.ledger_id)  # type: ignore[arg-type]
    repo.audit(
        AuditEvent(
            ledger_id=task.ledger_id,
            task_id=task.id,
            action="delete",
            old_value=f"{task.number} {task.content[:200]}",
        )
    )
