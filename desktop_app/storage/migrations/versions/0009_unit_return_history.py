"""历次报送: a unit's return that a newer one of the same round replaced is kept (unit_return_history).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit_return_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ledger_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False, server_default=""),
        sa.Column("received_at", sa.DateTime(), nullable=True),
        sa.Column("replaced_at", sa.DateTime(), nullable=False),
        sa.Column("replaced_by", sa.Text(), nullable=False, server_default=""),
        sa.Column("changes", sa.Text(), nullable=False, server_default=""),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ledger_id"], ["ledger.id"], name=op.f("fk_unit_return_history_ledger_id_ledger"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["report_round.id"],
            name=op.f("fk_unit_return_history_round_id_report_round"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_return_history")),
    )
    op.create_index("ix_unit_return_history_ledger_id", "unit_return_history", ["ledger_id"], unique=False)
    op.create_index(
        "ix_unit_return_history_ledger_round_unit",
        "unit_return_history",
        ["ledger_id", "round_id", "unit"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("unit_return_history")  # the older program keeps only the latest return of a unit
