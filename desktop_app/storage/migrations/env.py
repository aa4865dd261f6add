"""Alembic environment: the connection is handed in by desktop_app.storage.migrate."""

from __future__ import annotations

from alembic import context

from desktop_app.storage.tables import Base

config = context.config
target_metadata = Base.metadata

connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only for developers running alembic by hand
    from sqlalchemy import create_engine

    url = config.get_main_option("sqlalchemy.url") or "sqlite:///dev.sqlite3"
    connection = create_engine(url).connect()

context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things in place
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
