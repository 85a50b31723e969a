"""Archive upkeep for the CLI: what is in it, removing an import, and embedding what was stored as text."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from bot.matching.vectors import embed_rows
from storage import archive
from storage.archive import SourceStats

__all__ = ["SourceStats", "embed_missing", "remove_source", "stats"]


def stats(sessions: Callable[[], Session]) -> list[SourceStats]:
    with sessions() as session:
        return archive.stats(session)


def remove_source(sessions: Callable[[], Session], source: str) -> int:
    with sessions() as session, session.begin():
        return archive.remove_source(session, source)


def embed_missing(sessions: Callable[[], Session], chunk: int = 256) -> int:
    """Embed every record stored without a vector, committing chunk by chunk (safe to stop and rerun)."""
    done = 0
    while True:
        with sessions() as session, session.begin():
            rows = archive.without_vector(session, chunk)
            vectors = embed_rows([(claim, title) for _, claim, title in rows])
            if not rows or vectors[0] is None:
                return done
            archive.set_vectors(session, {row[0]: v for row, v in zip(rows, vectors, strict=True) if v})
        done += len(rows)
