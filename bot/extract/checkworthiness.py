"""The trained check-worthiness model: a sparse linear scorer that runs on numpy alone.

Training (`bench/train_checkworthiness.py`, scikit-learn) and scoring share `sentence_features`, so the
weights file is only a feature list and its weights: plain JSON, no pickle, nothing to download.
Features are lower-cased words and word pairs, word prefixes/suffixes, and a few structural cues
(numbers by shape, capitalised names mid-sentence, reporting verbs, first-person opinion) that carry
across decades of debates better than topic words do. The scorer reads the same features from facts it
caches per raw token (tests/test_extract_fast_paths.py holds its rows to `sentence_features`).
"""

from __future__ import annotations

import hashlib
import json
import marshal
import math
import pickle
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

import numpy as np

from bot.disk_cache import cache_path, write_atomically

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


_TOKEN_CACHE = 200_000  # raw tokens remembered per model; bounds memory in a long-running process


def _tokens(text: str) -> tuple[list[str], int]:
    """Normalised tokens (numbers by shape) and how many capitalised words follow the first (names)."""
    raw = _TOKEN.findall(text)
    tokens: list[str] = []
    caps = 0
    previous = ""
    for i, tok in enumerate(raw):
        first = tok[0]
        if first.isdigit() or (first == "$" and len(tok) > 1):
            tokens.append(_number_shape(tok))
        else:
            low = tok.lower().replace("’", "'")
            if first.isupper() and i > 0 and low != "i" and previous not in _QUOTE_MARKS:
                caps += 1
            tokens.append(low)
        previous = tok
    return tokens, caps


def _word_features(token: str) -> list[str]:
    """A token's own lexical features: itself, and its prefix and suffix when long enough."""
    if len(token) > 4:
        return ["w:" + token, "p:" + token[:4], "s:" + token[-3:]]
    return ["w:" + token]


def _bigrams(tokens: list[str]) -> list[str]:
    return ["b:" + a + " " + b for a, b in pairwise(["<s>", *tokens, "</s>"])]


def sentence_features(text: str) -> tuple[list[str], list[str]]:
    """Lexical features (normalised by count when scored) and structural ones (weight 1 each)."""
    tokens, caps = _tokens(text)
    lexical = [f for t in tokens for f in _word_features(t)] + _bigrams(tokens)
    bits = counts = 0
    for token in tokens:
        token_bits, token_counts = _token_facts(token)
        bits |= token_bits
        counts += token_counts
    return lexical, _structural_names(*_structural_key(len(tokens), caps, bits, counts))


# What one raw token adds to its sentence's structural features: bits for the word lists and per-token
# tests `_structural` reads, and counts packed into one int (32 bits a count).
_CAPITAL, _QUOTE, _YEAR, _MONEY, _PCT, _PERCENT, _QUESTION, _EST = (1 << i for i in range(8))
_WORD_LIST_BITS = (
    (_SCALE_WORDS, 1 << 8),
    (_REPORTING, 1 << 9),
    (_OPINION, 1 << 10),
    (_FIRST_PERSON, 1 << 11),
    (_SMALL_NUMBERS, 1 << 12),
    (_MONTHS, 1 << 13),
    (_COMPARATIVE, 1 << 14),
    (_CAUSAL, 1 << 15),
    (_FUTURE, 1 << 16),
)
_SCALE, _REPORT, _OPINE, _FIRST, _SMALL, _MONTH, _COMPAR, _CAUSE, _FUT = (bit for _, bit in _WORD_LIST_BITS)
# Every listed word with the bits of the lists holding it (distinct powers of two, so summed): one probe, not nine.
_WORD_BITS = {
    word: sum(bit for words, bit in _WORD_LIST_BITS if word in words)
    for listed, _ in _WORD_LIST_BITS
    for word in listed
}
_SENTENCE_BITS = (1 << 17) - 1 - _CAPITAL - _QUOTE  # the two that only matter token by token
_SHAPE_BITS = {"<year>": _YEAR, "<money>": _MONEY, "<pct>": _PCT}
_NUM, _PAST, _PRONOUN = 1, 1 << 32, 1 << 64
_COUNT = (1 << 32) - 1
_STRUCTURAL_CACHE = 4096  # distinct structural feature sets remembered; a few hundred occur
_NUMBER_SHAPES = frozenset(("<year>", "<money>", "<pct>", "<num>"))


def _token_facts(normalised: str) -> tuple[int, int]:
    """The structural bits and packed counts one normalised token adds to its sentence."""
    if normalised in _NUMBER_SHAPES:
        return _SHAPE_BITS.get(normalised, 0), _NUM
    bits, counts = _WORD_BITS.get(normalised, 0), 0
    if normalised == "percent":
        bits |= _PERCENT
    if normalised == "?":
        bits |= _QUESTION
    if len(normalised) > 5 and normalised.endswith("est"):
        bits |= _EST
    if len(normalised) > 4 and normalised.endswith("ed"):
        counts += _PAST
    if normalised in _PRONOUNS:
        counts += _PRONOUN
    return bits, counts


