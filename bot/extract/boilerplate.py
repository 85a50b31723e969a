"""Lines of a news page that are never claims, whatever the model makes of their words.

Pages carry navigation ("Read more: …", "Profile: Julian Assange", "[VIDEO]" teasers), captions and
credits ("(Graphic: … - here)", "Main image credit: Getty", "Reporting by …; Editing by …"), copyright
and sharing prompts, the publisher's offers and notices ("Get access to … for as little as Rs 599"),
procedural lines ("did not respond to a request for comment") and questions. A fact-check
desk never assigns them (../shared/design/news-card-labelling.md calls them "no"), yet their numbers, names
and reporting verbs look like evidence to a sentence scorer. These rules run before scoring in both
extractor modes, so neither card lists them.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class _Kind(NamedTuple):
    """One kind of furniture: a pattern matched at the sentence's start, and one searched anywhere in it
    only when the lower-cased sentence holds one of `needles` (most sentences hold none, so cost nothing)."""

    reason: str
    start: re.Pattern[str] | None
    anywhere: re.Pattern[str] | None = None
    needles: tuple[str, ...] = ()


_I = re.IGNORECASE
# The first kind that matches names the reason.
_KINDS: tuple[_Kind, ...] = (
    _Kind(
        "navigation",
        re.compile(
            r"\W*(?:(?:read more|see more|see also|more on this(?: story)?|related(?: articles| stories| topics)?"
            r"|don['’]?t miss|most (?:read|popular)|trending(?: now)?|recommended|watch(?: now)?|listen(?: now)?"
            r"|live(?: updates?)?|in pictures|profile|timeline|factbox|explainer|q&a|analysis|opinion|sign up"
            r"|subscribe|newsletter|follow us|share this(?: article| story)?|advertisement)\s*(?:[:|\-–—]|$)"
            r"|(?:timeline|profile) of\b[^.]{0,40}$|also on [\w-]+\.(?:com|org|net|co\.uk|tv)\b"
            r"|(?:like this story|share it with a friend|click here|sign up (?:for|to)|subscribe to)\b"
            r"|get the day['’]s\b)",
            _I,
        ),
        # A teaser link with its tag ("China furious at Macron … [INSIGHT]|"), a line that is one link list.
        re.compile(
            r"\[(?:VIDEO|INSIGHT|REACTION|PICTURES|PHOTOS|POLL|LIVE|REVEALED|LATEST)\]|\|\s*$"
            r"|\bdelivered (?:straight )?to your inbox\b"
        ),
        ("[", "|", "inbox"),
    ),
    _Kind(
        "caption",
        re.compile(
            r"\W*(?:main |top |header )?(?:image|photo|picture|graphic|video|chart|map)s?(?: credit| caption)?\s*:"
            r"|\(?(?:graphic|photo|picture|chart|video|map)s?\s*:.*\)?\W*$|\W*getty\W*$"
            r"|this (?:graphic|chart|map|photo|image|picture|video|infographic)\b[^.]*\b(?:shows|provided)",
            _I,
        ),
        re.compile(r"\b(?:image|photo|picture) (?:copyright|credit|caption)\b|\bgetty images\W*$", _I),
        ("copyright", "credit", "caption", "getty"),
    ),
    _Kind(
        "credit",
        re.compile(
            r"\W*(?:(?:additional )?(?:reporting|writing|editing) by\b|(?:©|\(c\))|copyright (?:©|\(c\)|\d{4})"
            r"|(?:read|view) the original (?:article|story)\W*$"
            r"|this (?:article|story) (?:was|has been|is) (?:originally |first )?"
            r"(?:published|republished|updated|amended|corrected)\b)",
            _I,
        ),
        re.compile(
            r"contributed (?:to )?(?:this|the) (?:report|story|article)\W*$|\ball rights reserved\b"
            r"|\bmay not be (?:published|broadcast|rewritten|redistributed)",
            _I,
        ),
        ("contributed", "rights reserved", "may not be"),
    ),
    # A publisher's own offer or notice: reprint and subscription sales, an investment disclaimer.
    _Kind(
        "promo",
        re.compile(
            r"\W*(?:get access to|for non-personal use|to order (?:multiple|presentation-ready) copies)\b", _I
        ),
        re.compile(
            r"\bplease contact [^.]{0,40}\breprints\b|\bfor as little as\b[^.]{0,40}\b(?:a|per|for the first|first) "
            r"(?:year|month|week)\b|\bbefore (?:taking|making) any investment decisions?\b",
            _I,
        ),
        ("reprints", "as little as", "investment decision"),
    ),
    _Kind("credit", re.compile(r"\W*by [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}\W*$")),  # a byline
    _Kind("dateline", re.compile(r"[A-Z][A-Z.'’ -]+, [A-Z][a-z]+\.?$")),  # "ST. JOSEPH, Mich." on its own
    _Kind(
        "no comment",
        None,
        re.compile(
            r"\b(?:did not|didn't|didn’t|has not|hasn't|hasn’t|have not|haven't|haven’t) (?:immediately )?"
            r"(?:respond(?:ed)?|reply|replied|return(?:ed)?)\b[^.]{0,40}\b(?:requests?|calls?|messages?|emails?|comment)"
            r"|\b(?:declined|refused) to comment\b|\bcould not (?:immediately )?be reached\b"
            r"|\b(?:did not|didn't|didn’t|would not|wouldn't|wouldn’t) (?:immediately )?comment\b"
            r"|\b(?:had|has|have|there was|there is) no (?:immediate )?comment\b"
            r"|\b(?:has|have) been (?:contacted|approached) for comment\b"
            r"|\b(?:reached out|approached) [^.]{0,40}for comment\b|\bnot available for comment\b",
            _I,
        ),
        ("respond", "repl", "return", "comment", "reached"),
    ),
)


def _scoped(pattern: re.Pattern[str]) -> str:
    return f"(?i:{pattern.pattern})" if pattern.flags & _I else f"(?:{pattern.pattern})"


# Every kind's start in one pattern, and every needle in one tuple: a sentence that matches neither (nearly
# all of them) is no kind's, so the kinds are only tried one by one for the few that do.
_ANY_START = re.compile("|".join(_scoped(kind.start) for kind in _KINDS if kind.start))
_ANY_NEEDLE = tuple(dict.fromkeys(needle for kind in _KINDS for needle in kind.needles))
# A procedural "no comment" is the whole sentence when it is short and no one said anything before it; a
# long one, or "X said …, while Y declined to comment", carries a claim too.
_PROCEDURAL_WORDS = 20
_WORD = re.compile(r"\w+")
_SAID = re.compile(r"\b(?:said|says|told)\b")
_CLOSERS = "\"'”’)]"
_LEAD_IN_WORDS = 12


def boilerplate_reason(sentence: str) -> str | None:
    """Why a sentence is page furniture and not a claim ("navigation", "question", …), or None."""
    text = sentence.strip()
    if not text:
        return "empty"
    if text.rstrip(_CLOSERS).endswith("?"):
        return "question"
    lower = text.lower()
    if _ANY_START.match(text) or any(map(lower.__contains__, _ANY_NEEDLE)):
        for kind in _KINDS:
            match = kind.start.match(text) if kind.start else None
            if match is None and kind.anywhere and any(map(lower.__contains__, kind.needles)):
                match = kind.anywhere.search(text)
            if match is None:
                continue
            if kind.reason != "no comment":
                return kind.reason
            if len(_WORD.findall(text)) <= _PROCEDURAL_WORDS and not _SAID.search(text, 0, match.start()):
                return kind.reason
    if text.endswith(":") and len(_WORD.findall(text)) <= _LEAD_IN_WORDS:
        return "lead-in"
    return None
