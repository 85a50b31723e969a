"""Reminders: one row per nudge or digest a worker has taken on, unique so that many workers send it once.

Revision ID: 0006_sent_reminders
Revises: 0005_desk_across_days
Create Date: 2026-12-07 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_sent_reminders"
down_revision = "0005_desk_across_days"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sent_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("worker", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_reminders")),
        sa.UniqueConstraint("kind", "subject", "due_at", name=op.f("uq_sent_reminders_kind_subject_due_at")),
    )


def downgrade() -> None:
    op.drop_table("sent_reminders")
