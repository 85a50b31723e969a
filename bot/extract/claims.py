"""Claim detection for the offline extractor: which sentences a checker should look at, and why.

Each sentence gets the trained model's probability (`bot.extract.checkworthiness`, learned on debate
transcripts) and a set of named, explainable signals found by precompiled patterns. A few signals move
the model's log-odds because news copy differs from debates in ways the training data cannot teach:
framing and scene-setting ("as the situation unfolds", "sparked debate") is common in wire copy and is
not checkable, while a named source with a reporting verb is the backbone of a news claim. Page furniture
never becomes a claim (`bot.extract.boilerplate`), and the adjusted score is calibrated on editors' labels
of real news (`bot.extract.calibration`), so a claim's score is the probability an editor assigns it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import reduce
from itertools import islice, repeat
from operator import or_
from typing import NamedTuple

from bot.extract.boilerplate import boilerplate_reason
from bot.extract.calibration import default_calibration, feature_row, logit, with_article_features
from bot.extract.checkworthiness import default_model
from bot.models import Claim, ClaimKind, Origin, Span

# Log-odds added to the model's score when a signal fires; chosen by hand, measured in bench/checkworthiness_eval.
_ADJUSTMENTS = {
    "framing": -3.0,
    "opinion": -0.7,
    "named_entity+reporting_verb": 0.8,
    "quote": 0.4,
    "date": 0.4,
    "number": 0.3,
    "policy": 0.3,
}
_MIN_WORDS = 3
_MAX_HEADING_WORDS = 12


_ANY_DIGIT = r"\d"
_DIGIT = re.compile(_ANY_DIGIT)


def _signal(
    name: str, first: str, needles: str, *alternatives: str
) -> tuple[str, re.Pattern[str], tuple[str, ...]]:
    """A signal's pattern over the lower-cased text, and its needles: "|"-separated substrings one of which
    every match contains (`_ANY_DIGIT` for any decimal digit). A sentence holding none is never searched.
    `first` is a character class of every character a match can start with: the lookahead it becomes lets
    the regex engine pass over other positions without trying each alternative there."""
    return name, re.compile(f"(?=[{first}])(?:{'|'.join(alternatives)})"), tuple(needles.split("|"))


# Each signal is its own pattern over the lower-cased sentence, so overlapping evidence all fires
# ("18%" is a number and a statistic) and each search stops at its first hit.
_SIGNAL_PATTERNS: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    _signal(
        "framing",
        r"abfhinoprstu",
        "unfold|develop|evolv|spark|fuel|ignited|prompted|underscor|highlight|face|balancing act|seen|time"
        "|amid |navigate the complexit|raise|ahead|watch",
        r"\bas the (?:situation|crisis|conflict|story|events?) (?:unfolds?|develops?|evolves?)\b",
        r"\b(?:sparked|sparking|spark|fuel(?:l?ed)?|ignited|prompted) (?:a )?(?:debate|discussion|speculation|controversy)\b",
        r"\bunderscor(?:es|ed|ing)\b",
        r"\bhighlight(?:s|ed|ing)? the (?:challenges?|importance|need|complexit\w+|risks?|difficult\w+)\b",
        r"\bfaces? a (?:delicate|difficult|tough|complex)\b|\bbalancing act\b",
        r"\bremains? to be seen\b|\btime will tell\b|\bonly time\b",
        r"\bamid (?:escalating|growing|rising|mounting|heightened) (?:tensions?|concerns?|fears?)\b",
        r"\bnavigate the complexit|\braises? (?:questions|concerns) about\b",
        r"\bin the (?:coming )?(?:weeks|days|months) ahead\b|\bthe world (?:is )?watch",
    ),
    _signal(
        "opinion",
        r"aifuw",
        "think|believe|feel|hope|guess|arguably|fortunately|view|opinion|it is ",
        r"\b(?:i|we) (?:think|believe|feel|hope|guess)\b|\barguably\b|\b(?:un)?fortunately\b",
        r"\bin (?:my|our) (?:view|opinion)\b|\bit is (?:clear|obvious|important|essential) that\b",
    ),
    _signal(
        "date",
        r"\dadefjlmnostwy",
        "18|19|20|uary|march|april|june|july|august|ber|day|last |earlier this ",
        r"\b(?:1[89]|20)\d\ds?\b",
        r"\b(?:january|february|march|april|june|july|august|september|october|november|december)\b",
        r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
        r"\b(?:yesterday|last (?:week|month|year)|earlier this (?:week|month|year))\b",
    ),
    _signal(
        "statistic",
        r"\dampro",
        "%|per|average|median|rate|one in ",
        r"\d ?%|\b(?:percent|per cent|percentage points?)\b",
        r"\b(?:average|median|rate|one in \w+|per capita)\b",
    ),
    _signal(
        "number",
        r"$£€\dbdhmt",
        r"\d|dozen|hundred|thousand|illion|half|twice|doubl|tripl",
        r"[$£€] ?\d|\b(?!(?:1[89]|20)\d\ds?\b)\d",
        r"\b(?:dozens?|hundreds?|thousands?|millions?|billions?|trillions?|half|twice|double|tripled?|doubled)\b",
    ),
    _signal(
        "causal",
        r"abcdilrt",
        "caus|due to|led to|leads to|result|in response to|thanks to|blamed",
        r"\b(?:because|due to|caused|causes|led to|leads to|as a result|resulted in|in response to|thanks to|blamed)\b",
    ),
    _signal(
        "prediction",
        r"afilpsw",
        "will|likely|expected to|forecast|predict|projected to|set to",
        r"\b(?:will|would likely|(?:is|are) expected to|forecasts?|predict\w*|projected to|likely to|set to)\b",
    ),
    _signal(
        "comparative",
        r"\w",
        " than|most|least|est|worst|first|record|only|crease|doubled|fell|rose",
        r"\b(?:more|less|fewer) than\b|\b\w+er than\b",
        r"\b(?:most|least|largest|biggest|highest|lowest|first|record|only|worst|best|increase[sd]?|decrease[sd]?|doubled|fell|rose)\b",
    ),
    _signal(
        "policy",
        r"blmprstv",
        "law|bill|legislation|polic|regulation|ban|sanction|tax|tariff|treaty|budget|mandate|subsid|reform"
        "|vote",
        r"\b(?:laws?|bill|legislation|polic(?:y|ies)|regulations?|ban(?:ned|s)?|sanctions?|tax(?:es)?|tariffs?"
        r"|treaty|budget|mandates?|subsid(?:y|ies)|reforms?|vote[sd]?)\b",
    ),
    _signal(
        "reporting",
        r"acdeinrstw",
        "said|says|state|told|announced|reported|confirmed|denied|claim|warned|called|added|emphasi|noted"
        "|insisted|argued|according to|declared|revealed|admitted",
        r"\b(?:said|says|stated|states|told|announced|reported|confirmed|denied|claimed|claims|warned|called|added"
        r"|emphasi[sz]ed|noted|insisted|argued|according to|statement|declared|revealed|admitted)\b",
    ),
)
_QUOTE = re.compile(r"[“\"]([^”\"]{12,})[”\"]")
# A capitalised word after a word or comma, so neither the sentence's first word nor a quote's first word.
# It opens on the gap's first space, so the regex engine skips from space to space.
_NAMED_ENTITY = re.compile(r"\s(?<=[\w,;]\s)\s*(?!I\b)[A-Z][\w’'-]+")
_REPORTING_VERBS = r"said|says|stated|told|announced|reported|confirmed|denied|claimed|warned|added|emphasi[sz]ed|noted|insisted|argued|declared"
# "Starmer said", "Keir Starmer’s office confirmed": a sentence-initial name that is the speaker.
_LEADING_SPEAKER = re.compile(
    rf"^[“\"]?[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*(?:’s|'s)?(?:\s+\w+)?\s+(?:{_REPORTING_VERBS})\b"
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+")
_TERMINAL = frozenset('.!?…:;"”’)')  # a sentence's last character but whitespace, when it is complete

# Order decides the kind when several signals fire: the most checkable evidence first.
_KIND_ORDER = (
    ("quote", ClaimKind.quote),
    ("statistic", ClaimKind.statistic),
    ("number", ClaimKind.quantity),
    ("date", ClaimKind.date_time),
    ("prediction", ClaimKind.prediction),
    ("causal", ClaimKind.causal),
    ("comparative", ClaimKind.comparison),
    ("policy", ClaimKind.policy),
    ("named_entity+reporting_verb", ClaimKind.event),
    ("named_entity", ClaimKind.event),
)


def is_candidate(text: str) -> bool:
    """A sentence that could carry a claim: enough words, and not a heading, byline or label line."""
    terminal = (stripped := text.rstrip()) != "" and stripped[-1] in _TERMINAL
    # Words are only counted as far as the answer needs: three with terminal punctuation, else thirteen.
    needed = _MIN_WORDS if terminal else _MAX_HEADING_WORDS + 1
    words = sum(1 for _ in islice(_WORD.finditer(text), needed))
    return words >= _MIN_WORDS and (terminal or words > _MAX_HEADING_WORDS)


def sentence_signals(text: str, fired: set[str] | None = None) -> list[str]:
    """Short names of what fired in one sentence, in a stable order. `fired` is what the lower-case
    patterns found, when the caller already ran them over the whole article."""
    if fired is None:
        lower = text.lower()
        fired = {name for name, pattern, _ in _SIGNAL_PATTERNS if pattern.search(lower)}
    found = set(fired)
    if "statistic" in found:
        found.add("number")
    if ('"' in text or "“" in text) and _QUOTE.search(text):  # every quote opens with one of them
        found.add("quote")
    if _NAMED_ENTITY.search(text) or _LEADING_SPEAKER.search(text):
        found.add("named_entity")
        if "reporting" in found:
            found.add("named_entity+reporting_verb")
    found.discard("reporting")
    return sorted(found)


def claim_kind(signals: Sequence[str]) -> ClaimKind:
    present = set(signals)
    return next((kind for name, kind in _KIND_ORDER if name in present), ClaimKind.other)


def _adjusted_logit(probability: float, signals: Sequence[str]) -> float:
    """The model's log-odds moved by the news-specific signals; the calibration reads it as its base."""
    return logit(probability) + sum(map(_ADJUSTMENTS.get, signals, repeat(0.0)))  # in the same order


