"""Claims added by hand (`claim add T-87 "sentence"`): grounded to the article when the sentence is in it,
and scored by the same model and signals as the triage's own claims, so lists and sorting treat them alike."""

from __future__ import annotations

from dataclasses import dataclass

from bot.extract.claims import score_claims
from bot.extract.grounding import ground
from bot.models import ClaimKind, Span

# What an unscorable sentence (too short to be a candidate) gets: someone on the desk thought it checkable.
HAND_SCORE = 0.5


@dataclass(frozen=True)
class HandClaim:
    text: str
    start: int  # an empty span (start == end == 0) when the sentence is not in the article
    end: int
    kind: str
    checkworthiness: float
    signals: list[str]

    @property
    def grounded(self) -> bool:
        return self.end > self.start


def hand_claim(article: str | None, sentence: str) -> HandClaim:
    span = ground(article, sentence) if article else None
    text = span.text if span is not None else sentence
    scored = score_claims(text, [Span(start=0, end=len(text), text=text)])
    kind, score, signals = (
        (scored[0].kind.value, scored[0].checkworthiness, [*scored[0].signals, "hand"])
        if scored
        else (ClaimKind.other.value, HAND_SCORE, ["hand"])
    )
    start, end = (span.start, span.end) if span is not None else (0, 0)
    return HandClaim(text, start, end, kind, score, signals)
