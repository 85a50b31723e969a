"""LLM response cache and call log, so repeated chunks cost nothing and spend is visible."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import LlmCacheEntry, LlmCall, utcnow


def cache_get(session: Session, key: str) -> str | None:
    return session.scalar(select(LlmCacheEntry.payload).where(LlmCacheEntry.key == key))


def cache_put(session: Session, key: str, payload: str) -> None:
    """Store a payload once; a concurrent writer of the same key wins silently (same key, same answer)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(LlmCacheEntry)
        .values(key=key, payload=payload, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["key"])
    )


def record_call(
    session: Session,
    *,
    model: str,
    tokens_in: int,
    tokens_out: int,
    latency_ms: int,
    outcome: str,
    thread_id: int | None = None,
) -> LlmCall:
    row = LlmCall(
        model=model,
        tokens_in=tokens_in,
        tokens_out=tokens_out,
        latency_ms=latency_ms,
        outcome=outcome,
        thread_id=thread_id,
    )
    session.add(row)
    return row
