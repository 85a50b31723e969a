"""The outlet pass: second-hand reporting through a named news outlet, weak when it is state media
(the list and its criteria are in outlets.json and outlets.md)."""

from __future__ import annotations

import re
from itertools import pairwise

from bot.extract import attribution_patterns as P
from bot.extract.attribution_context import Find, Sentence, weak_find
from bot.extract.attribution_grammar import VERB_AFTER, is_reporting
from bot.models import AttributionKind, Strength

_OUTLET_VERB_AFTER = re.compile(
    r"(?:\s+(?:America|International|World|News|English|network|channel|broadcaster|news\s+agency|agency|"
    r"newspaper|tabloid|daily|website|television|TV))?"
    r"(?:\s*,\s*(?:the|a|an|which)\s[^,.;:!?\"]{1,80}?,)?"  # "RT, the Kremlin-funded network, aired"
    r"(?:'s\s+(?:report|reporting|account|correspondent|website|broadcast|story|article|coverage|piece|"
    r"editorial))?(?:\s+(?:also|later|earlier|first|has|had|have|is|was|previously|on\s+\w+day)){0,2}"
    r"\s+(?:reported|reports|reporting|said|says|quoted|quotes|cited|cites|claimed|claims|wrote|writes|announced|"
    r"broadcast|published|stated|added|aired|airing|learned|revealed|alleged|alleges|carried|ran)\b",
)


_NAME_TAIL_BEFORE = re.compile(r"(?:[A-Z][\w']*(?:-[A-Z][\w']*)*(?<!'s)|[A-Z]\.)\s+$")


_OUTLET_VERB_BEFORE = re.compile(
    r"\b(?:(?:reported|quoted|cited|published|broadcast|aired|carried|released)\s+(?:by|in|on)"
    r"|(?:seen|reviewed|obtained)\s+by)\s+$",  # "an email reviewed by Reuters": the outlet vouches for it
    re.IGNORECASE,
)


_OUTLET_AS_VENUE_BEFORE = re.compile(
    r"(?=[aciostw])\b(?:told|telling|tells|interview\s+with|speaking\s+to|spoke\s+to|speaking\s+with|spoke\s+with|wrote\s+in|writing\s+in|op-ed\s+in|appearance\s+on|appeared\s+on|said\s+on|column\s+in)\s+$",
    re.IGNORECASE,
)


def find_outlets(c: Sentence) -> list[Find]:
    if c.words.isdisjoint(P.outlet_first_words()):
        return []
    pattern, _ = P.outlet_index()
    s, out = c.text, []
    for m in pattern.finditer(s):
        outlet = P.lookup_outlet(m.group(0))
        if outlet is None:
            continue
        before = s[: m.start()]
        if _OUTLET_AS_VENUE_BEFORE.search(before):
            continue  # "told the BBC": the speaker is the source, the outlet only the venue
        if _NAME_TAIL_BEFORE.search(before) and not m.group(0).lower().startswith("the"):
            continue  # "Michael R. Bloomberg": the tail of a name ("North Korea's KCNA", "Kremlin-backed RT": not)
        start, end = m.start(), m.end()
        according = re.search(r"\baccording\s+to\s+$", before, re.IGNORECASE)
        via = _OUTLET_VERB_BEFORE.search(before)
        verb = _OUTLET_VERB_AFTER.match(s, m.end()) or VERB_AFTER.match(s, m.end())
        if verb and verb.re is VERB_AFTER and not is_reporting(verb):
            verb = None
        if according:
            start = according.start()
        elif via:
            start = via.start()
        elif verb:
            end = verb.end()
        else:
            continue
        if outlet.state_media:
            kind, strength = AttributionKind.state_media, Strength.weak
            reason = f"second-hand: state media ({outlet.country})"
        else:
            kind, strength = AttributionKind.named_outlet, Strength.moderate
            reason = "second-hand: named outlet"
        out.append(
            Find(c.base + start, c.base + end, outlet.name, kind, strength, reason, 85, outlet.country)
        )
    return out


# What an outlet relays when it names nobody: "According to AFP, one user on Weibo posted", "Reuters quoted one
# trader as saying".
_UNNAMED_KINDS = frozenset(
    {
        AttributionKind.secondhand,
        AttributionKind.anonymous,
        AttributionKind.unnamed_official,
        AttributionKind.vague_collective,
    }
)
_RIGHT_BEFORE = re.compile(r"[\s,:]*")


def settle_relays(text: str, finds: list[Find]) -> list[Find]:
    """An outlet that relays someone it does not name (the next find, right after it) is itself a second-hand
    link the desk cannot check: the outlet's word is only that someone unnamed said so. `finds` in text order."""
    out = list(finds)
    for i, (f, g) in enumerate(pairwise(finds)):
        if (
            f.kind is AttributionKind.named_outlet
            and g.strength is Strength.weak
            and g.kind in _UNNAMED_KINDS
            and _RIGHT_BEFORE.fullmatch(text, f.end, g.start)
        ):
            out[i] = weak_find(
                f.start, f.end, f.source, AttributionKind.secondhand, _RELAYED_REASON, f.priority
            )
    return out


_RELAYED_REASON = "second-hand: an outlet relaying someone it does not name"
