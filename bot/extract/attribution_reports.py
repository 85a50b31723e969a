"""Passes for information with no source or an unnamed channel: hedges ("reportedly"), unnamed reports
and media ("according to reports"), and settings no reader can verify ("a closed-door briefing")."""

from __future__ import annotations

import re

from bot.extract import attribution_patterns as P
from bot.extract.attribution_context import OUTLET_REPORT, Find, Sentence, institution_find, weak_find
from bot.models import AttributionKind

_UNVERIFIED_WORDS = frozenset({"verified", "verify", "confirmed", "confirm", "unverified"})
_RELAYED_WORDS = frozenset(
    "took take takes taking tweeted via statement twitter instagram facebook tiktok weibo youtube reddit "
    "snapchat online users commenter commenters".split()
)
_OBTAINED_WORDS = frozenset({"obtained", "seen", "reviewed", "reported", "broadcast", "aired"})
_PASSIVE_HEDGE_WORDS = frozenset(
    "expected tipped predicted forecast projected estimated touted rumoured rumored credited".split()
)
_FINDING_WORDS = frozenset(
    "survey poll study studies research figures data statistics newspaper tabloid magazine broadcaster website "
    "blog outlet station channel".split()
)
# Cheap gate: a sentence without one of these has no hedge, unnamed report or relayed channel.
_HEDGE_WORDS = (
    frozenset(
        """
        apparently predicted expected hoped regarded perceived expressed raised voiced alleged purported
        reportedly allegedly purportedly supposedly rumoured rumored rumouredly ostensibly understood claimed
        believed said thought suggested argued assumed feared speculated known held considered estimated
        reckoned presumed viewed accepted reports report rumours rumors claims suggestions allegations
        unconfirmed according media emerged agencies
        """.split()
    )
    | _UNVERIFIED_WORDS
    | _RELAYED_WORDS
    | _OBTAINED_WORDS
    | _FINDING_WORDS
    | _PASSIVE_HEDGE_WORDS
    | {"story", "article"}
)
# Words without which `P.HEDGES` cannot match (one of its branches' own words, or an auxiliary or "it" with
# the verbs that follow them there): most sentences that pass `_HEDGE_WORDS` only hold "said".
_HEDGE_ALONE = frozenset(
    """
    reportedly allegedly purportedly supposedly rumoured rumored rumouredly rumoredly ostensibly apparently
    reported alleged purported expressed raised voiced emerged reports claims rumours rumors suggestions
    allegations unconfirmed widely reputed
    """.split()
)
_HEDGE_AFTER_IT = frozenset(
    """
    understood claimed believed reported alleged rumoured rumored suggested feared speculated predicted said
    thought argued assumed known held considered estimated expected hoped emerged
    """.split()
)
_HEDGE_AUXILIARIES = frozenset({"is", "are", "was", "were", "been"})
_HEDGE_AFTER_AUXILIARY = frozenset(
    """
    seen regarded viewed considered perceived said believed thought understood reported alleged rumoured
    rumored claimed reckoned presumed widely generally commonly often
    """.split()
)


# Beyond a word of `_RELAYED_WORDS`, what each phrase `P.RELAYED` finds holds: most sentences with "take",
# "online" or "statement" relay nothing.
_PLATFORMS = tuple("Twitter Instagram Facebook TikTok Weibo YouTube Reddit Snapchat social".split())
_PLATFORM_WORDS = frozenset(p.lower() for p in _PLATFORMS) | {"x", "wechat", "telegram", "online"}
_USERS = frozenset(
    "user users commenter commenters commentator commentators poster posters account accounts".split()
)
_TAKEN_TO = frozenset("took take takes taking".split())
_POSTED_ON = frozenset("wrote said posted announced shared".split())
_POSSESSIVES = frozenset("his her their its".split())


