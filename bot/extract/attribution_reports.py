"""Passes for information with no source or an unnamed channel: hedges ("reportedly"), unnamed reports
and media ("according to reports"), and settings no reader can verify ("a closed-door briefing")."""

from __future__ import annotations

import re

from bot.extract import attribution_patterns as P
from bot.extract.attribution_context import Find, Sentence, weak_find
from bot.models import AttributionKind

_HEDGE_WORDS = frozenset(
    [
        "reportedly",
        "allegedly",
        "purportedly",
        "supposedly",
        "rumoured",
        "rumored",
        "rumouredly",
        "ostensibly",
        "understood",
        "claimed",
        "believed",
        "reported",
        "alleged",
        "said",
        "thought",
        "suggested",
        "argued",
        "assumed",
        "feared",
        "speculated",
        "known",
        "held",
        "considered",
        "estimated",
        "reckoned",
        "presumed",
        "regarded",
        "seen",
        "viewed",
        "accepted",
        "reports",
        "report",
        "rumours",
        "rumors",
        "claims",
        "suggestions",
        "allegations",
        "unconfirmed",
        "according",
        "media",
    ]
)


_REPORT_WORDS = frozenset({"report", "reports", "rumors", "rumours"})


_SECONDHAND_WORDS = frozenset({"according", "media", "press", "reports"})


_SETTING_WORDS = frozenset(
    [
        "closed",
        "private",
        "secret",
        "confidential",
        "internal",
        "unpublished",
        "leaked",
        "classified",
        "informal",
        "behind",
        "off",
        "seen",
        "obtained",
        "reviewed",
        "record",
    ]
)


def _is_title_verb(word: str) -> bool:
    """ "Growls", "Ignores": a title-case present tense, not a plural noun ("Matters") or "Bias"."""
    low = word.lower()
    return (
        low not in P.MEDIA_TITLE_NOUNS
        and low not in P.COLLECTIVE_HEADS
        and low not in P.UNNAMED_HEADS
        and not low.endswith(("ss", "us", "is", "ias"))
    )


def _opens_clause(s: str, start: int) -> bool:
    return bool(P.CLAUSE_OPENS_BEFORE.search(s, max(0, start - 5), start))


def _unnamed_report(c: Sentence, m: re.Match[str]) -> Find:
    return weak_find(
        c.base + m.start(),
        c.base + m.end(),
        "unnamed reports",
        AttributionKind.secondhand,
        "second-hand: unnamed reports",
        55,  # above a named institution: "Media Reports Reveal ..." is no organisation's name
    )


def find_hedges_and_reports(c: Sentence) -> list[Find]:
    if c.words.isdisjoint(_HEDGE_WORDS):
        return []
    s, out = c.text, []
    for m in P.HEDGES.finditer(s):
        if re.match(r"(?:there|unconfirmed|reports|rumou?rs)\b", m.group(0).lower()):
            out.append(_unnamed_report(c, m))
        else:
            out.append(
                weak_find(
                    c.base + m.start(),
                    c.base + m.end(),
                    "no one named",
                    AttributionKind.hedge,
                    "hedge, no source named",
                    40,
                )
            )
    if not c.words.isdisjoint(_REPORT_WORDS):
        out.extend(_unnamed_report(c, m) for m in P.UNNAMED_REPORTS.finditer(s))
        out.extend(_unnamed_report(c, m) for m in P.REPORTS_THAT.finditer(s) if _opens_clause(s, m.start()))
    if "media" in c.words:
        out.extend(_unnamed_report(c, m) for m in P.BARE_MEDIA.finditer(s) if _opens_clause(s, m.start()))
        headline = P.MEDIA_HEADLINE.match(s)
        if headline and _is_title_verb(headline["verb"]):
            out.append(_unnamed_report(c, headline))
    if not c.words.isdisjoint(_SECONDHAND_WORDS):
        for m in P.SECONDHAND_VAGUE.finditer(s):
            if re.match(r"(?:\s+\w+day)?\s+(?:from|by|in)\s+(?:the\s+)?[A-Z]", s[m.end() :]):
                continue  # "a report from WKOW": the outlet is named, so not an unnamed report
            source = re.sub(r"(?i)^(?:according\s+to|[a-z]+\s+(?:first\s+)?(?:by|in))\s+", "", m.group(0))
            out.append(
                weak_find(
                    c.base + m.start(),
                    c.base + m.end(),
                    source,
                    AttributionKind.secondhand,
                    "second-hand: unnamed reports",
                    50,
                )
            )
    return out


def find_settings(c: Sentence) -> list[Find]:
    if c.words.isdisjoint(_SETTING_WORDS) or not (c.reporting or c.quoted):
        return []
    out = []
    for m in [*P.UNVERIFIABLE_SETTINGS.finditer(c.text), *P.SEEN_BY.finditer(c.text)]:
        out.append(
            weak_find(
                c.base + m.start(),
                c.base + m.end(),
                m["setting"],
                AttributionKind.unverifiable_setting,
                "unverifiable setting",
                80,
            )
        )
    return out
