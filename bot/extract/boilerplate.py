"""Lines of a news page that are never claims, whatever the model makes of their words.

Pages carry navigation ("Read more: …", "Profile: Julian Assange", "[VIDEO]" teasers), captions and
credits ("(Graphic: … - here)", "Main image credit: Getty", "Reporting by …; Editing by …"), copyright
and sharing prompts, procedural lines ("did not respond to a request for comment") and questions. A fact-check
desk never assigns them (../shared/design/news-card-labelling.md calls them "no"), yet their numbers, names
and reporting verbs look like evidence to a sentence scorer. These rules run before scoring in both
extractor modes, so neither card lists them.
"""

from __future__ import annotations

import re

# Each kind is one pattern over the sentence as written; the first kind that matches names the reason.
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "navigation",
        re.compile(
            r"^\W*(?:read more|see more|see also|more on this(?: story)?|related(?: articles| stories| topics)?"
            r"|don['’]?t miss|most (?:read|popular)|trending(?: now)?|recommended|watch(?: now)?|listen(?: now)?"
            r"|live(?: updates?)?|in pictures|profile|timeline|factbox|explainer|q&a|analysis|opinion|sign up"
            r"|subscribe|newsletter|follow us|share this(?: article| story)?|advertisement)\s*(?:[:|\-–—]|$)"
            r"|^\W*(?:timeline|profile) of\b[^.]{0,40}$|^\W*also on [\w-]+\.(?:com|org|net|co\.uk|tv)\b"
            r"|^\W*(?:like this story|share it with a friend|click here|sign up (?:for|to)|subscribe to)\b"
            r"|^\W*get the day['’]s\b|\bdelivered (?:straight )?to your inbox\b",
            re.IGNORECASE,
        ),
    ),
    # A teaser link with its tag ("China furious at Macron … [INSIGHT]|"), or a line that is one link list.
    (
        "navigation",
        re.compile(r"\[(?:VIDEO|INSIGHT|REACTION|PICTURES|PHOTOS|POLL|LIVE|REVEALED|LATEST)\]|\|\s*$"),
    ),
    (
        "caption",
        re.compile(
            r"^\W*(?:main |top |header )?(?:image|photo|picture|graphic|video|chart|map)s?(?: credit| caption)?\s*:"
            r"|^\(?(?:graphic|photo|picture|chart|video|map)s?\s*:.*\)?\W*$"
            r"|\b(?:image|photo|picture) (?:copyright|credit|caption)\b|\bgetty images\W*$|^\W*getty\W*$"
            r"|^this (?:graphic|chart|map|photo|image|picture|video|infographic)\b[^.]*\b(?:shows|provided)",
            re.IGNORECASE,
        ),
    ),
    (
        "credit",
        re.compile(
            r"^\W*(?:additional )?(?:reporting|writing|editing) by\b"
            r"|^\W*by [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}\W*$"
            r"|contributed (?:to )?(?:this|the) (?:report|story|article)\W*$"
            r"|^\W*(?:©|\(c\))|^\W*copyright (?:©|\(c\)|\d{4})|\ball rights reserved\b"
            r"|\bmay not be (?:published|broadcast|rewritten|redistributed)"
            r"|^\W*(?:read|view) the original (?:article|story)\W*$"
            r"|^\W*this (?:article|story) (?:was|has been|is) (?:originally |first )?"
            r"(?:published|republished|updated|amended|corrected)\b",
            re.IGNORECASE,
        ),
    ),
    ("dateline", re.compile(r"^[A-Z][A-Z.'’ -]+, [A-Z][a-z]+\.?$")),  # "ST. JOSEPH, Mich." on its own
    (
        "no comment",
        re.compile(
            r"\b(?:did not|didn't|didn’t|has not|hasn't|hasn’t|have not|haven't|haven’t) (?:immediately )?"
            r"(?:respond(?:ed)?|reply|replied|return(?:ed)?)\b[^.]{0,40}\b(?:requests?|calls?|messages?|emails?|comment)"
            r"|\b(?:declined|refused) to comment\b|\bcould not (?:immediately )?be reached\b"
            r"|\b(?:had|has|have|there was|there is) no (?:immediate )?comment\b|\b(?:has|have) been (?:contacted|approached) for comment\b"
            r"|\b(?:reached out|approached) [^.]{0,40}for comment\b|\bnot available for comment\b",
            re.IGNORECASE,
        ),
    ),
)
# A procedural "no comment" is the whole sentence when it is short and no one said anything before it; a
# long one, or "X said …, while Y declined to comment", carries a claim too.
_PROCEDURAL_WORDS = 20
_WORD = re.compile(r"\w+")
_SAID = re.compile(r"\b(?:said|says|told)\b")
_QUESTION = re.compile(r"\?[\"'”’)\]]*\s*$")
_LEAD_IN = re.compile(r":\s*$")
_LEAD_IN_WORDS = 12


def boilerplate_reason(sentence: str) -> str | None:
    """Why a sentence is page furniture and not a claim ("navigation", "question", …), or None."""
    text = sentence.strip()
    if not text:
        return "empty"
    if _QUESTION.search(text):
        return "question"
    for reason, pattern in _KINDS:
        match = pattern.search(text)
        if match is None:
            continue
        if reason != "no comment":
            return reason
        if len(_WORD.findall(text)) <= _PROCEDURAL_WORDS and not _SAID.search(text, 0, match.start()):
            return reason
    if _LEAD_IN.search(text) and len(_WORD.findall(text)) <= _LEAD_IN_WORDS:
        return "lead-in"
    return None
