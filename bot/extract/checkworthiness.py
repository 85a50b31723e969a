"""The trained check-worthiness model: a sparse linear scorer that runs on numpy alone.

Training (`bench/train_checkworthiness.py`, scikit-learn) and scoring share `sentence_features`, so the
weights file is only a feature list and its weights: plain JSON, no pickle, nothing to download.
Features are lower-cased words and word pairs, word prefixes/suffixes, and a few structural cues
(numbers by shape, capitalised names mid-sentence, reporting verbs, first-person opinion) that carry
across decades of debates better than topic words do.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).with_name("model") / "checkworthiness.json"

_TOKEN = re.compile(r"\$?\d[\d,]*(?:\.\d+)?%?|[A-Za-z]+(?:['’][A-Za-z]+)?|[%$£€?!\"“”]")
_QUOTE_MARKS = frozenset('"“')


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SCALE_WORDS = _words(
    "hundred thousand million billion trillion percent dozen half twice double triple quarter"
)
_SMALL_NUMBERS = _words(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty sixty "
    "seventy eighty ninety"
)
_MONTHS = _words("january february march april may june july august september october november december")
_REPORTING = _words(
    "said says say stated states announced reported report reports told claimed claims confirmed according "
    "noted warned called voted vote votes passed signed cut raised increased decreased doubled tripled fell "
    "rose grew lost created spent spends paid pays costs cost"
)
_COMPARATIVE = _words(
    "more less fewer than most least highest lowest largest smallest biggest best worst first only never ever record"
)
_CAUSAL = _words("because caused cause causes due result resulted led leads therefore since thanks")
_FUTURE = _words("will going gonna shall would")
_OPINION = _words(
    "think believe feel hope want wish guess suppose like love hate should must need needs ought"
)
_FIRST_PERSON = _words("i we i'm we're i've we've i'd we'll i'll")
_PRONOUNS = _words("i you he she it we they me him her us them")


def _number_shape(token: str) -> str:
    if token[0] == "$":
        return "<money>"
    if token[-1] == "%":
        return "<pct>"
    digits = token.replace(",", "")
    if len(digits) == 4 and digits.isdigit() and digits[:2] in ("19", "20"):
        return "<year>"
    return "<num>"


def _length_bucket(n: int) -> str:
    for limit, name in ((4, "1"), (8, "2"), (15, "3"), (25, "4"), (40, "5")):
        if n <= limit:
            return name
    return "6"


_WORD_IDS_CACHE = 200_000  # words remembered per model; bounds memory in a long-running process


def _tokens(text: str) -> tuple[list[str], int, int, int, int, int]:
    """Normalised tokens (numbers by shape) and the counts the structural features read."""
    raw = _TOKEN.findall(text)
    tokens: list[str] = []
    caps = nums = years = money = pct = 0
    previous = ""
    for i, tok in enumerate(raw):
        first = tok[0]
        if first.isdigit() or (first == "$" and len(tok) > 1):
            shape = _number_shape(tok)
            tokens.append(shape)
            nums += 1
            years += shape == "<year>"
            money += shape == "<money>"
            pct += shape == "<pct>"
        else:
            low = tok.lower().replace("’", "'")
            if first.isupper() and i > 0 and low != "i" and previous not in _QUOTE_MARKS:
                caps += 1
            tokens.append(low)
        previous = tok
    return tokens, caps, nums, years, money, pct


def _word_features(token: str) -> list[str]:
    """A token's own lexical features: itself, and its prefix and suffix when long enough."""
    if len(token) > 4:
        return ["w:" + token, "p:" + token[:4], "s:" + token[-3:]]
    return ["w:" + token]


def _bigrams(tokens: list[str]) -> list[str]:
    return ["b:" + a + " " + b for a, b in pairwise(["<s>", *tokens, "</s>"])]


def sentence_features(text: str) -> tuple[list[str], list[str]]:
    """Lexical features (normalised by count when scored) and structural ones (weight 1 each)."""
    tokens, caps, nums, years, money, pct = _tokens(text)
    lexical = [f for t in tokens for f in _word_features(t)] + _bigrams(tokens)
    return lexical, _structural(tokens, caps, nums, years, money, pct)


