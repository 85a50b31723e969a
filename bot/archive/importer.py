"""`factdesk archive import`: read a source record by record, embed, and upsert by review URL in batches,
all in one transaction. A broken source (not JSON, cut off mid-way) imports nothing; a bad record is
skipped and reported by its position with the reason."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pydantic import ValidationError
from sqlalchemy.orm import Session

from bot.archive.readers import Unreadable, read_source
from bot.archive.records import BadRecord, FactCheck, fact_checks_in
from bot.config import Settings
from bot.matching.vectors import embed_rows
from storage import archive
from storage.archive import ArchiveRow

BATCH = 1000


@dataclass
class ImportResult:
    source: str
    stored: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


def default_source_name(location: str) -> str:
    if location.lower().startswith(("http://", "https://")):
        return urlsplit(location).hostname or "web"
    return location.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "import"


def import_archive(
    location: str, source: str, sessions: Callable[[], Session], settings: Settings, *, embed: bool = True
) -> ImportResult:
    """`embed=False` stores text only (BM25 matches at once); `manage.embed_missing` adds vectors later."""
    result = ImportResult(source=source[:100])
    started = time.perf_counter()
    first_seen: dict[bytes, str] = {}  # 16-byte URL digests: a million records cost ~100 MB at most
    batch: dict[str, tuple[FactCheck, str]] = {}
    with sessions() as session, session.begin():
        for where, value in read_source(location, settings):
            for label, fact_check in _fact_checks(where, value, result.problems):
                key = hashlib.blake2b(fact_check.url.encode(), digest_size=16).digest()
                if key in first_seen:
                    result.problems.append(
                        f"{label} repeats the review url of {first_seen[key]}; the later one is kept."
                    )
                first_seen.setdefault(key, label)
                batch[fact_check.url] = (fact_check, label)
                if len(batch) >= BATCH:
                    result.stored += _store(session, batch, result.source, embed)
        result.stored += _store(session, batch, result.source, embed)
    result.seconds = time.perf_counter() - started
    return result


def _fact_checks(where: str, value: object, problems: list[str]) -> list[tuple[str, FactCheck]]:
    if isinstance(value, Unreadable):
        problems.append(f"{where} {value.reason}.")
        return []
    try:
        found = list(fact_checks_in(value))
    except BadRecord as exc:
        problems.append(f"{where} {exc}.")
        return []
    except ValidationError as exc:
        problems.append(f"{where} has a field of the wrong type ({exc.errors()[0]['loc'][0]}).")
        return []
    if len(found) == 1:
        return [(where, found[0])]
    return [(f"{where} (review {i})", fc) for i, fc in enumerate(found, 1)]


def _store(session: Session, batch: dict[str, tuple[FactCheck, str]], source: str, embed: bool) -> int:
    if not batch:
        return 0
    checks = [fc for fc, _ in batch.values()]
    pairs = [(fc.claim, fc.title) for fc in checks]
    vectors = embed_rows(pairs) if embed else [None] * len(pairs)
    rows = [
        ArchiveRow(
            review_url=fc.url,
            claim=fc.claim,
            source=source,
            title=fc.title,
            rating=fc.rating,
            publisher=fc.publisher,
            published=fc.published,
            language=fc.language,
            vector=vector,
        )
        for fc, vector in zip(checks, vectors, strict=True)
    ]
    batch.clear()
    return archive.upsert(session, rows)