# What a signal pattern can consume besides letters and digits. "." and closing quotes are not in it, so a
# match never runs from a sentence over its terminator into the next one.
_CONSUMED_PUNCTUATION = frozenset("_ %$£€")


def _ends_cleanly(lower: str, end: int) -> bool:
    """Whether no signal pattern can read a sentence's text past `end`: the next character is whitespace
    that no match can step over (a line break, or a space not followed by a word, or one after a full stop)."""
    if end >= len(lower):
        return True
    after = lower[end]
    if not after.isspace():
        return False
    if after != " " or end + 1 == len(lower) or lower[end + 1].isspace():
        return True
    last = lower[end - 1]
    return not (last.isalnum() or last in _CONSUMED_PUNCTUATION)


_LETTERS = re.compile(r"[a-z]+")
_RUN_CACHE = 100_000  # runs of letters remembered; bounds memory in a long-running process
_STAND_IN_LETTERS = 4  # a shorter word ("it" of "it is ", "due" of "due to") is in too many sentences


def _run_needle(needle: str) -> str:
    """The letters a needle is looked for by inside a span's runs of letters, or "" to `find` it instead:
    the needle itself when it is all letters, else its longest word when that is long enough to be rare (a
    span holding "in response to" holds "response" inside one of its runs)."""
    if needle == _ANY_DIGIT:
        return ""
    if _LETTERS.fullmatch(needle):
        return needle
    longest = max(_LETTERS.findall(needle), key=len, default="")
    return longest if len(longest) >= _STAND_IN_LETTERS else ""