def _may_relay(c: Sentence) -> bool:
    """Whether `P.RELAYED` can match: a tweet, "via", a statement to someone, users of a platform, or a
    platform's name (which may open a longer word: "took to Twitterverse") with the words its phrase needs."""
    w = c.words
    if "tweeted" in w or "via" in w or ("statement" in w and "to" in w):
        return True
    if not w.isdisjoint(_USERS) and not w.isdisjoint(_PLATFORM_WORDS):
        return True  # "some Twitter users", "one user on Weibo"
    if not any(platform in c.text for platform in _PLATFORMS):
        return False
    return (
        ("to" in w and not w.isdisjoint(_TAKEN_TO))  # "took to Twitter"
        or ("on" in w and not w.isdisjoint(_POSTED_ON))  # "wrote on Facebook"
        or "in" in w  # "in an Instagram post"
        or not w.isdisjoint(_POSSESSIVES)  # "on her Instagram story"
    )


def _may_hedge(words: frozenset[str]) -> bool:
    return (
        not words.isdisjoint(_HEDGE_ALONE)
        or ("it" in words and not words.isdisjoint(_HEDGE_AFTER_IT))
        or (not words.isdisjoint(_HEDGE_AUXILIARIES) and not words.isdisjoint(_HEDGE_AFTER_AUXILIARY))
    )


# "a report from WKOW", "a study by researchers at ...": who made the report, right after it.
_BY_OUTLET_AFTER = re.compile(
    r"(?:\s+(?:on\s+)?[A-Z][a-z]+day)?\s+(?:from|by|in|published\s+in)\s+"
    r"(?P<outlet>(?:the\s+)?[A-Z][\w!&.'-]*(?:\s+(?:of\s+)?[A-Z][\w!&.'-]*){0,4})"
)
# "charged with battery for allegedly grabbing", "impeachment proceedings for allegedly abusing": the hedge is
# the charge's own wording, and the charge is the story's named act, not an unsourced claim.
_CHARGE_BEFORE = re.compile(r"\b(?:for|of|with)\s+$", re.IGNORECASE)
# A clause of purpose before the subject of "is seen as": "ensure that", "make sure", "so that" (a goal, not a view).
_GOAL_BEFORE = re.compile(
    r"\b(?:ensur(?:e|es|ed|ing)|mak(?:e|es|ing)\s+sure|made\s+sure|so\s+that|in\s+order\s+that)\s+"
    r"(?:that\s+)?(?:[\w'-]+\s+){0,4}$",
    re.IGNORECASE,
)
_SEEN_AS = re.compile(r"\b(?:seen|regarded|viewed|perceived|considered)\s+as$", re.IGNORECASE)
_NUMBERS_NOUN = re.compile(r"\b(?:figures|data|statistics)$")
# Why a report nobody is named behind is weak; `settle_named_reports` reads them back.
NO_OUTLET = "second-hand, no outlet named"
NO_AUTHOR = "second-hand, no author named"
_REPORT_WORDS = frozenset({"report", "reports", "rumors", "rumours", "story", "article"})


_SECONDHAND_WORDS = frozenset({"according", "media", "press", "reports", "report", "agencies"})


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


# Organisation words that make a report's author an institution on its own record, not another outlet.
_OWN_RECORD_WORDS = P.ORG_WORDS - frozenset(
    "news times post journal tribune herald gazette press media television radio channel network".split()
)


def _is_institution(name: str) -> bool:
    words = [w.lower().removesuffix("'s") for w in name.split()]
    return not P.lookup_outlet(name) and (
        any(w in _OWN_RECORD_WORDS for w in words) or " ".join(words).removeprefix("the ") in P.COUNTRY_NAMES
    )


def _newspaper(name: str) -> bool:
    """A paper the outlet list knows, or a title ending on a newspaper's word ("the Sunday Express")."""
    outlet = P.lookup_outlet(name)
    last = name.split()[-1].lower().rstrip(".")
    return (outlet is not None and not outlet.state_media) or last in P.NEWSPAPER_TITLE_WORDS


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
        NO_OUTLET,
        55,  # above a named institution: "Media Reports Reveal ..." is no organisation's name
    )


def _outlet_report(c: Sentence, m: re.Match[str], outlet: str) -> Find:
    """Another outlet's report, relayed: "the report in the Sunday Express", "obtained by Variety"."""
    return weak_find(
        c.base + m.start(), c.base + m.end(), outlet, AttributionKind.secondhand, OUTLET_REPORT, 50
    )


