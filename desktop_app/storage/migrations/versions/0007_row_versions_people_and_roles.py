"""Several staff on one ledger: a version per task, who made each change, per-ledger roles.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


# Plain ALTER TABLE ADD COLUMN (no batch copy of "task": its children cascade on delete).


def upgrade() -> None:
    # Every write of a task adds 1: an edit made on an older version is checked, never silently lost.
    op.add_column("task", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    # The audit trail is also the change counter the windows poll: who, from which program copy.
    op.add_column("audit_event", sa.Column("person", sa.Text(), nullable=False, server_default=""))
    op.add_column("audit_event", sa.Column("client", sa.String(length=32), nullable=False, server_default=""))
    op.create_table(
        "ledger_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ledger_id", sa.Integer(), nullable=False),
        sa.Column("person", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["ledger_id"], ["ledger.id"], name=op.f("fk_ledger_member_ledger_id_ledger"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_member")),
        sa.UniqueConstraint("ledger_id", "person", name="uq_ledger_member_ledger_id_person"),
    )
    op.create_index("ix_ledger_member_ledger_id", "ledger_member", ["ledger_id"], unique=False)


def downgrade() -> None:
    op.drop_table("ledger_member")  # the older program knows no roles: everyone may edit again
    op.execute("ALTER TABLE audit_event DROP COLUMN client")  # SQLite 3.35+ (Python 3.11 ships 3.39+)
    op.execute("ALTER TABLE audit_event DROP COLUMN person")
    op.execute("ALTER TABLE task DROP COLUMN version")
