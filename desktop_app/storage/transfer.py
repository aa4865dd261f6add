"""Moving a whole ledger database between engines (SQLite file <-> PostgreSQL server), row for row."""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from desktop_app.storage.tables import Base, LedgerRow

BATCH = 500


def has_ledgers(session: Session) -> bool:
    return (session.scalar(select(func.count(LedgerRow.id))) or 0) > 0


def copy_all(source: Session, target: Session) -> dict[str, int]:
    """Replace everything in target (which holds no ledger) with source's rows, ids kept, parents
    before children; part of target's transaction. Returns rows copied per table."""
    tables = Base.metadata.sorted_tables
    for table in reversed(tables):  # what the target's own opening seeded (holidays, settings)
        target.execute(delete(table))
    counts: dict[str, int] = {}
    for table in tables:
        order = list(table.primary_key.columns)
        result = source.execute(select(table).order_by(*order))
        n = 0
        while True:
            rows = result.mappings().fetchmany(BATCH)
            if not rows:
                break
            target.execute(insert(table), [dict(r) for r in rows])
            n += len(rows)
        counts[table.name] = n
    if target.get_bind().dialect.name == "postgresql":
        _reset_sequences(target)
    return counts


def _reset_sequences(session: Session) -> None:
    """Rows came with their ids: the next id the server hands out must come after them."""
    for table in Base.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or pk[0].name != "id":
            continue
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
        )