def _structural(tokens: list[str], caps: int, nums: int, years: int, money: int, pct: int) -> list[str]:
    present = set(tokens)
    numeric = nums > 0 or bool(present & _SCALE_WORDS)
    reporting = bool(present & _REPORTING)
    opinion = bool(present & _OPINION)
    first_person = bool(present & _FIRST_PERSON)
    past = sum(1 for t in tokens if len(t) > 4 and t.endswith("ed"))
    structural = [
        "len:" + _length_bucket(len(tokens)),
        "caps:" + str(min(caps, 3)),
        "nums:" + str(min(nums, 2)),
        "report:" + str(int(reporting)),
        "ed:" + str(min(past, 2)),
    ]
    flags = (
        ("year", years > 0),
        ("money", money > 0),
        ("pct", pct > 0 or "percent" in present),
        ("numword", bool(present & _SCALE_WORDS)),
        ("smallnum", bool(present & _SMALL_NUMBERS)),
        ("month", bool(present & _MONTHS)),
        ("compar", bool(present & _COMPARATIVE)),
        ("est", any(len(t) > 5 and t.endswith("est") for t in tokens)),
        ("causal", bool(present & _CAUSAL)),
        ("future", bool(present & _FUTURE)),
        ("opinion", opinion),
        ("fp_opinion", opinion and first_person),
        ("question", "?" in present),
        ("num+ne", numeric and caps > 0),
        ("ne+report", reporting and caps > 0),
        ("num+report", numeric and reporting),
        ("fp_noevidence", first_person and not (nums or caps)),
        ("pronoun_heavy", 3 * sum(1 for t in tokens if t in _PRONOUNS) > len(tokens)),
    )
    structural += [name for name, on in flags if on]
    return structural


class CheckworthinessModel:
    """Logistic regression over `sentence_features`; `score` returns P(check-worthy), 0.5 = decision."""

    def __init__(
        self, features: Sequence[str], weights: Sequence[float], bias: float, meta: dict | None = None
    ):
        if len(features) != len(weights):
            raise ValueError("features and weights differ in length")
        self.index = {f: i for i, f in enumerate(features)}
        # A word's feature ids, memoised: news repeats its vocabulary, so most words cost one dict hit.
        self._word_ids: dict[str, tuple[int, ...]] = {}
        self.weights = np.asarray(weights, dtype=np.float64)
        self.bias = float(bias)
        self.meta = meta or {}

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> CheckworthinessModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["features"], data["weights"], data["bias"], data.get("meta"))

    def feature_rows(self, sentences: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Flattened active feature ids, their values, and each sentence's start offset (CSR layout)."""
        get = self.index.get
        word_ids = self._word_ids
        ids: list[int] = []
        values: list[float] = []
        starts = np.zeros(len(sentences) + 1, dtype=np.int64)
        for row, text in enumerate(sentences):
            tokens, caps, nums, years, money, pct = _tokens(text)
            lex_ids: set[int] = set()
            for token in tokens:
                known = word_ids.get(token)
                if known is None:
                    known = tuple(i for f in _word_features(token) if (i := get(f)) is not None)
                    if len(word_ids) < _WORD_IDS_CACHE:
                        word_ids[token] = known
                lex_ids.update(known)
            lex_ids.update(i for f in _bigrams(tokens) if (i := get(f)) is not None)
            structural = _structural(tokens, caps, nums, years, money, pct)
            struct_ids = {i for f in structural if (i := get(f)) is not None} - lex_ids
            if lex_ids:
                ids.extend(lex_ids)
                values.extend([1.0 / math.sqrt(len(lex_ids))] * len(lex_ids))
            ids.extend(struct_ids)
            values.extend([1.0] * len(struct_ids))
            starts[row + 1] = len(ids)
        return np.asarray(ids, dtype=np.int64), np.asarray(values, dtype=np.float64), starts

    def logits(self, sentences: Sequence[str]) -> np.ndarray:
        if not sentences:
            return np.zeros(0)
        ids, values, starts = self.feature_rows(sentences)
        contributions = self.weights[ids] * values
        # reduceat needs non-empty segments; prepend a zero so every row sums from its own offset.
        cumulative = np.concatenate(([0.0], np.cumsum(contributions)))
        return self.bias + cumulative[starts[1:]] - cumulative[starts[:-1]]

    def score(self, sentences: Sequence[str]) -> np.ndarray:
        """P(check-worthy) for each sentence, in one vectorised pass."""
        return 1.0 / (1.0 + np.exp(-self.logits(sentences)))

    @property
    def size(self) -> int:
        return len(self.index)


@lru_cache(maxsize=1)
def default_model() -> CheckworthinessModel:
    """The bundled model, loaded once per process."""
    return CheckworthinessModel.load()
