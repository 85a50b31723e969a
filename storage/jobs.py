"""Triage jobs: the durable record of a paste waiting for, or going through, triage.

A row is written before the chat platform is acknowledged, so a paste survives any crash after that. Each
attempt takes a fresh `lease`; every later write of that attempt is conditional on it, so an attempt that was
given up on (its worker died or was too slow to stop) can never publish a card after another took over.

States: queued → running → publishing → done | failed; a released or orphaned attempt goes back to queued.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, ForeignKey, Index, Integer, String, Text, func, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.models import Base, utcnow

UNFINISHED = ("queued", "running", "publishing")
FINISHED = ("done", "failed")


class TriageJob(Base):
    __tablename__ = "triage_jobs"
    __table_args__ = (
        Index("ix_triage_jobs_state_created_at", "state", "created_at"),
        Index("ix_triage_jobs_finished_at", "finished_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    place: Mapped[dict[str, Any]]
    actor: Mapped[dict[str, Any]]
    message: Mapped[str | None] = mapped_column(Text)  # the paste; dropped by retention once finished
    state: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease: Mapped[str | None] = mapped_column(String(36))
    worker: Mapped[str | None] = mapped_column(String(128))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("triage_threads.id", ondelete="SET NULL"))
    outcome: Mapped[str | None] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    message_purged_at: Mapped[datetime | None]


class QueueStats(BaseModel):
    queued: int
    running: int
    oldest_queued_seconds: float


def add_job(
    executor: Session | Connection,
    *,
    job_id: str,
    platform: str,
    place: dict[str, Any],
    actor: dict[str, Any],
    message: str,
) -> None:
    """Insert a queued job; a Core insert so it can share a raw connection's transaction with a queue library."""
    executor.execute(
        insert(TriageJob).values(
            id=job_id,
            platform=platform,
            place=place,
            actor=actor,
            message=message,
            state="queued",
            attempts=0,
            created_at=utcnow(),
        )
    )


def get_job(session: Session, job_id: str) -> TriageJob | None:
    return session.get(TriageJob, job_id, populate_existing=True)


def start_attempt(session: Session, job_id: str, *, lease: str, worker: str) -> TriageJob | None:
    """Take the job for a new attempt (whatever attempt held it before); None when it is finished or unknown."""
    taken = session.execute(
        update(TriageJob)
        .where(TriageJob.id == job_id, TriageJob.state.in_(UNFINISHED))
        .values(
            state="running",
            lease=lease,
            worker=worker,
            attempts=TriageJob.attempts + 1,
            started_at=utcnow(),
            error=None,
        )
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        return None
    return get_job(session, job_id)


def _fenced(session: Session, job_id: str, holder: str, **values: Any) -> bool:
    """Update the job only while the attempt holding lease `holder` still owns it."""
    result = session.execute(
        update(TriageJob)
        .where(TriageJob.id == job_id, TriageJob.lease == holder)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def mark_publishing(
    session: Session, job_id: str, lease: str, *, thread_id: int | None, outcome: str
) -> bool:
    """The triage is stored; only the attempt still holding the lease may go on to post the card."""
    return _fenced(session, job_id, lease, state="publishing", thread_id=thread_id, outcome=outcome)


def finish(session: Session, job_id: str, lease: str, *, published: bool, error: str | None = None) -> bool:
    now = utcnow()
    return _fenced(
        session,
        job_id,
        lease,
        state="failed" if error else "done",
        error=error,
        lease=None,
        published_at=now if published else None,
        finished_at=now,
    )


def release(session: Session, job_id: str, *, lease: str | None = None) -> bool:
    """Put a running attempt back in the queue (shutdown deadline passed); a publishing one is left alone."""
    query = update(TriageJob).where(TriageJob.id == job_id, TriageJob.state == "running")
    if lease is not None:
        query = query.where(TriageJob.lease == lease)
    result = session.execute(
        query.values(state="queued", lease=None, worker=None).execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def requeue_orphans(session: Session) -> int:
    """Single-process mode after a restart: every attempt still marked running died with the old process."""
    result = session.execute(
        update(TriageJob)
        .where(TriageJob.state.in_(("running", "publishing")))
        .values(state="queued", lease=None, worker=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def queued_ids(
    session: Session, *, limit: int, exclude: set[str] | frozenset[str] = frozenset()
) -> list[str]:
    """Oldest queued jobs first (for the in-process pool)."""
    query = select(TriageJob.id).where(TriageJob.state == "queued").order_by(TriageJob.created_at)
    if exclude:
        query = query.where(TriageJob.id.not_in(exclude))
    return list(session.scalars(query.limit(limit)))


def queue_stats(session: Session, *, now: datetime | None = None) -> QueueStats:
    now = now or utcnow()
    counts = dict(
        session.execute(
            select(TriageJob.state, func.count())
            .where(TriageJob.state.in_(UNFINISHED))
            .group_by(TriageJob.state)
        ).all()
    )
    oldest = session.scalar(select(func.min(TriageJob.created_at)).where(TriageJob.state == "queued"))
    return QueueStats(
        queued=counts.get("queued", 0),
        running=counts.get("running", 0) + counts.get("publishing", 0),
        oldest_queued_seconds=max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0,
    )


def purge_messages(session: Session, *, finished_before: datetime) -> int:
    """Retention: drop the pasted text of jobs finished before a date; ids, states and timings stay."""
    result = session.execute(
        update(TriageJob)
        .where(
            TriageJob.state.in_(FINISHED),
            TriageJob.message.is_not(None),
            TriageJob.finished_at < finished_before,
        )
        .values(message=None, message_purged_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
