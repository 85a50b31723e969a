"""The desk across days: a claim is due at a moment (`due fri 5pm`), not only on a day.

`claims.due_date` (a date) becomes `claims.due_at` (a UTC timestamp); a stored day becomes 23:59 UTC that
day, so what was overdue stays overdue and nothing new is. The two indexes over the column are rebuilt,
and open claims get an index in score order for `list sort score`.

Search (`storage.search`): on PostgreSQL, GIN indexes over `to_tsvector('english', …)` of claim texts,
note texts and article titles; on SQLite, an FTS5 table `desk_search` filled now and kept by triggers.

Revision ID: 0005_desk_across_days
Revises: 0004_factcheck_archive
Create Date: 2026-12-07 17:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_desk_across_days"
down_revision = "0004_factcheck_archive"
branch_labels = None
depends_on = None

OPEN = "status IN ('new', 'assigned', 'in_progress', 'needs_review')"

SEARCH_INDEXES = (
    ("ix_search_claims_text", "claims", "to_tsvector('english', text)"),
    ("ix_search_notes_text", "notes", "to_tsvector('english', text)"),
    ("ix_search_threads_title", "triage_threads", "to_tsvector('english', coalesce(title, ''))"),
)
_ADD = "INSERT INTO desk_search (body, claim_id, thread_id, source) VALUES"
SQLITE_TRIGGERS = {
    "desk_search_claim_added": f"AFTER INSERT ON claims BEGIN {_ADD} (new.text, new.id, new.thread_id, 'claim'); END",
    "desk_search_claim_edited": "AFTER UPDATE OF text ON claims BEGIN "
    "DELETE FROM desk_search WHERE source = 'claim' AND claim_id = old.id; "
    f"{_ADD} (new.text, new.id, new.thread_id, 'claim'); END",
    "desk_search_claim_deleted": "AFTER DELETE ON claims BEGIN "
    "DELETE FROM desk_search WHERE source IN ('claim', 'note') AND claim_id = old.id; END",
    "desk_search_note_added": f"AFTER INSERT ON notes BEGIN {_ADD} "
    "(new.text, new.claim_id, (SELECT thread_id FROM claims WHERE id = new.claim_id), 'note'); END",
    "desk_search_title_added": f"AFTER INSERT ON triage_threads WHEN new.title IS NOT NULL BEGIN {_ADD} "
    "(new.title, NULL, new.id, 'title'); END",
    "desk_search_title_edited": "AFTER UPDATE OF title ON triage_threads BEGIN "
    "DELETE FROM desk_search WHERE source = 'title' AND thread_id = old.id; "
    f"{_ADD} (coalesce(new.title, ''), NULL, new.id, 'title'); END",
    "desk_search_thread_deleted": "AFTER DELETE ON triage_threads BEGIN "
    "DELETE FROM desk_search WHERE thread_id = old.id; END",
}


def _due_indexes(column: str) -> None:
    for name, columns in (
        ("ix_claims_open_assignee", ["assignee", column]),
        ("ix_claims_open_due", [column]),
    ):
        op.create_index(name, "claims", columns, postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))


def _drop_due_indexes() -> None:
    op.drop_index("ix_claims_open_assignee", table_name="claims")
    op.drop_index("ix_claims_open_due", table_name="claims")


def _drop_column(name: str) -> None:
    """SQLite (3.35+) drops a column in place; batch mode would rebuild the table and its partial indexes."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE claims DROP COLUMN {name}")
    else:
        op.drop_column("claims", name)


def upgrade() -> None:
    _drop_due_indexes()
    op.add_column("claims", sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE claims SET due_at = (due_date + time '23:59') AT TIME ZONE 'UTC'")
    else:  # SQLite keeps datetimes as ISO text, the format SQLAlchemy reads back
        op.execute("UPDATE claims SET due_at = due_date || ' 23:59:00.000000' WHERE due_date IS NOT NULL")
    _drop_column("due_date")
    _due_indexes("due_at")
    op.create_index(
        "ix_claims_open_score",
        "claims",
        [sa.text("checkworthiness DESC"), "id"],
        postgresql_where=sa.text(OPEN),
        sqlite_where=sa.text(OPEN),
    )
    if op.get_bind().dialect.name == "postgresql":
        for name, table, expression in SEARCH_INDEXES:
            op.create_index(name, table, [sa.text(expression)], postgresql_using="gin")
    else:
        _sqlite_search()


def _sqlite_search() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE desk_search USING fts5("
        "body, claim_id UNINDEXED, thread_id UNINDEXED, source UNINDEXED, tokenize='porter unicode61')"
    )
    op.execute(
        "INSERT INTO desk_search (body, claim_id, thread_id, source) "
        "SELECT text, id, thread_id, 'claim' FROM claims"
    )
    op.execute(
        "INSERT INTO desk_search (body, claim_id, thread_id, source) "
        "SELECT n.text, n.claim_id, c.thread_id, 'note' FROM notes n JOIN claims c ON c.id = n.claim_id"
    )
    op.execute(
        "INSERT INTO desk_search (body, claim_id, thread_id, source) "
        "SELECT title, NULL, id, 'title' FROM triage_threads WHERE title IS NOT NULL"
    )
    for name, statement in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {statement}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, table, _ in SEARCH_INDEXES:
            op.drop_index(name, table_name=table)
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS desk_search")
    op.drop_index("ix_claims_open_score", table_name="claims")
    _drop_due_indexes()
    op.add_column("claims", sa.Column("due_date", sa.Date(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE claims SET due_date = (due_at AT TIME ZONE 'UTC')::date")
    else:
        op.execute("UPDATE claims SET due_date = substr(due_at, 1, 10) WHERE due_at IS NOT NULL")
    _drop_column("due_at")
    _due_indexes("due_date")
