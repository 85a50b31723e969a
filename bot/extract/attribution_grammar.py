"""When a phrase is the source of what its sentence says, read from the words around it without a tagger.

A group is a source as the subject of a verb of speech or stance ("officials hope"), through a relative
clause ("commentators who have suggested"), after "according to" or an inverted speech verb, as the holder
of a stance ("unease among many leaders"), or when made to think ("leaving many to wonder"). The passes
for unnamed people, outlets and named speakers all ask these questions.
"""

from __future__ import annotations

import re

from bot.extract import attribution_patterns as P
from bot.extract.attribution_context import WORD

VERB_AFTER = re.compile(P.PARENTHETICAL + P.VERB_PHRASE)


PREPOSITION_BEFORE = re.compile(
    r"(?=[abdfilnotuvw])\b(?:with|to|among|by|for|of|from|about|against|between|on|at|into|over|under|like|including|in|"
    r"inside|within|across|near|after|before|during|via|through|toward|towards|behind|beyond|without)\s*$",
    re.IGNORECASE,
)


# Where a clause's subject starts: "But officials hope", "; critics charged", "more than her advisers expected".
_NO_COMMENT = re.compile(r"\bnot\s+(?:immediately\s+)?(?:respond|reply|return|comment)", re.IGNORECASE)
_REMAIN = frozenset({"remain", "remains", "remained", "remaining"})
_SUBJECT_BEFORE = re.compile(
    r"(?:^|[;:(—]\s*|[,.!?]\s*|\s-\s*|\b(?:and|but|while|whereas|that|as|because|since|though|although|so|even|"
    r"when|if|where|however|still|yet|than|once|whether|meanwhile|instead|now|also|who|whom|before|after|until|unless|"
    r"which|what|(?:this|last|next)\s+(?:week|month|year)|(?:on\s+)?[A-Z][a-z]+day|^[A-Za-z]+ly,?)\s+)"
    r"[\"'(]?\s*$",
    re.IGNORECASE,
)


# "some far-right commentators who have suggested": a group in any position that a relative clause makes
# the speaker.
_WHO_VERB_AFTER = re.compile(r"\s*,?\s+who" + P.VERB_PHRASE)


_TO_VERB_AFTER = re.compile(r"\s+to\s+[a-z]+")


# What a group is made to do that is a view: "to wonder", "to speculate", "to compare" (not "to see", "to run").
_TO_THINK = re.compile(
    "|".join(
        sorted((P.REPORTING_VERBS | P.STANCE_VERBS) - frozenset("see sees saw seen seeing seek".split()))
    )
)


_FOR_DUTY = re.compile(r"\s+(?:for\s+(?:duty|work)|to\s+work)\b")


_LAST_WORD_BEFORE = re.compile(r"([A-Za-z]+)[,\"']?\s+$")


_WORD_AFTER = re.compile(r"\s+(?P<verb>[a-z]+)")


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
    r"(?:[^\s,.;:!?\"()—]+\s+){1,7}[^\s,.;:!?\"()—]+"
)


# A reduced relative: "voters interviewed on Tuesday said", "analysts polled by Reuters expect".
_PARTICIPLE_TAIL = re.compile(r"\s+[a-z]{3,}ed(?:\s+[^\s,.;:!?\"()—]+){0,6}")


_TAIL_WORD = re.compile(r"(?<=\s)[A-Za-z']+")


_CLAUSE_WORDS = frozenset(
    "that which who whom whose when if because but while as than where whether after before".split()
)


# A word after these is a noun ("the report", "their claim"), not the group's verb.
_NOUN_MARKERS = frozenset("to the a an of his her their its our this that these those".split())


_HEADLINE_GROUP = re.compile(r"(?i:(?<!source)s)$")


_DEFINING_WHO_AFTER = re.compile(r"\s+who\b")


# A defining relative clause up to the next clause mark; a full stop inside a sentence is an abbreviation.
_RELATIVE_AFTER = re.compile(r"\s+(?P<who>who(?:'d|'ve|'re)?)\s[^,;:!?\"()—]{1,160}")


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
    r"\s*(?:$|[,.;:!?\")—]|(?i:to|in|at|on|about|against|but|and|or|during|over|for|with|again|earlier|last|"
    r"this|when|while|after|before|since|privately|publicly|[a-z]+ly)\b)"
)


_HELD_BELIEF_AFTER = re.compile(
    r"\s+(?:under|in)\s+the\s+(?:belief|impression|assumption|conviction|expectation)\s+that\b", re.IGNORECASE
)


