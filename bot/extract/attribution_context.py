"""What every attribution pass reads (one sentence, with its cheap gates) and returns (a find).

Kept apart so each pass module depends on this small record, not on the others.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import NamedTuple

from bot.extract import attribution_patterns as P
from bot.models import AttributionKind, Span, Strength

WORD = re.compile(r"[a-z]+")


class Sentence(NamedTuple):
    """One sentence and what the gates need to know about it, computed once (a tuple: an article makes
    thousands, and a frozen dataclass costs several times as much to build)."""

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
        quoted='"' in s,
    )


INSTITUTION_REASON = "named institution, no named person"
OUTLET_REPORT = "second-hand: another outlet's report"


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


class SpanIndex:
    """Finds by where they start, so those overlapping a span are read without a scan of all of them: a long
    paste has thousands of finds and as many speech cues, and a scan per cue grows with the square."""

    def __init__(self, finds: list[Find]) -> None:
        self._finds = finds
        self._order = sorted(range(len(finds)), key=lambda k: finds[k].start)
        self._starts = [finds[k].start for k in self._order]
        self._longest = max((f.end - f.start for f in finds), default=0)

    def overlapping(self, start: int, end: int) -> list[int]:
        """Positions in the list of the finds overlapping `start`..`end`, in list order."""
        low = bisect_left(self._starts, start - self._longest)
        high = bisect_left(self._starts, end)
        return sorted(k for k in self._order[low:high] if self._finds[k].end > start)


def _clean(phrase: str) -> str:
    return re.sub(r"\s+", " ", phrase).strip(" ,")


def weak_find(start: int, end: int, source: str, kind: AttributionKind, reason: str, priority: int) -> Find:
    return Find(start, end, _clean(source), kind, Strength.weak, reason, priority)


def institution_find(start: int, end: int, source: str, priority: int) -> Find:
    """A named body on its own record: moderate, since no person answers for it."""
    return Find(
        start,
        end,
        source,
        AttributionKind.named_organisation,
        Strength.moderate,
        INSTITUTION_REASON,
        priority,
    )


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Where someone's own words stand in quotation marks, paragraph by paragraph: a group or hedge inside
    them ("Some say ...") is the speaker's, not a source the story rests on. A quote left open at the end of
    a paragraph runs to its end (the next paragraph reopens it, as newsrooms write long quotes)."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for mark in _QUOTE_MARKS.finditer(text):
        i, char = mark.start(), mark.group(0)
        if char == "\n":
            if opened is not None:
                spans.append((opened, i))
            opened = None
        elif char == "“" or (char == '"' and opened is None and text[i + 1 : i + 2].strip()):
            opened = i  # a straight quote opens only before a word; '" Stuart said' closes an earlier one
        elif opened is not None:
            spans.append((opened, i + 1))
            opened = None
    if opened is not None:
        spans.append((opened, len(text)))
    return spans


_QUOTE_MARKS = re.compile('[“”"\n]')
