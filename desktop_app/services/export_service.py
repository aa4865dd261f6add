"""Export use case: the journal as of a date, public edition, fill-back, submission record."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path

from desktop_app.domain import clock
from desktop_app.domain.model import AuditEvent, Ledger, LedgerError, ProgressEntry, Task, TaskStatus
from desktop_app.domain.serialize import ledger_to_dict
from desktop_app.exporters.dispatch import resolve_target
from desktop_app.exporters.files import atomic_path, clean_leftovers, write_failure
from desktop_app.services.ledger_service import LedgerService
from desktop_app.services.progress_service import ProgressService
from desktop_app.services.settings_service import SettingsService
from desktop_app.storage.database import Database, ReadOnlyDatabase
from desktop_app.storage.repository import LedgerRepository

FORMATS = ("docx", "xlsx", "pdf", "ofd", "json")
# (ledger, path, options) -> None: another way to write PDF, when set (by default exporters.pdf_report).
PdfRenderer = Callable[[Ledger, Path, object], None]

log = logging.getLogger(__name__)


def ledger_as_of(ledger: Ledger, history: dict[int, list[ProgressEntry]], as_of: date) -> Ledger:
    """A copy of the ledger whose tasks carry the progress text, status and percent they had on as_of.

    A task whose journal has nothing after as_of and that was not changed after it keeps what it has now
    (a progress typed in the table or imported has no journal entry). Otherwise the last entry dated on
    or before as_of gives its state, and with no such entry it had none yet: empty, 未开始, 0 %.
    `history`: task id -> entries, oldest first (ProgressService.history_for_ledger)."""
    today = clock.today()
    out = copy.deepcopy(ledger)
    for task in out.all_tasks():
        entries = sorted(
            (e for e in history.get(task.id, []) if e.entry_date is not None),  # type: ignore[arg-type]
            key=lambda e: (e.entry_date, e.id or 0),
        )
        stamp = task.progress_updated_at or task.created_at
        # the stamp is wall-clock time; a clock set back (LEDGER_TODAY, --as-of) counts it as today
        changed_later = stamp is not None and min(stamp.date(), today) > as_of
        if not changed_later and not any(e.entry_date > as_of for e in entries):  # type: ignore[operator]
            continue
        before = [e for e in entries if e.entry_date <= as_of]  # type: ignore[operator]
        if before:
            last = before[-1]
            task.progress, task.status, task.percent = last.text, last.status, last.percent
            task.progress_updated_at = datetime.combine(last.entry_date, time())  # type: ignore[arg-type]
        else:
            task.progress, task.status, task.percent = "", TaskStatus.NOT_STARTED, 0
            task.progress_updated_at = None
    return out


def changed_after(ledger: Ledger, history: dict[int, list[ProgressEntry]], as_of: date) -> list[Task]:
    """The tasks whose progress was recorded or typed after as_of: a report as of that day leaves their
    later progress out (ledger_as_of), typed and recorded alike."""
    today = clock.today()
    out = []
    for task in ledger.all_tasks():
        stamp = task.progress_updated_at
        typed_later = stamp is not None and min(stamp.date(), today) > as_of
        recorded_later = any(
            e.entry_date is not None and e.entry_date > as_of
            for e in history.get(task.id, [])  # type: ignore[arg-type]
        )
        if typed_later or recorded_later:
            out.append(task)
    return out


RECENT_DIRS_KEY = "recent_export_dirs"
RECENT_DIRS_MAX = 10


class ExportService:
    def __init__(
        self, db: Database, ledgers: LedgerService, progress: ProgressService, settings: SettingsService
    ) -> None:
        self.db = db
        self.ledgers = ledgers
        self.progress = progress
        self.settings = settings
        self.pdf_renderer: PdfRenderer | None = None

    def options(
        self,
        ledger: Ledger,
        as_of: date | None = None,
        public: bool = False,
        masks: dict | None = None,
        progress_by_task: dict[int, str] | None = None,
    ):  # noqa: ANN201
        """Report options from the settings; `progress_by_task` defaults to the progress as of as_of."""
        from desktop_app.exporters.common import ReportOptions

        s = self.settings.all()
        as_of = as_of or clock.today()
        if progress_by_task is None:
            progress_by_task = self.progress_as_of(ledger, as_of)
        return ReportOptions(
            as_of=as_of,
            unit=s.get("my_unit") or ledger.owner_unit or "",
            filler=s.get("contact_person") or "",
            phone=s.get("phone") or "",
            reviewer=s.get("reviewer") or "",
            head_of_unit=s.get("head_of_unit") or "",
            public=public,
            masks=masks,
            progress_by_task=progress_by_task,
            status_rules=self.settings.rules(),
        )

    def ledger_as_of(self, ledger: Ledger, as_of: date) -> Ledger:
        """The ledger as its journal stood on as_of (a copy)."""
        return ledger_as_of(ledger, self.progress.history_for_ledger(ledger.id), as_of)  # type: ignore[arg-type]

    def progress_as_of(self, ledger: Ledger, as_of: date) -> dict[int, str]:
        """The progress text each task had on as_of."""
        return {t.id: t.progress for t in self.ledger_as_of(ledger, as_of).all_tasks() if t.id is not None}

    def changed_after(self, ledger_id: int, as_of: date) -> int:
        """How many tasks have progress after as_of (recorded or typed): the export dialog warns."""
        ledger = self.ledgers.get_ledger(ledger_id)
        return len(changed_after(ledger, self.progress.history_for_ledger(ledger_id), as_of))

    def pending_for_round(self, ledger_id: int, round_id: int) -> int:
        """Tasks not done whose progress was not updated since the report before this round (待更新)."""
        rounds = self.progress.rounds(ledger_id)
        rnd = next((r for r in rounds if r.id == round_id), None)
        if rnd is None:
            raise LedgerError(f"找不到这本台账的报送轮次 {round_id}。请重新选择报送轮次。")
        before = [r.due_date for r in rounds if r.due_date and rnd.due_date and r.due_date < rnd.due_date]
        return self.progress.count_stale(ledger_id, max(before) if before else None)

    def scan_public(self, ledger_id: int, as_of: date | None = None):  # noqa: ANN201
        from desktop_app.exporters.public import scan_ledger

        ledger = self.ledgers.get_ledger(ledger_id)
        return scan_ledger(ledger, self.progress_as_of(ledger, as_of or clock.today()))

    def export(
        self,
        ledger_id: int,
        fmt: str | None,
        path: Path,
        public: bool = False,
        as_of: date | None = None,
        fill_back: bool = False,
        round_id: int | None = None,
        decisions: dict | None = None,
        columns: list | None = None,
        with_history: bool = False,
        with_attachments: bool = False,
    ) -> Path:
        """Write the ledger as it stood on as_of (default today). `fmt` None: the file name's suffix says
        it. Returns the path written. Nothing is written, nor recorded, unless the whole file could be.
        `with_history`: the progress history up to as_of goes with it (Excel: a second sheet; Word: an
        appendix). `with_attachments`: the Word report lists the evidence of each task (附件目录)."""
        fmt, path = resolve_target(Path(path), fmt)
        clean_leftovers(path.parent)
        ledger = self.ledgers.get_ledger(ledger_id, with_source=fill_back)
        if fill_back and fmt != "docx":
            raise LedgerError("按原表填报只能导出为 Word 文档（.docx）。请把格式改为 docx。")
        if fill_back and not (ledger.source_name or "").lower().endswith(".docx"):
            raise LedgerError("该台账不是从 Word 文档（.docx）导入的，无法按原表填报。请改用标准报表导出。")
        if round_id is not None:
            self._check_round(ledger, round_id)
            if self.db.read_only:  # the round is recorded as sent: refuse before any file is written
                raise LedgerError(self.db.read_only_message())
        as_of = as_of or clock.today()
        history = self.progress.history_for_ledger(ledger_id)
        ledger = ledger_as_of(ledger, history, as_of)
        opts = self.options(
            ledger, as_of, public, decisions, {t.id: t.progress for t in ledger.all_tasks() if t.id is not None}
        )
        if columns:
            opts.columns = columns
        if round_id is not None:  # sent for that round (late or not): the file says so
            opts.round_due = self.progress.get_round(round_id).due_date
        if with_history:  # the journal as it stood then: nothing written after as_of
            opts.history = {
                tid: [e for e in entries if e.entry_date is None or e.entry_date <= as_of]
                for tid, entries in history.items()
            }
        if with_attachments:
            evidence: dict[int, list] = {}
            for a in self.progress.ledger_attachments(ledger_id):
                if a.task_id is not None:
                    evidence.setdefault(a.task_id, []).append(a)
            opts.attachments = evidence
        json_history = None
        if (fmt == "json" or (fmt == "xlsx" and with_history)) and not public:  # the journal as it stood then: nothing written after as_of
            json_history = {
                tid: [e for e in entries if e.entry_date is None or e.entry_date <= as_of]
                for tid, entries in history.items()
            }
        self._write(ledger, fmt, path, opts, fill_back, json_history)
        self._remember_folder(path.parent)
        if round_id is not None:
            self._mark_submitted(ledger, round_id, path, opts)
        if self.db.read_only:  # a reader beside the writer leaves no trace: the export is its own
            return path
        try:
            with self.db.session() as s:
                LedgerRepository(s).audit(
                    AuditEvent(
                        ledger_id=ledger_id,
                        action="export",
                        field=fmt,
                        new_value=f"{path.name}{'（公开版）' if public else ''}{'（按原表）' if fill_back else ''}",
                    )
                )
        except ReadOnlyDatabase:  # a server login that may only read: the file is written all the same
            log.info("export of ledger %s not audited: read-only login", ledger_id)
        return path

    def _write(self, ledger: Ledger, fmt: str, path: Path, opts, fill_back: bool, history) -> None:  # noqa: ANN001
        """Every writer replaces `path` only when its file is complete (exporters.files)."""
        if fmt == "pdf" and self.pdf_renderer is not None:
            try:  # the renderer is pluggable: it writes to a temporary name too
                with atomic_path(path) as tmp:
                    # the renderer masks the public edition itself (public_edition): the ledger goes as is
                    self.pdf_renderer(ledger, tmp, opts)
            except OSError as exc:
                raise write_failure(path, exc) from exc
            return
        from desktop_app.exporters import dispatch

        dispatch.export_ledger(ledger, fmt, path, opts, fill_back=fill_back, history=history)

    @staticmethod
    def _public_copy(ledger: Ledger, opts) -> Ledger:  # noqa: ANN001
        from desktop_app.exporters.public import apply_decisions

        return apply_decisions(ledger, opts.masks or {}, opts.progress_by_task)

    def _check_round(self, ledger: Ledger, round_id: int) -> None:
        with self.db.session() as s:
            rnd = LedgerRepository(s).get_round(round_id)
        if rnd is None or rnd.ledger_id != ledger.id:
            raise LedgerError(f"找不到这本台账的报送轮次 {round_id}，未导出任何文件。请重新选择报送轮次。")

    def _mark_submitted(self, ledger: Ledger, round_id: int, path: Path, opts) -> None:  # noqa: ANN001
        if opts.public:  # the public copy already carries the masked progress as of the report date
            snap_ledger = self._public_copy(ledger, opts)
        else:
            snap_ledger = ledger
            for t in snap_ledger.all_tasks():
                if opts.progress_by_task and t.id in opts.progress_by_task:
                    t.progress = opts.progress_by_task[t.id]
        snapshot = ledger_to_dict(snap_ledger)
        snapshot["as_of"] = opts.as_of.isoformat()
        snapshot["public"] = bool(opts.public)  # written again later, a public return stays public
        with self.db.session() as s:
            repo = LedgerRepository(s)
            rnd = repo.get_round(round_id)
            if rnd is None or rnd.ledger_id != ledger.id:
                raise LedgerError("该报送轮次不属于这本台账。请重新选择报送轮次。")
            repo.mark_submitted(round_id, path.name, snapshot)
            repo.audit(
                AuditEvent(ledger_id=ledger.id, action="submit", field=str(round_id), new_value=path.name)
            )

    def _remember_folder(self, folder: Path) -> None:
        """The folders written to lately, so that the next start can clear what a killed export left."""
        try:
            known = [f for f in (self.settings.get(RECENT_DIRS_KEY) or "").split("\n") if f]
            folder_text = str(folder.resolve())
            known = [folder_text, *(f for f in known if f != folder_text)][:RECENT_DIRS_MAX]
            self.settings.set(RECENT_DIRS_KEY, "\n".join(known))
        except (LedgerError, OSError):
            pass  # remembering a folder must not fail an export that succeeded

    def clean_recent_leftovers(self, extra: list[Path] | None = None) -> list[Path]:
        """At start: remove the temporary files of exports killed midway, in the folders exported to
        lately (and `extra`, e.g. the database folder). Never raises."""
        try:
            folders = [Path(f) for f in (self.settings.get(RECENT_DIRS_KEY) or "").split("\n") if f]
        except LedgerError:
            folders = []
        removed: list[Path] = []
        for folder in dict.fromkeys([*folders, *(extra or [])]):
            removed += clean_leftovers(folder)
        return removed

    def export_evidence(self, ledger_id: int, path: Path, progress=None):  # noqa: ANN001, ANN201
        """佐证材料包 (exporters.evidence): the ledger's evidence in a zip, one folder per task, an index;
        files whose content is missing or changed are listed, not packed. Returns EvidenceResult."""
        from desktop_app.exporters.evidence import write_evidence_package

        path = Path(path)
        if path.suffix.lower() != ".zip":
            path = path.with_suffix(".zip")
        clean_leftovers(path.parent)
        ledger = self.ledgers.get_ledger(ledger_id)
        items = self.progress.ledger_attachments(ledger_id)

        def load(att_id: int) -> bytes | None:
            try:
                return self.progress.attachment_data(att_id)
            except LedgerError:
                return None

        result = write_evidence_package(ledger, items, load, path, progress)
        with self.db.session() as s:
            LedgerRepository(s).audit(
                AuditEvent(ledger_id=ledger_id, action="export", field="evidence", new_value=path.name)
            )
        return result

    def audit_rows(
        self,
        ledger_id: int,
        task_id: int | None = None,
        since: date | None = None,
        until: date | None = None,
        person: str | None = None,
        limit: int = 5000,
    ) -> list[list[str]]:
        """The ledger's audit trail as the viewer shows it (domain.audit.HEADERS), newest first."""
        from desktop_app.domain.audit import audit_row

        events = self.ledgers.audit_events(ledger_id, task_id, limit, since, until, person)
        try:
            tasks = {t.id: t for t in self.ledgers.get_ledger(ledger_id).all_tasks()}
        except LedgerError:
            tasks = {}

        def label(tid: int | None) -> str:
            t = tasks.get(tid)
            if t is None:
                return "" if tid is None else "（已删除的任务）"
            return f"{t.number} {' '.join(t.content.split())[:40]}".strip()

        return [audit_row(e, label(e.task_id)) for e in events]

    def export_audit(self, ledger_id: int, path: Path, rows: list[list[str]] | None = None) -> Path:
        """修改记录 to Excel (the rows shown, else the whole trail of the ledger)."""
        from desktop_app.exporters.audit_xlsx import write_audit_xlsx

        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        clean_leftovers(path.parent)
        title = self.ledgers.get_ledger(ledger_id).title
        write_audit_xlsx(f"{title}——修改记录", rows if rows is not None else self.audit_rows(ledger_id), path)
        return path

    def export_snapshot(self, round_id: int, fmt: str | None, path: Path) -> Path:
        """Write again what was sent for a round, from its frozen snapshot."""
        rnd = self.progress.get_round(round_id)
        if not rnd.snapshot:
            raise LedgerError("该轮次尚未报送，没有可导出的存档。")
        return self._write_frozen(rnd.snapshot, rnd.submitted_at, fmt, path)

    def export_submission(self, submission_id: int, fmt: str | None, path: Path) -> Path:
        """Write again one archived submission (报送存档), as it was sent: its progress, its 填报时间."""
        sub = self.progress.get_submission(submission_id)
        if not sub.snapshot:
            raise LedgerError("这份报送存档没有内容，无法再次导出。")
        return self._write_frozen(sub.snapshot, sub.submitted_at, fmt, path)

    def _write_frozen(self, snapshot: dict, sent_at: datetime | None, fmt: str | None, path: Path) -> Path:
        from desktop_app.domain.serialize import ledger_from_dict

        fmt, path = resolve_target(Path(path), fmt)
        clean_leftovers(path.parent)
        ledger, _ = ledger_from_dict(snapshot)
        as_of = date.fromisoformat(snapshot["as_of"]) if snapshot.get("as_of") else None
        opts = self.options(ledger, as_of, public=bool(snapshot.get("public")), progress_by_task={})
        opts.progress_by_task = None
        if sent_at is not None:
            opts.made_on = sent_at.date()
        self._write(ledger, fmt, path, opts, False, None)
        return path
