"""Deterministic attribution detector: who is said to have said what, and how verifiable that is.

Runs in both extractor modes. Each pass looks for one family of sourcing (anonymity formulas,
unnamed roles, vague collectives, hedges, unverifiable settings, outlets, named speakers) inside
one sentence; overlapping finds are resolved by pass priority so that the most specific reading wins
(a named speaker is never also flagged as unnamed).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from bot.extract import attribution_patterns as P
from bot.models import Attribution, AttributionKind, Origin, Span, Strength

# "his chief aide": "chief" only after a possessive, where it cannot be a named executive's title
# ("the company's chief executive, John J. Ferriola"); counts ("more than 50 former officials"), but no year
# ("In 2000, researchers ...").
_DETERMINER = (
    r"(?:(?:his|her|their|its)\s+chief|(?:(?:more|fewer)\s+than|at\s+least|nearly|almost|about|over|roughly)\s+"
    r"(?:\d{1,3}(?:,\d{3})*|two|three|four|five|six|seven|eight|nine|ten|a\s+dozen|dozens\s+of|hundreds\s+of)"
    r"|\d{1,3}(?:,\d{3})*|a|an|the|one|two|three|four|five|six|several|some|many|multiple|numerous|various|other|certain|"
    r"a\s+few|few|most|a\s+number\s+of|a\s+handful\s+of|dozens\s+of|a\s+group\s+of|another|both|its|their|his|her)"
)
# Words a modifier never is: they would swallow the quantifier ("But some Democrats").
_NOT_MODIFIER = (
    r"(?:but|and|or|while|whereas|that|which|who|so|yet|because|if|when|as|the|a|an|some|many|several|few|most|"
    r"other|others|certain|numerous|various|multiple|among|to|for|with|from|by|in|on|at|of|after|before|"
    r"despite|like|his|her|their|its|our|my|your|this|these|those|then|how|although|though|since|until)"
)
# Case matters inside these phrases: a capitalised modifier ("Pentagon", "Ukrainian") is any
# capitalised word, a lower-case one must be a known role word.
_MODIFIER = (
    r"(?:(?i:" + "|".join(re.escape(w) for w in sorted(P.ROLE_MODIFIER_WORDS, key=len, reverse=True)) + r")"
    rf"|(?!(?i:{_NOT_MODIFIER})\b)[A-Z][\w.’'&-]*|(?i:the\s+)?[\w-]+['’]s)"
)
_HEAD = "(?i:" + "|".join(sorted(P.UNNAMED_HEADS, key=len, reverse=True)) + ")"
# Where a role sits: "in Kyiv", "at the Justice Department", "to Michael R. Bloomberg", "in the Obama
# campaign", "of the community", "in both parties", "on Capitol Hill", "in Trump world", "in attendance".
_PLACE = (
    r"(?:\s+(?i:in|at|on|from|within|inside|across|to|for|of|with|close\s+to)\s+(?:the\s+|both\s+)?"
    r"[A-Z][\w.’'-]*(?:\s+(?:and\s+)?[A-Z][\w.’'-]*){0,3}"
    r"(?:\s+(?:campaign|administration|government|department|ministry|party|team|office|camp|world|orbit|circles|establishment))?"
    r"|\s+(?i:in|of|from|within|inside)\s+the\s+(?:community|campaign|administration|government|party|"
    r"industry|region|city|country|audience|room|military|army|police|ministry|department|agency|alliance|"
    r"coalition|opposition|movement|group|team|company|sector|field|profession)"
    r"|\s+(?:in|from|for|of|on)\s+both\s+[a-z]+|\s+on\s+both\s+sides(?:\s+of\s+the\s+aisle)?"
    r"|\s+on\s+the\s+(?:right|left|ground|hill|panel|committee|staff|board|council|trail)"
    r"|\s+in\s+attendance|\s+present(?=[\s,])"
    r"|\s+(?:of|to|in|at|from|for)\s+(?:his|her|their|its|the)\s+(?:[a-z][\w’'-]*\s+){0,2}(?:government|"
    r"campaign|administration|party|parties|state|county|district|city|country|nation|congress|senate|house|"
    r"chambers?|caucus|committee|movement|organi[sz]ation|union|industry|company|council|board|bank)(?![\w-])"
    r"|\s+(?:at|in|from)\s+(?:his|her|their|the|this|that)\s+(?!(?:same|time|moment|end|past)\b)[a-z]+(?=[\s,]))?"
)
# "friends and advisers", "leaders and strategists": a group coordinated with a role is one source.
_COORDINATED_GROUP = (
    "(?i:" + "|".join(sorted(P.COLLECTIVE_HEADS | set(P.UNNAMED_HEADS), key=len, reverse=True)) + ")"
)
_UNNAMED_NP_BODY = (
    rf"(?P<np>(?:(?i:{_DETERMINER})\s+)?"
    rf"(?P<mods>(?:(?:{_MODIFIER}|{_COORDINATED_GROUP}\s+and)(?:\s+and)?\s+){{0,5}})(?P<head>{_HEAD}){_PLACE})"
)
_UNNAMED_NP = re.compile(rf"(?<![\w’'-]){_UNNAMED_NP_BODY}(?![\w-])")
# The unnamed role right before an anonymity formula: "a senior official, speaking on condition of ...".
_UNNAMED_TAIL = re.compile(rf"(?<![\w’'-]){_UNNAMED_NP_BODY}\s*,?\s*(?:who\s+)?$")
# The whole role phrase whose head opens a formula: "an official" in "an official familiar with ...".
_UNNAMED_ENDING = re.compile(rf"(?<![\w’'-]){_UNNAMED_NP_BODY}$")
_VERB_AFTER = re.compile(P.PARENTHETICAL + P.VERB_PHRASE)
# "..., said a senior official" (after a quote or comma); "Rivers said a senior aide would" is content.
_INVERTED_BEFORE = re.compile(rf"(?:[,”\"’]\s*{P.INVERTED_VERBS}|\baccording\s+to)\s*$", re.IGNORECASE)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:with|to|among|by|for|of|from|about|against|between|on|at|into|over|under|like|including|in|"
    r"inside|within|across|near|after|before|during|via|through|toward|towards|behind|beyond|without)\s*$",
    re.IGNORECASE,
)
_NAME_AFTER = re.compile(rf",?\s*(?:{P.PERSON_TITLES}\s+)?[A-Z][\w’'-]+\s+[A-Z][\w’'-]+")
_NAME_BEFORE = re.compile(r"[A-Z][\w’'.-]+\s*,\s*$")
# "..., a former official said." is no appositive: the role phrase runs straight into its verb.
_VERB_AFTER_DIRECT = re.compile(
    r"\s+(?:(?:also|later|then|had|has|have)\s+)?(?:said|says|told|added|noted|wrote)\b"
)
# "Rivers said a senior aide would brief ...": the phrase sits inside a named speaker's reported words.
_INSIDE_REPORTED_SPEECH = re.compile(
    rf"\b[a-z]+\s+{P.INVERTED_VERBS}\s+(?:that\s+)?$|\b{P.INVERTED_VERBS}\s+that\s+$"
    r"|\b[a-z]+\s+(?:told|tells|telling)\s+(?:reporters|him|her|them|us|me|journalists)\s+(?:that\s+)?$"
)
_PREPOSITION_DETERMINER_BEFORE = re.compile(
    r"\b(?:with|to|among|for|of|from|at|in|inside|within)\s+(?:the|both|his|her|their|its)\s+$", re.IGNORECASE
)
_PASSIVE_AGENT_BEFORE = re.compile(r"\b(?:[a-z]+ed|told|written)\s+by\s*$")
# Where a clause's subject starts: "But officials hope", "; critics charged", "more than her advisers expected".
_SUBJECT_BEFORE = re.compile(
    r"(?:^|[;:(—–]\s*|[,.!?]\s*|\s-\s*|\b(?:and|but|while|whereas|that|as|because|since|though|although|so|even|"
    r"when|if|where|however|still|yet|than|once|whether|meanwhile|instead|now|also|who|whom|before|after|until|unless|"
    r"which|what|(?:this|last|next)\s+(?:week|month|year)|(?:on\s+)?[A-Z][a-z]+day)\s+)"
    r"[\"'“‘(]?\s*$",
    re.IGNORECASE,
)
# "some far-right commentators who have suggested": a group in any position that a relative clause makes
# the speaker.
_WHO_VERB_AFTER = re.compile(r"\s*,?\s+who" + P.VERB_PHRASE)
_TO_VERB_AFTER = re.compile(r"\s+to\s+[a-z]+")
_FOR_DUTY = re.compile(r"\s+(?:for\s+(?:duty|work)|to\s+work)\b")
_LAST_WORD_BEFORE = re.compile(r"([A-Za-z]+)[,”\"’]?\s+$")
_WORD_AFTER = re.compile(r"\s+(?P<verb>[a-z]+)")
# A bare quantifier right before a verb of opinion is its holder wherever it stands.
_OPINION_AFTER = re.compile(
    r"\s+(?:believe|think|say|argue|fear|suspect|contend|insist|worry|expect|claim|feel|call|consider|see)\b"
)
_AGENT_BEFORE = re.compile(r"\b(?P<verb>[a-z]+)\s+by\s+$", re.IGNORECASE)
# Participles whose agent holds a view of someone ("seen by other leaders as"), unlike "funded by donors".
_JUDGING_PARTICIPLES = P.STANCE_VERBS | frozenset(
    """
    seen considered regarded described perceived criticized criticised praised questioned disputed doubted
    challenged dismissed condemned welcomed hailed labeled labelled branded blamed accused rejected mocked
    ridiculed derided applauded embraced endorsed opposed
    """.split()
)
_POSTMODIFIER = re.compile(
    r"\s+(?:and\s+)?(?:of|in|at|with|from|to|for|on|across|within|inside|around|close\s+to)\s+"
    r"(?:[^\s,.;:!?\"“”()—–]+\s+){1,7}[^\s,.;:!?\"“”()—–]+"
)
# A reduced relative: "voters interviewed on Tuesday said", "analysts polled by Reuters expect".
_PARTICIPLE_TAIL = re.compile(r"\s+[a-z]{3,}ed(?:\s+[^\s,.;:!?\"“”()—–]+){0,6}")
_TAIL_WORD = re.compile(r"(?<=\s)[A-Za-z’']+")
_CLAUSE_WORDS = frozenset(
    "that which who whom whose when if because but while as than where whether after before".split()
)
# A word after these is a noun ("the report", "their claim"), not the group's verb.
_NOUN_MARKERS = frozenset("to the a an of his her their its our this that these those".split())
_HEADLINE_GROUP = re.compile(r"(?i:(?<!source)s)$")
_DEFINING_WHO_AFTER = re.compile(r"\s+who\b")
# A defining relative clause up to the next clause mark; a full stop inside a sentence is an abbreviation.
_RELATIVE_AFTER = re.compile(r"\s+(?P<who>who(?:['’]d|['’]ve|['’]re)?)\s[^,;:!?\"“”()—–]{1,160}")
# Verbs whose object may be a point or a claim, and what may follow them when that object is the relative's
# gap: punctuation, a preposition, a conjunction or an adverb, never a noun phrase.
_GAP_VERBS = (
    (P.REPORTING_VERBS - P.STANCE_ADJECTIVES)
    | P.STANCE_VERBS
    | frozenset(
        "make makes made raise raises raised voice voices voiced share shares shared hold holds held have has had "
        "offer offers offered level levels leveled levelled repeat repeats repeated hear hears heard".split()
    )
)
_GAP_AFTER = re.compile(
    r"\s*(?:$|[,.;:!?\"“”)—–]|(?i:to|in|at|on|about|against|but|and|or|during|over|for|with|again|earlier|last|"
    r"this|when|while|after|before|since|privately|publicly|[a-z]+ly)\b)"
)
_HELD_BELIEF_AFTER = re.compile(
    r"\s+(?:under|in)\s+the\s+(?:belief|impression|assumption|conviction|expectation)\s+that\b", re.IGNORECASE
)
_STANCE_ADJECTIVE_AFTER = re.compile(
    rf"\s+(?:{'|'.join(sorted(P.STANCE_ADJECTIVES))})\s+(?:about|that|over|of|with|to)\b", re.IGNORECASE
)

_COLLECTIVE_HEADS = P.COLLECTIVE_HEADS | {
    h for h in P.UNNAMED_HEADS if h.endswith("s") and h not in P.WEAK_HEADS
}
_COLLECTIVE = re.compile(
    rf"(?<![\w’'-])(?P<np>(?:(?P<quant>(?i:{P.QUANTIFIERS}))\s+(?:(?i:of\s+(?:the|these|those|her|his|their|its|our))\s+|of\s+[A-Z][\w-]*['’]s\s+)?)?"
    rf"(?:(?!(?i:{_NOT_MODIFIER})\b)[A-Za-z][\w-]*(?:['’]s)?\s+){{0,2}}"
    rf"(?P<head>(?i:{'|'.join(sorted(_COLLECTIVE_HEADS))}))"
    rf"(?:\s+(?:and|or)\s+(?:(?!(?i:{_NOT_MODIFIER})\b)[A-Za-z][\w-]*\s+){{0,2}}(?i:{'|'.join(sorted(_COLLECTIVE_HEADS))}))?"
    rf"{_PLACE})(?![\w-])"
)
# "Some in the party", "most in both states": a bare quantifier with a place is a group like any other.
_PRONOUN_COLLECTIVE = re.compile(
    r"(?P<np>(?i:others|some|many|most|few|a\s+few|several)(?i:\s+of\s+(?:them|those|these|us|whom))?"
    rf"{_PLACE})(?![\w-])"
)
_CLAUSE_START_BEFORE = re.compile(
    r"(?:^|[;:,(—–]\s*|\s-\s*|,\s*(?:while|but|and|whereas|though|although)\s+"
    r"|\b(?:while|whereas|but|and|that|as|what|who|whom|which|than|because|since|where|so|though|even|with|"
    r"before|after|until|unless|once|when|if)\s+)"
    r"[\"'“‘(]?\s*$",
    re.IGNORECASE,
)

_APPOSITIVE = r"(?:\s*,\s*(?!(?:and|or|but|while|which|that|as|if|when|where|because|so|then|yet)\b)(?:a|an|the|who|whose|[a-z][\w’'-]*(?:['’]s)?|[A-Z][\w&’'.-]*['’]s)[^,;:.“”\"()]{0,80},)?"
_NAMED_SUBJECT = re.compile(rf"(?P<name>{P.CAP_SEQUENCE}){_APPOSITIVE}{P.VERB_PHRASE}")
# Only after a quote or comma: in "members said Trump had ..." Trump is the content, not the speaker.
_INVERTED_NAMED = re.compile(
    rf"(?:(?<=[,”\"’])|(?<=[,”\"’]\s))\s*(?P<verb>{P.INVERTED_VERBS})\s+(?P<name>{P.CAP_SEQUENCE})(?![\w’'-])"
    r"(?P<appos>,\s*(?:the|a|an)\s+[^,.;:!?“”\"]{1,60}?(?=[,.;:!?“”\"]|$))?"
)
# "Coalition of the Willing": a capitalised word before a match means the match is only a name's tail.
_PART_OF_LONGER_NAME = re.compile(r"(?P<word>[A-Z][\w’'-]*)\s+(?:(?:of|for|and|the|de|on)\s+)*$")
_ACCORDING_TO = re.compile(r"\baccording\s+to\s+", re.IGNORECASE)
_ORG_SEQUENCE = re.compile(
    r"(?:(?:its|their|the|his|her|[A-Z][\w’'-]*['’]s)\s+)?(?P<org>[A-Z][\w’'&.-]*(?:\s+(?:(?:of|for|and|on|the|de)\s+)*[A-Z][\w’'&.-]*){0,7})"
)
_INSTITUTION_VOICE = re.compile(
    r"\b(?:a|an|the)\s+(?:(?:written|joint|brief|short|formal|official|separate)\s+)?"
    r"(?P<what>statement|communiqu[ée]|press\s+release|announcement|readout|spokes(?:man|woman|person)|representative|letter)"
    r"\s+(?:from|by|of|for|issued\s+by)\s+",
    re.IGNORECASE,
)
_OUTLET_VERB_AFTER = re.compile(
    r"(?:\s+(?:America|International|World|News|English|network|channel|broadcaster|news\s+agency|agency|"
    r"newspaper|tabloid|daily|website|television|TV))?"
    r"(?:\s*,\s*(?:the|a|an|which)\s[^,.;:!?\"“”]{1,80}?,)?"  # "RT, the Kremlin-funded network, aired"
    r"(?:['’]s\s+(?:report|reporting|account|correspondent|website|broadcast|story|article|coverage|piece|"
    r"editorial))?(?:\s+(?:also|later|earlier|first|has|had|have|is|was|previously|on\s+\w+day)){0,2}"
    r"\s+(?:reported|reports|reporting|said|says|quoted|quotes|cited|cites|claimed|claims|wrote|writes|announced|"
    r"broadcast|published|stated|added|aired|airing|learned|revealed|alleged|alleges|carried|ran)\b",
)
_NAME_TAIL_BEFORE = re.compile(r"(?:[A-Z][\w’']*(?:-[A-Z][\w’']*)*(?<![’']s)|[A-Z]\.)\s+$")
_OUTLET_VERB_BEFORE = re.compile(
    r"\b(?:reported|quoted|cited|published|broadcast|aired|carried|released)\s+(?:by|in|on)\s+$",
    re.IGNORECASE,
)
_OUTLET_AS_VENUE_BEFORE = re.compile(
    r"\b(?:told|telling|tells|interview\s+with|speaking\s+to|spoke\s+to|speaking\s+with|spoke\s+with|wrote\s+in|writing\s+in|op-ed\s+in|appearance\s+on|appeared\s+on|said\s+on|column\s+in)\s+$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z]+")
# Cheap gates: a pass runs only on sentences holding one of its trigger words.
_ANONYMITY_WORDS = frozenset(
    [
        "anonymity",
        "anonymous",
        "anonymously",
        "condition",
        "named",
        "identified",
        "authorized",
        "authorised",
        "background",
        "familiar",
        "close",
        "briefed",
        "knowledge",
        "unnamed",
        "unidentified",
    ]
)
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
_COLLECTIVE_TRIGGERS = P.ALWAYS_VAGUE_HEADS | (frozenset(_WORD.findall(P.QUANTIFIERS)) - {"a", "of"})
_PRONOUN_COLLECTIVE_WORDS = frozenset({"others", "some", "many", "most", "few", "several"})
_INSTITUTION_WORDS = frozenset(
    [
        "statement",
        "communiqué",
        "communique",
        "release",
        "announcement",
        "readout",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "representative",
        "letter",
    ]
)


@dataclass(frozen=True)
class _Sentence:
    """One sentence and what the gates need to know about it, computed once."""

    text: str
    base: int
    words: frozenset[str]
    reporting: bool
    quoted: bool


def _context(text: str, span: Span) -> _Sentence:
    s = text[span.start : span.end]
    words = frozenset(_WORD.findall(s.lower()))
    return _Sentence(
        text=s,
        base=span.start,
        words=words,
        reporting=not words.isdisjoint(P.REPORTING_VERBS) or {"would", "like"} <= words,
        quoted=any(q in s for q in '"“”'),
    )


_BE = frozenset({"is", "are", "was", "were", "be", "been"})
_PASSIVE_SPEAKER = frozenset(
    "quoted overheard heard said reported recorded cited thought believed understood expected seen".split()
)


def _passive_target(low: str, words: set[str]) -> bool:
    """ "Officials were accused", "aides were told": the subject is what the verb is about, not who spoke.
    A passive of hearing or saying ("were quoted as saying", "were said to") still names the speaker."""
    return (
        not _BE.isdisjoint(words)
        and low.endswith("ed")
        and low not in _PASSIVE_SPEAKER
        and low not in P.STANCE_ADJECTIVES
        and low not in P.PSYCH_PARTICIPLES
    )


_ANAPHORIC = re.compile(r"(?i:the|these|those|both)\s")


def _acts(verb: re.Match[str] | None, plural: bool) -> bool:
    """Whether the word group after a subject is its finite verb, without a tagger: an auxiliary, a
    reporting or stance verb, a past tense, a singular "-s" form, or (after a plural subject) any
    lower-case word that is not a function word ("American officials hope", "Lawmakers are uneasy")."""
    if not verb:
        return False
    words = _WORD.findall(verb.group(0).rsplit(",", 1)[-1].lower())
    word = verb["verb"]
    low = word.lower()
    if low in P.NOT_VERBS:
        return False
    if _passive_target(low, set(words)):
        return False  # "The officials were arrested" is no stance
    if not P.AUXILIARIES.isdisjoint(words):
        return True
    if word[0].isupper() or low.endswith("ing"):
        return False  # "lawmakers defending the budget": a participle, not the clause's verb
    if low in P.REPORTING_VERBS or low in P.STANCE_VERBS or low in P.IRREGULAR_PAST:
        return True
    if low.endswith("ed") and len(low) > 4:
        return True
    if plural:
        return not low.endswith(("ly", "ing")) and not (low.endswith("s") and not low.endswith("ss"))
    return low.endswith("s") and not low.endswith(("ss", "us", "is"))


def _holds_stance(verb: re.Match[str] | None) -> bool:
    """ "Many worried that", "most oppose it", "many voters were angered": a verb of speech or stance, or
    a public act that shows one ("others paid tribute", "many voters have soured on him").

    The only verbs accepted after a bare quantifier or a generic group ("people", "residents"), whose
    other verbs are mostly events, not sourcing ("several people died", "some are apps")."""
    if not verb:
        return False
    low = verb["verb"].lower()
    return (
        _is_reporting(verb)
        or low in P.STANCE_VERBS
        or low in P.PSYCH_PARTICIPLES
        or bool(P.SHOWN_STANCE.match(verb.string, verb.start("verb")))
    )


def _after_verb_like(modifiers: str) -> int:
    """Offset just past the last word in `modifiers` that cannot modify a noun (a verb or function word)."""
    cut = 0
    for word in re.finditer(r"[\w’'-]+\s*", modifiers):
        low = word.group(0).strip().lower()
        if (
            low in P.REPORTING_VERBS
            or low in P.STANCE_VERBS
            or low in P.NOT_VERBS
            or low in P.AUXILIARIES
            or (low.endswith("ed") and len(low) > 4)
        ):
            cut = word.end()
    return cut


def _group_voice_end(s: str, start: int, end: int, plural: bool, generic: bool = False) -> int | None:
    """Where the find ends when a vague or unnamed group (s[start:end]) is a source, else None.

    A group is a source as the subject of a verb ("officials hope"), through a relative clause
    ("commentators who have suggested"), when a speech verb or "according to" comes before it ("say
    some Democrats"), as the holder of a stance ("unease among many leaders", "alarmed legal experts",
    "in the eyes of most voters", "To many, ..."), or when made to think ("leaving many to wonder").
    Any verb counts only for a role or interest group ("officials hope", "Lawmakers are uneasy"), not for
    a generic one (`generic`: "several people died") or an anaphoric one ("The lawmakers failed to ...")."""
    verb = _VERB_AFTER.match(s, end)
    if _is_reporting(verb) and not _PREPOSITION_BEFORE.search(s, 0, start):
        return verb.end()
    # "Those Republican insiders who think ...": a defining relative clause says which group is meant.
    anaphoric = _ANAPHORIC.match(s, start) and not _DEFINING_WHO_AFTER.match(s, end)
    if _SUBJECT_BEFORE.search(s, 0, start):
        if not anaphoric and (
            later := _postmodified_verb_end(s, end, participle=generic) or _relative_clause_verb_end(s, end)
        ):
            return later
        if generic or anaphoric:
            if _holds_stance(verb):
                return verb.end()
        elif _acts(verb, plural):
            return verb.end()
    return None if anaphoric else _voice_around(s, start, end)


def _postmodified_verb_end(s: str, end: int, participle: bool = False) -> int | None:
    """Where a reporting verb ends that comes after a group's prepositional or participle tail ("Several
    supporters of reform said", "officials in the FBI and at the Justice Department have said", "voters
    interviewed on Tuesday said"; a participle only for a generic group, whose own verbs are events), else
    None."""
    tail = _POSTMODIFIER.match(s, end) or (_PARTICIPLE_TAIL.match(s, end) if participle else None)
    if not tail:
        return None
    previous = ""
    for word in _TAIL_WORD.finditer(tail.group(0)):
        low = word.group(0).lower()
        if low in _CLAUSE_WORDS:
            return None  # "officials at the site that said ...": the verb belongs to another clause
        if (
            low in P.REPORTING_VERBS
            and low not in P.STANCE_ADJECTIVES
            and not low.endswith("ing")
            and previous not in _NOUN_MARKERS
            and previous not in _BE
        ):
            return end + word.end()
        previous = low
    if s.startswith(",", tail.end()):  # "Critics of the deal, among them several Republicans, argue"
        verb = _VERB_AFTER.match(s, tail.end())
        if _is_reporting(verb) and not verb["verb"].lower().endswith("ing"):
            return verb.end()
    return None


def _relative_clause_verb_end(s: str, end: int) -> int | None:
    """Where a verb of speech or stance ends that follows a group's defining relative clause, within
    the clause or after it ("Some voters who were once intrigued by Mr. Trump now regard him", "leaders
    who'd rather be campaigning said"), else None. The relative's own first verb counts only if it is
    one of speech: "many who remain undecided" is no source."""
    relative = _RELATIVE_AFTER.match(s, end)
    if not relative:
        return None
    previous, first = "", True
    for word in _TAIL_WORD.finditer(relative.group(0), relative.end("who") - end):
        low = word.group(0).lower()
        if low in _CLAUSE_WORDS:
            return None  # "officials who met those who said": the verb belongs to another clause
        speech = low in P.REPORTING_VERBS and low not in P.STANCE_ADJECTIVES
        if (
            (speech or (low in P.STANCE_VERBS and not first))
            and not low.endswith("ing")
            and previous not in _NOUN_MARKERS
            and previous not in _BE
        ):
            return end + word.end()
        if low not in P.AUXILIARIES and not low.endswith("ly"):  # "who have long" is still the first verb
            first = False
        previous = low
    return None


def _voice_around(s: str, start: int, end: int, frame: bool = True) -> int | None:
    """The positions that make a group a source whatever its verb (see `_group_voice_end`)."""
    who = _WHO_VERB_AFTER.match(s, end)
    if _is_reporting(who):
        return who.end()
    last = _LAST_WORD_BEFORE.search(s, max(0, start - 30), start)
    if (
        last
        and last[1].lower() in P.GROUP_VOICE_LAST_WORDS
        and P.GROUP_VOICE_BEFORE.search(s, max(0, start - 60), start)
    ):
        return end
    framed = P.GROUP_FRAME_BEFORE.search(s, max(0, start - 10), start)
    if framed and s.startswith(",", end) and (frame or not framed.group(0).lower().endswith("among ")):
        return end  # "To many, ..." and "But to others, ..." frame a view; "among others," is a list
    if not s[:start].strip(" \"“‘'") and s.startswith(":", end) and _HEADLINE_GROUP.search(s, start, end):
        return end  # a headline "Insiders: Trump will rebound" (not a credit line "Image Source: ...")
    agent = _AGENT_BEFORE.search(s, max(0, start - 20), start)
    if agent and (
        agent["verb"].lower() in _JUDGING_PARTICIPLES
        or (agent["verb"].lower() in P.REPORTING_VERBS and agent["verb"].lower().endswith("ed"))
    ):
        return end  # "seen by other leaders of the party as", "criticized by many Republicans"
    if adjective := _STANCE_ADJECTIVE_AFTER.match(s, end):
        return adjective.end()  # "giving cover to lawmakers nervous about ..."
    if _HELD_BELIEF_AFTER.match(s, end):
        return end  # "80,000 employees volunteered, some under the belief that ..."
    if P.POSSESSIVE_STANCE_AFTER.match(s, end):
        return end  # "her advisers’ wariness", "many Democrats' fears"
    if P.SPEECH_NOUN_BEFORE.search(s, max(0, start - 30), start) and (made := _object_gap_verb(s, end)):
        return made  # "a point a top adviser made to ...", "a threat many people make but few keep"
    if P.CAUSATIVE_BEFORE.search(s, max(0, start - 20), start):
        if to := _TO_VERB_AFTER.match(s, end):
            return to.end()
        if (doing := _WORD_AFTER.match(s, end)) and doing["verb"].endswith("ing") and _holds_stance(doing):
            return doing.end()  # "left some lawmakers wondering", "leaving many questioning"
    return None


def _object_gap_verb(s: str, end: int) -> int | None:
    """Where the verb of an object relative ends: a verb that takes a statement as its object, followed
    by no object of its own ("the point officials made to reporters"). "The fear officials would resign"
    is a content clause instead, so its group is no source."""
    verb = _VERB_AFTER.match(s, end)
    if not verb or verb["verb"].lower() not in _GAP_VERBS:
        return None
    after = _GAP_AFTER.match(s, verb.end())
    return verb.end() if after else None


def _is_reporting(verb: re.Match[str] | None) -> bool:
    if not verb:
        return False
    # Any word of the verb group counts: "want to humiliate" is an attribution through "want".
    phrase = verb.group(0).rsplit(",", 1)[-1].lower()
    words = set(_WORD.findall(phrase))
    low = verb["verb"].lower()
    if _passive_target(low, words) or (
        low.startswith("report") and _FOR_DUTY.match(verb.string, verb.end("verb"))
    ):
        return False  # "officials were accused", "staffers who reported for duty"
    return not words.isdisjoint(P.REPORTING_VERBS) or "would like" in phrase or "would rather" in phrase


_STRENGTH_RANK = {Strength.weak: 0, Strength.moderate: 1, Strength.strong: 2}
# Kinds that name who spoke, as opposed to the channel it came through (outlet, setting, hedge).
_SPEAKER_KINDS = frozenset(
    {
        AttributionKind.named_person,
        AttributionKind.named_organisation,
        AttributionKind.unnamed_official,
        AttributionKind.anonymous,
        AttributionKind.vague_collective,
    }
)


@dataclass(frozen=True)
class _Find:
    start: int
    end: int
    source: str
    kind: AttributionKind
    strength: Strength
    reason: str
    priority: int
    country: str | None = None


def _clean(phrase: str) -> str:
    return re.sub(r"\s+", " ", phrase).strip(" ,")


def _weak(start: int, end: int, source: str, kind: AttributionKind, reason: str, priority: int) -> _Find:
    return _Find(start, end, _clean(source), kind, Strength.weak, reason, priority)


def _unnamed_reason(head: str) -> tuple[AttributionKind, str]:
    reason = P.UNNAMED_HEADS[head.lower()]
    kind = AttributionKind.anonymous if reason == "anonymous source" else AttributionKind.unnamed_official
    return kind, reason


def _name_after(s: str, end: int) -> bool:
    """A name right after a role ("spokesman John Kirby"), but not a title-case headline's verb
    ("Officials Say Talks Will Resume")."""
    name = _NAME_AFTER.match(s, end)
    if not name:
        return False
    first = _WORD.search(name.group(0).lower())
    return not (first and first.group(0) in P.REPORTING_VERBS and not first.group(0).endswith("ing"))


def _anonymity(c: _Sentence) -> list[_Find]:
    if c.words.isdisjoint(_ANONYMITY_WORDS):
        return []
    s, out = c.text, []
    for m in P.ANONYMITY_FORMULAS.finditer(s):
        start, source = m.start(), m.group(0)
        tail = _UNNAMED_TAIL.search(s, max(0, m.start() - 90), m.start())
        first_word = re.match(r"[\w-]+", source)
        opening = first_word and _UNNAMED_ENDING.search(
            s, max(0, m.start() - 60), m.start() + first_word.end()
        )
        if tail and tail.group("head").lower() not in P.WEAK_HEADS:
            start, source = tail.start("np"), tail.group("np")
        elif opening and opening.group("head").lower() == first_word.group(0).lower():
            start = opening.start("np")
            source = s[start : m.end()]
        elif re.match(r"(?:speaking|spoke|talking|who|and|on|said|told|granted)\b", source, re.IGNORECASE):
            source = "anonymous source"
        out.append(
            _weak(c.base + start, c.base + m.end(), source, AttributionKind.anonymous, "anonymous source", 90)
        )
    return out


def _unnamed(c: _Sentence) -> list[_Find]:
    if c.words.isdisjoint(P.UNNAMED_HEADS):
        return []
    s, out = c.text, []
    for m in _UNNAMED_NP.finditer(s):
        head = m.group("head").lower()
        if head in P.WEAK_HEADS and P.ROLE_MODIFIER_WORDS.isdisjoint(m.group("mods").lower().split()):
            continue  # "people", "individuals" need a role ("campaign people") to be a source
        before = s[: m.start()]
        appositive = (
            re.match(r"(?i:a|an|the)\s", m.group("np"))
            and _NAME_BEFORE.search(before)
            and not _VERB_AFTER_DIRECT.match(s, m.end())
        )
        if _name_after(s, m.end()) or appositive:
            continue  # "spokesman John Kirby said", "Jane Doe, a senior official, said": named on record
        kind, reason = _unnamed_reason(head)
        if inverted := _INVERTED_BEFORE.search(before):
            start = inverted.start() if inverted.group(0).lower().startswith("according") else m.start()
            out.append(_weak(c.base + start, c.base + m.end(), m.group("np"), kind, reason, 70))
            continue
        if _INSIDE_REPORTED_SPEECH.search(before) or re.search(
            rf"[A-Z][\w’'.-]*\s+{P.INVERTED_VERBS}\s+(?:that\s+)?$", before
        ):
            continue
        if _PASSIVE_AGENT_BEFORE.search(before):  # "confirmed by strategists in both parties"
            out.append(_weak(c.base + m.start(), c.base + m.end(), m.group("np"), kind, reason, 70))
            continue
        verb = _VERB_AFTER.match(s, m.end())
        # "with top officials warning ..." and "including a campaign adviser acknowledging ..." are sources;
        # "a briefing with senior military officials" is the audience, which `_group_voice_end` rules out.
        if (
            _is_reporting(verb)
            and verb["verb"].endswith("ing")
            and re.search(r"\b(?:with|including)\s*$", before, re.I)
        ):
            end: int | None = verb.end()
        else:
            end = _group_voice_end(
                s,
                m.start(),
                m.end(),
                plural=head.endswith("s") or head == "people",
                generic=head in P.GENERIC_PEOPLE,
            )
        if end is None:
            continue
        out.append(_weak(c.base + m.start(), c.base + end, m.group("np"), kind, reason, 70))
    return out


def _collectives(c: _Sentence) -> list[_Find]:
    s, out = c.text, []
    reason = "vague collective, no one named"
    # Without a quantifier only an always-vague head counts, so most sentences need no scan at all.
    if not c.words.isdisjoint(_COLLECTIVE_HEADS) and not c.words.isdisjoint(_COLLECTIVE_TRIGGERS):
        for m in _COLLECTIVE.finditer(s):
            head = m.group("head").lower()
            if not m.group("quant") and head not in P.ALWAYS_VAGUE_HEADS:
                continue
            if head in P.UNNAMED_HEADS and not m.group("quant"):
                continue
            if _name_after(s, m.end()):
                continue
            start = m.start()
            if not m.group("quant"):  # "Trump dismissed critics": the group starts after the verb
                start = m.start() + _after_verb_like(s[m.start() : m.start("head")])
            end = _group_voice_end(s, start, m.end(), plural=True, generic=head in P.GENERIC_PEOPLE)
            if end is not None:
                kind, why = (
                    _unnamed_reason(head)
                    if head in P.UNNAMED_HEADS and head not in P.WEAK_HEADS
                    else (AttributionKind.vague_collective, reason)
                )
                out.append(_weak(c.base + start, c.base + end, s[start : m.end()], kind, why, 70))
    if not c.words.isdisjoint(_PRONOUN_COLLECTIVE_WORDS):
        for m in _PRONOUN_COLLECTIVE.finditer(s):
            before = s[max(0, m.start() - 20) : m.start()].split()
            if before and before[-1].lower() in P.REPORTING_VERBS:
                continue  # "said several carriers had suspended": what was reported, not who reported it
            verb = _VERB_AFTER.match(s, m.end())
            opinion = _OPINION_AFTER.match(s, m.end())
            clause_start = _CLAUSE_START_BEFORE.search(s, 0, m.start())
            if clause_start and _holds_stance(verb):
                end: int | None = verb.end()
            elif clause_start and (later := _relative_clause_verb_end(s, m.end())):
                end = later  # "Many of those who attended the rally said"
            elif opinion and not _PREPOSITION_BEFORE.search(s, 0, m.start()):
                end = opinion.end()  # "a strategy some believe he could replicate", "what many call"
            else:  # "among others" is a list, not a view
                end = _voice_around(s, m.start(), m.end(), frame=False)
            if end is not None:
                out.append(
                    _weak(
                        c.base + m.start(),
                        c.base + end,
                        m.group("np"),
                        AttributionKind.vague_collective,
                        reason,
                        60,
                    )
                )
    if "by" in c.words:
        for m in P.PASSIVE_VAGUE.finditer(s):
            source = m.group(0).rsplit(" by ", 1)[-1]
            out.append(
                _weak(
                    c.base + m.start(), c.base + m.end(), source, AttributionKind.vague_collective, reason, 55
                )
            )
    return out


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


def _unnamed_report(c: _Sentence, m: re.Match[str]) -> _Find:
    return _weak(
        c.base + m.start(),
        c.base + m.end(),
        "unnamed reports",
        AttributionKind.secondhand,
        "second-hand: unnamed reports",
        55,  # above a named institution: "Media Reports Reveal ..." is no organisation's name
    )


def _hedges_and_reports(c: _Sentence) -> list[_Find]:
    if c.words.isdisjoint(_HEDGE_WORDS):
        return []
    s, out = c.text, []
    for m in P.HEDGES.finditer(s):
        if re.match(r"(?:there|unconfirmed|reports|rumou?rs)\b", m.group(0).lower()):
            out.append(_unnamed_report(c, m))
        else:
            out.append(
                _weak(
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
                _weak(
                    c.base + m.start(),
                    c.base + m.end(),
                    source,
                    AttributionKind.secondhand,
                    "second-hand: unnamed reports",
                    50,
                )
            )
    return out


def _settings(c: _Sentence) -> list[_Find]:
    if c.words.isdisjoint(_SETTING_WORDS) or not (c.reporting or c.quoted):
        return []
    out = []
    for m in [*P.UNVERIFIABLE_SETTINGS.finditer(c.text), *P.SEEN_BY.finditer(c.text)]:
        out.append(
            _weak(
                c.base + m.start(),
                c.base + m.end(),
                m["setting"],
                AttributionKind.unverifiable_setting,
                "unverifiable setting",
                80,
            )
        )
    return out


def _outlets(c: _Sentence) -> list[_Find]:
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
        verb = _OUTLET_VERB_AFTER.match(s, m.end()) or _VERB_AFTER.match(s, m.end())
        if verb and verb.re is _VERB_AFTER and not _is_reporting(verb):
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
            _Find(c.base + start, c.base + end, outlet.name, kind, strength, reason, 85, outlet.country)
        )
    return out


def _classify_name(phrase: str) -> tuple[AttributionKind, str] | None:
    """Named person or named organisation for a capitalised phrase; None if it is not a name at all."""
    if re.search(r"['’]s$", phrase):
        return None  # "Starmer's remarks": a possessive, not a speaker
    tokens = phrase.split()
    while tokens and tokens[0].lower().strip(".") in P.NOT_NAMES:
        tokens = tokens[1:]
    if not tokens or P.lookup_outlet(" ".join(tokens)) is not None:
        return None
    first = tokens[0].lower()
    if first in P.REPORTING_VERBS or re.search(r"['’]", first) or re.fullmatch(r"[a-z]\.?", first):
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
    if any(t in P.ORG_WORDS for t in lowered) or any(
        len(t) >= 2 and t.isupper() and "." not in t and not re.fullmatch(r"[IVX]+", t) for t in tokens
    ):
        return AttributionKind.named_organisation, " ".join(tokens)
    titled = bool(re.fullmatch(P.PERSON_TITLES, tokens[0]))
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


def _named(c: _Sentence) -> list[_Find]:
    s, out = c.text, []

    def add(start: int, end: int, phrase: str) -> None:
        classified = _classify_name(phrase)
        if classified is None:
            return
        kind, source = classified
        if kind is AttributionKind.named_person:
            out.append(
                _Find(c.base + start, c.base + end, source, kind, Strength.strong, "named on the record", 95)
            )
        else:
            out.append(
                _Find(
                    c.base + start,
                    c.base + end,
                    source,
                    kind,
                    Strength.moderate,
                    "named institution, no named person",
                    50,
                )
            )

    if c.reporting:
        for m in _NAMED_SUBJECT.finditer(s):
            if (
                not _is_reporting(m)
                or P.UNNAMED_REPORTS.match(s, m.start())
                or P.BARE_MEDIA.match(s, m.start())
            ):
                continue  # "Unconfirmed reports said", "Media reported": no name, an unnamed report
            longer = _PART_OF_LONGER_NAME.search(s, 0, m.start())
            if (
                _PREPOSITION_BEFORE.search(s, 0, m.start())
                or _in_group_tail(s, m.start(), m.group("name"))
                or (longer and longer["word"].lower() not in P.NOT_NAMES)
            ):
                continue
            add(m.start(), m.end(), m.group("name"))
        for m in _INVERTED_NAMED.finditer(s):
            add(m.start(), m.end("appos") if m.group("appos") else m.end("name"), m.group("name"))
    if "according" in c.words:
        for m in _ACCORDING_TO.finditer(s):
            org = _ORG_SEQUENCE.match(s, m.end())
            head = re.match(r"\s+([a-z]+)", s[org.end() :]) if org else None
            if head and (head[1] in P.UNNAMED_HEADS or head[1] in _COLLECTIVE_HEADS):
                continue  # "according to Republican strategists": an unnamed role, not a name
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
            spokes = m.group("what").lower().startswith(("spokes", "representative"))
            reason = (
                "institution's spokesperson, not named" if spokes else "named institution, no named person"
            )
            out.append(
                _Find(
                    c.base + m.start(),
                    c.base + org.end(),
                    classified[1],
                    AttributionKind.named_organisation,
                    Strength.moderate,
                    reason,
                    75,
                )
            )
    return out


_PASSES = (_anonymity, _unnamed, _collectives, _hedges_and_reports, _settings, _outlets, _named)


def _resolve(found: list[_Find]) -> list[_Find]:
    """Keep the highest-priority find where finds overlap, then return them in text order."""
    kept: list[_Find] = []
    for f in sorted(found, key=lambda f: (-f.priority, -(f.end - f.start), f.start)):
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


def find_attributions(text: str, sentences: list[Span]) -> list[Attribution]:
    """Every attribution in `text`, weak or not, each an exact slice of the text, in text order."""
    found: list[_Find] = []
    for sentence in sentences:
        context = _context(text, sentence)
        for find in _PASSES:
            found += find(context)
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
        for f in _resolve(found)
    ]


def _per_sentence(sentences: list[Span], attributions: list[Attribution]) -> list[list[int]]:
    inside: list[list[int]] = [[] for _ in sentences]
    starts = [s.start for s in sentences]
    for index, att in enumerate(attributions):
        lo, hi = 0, len(starts)
        while lo < hi:  # the last sentence starting at or before the attribution
            mid = (lo + hi) // 2
            if starts[mid] <= att.start:
                lo = mid + 1
            else:
                hi = mid
        if lo and att.start < sentences[lo - 1].end:
            inside[lo - 1].append(index)
    return inside


def _continues_previous(text: str, sentence: Span) -> bool:
    """A sentence that is all quote, or whose subject points back ("He added", "The ministry warned")."""
    head = text[sentence.start : sentence.start + 80]
    return head[:1] in "\"“‘'" or bool(P.PRONOUN_SUBJECT.match(head))


def _assign(
    text: str, sentences: list[Span], attributions: list[Attribution], pick: Callable[[list[int]], int]
) -> list[int | None]:
    covering: list[int | None] = []
    for i, indices in enumerate(_per_sentence(sentences, attributions)):
        if indices:
            covering.append(pick(indices))
        elif i and covering[i - 1] is not None and _continues_previous(text, sentences[i]):
            covering.append(covering[i - 1])
        else:
            covering.append(None)
    return covering


def attribution_for_sentence(
    text: str, sentences: list[Span], attributions: list[Attribution]
) -> list[int | None]:
    """For each sentence, the index of the attribution naming who said it (None if nobody).

    A sentence's own speaker wins (a named person over the outlet that relayed them); a quote
    sentence or "He added ..." right after an attributed sentence belongs to the same source.
    """

    def speaker(indices: list[int]) -> int:
        speakers = [i for i in indices if attributions[i].kind in _SPEAKER_KINDS]
        return (speakers or indices)[0]

    return _assign(text, sentences, attributions, speaker)


def weakest_attribution_for_sentence(
    text: str, sentences: list[Span], attributions: list[Attribution]
) -> list[int | None]:
    """For each sentence, the index of its weakest sourcing link (the outlet, setting or hedge that
    relays a named speaker), so a card can say "Starmer, via RIA Novosti"."""

    def weakest(indices: list[int]) -> int:
        return min(indices, key=lambda i: (_STRENGTH_RANK[attributions[i].strength], i))

    return _assign(text, sentences, attributions, weakest)


def sentence_speakers(text: str, sentences: list[Span], attributions: list[Attribution]) -> dict[int, str]:
    """Sentence index -> who said it, for the sentences that have a source."""
    covering = attribution_for_sentence(text, sentences, attributions)
    return {i: attributions[a].source for i, a in enumerate(covering) if a is not None}
