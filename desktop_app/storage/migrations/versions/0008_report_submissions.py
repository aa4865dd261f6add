"""Report submissions archived one by one (报送存档): every file sent for a round keeps its frozen copy,
and a round's 已报送 mark can be taken back without losing what was sent. The ledger's anchor date
(通知印发/收到日期) from which its relative deadlines (收到通知后3个工作日内 …) count. The SHA-256 of
each stored evidence file (佐证材料), checked when the evidence package is written.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ledger", sa.Column("anchor_date", sa.Date(), nullable=True))
    op.add_column("attachment", sa.Column("sha256", sa.String(length=64), nullable=True))
    op.create_table(
        "report_submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ledger_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False, server_default=""),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ledger_id"], ["ledger.id"], name=op.f("fk_report_submission_ledger_id_ledger"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["report_round.id"],
            name=op.f("fk_report_submission_round_id_report_round"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_submission")),
    )
    op.create_index("ix_report_submission_ledger_id", "report_submission", ["ledger_id"], unique=False)
    # what the older program archived (one snapshot per submitted round) becomes the first submission
    op.execute(
        "INSERT INTO report_submission (ledger_id, round_id, submitted_at, file_name, public, snapshot) "
        "SELECT ledger_id, id, submitted_at, COALESCE(file_name, ''), "
        "(snapshot LIKE '%\"public\": true%'), snapshot "
        "FROM report_round WHERE submitted_at IS NOT NULL AND snapshot IS NOT NULL"
    )


def downgrade() -> None:
    # the older program keeps one snapshot per round (report_round.snapshot, still written): only the
    # earlier submissions of a round sent twice are lost
    op.drop_table("report_submission")
    # plain DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch copy of "ledger" would cascade to its tasks;
    # the tasks keep their own anchors and due dates
    op.execute("ALTER TABLE ledger DROP COLUMN anchor_date")
    op.execute("ALTER TABLE attachment DROP COLUMN sha256")
