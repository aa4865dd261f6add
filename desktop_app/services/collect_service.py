"""The city office collects the returns of the units into one ledger (issue 14).

Each returned .docx/.xlsx is read with the importers (our own reports: the visible table is the truth),
the sending unit is found (the 填报单位 line, else the file name) in the directory, each returned task is
matched to a task of the target ledger (domain.returns.match_tasks), and the unit's progress per task is
stored for the round. A file whose unit or some of whose tasks are uncertain is not stored at all: it comes
back as CONFIRM with a ReturnQuestion (the candidates), the GUI asks, answer() turns the reply into rows.
The same file again changes nothing; a newer return of the same unit and round replaces the older one,
which is kept in the history (历次报送)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from desktop_app.domain import clock
from desktop_app.domain.directory import Directory, addressed_units, named_units
from desktop_app.domain.identity import round_label
from desktop_app.domain.model import Ledger, LedgerError, ReportRound, Task, TaskStatus
from desktop_app.domain.returns import (
    MISSING,
    NOT_EXPECTED,
    ReturnVersion,
    UnitReturn,
    cell_state,
    describe_changes,
    match_tasks,
    reminder_text,
    return_state,
    same_ledger,
    task_candidates,
    unit_candidates,
    unit_from_file_name,
    unit_from_fill_line,
)
from desktop_app.exporters.consolidated import UnitLine
from desktop_app.services.directory_service import DirectoryService
from desktop_app.services.export_service import ExportService
from desktop_app.services.ledger_service import LedgerService
from desktop_app.services.progress_service import ProgressService
from desktop_app.storage.database import Database
from desktop_app.storage.repository import now
from desktop_app.storage.returns import ReturnRepository

log = logging.getLogger(__name__)

SUFFIXES = (".docx", ".xlsx")
NEW, UPDATED, UNCHANGED, REFUSED = "new", "updated", "unchanged", "refused"
CONFIRM = "confirm"  # its unit or some of its tasks are uncertain: nothing stored until the user answers
PENDING = "pending"  # read and matched, not yet stored
OUTCOME_LABELS = {
    NEW: "新收录",
    UPDATED: "已更新（替换该单位本轮的上一份报送，上一份存入历次报送）",
    UNCHANGED: "无变化",
}


@dataclass
class TaskQuestion:
    """A returned task with progress whose task in the ledger is uncertain, and the tasks it may be."""

    index: int  # in the returned file's task list
    number: str
    content: str
    progress: str
    why: str
    candidates: list[tuple[int, str, str, float]]  # task id, 序号, content, how alike (0..1), best first


@dataclass
class ReturnQuestion:
    """What must be confirmed before a file is stored: its unit (when uncertain) and its uncertain tasks."""

    unit: str  # the unit when certain, else the best guess ("" when none)
    unit_why: str  # why the unit is uncertain ("" when it is certain)
    unit_choices: list[str]  # directory units, most likely first (only when the unit is uncertain)
    tasks: list[TaskQuestion]


@dataclass
class ReturnAnswer:
    """The user's reply: the unit, and per asked task (TaskQuestion.index) the ledger task id or None (不收录)."""

    unit: str
    tasks: dict[int, int | None] = field(default_factory=dict)


@dataclass
class _Draft:
    """What a read file brings before its unit and tasks are settled (kept for answer())."""

    returned: list  # the file's tasks (domain Task)
    matched: dict  # index -> target Task (the certain ones)
    round_id: int | None
    received: datetime
    dated: datetime  # the file's own date (its identity's, else the file's time): the newer one wins


