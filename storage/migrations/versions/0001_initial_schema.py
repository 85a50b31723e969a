"""Initial schema: workspaces, channels, triage threads and their findings, claims, notes, events, dedupe and LLM cache.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 20:50:30.946399
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "llm_cache",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=512), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_llm_cache")),
        sa.UniqueConstraint("key", name=op.f("uq_llm_cache_key")),
    )
    op.create_table(
        "processed_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_processed_events")),
        sa.UniqueConstraint("platform", "event_id", name=op.f("uq_processed_events_platform_event_id")),
    )
    op.create_index("ix_processed_events_created_at", "processed_events", ["created_at"], unique=False)

    op.create_table(
        "workspaces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspaces")),
        sa.UniqueConstraint("platform", "external_id", name=op.f("uq_workspaces_platform_external_id")),
    )
    op.create_table(
        "channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_channels_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channels")),
        sa.UniqueConstraint("workspace_id", "external_id", name=op.f("uq_channels_workspace_id_external_id")),
    )
    op.create_table(
        "triage_threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("thread_external", sa.String(length=64), nullable=True),
        sa.Column("source_message", sa.String(length=64), nullable=True),
        sa.Column("card_message", sa.String(length=64), nullable=True),
        sa.Column("article_url", sa.Text(), nullable=True),
        sa.Column("canonical_url", sa.String(length=2000), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("article_text", sa.Text(), nullable=True),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("byline", sa.Text(), nullable=True),
        sa.Column("published", sa.String(length=64), nullable=True),
        sa.Column("site", sa.String(length=200), nullable=True),
        sa.Column("extractor_name", sa.String(length=64), nullable=True),
        sa.Column("extractor_version", sa.String(length=32), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("sentences", sa.Integer(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("triage_status", sa.String(length=16), nullable=False),
        sa.Column("triage_error", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("created_by_display", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text_purged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_triage_threads_channel_id_channels")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_triage_threads")),
        sa.UniqueConstraint("sha256", name=op.f("uq_triage_threads_sha256")),
    )
    op.create_index("ix_triage_threads_canonical_url", "triage_threads", ["canonical_url"], unique=False)
    op.create_index("ix_triage_threads_channel_id", "triage_threads", ["channel_id", "id"], unique=False)
    op.create_index("ix_triage_threads_created_at", "triage_threads", ["created_at"], unique=False)
    op.create_index(
        "ix_triage_threads_triage_status", "triage_threads", ["triage_status", "updated_at"], unique=False
    )

    op.create_table(
        "attributions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("strength", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("country", sa.String(length=64), nullable=True),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["triage_threads.id"],
            name=op.f("fk_attributions_thread_id_triage_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attributions")),
    )
    op.create_index("ix_attributions_thread_id", "attributions", ["thread_id"], unique=False)

    op.create_table(
        "llm_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("model", sa.String(length=128), nullable=False),
        sa.Column("tokens_in", sa.Integer(), nullable=False),
        sa.Column("tokens_out", sa.Integer(), nullable=False),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["triage_threads.id"],
            name=op.f("fk_llm_calls_thread_id_triage_threads"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_llm_calls")),
    )
    op.create_index("ix_llm_calls_created_at", "llm_calls", ["created_at"], unique=False)

    op.create_table(
        "name_issues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("found", sa.Text(), nullable=False),
        sa.Column("suggestion", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["triage_threads.id"],
            name=op.f("fk_name_issues_thread_id_triage_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_name_issues")),
    )
    op.create_index("ix_name_issues_thread_id", "name_issues", ["thread_id"], unique=False)

    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("checkworthiness", sa.Float(), nullable=False),
        sa.Column("speaker", sa.Text(), nullable=True),
        sa.Column("attribution_id", sa.Integer(), nullable=True),
        sa.Column("signals", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("verdict", sa.String(length=32), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("dismiss_reason", sa.Text(), nullable=True),
        sa.Column("assignee", sa.String(length=128), nullable=True),
        sa.Column("assignee_display", sa.String(length=200), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verdict_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seconds_to_verdict", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attribution_id"],
            ["attributions.id"],
            name=op.f("fk_claims_attribution_id_attributions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["triage_threads.id"],
            name=op.f("fk_claims_thread_id_triage_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
    )
    op.create_index(
        "ix_claims_done_verdict_at",
        "claims",
        ["verdict_at", "assignee", "assignee_display", "seconds_to_verdict"],
        unique=False,
        postgresql_where=sa.text("status = 'done'"),
        sqlite_where=sa.text("status = 'done'"),
    )
    op.create_index(
        "ix_claims_open_assignee",
        "claims",
        ["assignee", "due_date"],
        unique=False,
        postgresql_where=sa.text("status IN ('new', 'assigned', 'in_progress', 'needs_review')"),
        sqlite_where=sa.text("status IN ('new', 'assigned', 'in_progress', 'needs_review')"),
    )
    op.create_index(
        "ix_claims_open_assignee_display",
        "claims",
        ["assignee_display"],
        unique=False,
        postgresql_where=sa.text("status IN ('new', 'assigned', 'in_progress', 'needs_review')"),
        sqlite_where=sa.text("status IN ('new', 'assigned', 'in_progress', 'needs_review')"),
    )
    op.create_index(
        "ix_claims_open_due",
        "claims",
        ["due_date"],
        unique=False,
        postgresql_where=sa.text("status IN ('new', 'assigned', 'in_progress', 'needs_review')"),
        sqlite_where=sa.text("status IN ('new', 'assigned', 'in_progress', 'needs_review')"),
    )
    op.create_index("ix_claims_thread_id", "claims", ["thread_id", "position"], unique=False)
    op.create_index(
        "ix_claims_open",
        "claims",
        [sa.text("thread_id DESC"), "position"],
        unique=False,
        postgresql_where=sa.text("status IN ('new', 'assigned', 'in_progress', 'needs_review')"),
        sqlite_where=sa.text("status IN ('new', 'assigned', 'in_progress', 'needs_review')"),
    )

    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("actor_display", sa.String(length=200), nullable=True),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_events_claim_id_claims"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["triage_threads.id"],
            name=op.f("fk_events_thread_id_triage_threads"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_index("ix_events_claim_id", "events", ["claim_id", "id"], unique=False)
    op.create_index("ix_events_created_at", "events", ["created_at"], unique=False)
    op.create_index("ix_events_thread_id", "events", ["thread_id", "id"], unique=False)

    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=128), nullable=False),
        sa.Column("author_display", sa.String(length=200), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_notes_claim_id_claims"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    op.create_index("ix_notes_claim_id", "notes", ["claim_id"], unique=False)


def downgrade() -> None:
    for table in (
        "notes",
        "events",
        "claims",
        "name_issues",
        "llm_calls",
        "attributions",
        "triage_threads",
        "channels",
        "workspaces",
        "processed_events",
        "llm_cache",
    ):
        op.drop_table(table)
