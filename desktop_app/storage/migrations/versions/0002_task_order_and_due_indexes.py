"""Indexes for the task table's order and due-date look-ups (large ledgers).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.create_index(
            "ix_task_ledger_position", ["ledger_id", "section_id", "position"], unique=False
        )
        batch_op.create_index("ix_task_due_date", ["due_date"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index("ix_task_due_date")
        batch_op.drop_index("ix_task_ledger_position")
