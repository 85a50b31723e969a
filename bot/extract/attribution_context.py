"""What every attribution pass reads (one sentence, with its cheap gates) and returns (a find).

Kept apart so each pass module depends on this small record, not on the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.extract import attribution_patterns as P
from bot.models import AttributionKind, Span, Strength

WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Sentence:
    """One sentence and what the gates need to know about it, computed once."""

    text: str
    base: int
    words: frozenset[str]
    reporting: bool
    quoted: bool


def sentence_context(text: str, span: Span) -> Sentence:
    s = text[span.start : span.end]
    words = frozenset(WORD.findall(s.lower()))
    return Sentence(
        text=s,
        base=span.start,
        words=words,
        reporting=not words.isdisjoint(P.REPORTING_VERBS) or {"would", "like"} <= words,
        quoted=any(q in s for q in '"'),
    )


@dataclass(frozen=True)
class Find:
    start: int
    end: int
    source: str
    kind: AttributionKind
    strength: Strength
    reason: str
    priority: int
    country: str | None = None


def _clean(phrase: str) -> str:
    return re.sub(r"\s+", " ", phrase).strip(" ,")


def weak_find(start: int, end: int, source: str, kind: AttributionKind, reason: str, priority: int) -> Find:
    return Find(start, end, _clean(source), kind, Strength.weak, reason, priority)
