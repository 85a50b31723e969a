"""PostgreSQL backend: triage jobs shared by any number of worker processes, through pgqueuer.

Why pgqueuer rather than procrastinate: a picked job carries a heartbeat, and a job whose heartbeat is older
than `heartbeat_timeout` is picked again by any worker; that is exactly "a process killed mid-job is retried
by another within a configurable timeout" (FACTDESK_JOB_TIMEOUT), built in. Procrastinate (3.x) records
worker heartbeats but leaves retrying stalled jobs to a periodic task the application writes itself. pgqueuer
also wakes workers with LISTEN/NOTIFY and can enqueue from synchronous code on a psycopg 3 connection we
hand it, which lets the job row and its queue entry commit in one transaction: there is never a job row
without a queue entry, or the reverse.

Workers dequeue over asyncpg: pgqueuer's psycopg driver shares one connection between its notification
watcher and its queries, which adds up to a second to every dequeue (measured: 2 jobs/s vs 30+ with asyncpg).
pgqueuer's tables are installed by the `0002_jobs` migration. Jobs run in a pool of daemon threads (the
triage is synchronous); the asyncio side only dequeues, heartbeats and reports.

Reminders ride the same queue: every worker registers one pgqueuer schedule (`SWEEP_TICK`, every minute),
which pgqueuer hands to one of them per tick (`FOR UPDATE SKIP LOCKED` on its schedules table); the tick only
queues a sweep job under a dedupe key, so one sweep waits or runs at a time, any worker runs it, and a sweep
whose worker dies or fails is picked again like a triage job. The sent-reminder rows stay the once-only proof.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from functools import lru_cache
from typing import Any

import asyncpg
from pgqueuer import PgQueuer
from pgqueuer.adapters.drivers.asyncpg import AsyncpgDriver
from pgqueuer.adapters.drivers.psycopg import SyncPsycopgDriver
from pgqueuer.adapters.persistence.queries import SyncQueries
from pgqueuer.errors import RetryRequested
from pgqueuer.models import Job, Schedule
from pgqueuer.ports import RepositoryPort
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from bot.config import Settings
from bot.database import session_factory_for
from bot.errors import StorageUnavailable
from bot.jobs.pool import SHUTDOWN_DEADLINE_S, DaemonPool
from bot.jobs.reminders import Clock, reminder_sweep
from bot.jobs.runner import JobRunner
from storage import db, jobs

log = logging.getLogger(__name__)

ENTRYPOINT = "factdesk_triage"
SWEEP = "factdesk_reminders"  # the sweep job's entrypoint, and its dedupe key
SWEEP_TICK = "factdesk_reminders_tick"
SWEEP_CRON = "* * * * *"
DEQUEUE_TIMEOUT = timedelta(seconds=5)
MAX_ATTEMPTS = 5  # retries after database errors; a crashed worker's job is re-picked regardless
RECONNECT_FIRST_S = 0.5  # after a lost connection, doubling up to RECONNECT_MAX_S
RECONNECT_MAX_S = 15.0


@lru_cache(maxsize=4)
def _autocommit_engine(url: str) -> Engine:
    """pgqueuer wants autocommit connections; `connection.transaction()` still groups our two inserts."""
    return db.make_engine(url, isolation_level="AUTOCOMMIT")


def enqueue(settings: Settings, *, job_id: str, **fields: Any) -> None:
    """Insert the job row and its pgqueuer entry in one transaction."""
    session_factory_for(settings.database_url)  # schema policy: refuses an old schema with a sentence
    with _autocommit_engine(settings.database_url).connect() as connection:
        raw = connection.connection.driver_connection
        with raw.transaction():
            jobs.add_job(connection, job_id=job_id, **fields)
            SyncQueries(SyncPsycopgDriver(raw)).enqueue(ENTRYPOINT, job_id.encode(), dedupe_key=job_id)


async def enqueue_sweep(queries: RepositoryPort) -> bool:
    """The tick: queue a reminder sweep unless one is already waiting or running; True if this one was."""
    (job,) = await queries.enqueue(SWEEP, None, dedupe_key=SWEEP, on_conflict="skip")
    return job is not None


def conninfo(url: str) -> str:
    """The SQLAlchemy URL as a plain PostgreSQL URI for asyncpg."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class PostgresWorkers:
    """pgqueuer (queue and scheduler) on its own event loop thread, feeding a pool of `concurrency` threads
    that run triage jobs and reminder sweeps (`clock`: what the sweep believes the time is).

    A lost database connection does not end the workers: they report themselves down (`alive` is False, so
    `/healthz` and `/readyz` answer 503) and reconnect with backoff. Queued jobs wait in the database; a job
    that was running when the connection dropped keeps a stale heartbeat and is picked again after
    FACTDESK_JOB_TIMEOUT, by these workers once they are back or by any other.
    """

    def __init__(self, settings: Settings, concurrency: int, *, clock: Clock | None = None) -> None:
        self.settings = settings
        self.concurrency = concurrency
        self.runner = JobRunner(settings, session_factory_for(settings.database_url))
        self.sweep = reminder_sweep(settings, clock)
        self._pool = DaemonPool(concurrency, "factdesk-triage")
        self._loop = asyncio.new_event_loop()
        self._started = threading.Event()
        self._connected = False
        self._failed: BaseException | None = None
        self._queue: PgQueuer | None = None
        self._stopping: asyncio.Event | None = None
        self._release: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._main, name="factdesk-pgqueuer", daemon=True)
        self._thread.start()
        self._started.wait(30)
        if self._failed is not None:
            raise StorageUnavailable(
                "The triage workers could not connect to PostgreSQL; check FACTDESK_DATABASE_URL."
            ) from self._failed
        log.info("triage workers started", extra={"backend": "postgresql", "concurrency": concurrency})

    @property
    def alive(self) -> bool:
        """Running and connected: False while the database is unreachable and the workers reconnect."""
        return self._thread.is_alive() and self._connected and self._failed is None

    @property
    def ended(self) -> bool:
        return not self._thread.is_alive()

    def stop(self, deadline_s: float = SHUTDOWN_DEADLINE_S) -> None:
        if self._thread.is_alive() and self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stop_taking_jobs)
            self._thread.join(deadline_s)
            if self._thread.is_alive() and self._release is not None:
                self._loop.call_soon_threadsafe(self._release.set)
                self._thread.join(10)
        self._pool.close()

    def _stop_taking_jobs(self) -> None:
        assert self._stopping is not None
        self._stopping.set()
        if self._queue is not None:
            self._queue.shutdown.set()

    def _main(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._serve())
        except BaseException as exc:
            self._failed = exc
            log.exception("the triage queue stopped")
        finally:
            self._started.set()
            self._loop.close()

    async def _serve(self) -> None:
        """Serve until stopped, reconnecting after a lost connection; only the very first connect may fail
        for good (start-up then refuses with one sentence)."""
        self._release, self._stopping = asyncio.Event(), asyncio.Event()
        delay = RECONNECT_FIRST_S
        while not self._stopping.is_set():
            try:
                await self._serve_one_connection()
                return
            except Exception as exc:
                if not self._started.is_set():
                    raise
                self._connected = False
                log.warning(
                    "triage workers lost the database; reconnecting",
                    extra={"error": type(exc).__name__, "retry_in_s": delay},
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), delay)
            delay = min(delay * 2, RECONNECT_MAX_S)

    async def _serve_one_connection(self) -> None:
        connection = await asyncpg.connect(conninfo(self.settings.database_url), timeout=10)
        try:
            queue = PgQueuer(AsyncpgDriver(connection))
            queue.entrypoint(ENTRYPOINT)(self._triage)
            queue.entrypoint(SWEEP)(self._sweep)
            queue.schedule(SWEEP_TICK, SWEEP_CRON)(self._tick)
            self._queue = queue
            if self._connected is False and self._started.is_set():
                log.info("triage workers reconnected to the database")
            self._connected = True
            self._started.set()
            await queue.run(
                dequeue_timeout=DEQUEUE_TIMEOUT,
                batch_size=1,
                max_concurrent_tasks=max(2, self.concurrency),  # pgqueuer's floor is twice the batch size
                heartbeat_timeout=timedelta(seconds=self.settings.job_timeout),
            )
        finally:
            self._queue = None
            try:
                await asyncio.wait_for(connection.close(), 5)
            except Exception:
                connection.terminate()

    async def _triage(self, job: Job) -> None:
        assert job.payload is not None
        job_id = job.payload.decode()
        attempt = await self._in_pool(self.runner.run, job_id)
        if attempt.done():
            try:
                attempt.result()
            except Exception as exc:
                log.exception("triage job failed on a database error", extra={"job_id": job_id})
                _retry_or_give_up(job, exc)
            return
        # Shutdown deadline passed mid-triage: back to the queue at once, fenced so this attempt can't post.
        if await asyncio.to_thread(self.runner.release, job_id):
            log.warning("triage job released at shutdown", extra={"job_id": job_id})
            raise RetryRequested(delay=timedelta(0), reason="worker shutting down")
        await attempt  # already posting its card: let it finish

    async def _sweep(self, job: Job) -> None:
        """One reminder sweep; a failed one is retried, one cut off by shutdown goes back to the queue (the
        reminders it already took stay sent, so the next sweep sends only the rest)."""
        attempt = await self._in_pool(self.sweep)
        if not attempt.done():
            raise RetryRequested(delay=timedelta(0), reason="worker shutting down")
        try:
            attempt.result()
        except Exception as exc:
            log.exception("the sweep for due reminders failed")
            _retry_or_give_up(job, exc)

    async def _tick(self, schedule: Schedule) -> None:
        assert self._queue is not None
        await enqueue_sweep(self._queue.qm.queries)

    async def _in_pool(self, work: Callable[..., Any], *args: Any) -> asyncio.Future[Any]:
        """Run `work` on the pool until it ends or the shutdown deadline passes (the future is then not
        done)."""
        assert self._release is not None
        attempt = asyncio.wrap_future(self._pool.submit(work, *args))
        release = asyncio.ensure_future(self._release.wait())
        try:
            await asyncio.wait({attempt, release}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            release.cancel()
        return attempt


def _retry_or_give_up(job: Job, error: Exception) -> None:
    """Back to the queue with a growing delay, MAX_ATTEMPTS times; then the error ends the job."""
    if job.attempts < MAX_ATTEMPTS:
        delay = timedelta(seconds=min(60, 2**job.attempts))
        raise RetryRequested(delay=delay, reason="database error") from error
    raise error
