"""The bot's door to storage: one session factory per database URL, with schema policy and
storage failures turned into sentences a user or operator can act on."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import lru_cache

from sqlalchemy import inspect
from sqlalchemy.orm import Session, sessionmaker

from bot.config import get_settings
from bot.storage_failures import STORAGE_FAILURES, storage_failure
from storage import db
from storage import llm as llm_store

log = logging.getLogger(__name__)

# Threads sharing a TriageService open the database together on their first paste; one migrates at a time.
_opening = threading.Lock()


def _is_empty(engine) -> bool:
    try:
        return not inspect(engine).get_table_names()
    except STORAGE_FAILURES as exc:
        url = engine.url.render_as_string(hide_password=True)
        raise storage_failure(exc, db.unreachable_sentence(url)) from exc


@lru_cache(maxsize=8)
def session_factory_for(url: str, auto_migrate: bool | None = None) -> sessionmaker[Session]:
    """A brand-new empty database gets the schema at once (nothing to lose); an existing one at an older
    revision is refused unless FACTDESK_AUTO_MIGRATE=1, so an operator migrates deliberately."""
    migrate = get_settings().auto_migrate if auto_migrate is None else auto_migrate
    with _opening:
        try:
            engine = db.make_engine(url)
            if migrate or _is_empty(engine):
                db.upgrade(engine=engine)
            db.check_schema(engine)
            return db.make_session_factory(engine)
        except STORAGE_FAILURES as exc:
            raise storage_failure(exc) from exc


def upgrade_schema(url: str) -> str:
    try:
        engine = db.make_engine(url)
        before = db.current_revision(engine)
        db.upgrade(engine=engine)
        after = db.current_revision(engine)
    except STORAGE_FAILURES as exc:
        raise storage_failure(exc) from exc
    if before == after:
        return f"The database schema is already current (revision {after})."
    return f"Database schema upgraded from {before or 'empty'} to {after}."


class SqlLLMCache:
    """The LLM extractor's cache, kept in the database so every process shares it.

    The cache only saves model calls: with the database down it misses and forgets instead of failing the
    triage, so a paste still gets its card."""

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._session_factory = session_factory

    def get(self, key: str) -> str | None:
        try:
            with self._session_factory() as session:
                return llm_store.cache_get(session, key)
        except STORAGE_FAILURES as exc:
            log.warning("llm cache unreadable, asking the model: %s", type(exc).__name__)
            return None

    def put(self, key: str, value: str) -> None:
        try:
            with self._session_factory() as session, session.begin():
                llm_store.cache_put(session, key, value)
        except STORAGE_FAILURES as exc:
            log.warning("llm cache unwritable, answer not kept: %s", type(exc).__name__)