_RUN_NEEDLES = tuple(
    tuple(dict.fromkeys(filter(None, map(_run_needle, needles)))) for _, _, needles in _SIGNAL_PATTERNS
)
_OTHER_NEEDLES = tuple(
    tuple(needle for needle in needles if not _run_needle(needle)) for _, _, needles in _SIGNAL_PATTERNS
)


class _RunSignals:
    """A run of letters mapped to a bit per signal with a needle inside it. Runs are worked out the first
    time they are met, an article's new ones together, and remembered: articles share most of their words,
    so most spans are answered by a few dictionary lookups."""

    def __init__(self) -> None:
        self._bits: dict[str, int] = {}

    def span_bits(self, span_runs: list[set[str]]) -> list[int]:
        """The signal bits of each span, from the set of its runs of letters."""
        try:
            return _read_bits(self._bits, span_runs)
        except KeyError:  # runs not met before: learn the article's new ones, then read again
            return _read_bits(self._learned(set().union(*span_runs)), span_runs)

    def _learned(self, runs: set[str]) -> dict[str, int]:
        bits = self._bits
        missing = runs.difference(bits)
        if len(bits) + len(missing) > _RUN_CACHE:  # start afresh; a reader of the old table keeps it
            bits = self._bits = {}
            missing = runs
        bits.update(_runs_signal_bits(list(missing)))
        return bits


