"""The one-line sourcing verdict at the top of the card: how the story is sourced, in one sentence.

An editor decides in seconds whether a story needs a call; this line is what they read first.
"""

from __future__ import annotations

from bot.models import Attribution, AttributionKind, Strength

_SECONDHAND = {AttributionKind.state_media, AttributionKind.secondhand}
_UNNAMED = {AttributionKind.unnamed_official, AttributionKind.anonymous, AttributionKind.vague_collective}


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _outlet_phrase(att: Attribution) -> str:
    if att.kind is AttributionKind.state_media:
        country = f"{att.country} " if att.country else ""
        return f"{att.source}, {country}state media"
    return att.source


def _distinct_people(names: list[str]) -> list[str]:
    """ "Emmanuel Macron" and "Macron" are one source: keep the fullest form of each surname."""
    by_surname: dict[str, str] = {}
    for name in sorted(names, key=len, reverse=True):
        by_surname.setdefault(name.split()[-1].lower(), name)
    return sorted(by_surname.values())


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
    institutions = sorted({a.source for a in attributions if a.kind is AttributionKind.named_organisation})
    named = _distinct_people(
        [corrections.get(a.source, a.source) for a in attributions if a.kind is AttributionKind.named_person]
    )

    parts: list[str] = []
    lede_secondhand = [a for a in secondhand if a.start < lede_end]
    if lede_secondhand:
        outlets = "; ".join(dict.fromkeys(_outlet_phrase(a) for a in lede_secondhand))
        setting = " of a setting no reader can verify" if settings else ""
        reports = (
            "one second-hand report"
            if len(lede_secondhand) == 1
            else f"{len(lede_secondhand)} second-hand reports"
        )
        parts.append(f"Central claim rests on {reports} ({outlets}){setting}")
    elif secondhand:
        parts.append(
            _plural(len(secondhand), "second-hand attribution")
            + f" ({', '.join(_outlet_phrase(a) for a in secondhand)})"
        )
    elif settings:
        parts.append(_plural(len(settings), "quote") + " from a setting no reader can verify")
    if unnamed:
        other = "other " if parts else ""
        verb = "is" if len(unnamed) == 1 else "are"
        parts.append(f"{_plural(len(unnamed), other + 'voice')} {verb} unnamed or anonymous")
    if hedges:
        parts.append(_plural(len(hedges), "hedge") + " (reportedly, it is understood…)")
    if institutions:
        parts.append(_plural(len(institutions), "named institution") + f" ({', '.join(institutions)})")
    if named:
        parts.append(_plural(len(named), "named source") + f" on the record ({', '.join(named[:4])})")
    weak = sum(1 for a in attributions if a.strength is Strength.weak)
    if not weak:
        return "Sourcing looks solid: " + "; ".join(parts) + "; nothing unnamed or second-hand found."
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."
