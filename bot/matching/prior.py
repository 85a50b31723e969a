"""What a triage calls: match every claim of a report against the archive and keep the matches above the
calibrated threshold as the claim's `prior_checks` (the cards show them as "Checked before")."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy.orm import Session

from bot.matching.index import ArchiveIndex, default_threshold
from bot.models import PriorCheck, TriageReport
from bot.storage_failures import STORAGE_FAILURES

log = logging.getLogger(__name__)

_indexes: dict[int, tuple[Callable[[], Session], ArchiveIndex]] = {}
_lock = threading.Lock()


def shared_index(sessions: Callable[[], Session]) -> ArchiveIndex:
    """One in-memory index per session factory and process; it refreshes itself when the archive changes."""
    with _lock:
        entry = _indexes.get(id(sessions))
        if entry is None or entry[0] is not sessions:
            entry = (sessions, ArchiveIndex(sessions))
            _indexes[id(sessions)] = entry
        return entry[1]


def attach_prior_checks(
    report: TriageReport, index: ArchiveIndex, *, threshold: float | None = None, top: int = 3
) -> TriageReport:
    """Fill `prior_checks` on each claim in place; a claim never matches its own desk verdict."""
    if not report.claims:
        return report
    cutoff = default_threshold() if threshold is None else threshold
    results = index.match_many([claim.text for claim in report.claims], top + 1, min_score=cutoff)
    for claim, matches in zip(report.claims, results, strict=True):
        claim.prior_checks = [
            PriorCheck(
                url=m.url,
                score=min(1.0, max(0.0, m.score)),
                claim=m.claim,
                rating=m.rating,
                publisher=m.publisher,
                published=m.published,
                source=m.source,
            )
            for m in matches
            if m.url != claim.id
        ][:top]
    return report


def with_prior_checks(report: TriageReport, sessions: Callable[[], Session]) -> TriageReport:
    """`report` with its claims matched against the archive, for every card that shows it (a new triage, a
    re-pasted article, a card refreshed after a desk change). The memory is a help, never a gate: when the
    archive cannot be read the card goes out without it and the failure is logged."""
    try:
        return attach_prior_checks(report, shared_index(sessions))
    except STORAGE_FAILURES:
        log.warning("prior checks skipped: the archive could not be read", exc_info=True)
        return report
