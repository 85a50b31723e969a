"""The named-source pass: people and institutions on the record ("Paganini said", "according to the
Swedish Prosecution Authority", "a statement from the ministry")."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

from bot.extract import attribution_patterns as P
from bot.extract.attribution_context import OUTLET_REPORT, Find, Sentence, institution_find
from bot.extract.attribution_grammar import PREPOSITION_BEFORE, is_reporting
from bot.models import AttributionKind, Strength

_PREPOSITION_DETERMINER_BEFORE = re.compile(
    r"(?=[afiotw])\b(?:with|to|among|for|of|from|at|in|inside|within)\s+(?:the|both|his|her|their|its)\s+$",
    re.IGNORECASE,
)


_APPOSITIVE = r"(?:\s*,\s*(?!(?:and|or|but|while|which|that|as|if|when|where|because|so|then|yet|according)\b)(?:a|an|the|who|whose|[a-z][\w'-]*(?:'s)?|[A-Z][\w&'.-]*'s)[^,;:.\"()]{0,80},)?"


# The capital gate skips the lower-case positions before the optional title's branches are tried.
_NAMED_SUBJECT = re.compile(rf"(?=[A-ZÀ-ÖØ-Þ])(?P<name>{P.CAP_SEQUENCE}){_APPOSITIVE}{P.VERB_PHRASE}")


# Only after a quote or comma: in "members said Trump had ..." Trump is the content, not the speaker.
_INVERTED_NAMED = re.compile(
    rf"(?:(?<=[,\"'])|(?<=[,\"']\s))\s*(?P<verb>{P.INVERTED_VERBS})\s+(?P<name>{P.CAP_SEQUENCE})(?![\w'-])"
    r"(?P<appos>,\s*(?:the|a|an)\s+[^,.;:!?\"]{1,60}?(?=[,.;:!?\"]|$))?"
)

# The verbs `_INVERTED_NAMED` opens on, each a whole lower-case word: a sentence without one needs no scan.
_INVERTED_VERB_WORDS = frozenset(P.INVERTED_VERBS.removeprefix("(?:").removesuffix(")").split("|"))

# "Coalition of the Willing": a capitalised word before a match means the match is only a name's tail.
_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
_VIA_AFTER = re.compile(r",\s*via\s")
_HEADLINE_VERB = re.compile(r"\s(?:Says|Said|Tells|Told|Warns|Claims|Insists|Admits|Denies|Urges|Vows)\b")
_HEDGED_OR_PASSIVE = re.compile(
    r"\b(?:allegedly|reportedly|purportedly|supposedly|rumou?redly)\b"
    r"|\b(?:is|are|was|were|be|been)\s+(?:[a-z]+ly\s+)?(?:seen|thought|believed|considered|regarded|viewed|expected)\b",
    re.IGNORECASE,
)
# "Ms Roe is said to be trying": the passive of saying before an infinitive is a hedge on her, not her words.
_PASSIVE_SAYING = re.compile(
    r"\b(?:is|are|was|were)\s+(?:[a-z]+ly\s+)?(?:said|reported|rumou?red|understood)$"
)
_TO_AFTER = re.compile(r"\s+to\b")
_PART_OF_LONGER_NAME = re.compile(r"(?P<word>[A-Z][\w'-]*)\s+(?:(?:of|for|and|the|de|on)\s+)*$")


_ACCORDING_TO = re.compile(r"\baccording\s+to\s+", re.IGNORECASE)


_ORG_SEQUENCE = re.compile(
    r"(?:(?:its|their|the|his|her|[A-Z][\w'-]*'s)\s+)?(?P<org>[A-Z][\w'&.-]*(?:\s+(?:(?:of|for|and|on|the|de)\s+)*[A-Z][\w'&.-]*){0,7})"
)


_INSTITUTION_VOICE = re.compile(
    r"\b(?:a|an|the)\s+(?:(?:written|joint|brief|short|formal|official|separate)\s+)?"
    r"(?P<what>statement|communiqu[ée]|press\s+release|announcement|readout|letter)"
    r"\s+(?:from|by|of|for|issued\s+by)\s+",
    re.IGNORECASE,
)


_INSTITUTION_WORDS = frozenset(
    [
        "statement",
        "communiqué",
        "communique",
        "release",
        "announcement",
        "readout",
        "letter",
    ]
)


@lru_cache(maxsize=8192)  # a speaker's name recurs through an article
def _classify_name(phrase: str) -> tuple[AttributionKind, str] | None:
    """Named person or named organisation for a capitalised phrase; None if it is not a name at all."""
    if re.search(r"'s$", phrase):
        return None  # "Starmer's remarks": a possessive, not a speaker
    tokens = phrase.split()
    while tokens and tokens[0].lower().strip(".") in P.NOT_NAMES:
        tokens = tokens[1:]
    if not tokens or P.lookup_outlet(" ".join(tokens)) is not None:
        return None
    first = tokens[0].lower()
    if first in P.REPORTING_VERBS or re.search(r"'", first) or re.fullmatch(r"[a-z]\.?", first):
        return None  # an imperative ("Think broadly"), a contraction ("I'm") or a lone initial
    lowered = [t.lower().strip(".,") for t in tokens]
    joined = " ".join(lowered)
    if joined in P.COUNTRY_NAMES or joined in P.CAPITAL_METONYMS:
        return AttributionKind.named_organisation, " ".join(tokens)
    if lowered[-1] in P.UNNAMED_HEADS or lowered[-1] in P.COLLECTIVE_HEADS:
        return None  # "Aides insisted", "Democrats said": a capitalised collective, not a name
    if any(
        (low in P.COLLECTIVE_HEADS or low in P.UNNAMED_HEADS)
        and (after in P.REPORTING_VERBS or after in P.STANCE_VERBS)
        for low, after in pairwise(lowered)
    ):
        return None  # a title-case headline "Some Democrats Fear Clinton Will Lose": the group speaks
    titled = bool(re.fullmatch(P.PERSON_TITLES, tokens[0]))
    roles = [i for i, low in enumerate(lowered) if low in P.ROLE_WORDS]
    tail = tokens[roles[-1] + 1 :] if roles and not titled else []
    if len(tail) >= 2 and all(t[:1].isupper() and t.lower() not in P.ORG_WORDS for t in tail):
        # "White House Press Secretary Stephanie Grisham": the person after the last role word speaks
        return AttributionKind.named_person, " ".join(tail)
    if any(t in P.ORG_WORDS for t in lowered) or any(
        len(t) >= 2 and t.isupper() and "." not in t and not re.fullmatch(r"[IVX]+", t) for t in tokens
    ):
        return AttributionKind.named_organisation, " ".join(tokens)
    name = [t for t, low in zip(tokens, lowered, strict=True) if low not in P.ROLE_WORDS]
    if not any(t[:1].isupper() for t in name):
        return None
    return AttributionKind.named_person, " ".join(tokens if titled else name)


def _in_group_tail(s: str, start: int, name: str) -> bool:
    """ "ties to both Clintons cited", "officials at the Justice Department said": a family or an
    institution after "preposition + the" belongs to the group before it. A full personal name
    ("ambassador to the Ukraine Marie Yovanovitch testified") still speaks for itself."""
    if not _PREPOSITION_DETERMINER_BEFORE.search(s, 0, start):
        return False
    classified = _classify_name(name)
    return classified is None or classified[0] is not AttributionKind.named_person or len(name.split()) < 3


# Heads that end a paper's title as the subject of "said": not the ones companies end on too ("Royal Mail",
# "American Express", "Standard").
_PAPER_HEADS = (
    P.NEWSPAPER_TITLE_WORDS - {"mail", "express", "standard", "record", "star", "sun", "independent"}
) | {
    "reporter",
    "intelligencer",
}


def _unlisted_paper(source: str) -> bool:
    """A title ending on a newspaper's word that the outlet list does not hold ("The San Francisco Chronicle",
    "The Hollywood Reporter"): its word reaches the desk second-hand. A reporter "of the Washington Post" is
    named on the record."""
    words = source.split()
    return (
        len(words) > 1
        and "of" not in words
        and words[-1].lower().rstrip(".") in _PAPER_HEADS
        and P.lookup_outlet(source) is None
    )


def find_named(c: Sentence) -> list[Find]:
    s, out = c.text, []

    def add(start: int, end: int, phrase: str) -> None:
        classified = _classify_name(phrase)
        if classified is None:
            return
        kind, source = classified
        paper = _unlisted_paper(phrase)
        if paper or (
            kind is AttributionKind.named_organisation
            and s[:end].endswith(" reports")
            and _ACRONYM.search(source)
        ):
            # "CBS DFW reports", "The San Francisco Chronicle says": an outlet the list does not know, relaying
            # its own report
            out.append(
                Find(
                    c.base + start,
                    c.base + end,
                    phrase.strip().rstrip(".") if paper else source,
                    AttributionKind.secondhand,
                    Strength.weak,
                    OUTLET_REPORT,
                    50,
                )
            )
        elif kind is AttributionKind.named_person:
            out.append(
                Find(c.base + start, c.base + end, source, kind, Strength.strong, "named on the record", 95)
            )
        else:
            out.append(institution_find(c.base + start, c.base + end, source, 50))

    if c.reporting:
        for m in _NAMED_SUBJECT.finditer(s):
            if headline := _HEADLINE_VERB.search(m["name"]):
                add(m.start(), m.start("name") + headline.end(), m["name"][: headline.start()])
                continue  # "Jane Doe Says Talks Will Resume": a title-case headline's speaker
            if (
                not is_reporting(m)
                or P.UNNAMED_REPORTS.match(s, m.start())
                or P.BARE_MEDIA.match(s, m.start())
            ):
                continue  # "Unconfirmed reports said", "Media reported": no name, an unnamed report
            if m["verb"][0].isupper() and P.lookup_outlet(f"{m['name']} {m['verb']}"):
                continue  # "Associated Press": a name's own last word, not its verb
            if _HEDGED_OR_PASSIVE.search(m.group(0)) or (
                _PASSIVE_SAYING.search(m.group(0)) and _TO_AFTER.match(s, m.end())
            ):
                continue  # "Scooter Braun is allegedly unhappy", "Scotland is seen as": not on the record
            longer = _PART_OF_LONGER_NAME.search(s, 0, m.start())
            start = m.start()
            if longer and longer["word"].lower() in P.ROLE_WORDS:
                start, longer = longer.start(), None  # "Secretary of State Mike Pompeo said": the role is his
            if (
                PREPOSITION_BEFORE.search(s, 0, start)
                or _in_group_tail(s, start, m.group("name"))
                or (longer and longer["word"].lower() not in P.NOT_NAMES)
                or s[start - 1 : start] == "."
            ):
                continue  # ".IXIC added": a ticker glued to its stop is no name
            if _VIA_AFTER.match(s, m.end("name")):
                add(start, m.end("name"), s[start : m.end("name")])  # "Richardson, via USA Today, said"
            else:
                add(start, m.end(), s[start : m.end("name")])
        for m in _INVERTED_NAMED.finditer(s) if not c.words.isdisjoint(_INVERTED_VERB_WORDS) else ():
            if m["verb"] == "told":
                continue  # '..., told Newsweek': whoever was told is the venue, not the speaker
            add(m.start(), m.end("appos") if m.group("appos") else m.end("name"), m.group("name"))
    if "according" in c.words:
        for m in _ACCORDING_TO.finditer(s):
            org = _ORG_SEQUENCE.match(s, m.end())
            head = re.match(r"\s+([a-z]+)", s[org.end() :]) if org else None
            if head and (head[1] in P.UNNAMED_HEADS or head[1] in P.GROUP_HEADS):
                continue  # "according to Republican strategists": an unnamed role, not a name
            if P.TRADE_METONYMS.match(s, m.end()):
                continue  # "according to Wall Street": a trade, nobody on the record
            if org and org.group("org"):
                add(m.start(), org.end(), org.group("org"))
    if not c.words.isdisjoint(_INSTITUTION_WORDS):
        for m in _INSTITUTION_VOICE.finditer(s):
            org = _ORG_SEQUENCE.match(s, m.end())
            if not org or not org.group("org"):
                continue
            classified = _classify_name(org.group("org"))
            if classified is None or classified[0] is not AttributionKind.named_organisation:
                continue
            out.append(institution_find(c.base + m.start(), c.base + org.end(), classified[1], 75))
    return out


def settle_lone_names(text: str, finds: list[Find]) -> list[Find]:
    """A one-word speaker ("Nokia said", "Dempsey said") is a person only where the article also gives a
    personal name with that word ("Owen Dempsey", "Scooter Braun", "Mr Green", "Chairman Schiff");
    otherwise it is an organisation ("Nokia", "Hitachi", "Marsh")."""
    if not any(map(_lone, finds)):
        return finds
    personal = personal_words(text)
    return [
        institution_find(f.start, f.end, f.source, f.priority) if _lone(f) and f.source not in personal else f
        for f in finds
    ]


def _lone(f: Find) -> bool:
    return f.kind is AttributionKind.named_person and " " not in f.source


@lru_cache(maxsize=4)
def personal_words(text: str) -> frozenset[str]:
    """Every capitalised word the article uses inside a personal name: beside a first name or surname, after
    an initial, an honorific or a title.

    Cached: the lone-name and the anaphora settling both read it, a scan of the whole article."""
    words: set[str] = set()
    for m in _NAME_PAIR.finditer(text):
        first, second = m["first"], m["second"]
        low_first, low_second = first.lower().strip("."), second.lower()
        if m["title"] or (low_first not in P.NOT_NAMES and low_first not in P.ORG_WORDS):
            words.add(second)  # "Owen Dempsey", "Mr Green", "Chairman Schiff", "J. Doe"
        if not m["title"] and low_second not in _NOT_SURNAMES:
            words.add(first)  # "Scooter Braun"
    return frozenset(words)


_NOT_SURNAMES = P.NOT_NAMES | P.ORG_WORDS | P.ROLE_WORDS
_NAME_PAIR = re.compile(
    rf"(?=[A-Z])\b(?P<first>(?P<title>{P.HONORIFIC}|[A-Z]\.)|[A-Z][\w'-]+)"
    r"\s+(?=(?P<second>[A-Z][\w'-]+))"
)
