"""Ground every field a model gives, not only its quotes: what cannot be found in the article is dropped.

A quote becomes the article's own span, cut at a paragraph break. A speaker or source is kept only as the
article's own words near the finding (an invented "a university spokesperson" or a dateline country read
as a source cannot pass). A name's suggestion is kept only when it is a one-slip respelling of what the
article printed and a public figure the name list knows. Reasons and strengths never come from the model:
they come from the same vocabulary the rule-based checks use, by attribution kind.
"""

from __future__ import annotations

import re

from bot.extract import attribution_patterns as P
from bot.extract.attribution_context import INSTITUTION_REASON
from bot.extract.grounding import Grounder
from bot.models import AttributionKind, ClaimKind, Span, Strength
from bot.names.checker import default_checker, osa_distance
from bot.names.gazetteer import fold

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_TRIM = " \t\n\"'“”‘’«»,;:"
# How far from a finding a speaker or source may stand: its own paragraph and the one before.
_NEAR_PARAGRAPHS = 1

STRENGTH = {
    AttributionKind.named_person: Strength.strong,
    AttributionKind.named_organisation: Strength.moderate,
    AttributionKind.named_outlet: Strength.moderate,
}
REASON = {
    AttributionKind.named_person: "named on the record",
    AttributionKind.named_organisation: INSTITUTION_REASON,
    AttributionKind.named_outlet: "second-hand: named outlet",
    AttributionKind.state_media: "second-hand: state media",
    AttributionKind.secondhand: "second-hand: unnamed reports",
    AttributionKind.unnamed_official: "unnamed officials",
    AttributionKind.anonymous: "anonymous source",
    AttributionKind.vague_collective: "vague collective, no one named",
    AttributionKind.hedge: "hedge, no source named",
    AttributionKind.unverifiable_setting: "unverifiable setting",
}

_DIGIT = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion|dozen|half)\b",
    re.I,
)
_DATE = re.compile(
    r"\b(?:1[89]\d\d|20\d\d|january|february|march|april|may|june|july|august|september|october|"
    r"november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
    r"tomorrow|week|month|year|decade|century)s?\b",
    re.I,
)
_QUOTE_MARK = re.compile('["“”«»]')
_COMPARATIVE = re.compile(
    r"\b(?:more|less|fewer|most|least|first|last|largest|biggest|highest|lowest|record|\w+est|\w+er than)\b",
    re.I,
)
_FUTURE = re.compile(r"\b(?:will|would|could|plans?|expects?|expected|forecasts?|by 20\d\d)\b", re.I)
_CAUSE = re.compile(r"\b(?:because|caused|causes|due to|led to|leads to|result(?:ed)? in|after)\b", re.I)
# What a claim's text must show before a model's kind is believed over the offline one.
KIND_EVIDENCE: dict[ClaimKind, re.Pattern[str]] = {
    ClaimKind.statistic: _DIGIT,
    ClaimKind.quantity: _DIGIT,
    ClaimKind.date_time: _DATE,
    ClaimKind.quote: _QUOTE_MARK,
    ClaimKind.comparison: _COMPARATIVE,
    ClaimKind.prediction: _FUTURE,
    ClaimKind.causal: _CAUSE,
}


def kind_is_grounded(kind: ClaimKind, text: str) -> bool:
    """Whether the claim's own words support the kind (a statistic has a number, a quote has quote marks)."""
    evidence = KIND_EVIDENCE.get(kind)
    return evidence is None or evidence.search(text) is not None


_WORD = re.compile(r"[a-z]+")
# Words one of an unnamed, anonymous or vague source holds: the heads and formulas the rules look for.
_WEAK_WORDS = frozenset(
    {*P.UNNAMED_HEADS, *P.WEAK_HEADS, *P.COLLECTIVE_HEADS, *P.GENERIC_PEOPLE}
    | {"anonymous", "anonymity", "unnamed", "unidentified", "named", "identified", "source", "sources"}
    | {"spokesperson", "spokesman", "spokeswoman", "groups", "insider"}
)
_WEAK_PATTERNS = {
    AttributionKind.hedge: (P.HEDGES,),
    AttributionKind.unverifiable_setting: (P.UNVERIFIABLE_SETTINGS,),
    AttributionKind.secondhand: (P.SECONDHAND_VAGUE, P.UNNAMED_REPORTS, P.REPORTS_THAT, P.RELAYED),
}


