"""Units directory (kind, contact, order) and the returns collected from the units.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


# Plain ALTER TABLE ADD COLUMN (no batch copy of "unit": its aliases cascade on delete).


def upgrade() -> None:
    op.add_column("unit", sa.Column("kind", sa.Text(), nullable=False, server_default="其他"))
    op.add_column("unit", sa.Column("contact", sa.Text(), nullable=False, server_default=""))
    op.add_column("unit", sa.Column("position", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "unit_return",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ledger_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("progress", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ledger_id"], ["ledger.id"], name=op.f("fk_unit_return_ledger_id_ledger"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["report_round.id"],
            name=op.f("fk_unit_return_round_id_report_round"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name=op.f("fk_unit_return_task_id_task"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_return")),
    )
    op.create_index("ix_unit_return_ledger_id", "unit_return", ["ledger_id"], unique=False)
    op.create_index("ix_unit_return_task_id", "unit_return", ["task_id"], unique=False)
    op.create_index(
        "ix_unit_return_ledger_round_unit", "unit_return", ["ledger_id", "round_id", "unit"], unique=False
    )


def downgrade() -> None:
    op.drop_table("unit_return")  # the older program has no collection: the returns are gone
    op.execute("ALTER TABLE unit DROP COLUMN position")  # SQLite 3.35+ (Python 3.11 ships 3.39+)
    op.execute("ALTER TABLE unit DROP COLUMN contact")
    op.execute("ALTER TABLE unit DROP COLUMN kind")