def _hedge(c: Sentence, m: re.Match[str], reason: str, priority: int) -> Find:
    return weak_find(
        c.base + m.start(), c.base + m.end(), m.group(0), AttributionKind.hedge, reason, priority
    )


def find_hedges_and_reports(c: Sentence) -> list[Find]:
    if c.words.isdisjoint(_HEDGE_WORDS):
        return []
    s, out = c.text, []
    for m in P.HEDGES.finditer(s) if _may_hedge(c.words) else ():
        if _GOAL_BEFORE.search(s, max(0, m.start() - 80), m.start()) and _SEEN_AS.search(m.group(0)):
            continue  # "to ensure that mobiles are seen as cheap": how someone wants a thing seen, no view reported
        if re.match(r"(?:there|unconfirmed|reports|rumou?rs)\b", m.group(0).lower()):
            out.append(_unnamed_report(c, m))
        elif not (m.group(0).lower() == "allegedly" and _CHARGE_BEFORE.search(s, 0, m.start())):
            out.append(_hedge(c, m, "hedge, no source named", 40))
    if not c.words.isdisjoint(_PASSIVE_HEDGE_WORDS):
        for m in P.PASSIVE_HEDGES.finditer(s):
            if not P.NAMED_AGENT_AFTER.match(s, m.end()):
                out.append(_hedge(c, m, "hedge, no source named", 40))
    if not c.words.isdisjoint(_UNVERIFIED_WORDS):
        for m in P.UNVERIFIED.finditer(s):
            out.append(_hedge(c, m, "the story says it could not be verified", 45))
    if not c.words.isdisjoint(_REPORT_WORDS):
        out.extend(_unnamed_report(c, m) for m in P.UNNAMED_REPORTS.finditer(s))
        out.extend(
            _outlet_report(c, m, m["outlet"])
            for m in P.REPORT_IN_OUTLET.finditer(s)
            if _newspaper(m["outlet"])
        )
        out.extend(_unnamed_report(c, m) for m in P.REPORTS_THAT.finditer(s) if _opens_clause(s, m.start()))
    if "media" in c.words:
        out.extend(_unnamed_report(c, m) for m in P.BARE_MEDIA.finditer(s) if _opens_clause(s, m.start()))
        headline = P.MEDIA_HEADLINE.match(s)
        if headline and _is_title_verb(headline["verb"]):
            out.append(_unnamed_report(c, headline))
    if not c.words.isdisjoint(_SECONDHAND_WORDS):
        for m in P.SECONDHAND_VAGUE.finditer(s):
            source = re.sub(r"(?i)^(?:according\s+to|[a-z]+\s+(?:first\s+)?(?:by|in))\s+", "", m.group(0))
            end, reason = m.end(), NO_OUTLET
            by = _BY_OUTLET_AFTER.match(s, m.end())
            if (
                by and (_is_institution(by["outlet"]) or _NUMBERS_NOUN.search(m.group(0)))
            ) or P.AUTHOR_AFTER.match(s, m.end()):
                # "a report from the SITE Intelligence Group": an institution's own report; "according to data
                # from MarketAxess": the named body's own figures, as "according to Pentagon figures" is
                continue
            if by:
                # "according to a new report by E! News": another outlet's report, relayed
                end, source, reason = by.end(), by["outlet"], OUTLET_REPORT
            out.append(
                weak_find(c.base + m.start(), c.base + end, source, AttributionKind.secondhand, reason, 50)
            )
    if not c.words.isdisjoint(_FINDING_WORDS):
        out.extend(
            weak_find(c.base + start, c.base + end, source, AttributionKind.secondhand, reason, 50)
            for start, end, source, reason in _unsourced(s)
        )
    if not c.words.isdisjoint(_RELAYED_WORDS) and _may_relay(c):
        for m in P.RELAYED.finditer(s):
            outlet = m["via"] or m["to"]
            out.append(
                weak_find(
                    c.base + m.start(),
                    c.base + m.end(),
                    outlet or "a social-media post",
                    AttributionKind.secondhand,
                    OUTLET_REPORT if outlet else "second-hand: a social-media post",
                    50,
                )
            )
    if not c.words.isdisjoint(_OBTAINED_WORDS):
        for m in P.OBTAINED_BY.finditer(s):
            if _is_institution(m["outlet"]):
                continue  # "obtained by Citizens United, the advocacy group": named on its own record
            out.append(_outlet_report(c, m, m["outlet"]))
    return out


