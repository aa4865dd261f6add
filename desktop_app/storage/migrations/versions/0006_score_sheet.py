"""Score sheet: the office's rule per year and the deductions per unit per round (issue 14).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "score_rule",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("late_return", sa.Float(), nullable=False),
        sa.Column("missing_return", sa.Float(), nullable=False),
        sa.Column("overdue_task", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_score_rule")),
    )
    op.create_table(
        "score_deduction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ledger_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ledger_id"], ["ledger.id"], name=op.f("fk_score_deduction_ledger_id_ledger"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["report_round.id"],
            name=op.f("fk_score_deduction_round_id_report_round"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name=op.f("fk_score_deduction_task_id_task"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_deduction")),
    )
    op.create_index("ix_score_deduction_ledger_id", "score_deduction", ["ledger_id"], unique=False)
    op.create_index("ix_score_deduction_year", "score_deduction", ["year"], unique=False)


def downgrade() -> None:
    op.drop_table("score_deduction")  # the older program keeps no score sheet
    op.drop_table("score_rule")
