"""Alembic environment: runs with an engine or URL handed over by `storage.db.alembic_config`."""

from __future__ import annotations

from alembic import context

import storage.jobs  # noqa: F401  (registers triage_jobs on the metadata)
from storage.db import make_engine
from storage.models import Base
from storage.search import SEARCH_OBJECTS

config = context.config
target_metadata = Base.metadata


def _queue_library_tables() -> set[str]:
    """pgqueuer's own tables (PostgreSQL only) are installed by a migration but have no models here."""
    from pgqueuer.adapters.persistence.qb import QueryBuilderEnvironment

    names = QueryBuilderEnvironment().settings
    return {names.queue_table, names.queue_table_log, names.statistics_table, names.schedules_table}


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    if name and name.startswith(SEARCH_OBJECTS):  # full-text search objects exist only in migrations
        return False
    return not (type_ == "table" and name in _queue_library_tables())


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or make_engine(config.attributes["url"])
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


def run_migrations_offline() -> None:
    context.configure(url=config.attributes["url"], target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