def _read_bits(bits: dict[str, int], span_runs: list[set[str]]) -> list[int]:
    get = bits.__getitem__
    return [reduce(or_, map(get, runs), 0) for runs in span_runs]


def _runs_signal_bits(runs: list[str]) -> dict[str, int]:
    """Each run's signal bits: every needle found across all the runs at once, as in sentences."""
    starts, ends, at = [], [], 0
    for run in runs:
        starts.append(at)
        at += len(run)
        ends.append(at)
        at += 1
    joined = " ".join(runs)
    bits = [0] * len(runs)
    for k, needles in enumerate(_RUN_NEEDLES):
        for needle in needles:
            for i in _spans_holding(joined, starts, ends, needle):
                bits[i] |= 1 << k
    return dict(zip(runs, bits, strict=True))


_RUN_SIGNALS = _RunSignals()


def _fired_per_span(text: str, spans: list[Span]) -> list[set[str]]:
    """Which lower-case signal patterns fire in each span, searching only the spans that hold one of the
    pattern's needles, each on its own. Exactly what `_fired_by_sweep` finds whenever every span ends
    cleanly (sentences from `split_sentences` do); otherwise that sweep runs instead."""
    lower = text.lower()
    if len(lower) != len(text) or not all(
        span.start < span.end
        and (i == 0 or spans[i - 1].end <= span.start)
        and _ends_cleanly(lower, span.end)
        for i, span in enumerate(spans)
    ):
        return _fired_by_sweep(lower, spans)
    starts = [s.start for s in spans]
    ends = [s.end for s in spans]
    span_bits = _RUN_SIGNALS.span_bits(
        [set(_LETTERS.findall(lower, start, end)) for start, end in zip(starts, ends, strict=True)]
    )
    holding: dict[str, set[int]] = {}  # needles two signals share are looked for once
    fired: list[set[str]] = [set() for _ in spans]
    for k, (name, pattern, _) in enumerate(_SIGNAL_PATTERNS):
        flagged = {i for i, bits in enumerate(span_bits) if bits >> k & 1}
        for needle in _OTHER_NEEDLES[k]:
            if needle not in holding:
                holding[needle] = _spans_holding(lower, starts, ends, needle)
            flagged |= holding[needle]
        search = pattern.search
        for i in flagged:
            if search(lower, starts[i], ends[i]):
                fired[i].add(name)
    return fired


def _spans_holding(lower: str, starts: list[int], ends: list[int], needle: str) -> set[int]:
    """Indexes of the spans that contain `needle` (`_ANY_DIGIT`: any decimal digit)."""
    found: set[int] = set()
    width = 1 if needle == _ANY_DIGIT else len(needle)
    at = _next_needle(lower, needle, 0)
    while at >= 0:
        i = bisect_right(starts, at) - 1
        if i >= 0 and at + width <= ends[i]:
            found.add(i)
            at = _next_needle(lower, needle, ends[i])
        else:
            at = _next_needle(lower, needle, at + 1)
    return found


def _next_needle(lower: str, needle: str, position: int) -> int:
    if needle != _ANY_DIGIT:
        return lower.find(needle, position)
    match = _DIGIT.search(lower, position)
    return match.start() if match else -1