def attribution_kind_is_grounded(kind: AttributionKind, text: str, source: str) -> bool:
    """Whether the attribution's words support the model's kind, and so the strength the card gives it:
    a state-media or outlet reading needs an outlet the bundled list knows (state media marked there)
    named in the attribution itself (not only near it: "The Coalition of the Willing" is no outlet), a
    hedge, setting or second-hand reading the rules' own pattern, another weak reading a word of an
    unnamed or vague source ("officials", "analysts", "unnamed"). Named readings are never weak flags."""
    if kind in (AttributionKind.state_media, AttributionKind.named_outlet):
        outlet = P.lookup_outlet(source) if source.lower() in text.lower() else None
        return outlet is not None and (outlet.state_media or kind is AttributionKind.named_outlet)
    if kind in _WEAK_PATTERNS:
        return any(pattern.search(text) for pattern in _WEAK_PATTERNS[kind])
    if STRENGTH.get(kind) is None:  # anonymous, unnamed official, vague collective
        return not _WEAK_WORDS.isdisjoint(_WORD.findall(text.lower()))
    return True


def _respelling(printed: str, proposed: str) -> bool:
    """Same first letter and at most two edits (one in a short word): a slip, not another person."""
    allowed = 2 if min(len(printed), len(proposed)) >= 6 else 1
    return printed[0] == proposed[0] and osa_distance(printed, proposed) <= allowed


class FieldGrounder:
    """Grounds one article's model fields; built once per article."""

    def __init__(self, article: str) -> None:
        self.article = article
        self.grounder = Grounder(article)
        cursor = 0
        spans: list[tuple[int, int]] = []
        for brk in _PARAGRAPH_BREAK.finditer(article):
            spans.append((cursor, brk.start()))
            cursor = brk.end()
        spans.append((cursor, len(article)))
        self._paragraphs = spans

    def _paragraph_index(self, position: int) -> int:
        for index, (start, end) in enumerate(self._paragraphs):
            if position <= end:
                return index if position >= start else max(0, index - 1)
        return len(self._paragraphs) - 1

    def quote(self, quote: str, near: tuple[int, int], *, tolerant: bool = True) -> Span | None:
        """The article span for a model quote, cut to one paragraph (the one holding most of it)."""
        span = self.grounder.ground(quote, near, tolerant=tolerant)
        if span is None:
            return None
        if not _PARAGRAPH_BREAK.search(span.text):
            return span
        pieces = [
            (max(start, span.start), min(end, span.end))
            for start, end in self._paragraphs
            if min(end, span.end) > max(start, span.start)
        ]
        start, end = max(pieces, key=lambda piece: piece[1] - piece[0])
        return self._trimmed(start, end)

    def _trimmed(self, start: int, end: int) -> Span | None:
        text = self.article
        while start < end and text[start] in _TRIM:
            start += 1
        while end > start and text[end - 1] in _TRIM:
            end -= 1
        return Span(text=text[start:end], start=start, end=end) if end > start else None

    def near(self, phrase: str | None, finding: Span) -> Span | None:
        """`phrase` as the article writes it inside the finding, its paragraph or the one before; else None."""
        phrase = (phrase or "").strip(_TRIM)
        if len(phrase) < 2:
            return None
        first = self._paragraph_index(finding.start)
        last = self._paragraph_index(finding.end)
        window_start = self._paragraphs[max(0, first - _NEAR_PARAGRAPHS)][0]
        window_end = self._paragraphs[last][1]
        words = [re.escape(word) for word in phrase.split()]
        pattern = re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.I)
        found = pattern.search(self.article, window_start, window_end)
        if found is None:
            return None
        return Span(text=found.group(0), start=found.start(), end=found.end())

    @staticmethod
    def suggestion(found: str, suggestion: str) -> str | None:
        """The suggestion when it is a public figure the name list knows, one word respelt; else None."""
        printed, proposed = fold(found).split(), fold(suggestion).split()
        if len(printed) != len(proposed) or printed == proposed:
            return None
        slips = [(a, b) for a, b in zip(printed, proposed, strict=True) if a != b]
        if len(slips) != 1 or not _respelling(*slips[0]):
            return None
        return suggestion.strip() if default_checker().gazetteer.is_known(tuple(proposed)) else None
