"""Triage jobs, and on PostgreSQL the pgqueuer queue that hands them to worker processes.

The pgqueuer tables, enum, trigger and function are rendered by the pinned pgqueuer itself (its own install
DDL), so `factdesk db upgrade` is the only setup step. A later pgqueuer with schema changes needs a new
revision that runs `Queries.apply_upgrade()`.

Revision ID: 0002_jobs
Revises: 0001
Create Date: 2026-11-25 21:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_jobs"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "triage_jobs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("place", sa.JSON(), nullable=False),
        sa.Column("actor", sa.JSON(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease", sa.String(length=36), nullable=True),
        sa.Column("worker", sa.String(length=128), nullable=True),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_purged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["triage_threads.id"],
            name=op.f("fk_triage_jobs_thread_id_triage_threads"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_triage_jobs")),
    )
    op.create_index("ix_triage_jobs_state_created_at", "triage_jobs", ["state", "created_at"], unique=False)
    op.create_index("ix_triage_jobs_finished_at", "triage_jobs", ["finished_at"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        from pgqueuer.adapters.persistence.qb import QueryBuilderEnvironment

        op.get_bind().exec_driver_sql(QueryBuilderEnvironment().build_install_query(create_schema=False))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        from pgqueuer.adapters.persistence.qb import QueryBuilderEnvironment

        op.get_bind().exec_driver_sql(QueryBuilderEnvironment().build_uninstall_query())
    op.drop_index("ix_triage_jobs_finished_at", table_name="triage_jobs")
    op.drop_index("ix_triage_jobs_state_created_at", table_name="triage_jobs")
    op.drop_table("triage_jobs")