def _structural_key(n: int, caps: int, bits: int, counts: int) -> tuple[str, int, int, int, bool, int]:
    """A sentence's structural tallies, capped as the features read them (also the cache key)."""
    return (
        _length_bucket(n),
        min(caps, 3),
        min(counts & _COUNT, 2),
        min((counts >> 32) & _COUNT, 2),
        3 * (counts >> 64) > n,
        bits & _SENTENCE_BITS,
    )


class _Token(NamedTuple):
    """One raw token, worked out once: normalised form, feature ids, bigram ids of what may follow, tallies."""

    normalised: str
    ids: tuple[int, ...]
    bigrams_after: dict[str, int] | None
    bits: int
    counts: int


def _structural_names(
    length: str, caps: int, nums: int, past: int, pronoun_heavy: bool, bits: int
) -> list[str]:
    """`_structural`'s features from a sentence's tallies (caps, nums and past already capped)."""
    numeric = nums > 0 or bool(bits & _SCALE)
    reporting = bool(bits & _REPORT)
    opinion = bool(bits & _OPINE)
    first_person = bool(bits & _FIRST)
    structural = [
        "len:" + length,
        "caps:" + str(caps),
        "nums:" + str(nums),
        "report:" + str(int(reporting)),
        "ed:" + str(past),
    ]
    flags = (
        ("year", bits & _YEAR),
        ("money", bits & _MONEY),
        ("pct", bits & (_PCT | _PERCENT)),
        ("numword", bits & _SCALE),
        ("smallnum", bits & _SMALL),
        ("month", bits & _MONTH),
        ("compar", bits & _COMPAR),
        ("est", bits & _EST),
        ("causal", bits & _CAUSE),
        ("future", bits & _FUT),
        ("opinion", opinion),
        ("fp_opinion", opinion and first_person),
        ("question", bits & _QUESTION),
        ("num+ne", numeric and caps > 0),
        ("ne+report", reporting and caps > 0),
        ("num+report", numeric and reporting),
        ("fp_noevidence", first_person and not (nums or caps)),
        ("pronoun_heavy", pronoun_heavy),
    )
    structural += [name for name, on in flags if on]
    return structural


class _Shards(Mapping[str, object]):
    """A mapping kept in marshalled shards, each decoded when a key of it is first read: read back from the
    cache, a short triage opens a few dozen shards of the 158,000 features instead of the whole index."""

    def __init__(self, mapping: dict[str, object], width: int) -> None:
        grouped: dict[str, dict[str, object]] = {}
        for key, value in mapping.items():
            grouped.setdefault(key[:width], {})[key] = value
        self._width = width
        self._blobs = {prefix: marshal.dumps(shard) for prefix, shard in grouped.items()}
        self._shards: dict[str, dict[str, object]] = {}

    def _shard(self, key: str) -> dict[str, object]:
        prefix = key[: self._width]
        shard = self._shards.get(prefix)
        if shard is None:
            blob = self._blobs.get(prefix)
            shard = self._shards[prefix] = marshal.loads(blob) if blob is not None else {}
        return shard

    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        shard = self._shards.get(key[: self._width])  # the scorer's hot path: one call once decoded
        if shard is None:
            shard = self._shard(key)
        return shard.get(key, default)

    def __getitem__(self, key: str) -> object:
        return self._shard(key)[key]

    def __iter__(self) -> Iterator[str]:
        for prefix in self._blobs:
            yield from self._shard(prefix)

    def __len__(self) -> int:
        return sum(len(self._shard(prefix)) for prefix in self._blobs)

    def __getstate__(self) -> dict:
        return {"width": self._width, "blobs": self._blobs}

    def __setstate__(self, state: dict) -> None:
        self._width, self._blobs, self._shards = state["width"], state["blobs"], {}