@dataclass
class FileOutcome:
    file: Path
    outcome: str  # new | updated | unchanged | refused
    unit: str = ""
    reported: int = 0  # tasks with the unit's progress
    reason: str = ""  # refused: why (one Chinese sentence); unchanged: why, when not the same file again
    uncertain: list[str] = field(default_factory=list)  # returned tasks not stored, and why
    round_id: int | None = None  # the round it was stored for (the file's own round when it names one)
    ledger_id: int | None = None
    rows: list[UnitReturn] = field(default_factory=list, repr=False)  # what it brings
    before: list[UnitReturn] = field(default_factory=list, repr=False)  # what it replaced (for undo)
    history_id: int | None = None  # the history row keeping what it replaced (undo removes it)
    question: ReturnQuestion | None = None  # CONFIRM: what the user must answer
    draft: _Draft | None = field(default=None, repr=False)

    @property
    def line(self) -> str:
        if self.outcome == REFUSED:
            return f"《{self.file.name}》：未收录，{self.reason}"
        if self.outcome == CONFIRM:
            return f"《{self.file.name}》：需要确认，未收录：{self.reason}请在“收集报送”窗口中收集此文件并确认。"
        text = (
            f"《{self.file.name}》：{self.unit}，报送 {self.reported} 项任务，{OUTCOME_LABELS[self.outcome]}"
        )
        if self.outcome == UNCHANGED and self.reason:  # e.g. dated before the return already kept
            text += f"（{self.reason.rstrip('。')}）"
        if self.uncertain:
            text += f"；另有 {len(self.uncertain)} 项未收录：{'；'.join(self.uncertain)}"
        return text


@dataclass
class UnitState:
    unit: str
    kind: str
    state: str  # submitted | late | missing
    received: datetime | None = None
    file: str = ""
    versions: int = 0  # how many returns the unit sent for the round (the current one and the replaced)


@dataclass
class CollectPlan:
    ledger: Ledger
    round: ReportRound | None
    directory: Directory
    rounds: list[ReportRound]
    explicit_round: bool


@dataclass
class MatrixCell:
    state: str  # submitted | late | missing | blank | not_expected (domain.returns.cell_state)
    text: str = ""
    received: datetime | None = None
    file: str = ""


@dataclass
class ReturnMatrix:
    """Task x unit for a round: units are the directory units the ledger addresses or that reported."""

    round: ReportRound | None
    tasks: list
    units: list  # domain Unit, directory order
    cells: dict[tuple[int, str], MatrixCell]

    def cell(self, task_id: int, unit: str) -> MatrixCell:
        return self.cells.get((task_id, unit), MatrixCell(NOT_EXPECTED))


def _older(o: FileOutcome, current: list[UnitReturn]) -> bool:
    """The file is dated before the return already kept for its unit and round (both dates known)."""
    mine = o.draft.dated if o.draft is not None else None
    theirs = current[0].dated
    return mine is not None and mine != datetime.min and theirs is not None and mine < theirs


def _same_rows(a: list[UnitReturn], b: list[UnitReturn]) -> bool:
    """Two returns of a unit bring the same on every task."""
    old = {r.task_id: r for r in a}
    return len(old) == len(b) and all(r.task_id in old and old[r.task_id].same_report(r) for r in b)


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders replaced by the .docx/.xlsx inside them (sorted; Office lock files and our
    temporary files skipped)."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out += sorted(
                f
                for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in SUFFIXES and not f.name.startswith(("~$", ".~"))
            )
        else:
            out.append(p)
    return out


