"""From a sentence's raw check-worthiness to what the card shows: a calibrated editor rating.

The trained model (`bot.extract.checkworthiness`) learned from debate transcripts, and on news it calls
three sentences in four check-worthy. The calibration is a small logistic model over that score (as a
log-odds) and features the debates could not teach — a quote of feelings with no speaker, a first-person
line, a wire ticker ("Spot gold XAU= added 0.1%"), the lede, a view passed on with a reporting verb of
opinion ("he branded the response piecemeal"), speculation with no checkable core, how subjective its
adjectives are, where it sits in the article — fitted on editors' labels of real news (`calibration.json`,
fitted on the dev split only by `bench/fit_claim_calibration.py`). Its output is the probability of the
event the file's `event` names, raised so that the card drops few must-check sentences; the card shows it
as a band.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import repeat
from pathlib import Path

import numpy as np

CALIBRATION_PATH = Path(__file__).with_name("model") / "calibration.json"
# How subjective each of 1,510 English adjectives is, 0 (objective) to 1, averaged over its senses: the
# subjectivity lexicon of De Smedt & Daelemans (Pattern, public domain), as shipped by TextBlob (MIT).
SUBJECTIVITY_PATH = Path(__file__).with_name("model") / "subjectivity.json"

# The explainable signals `bot.extract.claims` names, each a 0/1 feature.
SIGNAL_FEATURES = (
    "number",
    "statistic",
    "date",
    "quote",
    "named_entity",
    "named_entity+reporting_verb",
    "causal",
    "prediction",
    "comparative",
    "policy",
    "opinion",
    "framing",
)
TEXT_FEATURES = (
    "quoted_share",
    "quote_without_facts",
    "evaluative",
    "stance",
    "no_terminal",
    "headline",
    "first_person_without_facts",
    "according_to",
    "normative",
    "quote_only",
    "first_person",
    "modal",
    "ticker",
    "short",
    "long",
    "lede",
    "pronoun_start",
    "opinion_verb",
    "reported_without_facts",
    "speculative_without_facts",
    "connective",
    "first_person_narrative",
    "opinion_holders",
    "vague_subject",
    "has_facts",
    "no_core",
    "past_without_facts",
    "capitalised",
    "length",
    "subjectivity",
    # Since 2026-12-08: what kind of statement a sentence is, from general word lists (`_statement_kind`).
    "official_action",
    "named_action",
    "result",
    "medical",
    "promotional",
    "imperative",
    "attributed_fact",
    "hypothetical",
    "generic_present",
    "allegation",
    "no_comment",
    "analysis",
)
# The share of the article's candidate sentences holding a number or a date: an editorial or a page of
# quotes has few, and its sentences are opinion more often than a wire story's.
# Where the sentence sits among the article's candidates (0 first, 1 last): news runs facts first and
# colour, analysis and reaction later.
ARTICLE_FEATURES = ("article_facts", "position")
FEATURES = ("logit", *SIGNAL_FEATURES, *TEXT_FEATURES, *ARTICLE_FEATURES)
_LOGIT_RANGE = 8.0
_LEDE_SENTENCES = 3  # headline plus the first two sentences
_SHORT_WORDS = 7
_LONG_WORDS = 35

_OPENING = "“\"‘'"
_CLOSING = "”\"’'"
_REPORTING = re.compile(
    r"\b(?:said|says|say|told|added|asked|wrote|stated|explained|insisted|argued|warned|noted|continued"
    r"|according to|announced|claimed|tweeted|replied|recalled|acknowledged|admitted)\b"
)
# One tokenisation per sentence (split on spaces, punctuation stripped); the word-list features below are
# set lookups over it.
_PUNCTUATION = "“”\"‘’'.,;:!?()[]{}—–-…*/|"
_FIRST_PERSON = frozenset("I I'm I’m I've I’ve we We we're We're we’re We’re my My our Our us me".split())
_MODAL = frozenset("could might may should would must".split())
_NORMATIVE = frozenset("should must ought".split())
_NORMATIVE_PHRASES = ("need to", "needs to", "have to", "has to")
_FACT_WORDS = frozenset(
    "no never not million billion percent january february march april may june july august september "
    "october november december".split()
)
# Words that judge rather than report: a sentence built on them is opinion or colour, not a checkable fact.
_EVALUATIVE = frozenset(
    """unacceptable crucial disappointing disappointed frustrated frustrating defiant fierce genuine wrong
    terrible awful great good bad best worst brave happy delighted pleased proud sad shame shameful ironic
    impressed impressive excellent fantastic wonderful massive huge enormous important significant serious
    seriously dangerous confident confidence hopeful optimism optimistic pessimistic concern concerned concerns
    worry worried worries fear fears feared afraid angry furious outrage outraged outrageous shock shocked
    shocking disturbing appalling horrific tragic remarkable extraordinary incredible amazing brilliant nice
    lovely beautiful ugly absurd ridiculous clearly obviously surely certainly definitely unfortunately
    hopefully frankly simply merely rightly wrongly worth duty deserve deserves deserved fault blame blamed
    blames credible reputation lecture lectures""".split()
)
_EVALUATIVE_PHRASES = ("too little", "too late")
_STANCE = frozenset(
    """believe believes believed think thinks thought feel feels felt hope hopes hoped want wants wanted urge
    urged praise praised stressed welcome welcomed criticised criticized argue argued insisted warned suggest
    suggests suggested expect expects expected wish wishes""".split()
)
# Reuters instrument codes: "XAU=", "US10YT=RR", ".DJI", "CLc1", "CMCU3", ".MIWD00000PUS".
_TICKER = re.compile(
    r"\b[A-Z][A-Z0-9]{1,9}=(?:[A-Z]{1,3})?(?!\w)|(?<=\s)\.[A-Z][A-Z0-9]{2,}\b|\b[A-Z]{2,5}c\d\b|\b[A-Z]{4}\d\b"
)
_PRONOUN_START = re.compile(r"[“\"‘']?(?:He|She|They|It|This|That|These|Those|We|I|You|Its|Their|His|Her)\b")
_QUOTE_MARKS = frozenset('“"‘')
_QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?|‘[^’]*’(?!\w)")
_DIGIT = re.compile(r"\d")
_LETTER_DIGIT = re.compile(r"[A-Za-z]\d")  # every ticker without "=" or a leading dot has one ("CLc1")
# Information passed on from a report, an outlet or a statement: a desk checks it before relying on it.
_ACCORDING_NEEDLES = (
    "ccording",
    "told",
    "report",
    "obtained",
    "seen by",
    "source",
    "email",
    "statement",
    "filing",
    "letter",
)
_ACCORDING = re.compile(
    r"\b[Aa]ccording to\b|\b(?:told|reported by|obtained by|seen by) (?:the )?[A-Z]|\bsources? (?:told|said)\b"
    r"|\bin (?:an|a) (?:email|statement|filing|report|letter)\b|\bhas reported\b|\breported that\b"
)
_TERMINAL = frozenset('.!?…:;"”’)')
# Reporting verbs that pass on a view rather than a fact ("he branded the response piecemeal", "critics
# argued", "she speculated that"): the speaker is checkable, what they think is not.
_OPINION_VERBS = frozenset(
    """insist insists insisted warn warns warned brand brands branded attacked questioned suggest suggests
    suggested speculate speculates speculated argue argues argued believe believes believed accuse accuses
    accused urge urges urged criticise criticises criticised criticize criticizes criticized condemn condemns
    condemned dismissed hailed praise praises praised slammed blasted advise advises advised begged complain
    complains complained contend contends contended maintain maintains maintained sceptical skeptical
    fear fears feared hope hopes hoped expect expects expected""".split()
)
_REPORTED = frozenset("said says say told added stated claimed claims reported".split())
_SPECULATIVE = frozenset(
    "might may could would perhaps possibly probably likely unlikely seem seems if".split()
)
_SPECULATIVE_PHRASES = ("appear to", "appears to", "chances are")
# A sentence opening on a connective argues with what came before (analysis, not a new fact).
_CONNECTIVES = frozenset("However But Therefore Despite Yet Still Indeed Instead And So Unlike As".split())
_CONNECTIVE_PHRASES = ("That said", "Far from")
_OPINION_HOLDERS = frozenset(
    "critics analysts experts observers commentators supporters opponents many some".split()
)
_VAGUE_SUBJECTS = _OPINION_HOLDERS | {"others", "traders", "investors", "residents", "people"}
# Simple past of events ("was diagnosed", "hit", "died"), the reporting verbs left out: what happened is
# checkable even with no number in it; without one it is as often narrative colour.
_IRREGULAR_PAST = frozenset(
    """was were had hit took made left won lost fell rose died came went found began gave got held led met
    paid put ran saw sold sent set spent struck told wrote became brought bought built caught chose drew
    drove fought flew grew knew shot stole threw""".split()
)
_NOT_EVENTS = frozenset(
    "said added insisted warned argued suggested believed speculated claimed stated noted asked explained".split()
)
_MAX_CAPITALISED = 6
# A checkable core: a figure, a date or a name (capitalised past the first word) is something to look up.
_CORE_WORDS = (_FACT_WORDS - {"no", "never", "not"}) | frozenset(
    "monday tuesday wednesday thursday friday saturday sunday yesterday dozen dozens hundred hundreds "
    "thousand thousands".split()
)

# What kind of statement a sentence is. Legal and official acts ("charged", "sentenced", "ruled",
# "approved", "announced") and deaths or diagnoses are events an editor checks, the more so with a named
# actor; so are results and awards ("beat", "won", "named", "prize") and medical or scientific findings.
# A press release describing its product ("a powerful, proprietary platform that offers ..."), advice
# addressed to the reader with no figure ("Mix two tablespoons ..."), a generic present-tense statement
# with no event or figure, a hypothetical, a "no comment", an analyst's framing ("is seen as", "a sign
# of"): none is a claim an editor assigns. Each word list is one bit of `_WORD_KINDS`, so a sentence's
# words are looked up once for all of them; a phrase list is scanned only when one of its cue words is in.
_KIND_LISTS = (
    """charged charges sentenced convicted arrested indicted jailed fined banned ruled approved announced
    pledged diagnosed died killed dies resigned sacked fired appointed elected signed launched confirmed
    acquitted sued pleaded ordered rejected voted passed vetoed suspended released discovered detected""",
    """beat beats won wins defeated named awarded scored finished topped clinched prize prizes award awards
    title titles champion champions championship""",
    """diagnosed disease symptoms infection infected patients virus plague cancer study researchers found
    trial vaccine syndrome deaths""",
    "allegedly alleged alleges allegation allegations charge",
    """solution solutions platform powerful proprietary seamless seamlessly innovative leading cutting-edge
    comprehensive flexible scalability customization customisation optimize optimizing optimization offers
    provides enables empowers features""",
    "if unless whether would could",
    "said says say told added argued argues warned stressed insisted believes predicted suggested claimed",
    "is are offers provides remains helps allows",
    "was were had did",
    "accused",
    "not cannot comment",
    "seen sign reason about response matter fact say words",
)
(
    _ACTION,
    _RESULT,
    _MEDICAL,
    _ALLEGATION,
    _PROMOTIONAL,
    _HYPOTHETICAL,
    _SPEECH,
    _PRESENT,
    _PAST_AUXILIARY,
    _ACCUSED,
    _NO_COMMENT_CUE,
    _FRAMING_CUE,
) = (1 << bit for bit in range(len(_KIND_LISTS)))


def _kinds_of_words(lists: Sequence[str]) -> dict[str, int]:
    """Each word of the lists with the bits of the lists it is in."""
    kinds: dict[str, int] = {}
    for bit, words in enumerate(lists):
        for word in words.split():
            kinds[word] = kinds.get(word, 0) | 1 << bit
    return kinds


_WORD_KINDS = _kinds_of_words(_KIND_LISTS)
_KIND_WORDS = frozenset(_WORD_KINDS)
_TRADEMARK = re.compile(r"[®™]")
_MAX_PROMOTIONAL = 3
_IMPERATIVES = frozenset(
    """Mix Add Seek Try Consider Make Use Take Keep Avoid Remember Check Choose Find Get Look Stir Put Serve
    Place Enjoy Visit Read See Click Buy Sign Join Ask""".split()
)
_NO_COMMENT = (
    "not comment",
    "for comment",
    "not immediately",
    "did not provide",
    "declined to comment",
    "not respond",
    "no comment",
)
_FRAMING = (
    "seen as",
    "a sign of",
    "reason for",
    "is about",
    "a response to",
    "a matter of",
    "the fact that",
    "is not to say",
    "in other words",
)


def _quote_only(text: str) -> bool:
    """Words in quotation marks with nobody named as saying them: the opening of a quote that runs on, or
    a later sentence of someone's quote ("They have to face the consequences of their acts.")."""
    stripped = text.strip()
    if not stripped:
        return False
    opens = stripped[0] in _OPENING
    closes_at = max(map(stripped.rfind, _CLOSING))
    if opens:
        inner_close = max(map(stripped.find, _CLOSING, repeat(1)))
        outside = stripped[inner_close + 1 :] if inner_close > 0 else ""
    elif closes_at >= len(stripped) - 2 and not any(c in stripped[:-2] for c in '“"'):
        outside = ""  # the last sentence of a quote that opened earlier
    else:
        return False
    return not (outside.strip() and _REPORTING.search(outside))


