"""migrate-db: copy a ledger database (SQLite file or server) into another, verified by its JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass

from desktop_app.domain.model import LedgerError
from desktop_app.domain.serialize import ledger_to_dict
from desktop_app.storage.database import Database
from desktop_app.storage.repository import LedgerRepository
from desktop_app.storage.transfer import copy_all, has_ledgers


@dataclass
class TransferResult:
    ledgers: int
    tasks: int
    entries: int
    rows: dict[str, int]


def ledgers_json(repo: LedgerRepository) -> dict[int, str]:
    """Each ledger's JSON export (with its journal and source file): what must come out the same."""
    out = {}
    for summary in repo.summaries():
        ledger = repo.get(summary.id, with_source=True)
        history = repo.history_for_ledger(summary.id)
        out[summary.id] = json.dumps(
            ledger_to_dict(ledger, history, include_source=True), ensure_ascii=False, sort_keys=True, default=str
        )
    return out


def transfer(source: Database, target: Database) -> TransferResult:
    """Copy every row of source into target (which must hold no ledger yet), in one transaction of
    the target: the JSON export of every ledger is compared on both sides before it commits, so a
    copy that would differ is rolled back and the target is left as it was."""
    if target.read_only:
        raise LedgerError(target.read_only_message())
    with source.session() as src, target.session() as dst:
        if has_ledgers(dst):
            raise LedgerError(
                f"目标数据库 {target.label} 里已经有台账，为免覆盖，没有复制任何内容。请指定一个新的（空的）数据库。"
            )
        rows = copy_all(src, dst)
        dst.flush()
        before, after = ledgers_json(LedgerRepository(src)), ledgers_json(LedgerRepository(dst))
        if before != after:
            differ = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
            raise LedgerError(
                f"复制后核对不一致（台账编号 {'、'.join(map(str, differ))}），已撤销，目标数据库没有改动。请把日志发给管理员。"
            )
    return TransferResult(rows.get("ledger", 0), rows.get("task", 0), rows.get("progress_entry", 0), rows)
