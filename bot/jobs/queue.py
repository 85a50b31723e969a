"""The platform-neutral job API: adapters enqueue a paste, workers run it, operators read the queue.

The backend follows the database: PostgreSQL hands jobs to any number of worker processes through pgqueuer;
SQLite runs them in a bounded pool inside the one process. Either way the job row is committed before
`enqueue_triage` returns, so an adapter may acknowledge the platform as soon as it has the job id.
"""

from __future__ import annotations

import logging
import signal
import threading
import uuid
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.engine import make_url

from bot.config import Settings, get_settings
from bot.database import session_factory_for
from bot.desk.api import Actor, Place
from bot.errors import StorageUnavailable
from bot.jobs.pool import SHUTDOWN_DEADLINE_S
from bot.observability.metrics import QUEUE_AGE, QUEUE_DEPTH
from bot.storage_failures import STORAGE_FAILURES, storage_failure
from storage import jobs
from storage.db import unreachable_sentence

if TYPE_CHECKING:
    from bot.jobs.reminders import ReminderLoop

log = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 4
METRICS_INTERVAL_S = 5.0
WORKERS_DOWN = "The triage workers in this process have stopped or are reconnecting to the database."


class WorkerHandle(Protocol):
    """Running triage workers in this process."""

    @property
    def alive(self) -> bool:
        """Taking jobs now (False while reconnecting to the database)."""
        ...

    @property
    def ended(self) -> bool:
        """Stopped for good: nothing will take jobs in this process again."""
        ...

    def stop(self, deadline_s: float = SHUTDOWN_DEADLINE_S) -> None:
        """Take no new jobs; wait up to `deadline_s` for running ones, then put the rest back in the queue."""
        ...


def uses_postgres(settings: Settings) -> bool:
    return make_url(settings.database_url).get_backend_name() == "postgresql"


def enqueue_triage(message: str, actor: Actor, place: Place, *, settings: Settings | None = None) -> str:
    """Record a triage job durably and return its id (call it before acknowledging the chat platform)."""
    settings = settings or get_settings()
    job_id = str(uuid.uuid4())
    fields = {
        "job_id": job_id,
        "platform": place.platform,
        "place": place.model_dump(mode="json"),
        "actor": actor.model_dump(mode="json"),
        "message": message,
    }
    try:
        if uses_postgres(settings):
            from bot.jobs import postgres

            postgres.enqueue(settings, **fields)
        else:
            from bot.jobs import local

            local.enqueue(settings, **fields)
    except STORAGE_FAILURES as exc:
        raise storage_failure(exc, _unreachable(settings)) from exc
    log.info("triage job queued", extra={"job_id": job_id, "platform": place.platform})
    return job_id


def start_workers(settings: Settings | None = None, concurrency: int | None = None) -> WorkerHandle:
    """Start triage workers in this process (threads), and the look for due reminders beside them; they run
    until `.stop()`."""
    settings = settings or get_settings()
    concurrency = concurrency or DEFAULT_CONCURRENCY
    workers: WorkerHandle
    if uses_postgres(settings):
        from bot.jobs.postgres import PostgresWorkers

        workers = PostgresWorkers(settings, concurrency)
    else:
        from bot.jobs.local import LocalWorkers

        workers = LocalWorkers(settings, concurrency)
    from bot.jobs.reminders import ReminderLoop

    return _WithReminders(workers, ReminderLoop(settings))


class _WithReminders:
    """Triage workers and this process's reminder look, stopped together."""

    def __init__(self, workers: WorkerHandle, reminders: ReminderLoop) -> None:
        self.workers = workers
        self.reminders = reminders

    @property
    def alive(self) -> bool:
        return self.workers.alive

    @property
    def ended(self) -> bool:
        return self.workers.ended

    def stop(self, deadline_s: float = SHUTDOWN_DEADLINE_S) -> None:
        self.reminders.stop()
        self.workers.stop(deadline_s)


def run_worker_forever(settings: Settings | None = None, concurrency: int | None = None) -> None:
    """`factdesk worker`: run triage workers until SIGTERM or SIGINT, then shut down gracefully."""
    settings = settings or get_settings()
    stopping = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stopping.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    handle = start_workers(settings, concurrency)
    try:
        while not stopping.wait(METRICS_INTERVAL_S):
            if handle.ended:
                raise StorageUnavailable(
                    "The triage workers stopped after a database error; see the log above."
                )
            refresh_queue_metrics(settings)
        log.info("stopping triage workers", extra={"deadline_s": SHUTDOWN_DEADLINE_S})
    finally:
        handle.stop(SHUTDOWN_DEADLINE_S)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def queue_stats(settings: Settings | None = None) -> jobs.QueueStats:
    settings = settings or get_settings()
    try:
        with session_factory_for(settings.database_url)() as session:
            return jobs.queue_stats(session)
    except STORAGE_FAILURES as exc:
        raise storage_failure(exc, _unreachable(settings)) from exc


def refresh_queue_metrics(settings: Settings | None = None) -> jobs.QueueStats | None:
    """Set the queue depth and age gauges; None (gauges untouched) when the database cannot be read."""
    try:
        stats = queue_stats(settings)
    except StorageUnavailable:
        log.warning("queue metrics unavailable: the database cannot be read")
        return None
    QUEUE_DEPTH.set(stats.queued)
    QUEUE_AGE.set(stats.oldest_queued_seconds)
    return stats


def queue_problem(settings: Settings | None = None, workers: WorkerHandle | None = None) -> str | None:
    """For readiness: None when the queue can be read (and this process's workers run), else why not."""
    try:
        queue_stats(settings)
    except StorageUnavailable as exc:
        return exc.sentence
    if workers is not None and not workers.alive:
        return WORKERS_DOWN
    return None


def _unreachable(settings: Settings) -> str:
    return unreachable_sentence(make_url(settings.database_url).render_as_string(hide_password=True))
