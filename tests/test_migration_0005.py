"""Migration 0005: a stored due day becomes 23:59 UTC that day (and back on downgrade), and search finds
what was stored before the upgrade — on SQLite and on a throwaway PostgreSQL database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from storage import db as storage_db
from storage.models import Claim
from storage.search import search_claim_ids

BEFORE = "0004_factcheck_archive"
ROWS = [
    "INSERT INTO workspaces (id, platform, external_id) VALUES (1, 'slack', 'T1')",
    "INSERT INTO channels (id, workspace_id, external_id) VALUES (1, 1, 'C1')",
    "INSERT INTO triage_threads (id, channel_id, words, sentences, notes, triage_status, created_by, title, "
    "created_at, updated_at) VALUES (1, 1, 0, 0, '[]', 'done', 'x', 'Ferry terminal delayed', "
    "'2026-11-01 09:00:00', '2026-11-01 09:00:00')",
    "INSERT INTO claims (id, thread_id, position, text, start_offset, end_offset, kind, checkworthiness, signals, "
    "origin, status, due_date, created_at, updated_at, version) VALUES (1, 1, 1, 'Unemployment fell to 3.1 percent', "
    "0, 32, 'statistic', 0.8, '[]', 'offline', 'assigned', '2026-12-01', '2026-11-01 09:00:00', "
    "'2026-11-01 09:00:00', 1)",
    "INSERT INTO notes (id, claim_id, author, text, created_at) VALUES (1, 1, 'slack:U1', 'asked the ONS', "
    "'2026-11-02 09:00:00')",
]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = storage_db.make_engine(f"sqlite:///{tmp_path / 'm6.db'}")
        yield engine
        engine.dispose()
        return
    base = os.environ.get("FACTDESK_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("PostgreSQL tests need FACTDESK_TEST_POSTGRES_URL")
    name = f"factdesk_m6_{uuid.uuid4().hex[:10]}"
    admin = storage_db.make_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine = storage_db.make_engine(make_url(base).set(database=name).render_as_string(hide_password=False))
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def test_due_days_become_end_of_day_timestamps_and_old_rows_are_searchable(fresh_engine: Engine) -> None:
    config = storage_db.alembic_config(engine=fresh_engine)
    command.upgrade(config, BEFORE)
    with fresh_engine.begin() as connection:
        for row in ROWS:
            connection.exec_driver_sql(row)
    command.upgrade(config, "head")
    with Session(fresh_engine) as session:
        assert session.get(Claim, 1).due_at == datetime(2026, 12, 1, 23, 59, tzinfo=UTC)
        assert search_claim_ids(session, "unemployment") == [1]
        assert search_claim_ids(session, "ONS") == [1]  # a note stored before the upgrade
        assert search_claim_ids(session, "ferry terminals") == [1]  # the article's title
    command.downgrade(config, BEFORE)
    with fresh_engine.connect() as connection:
        assert str(connection.exec_driver_sql("SELECT due_date FROM claims").scalar_one()) == "2026-12-01"
    command.upgrade(config, "head")