def _fired_by_sweep(lower: str, spans: list[Span]) -> list[set[str]]:
    """Each lower-case signal pattern run once over the whole article, its hits mapped to the sentence
    holding them: one regex call per pattern instead of one per pattern and sentence."""
    starts = [s.start for s in spans]
    fired: list[set[str]] = [set() for _ in spans]
    for name, pattern, _ in _SIGNAL_PATTERNS:
        position = 0
        while match := pattern.search(lower, position):
            i = bisect_right(starts, match.start()) - 1
            if i >= 0 and match.end() <= spans[i].end:
                fired[i].add(name)
                position = spans[i].end  # one hit per sentence is enough
            else:
                position = match.start() + 1
    return fired


class ScoredSentence(NamedTuple):
    """A candidate sentence before calibration: what the model said, what fired, the calibration's inputs."""

    span: Span
    probability: float
    signals: list[str]
    features: list[float]


def scored_sentences(text: str, sentences: list[Span]) -> list[ScoredSentence]:
    """Every candidate sentence with its model probability and calibration features, in one model call;
    page furniture (`bot.extract.boilerplate`) and a headline the body repeats are left out."""
    indexed = [
        (i, s)
        for i, s in enumerate(sentences)
        if s.end > s.start
        and is_candidate(sentence := text[s.start : s.end])
        and boilerplate_reason(sentence) is None
    ]
    indexed = _without_repeats(text, indexed)
    if not indexed:
        return []
    candidates = [s for _, s in indexed]
    texts = [text[s.start : s.end] for s in candidates]
    probabilities = default_model().score(texts).tolist()
    fired = _fired_per_span(text, candidates)
    signals = [sentence_signals(sentence, hits) for sentence, hits in zip(texts, fired, strict=True)]
    rows = with_article_features(
        [
            feature_row(sentence, _adjusted_logit(p, found), found, i)
            for (i, _), sentence, p, found in zip(indexed, texts, probabilities, signals, strict=True)
        ]
    )
    return [
        ScoredSentence(span, p, found, row)
        for span, p, found, row in zip(candidates, probabilities, signals, rows, strict=True)
    ]


def score_claims(text: str, sentences: list[Span]) -> list[Claim]:
    """One Claim per candidate sentence, its check-worthiness calibrated to an editor's rating
    (`bot.extract.calibration`). Unsorted, ids left empty."""
    scored = scored_sentences(text, sentences)
    calibrated = default_calibration().probability([s.features for s in scored]).tolist()
    return [
        Claim(
            id="",
            text=text[s.span.start : s.span.end],
            start=s.span.start,
            end=s.span.end,
            kind=claim_kind(s.signals),
            checkworthiness=round(score, 4),
            signals=[*s.signals, f"model:{s.probability:.2f}"],
            origin=Origin.offline,
        )
        for s, score in zip(scored, calibrated, strict=True)
    ]


_REPEAT_WORDS = 5  # shorter lines are not compared: "Read more." repeats by design, not as a headline
_REPEAT_SHARE = 0.85
_HEAD_SENTENCES = 3  # a repeated headline sits at the top of the text


def _without_repeats(text: str, indexed: list[tuple[int, Span]]) -> list[tuple[int, Span]]:
    """Drop a headline or standfirst that the body repeats: a top sentence whose words nearly all recur
    in a later sentence. The body sentence stays, so the claim is listed once, in its full wording."""
    dropped = set()
    lowered: list[str] = []  # each sentence lower-cased once, when a head first needs it
    for i, (_, head_span) in enumerate(indexed[:_HEAD_SENTENCES]):
        head = frozenset(_WORD.findall(text[head_span.start : head_span.end].lower()))
        if len(head) < _REPEAT_WORDS:
            continue
        if not lowered:
            lowered = [text[s.start : s.end].lower() for _, s in indexed]
        # Only a sentence holding the head's two longest words can repeat it; the rest are never split.
        longest = sorted(head, key=lambda word: (len(word), word))[-2:]  # ties by spelling: not by hash order
        for j in range(i + 1, len(indexed)):
            body = lowered[j]
            if j in dropped or not all(map(body.__contains__, longest)):
                continue
            if len(head & frozenset(_WORD.findall(body))) >= _REPEAT_SHARE * len(head):
                dropped.add(i)
                break
    return [pair for k, pair in enumerate(indexed) if k not in dropped]