# Words before findings that make them someone's ("the figures", "its survey", "results of polls", "focus
# groups and other research"), and words that end the noun phrase without saying whose they are.
_OWNERS = frozenset("the its his her their our these those of by from and or".split())
_PHRASE_STOPS = frozenset(
    "this that last earlier while as but when after before since because day week month year today".split()
)
_INDEFINITE = frozenset("a an one another".split())
# Official statistics are the state's, on its record: editors list "Government figures show" as named.
_OFFICIAL = frozenset(
    "government official ministry department federal census treasury council police".split()
)
_TOKEN = re.compile(r"[\w'.&-]+|[^\w\s]")


def _unsourced(s: str) -> list[tuple[int, int, str, str]]:
    """Findings and outlets nobody is named behind: (start, end, source, reason)."""
    found = []
    for m in P.UNSOURCED_FINDINGS.finditer(s):
        if (start := _findings_start(s, m.start(), m["noun"])) is not None:
            found.append((start, m.end(), s[start : m.start()] + m["noun"], NO_AUTHOR))
    for m in P.UNNAMED_OUTLET.finditer(s):
        found.append((m.start(), m.end(), m["np"], NO_OUTLET))
    return found


def _findings_start(s: str, start: int, noun: str) -> int | None:
    """Where an authorless finding's noun phrase starts, or None when the words before name its owner: a
    determiner or possessive ("the survey", "Nielsen figures", "the ONS's data"), or, for one study or poll,
    no indefinite article ("the survey found" points back to one already named)."""
    tokens = list(_TOKEN.finditer(s, max(0, start - 60), start))
    singular = noun.lower() in {"survey", "poll", "study"}
    for count, token in enumerate(reversed(tokens[-5:])):
        word = token.group(0).strip("'") or "'"
        low = word.lower()
        if low in _INDEFINITE:
            return token.start() if count <= 2 else None
        if low in _OWNERS or low in _OFFICIAL or low.endswith("'s") or low.endswith("s'"):
            return (
                None  # "the now closely watched hourly earnings data", "Government figures" (the state's own)
            )
        if low in _PHRASE_STOPS or not word[0].isalnum():
            break
        if word[0].isupper() and s[: token.start()].strip(" \"'("):
            return None  # a capital inside the sentence is a name: "YouGov poll", "Census data"
        if count < 2:
            start = token.start()
    return None if singular else start


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


# "a report says ... The study, undertaken by the European Commission, ...": the next lines name who wrote it.
_ONE_REPORT = re.compile(r"(?i:an?)\s+(?:(?:new|recent|fresh|published)\s+)?(?:report|study|survey)\b")
_AUTHOR_NAMED_LATER = re.compile(
    r"\b[Tt]he\s+(?:report|study|survey|research|review|analysis),?\s+(?:which\s+was\s+)?(?:undertaken|published|"
    r"commissioned|carried\s+out|compiled|written|produced|conducted|released|issued|prepared)\s+by\s+"
    r"(?P<author>(?:the\s+)?[A-Z][\w&'.-]*(?:\s+(?:of\s+|for\s+)?[A-Z][\w&'.-]*){0,5})"
)
_UNAUTHORED = frozenset({NO_OUTLET, NO_AUTHOR})


def settle_named_reports(text: str, finds: list[Find]) -> list[Find]:
    """One report or study given without its author ("a report says") whose author the following lines name
    ("The study, undertaken by the European Commission, ...") is that body's, on its record; a paper the outlet
    list holds stays its report, and an author never named leaves the find weak."""
    out = []
    for f in finds:
        if f.reason in _UNAUTHORED and _ONE_REPORT.match(text, f.start):
            later = _AUTHOR_NAMED_LATER.search(text, f.end, f.end + 600)
            if later and not P.lookup_outlet(later["author"]):
                f = institution_find(f.start, f.end, later["author"].removeprefix("the "), f.priority)
        out.append(f)
    return out
