"""Reminders taken on: a row per (kind, subject, due moment), inserted by the one worker that sends it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import SentReminder, utcnow


def take_reminder(session: Session, kind: str, subject: str, due_at: datetime, worker: str) -> bool:
    """True for the one caller, in any process, that is to send this reminder; False once anyone has.

    INSERT ... ON CONFLICT DO NOTHING: the unique key decides, so racing workers never both send."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(SentReminder)
        .values(kind=kind, subject=subject, due_at=due_at, sent_at=utcnow(), worker=worker)
        .on_conflict_do_nothing(index_elements=["kind", "subject", "due_at"])
        .returning(SentReminder.id)
    )
    return session.execute(statement).first() is not None


def release_reminder(session: Session, kind: str, subject: str, due_at: datetime) -> None:
    """Give back a reminder that could not be posted, so the next look sends it after all."""
    session.execute(
        delete(SentReminder).where(
            SentReminder.kind == kind, SentReminder.subject == subject, SentReminder.due_at == due_at
        )
    )


def forget_reminders_before(session: Session, cutoff: datetime) -> int:
    """Drop reminders about moments before `cutoff`: no look takes them again (a nudge is for a claim not yet
    due, a digest for today). Returns how many went."""
    result = session.execute(delete(SentReminder).where(SentReminder.due_at < cutoff))
    return result.rowcount or 0
