"""Recycle bin (soft delete of tasks and sections) and progress drafts that could not be saved.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, never a batch copy of the table: a batch drops and re-creates "section" and
# "task", and with foreign keys on, dropping them would cascade-delete every task and its history.


def upgrade() -> None:
    op.add_column("task", sa.Column("deleted_at", sa.DateTime(), nullable=True))
    op.create_index("ix_task_deleted_at", "task", ["deleted_at"], unique=False)
    op.add_column("section", sa.Column("deleted_at", sa.DateTime(), nullable=True))
    op.create_table(
        "progress_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("ledger_id", sa.Integer(), nullable=True),
        sa.Column("task_label", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_draft")),
    )


def downgrade() -> None:
    op.drop_table("progress_draft")
    # what sat in the recycle bin is gone after a downgrade: the older program has no bin
    op.execute("DELETE FROM task WHERE deleted_at IS NOT NULL")
    op.execute("DELETE FROM section WHERE deleted_at IS NOT NULL")
    op.drop_index("ix_task_deleted_at", table_name="task")
    op.execute("ALTER TABLE section DROP COLUMN deleted_at")  # SQLite 3.35+ (Python 3.11 ships 3.39+)
    op.execute("ALTER TABLE task DROP COLUMN deleted_at")
