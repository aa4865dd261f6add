"""Ledger ident: the stable id every exported file carries, so the city office knows a return's ledger.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ledger", sa.Column("ident", sa.Text(), nullable=False, server_default=""))
    conn = op.get_bind()
    ledger = sa.table("ledger", sa.column("id", sa.Integer()), sa.column("ident", sa.Text()))
    for (ledger_id,) in conn.execute(sa.select(ledger.c.id)).all():  # every existing ledger its own id
        conn.execute(sa.update(ledger).where(ledger.c.id == ledger_id).values(ident=uuid.uuid4().hex))


def downgrade() -> None:
    # plain ALTER TABLE DROP COLUMN: a batch copy of "ledger" would cascade-delete its tasks
    op.drop_column("ledger", "ident")