class CheckworthinessModel:
    """A linear model over `sentence_features`; `score` returns P(check-worthy), 0.5 = decision."""

    def __init__(
        self, features: Sequence[str], weights: Sequence[float], bias: float, meta: dict | None = None
    ):
        if len(features) != len(weights):
            raise ValueError("features and weights differ in length")
        self.index: Mapping[str, int] = {f: i for i, f in enumerate(features)}
        # "b:a b" as a -> {b: id}, so a bigram costs two dict hits and no string building.
        bigram_ids: dict[str, dict[str, int]] = {}
        for feature, i in self.index.items():
            if feature.startswith("b:"):
                first, _, second = feature[2:].partition(" ")
                bigram_ids.setdefault(first, {})[second] = i
        self._bigram_ids: Mapping[str, dict[str, int]] = bigram_ids
        # Each raw token worked out once: news repeats its vocabulary, so most tokens cost one dict hit.
        self._tokens: dict[str, _Token] = {}
        self._structural_ids: dict[tuple, tuple[int, ...]] = {}
        self._sentence_start: dict[str, int] | None = None  # the bigram ids of "<s> word", looked up once
        self.weights = np.asarray(weights, dtype=np.float64)
        self.bias = float(bias)
        self.meta = meta or {}

    def __getstate__(self) -> dict:
        """The pickled model keeps its indexes in shards (`_Shards`) and no token cache."""
        state = self.__dict__ | {"_tokens": {}, "_structural_ids": {}, "_sentence_start": None}
        if isinstance(self.index, dict):
            state["index"] = _Shards(self.index, 4)  # "w:th", "b:th", "s:ed"
            state["_bigram_ids"] = _Shards(self._bigram_ids, 2)
        return state

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> CheckworthinessModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["features"], data["weights"], data["bias"], data.get("meta"))

    def feature_rows(self, sentences: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Flattened active feature ids, their values, and each sentence's start offset (CSR layout).

        Row by row the ids `sentence_features` gives, collected into sets in the same order (lexical ids in
        token order, then the structural ones not among them), so every sum and logit is the same bit for bit.
        """
        ids: list[int] = []
        row_values: list[float] = []  # per sentence: its lexical value, then 1.0 for its structural ids
        counts: list[int] = []  # how many ids take each of those values
        for text in sentences:
            lexical, structural = self._sentence_ids(text)
            lex_ids = set(lexical)
            struct_ids = set(structural) - lex_ids
            ids.extend(lex_ids)
            ids.extend(struct_ids)
            row_values += (1.0 / math.sqrt(len(lex_ids)) if lex_ids else 0.0, 1.0)
            counts += (len(lex_ids), len(struct_ids))
        sizes = np.asarray(counts, dtype=np.int64)
        starts = np.zeros(len(sentences) + 1, dtype=np.int64)
        np.cumsum(sizes.reshape(-1, 2).sum(axis=1), out=starts[1:])
        return (
            np.asarray(ids, dtype=np.int64),
            np.repeat(np.asarray(row_values, dtype=np.float64), sizes),
            starts,
        )

    def _sentence_ids(self, text: str) -> tuple[list[int], tuple[int, ...]]:
        """The ids of `sentence_features(text)`: lexical (word ids token by token, then bigrams) and
        structural, tallied from cached per-token facts instead of rebuilt from word sets."""
        known = self._tokens
        raws = _TOKEN.findall(text)
        lexical: list[int] = []
        bigram_ids: list[int] = []
        after = self._sentence_start
        if after is None:
            after = self._sentence_start = self._bigram_ids.get("<s>") or {}
        bits = counts = caps = 0
        quote, capital = _QUOTE, _CAPITAL
        previous = quote  # the first token is never a name, as after a quote mark
        for raw in raws:
            normalised, token_ids, following, token_bits, token_counts = known.get(raw) or self._token(raw)
            lexical += token_ids
            if after is not None and (i := after.get(normalised)) is not None:
                bigram_ids.append(i)
            after = following
            if token_bits & capital and not previous & quote:
                caps += 1
            previous = token_bits
            bits |= token_bits
            counts += token_counts
        if after is not None and (i := after.get("</s>")) is not None:
            bigram_ids.append(i)
        lexical += bigram_ids
        key = _structural_key(len(raws), caps, bits, counts)
        structural = self._structural_ids.get(key)
        if structural is None:
            get = self.index.get
            structural = tuple(i for f in _structural_names(*key) if (i := get(f)) is not None)
            if len(self._structural_ids) < _STRUCTURAL_CACHE:
                self._structural_ids[key] = structural
        return lexical, structural

    def _token(self, raw: str) -> _Token:
        """What `_tokens`, `_word_features`, `_bigrams` and `_structural` make of one raw token."""
        first = raw[0]
        if first.isdigit() or (first == "$" and len(raw) > 1):
            normalised, capital = _number_shape(raw), 0
        else:
            normalised = raw.lower().replace("’", "'")
            capital = _CAPITAL if first.isupper() and normalised != "i" else 0
        bits, counts = _token_facts(normalised)
        bits |= capital | (_QUOTE if raw in _QUOTE_MARKS else 0)
        get = self.index.get
        token = _Token(
            normalised,
            tuple([i for f in _word_features(normalised) if (i := get(f)) is not None]),
            self._bigram_ids.get(normalised),
            bits,
            counts,
        )
        if len(self._tokens) < _TOKEN_CACHE:
            self._tokens[raw] = token
        return token

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


def _cache_file(path: Path) -> Path:
    """Where the built model is kept between processes: keyed by the weights and this module, so a new
    model or new code never reads an old cache (XDG_CACHE_HOME, else ~/.cache)."""
    key = hashlib.sha256(path.read_bytes() + Path(__file__).read_bytes()).hexdigest()[:16]
    return cache_path(f"checkworthiness-{key}-py{sys.version_info.major}{sys.version_info.minor}.pickle")


@lru_cache(maxsize=1)
def default_model() -> CheckworthinessModel:
    """The bundled model, loaded once per process.

    Building its indexes from the JSON weights costs about half a second, most of a short triage's start-up,
    so the built model is cached on disk (in the user's own cache directory) and read back in a tenth of
    that; a cache that cannot be read or written is rebuilt or skipped, never an error."""
    try:
        cache = _cache_file(MODEL_PATH)
    except (OSError, RuntimeError):  # no readable weights file or no home directory: build as before
        return CheckworthinessModel.load()
    try:
        return pickle.loads(cache.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass
    model = CheckworthinessModel.load()
    write_atomically(cache, pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))
    return model
