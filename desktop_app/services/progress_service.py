"""Progress entries, evidence attachments and report rounds of a ledger."""

from __future__ import annotations

import dataclasses
import mimetypes
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from desktop_app.domain import clock
from desktop_app.domain.model import (
    Attachment,
    AuditEvent,
    LedgerError,
    ProgressDraft,
    ProgressEntry,
    ReportRound,
    Submission,
    Task,
    TaskStatus,
)
from desktop_app.domain.status import StatusRules
from desktop_app.services.common import LEDGER_GONE, locked_task, require_task
from desktop_app.storage.database import Database
from desktop_app.storage.repository import LedgerRepository, now

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ProgressState:
    """What a progress edit changes on a task: undo puts all of it back, redo all of it again."""

    progress: str
    status: TaskStatus
    percent: int
    progress_updated_at: datetime | None

    @classmethod
    def of(cls, task: Task) -> ProgressState:
        return cls(task.progress, TaskStatus(task.status), task.percent, task.progress_updated_at)


class ProgressService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add_entry(
        self,
        task_id: int,
        text: str,
        status: TaskStatus | str,
        percent: int,
        author: str = "",
        entry_date: date | None = None,
        round_id: int | None = None,
        at: datetime | None = None,
    ) -> ProgressEntry:
        """Record a progress entry; it becomes the task's current progress, status and percent.

        at: when it was recorded (default now): a redo passes the original time, so 最后更新 and the
        entry's date stay those of the edit it repeats."""
        status = TaskStatus(status)
        if not 0 <= int(percent) <= 100:
            raise LedgerError("进度须是 0 到 100 之间的整数。请重新输入。")
        with self.db.session() as s:
            repo = LedgerRepository(s)
            task, version = locked_task(repo, task_id)
            entry = repo.add_entry(
                ProgressEntry(
                    task_id=task_id,
                    entry_date=entry_date or clock.today(),
                    text=text,
                    status=status,
                    percent=int(percent),
                    author=author,
                    round_id=round_id,
                    created_at=at,
                )
            )
            old = (task.progress, task.status.value, task.percent)
            task.progress, task.status, task.percent = text, status, int(percent)
            task.progress_updated_at = at or now()
            repo.save_task_change(
                task,
                "progress",
                "progress",
                f"{old[1]} {old[2]}% {old[0]}",
                f"{status.value} {percent}% {text}",
                bumped=version is not None,
            )
            return entry

    def delete_entry(self, entry_id: int) -> None:
        with self.db.session() as s:
            LedgerRepository(s).delete_entry(entry_id)

    def correct_entry(self, entry_id: int, text: str, status: TaskStatus | str, percent: int) -> Task:
        """Correct a recorded entry (进展记录): text, status, percent. The audit trail keeps the old and
        new values; when it is the task's latest entry, the task's current progress follows."""
        status = TaskStatus(status)
        if not 0 <= int(percent) <= 100:
            raise LedgerError("进度须是 0 到 100 之间的整数。请重新输入。")
        if not text.strip():
            raise LedgerError("进展内容不能为空：要去掉这条记录，请用“撤回”。")
        with self.db.session() as s:
            repo = LedgerRepository(s)
            entry = repo.get_entry(entry_id)
            if entry is None:
                raise LedgerError("这条进展记录已不存在（可能已被撤回）。请刷新后再试。")
            task, version = locked_task(repo, entry.task_id)  # type: ignore[arg-type]
            latest = repo.history(task.id)[0].id == entry_id  # type: ignore[arg-type]
            old = f"{entry.entry_date} {entry.status.value} {entry.percent}% {entry.text}"
            entry.text, entry.status, entry.percent = text, status, int(percent)
            repo.update_entry(entry)
            if latest:
                task.progress, task.status, task.percent = text, status, int(percent)
            repo.save_task_change(
                task,
                "correct_entry",
                "progress",
                old,
                f"{entry.entry_date} {status.value} {percent}% {text}",
                bumped=version is not None,
            )
            return task

    def withdraw_entry(self, entry_id: int) -> Task:
        """Withdraw a recorded entry (撤回): it leaves the journal, the audit trail keeps what it said.
        When it was the latest, the task's progress becomes that of the entry before it (or none)."""
        with self.db.session() as s:
            repo = LedgerRepository(s)
            entry = repo.get_entry(entry_id)
            if entry is None:
                raise LedgerError("这条进展记录已不存在（可能已被撤回）。请刷新后再试。")
            task, version = locked_task(repo, entry.task_id)  # type: ignore[arg-type]
            history = repo.history(task.id)  # type: ignore[arg-type]
            latest = history[0].id == entry_id
            repo.delete_entry(entry_id)
            if latest:
                before = history[1] if len(history) > 1 else None
                if before is not None:
                    task.progress, task.status, task.percent = before.text, before.status, before.percent
                else:
                    task.progress, task.status, task.percent = "", TaskStatus.NOT_STARTED, 0
            repo.save_task_change(
                task,
                "withdraw_entry",
                "progress",
                f"{entry.entry_date} {entry.status.value} {entry.percent}% {entry.text}",
                None,
                bumped=version is not None,
            )
            return task

    def reinstate_entry(self, entry: ProgressEntry, state: ProgressState) -> ProgressEntry:
        """Undo of 撤回: the entry comes back (same date, author, round, time; a new id) and the task's
        progress is put back as it was before the withdrawal."""
        with self.db.session() as s:
            repo = LedgerRepository(s)
            task, version = locked_task(repo, entry.task_id)  # type: ignore[arg-type]
            back = repo.add_entry(dataclasses.replace(entry, id=None))
            task.progress, task.status, task.percent = state.progress, state.status, state.percent
            task.progress_updated_at = state.progress_updated_at
            repo.save_task_change(
                task,
                "reinstate_entry",
                "progress",
                None,
                f"{entry.entry_date} {entry.percent}% {entry.text}",
                bumped=version is not None,
            )
            return back

    def get_entry(self, entry_id: int) -> ProgressEntry:
        with self.db.session() as s:
            entry = LedgerRepository(s).get_entry(entry_id)
        if entry is None:
            raise LedgerError("这条进展记录已不存在（可能已被撤回）。请刷新后再试。")
        return entry

    def restore_state(self, task_id: int, state: ProgressState, remove_entry: int | None = None) -> Task:
        """Put a task's progress, status, percent and 最后更新 back exactly as they were (undo/redo of
        a progress edit), removing the journal entry the edit added; one transaction, audited."""
        with self.db.session() as s:
            repo = LedgerRepository(s)
            task, version = locked_task(repo, task_id)
            if remove_entry is not None:
                repo.delete_entry(remove_entry)
            old = ProgressState.of(task)
            task.progress, task.status, task.percent = state.progress, state.status, state.percent
            task.progress_updated_at = state.progress_updated_at
            repo.save_task_change(
                task,
                "undo_progress",
                "progress",
                f"{old.status.value} {old.percent}% {old.progress}",
                f"{state.status.value} {state.percent}% {state.progress}",
                bumped=version is not None,
            )
            return task

    # ------------------------------------------------------------ drafts
    def save_draft(
        self, task_id: int | None, ledger_id: int | None, task_label: str, text: str
    ) -> ProgressDraft:
        """Keep progress text that could not be saved to its task (deleted meanwhile)."""
        with self.db.session() as s:
            return LedgerRepository(s).add_draft(ProgressDraft(None, task_id, ledger_id, task_label, text))

    def drafts(self) -> list[ProgressDraft]:
        with self.db.session() as s:
            return LedgerRepository(s).drafts()

    def delete_draft(self, draft_id: int) -> None:
        with self.db.session() as s:
            LedgerRepository(s).delete_draft(draft_id)

    def history(self, task_id: int) -> list[ProgressEntry]:
        with self.db.session() as s:
            return LedgerRepository(s).history(task_id)

    def history_for_ledger(self, ledger_id: int) -> dict[int, list[ProgressEntry]]:
        with self.db.session() as s:
            return LedgerRepository(s).history_for_ledger(ledger_id)

    # ------------------------------------------------------------ evidence
    def attachments(self, task_id: int) -> list[Attachment]:
        with self.db.session() as s:
            return LedgerRepository(s).attachments(task_id)

    def ledger_attachments(self, ledger_id: int) -> list[Attachment]:
        """Every evidence item of the ledger (no contents), in task order."""
        with self.db.session() as s:
            return LedgerRepository(s).ledger_attachments(ledger_id)

    def attachment_data(self, att_id: int) -> bytes:
        with self.db.session() as s:
            data = LedgerRepository(s).attachment_data(att_id)
        if data is None:
            raise LedgerError("该佐证材料没有保存文件内容（可能是链接）。")
        return data

    def add_attachment(self, task_id: int, path: Path) -> Attachment:
        path = Path(path)
        try:
            size = path.stat().st_size
        except OSError:
            raise LedgerError(f"找不到文件《{path.name}》。请重新选择。") from None
        if size > MAX_ATTACHMENT_BYTES:
            raise LedgerError(
                f"《{path.name}》有 {size / 1024 / 1024:.1f} MB，超过了佐证材料 20 MB 的上限。"
                "请压缩或截取后再添加，或改为添加链接。"
            )
        try:
            data = path.read_bytes()
        except OSError:
            raise LedgerError(f"无法读取《{path.name}》。请检查文件是否被其他程序占用。") from None
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        with self.db.session() as s:
            repo = LedgerRepository(s)
            task = require_task(repo, task_id)
            att = repo.add_attachment(
                Attachment(task_id=task_id, file_name=path.name, mime=mime, size=size, data=data)
            )
            repo.audit(
                AuditEvent(ledger_id=task.ledger_id, task_id=task_id, action="attach", new_value=path.name)
            )
            att.data = None
            return att

    def add_link(self, task_id: int, url: str, title: str = "") -> Attachment:
        url = (url or "").strip()
        if not url:
            raise LedgerError("链接地址不能为空。请输入网址。")
        with self.db.session() as s:
            repo = LedgerRepository(s)
            task = require_task(repo, task_id)
            att = repo.add_attachment(
                Attachment(task_id=task_id, file_name=title or url, mime="text/uri-list", url=url)
            )
            repo.audit(AuditEvent(ledger_id=task.ledger_id, task_id=task_id, action="attach", new_value=url))
            return att

    def delete_attachment(self, att_id: int) -> None:
        with self.db.session() as s:
            LedgerRepository(s).delete_attachment(att_id)

    # ------------------------------------------------------------ report rounds
    def rounds(self, ledger_id: int) -> list[ReportRound]:
        with self.db.session() as s:
            return LedgerRepository(s).rounds(ledger_id)

    def get_round(self, round_id: int) -> ReportRound:
        with self.db.session() as s:
            rnd = LedgerRepository(s).get_round(round_id)
        if rnd is None:
            raise LedgerError("该报送轮次已不存在。请刷新后再试。")
        return rnd

    def submissions(self, ledger_id: int) -> list[Submission]:
        """The files sent for the ledger's rounds (报送存档), newest first, without their contents."""
        with self.db.session() as s:
            return LedgerRepository(s).submissions(ledger_id)

    def get_submission(self, submission_id: int) -> Submission:
        with self.db.session() as s:
            sub = LedgerRepository(s).get_submission(submission_id)
        if sub is None:
            raise LedgerError("找不到这份报送存档，它可能已随台账删除。请刷新后再试。")
        return sub

    def unmark_submitted(self, round_id: int) -> None:
        """Take back a round's 已报送 mark (the archive of what was sent stays, marked withdrawn)."""
        with self.db.session() as s:
            repo = LedgerRepository(s)
            rnd = repo.get_round(round_id)
            if rnd is None:
                raise LedgerError("找不到这个报送轮次，它可能已被删除。请刷新后再试。")
            if rnd.submitted_at is None:
                raise LedgerError(f"“{rnd.label or '该轮次'}”还没有记为已报送，无需撤销。")
            was = repo.unmark_submitted(round_id)
            repo.audit(
                AuditEvent(
                    ledger_id=rnd.ledger_id, action="unsubmit", field=str(round_id), old_value=was or ""
                )
            )

    def set_report_dates(self, ledger_id: int, dates: list[date]) -> None:
        with self.db.session() as s:
            repo = LedgerRepository(s)
            old = repo.ledger_row(ledger_id)
            if old is None:
                raise LedgerError(LEDGER_GONE)
            repo.audit(
                AuditEvent(
                    ledger_id=ledger_id,
                    action="update_ledger",
                    field="report_dates",
                    old_value=old.report_dates,
                    new_value=", ".join(d.isoformat() for d in sorted(dates)),
                )
            )
            repo.update_ledger(ledger_id, report_dates=sorted(dates))
            repo.sync_rounds(ledger_id, sorted(dates))

    def last_report_date(self, ledger_id: int, as_of: date | None = None) -> date | None:
        """The latest report date on or before as_of: progress older than it is 待更新."""
        as_of = as_of or clock.today()
        with self.db.session() as s:
            rounds = LedgerRepository(s).rounds(ledger_id)
        past = [r.due_date for r in rounds if r.due_date and r.due_date <= as_of]
        return max(past) if past else None

    def count_stale(self, ledger_id: int, since: date | None) -> int:
        """Tasks not done whose progress was not touched since `since` (never, when None)."""
        with self.db.session() as s:
            return LedgerRepository(s).count_stale(ledger_id, since)

    def next_report(
        self, ledger_id: int, as_of: date | None = None, rules: StatusRules | None = None
    ) -> tuple[date | None, int | None, int]:
        """(next report date, days left, tasks whose progress was not updated since the last report).

        Before the first report of the year every task not yet updated counts: its progress is due
        in this first report.
        """
        as_of = as_of or clock.today()
        with self.db.session() as s:
            repo = LedgerRepository(s)
            rounds = repo.rounds(ledger_id)
            upcoming = sorted(
                r.due_date for r in rounds if r.due_date and r.due_date >= as_of and r.submitted_at is None
            )
            nxt = upcoming[0] if upcoming else None
            past = [r.due_date for r in rounds if r.due_date and r.due_date < as_of]
            last = max(past) if past else None
            # Counted in SQL: a 10,000-task ledger need not be loaded for the status bar.
            stale = repo.count_stale(ledger_id, last) if nxt is not None else 0
        return nxt, ((nxt - as_of).days if nxt else None), stale
