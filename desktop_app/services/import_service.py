"""Import use case: parse a file into a draft (no writes), then store it in one transaction."""

from __future__ import annotations

import copy
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from desktop_app.domain.model import (
    AuditEvent,
    DeadlineKind,
    Ledger,
    LedgerError,
    LedgerSummary,
    ProgressEntry,
)
from desktop_app.services.common import locked_task
from desktop_app.services.ledger_service import LedgerService
from desktop_app.storage.database import Database
from desktop_app.storage.repository import LedgerRepository

log = logging.getLogger(__name__)


def _forget_ids(ledger: Ledger) -> None:
    """After a rolled-back save: the draft must not keep ids the database never committed."""
    ledger.id = None
    for section in ledger.sections:
        section.id = None
        for task in section.tasks:
            task.id = task.section_id = task.ledger_id = None


def _load_any():  # noqa: ANN202 - the importer package's entry point
    try:
        from desktop_app.importers.loader import load_any
    except ImportError:  # pragma: no cover - older layout
        from desktop_app.importers import load_any  # type: ignore[attr-defined,no-redef]
    return load_any


# The settings key of a column correction remembered for tables headed the same way.
MEMORY_PREFIX = "import.columns."
_UPDATE_FIELDS = ("key_work", "content", "indicator", "remarks", "units_text", "cooperating_text")


def header_signature(table) -> str:  # noqa: ANN001 - importers.result.TableInfo
    """The shape of a table's header: the same headers (or, without a recognised header, the same first
    row) give the same key, whatever the file is called or which year it is for."""
    labels = table.headers if table.header_rows > 0 else (table.sample[0] if table.sample else table.headers)
    text = "|".join("".join(str(x).split()) for x in labels)
    return MEMORY_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


@dataclass
class UpdateOutcome:
    ledger: Ledger
    changed: int  # tasks whose text, units or deadline the file changed
    added: int  # tasks of the file the ledger did not have
    unchanged: int

    @property
    def text(self) -> str:
        if not self.changed and not self.added:
            return f"《{self.ledger.title}》与文件内容一致，无需更新；任务的进展和状态保持不变。"
        return (
            f"已按文件更新《{self.ledger.title}》：{self.changed} 项任务的内容有变化，新增 {self.added} 项，"
            f"{self.unchanged} 项未变；任务的进展和状态保持不变。"
        )


