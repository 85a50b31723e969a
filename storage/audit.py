"""The audit trail: append an event, and refuse any flush that changes a thread or claim without one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from storage.errors import AuditViolation
from storage.models import Claim, Event, TriageThread

_AUDITED = (Claim, TriageThread)
_FLAG = "factdesk_audited"


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    actor_display: str | None = None,
    claim: Claim | None = None,
    thread: TriageThread | None = None,
    thread_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> Event:
    """Add one event row to the session; it is flushed with the change it describes.

    `thread_id` stands in for `thread` where a bulk statement changed threads that were never loaded."""
    if thread is not None:
        thread_id = thread.id
    elif claim is not None:
        thread_id = claim.thread_id
    row = Event(
        actor=actor,
        actor_display=actor_display,
        action=action,
        claim_id=claim.id if claim is not None else None,
        thread_id=thread_id,
        before=before,
        after=after,
    )
    session.add(row)
    return row


def history(
    session: Session, *, claim_id: int | None = None, thread_id: int | None = None, limit: int = 50
) -> list[Event]:
    """Oldest first, at most `limit` of the newest events for a claim or a thread."""
    query = select(Event)
    if claim_id is not None:
        query = query.where(Event.claim_id == claim_id)
    if thread_id is not None:
        query = query.where(Event.thread_id == thread_id)
    rows = session.scalars(query.order_by(Event.id.desc()).limit(limit)).all()
    return list(reversed(rows))


@event.listens_for(Session, "before_flush")
def _require_event_rows(session: Session, flush_context: Any, instances: Any) -> None:
    if any(isinstance(obj, Event) for obj in session.deleted) or any(
        isinstance(obj, Event) and session.is_modified(obj) for obj in session.dirty
    ):
        raise AuditViolation("Events are append-only; an event row was changed or deleted.")
    if any(isinstance(obj, Event) for obj in session.new):
        session.info[_FLAG] = True
        return
    changed = [
        obj
        for obj in session.dirty
        if isinstance(obj, _AUDITED) and session.is_modified(obj, include_collections=False)
    ]
    changed += [obj for obj in session.deleted if isinstance(obj, _AUDITED)]
    if changed and not session.info.get(_FLAG):
        raise AuditViolation(
            f"{type(changed[0]).__name__} changed without an event row in the same transaction."
        )


@event.listens_for(Session, "after_transaction_end")
def _reset_flag(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_FLAG, None)
