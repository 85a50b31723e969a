"""One grammatical pass over every cue of speech: who is the source, and is that source named?

The phrase-family passes fit the wording of the copy they were tuned on and miss new wordings of the same thing
("as one neo-bank CEO told me", "a trade body has warned", "according to the man"). Here every speech cue
("said", "warned", "according to" ...) is read the same way: its source is the noun phrase left of the verb up
to a clause boundary, the phrase after an inverted "said", or the object of "according to". The phrase's HEAD
decides: a pronoun is left to anaphora, a proper name (a capital on a head, in text that is not title case) is
on the record, a common noun (a role, a group, a document) is a source nobody can call back, whatever names
modify it ("Labour campaign chiefs"). Existing finds win where they overlap, except where this reading shows
a general error in them: a proper-named body read as a role, a chant read as speech, a group inside someone
else's reported speech.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from bot.extract import attribution_patterns as P
from bot.extract.attribution_context import Find, SpanIndex, institution_find, weak_find
from bot.models import AttributionKind, Span, Strength

_REASON = "no one named, only what they are"
_PRIORITY = 30

# Verbs that carry information from a source. Noun-like forms ("report", "claims", "notes", "state") are left
# out: after a subject they are as often the head of another noun phrase ("the report", "media claims").
_CUE_VERBS = (
    frozenset(
        form
        for lemma in """
            say tell warn argue insist explain add recall suggest admit acknowledge concede deny confirm reveal
            predict complain allege contend testify observe lament boast write report claim note state
            estimate
            """.split()
        for form in P.inflect(lemma)
        if not form.endswith("ing")
    )
    - frozenset("add report reports claim claims note notes state states estimate estimates".split())
) | frozenset("says said told tells wrote".split())
_CUE_WORDS = rf"(?:(?P<according>[Aa]ccording\s+to)|(?P<verb>{P.alternation(_CUE_VERBS)}))(?![\w'-])"
_CUE = re.compile(rf"(?<![\w'-]){_CUE_WORDS}")
# The same cues found from the space, quote, bracket or dash before them: a pattern that opens on a character class
# lets the engine skip to each gap between words, where a look-behind is tried at every letter (a third slower).
_CUE_GAP = re.compile(rf"[\s\"([—](?={_CUE_WORDS})")
# Verbs of performance, not information: "protesters chanted", "the crowd sang".
_PERFORMANCE = re.compile(r"\b(?:chant(?:s|ed)?|sang|sing|sings|sung)\s*$", re.IGNORECASE)

_PRONOUNS = frozenset(
    "he she they it we i you who whom which that this these those one someone somebody anyone everyone nobody "
    "none all both each others another".split()
)
# Words right before a cue that make it no finite verb of this subject: a passive, an infinitive, a noun.
_NOT_FINITE_BEFORE = frozenset(
    "is are was were be been being to the a an this that his her their its our my your as not".split()
)
_BETWEEN = frozenset(
    """has have had also will would could may might can should must did does do not never further later
    earlier then again still already previously meanwhile now once reportedly allegedly""".split()
)
# Where a subject's clause opens, read leftwards from the verb.
_BOUNDARY_WORDS = frozenset(
    """and but or nor while whereas that which who whom whose as because since though although so when if where
    yet once after before until unless however""".split()
)
_BOUNDARY_MARK = re.compile(r"[.;:!?\"()—\[\]]|\s-\s|,")
_TOKEN = re.compile(r"[A-Za-z](?:[\w'&-]|\.(?=\w))*|\d[\d,.]*|[^\w\s]")
_DETERMINERS = frozenset("the this that these those".split())
_INDEFINITE = frozenset(
    "a an one another some several many few most numerous various certain multiple two three four five six "
    "other".split()
)
_FUNCTION = (
    _PRONOUNS
    | _BOUNDARY_WORDS
    | _BETWEEN
    | P.AUXILIARIES
    | frozenset(
        """of in on at for from by with to into about over under without there here what how why not no
        its his her their our my your me him them us""".split()
    )
)
_ROLE_ACRONYMS = frozenset("CEO CEOs CFO COO CTO MP MPs MEP MEPs MSP AM".split())
# Nouns for findings and reports: a source, but a document relayed, not a person.
_DOCUMENTS = frozenset(
    """report reports investigation investigations inquiry inquiries probe probes study studies survey surveys
    research analysis analyses review reviews paper papers poll polls document documents findings""".split()
)
# One person or a body of people, never named by these words: read as a role, not a crowd.
_PERSON = frozenset(P.UNNAMED_HEADS) | frozenset(
    """man woman boy girl patient victim witness resident passenger driver mother father parent son daughter wife
    husband teenager student worker employee customer user trader nurse surgeon academic professor teacher officer
    soldier manager banker broker dealer investor neighbour neighbor friend relative colleague member fan owner
    farmer survivor chief chiefs boss bosses body union unions group association organisation organization firm
    company regulator regulators campaigner campaigners organiser organisers organizer organizers ceo cfo mp mps
    staff""".split()
)
# How far left of a verb its subject may start (a parenthetical included): a phrase longer than this is no clean
# noun phrase, and reading only this far keeps the pass linear in the text.
_REACH = 200
_APPOSED_NAME = re.compile(rf"(?:{P.PERSON_TITLES}\s+)?[A-Z][\w'-]+(?:\s+(?:[A-Z]\.|[A-Z][\w'-]+))+")
_BODIES = frozenset("body union group firm company".split())
_AUTHOR_AFTER = re.compile(
    r"\s+(?:(?:published|released|issued|prepared|commissioned)\s+)?(?:in|by|from|of|for)\s+(?:the\s+)?"
    r"(?:(?:journal|magazine|newspaper|website)\s+)?[A-Z]"
)
_WORD = re.compile(r"[A-Za-z][\w'&.-]*|\d[\d,.]*")
_NUMBER = re.compile(r"\d[\d,.]*")
_CLAUSE_BREAK = re.compile(r"[;\"]")
_NAMED = "named"
_PHRASE_ENDS = re.compile(r"\s*(?:[,.;:!?\"]|$|\s(?:of|at|for|from|in|with|on|who)\b)")
_SENTENCE_OPENS = re.compile(r"(?:^|[.!?\n][\"')]?\s*)$")
_PLURAL_PEOPLE = re.compile(
    r"[a-z-]*(?:ers|ors|ists|ians|ants|ents|ees|als|ives|chiefs|bosses|people|unions|men)"
)


def speech_sources(text: str, sentences: list[Span], found: list[Find]) -> list[Find]:
    """`found` with the sources of speech cues it missed added, and its named/weak errors on them corrected."""
    starts = [s.start for s in sentences]
    drop: set[int] = set()
    added: list[Find] = []
    weak = _standing_weak(found)
    cues = _cues(text)
    cue_starts = [cue.start() for cue in cues]
    by_start = SpanIndex(found)
    for cue in cues:
        i = bisect_right(starts, cue.start()) - 1
        if i < 0 or cue.start() >= sentences[i].end:
            continue
        start = sentences[i].start
        if _in_reported_speech(text, _cues_between(cues, cue_starts, start, cue.start()), cue.start()):
            continue
        source = _source(text, start, sentences[i].end, cue)
        if source is None:
            continue
        at, end, words = source
        overlapping = by_start.overlapping(at, end)
        verdict = _verdict(text, at, words, cue, weak + added)
        if verdict == _NAMED:
            for k in overlapping:
                f = found[k]
                if f.strength is Strength.weak and f.kind in _PEOPLE_KINDS and f.start >= at:
                    drop.add(k)  # "Indiana State Police reported": a proper name's body, not a role
                    added.append(institution_find(at, end, text[at:end], f.priority))
        elif verdict is not None:
            named = [k for k in overlapping if found[k].strength is not Strength.weak and found[k].start > at]
            if overlapping and (len(named) < len(overlapping) or words[0][0].lower() not in _INDEFINITE):
                continue  # the existing reading stands, unless only a name inside "one neo-bank CEO" was read
            drop.update(named)
            span_start, span_end = (
                (cue.start(), end) if cue["according"] else (min(at, cue.start()), max(end, cue.end()))
            )
            added.append(weak_find(span_start, span_end, text[at:end], verdict, _REASON, _PRIORITY))
        elif cue["according"] and _document_on_record(text, at, words, weak):
            for k in overlapping:
                # "according to the report" the story named, or "according to a paper published in Nature"
                if found[k].kind is AttributionKind.secondhand and found[k].start == cue.start():
                    drop.add(k)
    for k, f in enumerate(found):
        if f.strength is Strength.weak and f.kind in _PEOPLE_KINDS:
            if _PERFORMANCE.search(text, f.start, f.end):
                drop.add(k)  # "some protesters chanted": a performance, no information
            elif f.kind is AttributionKind.vague_collective and _inside_named_speech(
                text, cues, cue_starts, starts, sentences, f
            ):
                drop.add(k)  # "Mr Howard said many people would be offended": his view of them, not theirs
    return [f for k, f in enumerate(found) if k not in drop] + added


_PEOPLE_KINDS = frozenset({AttributionKind.unnamed_official, AttributionKind.vague_collective})


def _cues(text: str) -> list[re.Match[str]]:
    """Every speech cue in the text: the one scan of it, everything else reads around these."""
    first = _CUE.match(text)
    rest = (_CUE.match(text, gap.end()) for gap in _CUE_GAP.finditer(text))
    return [cue for cue in (first, *rest) if cue]


def _cues_between(
    cues: list[re.Match[str]], cue_starts: list[int], start: int, end: int
) -> list[re.Match[str]]:
    return cues[bisect_left(cue_starts, start) : bisect_left(cue_starts, end)]


def _in_reported_speech(text: str, earlier: list[re.Match[str]], at: int) -> bool:
    """Whether an earlier speech verb in the sentence governs the text at `at` ("he said officials told him")."""
    for cue in earlier:
        if (
            cue["verb"]
            and not _INVERTED_TAIL.match(text, cue.end())
            and not _CLAUSE_BREAK.search(text, cue.end(), at)
        ):
            return True
    return False


_INVERTED_TAIL = re.compile(
    r"\s*(?:[,.;:!?\"]|$)|\s+(?:[A-Z]|the\s|a\s|an\s|one\s)[^,.;:!?\"]{0,60}(?:[,.;:!?\"]|$)"
)


def _inside_named_speech(
    text: str,
    cues: list[re.Match[str]],
    cue_starts: list[int],
    starts: list[int],
    sentences: list[Span],
    f: Find,
) -> bool:
    """Whether `f` follows a speech verb of a named speaker in its sentence, with no clause break between."""
    i = bisect_right(starts, f.start) - 1
    if i < 0:
        return False
    for cue in _cues_between(cues, cue_starts, sentences[i].start, f.start):
        if cue.end() > f.start:
            continue
        if not cue["verb"] or _CLAUSE_BREAK.search(text, cue.end(), f.start):
            continue
        source = _source(text, sentences[i].start, sentences[i].end, cue)
        if source and _verdict(text, source[0], source[2], cue, []) == _NAMED:
            return True
    return False


def _source(
    text: str, start: int, end: int, cue: re.Match[str]
) -> tuple[int, int, list[re.Match[str]]] | None:
    """The source phrase of a cue as (start, end, its word tokens), or None."""
    if cue["according"]:
        return _phrase_after(text, cue.end(), end)
    tokens = list(_TOKEN.finditer(text, max(start, cue.start() - _REACH), cue.start()))
    if tokens and tokens[-1][0].lower() in _NOT_FINITE_BEFORE:
        return None
    if tokens and (
        tokens[-1][0] == '"' or (tokens[-1][0] == "," and (len(tokens) < 2 or tokens[-2][0] == '"'))
    ):
        return _phrase_after(text, cue.end(), end, inverted=True)  # '"...," said the patient'
    k = len(tokens)
    while k and (
        tokens[k - 1][0].lower() in _BETWEEN
        or (tokens[k - 1][0].endswith("ly") and tokens[k - 1][0].islower())
    ):
        k -= 1
    if k and tokens[k - 1][0] == ",":  # "Mr Howard, whose grandmother died in Auschwitz, said"
        j = k - 1
        while j and tokens[j - 1][0] not in {",", "(", "—"} and k - j < 20:
            j -= 1
        if j == 0 or tokens[j - 1][0] != "," or tokens[j][0].lower() in {"and", "or"}:
            return None  # no parenthetical, or a list going on ("population, refugees, and migration")
        if _APPOSED_NAME.fullmatch(
            text, tokens[j].start(), tokens[k - 2].end()
        ):  # "The chief, Paul Roe, said"
            return tokens[j].start(), tokens[k - 2].end(), tokens[j : k - 1]
        k = j - 1
    j = k
    while (
        j
        and not _BOUNDARY_MARK.fullmatch(tokens[j - 1][0])
        and tokens[j - 1][0].lower() not in _BOUNDARY_WORDS
    ):
        j -= 1
    if j and tokens[j - 1][0].lower() == "who":
        k, j = j - 1, j - 1  # "the staff member who reported the call recalled": the relative's head
        while (
            j
            and not _BOUNDARY_MARK.fullmatch(tokens[j - 1][0])
            and tokens[j - 1][0].lower() not in _BOUNDARY_WORDS
        ):
            j -= 1
    words = tokens[j:k]
    if not words or len(words) > 6 or not all(_np_word(w[0]) for w in words):
        return None
    return words[0].start(), words[-1].end(), words


def _phrase_after(
    text: str, at: int, end: int, inverted: bool = False
) -> tuple[int, int, list[re.Match[str]]] | None:
    """The noun phrase after "according to" or an inverted verb, up to a clause mark or a post-modifier."""
    words = []
    for token in _TOKEN.finditer(text, at, end):
        word = token[0]
        if _BOUNDARY_MARK.fullmatch(word) or word.lower() in _BOUNDARY_WORDS - {"and"}:
            break
        if word.lower() in {"of", "in", "at", "for", "from", "with", "on", "published", "who"}:
            break
        words.append(token)
        if len(words) > 6:
            return None
    if words and words[-1][0].lower() == "and":
        words.pop()
    if not words or not all(_np_word(w[0]) or w[0].lower() == "and" for w in words):
        return None
    if inverted and not _PHRASE_ENDS.match(text[words[-1].end() : end]):
        return None  # "said some students could": what was said, not who said it
    return words[0].start(), words[-1].end(), words


def _np_word(word: str) -> bool:
    low = word.lower()
    if low in _DETERMINERS or low in _INDEFINITE or low in {"and", "'s"}:
        return True
    if low in _FUNCTION and low not in {"one"}:
        return False
    return bool(_WORD.fullmatch(word))


def _document_on_record(text: str, at: int, words: list[re.Match[str]], weak: list[Find]) -> bool:
    """A document whose author follows it, or one pointed back to that no weak find brought in."""
    low = words[-1][0].lower()
    if low not in _DOCUMENTS:
        return False
    if _AUTHOR_AFTER.match(text, words[-1].end()):
        return True
    return words[0][0].lower() in _DETERMINERS and not _earlier_weak(low, at, weak)


def _standing_weak(found: list[Find]) -> list[Find]:
    """Weak finds no stronger reading overrides ("A recent report by the International Energy Agency" is named)."""
    weak = [f for f in found if f.strength is Strength.weak]
    named = [f for f in found if f.strength is not Strength.weak] if weak else []
    by_start = SpanIndex(named)
    return [
        f
        for f in weak
        if not any(named[k].priority > f.priority for k in by_start.overlapping(f.start, f.end))
    ]


def _earlier_weak(low: str, at: int, weak: list[Find]) -> bool:
    """Whether a weak find before `at` brought in the word `low` ("teachers unions" before "the unions")."""
    return any(f.end <= at and low in f.source.lower().split() for f in weak)


def _verdict(
    text: str, at: int, words: list[re.Match[str]], cue: re.Match[str], weak: list[Find]
) -> AttributionKind | str | None:
    """ "named", a weak kind, or None (a pronoun, a definite phrase pointing back, or no noun at all)."""
    tokens = [w[0] for w in words]
    head = tokens[-1]
    low = head.lower()
    first = tokens[0].lower()
    if (
        low in _PRONOUNS
        or first in _PRONOUNS - {"one", "that", "this", "these", "those"}
        or _NUMBER.fullmatch(head)
    ):
        return None
    sentence_initial = at == 0 or bool(_SENTENCE_OPENS.search(text[max(0, at - 3) : at]))
    capital = head[0].isupper() and head not in _ROLE_ACRONYMS
    if capital and cue[0][0].isupper():
        return None  # a title-case headline: capitals say nothing there
    if capital:
        single = len(tokens) == 1 or (len(tokens) == 2 and first in _DETERMINERS | _INDEFINITE)
        if not single or not sentence_initial:
            return _NAMED if first not in _INDEFINITE else None
        if not (low in _PERSON or low in P.COLLECTIVE_HEADS or _PLURAL_PEOPLE.fullmatch(low)):
            return None  # "Pfizer said" or "Critics say": a lone capital opening a sentence is left to the others
    if any(t[0].isupper() for t in tokens[1:-1] if first in _DETERMINERS) or any(
        t.endswith("'s") and t[0].isupper() for t in tokens
    ):
        return None  # "Pfizer's chief executive", "the Ofsted chief": one findable body or role holder
    if low in _DOCUMENTS and (
        cue["according"]
        or _AUTHOR_AFTER.match(text, words[-1].end())
        or any(t[0].isupper() for t in tokens[1:])
    ):
        return None  # "a Gazette poll", "a paper published in Nature": theirs; "according to a study" is the report pass's
    if first in _DETERMINERS:
        if not low.endswith("s"):
            if low in _PERSON and low not in P.ORG_WORDS and low not in _BODIES:
                return (
                    AttributionKind.unnamed_official
                )  # "the man": named by the anaphora pass if the story did
            return None  # "the ministry", "the report": a body or a document named before
        if not _earlier_weak(low, at, weak):
            return None  # "the physicians": the group the story brought in, weak only if it was then
    if low in _DOCUMENTS:
        return AttributionKind.secondhand
    if low in _PERSON or head in _ROLE_ACRONYMS:
        return AttributionKind.unnamed_official
    if _PLURAL_PEOPLE.fullmatch(low) or low in P.COLLECTIVE_HEADS:
        return AttributionKind.vague_collective
    return None
