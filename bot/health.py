"""Readiness checks for the operator's endpoints: each answers None when fine, else one sentence saying what
is wrong. Adapters serve them over HTTP; they never open the database themselves."""

from __future__ import annotations

from collections.abc import Callable

from bot.config import Settings
from bot.database import session_factory_for
from bot.jobs.queue import WorkerHandle, queue_problem
from bot.storage_failures import STORAGE_FAILURES, storage_failure
from storage import db

Check = Callable[[], str | None]


def database_problem(settings: Settings) -> str | None:
    """Reachable, and at this code's schema revision."""
    try:
        engine = session_factory_for(settings.database_url).kw["bind"]
        db.check_schema(engine)
    except STORAGE_FAILURES as exc:
        return storage_failure(exc).sentence
    return None


def default_checks(settings: Settings, workers: WorkerHandle | None = None) -> dict[str, Check]:
    return {
        "database": lambda: database_problem(settings),
        "queue": lambda: queue_problem(settings, workers),
    }
