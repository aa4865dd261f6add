"""Import use case: parse a file into a draft (no writes), then store it in one transaction."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from desktop_app.domain.model import Ledger, LedgerError, ProgressEntry
from desktop_app.domain.serialize import ledger_from_dict
from desktop_app.services.ledger_service import LedgerService
from desktop_app.storage.database import Database
from desktop_app.storage.repository import LedgerRepository

MAX_JSON_BYTES = 100 * 1024 * 1024


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
        """Parse only: nothing is written. Safe to call off the GUI thread."""
        path = Path(path)
        if path.suffix.lower() == ".json":
            ledger, _ = self._read_json(path)
            from desktop_app.importers.result import ImportResult

            return ImportResult(ledger=ledger, source_kind="json")
        kwargs: dict = {"sheet": sheet, "progress": progress}
        if overrides:
            kwargs["overrides"] = overrides
        return _load_any()(path, **kwargs)

    def _read_json(self, path: Path) -> tuple[Ledger, list[list[list[ProgressEntry]]]]:
        try:
            if path.stat().st_size > MAX_JSON_BYTES:
                raise LedgerError(f"《{path.name}》太大（超过 100 MB），不像是台账文件。请检查后再导入。")
            data = json.loads(path.read_text(encoding="utf-8-sig"))
            return ledger_from_dict(data)
        except LedgerError:
            raise
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            raise LedgerError(
                f"无法读取《{path.name}》：不是本程序导出的台账 JSON 文件或文件已损坏。请重新导出后再导入。"
            ) from exc

    def save(self, result, histories: list[list[list[ProgressEntry]]] | None = None) -> Ledger:  # noqa: ANN001
        """Store a parsed draft (ImportResult or Ledger) with its history; all or nothing."""
        ledger: Ledger = result.ledger if hasattr(result, "ledger") else result
        if not ledger.all_tasks():
            raise LedgerError("该文件中没有识别到任何任务，未导入。请检查文件内容或列的对应关系。")
        self.db.backup_before("import")  # a checked backup first (logged, never blocks the import)
        self.ledgers.add_ledger(ledger, action="import")
        if histories:
            with self.db.session() as s:
                repo = LedgerRepository(s)
                for sec, sec_hist in zip(ledger.sections, histories, strict=False):
                    for task, entries in zip(sec.tasks, sec_hist, strict=False):
                        for e in entries:
                            e.task_id = task.id
                            repo.add_entry(e)
        return ledger

    def import_file(self, path: Path, sheet: str | None = None, on_result: Callable | None = None) -> Ledger:
        """Parse and store. `on_result` receives the ImportResult (its `changes`: the tasks of our own
        report edited in Word/Excel) before it is stored."""
        path = Path(path)
        if path.suffix.lower() == ".json":
            ledger, histories = self._read_json(path)
            return self.save(ledger, histories)
        result = self.inspect(path, sheet=sheet)
        if on_result is not None:
            on_result(result)
        # our own report: the history of the tasks found again in its table (shaped like the ledger)
        return self.save(result, getattr(result, "histories", None))