class ImportService:
    def __init__(self, db: Database, ledgers: LedgerService) -> None:
        self.db = db
        self.ledgers = ledgers

    def inspect(
        self,
        path: Path,
        sheet: str | None = None,
        overrides: dict | None = None,
        progress: Callable[[int, int], None] | None = None,
    ):  # noqa: ANN201 - returns importers.result.ImportResult
        """Parse only: nothing is written. Safe to call off the GUI thread. Our JSON is checked
        against domain.ledger_schema there (the result carries its history)."""
        kwargs: dict = {"sheet": sheet, "progress": progress}
        if overrides:
            kwargs["overrides"] = overrides
        try:
            result = _load_any()(Path(path), **kwargs)
        except LedgerError as exc:
            # no ledger found, but its tables were mapped by hand before: read them so again
            tables = getattr(exc, "tables", None)
            if overrides or self.db is None or not tables:
                raise
            again = self._with_remembered(Path(path), None, tables)
            if again is None:
                raise
            return again
        if overrides or self.db is None:
            return result
        return self._with_remembered(Path(path), result, result.tables) or result

    # ---- corrections remembered per header shape (settings store, no schema of its own) --------
    def _settings(self):  # noqa: ANN202
        from desktop_app.services.settings_service import SettingsService

        return SettingsService(self.db)

    def _with_remembered(self, path: Path, result, tables: list):  # noqa: ANN001, ANN202
        """The file read again with the corrections remembered for its tables' header shapes, or None."""
        settings = self._settings()
        memo: dict[int, dict[int, str]] = {}
        sheet = getattr(result, "sheet", None)
        for table in tables or []:
            stored = settings.get(header_signature(table))
            if not stored:
                continue
            try:
                columns = {int(c): str(f) for c, f in json.loads(stored).items()}
            except (ValueError, TypeError, AttributeError):
                continue
            width = len(table.fields)
            columns = {c: f for c, f in columns.items() if 0 <= c < width}
            if columns and table.index not in memo:
                memo[table.index] = columns
                sheet = sheet or table.sheet
        if not memo:
            return None
        try:
            again = _load_any()(path, sheet=sheet, overrides=memo)
        except LedgerError:
            return None
        for table in again.tables:
            for c in memo.get(table.index, {}):
                if c < len(table.reasons):
                    table.reasons[c] = "沿用上次对同样表头所作的更正"
        again.warnings.insert(0, "已沿用上次对同样表头的表格所作的列更正。")
        again.remembered = memo  # type: ignore[attr-defined]
        return again

    def remember_columns(self, base, overrides: dict[int, dict[int, str]]) -> int:  # noqa: ANN001
        """Keep the user's column corrections for tables headed like those of `base` (the result read
        without corrections), so the next file of the same shape imports without questions.
        Returns the number of tables remembered."""
        if self.db is None:
            return 0
        values: dict[str, str | None] = {}
        for table in getattr(base, "tables", []) or []:
            chosen = overrides.get(table.index) or {}
            changed = {str(c): f for c, f in chosen.items() if c < len(table.fields) and table.fields[c] != f}
            if changed:
                values[header_signature(table)] = json.dumps(changed, ensure_ascii=False)
        if values:
            self._settings().update(values)
        return len(values)

    # ---- the same file again ------------------------------------------------------------------
    def find_same(self, result) -> LedgerSummary | None:  # noqa: ANN001
        """The ledger already imported from exactly this file (same bytes), if any."""
        data = getattr(result.ledger, "source_file", None)
        if not data or self.db is None:
            return None
        digest = hashlib.sha256(data).digest()
        for summary in self.ledgers.list_ledgers():
            _name, blob = self.ledgers.source_file(summary.id)
            if blob and len(blob) == len(data) and hashlib.sha256(blob).digest() == digest:
                return summary
        return None

    def update_from(self, ledger_id: int, result) -> UpdateOutcome:  # noqa: ANN001
        """Bring an imported ledger up to date with the file read again: tasks matched by number (or
        by place when numbers repeat) take the file's text, units and deadline; tasks the ledger lacks
        are added to their section; progress, status and history stay as the clerk left them.

        ONE transaction: every change and every added task is stored, or, on any failure midway,
        none of them (LedgerError saying the ledger is as it was)."""
        ledger = self.ledgers.get_ledger(ledger_id)
        old_tasks = ledger.all_tasks()
        numbers = [t.number for t in old_tasks]
        by_number = len(set(numbers)) == len(numbers) and all(numbers)
        index = {t.number: t for t in old_tasks} if by_number else {}
        sections = {(s.title or ""): s for s in ledger.sections}
        # What the file changes, worked out before anything is written.
        edits: list[tuple[int, list[tuple[str, object]]]] = []
        additions: list[tuple[int, object]] = []
        unchanged = 0
        k = 0
        for section in result.ledger.sections:
            for task in section.tasks:
                old = index.get(task.number) if by_number else (old_tasks[k] if k < len(old_tasks) else None)
                k += 1
                if old is None:
                    target = sections.get(section.title or "") or (
                        ledger.sections[-1] if ledger.sections else None
                    )
                    if target is not None and target.id is not None:
                        additions.append((target.id, task))
                    continue
                changes: list[tuple[str, object]] = [
                    (f, getattr(task, f)) for f in _UPDATE_FIELDS if getattr(old, f) != getattr(task, f)
                ]
                if old.deadline.text != task.deadline.text:
                    changes.append(("deadline_text", task.deadline.text))
                if changes:
                    edits.append((old.id, changes))  # type: ignore[arg-type]
                else:
                    unchanged += 1
        if edits or additions:
            try:
                with self.db.session() as s:
                    self._store_update(LedgerRepository(s), ledger, edits, additions)
            except LedgerError:
                raise
            except Exception as exc:  # rolled back: the ledger is as it was
                log.exception("update of ledger %s from %s failed", ledger_id, ledger.source_name)
                raise LedgerError(
                    f"更新《{ledger.title}》未完成：保存到数据库时出错，台账没有任何改动。"
                    "请重试；如仍失败，请把日志发给技术支持。"
                ) from exc
        return UpdateOutcome(self.ledgers.get_ledger(ledger_id), len(edits), len(additions), unchanged)

    def _store_update(
        self,
        repo: LedgerRepository,
        ledger: Ledger,
        edits: list[tuple[int, list[tuple[str, object]]]],
        additions: list[tuple[int, object]],
    ) -> None:
        """The writes of update_from, all in the caller's one transaction (repo's session)."""
        for task_id, changes in edits:
            task, _ = locked_task(repo, task_id)  # first: the row's (PostgreSQL) / file's (SQLite) lock
            for field, value in changes:
                # the same derivation (units, deadline) an edit in the table makes
                old, new = self.ledgers._apply(task, field, value, ledger.year)  # noqa: SLF001
                d = task.deadline
                if field == "deadline_text" and d.kind == DeadlineKind.RELATIVE and d.anchor_date is None:
                    if ledger.anchor_date is not None:  # counted from the 通知印发/收到日期
                        task.deadline = self.ledgers._resolve(replace(d, anchor_date=ledger.anchor_date))  # noqa: SLF001
                if old != new:
                    repo.save_task_change(task, "update", field, old, new, bumped=True)
        for section_id, task in additions:
            added = copy.deepcopy(task)
            added.id = None
            repo.insert_task(ledger.id, section_id, added, None)  # type: ignore[arg-type]
            repo.audit(
                AuditEvent(ledger_id=ledger.id, task_id=added.id, action="create", new_value=added.content[:200])
            )
        repo.touch(ledger.id)  # type: ignore[arg-type]

    def save(self, result, histories: list[list[list[ProgressEntry]]] | None = None) -> Ledger:  # noqa: ANN001
        """Store a parsed draft (ImportResult or Ledger) with its history in ONE transaction: the
        ledger, its sections, tasks, units, report rounds and history entries are all stored, or,
        on any failure, none of them (the draft's ids are cleared again)."""
        ledger: Ledger = result.ledger if hasattr(result, "ledger") else result
        if histories is None:
            histories = getattr(result, "histories", None)
        if not ledger.all_tasks():
            raise LedgerError("该文件中没有识别到任何任务，未导入。请检查文件内容或列的对应关系。")
        self.db.backup_before("import")  # a checked backup first (logged, never blocks the import)
        try:
            with self.db.session() as s:
                repo = LedgerRepository(s)
                repo.add(ledger)
                if histories:
                    repo.add_history(ledger, histories)
                if ledger.report_dates:
                    repo.sync_rounds(ledger.id, ledger.report_dates)  # type: ignore[arg-type]
                repo.audit(
                    AuditEvent(
                        ledger_id=ledger.id,
                        action="import",
                        new_value=f"{ledger.title}（{len(ledger.all_tasks())} 项任务）",
                    )
                )
        except LedgerError:
            _forget_ids(ledger)
            raise
        except Exception as exc:  # the transaction was rolled back: nothing of this import is stored
            _forget_ids(ledger)
            log.exception("import of %s could not be stored", ledger.source_name or ledger.title)
            raise LedgerError(
                "导入未完成：保存到数据库时出错，数据库没有任何改动。请重试；如仍失败，请把日志发给技术支持。"
            ) from exc
        return ledger

    def import_file(self, path: Path, sheet: str | None = None, on_result: Callable | None = None) -> Ledger:
        """Parse and store. `on_result` receives the ImportResult (its `changes`: the tasks of our own
        report edited in Word/Excel) before it is stored."""
        path = Path(path)
        result = self.inspect(path, sheet=sheet)
        if on_result is not None:
            on_result(result)
        # our own report: the history of the tasks found again in its table (shaped like the ledger)
        return self.save(result, getattr(result, "histories", None))
