"""Import use case: parse a file into a draft (no writes), then store it in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from desktop_app.domain.model import AuditEvent, Ledger, LedgerError, ProgressEntry
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
        return _load_any()(Path(path), **kwargs)

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