_STANCE_ADJECTIVE_NEXT = re.compile(
    rf"\s+(?:[a-z]+ly\s+)?(?:{'|'.join(sorted(P.STANCE_ADJECTIVES))})\b", re.IGNORECASE
)
_STANCE_ADJECTIVE_AFTER = re.compile(
    rf"\s+(?:{'|'.join(sorted(P.STANCE_ADJECTIVES))})\s+(?:about|that|over|of|with|to)\b", re.IGNORECASE
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


def holds_stance(verb: re.Match[str] | None) -> bool:
    """ "Many worried that", "most oppose it", "many voters were angered": a verb of speech or stance, or
    a public act that shows one ("others paid tribute", "many voters have soured on him").

    The only verbs accepted after a bare quantifier or a generic group ("people", "residents"), whose
    other verbs are mostly events, not sourcing ("several people died", "some are apps")."""
    if not verb:
        return False
    low = verb["verb"].lower()
    if _NO_COMMENT.search(verb.group(0)):
        return False  # "did not immediately respond": no information, whoever it is
    if low in _REMAIN:
        return bool(_STANCE_ADJECTIVE_NEXT.match(verb.string, verb.end("verb")))  # not "many remain peaceful"
    if low in _INTENT_VERBS and _TO_VERB_AFTER.match(verb.string, verb.end("verb")):
        return False  # "Ministers had hoped to get £900m": an aim, not a view of what is so
    return (
        is_reporting(verb)
        or low in P.STANCE_VERBS
        or low in P.PSYCH_PARTICIPLES
        or bool(P.SHOWN_STANCE.match(verb.string, verb.start("verb")))
    )


# "this year's official talking point": a bare gerund after the head and before a noun makes a compound noun
# ("an official speaking to reporters", "aides saying they" are participles of a source).
_BARE_GERUND = re.compile(r"\s+[a-z]+ing$")
_NEXT_LOWER_WORD = re.compile(r"\s+([a-z]+)\b")
_NOT_A_NOUN = P.NOT_VERBS | frozenset("he she it they we i you him them us me not".split())


def _noun_compound(verb: re.Match[str]) -> bool:
    if not _BARE_GERUND.match(verb.group(0)):
        return False
    after = _NEXT_LOWER_WORD.match(verb.string, verb.end())
    return bool(after) and after[1] not in _NOT_A_NOUN and not after[1].endswith("ly")


_INTENT_VERBS = frozenset({"hope", "hopes", "hoped", "hoping"})
# Wanting to act is an aim, not a view of what is so ("some people are naturally eager to run ...").
_VOLITION = frozenset({"eager", "willing", "unwilling", "keen", "ready"})
_CONSIDER = frozenset({"consider", "considers", "considered"})  # "are considering the bill" is deliberation
# "consider these triggers", "consider the risks": an object with no "as" or "to be" after it.
_CONSIDERED_OBJECT = re.compile(
    r"\s+(?:these|those|the|a|an|such|all|any|other|their|his|her|its|our|your)\s+(?![^,.;:!?\"]*\b(?:as|to\s+be)\b)"
)
_THINK = frozenset({"think", "thinks", "thought", "thinking"})
_BELIEVE = frozenset({"believe", "believes", "believed"})
# "believed the waitress, who said", "believed him": trusting a person, whose account is the source.
_BELIEVED_PERSON = re.compile(
    r"\s+(?:him|her|them|me|us|you|(?:the|a|an|his|her|their|my|our)\s+[a-z]+)(?=\s*[,.;!?]|\s+(?:who|over|instead)\b)"
)


def wants_to_act(verb: re.Match[str] | None) -> bool:
    """ "Are eager to run", "were willing to pay": wanting to act, said of anyone, is an aim rather than a view
    (roles and named groups "willing to" deal are left as stances: PolNeAR annotates them)."""
    return (
        bool(verb)
        and verb["verb"].lower() in _VOLITION
        and bool(_TO_VERB_AFTER.match(verb.string, verb.end("verb")))
    )


def after_verb_like(modifiers: str) -> int:
    """Offset just past the last word in `modifiers` that cannot modify a noun (a verb or function word)."""
    cut = 0
    for word in re.finditer(r"[\w'-]+\s*", modifiers):
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


def group_voice_end(s: str, start: int, end: int, generic: bool = False) -> int | None:
    """Where the find ends when a vague or unnamed group (s[start:end]) is a source, else None.

    A group is a source as the subject of a verb ("officials hope"), through a relative clause
    ("commentators who have suggested"), when a speech verb or "according to" comes before it ("say
    some Democrats"), as the holder of a stance ("unease among many leaders", "alarmed legal experts",
    "in the eyes of most voters", "To many, ..."), or when made to think ("leaving many to wonder").
    As a subject, only a verb of speech or stance makes a group a source ("officials hope", "Lawmakers are
    uneasy"): a group that acts ("researchers have detected", "officials studied sites") is the story's
    subject, not where its information comes from."""
    verb = VERB_AFTER.match(s, end)
    if generic and wants_to_act(verb):
        return None  # "some people are naturally eager to run ...": an aim, not a view
    if is_reporting(verb) and not PREPOSITION_BEFORE.search(s, 0, start) and not _noun_compound(verb):
        return verb.end()
    # "Those Republican insiders who think ...": a defining relative clause says which group is meant.
    anaphoric = _ANAPHORIC.match(s, start) and not _DEFINING_WHO_AFTER.match(s, end)
    if _SUBJECT_BEFORE.search(s, 0, start):
        if not anaphoric and (
            later := _postmodified_verb_end(s, end, participle=generic) or relative_clause_verb_end(s, end)
        ):
            return later
        if holds_stance(verb) and not verb["verb"].lower().endswith("ing"):
            return verb.end()  # "lawmakers defending the budget": a participle, not the clause's verb
    return None if anaphoric else voice_around(s, start, end)


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
        verb = VERB_AFTER.match(s, tail.end())
        if is_reporting(verb) and not verb["verb"].lower().endswith("ing"):
            return verb.end()
    return None


def relative_clause_verb_end(s: str, end: int) -> int | None:
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


def voice_around(s: str, start: int, end: int, frame: bool = True) -> int | None:
    """The positions that make a group a source whatever its verb (see `group_voice_end`)."""
    who = _WHO_VERB_AFTER.match(s, end)
    if is_reporting(who):
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
    if not s[:start].strip(" \"'") and s.startswith(":", end) and _HEADLINE_GROUP.search(s, start, end):
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
        if (to := _TO_VERB_AFTER.match(s, end)) and _TO_THINK.fullmatch(to.group(0).split()[-1]):
            return to.end()  # "leaving many to wonder"; "allowed researchers to see how" is an act
        if (doing := _WORD_AFTER.match(s, end)) and doing["verb"].endswith("ing") and holds_stance(doing):
            return doing.end()  # "left some lawmakers wondering", "leaving many questioning"
    return None


def _object_gap_verb(s: str, end: int) -> int | None:
    """Where the verb of an object relative ends: a verb that takes a statement as its object, followed
    by no object of its own ("the point officials made to reporters"). "The fear officials would resign"
    is a content clause instead, so its group is no source."""
    verb = VERB_AFTER.match(s, end)
    if not verb or verb["verb"].lower() not in _GAP_VERBS:
        return None
    after = _GAP_AFTER.match(s, verb.end())
    return verb.end() if after else None


def is_reporting(verb: re.Match[str] | None) -> bool:
    if not verb:
        return False
    # Any word of the verb group counts: "want to humiliate" is an attribution through "want". A match that
    # also holds the subject's name is read from after the name ("the United States and": no verb).
    start = verb.end("name") if "name" in verb.re.groupindex else verb.start()
    phrase = verb.string[start : verb.end()].rsplit(",", 1)[-1].lower()
    words = set(WORD.findall(phrase))
    if words.isdisjoint(P.REPORTING_VERBS) and "would like" not in phrase and "would rather" not in phrase:
        return False  # no verb of saying at all: most matches, so the exceptions below are read after it
    low = verb["verb"].lower()
    if _NO_COMMENT.search(phrase):
        return False  # "did not immediately respond": no information, whoever it is
    if low in _THINK and _TO_VERB_AFTER.match(verb.string, verb.end("verb")):
        return False  # "many doctors don't think to ask": remembering to do something, no view
    if low in _CONSIDER and _CONSIDERED_OBJECT.match(verb.string, verb.end("verb")):
        return False  # "doctors don't consider these triggers": taking something into account, no view
    if low in _BELIEVE and _BELIEVED_PERSON.match(verb.string, verb.end("verb")):
        return False  # "the manager believed the waitress": trusting someone, no view of the speaker's own
    # "officials were accused", "staffers who reported for duty"
    return not (
        _passive_target(low, words)
        or (low.startswith("report") and _FOR_DUTY.match(verb.string, verb.end("verb")))
    )
