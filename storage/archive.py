"""The fact-check archive table: upserts by review URL, removal by import source, stats, and change feeds
for the in-memory match index of every process."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import ArchivedFactCheck, utcnow

UPDATABLE = ("claim", "title", "rating", "publisher", "published", "language", "source", "claim_id", "vector")


@dataclass(frozen=True)
class ArchiveRow:
    """One record to store; `vector` is the float16 embedding's bytes, or None when no encoder is installed."""

    review_url: str
    claim: str
    source: str
    title: str | None = None
    rating: str | None = None
    publisher: str | None = None
    published: date | None = None
    language: str | None = None
    claim_id: int | None = None
    vector: bytes | None = None


def upsert(session: Session, rows: Iterable[ArchiveRow]) -> int:
    """Insert or update by review URL in one statement; the caller keeps URLs unique within a batch."""
    values: list[dict[str, Any]] = [{**row.__dict__, "updated_at": utcnow()} for row in rows]
    if not values:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(ArchivedFactCheck)
    wanted = {name: statement.excluded[name] for name in (*UPDATABLE, "updated_at")}
    session.execute(statement.on_conflict_do_update(index_elements=["review_url"], set_=wanted), values)
    return len(values)


def remove_source(session: Session, source: str) -> int:
    result = session.execute(delete(ArchivedFactCheck).where(ArchivedFactCheck.source == source))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def remove_claim(session: Session, claim_id: int) -> int:
    result = session.execute(delete(ArchivedFactCheck).where(ArchivedFactCheck.claim_id == claim_id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class SourceStats:
    source: str
    records: int
    without_vector: int
    newest: date | None
    last_import: datetime | None


def stats(session: Session) -> list[SourceStats]:
    rows = session.execute(
        select(
            ArchivedFactCheck.source,
            func.count(),
            func.count().filter(ArchivedFactCheck.vector.is_(None)),
            func.max(ArchivedFactCheck.published),
            func.max(ArchivedFactCheck.updated_at),
        )
        .group_by(ArchivedFactCheck.source)
        .order_by(func.count().desc(), ArchivedFactCheck.source)
    ).all()
    return [SourceStats(*row) for row in rows]


@dataclass(frozen=True)
class Version:
    """What a process compares to know whether its in-memory index is stale."""

    count: int
    newest_change: datetime | None


def version(session: Session) -> Version:
    """Two queries, not one: alone, each is answered from an index (count 1.6 ms, newest 0.1 ms at 100,000
    records on SQLite; together they scanned the table, 9 ms)."""
    count = session.scalar(select(func.count()).select_from(ArchivedFactCheck))
    newest = session.scalar(select(func.max(ArchivedFactCheck.updated_at)))
    return Version(count or 0, newest)


INDEX_COLUMNS = (
    ArchivedFactCheck.review_url,
    ArchivedFactCheck.claim,
    ArchivedFactCheck.rating,
    ArchivedFactCheck.source,
    ArchivedFactCheck.publisher,
    ArchivedFactCheck.published,
    ArchivedFactCheck.title,
    ArchivedFactCheck.vector,
)


def index_rows(session: Session) -> list[Row[Any]]:
    """Every record with what the match index needs, in a stable order (plain rows: cheap for 100k)."""
    return list(session.execute(select(*INDEX_COLUMNS).order_by(ArchivedFactCheck.id)))


def without_vector(session: Session, limit: int) -> list[tuple[int, str, str | None]]:
    """(id, claim, title) of up to `limit` records that have no embedding yet."""
    query = (
        select(ArchivedFactCheck.id, ArchivedFactCheck.claim, ArchivedFactCheck.title)
        .where(ArchivedFactCheck.vector.is_(None))
        .order_by(ArchivedFactCheck.id)
        .limit(limit)
    )
    return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]


def set_vectors(session: Session, vectors: dict[int, bytes]) -> None:
    session.execute(
        update(ArchivedFactCheck),
        [{"id": key, "vector": value, "updated_at": utcnow()} for key, value in vectors.items()],
    )
