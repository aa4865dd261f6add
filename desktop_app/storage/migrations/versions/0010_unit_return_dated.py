"""The file's own date on a unit's return (unit_return.dated): a return dated before the one already
collected for the unit and round does not replace it, whatever order the files are collected in.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("unit_return", sa.Column("dated", sa.DateTime(), nullable=True))  # unknown for old returns


def downgrade() -> None:
    # a plain DROP COLUMN (SQLite >= 3.35, PostgreSQL): a batch copy of the table is not needed
    op.execute("ALTER TABLE unit_return DROP COLUMN dated")
