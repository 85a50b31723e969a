"""The one-line sourcing verdict at the top of the card: how the story is sourced, in one sentence.

An editor decides in seconds whether a story needs a call; this line is what they read first. It is
built only from the attributions the card lists, so the two cannot disagree: people, institutions and
outlets are counted apart, each once.
"""

from __future__ import annotations

import re

from bot.extract.attribution_patterns import HONORIFIC
from bot.models import Attribution, AttributionKind, Strength

_SECONDHAND = {AttributionKind.state_media, AttributionKind.secondhand}
_UNNAMED = {AttributionKind.unnamed_official, AttributionKind.anonymous, AttributionKind.vague_collective}
_HONORIFIC = re.compile(rf"^{HONORIFIC}\s+")
_LISTED = 4  # names shown per group; the count says how many there are


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _outlet_phrase(att: Attribution) -> str:
    if att.kind is AttributionKind.state_media:
        country = f"{att.country} " if att.country else ""
        return f"{att.source}, {country}state media"
    return att.source


def _distinct(names: list[str]) -> list[str]:
    """One entry per person or body: a name whose words all appear in a fuller one is the same
    ("Scooter" and "Mr Braun" in "Scooter Braun", "Commission" in "European Commission")."""
    words = {name: _HONORIFIC.sub("", name).lower().split() for name in set(names)}
    kept: list[str] = []
    kept_words: list[set[str]] = []
    for name in sorted(words, key=lambda n: (-len(words[n]), n)):
        own = set(words[name])
        if not any(own <= fuller for fuller in kept_words):
            kept.append(name)
            kept_words.append(own)
    return sorted(kept)


def _listed(n: int, one: str, names: list[str], many: str | None = None) -> str:
    more = ", …" if len(names) > _LISTED else ""
    return f"{_plural(n, one, many)} ({', '.join(names[:_LISTED])}{more})"


def sourcing_summary(
    attributions: list[Attribution], lede_end: int, corrections: dict[str, str] | None = None
) -> str:
    """`lede_end` is where the story's opening sentences end: second-hand sourcing there carries the story.
    `corrections` maps misspelt names to the gazetteer's spelling, so the summary names people correctly."""
    corrections = corrections or {}
    if not attributions:
        return "No attributed sources found: every claim in the story is unattributed."
    secondhand = [a for a in attributions if a.kind in _SECONDHAND]
    settings = [a for a in attributions if a.kind is AttributionKind.unverifiable_setting]
    unnamed = [a for a in attributions if a.kind in _UNNAMED]
    hedges = [a for a in attributions if a.kind is AttributionKind.hedge]
    people = _distinct(
        [corrections.get(a.source, a.source) for a in attributions if a.kind is AttributionKind.named_person]
    )
    institutions = _distinct([a.source for a in attributions if a.kind is AttributionKind.named_organisation])
    outlets = _distinct([a.source for a in attributions if a.kind is AttributionKind.named_outlet])

    parts: list[str] = []
    lede_secondhand = [a for a in secondhand if a.start < lede_end]
    if lede_secondhand:
        relayed = "; ".join(dict.fromkeys(_outlet_phrase(a) for a in lede_secondhand))
        setting = " of a setting no reader can verify" if settings else ""
        reports = (
            "one second-hand report"
            if len(lede_secondhand) == 1
            else f"{len(lede_secondhand)} second-hand reports"
        )
        parts.append(f"Central claim rests on {reports} ({relayed}){setting}")
    elif secondhand:
        relayed = list(dict.fromkeys(_outlet_phrase(a) for a in secondhand))
        parts.append(_listed(len(secondhand), "second-hand attribution", relayed))
    if settings and not lede_secondhand:
        parts.append(_plural(len(settings), "quote") + " from a setting no reader can verify")
    if unnamed:
        other = "other " if parts else ""
        verb = "is" if len(unnamed) == 1 else "are"
        parts.append(f"{_plural(len(unnamed), other + 'voice')} {verb} unnamed or anonymous")
    if hedges:
        parts.append(_listed(len(hedges), "hedge", list(dict.fromkeys(a.source.lower() for a in hedges))))
    if people:
        parts.append(_listed(len(people), "named person", people, "named people") + " on the record")
    if institutions:
        parts.append(_listed(len(institutions), "named institution", institutions))
    if outlets:
        parts.append(_listed(len(outlets), "named outlet", outlets) + " cited")
    if not any(a.strength is Strength.weak for a in attributions):
        return "Named sources only: " + "; ".join(parts) + "; nothing unnamed, hedged or second-hand found."
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."