def _tokens(text: str) -> list[str]:
    return list(filter(None, map(str.strip, text.split(), repeat(_PUNCTUATION))))  # no Python-level loop


def _has_facts(text: str, lowered: set[str]) -> bool:
    return bool(_DIGIT.search(text)) or not _FACT_WORDS.isdisjoint(lowered)


@lru_cache(maxsize=1)
def _subjectivity_lexicon() -> dict[str, float]:
    return json.loads(SUBJECTIVITY_PATH.read_text(encoding="utf-8"))


def _names_and_subjectivity(tokens: list[str]) -> tuple[int, float]:
    """How many words past the first are capitalised (names), and the mean subjectivity of the lexicon's
    adjectives among the rest and the first word (0 when none): "Great Britain" is a name, not a judgement."""
    lexicon = _subjectivity_lexicon()
    capitalised, total, found = 0, 0.0, 0
    for word in tokens[1:]:
        if word[0].isupper():
            capitalised += 1
        elif (value := lexicon.get(word)) is not None:
            total += value
            found += 1
    if tokens and (value := lexicon.get(tokens[0].lower())) is not None:
        total += value
        found += 1
    return capitalised, total / found if found else 0.0


def _past_event(lowered: set[str]) -> bool:
    return not _IRREGULAR_PAST.isdisjoint(lowered) or any(
        word.endswith("ed") and len(word) >= 5 and word not in _NOT_EVENTS for word in lowered
    )


