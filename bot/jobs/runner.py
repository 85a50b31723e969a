"""One attempt at one triage job, the same on every backend: take the lease, triage, store, publish, finish.

The triage itself is idempotent (one thread per article, by sha256), and the card is posted only by the
attempt that still holds the job's lease, after the job row says so; a finished job is never run again.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from bot.config import Settings
from bot.desk.api import Actor, Place
from bot.desk.publishers import publisher_for
from bot.desk.refs import parse_ref
from bot.models import TriageReport
from bot.observability.metrics import CHAT_API_ERRORS, TRIAGE_SECONDS, TRIAGES
from bot.render.card import render_card
from bot.replies import Reply
from bot.triage import PasteOutcome, TriageService
from storage import jobs
from storage.models import utcnow
from storage.threads import get_thread

log = logging.getLogger(__name__)

INTERNAL_ERROR = "Something went wrong on our side; it has been logged, please try again."


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class JobRunner:
    def __init__(
        self,
        settings: Settings,
        session_factory: Callable[[], Session],
        *,
        triage: TriageService | None = None,
        worker: str | None = None,
    ) -> None:
        self.settings = settings
        self.session_factory = session_factory
        self.triage = triage or TriageService(settings, session_factory)
        self.worker = worker or worker_name()

    def run(self, job_id: str) -> str | None:
        """Run one attempt. Returns the outcome, or None if there was nothing to do (finished, or taken over).

        Database failures propagate: the backend retries the job later.
        """
        lease = uuid.uuid4().hex
        with self.session_factory() as session, session.begin():
            job = jobs.start_attempt(session, job_id, lease=lease, worker=self.worker)
            if job is None:
                return None
            message, created_at, attempt = job.message, job.created_at, job.attempts
            actor, place = Actor.model_validate(job.actor), Place.model_validate(job.place)
        waited_seconds = (utcnow() - created_at).total_seconds()

        started = time.perf_counter()
        outcome, reply, report = self._triage(job_id, message, actor, place, created_at)
        triage_seconds = time.perf_counter() - started
        thread_id = _thread_id(report)

        with self.session_factory() as session, session.begin():
            if not jobs.mark_publishing(session, job_id, lease, thread_id=thread_id, outcome=outcome):
                log.warning("triage job taken over by another attempt", extra={"job_id": job_id})
                return None

        publish_started = time.perf_counter()
        error = self._publish(job_id, place, reply, report)
        publish_seconds = time.perf_counter() - publish_started
        if error:
            outcome = "publish_error"

        with self.session_factory() as session, session.begin():
            jobs.finish(
                session,
                job_id,
                lease,
                published=error is None and publisher_for(place.platform) is not None,
                error=error or (reply.title if outcome == "error" else None),
            )
        TRIAGES.labels(outcome=outcome).inc()
        TRIAGE_SECONDS.observe(triage_seconds)
        log.info(
            "triage job finished",
            extra={
                "job_id": job_id,
                "platform": place.platform,
                "thread_ref": report.thread_ref if report else None,
                "outcome": outcome,
                "attempt": attempt,
                "wait_ms": round(waited_seconds * 1000, 1),
                "triage_ms": round(triage_seconds * 1000, 1),
                "publish_ms": round(publish_seconds * 1000, 1),
                "worker": self.worker,
            },
        )
        return outcome

    def release(self, job_id: str) -> bool:
        """Give a running job back to the queue (shutdown deadline); its old lease can no longer publish."""
        with self.session_factory() as session, session.begin():
            return jobs.release(session, job_id)

    def _triage(
        self, job_id: str, message: str | None, actor: Actor, place: Place, created_at: datetime
    ) -> tuple[str, Reply, TriageReport | None]:
        if message is None:
            return "error", Reply.failure("The pasted text of this job is no longer stored."), None
        try:
            pasted: PasteOutcome = self.triage.paste(message, actor, place)
        except Exception:
            log.exception("triage job crashed", extra={"job_id": job_id})
            return "error", Reply.failure(INTERNAL_ERROR), None
        if pasted.report is None:
            return "failure", pasted.reply, None
        if pasted.duplicate and self._made_by_this_job(pasted.report, actor, place, created_at):
            # An earlier attempt of this very job stored the thread and died before posting: post it as new.
            report = pasted.report.model_copy(update={"already_triaged": False})
            return "card", render_card(report, shown=self.settings.card_claims), report
        return ("duplicate" if pasted.duplicate else "card"), pasted.reply, pasted.report

    def _made_by_this_job(
        self, report: TriageReport, actor: Actor, place: Place, created_at: datetime
    ) -> bool:
        thread_id = _thread_id(report)
        if thread_id is None:
            return False
        with self.session_factory() as session:
            thread = get_thread(session, thread_id)
            return (
                thread is not None
                and thread.created_by == actor.key
                and thread.source_message == place.message
                and thread.created_at >= created_at
            )

    def _publish(self, job_id: str, place: Place, reply: Reply, report: TriageReport | None) -> str | None:
        publisher = publisher_for(place.platform)
        if publisher is None:
            log.warning("no card publisher registered", extra={"job_id": job_id, "platform": place.platform})
            return None
        try:
            publisher(place, reply, report)
        except Exception as exc:
            CHAT_API_ERRORS.labels(platform=place.platform).inc()
            log.exception("publishing the card failed", extra={"job_id": job_id, "platform": place.platform})
            return f"The card could not be posted ({type(exc).__name__})."
        return None


def _thread_id(report: TriageReport | None) -> int | None:
    ref = parse_ref(report.thread_ref) if report and report.thread_ref else None
    return ref.number if ref is not None and ref.kind == "T" else None
