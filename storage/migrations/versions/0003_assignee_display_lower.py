"""Index open claims by lower(assignee_display): `list @leo` compares display names case-insensitively,
which the plain column index could not serve.

Revision ID: 0003_display_lower
Revises: 0002_jobs
Create Date: 2026-11-25 22:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_display_lower"
down_revision = "0002_jobs"
branch_labels = None
depends_on = None

OPEN = "status IN ('new', 'assigned', 'in_progress', 'needs_review')"


def upgrade() -> None:
    op.drop_index("ix_claims_open_assignee_display", table_name="claims")
    op.create_index(
        "ix_claims_open_assignee_display_lower",
        "claims",
        [sa.text("lower(assignee_display)")],
        unique=False,
        postgresql_where=sa.text(OPEN),
        sqlite_where=sa.text(OPEN),
    )


def downgrade() -> None:
    op.drop_index("ix_claims_open_assignee_display_lower", table_name="claims")
    op.create_index(
        "ix_claims_open_assignee_display",
        "claims",
        ["assignee_display"],
        unique=False,
        postgresql_where=sa.text(OPEN),
        sqlite_where=sa.text(OPEN),
    )