def _speculative(lowered: set[str], lower: str) -> bool:
    return not _SPECULATIVE.isdisjoint(lowered) or any(map(lower.__contains__, _SPECULATIVE_PHRASES))


def _first_person_outside(text: str, quoted: list[str]) -> bool:
    """First person in the writer's own words, outside the quotation marks."""
    for quote in quoted:
        text = text.replace(quote, " ")
    return not _FIRST_PERSON.isdisjoint(_tokens(text))


def _opens_with_connective(tokens: list[str], stripped: str) -> bool:
    return bool(tokens) and (
        tokens[0] in _CONNECTIVES or stripped.lstrip(_OPENING).startswith(_CONNECTIVE_PHRASES)
    )


def _statement_kind(
    tokens: list[str], lowered: set[str], lower: str, facts: bool, judging: bool, capitalised: int
) -> list[float]:
    """The kind-of-statement TEXT_FEATURES, from "official_action" on; `judging` says the sentence holds an
    evaluative or stance word."""
    kinds, promotional = 0, 0
    for word in lowered & _KIND_WORDS:
        kind = _WORD_KINDS[word]
        kinds |= kind
        promotional += bool(kind & _PROMOTIONAL)
    if "®" in lower or "™" in lower:
        promotional += len(_TRADEMARK.findall(lower))
    action = bool(kinds & _ACTION)
    return [
        float(action),
        float(action and capitalised > 0),
        float(bool(kinds & _RESULT)),
        float(bool(kinds & _MEDICAL)),
        float(min(promotional, _MAX_PROMOTIONAL)),
        float(not facts and bool(tokens) and tokens[0] in _IMPERATIVES),
        float(facts and not judging and bool(kinds & _SPEECH)),
        float(not facts and bool(kinds & _HYPOTHETICAL)),
        float(
            not facts
            and kinds & (_PRESENT | _PAST_AUXILIARY) == _PRESENT
            and not any(word.endswith("ed") for word in lowered)
        ),
        float(bool(kinds & _ALLEGATION) or (bool(kinds & _ACCUSED) and "accused of" in lower)),
        float(bool(kinds & _NO_COMMENT_CUE) and any(map(lower.__contains__, _NO_COMMENT))),
        float(bool(kinds & _FRAMING_CUE) and any(map(lower.__contains__, _FRAMING))),
    ]


