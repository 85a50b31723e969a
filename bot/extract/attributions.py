"""Deterministic attribution detector: who is said to have said what, and how verifiable that is.

Runs in both extractor modes. Each pass looks for one family of sourcing (anonymity formulas,
unnamed roles, vague collectives, hedges, unverifiable settings, outlets, named speakers) inside
one sentence; overlapping finds are resolved by pass priority so that the most specific reading wins
(a named speaker is never also flagged as unnamed).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort

from bot.extract.attribution_context import Find, quoted_spans, sentence_context
from bot.extract.attribution_groups import (
    find_anonymous,
    find_collectives,
    find_unnamed,
    settle_named_groups,
)
from bot.extract.attribution_links import (
    attribution_for_sentence,
    sentence_speakers,
    weakest_attribution_for_sentence,
)
from bot.extract.attribution_named import find_named, settle_lone_names
from bot.extract.attribution_outlets import find_outlets, settle_relays
from bot.extract.attribution_reports import find_hedges_and_reports, find_settings, settle_named_reports
from bot.extract.attribution_speech import speech_sources
from bot.extract.attribution_subjects import find_common_subjects, settle_anaphora
from bot.models import Attribution, Origin, Span
from bot.text.typography import fold_typography

__all__ = [
    "attribution_for_sentence",
    "find_attributions",
    "sentence_speakers",
    "weakest_attribution_for_sentence",
]

_PASSES = (
    find_anonymous,
    find_unnamed,
    find_collectives,
    find_common_subjects,
    find_hedges_and_reports,
    find_settings,
    find_outlets,
    find_named,
)


def _resolve(found: list[Find]) -> list[Find]:
    """Keep the highest-priority find where finds overlap, then return them in text order.

    The kept spans never overlap, so in (start, end) order their ends rise too: only the last one starting
    before a find ends can reach into it, and one bisection per find replaces a scan of all kept."""
    kept: list[Find] = []
    spans: list[tuple[int, int]] = []
    for f in sorted(found, key=lambda f: (-f.priority, -(f.end - f.start), f.start)):
        before = bisect_left(spans, (f.end,))  # the kept spans starting before this one ends
        if before and spans[before - 1][1] > f.start:
            continue
        insort(spans, (f.start, f.end))
        kept.append(f)
    return sorted(kept, key=lambda f: f.start)


def find_attributions(text: str, sentences: list[Span]) -> list[Attribution]:
    """Every attribution in `text`, weak or not, each an exact slice of the text, in text order.

    The passes read the typographically folded text (same offsets), so one pattern serves every quote style."""
    folded = fold_typography(text)
    found: list[Find] = []
    for sentence in sentences:
        context = sentence_context(folded, sentence)
        for find in _PASSES:
            found += find(context)
    found = speech_sources(folded, sentences, found)
    return [
        Attribution(
            text=text[f.start : f.end],
            start=f.start,
            end=f.end,
            source=f.source,
            kind=f.kind,
            strength=f.strength,
            reason=f.reason,
            country=f.country,
            origin=Origin.rules,
        )
        for f in settle_relays(
            folded, _resolve(_settle(folded, _outside_quotes(folded, found, quoted_spans(text))))
        )
    ]


def _settle(folded: str, found: list[Find]) -> list[Find]:
    """What the whole article says about each find: lone names, named groups, role words named earlier,
    reports whose author is named after them."""
    found = settle_named_reports(folded, found)
    return settle_anaphora(folded, settle_named_groups(folded, settle_lone_names(folded, found)))


# "which experts say are inevitable," he said: the speaker rests the claim on experts he does not name.
_EXPERTS_SAY = re.compile(r"\bsays?$")


def _outside_quotes(folded: str, found: list[Find], quotes: list[tuple[int, int]]) -> list[Find]:
    """Drop finds that lie inside a quotation: a speaker's words, not the story's sourcing, unless the speaker
    cites unnamed experts for the claim, which the desk must then find."""
    starts = [start for start, _ in quotes]
    kept = []
    for f in found:
        i = bisect_right(starts, f.start) - 1
        if i >= 0 and f.end <= quotes[i][1]:
            if f.reason == "unnamed experts" and _EXPERTS_SAY.search(folded, f.start, f.end):
                kept.append(f)
            continue
        kept.append(f)
    return kept
