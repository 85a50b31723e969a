"""Engines, sessions and schema versions: SQLite (a file, the default) and PostgreSQL (production).

The app checks the Alembic revision at start and refuses an out-of-date schema with one sentence.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

import storage.audit  # noqa: F401  (registers the audit guard on every Session)
from storage.errors import DatabaseUnreachable, SchemaOutOfDate
from storage.masking import mask_url_credentials

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# PostgreSQL advisory-lock key that serialises schema upgrades across processes and hosts ("factdesk").
MIGRATION_LOCK = 0x66616374_6465736B


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with sane defaults per backend; SQLite gets real transactions, savepoints and a busy timeout."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
        # The URL is not echoed: an unparsable one cannot be masked and may hold a password.
        raise DatabaseUnreachable(
            "The database URL is not a valid SQLAlchemy URL; write it like sqlite:///factdesk.db "
            "or postgresql+psycopg://user@host/dbname."
        ) from exc
    try:
        if parsed.get_backend_name() == "sqlite":
            engine = create_engine(parsed, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
            _make_sqlite_transactional(engine, in_memory=parsed.database in (None, "", ":memory:"))
            return engine
        kwargs.setdefault("pool_pre_ping", True)
        if parsed.get_backend_name() == "postgresql":
            kwargs.setdefault("connect_args", {"connect_timeout": 5})
        return create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ImportError) as exc:
        raise DatabaseUnreachable(f"No database driver is installed for {parsed.drivername!r}.") from exc


def _make_sqlite_transactional(engine: Engine, *, in_memory: bool) -> None:
    """pysqlite's own transaction handling breaks savepoints and lets two writers deadlock; take it over.

    Every transaction starts with BEGIN IMMEDIATE, so writers queue on the busy timeout instead of failing.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def alembic_config(url: str | None = None, engine: Engine | None = None) -> Config:
    """Alembic configured in code, so `factdesk db upgrade` works from an installed package with no ini file."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = url
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the package ships at least one migration"
    return head


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except DBAPIError as exc:
        raise DatabaseUnreachable(
            unreachable_sentence(engine.url.render_as_string(hide_password=True))
        ) from exc


def upgrade(url: str | None = None, *, engine: Engine | None = None, revision: str = "head") -> None:
    """Bring the schema to `revision` (the newest by default); safe to run again."""
    if engine is None:
        if url is None:
            raise ValueError("upgrade() needs a URL or an engine")
        engine = make_engine(url)
    try:
        with _migration_lock(engine):
            command.upgrade(alembic_config(engine=engine), revision)
    except DBAPIError as exc:
        if exc.connection_invalidated or isinstance(exc.orig, ConnectionError):
            raise DatabaseUnreachable(
                unreachable_sentence(engine.url.render_as_string(hide_password=True))
            ) from exc
        detail = str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__
        raise SchemaOutOfDate(
            f"Upgrading the database schema failed ({detail}); check the database and retry."
        ) from exc


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """On PostgreSQL, one upgrade at a time: many processes opening a new empty database at once would
    each create the same tables. The others wait here, then find the schema current and do nothing."""
    if engine.dialect.name != "postgresql":
        yield  # SQLite takes a write lock per transaction (BEGIN IMMEDIATE); it needs nothing more
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
            connection.commit()


def check_schema(engine: Engine) -> None:
    """Raise `SchemaOutOfDate` (or `DatabaseUnreachable`) unless the database is at this code's head revision."""
    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    if current is None:
        raise SchemaOutOfDate("The database has no factdesk schema yet; run `factdesk db upgrade` first.")
    raise SchemaOutOfDate(
        f"The database schema is at revision {current} but this factdesk needs {head}; run `factdesk db upgrade`."
    )


def open_database(url: str, *, auto_migrate: bool = False) -> sessionmaker[Session]:
    """A session factory for a database whose schema is current (migrating first when asked to)."""
    engine = make_engine(url)
    if auto_migrate:
        upgrade(engine=engine)
    check_schema(engine)
    return make_session_factory(engine)


def unreachable_sentence(url: str) -> str:
    """The sentence for a database that cannot be reached, its URL shown without credentials."""
    return (
        f"The database at {mask_url_credentials(url)} cannot be reached right now; "
        "check that it is running and try again."
    )