def text_features(text: str, index: int) -> list[float]:
    """The TEXT_FEATURES of one sentence, `index` its position among the article's sentences."""
    tokens = _tokens(text)
    lowered = set(map(str.lower, tokens))
    lower = text.lower()
    quoted = _QUOTED.findall(text) if any(map(text.__contains__, _QUOTE_MARKS)) else []
    digits = _DIGIT.search(text) is not None
    facts = digits or not _FACT_WORDS.isdisjoint(lowered)
    capitalised, subjectivity = _names_and_subjectivity(tokens)
    quoted_share = sum(map(len, quoted)) / max(len(text), 1)
    stripped = text.rstrip()
    terminal = bool(stripped) and stripped[-1] in _TERMINAL
    first_person = not _FIRST_PERSON.isdisjoint(tokens)
    # Judging words as written in lower case (or opening the sentence): a capital inside a sentence is a
    # name ("Excellent Mobility", "Great Britain", "Best Buy"), not a judgement.
    judged = _EVALUATIVE.intersection(tokens[1:]) | ({tokens[0].lower()} & _EVALUATIVE if tokens else set())
    evaluative = len(judged) + sum(map(lower.__contains__, _EVALUATIVE_PHRASES))
    may_tick = "=" in text or " ." in text or (digits and bool(_LETTER_DIGIT.search(text)))
    stance = not _STANCE.isdisjoint(lowered)
    according = any(map(text.__contains__, _ACCORDING_NEEDLES)) and bool(_ACCORDING.search(text))
    return [
        quoted_share,
        float(quoted_share > 0.5 and not any(_has_facts(q, {t.lower() for t in _tokens(q)}) for q in quoted)),
        float(min(evaluative, 3)),
        float(stance),
        float(not terminal),
        float(index < 2 and not terminal),
        float(first_person and not (digits or not _FACT_WORDS.isdisjoint(lowered))),
        float(according),
        float(not _NORMATIVE.isdisjoint(lowered) or any(map(lower.__contains__, _NORMATIVE_PHRASES))),
        float(_quote_only(text)),
        float(first_person),
        float(not _MODAL.isdisjoint(lowered)),
        float(may_tick and bool(_TICKER.search(text))),
        float(len(tokens) < _SHORT_WORDS),
        float(len(tokens) > _LONG_WORDS),
        float(index < _LEDE_SENTENCES),
        float(bool(_PRONOUN_START.match(text))),
        float(not _OPINION_VERBS.isdisjoint(lowered) or "pointed out" in lower),
        # Second-hand sourcing is `according_to`'s alone, which never lowers a claim.
        float(not facts and not according and not _REPORTED.isdisjoint(lowered)),
        float(not facts and _speculative(lowered, lower)),
        float(_opens_with_connective(tokens, stripped)),
        float(first_person and (not quoted or _first_person_outside(text, quoted))),
        float(not _OPINION_HOLDERS.isdisjoint(lowered)),
        float(bool(tokens) and tokens[0].lower() in _VAGUE_SUBJECTS),
        float(facts),
        float(not (digits or capitalised or not _CORE_WORDS.isdisjoint(lowered))),
        float(not facts and _past_event(lowered)),
        min(capitalised, _MAX_CAPITALISED) / _MAX_CAPITALISED,
        math.log(max(len(tokens), 1)),
        subjectivity,
        *_statement_kind(tokens, lowered, lower, facts, bool(judged) or stance, capitalised),
    ]


