"""Chat deliveries seen before: a platform retry or a second process must not act twice on one event."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import ProcessedEvent, utcnow


def claim_event(session: Session, platform: str, event_id: str) -> bool:
    """True on the first delivery of `event_id`; False for every later one, in any process.

    One INSERT ... ON CONFLICT DO NOTHING, so the unique constraint decides and nobody waits on a lock.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(ProcessedEvent)
        .values(platform=platform, event_id=event_id, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["platform", "event_id"])
        .returning(ProcessedEvent.id)
    )
    return session.execute(statement).first() is not None


def release_event(session: Session, platform: str, event_id: str) -> None:
    """Forget one delivery we could not act on, so the platform's retry of it is handled after all."""
    session.execute(
        delete(ProcessedEvent).where(ProcessedEvent.platform == platform, ProcessedEvent.event_id == event_id)
    )


def forget_events_before(session: Session, cutoff: datetime) -> int:
    """Drop dedupe rows older than any platform still retries; returns how many went."""
    result = session.execute(delete(ProcessedEvent).where(ProcessedEvent.created_at < cutoff))
    return result.rowcount or 0
