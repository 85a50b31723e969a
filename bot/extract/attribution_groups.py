"""Passes for people nobody names: anonymity formulas, unnamed roles ("a senior official") and vague
collectives ("critics", "some allies")."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from bot.extract import attribution_patterns as P
from bot.extract.attribution_context import WORD, Find, Sentence, institution_find, weak_find
from bot.extract.attribution_grammar import (
    PREPOSITION_BEFORE,
    VERB_AFTER,
    after_verb_like,
    group_voice_end,
    holds_stance,
    is_reporting,
    relative_clause_verb_end,
    voice_around,
)
from bot.models import AttributionKind, Strength

# "his chief aide": "chief" only after a possessive, where it cannot be a named executive's title
# ("the company's chief executive, John J. Ferriola"); counts ("more than 50 former officials"), but no year
# ("In 2000, researchers ...").
_DETERMINER = (
    r"(?:(?:his|her|their|its)\s+chief|(?:(?:more|fewer)\s+than|at\s+least|nearly|almost|about|over|roughly)\s+"
    r"(?:\d{1,3}(?:,\d{3})*|two|three|four|five|six|seven|eight|nine|ten|a\s+dozen|dozens\s+of|hundreds\s+of)"
    r"|\d{1,3}(?:,\d{3})*|a|an|the|one|two|three|four|five|six|several|some|many|multiple|numerous|various|other|certain|"
    r"a\s+few|few|most|a\s+number\s+of|a\s+handful\s+of|dozens\s+of|a\s+group\s+of|another|both|its|their|his|her)"
)


# Words a modifier never is: they would swallow the quantifier ("But some Democrats"). Read in a lookahead
# only, where their order cannot change a match.
_NOT_MODIFIER = (
    "(?:"
    + P.alternation(
        """but and or while whereas that which who so yet because if when as the a an some many several few most
        other others certain numerous various multiple among to for with from by in on at of after before
        despite like his her their its our my your this these those then how although though since until""".split()
    )
    + ")"
)


# Case matters inside these phrases: a capitalised modifier ("Pentagon", "Ukrainian") is any
# capitalised word, a lower-case one must be a known role word.
# The word before "'s" or "-" never gives back letters (`++`): a shorter one cannot be followed by either, so
# the engine would only try every shorter one in vain, at every word of the sentence.
_MODIFIER = (
    r"(?:(?i:" + P.alternation(P.ROLE_MODIFIER_WORDS) + r")"
    rf"|(?!(?i:{_NOT_MODIFIER})\b)[A-Z][\w.'&-]*|(?i:the\s+)?[\w-]++'s"
    # a hyphenated compound is a modifier: "e-business experts", "well-placed sources"
    r"|[a-z]++-[a-z][\w-]*)"
)


_HEAD = "(?i:" + P.alternation(P.UNNAMED_HEADS) + ")"


# Where a role sits: "in Kyiv", "at the Justice Department", "to Michael R. Bloomberg", "in the Obama
# campaign", "of the community", "in both parties", "on Capitol Hill", "in Trump world", "in attendance".
_PLACE = (
    r"(?:\s+(?i:in|at|on|from|within|inside|across|to|for|of|with|close\s+to)\s+(?:the\s+|both\s+)?"
    r"[A-Z][\w.'-]*(?:\s+(?:and\s+)?[A-Z][\w.'-]*){0,3}"
    r"(?:\s+(?:campaign|administration|government|department|ministry|party|team|office|camp|world|orbit|circles|establishment))?"
    r"|\s+(?i:in|of|from|within|inside)\s+the\s+(?:community|campaign|administration|government|party|"
    r"industry|region|city|country|audience|room|military|army|police|ministry|department|agency|alliance|"
    r"coalition|opposition|movement|group|team|company|sector|field|profession)"
    r"|\s+(?:in|from|for|of|on)\s+both\s+[a-z]+|\s+on\s+both\s+sides(?:\s+of\s+the\s+aisle)?"
    r"|\s+on\s+the\s+(?:right|left|ground|hill|panel|committee|staff|board|council|trail|scene)"
    r"|\s+in\s+attendance|\s+present(?=[\s,])"
    r"|\s+(?:of|to|in|at|from|for)\s+(?:his|her|their|its|the)\s+(?:[a-z][\w'-]*\s+){0,2}(?:government|"
    r"campaign|administration|party|parties|state|county|district|city|country|nation|congress|senate|house|"
    r"chambers?|caucus|committee|movement|organi[sz]ation|union|industry|company|council|board|bank)(?![\w-])"
    r"|\s+(?:at|in|from|for)\s+(?:his|her|their|the|this|that)\s+(?!(?:same|time|moment|end|past)\b)[a-z]+(?=[\s,]))?"
)


# "friends and advisers", "leaders and strategists": a group coordinated with a role is one source.
_COORDINATED_GROUP = "(?i:" + P.alternation(P.COLLECTIVE_HEADS | set(P.UNNAMED_HEADS)) + ")"


_UNNAMED_NP_BODY = (
    rf"(?P<np>(?:(?i:{_DETERMINER})\s+)?"
    # "Russian and Ukrainian officials"; "in France and analysts feared": "and" joins modifiers, never a head
    rf"(?P<mods>(?:(?:{_MODIFIER}|{_COORDINATED_GROUP}\s+and)(?:\s+and(?=\s+{_MODIFIER}\s))?\s+){{0,5}})"
    rf"(?P<head>{_HEAD}){_PLACE})"
)


_UNNAMED_NP = re.compile(rf"(?<![\w'-]){_UNNAMED_NP_BODY}(?![\w-])")


# Every word a role phrase holds before its head is a whole whitespace-delimited word (all but its first) of
# a few kinds: a determiner's, a role or group word, "and", "the", a capitalised word, a number, a possessive
# or a hyphenated word. A word of no such kind before a head is where a phrase ending on that head, or on a
# later one, starts at the earliest, and no phrase runs past the last head: `_from_heads` scans only there.
_HEAD_AT = re.compile(rf"(?<![\w'-]){_HEAD}")
# A determiner's four words ("more than a dozen"), then five modifiers of three words at most ("the firm's",
# "friends and and").
_ROLE_WORDS_BEFORE_HEAD = 19
_PHRASE_WORDS = (
    frozenset(WORD.findall(_DETERMINER))
    | P.ROLE_MODIFIER_WORDS
    | P.COLLECTIVE_HEADS
    | frozenset(P.UNNAMED_HEADS)
    | {"and", "the"}
)


def _from_heads(
    pattern: re.Pattern[str], heads: re.Pattern[str], s: str, may_hold: Callable[[str], bool], most: int
) -> Iterator[re.Match[str]]:
    """What `pattern.finditer(s)` finds, for a pattern whose every match holds a head `heads` finds, after at
    most `most` words, each whole one of them a word `may_hold` accepts. The words no match can reach are left
    unscanned: such a pattern costs microseconds at each word it is tried at."""
    pos = 0
    while head := heads.search(s, pos):
        m = pattern.search(s, max(pos, _earliest_start(s, head.start(), may_hold, most)))
        if m is None:
            return
        yield m
        pos = m.end()


def _earliest_start(s: str, head: int, may_hold: Callable[[str], bool], most: int) -> int:
    """A place at or before the start of every match whose head is at `head` or later. The words such a match
    holds before its head, `most` at most, are whole words `may_hold` accepts but for its first: no match starts
    before the last whole word before `head` that `may_hold` refuses, nor before the `most`-th. The place is the
    end of the word before that one, or 0 when it is the first (a match may start inside it, after a quote)."""
    before = s[:head]
    words = before.split()
    # Words from the end that a match may hold, the first one the head's own when a quote or bracket opens it.
    own = reach = 1 if words and not before[-1].isspace() else 0
    while reach < len(words) and reach - own < most - 1 and may_hold(words[-1 - reach]):
        reach += 1
    if reach + 1 >= len(words):
        return 0
    return len(before.rsplit(None, reach + 1)[0])


def _may_lead_a_role(word: str) -> bool:
    """Whether a whole word can stand before a role phrase's head; any word outside ASCII may (a case-blind
    pattern matches "ſome" as "some")."""
    return (
        not word.isascii()
        or word[0].isupper()
        or word[0].isdigit()
        or "-" in word
        or word.endswith("'s")
        or word.lower() in _PHRASE_WORDS
    )


# The unnamed role right before an anonymity formula: "a senior official, speaking on condition of ...".
_UNNAMED_TAIL = re.compile(rf"(?<![\w'-]){_UNNAMED_NP_BODY}\s*,?\s*(?:who\s+)?$")


# The whole role phrase whose head opens a formula: "an official" in "an official familiar with ...".
_UNNAMED_ENDING = re.compile(rf"(?<![\w'-]){_UNNAMED_NP_BODY}$")


# "..., said a senior official" (after a quote or comma); "Rivers said a senior aide would" is content.
_INVERTED_BEFORE = re.compile(rf"(?:[,\"']\s*{P.INVERTED_VERBS}|\baccording\s+to)\s*$", re.IGNORECASE)


_NAME_AFTER = re.compile(rf",?\s*(?:{P.PERSON_TITLES}\s+)?[A-Z][\w'-]+\s+[A-Z][\w'-]+")


_NAME_BEFORE = re.compile(r"[A-Z][\w'.-]+\s*,\s*$")


# "Katie Packer, who is chairman of ...": the role of a person just named.
_NAMED_WHO_IS_BEFORE = re.compile(r"[A-Z][\w'.-]+\s*,\s*who\s+(?:is|was|has\s+been)\s+(?:the\s+|a\s+)?$")


# "..., a former official said." is no appositive: the role phrase runs straight into its verb.
_VERB_AFTER_DIRECT = re.compile(
    r"\s+(?:(?:also|later|then|had|has|have)\s+)?(?:said|says|told|added|noted|wrote)\b"
)


# "Rivers said a senior aide would brief ...": the phrase sits inside a named speaker's reported words.
_INSIDE_REPORTED_SPEECH = re.compile(
    rf"\b[a-z]+\s+{P.INVERTED_VERBS}\s+(?:that\s+)?$|\b{P.INVERTED_VERBS}\s+that\s+$"
    r"|\b[a-z]+\s+(?:told|tells|telling)\s+(?:reporters|him|her|them|us|me|journalists)\s+(?:that\s+)?$"
)


# "Mr Clarke said police backed ...", "Mr Clarke said the security services and police backed ...": the role
# is the subject of what a named speaker said, not a source of its own.
_NAMED_SPEAKERS_CONTENT = re.compile(
    rf"[A-Z][\w'.-]*\s+{P.INVERTED_VERBS}\s+(?:that\s+)?(?:(?:the\s+)?(?:[a-z]+\s+){{1,3}}(?:and|or)\s+)?$"
)


_PASSIVE_AGENT_BEFORE = re.compile(r"\b(?P<verb>[a-z]+ed|told|written)\s+by\s*$")


# A bare quantifier right before a verb of opinion is its holder wherever it stands.
_OPINION_AFTER = re.compile(
    r"\s+(?:believe|think|say|argue|fear|suspect|contend|insist|worry|expect|claim|feel|call|consider|see)\b"
)


_COLLECTIVE = re.compile(
    rf"(?<![\w'-])(?P<np>(?:(?P<quant>(?i:{P.QUANTIFIERS}))\s+(?:(?i:of\s+(?:the|these|those|her|his|their|its|our))\s+|of\s+[A-Z][\w-]*'s\s+)?)?"
    rf"(?:(?!(?i:{_NOT_MODIFIER})\b)[A-Za-z][\w-]*(?:'s)?\s+){{0,2}}"
    rf"(?P<head>(?i:{'|'.join(sorted(P.GROUP_HEADS))}))"
    rf"(?:\s+(?:and|or)\s+(?:(?!(?i:{_NOT_MODIFIER})\b)[A-Za-z][\w-]*\s+){{0,2}}(?i:{'|'.join(sorted(P.GROUP_HEADS))}))?"
    rf"{_PLACE})(?![\w-])"
)


# A collective's quantifier, four words ("a growing number of"), "of the" or "of Trump's", and two words.
_GROUP_HEAD_AT = re.compile(rf"(?<![\w'-])(?i:{P.alternation(P.GROUP_HEADS)})")
_GROUP_WORDS_BEFORE_HEAD = 8


def _may_lead_a_group(word: str) -> bool:
    """Whether a whole word can stand before a collective's head: any word opening on a letter (the case-blind
    quantifiers match a few letters outside ASCII too: "ſome")."""
    return word[0].isalpha()


# "Some in the party", "most in both states": a bare quantifier with a place is a group like any other.
# "said others had raised", "said many were worried": a finite verb, not a noun ("many of the campaign pledges").
_FINITE_PAST = re.compile(r"\b(?:had|have|has|were|was|would|could|did|[a-z]+ed)\b")
_POSSESSIVE = re.compile(r"[A-Z][\w-]*'s\s")
_POSSESSIVE_GROUP = re.compile(
    rf"[A-Z][\w-]*'s\s+(?:[\w-]+\s+)?(?i:{'|'.join(sorted(P.COLLECTIVE_HEADS))})\b"
)
_RESPONDENTS_AFTER = re.compile(r"\s+(?:questioned|surveyed|polled|asked|interviewed)\b")
# "a poll shows that most voters want": what a poll, survey or study found; the finding's own source is the poll
# (an aside in brackets between them is skipped).
_FINDING_BEFORE = re.compile(
    r"\b(?i:polls?|surveys?|study|studies|research|data|census)\b(?:\([^()]*\)|[^.;:!?\"()]){0,80}?\b"
    r"(?:shows?|showed|shown|found|finds?|suggests?|suggested|indicates?|indicated|reveals?|revealed)"
    r"\s+(?:that\s+)?$"
)


def _poll_result(s: str, start: int) -> bool:
    return bool(_FINDING_BEFORE.search(s, max(0, start - 300), start))


# "few could say how tariffs compared": whether a group is able to tell, which reports no view of theirs.
_UNABLE_TO_TELL_AFTER = re.compile(
    r"\s+(?:could|can|cannot|can't|couldn't|could\s+not|were\s+able\s+to)\s+(?:really\s+)?say"
    r"(?:\s+(?:with|for)\s+(?:any\s+)?[a-z]+)?\s+(?:how|whether|what|why|when|where|which|who|if)\b",
    re.IGNORECASE,
)
# "seemed most concerned", "they are most enthusiastic": after a linking verb "most" grades the adjective (a
# superlative), it counts no group.
_DEGREE_BEFORE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|seem(?:s|ed)?|appear(?:s|ed)?|look(?:s|ed)?|feel|feels|felt|became|"
    r"become|becomes|remain(?:s|ed)?)\s+$",
    re.IGNORECASE,
)


def _superlative(s: str, start: int, quantifier: str) -> bool:
    """Whether a "most" opening at `start` grades what follows instead of counting a group."""
    return quantifier[:4].lower() == "most" and bool(_DEGREE_BEFORE.search(s, max(0, start - 12), start))


_PRONOUN_COLLECTIVE = re.compile(
    # "most of us think": the writer and the reader, not a source
    r"(?P<np>(?i:others|some|many|most|few|a\s+few|several)(?!\s+(?i:of\s+(?:us|you))\b)"
    r"(?i:\s+of\s+(?:them|those|these|whom))?"
    rf"{_PLACE})(?![\w-])"
)


# A person's name, then "and": "Mr Roe and", "Jane Roe and", "... that Roe and" (a capital inside the sentence).
_NAME_AND_BEFORE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+[A-Z][\w'-]+|\b[A-Z][\w'-]+\s+[A-Z][\w'-]+|(?<=[a-z,]\s)[A-Z][\w'-]+)"
    r"\s+and\s+$"
)


# "Those in favor of punishment have said", "those opposed to the deal argue": a side, named by its stance.
_THOSE_DEFINED = re.compile(
    r"(?<![\w'-])(?i:those)\s+(?:in\s+favou?r\s+of|opposed\s+to|against|in\s+support\s+of|on\s+the\s+other\s+side\s+of)"
)
_NEXT_WORD = re.compile(r"\s+[\w'-]+")


_CLAUSE_START_BEFORE = re.compile(
    r"(?:^|[;:,(—]\s*|\s-\s*|,\s*(?:while|but|and|whereas|though|although)\s+"
    r"|\b(?:while|whereas|but|and|that|as|what|who|whom|which|than|because|since|where|so|though|even|with|"
    r"before|after|until|unless|once|when|if)\s+)"
    r"[\"'(]?\s*$",
    re.IGNORECASE,
)


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


_COLLECTIVE_TRIGGERS = P.ALWAYS_VAGUE_HEADS | (frozenset(WORD.findall(P.QUANTIFIERS)) - {"a", "of"})


_PRONOUN_COLLECTIVE_WORDS = frozenset({"others", "some", "many", "most", "few", "several"})


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
    first = WORD.search(name.group(0).lower())
    return not (first and first.group(0) in P.REPORTING_VERBS and not first.group(0).endswith("ing"))


def find_anonymous(c: Sentence) -> list[Find]:
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
            source = "someone unnamed"  # the reason says "anonymous source"; the card shows both
        out.append(
            weak_find(
                c.base + start, c.base + m.end(), source, AttributionKind.anonymous, "anonymous source", 90
            )
        )
    return out


def find_unnamed(c: Sentence) -> list[Find]:
    if c.words.isdisjoint(_ROLE_HEADS) and (
        c.words.isdisjoint(P.WEAK_HEADS) or c.words.isdisjoint(_ROLE_MODIFIERS)
    ):
        return []  # no role, and no "people" with a role word to make them one
    s, out = c.text, []
    for m in _from_heads(_UNNAMED_NP, _HEAD_AT, s, _may_lead_a_role, _ROLE_WORDS_BEFORE_HEAD):
        head = m.group("head").lower()
        if (
            head in P.WEAK_HEADS
            and P.ROLE_MODIFIER_WORDS.isdisjoint(m.group("mods").lower().split())
            and (head not in _PLACED_ROLES or m.end() == m.end("head"))
        ):
            continue  # "people" need a role ("campaign people"); "executives" a role or a place ("of both firms")
        before = s[: m.start()]
        if m.group("head").istitle() and before.strip(" \"'("):
            continue  # "the Metropolitan Police said": a capital inside a sentence makes it a name
        appositive = (
            (re.match(r"(?i:a|an|the)\s", m.group("np")) or not head.endswith("s"))
            and _NAME_BEFORE.search(before)
            and not _VERB_AFTER_DIRECT.match(s, m.end())
        ) or _NAMED_WHO_IS_BEFORE.search(before)
        if _name_after(s, m.end()) or appositive:
            continue  # "spokesman John Kirby said", "Jane Doe, a senior official, said": named on record
        if named := _APPOSITIVE_NAME_AFTER.match(s, m.end()):
            # "Another diplomat, former special envoy to Ukraine Kurt Volker, said": a person on the record
            if is_reporting(said := VERB_AFTER.match(s, named.end() + 1)):
                out.append(
                    Find(
                        c.base + m.start(),
                        c.base + said.end(),
                        named["name"],
                        AttributionKind.named_person,
                        Strength.strong,
                        "named on the record",
                        95,
                    )
                )
            continue
        kind, reason = _unnamed_reason(head)
        if inverted := _INVERTED_BEFORE.search(before):
            start = inverted.start() if inverted.group(0).lower().startswith("according") else m.start()
            out.append(weak_find(c.base + start, c.base + m.end(), m.group("np"), kind, reason, 70))
            continue
        if _INSIDE_REPORTED_SPEECH.search(before) or _NAMED_SPEAKERS_CONTENT.search(before):
            continue
        agent = _PASSIVE_AGENT_BEFORE.search(before)
        if (
            agent and agent["verb"] in P.REPORTING_VERBS
        ):  # "confirmed by strategists", not "besieged by police"
            out.append(weak_find(c.base + m.start(), c.base + m.end(), m.group("np"), kind, reason, 70))
            continue
        verb = VERB_AFTER.match(s, m.end())
        # "with top officials warning ..." and "including a campaign adviser acknowledging ..." are sources;
        # "a briefing with senior military officials" is the audience, which `group_voice_end` rules out.
        if (
            is_reporting(verb)
            and verb["verb"].endswith("ing")
            and re.search(r"\b(?:with|including)\s*$", before, re.I)
        ):
            end: int | None = verb.end()
        else:
            end = group_voice_end(
                s,
                m.start(),
                m.end(),
                generic=head in P.GENERIC_PEOPLE,
            )
        if end is None:
            continue
        if _POSSESSED_ONE.match(m.group("np")) and verb and verb["verb"].lower() in _THOUGHT_VERBS:
            continue  # "his doctor assumed": one known person's thinking, not a source ("his doctor said" is)
        if reason != "unnamed spokesperson" and (
            institution := _INSTITUTION_MODIFIER.search(m.group("mods"))
        ):
            # "Berrien County Health Department officials said": the institution is named on the record ("a Home
            # Office spokeswoman said" is still one person nobody names)
            out.append(institution_find(c.base + m.start(), c.base + end, institution.group(0).strip(), 75))
            continue
        out.append(weak_find(c.base + m.start(), c.base + end, m.group("np"), kind, reason, 70))
    return out


# ", former special envoy to Ukraine Kurt Volker,": a role, then the person's full name, between commas.
_APPOSITIVE_NAME_AFTER = re.compile(
    r"\s*,\s*(?![a-z]+ing\b|who\b|which\b)(?:[\w'.-]+\s+){0,8}(?P<name>[A-Z][\w'-]+(?:\s+[A-Z]\.)?\s+[A-Z][\w'-]+)\s*(?=,)"
)
_ROLE_HEADS = frozenset(P.UNNAMED_HEADS) - P.WEAK_HEADS
# Weak heads that a place makes a role: "executives of both companies" ("leaders of the United States" are
# identifiable, "people in the room" anyone).
_PLACED_ROLES = frozenset({"executive", "executives"})
_ROLE_MODIFIERS = frozenset(w for phrase in P.ROLE_MODIFIER_WORDS for w in phrase.split())
# "his doctor", "her lawyer": one particular person, whose thoughts are the story, not its sourcing.
_THOUGHT_VERBS = frozenset(
    "assumed thought believed suspected expected feared hoped felt wanted worried wondered considered imagined "
    "doubted realised realized guessed".split()
)
_POSSESSED_ONE = re.compile(r"(?i:his|her|their|its)\s+(?:[a-z]+\s+)?(?!\w*s\b)\w+$")
# Two or more capitalised words ending on an organisation word: "Berrien County Health Department".
_INSTITUTION_MODIFIER = re.compile(
    r"(?:[A-Z][\w&'.-]*\s+)+(?i:"
    + "|".join(
        sorted(P.ORG_WORDS - {"house", "state", "states", "party", "campaign", "media", "press", "staff"})
    )
    + r")\b"
)


def find_collectives(c: Sentence) -> list[Find]:
    s, out = c.text, []
    reason = "vague collective, no one named"
    # Without a quantifier only an always-vague head counts, so most sentences need no scan at all.
    if not c.words.isdisjoint(P.GROUP_HEADS) and (
        not c.words.isdisjoint(_COLLECTIVE_TRIGGERS) or _POSSESSIVE_GROUP.search(s)
    ):
        for m in _from_heads(_COLLECTIVE, _GROUP_HEAD_AT, s, _may_lead_a_group, _GROUP_WORDS_BEFORE_HEAD):
            head = m.group("head").lower()
            # "Rudolph's supporters have stated": someone's group, unnamed, speaking
            whose = _POSSESSIVE.search(m.group("np")) and is_reporting(VERB_AFTER.match(s, m.end()))
            quant = m.group("quant") and not _superlative(s, m.start(), m.group("quant"))
            if not quant and head not in P.ALWAYS_VAGUE_HEADS and not whose:
                continue
            if head in P.UNNAMED_HEADS and not quant:
                continue
            if (
                _name_after(s, m.end())
                or _UNABLE_TO_TELL_AFTER.match(s, m.end())
                or _poll_result(s, m.start())
            ):
                continue
            start = m.start()
            if not m.group("quant"):  # "Trump dismissed critics": the group starts after the verb
                start = m.start() + after_verb_like(s[m.start() : m.start("head")])
            end = group_voice_end(s, start, m.end(), generic=head in P.GENERIC_PEOPLE)
            if end is not None:
                kind, why = (
                    _unnamed_reason(head)
                    if head in P.UNNAMED_HEADS and head not in P.WEAK_HEADS
                    else (AttributionKind.vague_collective, reason)
                )
                out.append(weak_find(c.base + start, c.base + end, s[start : m.end()], kind, why, 70))
    if not c.words.isdisjoint(_PRONOUN_COLLECTIVE_WORDS):
        for m in _PRONOUN_COLLECTIVE.finditer(s):
            before = s[max(0, m.start() - 20) : m.start()].split()
            verb = VERB_AFTER.match(s, m.end())
            after_speech = before and before[-1].lower() in P.REPORTING_VERBS
            if after_speech and not (is_reporting(verb) and _FINITE_PAST.search(verb.group(0))):
                continue  # "said several carriers had suspended": what was reported ("said others had warned": a source)
            if before and before[-1].lower() == "with" and not (verb and verb["verb"].endswith("ing")):
                continue  # "combined with some worries": a noun, not the group's verb
            if _superlative(s, m.start(), m.group("np")):
                continue  # "Putin seemed most concerned with": how concerned, not how many
            if _NAME_AND_BEFORE.search(s, 0, m.start()):
                continue  # "Mr Roe and others had argued": the named one leads, his company adds no source
            if (
                _RESPONDENTS_AFTER.match(s, m.end())
                or _UNABLE_TO_TELL_AFTER.match(s, m.end())
                or _poll_result(s, m.start())
            ):
                continue  # "most of those questioned said": a survey's result; "few could say how": no view at all
            opinion = _OPINION_AFTER.match(s, m.end())
            clause_start = _CLAUSE_START_BEFORE.search(s, 0, m.start()) or after_speech
            if clause_start and holds_stance(verb):
                end: int | None = verb.end()
            elif clause_start and (later := relative_clause_verb_end(s, m.end())):
                end = later  # "Many of those who attended the rally said"
            elif opinion and not PREPOSITION_BEFORE.search(s, 0, m.start()):
                end = opinion.end()  # "a strategy some believe he could replicate", "what many call"
            else:  # "among others" is a list, not a view
                end = voice_around(s, m.start(), m.end(), frame=False)
            if end is not None:
                out.append(
                    weak_find(
                        c.base + m.start(),
                        c.base + end,
                        m.group("np"),
                        AttributionKind.vague_collective,
                        reason,
                        60,
                    )
                )
    if "those" in c.words:
        for m in _THOSE_DEFINED.finditer(s):
            if not _CLAUSE_START_BEFORE.search(s, 0, m.start()):
                continue
            end = m.end()
            for _ in range(4):  # the side's object, a few words: "the deal", "punishment"
                if not (word := _NEXT_WORD.match(s, end)):
                    break
                end = word.end()
                if is_reporting(verb := VERB_AFTER.match(s, end)):
                    kind = AttributionKind.vague_collective
                    out.append(
                        weak_find(
                            c.base + m.start(), c.base + verb.end(), s[m.start() : end], kind, reason, 60
                        )
                    )
                    break
    if "by" in c.words and not c.words.isdisjoint(P.PASSIVE_VAGUE_AGENTS):
        for m in P.PASSIVE_VAGUE.finditer(s):
            source = m.group(0).rsplit(" by ", 1)[-1]
            out.append(
                weak_find(
                    c.base + m.start(), c.base + m.end(), source, AttributionKind.vague_collective, reason, 55
                )
            )
    return out


# "the doctors said" beside "Doctors for Camp Closure", "the lawyers warned" beside "Harbour Lawyers": a definite
# plural that takes its head from an organisation the article names points to that organisation.
_DEFINITE_GROUP = re.compile(r"(?i:the)\s+(?P<head>[a-z]+s)\b")


def settle_named_groups(text: str, finds: list[Find]) -> list[Find]:
    """A definite plural role ("the doctors") that repeats a word of a capitalised name the article gives
    ("Doctors for Camp Closure") is that named group, on its record, whether the name comes before it or just
    after ("In a letter, the doctors pleaded ... The group, Doctors for Camp Closure, ..."); other unnamed finds
    stay weak."""
    out = []
    for f in finds:
        group = _DEFINITE_GROUP.fullmatch(f.source) if f.kind is AttributionKind.unnamed_official else None
        if group and _names_group(text, group["head"]):
            f = institution_find(f.start, f.end, f.source, f.priority)
        out.append(f)
    return out


def _names_group(text: str, head: str) -> bool:
    """Whether the article names an organisation with `head` capitalised in it: "Doctors for Camp Closure",
    "Doctors Without Borders", "Harbour Lawyers" (not a capital that only opens a sentence).

    Both readings hold the capitalised word itself, so only its occurrences are read, not the whole article
    (one search of a long paste cost more than the rest of the settling)."""
    word = head.capitalize()
    after, before = _group_name_patterns(word)
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if after.match(text, at) or before.search(text, _token_before(text, at), end + 1):
            return True
        at = text.find(word, at + 1)
    return False


@lru_cache(maxsize=256)
def _group_name_patterns(word: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The name running on after the word ("Doctors for ..."), and the capitalised word before it ("Harbour
    Lawyers"), which ends at the word's end (the search stops one character after it, enough for `\\b`)."""
    word = re.escape(word)
    return (
        re.compile(rf"\b{word}\s+(?:for|of|without|against|in|on|and)\s+(?:the\s+)?[A-Z]"),
        re.compile(rf"(?<![.!?]\s)(?<![.!?]\s\s)\b(?!The\b)[A-Z][\w'&-]*\s+{word}\b"),
    )


def _token_before(text: str, at: int) -> int:
    """Where the word before `at` starts: back over the spaces, then over its letters (`[\\w'&-]`)."""
    i = at
    while i and text[i - 1].isspace():
        i -= 1
    while i and _NAME_CHAR.match(text, i - 1):
        i -= 1
    return i


_NAME_CHAR = re.compile(r"[\w'&-]")
