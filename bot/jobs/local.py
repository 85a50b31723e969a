"""SQLite backend: one process, a bounded pool of triage threads fed from the job table.

The table is the queue: a dispatcher thread hands the oldest queued jobs to free threads, woken at once by
`enqueue` in this process and every few seconds otherwise. SQLite means one process, so at start every job
still marked running was interrupted by the previous process and goes back to the queue.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
import weakref
from concurrent.futures import Future, wait
from typing import Any

from bot.config import Settings
from bot.database import session_factory_for
from bot.jobs.pool import SHUTDOWN_DEADLINE_S, DaemonPool
from bot.jobs.runner import JobRunner
from storage import jobs

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0
RETRY_PAUSE_SECONDS = 2.0

_running: weakref.WeakSet[LocalWorkers] = weakref.WeakSet()


def enqueue(settings: Settings, **fields: Any) -> None:
    with session_factory_for(settings.database_url)() as session, session.begin():
        jobs.add_job(session, **fields)
    for workers in list(_running):
        workers.wake()


class LocalWorkers:
    def __init__(self, settings: Settings, concurrency: int) -> None:
        self.concurrency = concurrency
        self._session_factory = session_factory_for(settings.database_url)
        self.runner = JobRunner(settings, self._session_factory)
        with self._session_factory() as session, session.begin():
            interrupted = jobs.requeue_orphans(session)
        if interrupted:
            log.warning("resuming triage jobs interrupted by the last shutdown", extra={"jobs": interrupted})
        self._pool = DaemonPool(concurrency, "factdesk-triage")
        self._inflight: dict[str, Future[Any]] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._dispatcher = threading.Thread(target=self._dispatch, name="factdesk-dispatch", daemon=True)
        self._dispatcher.start()
        _running.add(self)
        log.info("triage workers started", extra={"backend": "sqlite", "concurrency": concurrency})

    @property
    def alive(self) -> bool:
        return self._dispatcher.is_alive() and not self._stopping.is_set()

    @property
    def ended(self) -> bool:
        return not self._dispatcher.is_alive()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, deadline_s: float = SHUTDOWN_DEADLINE_S) -> None:
        _running.discard(self)
        self._stopping.set()
        self._wake.set()
        self._dispatcher.join()
        with self._lock:
            running = dict(self._inflight)
        wait(running.values(), timeout=deadline_s)
        for job_id, future in running.items():
            if not future.done() and self.runner.release(job_id):
                log.warning("triage job released at shutdown", extra={"job_id": job_id})
        self._pool.close()

    def _dispatch(self) -> None:
        while not self._stopping.is_set():
            try:
                self._fill()
            except Exception:
                log.exception("could not read the triage queue")
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()

    def _fill(self) -> None:
        with self._lock:
            free = self.concurrency - len(self._inflight)
            busy = set(self._inflight)
        if free <= 0:
            return
        with self._session_factory() as session:
            ready = jobs.queued_ids(session, limit=free, exclude=busy)
        for job_id in ready:
            future = self._pool.submit(self._run, job_id)
            with self._lock:
                self._inflight[job_id] = future
            future.add_done_callback(functools.partial(self._finished, job_id))

    def _run(self, job_id: str) -> str | None:
        try:
            return self.runner.run(job_id)
        except Exception:
            log.exception("triage job attempt failed; it will be retried", extra={"job_id": job_id})
            try:
                self.runner.release(job_id)
            except Exception:
                log.exception("could not release the triage job", extra={"job_id": job_id})
            time.sleep(RETRY_PAUSE_SECONDS)
            return None

    def _finished(self, job_id: str, future: Future[Any]) -> None:
        with self._lock:
            self._inflight.pop(job_id, None)
        self._wake.set()
