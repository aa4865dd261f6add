"""Alembic driven from code: config built from the package path, no alembic.ini, no chdir.

Opening a database whose schema is current costs one query: the revision in alembic_version is
compared with the head read from the version files' `revision =` lines (a few small files, no
Alembic). Alembic itself (~130 ms of imports) is loaded only when a migration is due.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:  # pragma: no cover
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy.engine import Connection, Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION = re.compile(r"""^revision\s*(?::[^=]*)?=\s*["']([^"']+)["']""", re.M)
_DOWN = re.compile(r"""^down_revision\s*(?::[^=]*)?=\s*(?:None|["']([^"']+)["'])""", re.M)


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


@lru_cache(maxsize=1)
def _lineage() -> tuple[dict[str, str | None], str]:
    """{revision: down_revision} from the version files, and the head (the one nothing revises)."""
    downs: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        rev = _REVISION.search(source)
        if rev is None:
            continue
        down = _DOWN.search(source)
        downs[rev.group(1)] = down.group(1) if down else None
    heads = set(downs) - {d for d in downs.values() if d}
    if len(heads) != 1:  # a branch or an unusual file: let Alembic say what the head is
        head = script_directory().get_current_head()
        assert head is not None
        return downs, head
    return downs, heads.pop()


def head_revision() -> str:
    return _lineage()[1]


def known_revisions() -> set[str]:
    return set(_lineage()[0])


def current_revision(engine: Engine) -> str | None:
    """The revision stamped in the database (None: a new database, no alembic_version table)."""
    with engine.connect() as conn:
        try:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
        except DBAPIError:
            return None  # no table yet
    if len(rows) > 1:  # several heads stamped: only Alembic can say
        from alembic.runtime.migration import MigrationContext

        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    return rows[0][0] if rows else None


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), revision)
