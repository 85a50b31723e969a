"""The fact-check archive: imported ClaimReviews and the desk's own verdicts, indexed for `factdesk match`.

Revision ID: 0004_factcheck_archive
Revises: 0003_display_lower
Create Date: 2026-12-07 16:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_factcheck_archive"
down_revision = "0003_display_lower"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "factcheck_archive",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_url", sa.String(length=2000), nullable=False),
        sa.Column("claim", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("rating", sa.String(length=200), nullable=True),
        sa.Column("publisher", sa.String(length=200), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("vector", sa.LargeBinary(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_factcheck_archive_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_factcheck_archive")),
        sa.UniqueConstraint("review_url", name=op.f("uq_factcheck_archive_review_url")),
        sa.UniqueConstraint("claim_id", name=op.f("uq_factcheck_archive_claim_id")),
    )
    op.create_index("ix_factcheck_archive_source", "factcheck_archive", ["source"], unique=False)
    op.create_index("ix_factcheck_archive_updated_at", "factcheck_archive", ["updated_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_factcheck_archive_updated_at", table_name="factcheck_archive")
    op.drop_index("ix_factcheck_archive_source", table_name="factcheck_archive")
    op.drop_table("factcheck_archive")