class CollectService:
    def __init__(
        self,
        db: Database,
        ledgers: LedgerService,
        progress: ProgressService,
        directory: DirectoryService,
        exports: ExportService | None = None,
    ) -> None:
        self.db = db
        self.ledgers = ledgers
        self.progress = progress
        self.directory = directory
        self.exports = exports  # report options (填报单位 = the office) for the consolidated ledger

    # ------------------------------------------------------------------ rounds
    def resolve_round(self, ledger_id: int, round_id: int | None = None) -> ReportRound | None:
        """The round asked for (LedgerError when it is not this ledger's); by default the first round
        not yet due, else the last one; None when the ledger has no report dates."""
        rounds = self.progress.rounds(ledger_id)
        if round_id is not None:
            for r in rounds:
                if r.id == round_id:
                    return r
            raise LedgerError(f"找不到这本台账的报送轮次 {round_id}。请用已有的轮次编号，或不写 --round。")
        today = clock.today()
        upcoming = [r for r in rounds if r.due_date is None or r.due_date >= today]
        return upcoming[0] if upcoming else (rounds[-1] if rounds else None)

    @staticmethod
    def _received_now() -> datetime:
        return datetime.combine(clock.today(), now().time())  # the program's day (LEDGER_TODAY/--as-of)

    # ------------------------------------------------------------------ collect
    def collect(
        self,
        paths: Iterable[Path],
        ledger_id: int,
        round_id: int | None = None,
        progress: Callable[[int, int, Path], None] | None = None,
    ) -> tuple[ReportRound | None, list[FileOutcome]]:
        """Read every file (progress(done, total, file) after each), then store what could be collected in
        ONE transaction. Each stored outcome keeps the rows it replaced (`before`): undo(outcomes).
        The GUI does the same in three steps: plan (database) -> read (no database: off the GUI thread)
        -> store (database)."""
        plan = self.plan(ledger_id, round_id)
        outcomes = self.read(plan, paths, progress)
        return plan.round, self.store(plan, outcomes)

    def plan(self, ledger_id: int, round_id: int | None = None, explicit: bool | None = None) -> CollectPlan:
        """What reading needs from the database: the ledger, its rounds, the directory. explicit (default:
        a round_id is given): every file goes to that round; else a file naming its round goes to it and
        the round given is for the files that name none (the GUI's round box)."""
        ledger = self.ledgers.get_ledger(ledger_id)
        rnd = self.resolve_round(ledger_id, round_id)
        directory = self.directory.directory()
        if not directory.units:
            raise LedgerError(
                "单位名录是空的，无法确定报送单位。请先在“收集报送”的“单位名录”页从台账补充或粘贴单位"
                "（命令行：units --from-ledger 或 --paste）。"
            )
        explicit = round_id is not None if explicit is None else explicit
        return CollectPlan(ledger, rnd, directory, self.progress.rounds(ledger_id), explicit)

    def read(
        self,
        plan: CollectPlan,
        paths: Iterable[Path],
        progress: Callable[[int, int, Path], None] | None = None,
    ) -> list[FileOutcome]:
        """Each file read and matched (no database access: safe on a worker thread); nothing stored."""
        files = expand(paths)
        outcomes: list[FileOutcome] = []
        for n, path in enumerate(files, start=1):
            try:
                outcomes.append(
                    self._collect_file(
                        path, plan.ledger, plan.round, plan.directory, plan.rounds, plan.explicit_round
                    )
                )
            except LedgerError as exc:
                outcomes.append(FileOutcome(path, REFUSED, reason=exc.message.strip()))
            except Exception:  # noqa: BLE001 - one odd file must not stop the others
                log.exception("collecting %s failed", path)
                outcomes.append(FileOutcome(path, REFUSED, reason="读取时出现意外错误，详情已记入日志。"))
            if progress is not None:
                progress(n, len(files), path)
        return outcomes

    def store(self, plan: CollectPlan, outcomes: list[FileOutcome]) -> list[FileOutcome]:
        """The read returns stored in ONE transaction. A newer return of the same unit and round replaces
        the older one, which goes into the history; a return the same as the current one or as one in
        the history changes nothing; of two returns of one unit and round in one collection the file
        dated later is the newer. Returns the outcomes, now new/updated/unchanged."""
        ledger_id = plan.ledger.id
        self.settle_known(plan, outcomes)
        pending = [o for o in outcomes if o.outcome == PENDING]
        pending.sort(key=lambda o: o.draft.dated if o.draft else datetime.min)  # the older first
        if pending:
            numbers = {t.id: t.number for t in plan.ledger.all_tasks()}
            stamp = now()
            with self.db.session() as s:  # all or nothing
                repo = ReturnRepository(s)
                for o in pending:
                    before = repo.for_round(ledger_id, o.round_id, o.unit)  # type: ignore[arg-type]
                    seen = [before] + [v.rows for v in repo.history(ledger_id, o.round_id, o.unit)]  # type: ignore[arg-type]
                    if any(_same_rows(rows, o.rows) for rows in seen if rows):
                        o.outcome = UNCHANGED
                        continue
                    if before and _older(o, before):  # collected after the newer one: the newer stays
                        o.outcome = UNCHANGED
                        o.reason = f"早于已收录的《{before[0].file_name}》，未替换。"
                        continue
                    o.outcome = UPDATED if before else NEW
                    o.before = before
                    if before:
                        o.history_id = repo.add_history(
                            before, stamp, o.file.name, describe_changes(before, o.rows, numbers)
                        )
                    repo.replace_unit(ledger_id, o.round_id, o.unit, o.rows)  # type: ignore[arg-type]
        return outcomes

    def settle_known(self, plan: CollectPlan, outcomes: list[FileOutcome]) -> list[FileOutcome]:
        """A file to confirm that was confirmed before: when its likeliest reading (the first unit offered,
        the best task per question) brings exactly what that unit's current or a kept return holds, it is
        the same file again: UNCHANGED, nothing asked, nothing stored. Others are left as they are."""
        asking = [o for o in outcomes if o.outcome == CONFIRM and o.question is not None and o.question.unit]
        if not asking:
            return outcomes
        with self.db.session() as s:
            repo = ReturnRepository(s)
            for o in asking:
                q = o.question
                guess = ReturnAnswer(q.unit, {t.index: t.candidates[0][0] if t.candidates else None for t in q.tasks})
                try:
                    reading = self.answer(plan, o, guess)
                except LedgerError:
                    continue
                if reading.outcome != PENDING:
                    continue
                known = [repo.for_round(plan.ledger.id, o.round_id, q.unit)]  # type: ignore[arg-type]
                known += [v.rows for v in repo.history(plan.ledger.id, o.round_id, q.unit)]  # type: ignore[arg-type]
                if any(rows and _same_rows(rows, reading.rows) for rows in known):
                    o.outcome, o.unit, o.reported = UNCHANGED, q.unit, reading.reported
        return outcomes

    def undo(self, outcomes: Iterable[FileOutcome]) -> int:
        """Undo a whole collection: every unit's returns, and their history, as they were before it (one
        transaction, latest first). Returns how many units' returns were put back."""
        stored = [o for o in outcomes if o.outcome in (NEW, UPDATED)]
        with self.db.session() as s:
            repo = ReturnRepository(s)
            for o in reversed(stored):
                repo.replace_unit(o.ledger_id, o.round_id, o.unit, o.before)  # type: ignore[arg-type]
                if o.history_id is not None:
                    repo.delete_history(o.history_id)
        for o in stored:
            o.history_id = None
        return len(stored)

    def history(self, ledger_id: int, unit: str, round_id: int | None = None) -> list[ReturnVersion]:
        """历次报送 of a unit for the round, newest first: the current return, then the ones it replaced;
        each with what the return after it changed (`changes`; the current one: "")."""
        rnd = self.resolve_round(ledger_id, round_id)
        rid = rnd.id if rnd else None
        with self.db.session() as s:
            repo = ReturnRepository(s)
            current = repo.for_round(ledger_id, rid, unit)
            old = repo.history(ledger_id, rid, unit)
        out: list[ReturnVersion] = []
        if current:
            first = current[0]
            out.append(ReturnVersion(unit, first.file_name, first.received_at, current))
        return out + list(reversed(old))

    # ------------------------------------------------------------------ confirming
    def answer(self, plan: CollectPlan, outcome: FileOutcome, reply: ReturnAnswer) -> FileOutcome:
        """A CONFIRM outcome with the user's reply: PENDING (ready for store) with the rows it brings, or
        REFUSED when nothing with progress is left. LedgerError when the reply names a unit not in the
        directory, a task not in the ledger, or one ledger task for two returned tasks."""
        draft = outcome.draft
        if outcome.outcome != CONFIRM or draft is None:
            return outcome
        unit = next((u for u in plan.directory.units if u.name == reply.unit), None)
        if unit is None:
            raise LedgerError(f"“{reply.unit}”不在单位名录中，请从名录中选择报送单位。")
        by_id = {t.id: t for t in plan.ledger.all_tasks()}
        matched = dict(draft.matched)
        skipped = []
        asked = {q.index: q for q in (outcome.question.tasks if outcome.question else [])}
        for i, q in asked.items():
            tid = reply.tasks.get(i)
            if tid is None:
                skipped.append(f"第{q.number or i + 1}项按确认未收录")
                continue
            if tid not in by_id:
                raise LedgerError("所选的任务不在这本台账中，请重新选择。")
            matched[i] = by_id[tid]
        taken = [id(t) for t in matched.values()]
        if len(taken) != len(set(taken)):
            raise LedgerError("两项报送内容被对应到了台账中的同一项任务，请为每一项选择不同的任务。")
        rows = self._rows(plan.ledger, draft, unit.name, matched, outcome.file.name)
        if not rows:
            return FileOutcome(
                outcome.file, REFUSED, unit=unit.name, reason="确认后没有可收录的任务进展，未收录。"
            )
        return FileOutcome(
            outcome.file,
            PENDING,
            unit=unit.name,
            reported=len(rows),
            uncertain=outcome.uncertain + skipped,
            round_id=draft.round_id,
            ledger_id=plan.ledger.id,
            rows=rows,
            draft=draft,
        )

    @staticmethod
    def _rows(ledger: Ledger, draft: _Draft, unit: str, matched: dict, file_name: str) -> list[UnitReturn]:
        """The unit's rows for the matched tasks with progress, in the target ledger's order."""
        at = {id(t): n for n, t in enumerate(ledger.all_tasks())}  # list.index would compare whole Tasks
        rows: list[UnitReturn] = []
        for i, mine in sorted(matched.items(), key=lambda kv: at[id(kv[1])]):
            got = draft.returned[i]
            text = (got.progress or "").strip()
            if not text:
                continue  # nothing written on this task: not reported
            rows.append(
                UnitReturn(
                    ledger_id=ledger.id,  # type: ignore[arg-type]
                    round_id=draft.round_id,
                    unit=unit,
                    task_id=mine.id,  # type: ignore[arg-type]
                    progress=text,
                    status=got.status if isinstance(got.status, TaskStatus) else TaskStatus.NOT_STARTED,
                    percent=int(got.percent or 0),
                    file_name=file_name,
                    received_at=draft.received,
                    dated=draft.dated if draft.dated != datetime.min else None,
                )
            )
        return rows

    def _collect_file(
        self,
        path: Path,
        ledger: Ledger,
        rnd: ReportRound | None,
        directory: Directory,
        rounds: list[ReportRound],
        explicit_round: bool,
    ) -> FileOutcome:
        if not path.is_file():
            return FileOutcome(path, REFUSED, reason="找不到该文件，请检查路径。")
        if path.suffix.lower() not in SUFFIXES:
            return FileOutcome(path, REFUSED, reason="只能收集 Word（.docx）或 Excel（.xlsx）报送件。")
        # the importers (lxml, the readers) load with the first return read, not at every start
        from desktop_app.importers import load_any
        from desktop_app.importers.errors import ImportFailed

        try:
            result = load_any(path, with_copy=False)  # the visible table is the truth
        except ImportFailed as exc:
            return FileOutcome(path, REFUSED, reason=exc.message.strip())
        returned = result.ledger
        identity = result.identity
        ours = identity is not None and bool(ledger.ident) and identity.ledger == ledger.ident
        if not ours:  # no identity, or another lineage's: title and year must agree
            why = same_ledger(returned.title, returned.year, ledger.title, ledger.year)
            if why:
                return FileOutcome(path, REFUSED, reason=f"它{why}，不是这本台账的报送件。")
        if rnd is not None and not explicit_round and identity is not None and identity.round_due:
            rnd = next((r for r in rounds if r.due_date == identity.round_due), rnd)  # the round it says
        written = unit_from_fill_line(result.fill_line)
        # the visible 填报单位 line first (edits in Word count), then the identity, then the file name
        unit = directory.find(written) if written else None
        if unit is None and identity is not None and identity.unit:
            unit = directory.find(identity.unit)
        if unit is None and not written:
            unit = unit_from_file_name(path.stem, directory)
        tasks = returned.all_tasks()
        target = ledger.all_tasks()
        match = match_tasks(tasks, target)
        with_content = len(tasks) - sum(1 for _i, why in match.uncertain if "没有任务内容" in why)
        if not match.matched or len(match.matched) * 2 < with_content:
            return FileOutcome(
                path,
                REFUSED,
                unit=unit.name if unit else "",
                reason=f"其中的任务与这本台账对不上（{with_content} 项中仅 {len(match.matched)} 项相同），"
                "可能是另一本台账的报送件。",
            )
        try:
            dated = datetime.fromtimestamp(path.stat().st_mtime)
        except OSError:
            dated = datetime.min
        if identity is not None and identity.date:
            dated = max(dated, datetime.combine(identity.date, datetime.min.time()))
        draft = _Draft(tasks, dict(match.matched), rnd.id if rnd else None, self._received_now(), dated)
        # an uncertain task without progress brings nothing: it is not asked about
        asked = [(i, why) for i, why in match.uncertain if (tasks[i].progress or "").strip()]
        if unit is None or asked:
            taken = {id(t) for t in match.matched.values()}
            questions = [
                TaskQuestion(
                    i,
                    tasks[i].number,
                    tasks[i].content or tasks[i].item or tasks[i].key_work or "",
                    (tasks[i].progress or "").strip(),
                    why,
                    [
                        (t.id, t.number, t.content or t.item or t.key_work or "", round(ratio, 3))  # type: ignore[misc]
                        for t, ratio in task_candidates(tasks[i], target, taken)
                    ],
                )
                for i, why in asked
            ]
            if unit is None:
                if written:
                    unit_why = f"填报单位“{written}”不在单位名录中（或与名录中多个单位相近）"
                else:
                    unit_why = "文件中没有“填报单位”，文件名中也没有名录中的单位名称"
                choices = [u.name for u in unit_candidates(written or path.stem, directory)]
            else:
                unit_why, choices = "", []
            parts = [unit_why] if unit_why else []
            if questions:
                parts.append(f"{len(questions)} 项任务在台账中对应不确定")
            return FileOutcome(
                path,
                CONFIRM,
                unit=unit.name if unit else "",
                reason="；".join(parts) + "。",
                round_id=draft.round_id,
                ledger_id=ledger.id,
                question=ReturnQuestion(unit.name if unit else (choices[0] if choices else ""), unit_why,
                                        choices, questions),
                draft=draft,
            )
        rows = self._rows(ledger, draft, unit.name, match.matched, path.name)
        if not rows:
            return FileOutcome(path, REFUSED, unit=unit.name, reason="文件中没有填写任何任务的进展，未收录。")
        return FileOutcome(
            path,
            PENDING,
            unit=unit.name,
            reported=len(rows),
            round_id=draft.round_id,
            ledger_id=ledger.id,
            rows=rows,
            draft=draft,
        )

    # ------------------------------------------------------------------ seeing
    def returns(self, ledger_id: int, round_id: int | None = None) -> list[UnitReturn]:
        rnd = self.resolve_round(ledger_id, round_id)
        with self.db.session() as s:
            return ReturnRepository(s).for_round(ledger_id, rnd.id if rnd else None)

    def by_task(self, ledger_id: int, round_id: int | None = None) -> dict[int, list[UnitReturn]]:
        """Task id -> the units' returns on it, in directory order."""
        order = {u.name: i for i, u in enumerate(self.directory.units())}
        out: dict[int, list[UnitReturn]] = {}
        for r in self.returns(ledger_id, round_id):
            out.setdefault(r.task_id, []).append(r)
        for rows in out.values():
            rows.sort(key=lambda r: order.get(r.unit, len(order)))
        return out

    def states(
        self, ledger_id: int, round_id: int | None = None
    ) -> tuple[ReportRound | None, list[UnitState]]:
        """Every directory unit the ledger addresses, in directory order: submitted, late or missing."""
        ledger = self.ledgers.get_ledger(ledger_id)
        rnd = self.resolve_round(ledger_id, round_id)
        directory = self.directory.directory()
        expected: set[int] = set()
        for task in ledger.all_tasks():
            expected.update(id(u) for u in addressed_units(task, directory))
        with self.db.session() as s:
            repo = ReturnRepository(s)
            rows = repo.for_round(ledger_id, rnd.id if rnd else None)
            replaced = repo.history_counts(ledger_id, rnd.id if rnd else None)
        latest: dict[str, UnitReturn] = {}
        for r in rows:
            if r.unit not in latest or (r.received_at or datetime.min) > (
                latest[r.unit].received_at or datetime.min
            ):
                latest[r.unit] = r
        due: date | None = rnd.due_date if rnd else None
        out = []
        for u in directory.units:
            got = latest.get(u.name)
            if id(u) not in expected and got is None:
                continue
            received = got.received_at if got else None
            n_old, first = replaced.get(u.name, (0, None))
            # on time or late by the unit's first return of the round: a correction sent later keeps it
            on = min(received, first) if received and first else received
            out.append(
                UnitState(
                    u.name,
                    u.kind,
                    return_state(on, due),
                    received,
                    got.file_name if got else "",
                    (1 if got else 0) + n_old,
                )
            )
        return rnd, out

    def expects_returns(
        self, ledger_id: int, ledger: Ledger | None = None, stand_ins: list[Task] | None = None
    ) -> bool:
        """The city office's use: the directory holds units and the ledger addresses at least two of them
        (a unit's own ledger names one unit, or none of a directory it does not keep); with no directory
        yet, the ledger names at least three units (the directory starts from them). `ledger`: that
        ledger as already read (the window's, edits included); without it the stored ledger's unit
        texts decide (LedgerService.unit_stand_ins: each text once, no task read), or `stand_ins`,
        those the window read with the ledger's outline."""
        directory = self.directory.directory()
        if ledger is not None and ledger.id == ledger_id:
            tasks: list[Task] = ledger.all_tasks()
        else:
            tasks = stand_ins if stand_ins is not None else self.ledgers.unit_stand_ins(ledger_id)
        if len(directory.units) < 2:  # no directory yet: a ledger naming several units is the office's
            names: set[str] = set()
            for task in tasks:  # stops at the third name, not after every task
                names.update(named_units([task]))
                if len(names) >= 3:
                    return True
            return False
        seen: set[int] = set()
        for task in tasks:
            seen.update(id(u) for u in addressed_units(task, directory))
            if len(seen) >= 2:
                return True
        return False

    def matrix(self, ledger_id: int, round_id: int | None = None) -> ReturnMatrix:
        """Each task's cell per unit for the round: what the unit reported on it, and its state."""
        ledger = self.ledgers.get_ledger(ledger_id)
        rnd = self.resolve_round(ledger_id, round_id)
        directory = self.directory.directory()
        due = rnd.due_date if rnd else None
        with self.db.session() as s:
            rows = ReturnRepository(s).for_round(ledger_id, rnd.id if rnd else None)
        got = {(r.task_id, r.unit): r for r in rows}
        reporting = {r.unit for r in rows}
        cells: dict[tuple[int, str], MatrixCell] = {}
        wanted: set[str] = set()
        tasks = ledger.all_tasks()
        for task in tasks:
            addressed = {u.name for u in addressed_units(task, directory)}
            wanted |= addressed
            for name in addressed | reporting:
                r = got.get((task.id, name))  # type: ignore[arg-type]
                received = r.received_at if r else None
                cells[(task.id, name)] = MatrixCell(  # type: ignore[index]
                    cell_state(name in addressed, received, due, name in reporting),
                    r.progress if r else "",
                    received,
                    r.file_name if r else "",
                )
        units = [u for u in directory.units if u.name in wanted or u.name in reporting]
        return ReturnMatrix(rnd, tasks, units, cells)

    def round_label(self, ledger_id: int, rnd: ReportRound | None) -> str:
        """ "第2次报送（8月15日前）" for a round of the ledger ("" for none)."""
        return self._round_label(ledger_id, rnd)

    # ------------------------------------------------------------------ writing it up
    def lines_by_task(self, ledger_id: int, round_id: int | None = None) -> dict[int, list[UnitLine]]:
        """Task id -> every unit's return on it as the consolidated ledger shows it (directory order)."""
        kinds = {u.name: u.kind for u in self.directory.units()}
        return {
            tid: [
                UnitLine(
                    r.unit, kinds.get(r.unit, ""), r.progress, r.status.value, r.percent, r.received_at, r.file_name
                )
                for r in rows
            ]
            for tid, rows in self.by_task(ledger_id, round_id).items()
        }

    def export_consolidated(
        self, ledger_id: int, fmt: str | None, path: Path, round_id: int | None = None
    ) -> Path:
        """One row per task, "单位：进展" per reporting unit; docx | xlsx | json. Returns the path written."""
        from desktop_app.exporters.consolidated import write_consolidated
        from desktop_app.exporters.dispatch import resolve_target
        from desktop_app.exporters.files import clean_leftovers

        fmt, path = resolve_target(Path(path), fmt)
        if fmt not in ("docx", "xlsx", "json"):
            raise LedgerError("汇总台账只能导出为 docx、xlsx 或 json。请改用这三种扩展名之一。")
        clean_leftovers(path.parent)
        ledger = self.ledgers.get_ledger(ledger_id)
        rnd = self.resolve_round(ledger_id, round_id)
        label = self._round_label(ledger_id, rnd)
        opts = self._options(ledger)
        opts.round_due = rnd.due_date if rnd else None  # the header names the round shown, not today's
        write_consolidated(
            ledger,
            self.lines_by_task(ledger_id, rnd.id if rnd else None),
            fmt,
            path,
            opts,
            label,
            rnd.due_date if rnd else None,
        )
        return path

    def silent_tasks(self, ledger_id: int, round_id: int | None = None) -> list:  # noqa: ANN201
        """The ledger's tasks on which no unit reported anything in the round."""
        got = self.by_task(ledger_id, round_id)
        return [t for t in self.ledgers.get_ledger(ledger_id).all_tasks() if not got.get(t.id or -1)]

    def write_notice(self, ledger_id: int, path: Path, round_id: int | None = None) -> Path:
        """The 报送情况通报 (.docx): counts, the lists of units, the tasks with no progress from any unit."""
        from desktop_app.exporters.files import clean_leftovers
        from desktop_app.exporters.returns_notice import NoticeTask, NoticeUnit, write_notice

        path = Path(path)
        if path.suffix.lower() != ".docx":
            raise LedgerError(f"报送情况通报只能保存为 Word 文档（.docx），请把《{path.name}》改为以 .docx 结尾。")
        clean_leftovers(path.parent)
        ledger = self.ledgers.get_ledger(ledger_id)
        rnd, states = self.states(ledger_id, round_id)
        rid = rnd.id if rnd else None
        write_notice(
            path,
            ledger.title,
            self._round_label(ledger_id, rnd),
            rnd.due_date if rnd else None,
            [NoticeUnit(s.unit, s.state, s.received) for s in states],
            [NoticeTask(t.number, t.content or t.item or t.key_work) for t in self.silent_tasks(ledger_id, rid)],
            issuer=self._options(ledger).unit or ledger.issuer,
        )
        return path

    def reminder(self, ledger_id: int, round_id: int | None = None) -> str:
        """The 催报 text for the units whose return is missing ("" when every unit has sent)."""
        ledger = self.ledgers.get_ledger(ledger_id)
        rnd, states = self.states(ledger_id, round_id)
        missing = [s.unit for s in states if s.state == MISSING]
        return reminder_text(ledger.title, self._round_label(ledger_id, rnd), rnd.due_date if rnd else None, missing)

    def _round_label(self, ledger_id: int, rnd: ReportRound | None) -> str:
        if rnd is None:
            return ""
        rounds = [r.id for r in self.progress.rounds(ledger_id)]
        return round_label(rounds.index(rnd.id) + 1 if rnd.id in rounds else None, rnd.due_date)

    def _options(self, ledger: Ledger):  # noqa: ANN202
        from desktop_app.exporters.common import ReportOptions

        if self.exports is None:
            return ReportOptions(unit=ledger.issuer)
        opts = self.exports.options(ledger, progress_by_task={})
        opts.unit = self.exports.settings.get("my_unit") or ledger.issuer or opts.unit
        return opts
