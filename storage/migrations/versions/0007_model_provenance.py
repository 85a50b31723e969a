"""Where each card field came from survives storage: a claim's `field_origins` (fields the model set on a
finding of the offline extractor) and the model's reading (`model_view`: confirmed or questioned) of each
rule attribution and gazetteer name. Rows stored before keep empty origins and no reading.

Revision ID: 0007_model_provenance
Revises: 0006_sent_reminders
Create Date: 2026-12-07 19:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_model_provenance"
down_revision = "0006_sent_reminders"
branch_labels = None
depends_on = None

VIEWS = ("attributions", "name_issues")


def upgrade() -> None:
    op.add_column("claims", sa.Column("field_origins", sa.JSON(), nullable=False, server_default="{}"))
    for table in VIEWS:
        op.add_column(table, sa.Column("model_view", sa.String(16), nullable=True))


def downgrade() -> None:
    # SQLite (3.35+) drops a column in place; batch mode would rebuild the tables and their partial indexes.
    for table, column in (("claims", "field_origins"), *((t, "model_view") for t in VIEWS)):
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        else:
            op.drop_column(table, column)