def feature_row(text: str, logit: float, signals: Sequence[str], index: int) -> list[float]:
    """One sentence's own FEATURES: its adjusted model log-odds, the signals that fired, its text features
    (`with_article_features` appends the article's)."""
    present = set(signals)
    return [
        max(-_LOGIT_RANGE, min(_LOGIT_RANGE, logit)),
        *map(float, map(present.__contains__, SIGNAL_FEATURES)),
        *text_features(text, index),
    ]


def with_article_features(rows: list[list[float]]) -> list[list[float]]:
    """Each sentence row of one article with ARTICLE_FEATURES appended."""
    if not rows:
        return rows
    number, date = FEATURES.index("number"), FEATURES.index("date")
    facts = sum(1.0 for row in rows if row[number] or row[date]) / len(rows)
    last = max(len(rows) - 1, 1)
    return [[*row, facts, k / last] for k, row in enumerate(rows)]


class Calibration:
    """A logistic model over FEATURES: `probability` is P(event) per sentence row."""

    def __init__(self, weights: dict[str, float], bias: float, event: str, meta: dict | None = None):
        unknown = set(weights) - set(FEATURES)
        if unknown:
            raise ValueError(f"calibration has unknown features: {sorted(unknown)}")
        self.weights = np.asarray([weights.get(name, 0.0) for name in FEATURES], dtype=np.float64)
        self.bias = float(bias)
        self.event = event
        self.meta = meta or {}

    @classmethod
    def load(cls, path: Path = CALIBRATION_PATH) -> Calibration:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["weights"], data["bias"], data["event"], data.get("meta"))

    def probability(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        z = self.bias + np.asarray(rows, dtype=np.float64) @ self.weights
        return 1.0 / (1.0 + np.exp(-z))


def logit(probability: float) -> float:
    p = min(max(probability, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


@lru_cache(maxsize=1)
def default_calibration() -> Calibration:
    """The bundled calibration, loaded once per process."""
    return Calibration.load()
