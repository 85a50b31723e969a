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
import math
import mmap
import re
import threading
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain, filterfalse, pairwise
from pathlib import Path
from typing import NamedTuple

import numpy as np

from bot.disk_cache import cache_path, write_atomically

MODEL_PATH = Path(__file__).with_name("model") / "checkworthiness.json"

# Numbers, words, and the marks the features read. The lookahead names every first character a token can have,
# so the regex engine skips other positions at once; the possessive runs never need to give a character back.
_TOKEN = re.compile(
    r"(?=[A-Za-z\d$%£€?!\"“”])(?:[A-Za-z]++(?:['’][A-Za-z]+)?|\$?\d[\d,]*+(?:\.\d+)?%?|[%$£€?!\"“”])"
)
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


_LENGTH_LIMITS = (4, 8, 15, 25, 40)  # the most tokens of length buckets "1" to "5"; longer is "6"


def _length_bucket(n: int) -> str:
    return str(bisect_left(_LENGTH_LIMITS, n) + 1)


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
_TOKEN_CACHE = 200_000  # raw tokens remembered per model; bounds memory in a long-running process
# A raw token's facts, one int32 row: word, prefix and suffix ids, bigram-side row, bits, number, past tense,
# pronoun, capitalised, quote mark.
_FACT_COLUMNS = 10
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


def _unpacked_key(key: int) -> tuple[str, int, int, int, bool, int]:
    """`_structural_key` from the int `feature_rows` packs it into."""
    length, caps, nums, past = (key >> 17 & 7) + 1, key >> 20 & 3, key >> 22 & 3, key >> 24 & 3
    return str(length), caps, nums, past, bool(key >> 26 & 1), key & _SENTENCE_BITS


class _Tables(NamedTuple):
    """The model as sorted arrays, looked up in bulk with `np.searchsorted`: no per-key Python work, and
    read from the cache file by memory map, so a short triage touches a few pages of it, not megabytes."""

    keys: np.ndarray  # sorted UTF-8 "w:", "p:" and "s:" keys, plus "w:" of every bigram side ("S" dtype)
    key_ids: np.ndarray  # each key's feature id; -1 for a bigram side that is no word feature
    bigram_keys: np.ndarray  # sorted: row of "w:a" times len(keys), plus row of "w:b", for "b:a b"
    bigram_ids: np.ndarray
    weights: np.ndarray


def _tables(features: Sequence[str], weights: np.ndarray) -> tuple[_Tables, dict[str, int]]:
    """The lookup arrays of a feature list, and the structural features (the rest) by name."""
    lexical: dict[str, int] = {}
    structural: dict[str, int] = {}
    pairs: list[tuple[str, str, int]] = []
    for i, feature in enumerate(features):
        kind = feature[:2]
        if kind == "b:":
            first, _, second = feature[2:].partition(" ")
            pairs.append((first, second, i))
        elif kind in ("w:", "p:", "s:"):
            lexical[feature] = i
        else:
            structural[feature] = i
    sides = {"w:" + side for first, second, _ in pairs for side in (first, second)}
    names = sorted(lexical.keys() | sides, key=str.encode)
    keys = np.array([name.encode() for name in names], dtype=np.bytes_)
    row = {name: r for r, name in enumerate(names)}
    bigram_keys = np.array(
        [row["w:" + first] * len(names) + row["w:" + second] for first, second, _ in pairs], dtype=np.int64
    )
    order = np.argsort(bigram_keys, kind="stable")
    tables = _Tables(
        keys,
        np.array([lexical.get(name, -1) for name in names], dtype=np.int64),
        bigram_keys[order],
        np.array([i for _, _, i in pairs], dtype=np.int64)[order],
        weights,
    )
    return tables, structural


def _rows(keys: np.ndarray, wanted: list[str]) -> np.ndarray:
    """Each wanted key's row in the sorted `keys`, -1 where it is not there."""
    if not wanted or not len(keys):
        return np.full(len(wanted), -1, dtype=np.intp)
    encoded = "\n".join(wanted).encode().split(b"\n")  # keys are tokens: never a line break
    query = np.array(encoded, dtype=keys.dtype)  # a longer key is cut to the width: checked below
    fits = np.fromiter(map(len, encoded), dtype=np.intp, count=len(encoded)) <= keys.dtype.itemsize
    at = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    return np.where(fits & (keys[at] == query), at, -1)


def _segment_sums(values: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Sum of `values` in each [bounds[k], bounds[k + 1]) (integers, so any order is exact)."""
    cumulative = np.concatenate(([0], np.cumsum(values, dtype=np.int64)))
    return cumulative[bounds[1:]] - cumulative[bounds[:-1]]


class CheckworthinessModel:
    """A linear model over `sentence_features`; `score` returns P(check-worthy), 0.5 = decision."""

    def __init__(
        self, features: Sequence[str], weights: Sequence[float], bias: float, meta: dict | None = None
    ):
        if len(features) != len(weights):
            raise ValueError("features and weights differ in length")
        tables, structural = _tables(features, np.asarray(weights, dtype=np.float64))
        self._setup(tables, structural, float(bias), meta or {})

    def _setup(self, tables: _Tables, structural: dict[str, int], bias: float, meta: dict) -> None:
        self._tables = tables
        self._structural = structural
        self._structural_ids: dict[int, tuple[int, ...]] = {}
        self._known: dict[str, int] = {}  # raw token -> its row of `_facts`
        self._facts = np.empty((0, _FACT_COLUMNS), dtype=np.int32)
        self._lock = threading.Lock()
        start, end = _rows(tables.keys, ["w:<s>", "w:</s>"]).tolist()
        self._start_row, self._end_row = start, end
        self.weights = tables.weights
        self.bias = bias
        self.meta = meta

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> CheckworthinessModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["features"], data["weights"], data["bias"], data.get("meta"))

    @property
    def index(self) -> dict[str, int]:
        """Every feature by name (built on demand: the scorer itself reads the sorted tables)."""
        t = self._tables
        names = [key.decode() for key in t.keys.tolist()]
        index = {name: i for name, i in zip(names, t.key_ids.tolist(), strict=True) if i >= 0}
        width = len(names)
        for key, i in zip(t.bigram_keys.tolist(), t.bigram_ids.tolist(), strict=True):
            index["b:" + names[key // width][2:] + " " + names[key % width][2:]] = i
        return index | self._structural

    def feature_rows(self, sentences: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Flattened active feature ids, their values, and each sentence's start offset (CSR layout).

        Row by row the ids `sentence_features` gives, collected into sets in the same order (lexical ids in
        token order, then the structural ones not among them), so every sum and logit is the same bit for bit.
        Each distinct token is looked up once, all of them in one sorted-array search.
        """
        per_sentence = [_TOKEN.findall(text) for text in sentences]
        lengths = np.fromiter(map(len, per_sentence), dtype=np.intp, count=len(sentences))
        bounds = np.zeros(len(sentences) + 1, dtype=np.intp)
        np.cumsum(lengths, out=bounds[1:])
        flat = list(chain.from_iterable(per_sentence))
        facts = self._token_facts(flat)
        words, side, bits = facts[:, :3], facts[:, 3], facts[:, 4]
        num, past, pronoun, capital, quote = (
            facts[:, 5],
            facts[:, 6],
            facts[:, 7],
            facts[:, 8] > 0,
            facts[:, 9] > 0,
        )
        sentence_of = np.repeat(np.arange(len(sentences)), lengths)

        # Word ids token by token (each token's own, prefix, suffix), as `_word_features` lists them.
        word_ids = words.ravel()
        found = word_ids >= 0
        word_found = word_ids[found]
        word_bounds = np.concatenate(
            ([0], np.cumsum(np.bincount(np.repeat(sentence_of, 3)[found], minlength=len(sentences))))
        )

        # Bigrams over "<s>", the tokens, "</s>", sentence by sentence: each sentence's run in one array.
        ends = bounds[1:] + 2 * np.arange(len(sentences)) + 1
        run = np.full(len(flat) + 2 * len(sentences), self._start_row, dtype=np.intp)
        run[np.arange(len(flat)) + 2 * sentence_of + 1] = side
        run[ends] = self._end_row
        pairs = np.delete(np.arange(len(run) - 1), ends[:-1])  # not from one sentence's end to the next
        before, after = run[pairs], run[pairs + 1]
        table = self._tables
        bigram_ids = np.full(len(pairs), -1, dtype=np.int64)
        known = (before >= 0) & (after >= 0)
        if len(table.bigram_keys) and known.any():
            wanted = before[known].astype(np.int64) * len(table.keys) + after[known]
            order = np.argsort(wanted)  # searched in order, the table is read cache line by cache line
            at = np.empty_like(order)
            at[order] = np.searchsorted(table.bigram_keys, wanted[order])
            np.minimum(at, len(table.bigram_keys) - 1, out=at)
            bigram_ids[known] = np.where(table.bigram_keys[at] == wanted, table.bigram_ids[at], -1)
        found = bigram_ids >= 0
        bigram_found = bigram_ids[found]
        pair_sentence = np.repeat(np.arange(len(sentences)), lengths + 1)
        bigram_bounds = np.concatenate(
            ([0], np.cumsum(np.bincount(pair_sentence[found], minlength=len(sentences))))
        )

        # Structural tallies: a capitalised token counts as a name unless first or after a quote mark.
        after_quote = np.ones(len(flat), dtype=bool)
        after_quote[1:] = quote[:-1]
        after_quote[bounds[:-1][lengths > 0]] = True
        caps = _segment_sums(capital & ~after_quote, bounds)
        nums, pasts, pronouns = (_segment_sums(a, bounds) for a in (num, past, pronoun))
        sentence_bits = np.zeros(len(sentences), dtype=np.int64)
        if len(flat):
            sentence_bits[lengths > 0] = np.bitwise_or.reduceat(bits, bounds[:-1][lengths > 0])
        # Each sentence's `_structural_key` packed into one int (`_unpacked_key` reads it back).
        packed_keys = (
            (sentence_bits & _SENTENCE_BITS)
            | np.searchsorted(_LENGTH_LIMITS, lengths) << 17
            | np.minimum(caps, 3) << 20
            | np.minimum(nums, 2) << 22
            | np.minimum(pasts, 2) << 24
            | (3 * pronouns > lengths) << 26
        ).tolist()

        # Each sentence's lexical ids in one list: its word ids, then its bigram ids.
        lexical_bounds = word_bounds + bigram_bounds
        lexical = np.empty(lexical_bounds[-1], dtype=np.int64)
        lexical[np.arange(len(word_found)) + np.repeat(bigram_bounds[:-1], np.diff(word_bounds))] = word_found
        lexical[np.arange(len(bigram_found)) + np.repeat(word_bounds[1:], np.diff(bigram_bounds))] = (
            bigram_found
        )
        lexical_list, lb = lexical.tolist(), lexical_bounds.tolist()

        ids: list[int] = []
        counts: list[int] = []  # per sentence: how many lexical ids, then how many structural ones
        known = self._structural_ids
        for k, key in enumerate(packed_keys):
            lex_ids = set(lexical_list[lb[k] : lb[k + 1]])
            struct_ids = set(known.get(key) or self._structural_for(key)) - lex_ids
            ids.extend(lex_ids)
            ids.extend(struct_ids)
            counts += (len(lex_ids), len(struct_ids))
        sizes = np.asarray(counts, dtype=np.int64)
        # A lexical id's value is 1 / sqrt(how many), a structural one's 1 (IEEE sqrt: as math.sqrt gives it).
        row_values = np.ones(2 * len(sentences))
        lexical_sizes = sizes[0::2]
        row_values[0::2] = np.where(lexical_sizes > 0, 1.0 / np.sqrt(np.maximum(lexical_sizes, 1)), 0.0)
        starts = np.zeros(len(sentences) + 1, dtype=np.int64)
        np.cumsum(sizes.reshape(-1, 2).sum(axis=1), out=starts[1:])
        return (
            np.asarray(ids, dtype=np.int64),
            np.repeat(row_values, sizes),
            starts,
        )

    def _token_facts(self, flat: list[str]) -> np.ndarray:
        """Each token's row of `_FACT_COLUMNS`. A raw token is worked out the first time the model meets it
        and remembered (up to _TOKEN_CACHE of them): news repeats its vocabulary from article to article.
        One thread at a time: the rows are shared, and a reset or a new row must not meet a reader."""
        with self._lock:
            known = self._known
            new = list(dict.fromkeys(filterfalse(known.__contains__, flat)))  # most often none
            if len(known) + len(new) > _TOKEN_CACHE:  # start afresh rather than grow without bound
                known.clear()
                new = list(dict.fromkeys(flat))
            if new:
                used = len(known)
                if used + len(new) > len(self._facts):
                    size = max(2 * len(self._facts), used + len(new))
                    grown = np.empty((size, _FACT_COLUMNS), dtype=np.int32)
                    grown[:used] = self._facts[:used]
                    self._facts = grown
                self._facts[used : used + len(new)] = self._new_facts(new)
                known.update(zip(new, range(used, used + len(new)), strict=True))
            return self._facts[np.fromiter(map(known.__getitem__, flat), dtype=np.intp, count=len(flat))]

    def _new_facts(self, raws: list[str]) -> np.ndarray:
        """Per raw token what `_tokens`, `_word_features`, `_bigrams` and `_structural` read: its word,
        prefix and suffix ids (-1: none), its row as a bigram side, structural bits, its three counts,
        whether it is capitalised (a name unless first) and whether it is a quote mark."""
        # One lower() over all of them: the tokens are ASCII letters, digits and a few marks, mapped alike.
        normalised = "\n".join(raws).lower().replace("’", "'").split("\n")
        for i, raw in enumerate(raws):
            first = raw[0]
            if first.isdigit() or (first == "$" and len(raw) > 1):
                normalised[i] = _number_shape(raw)
        facts = np.full((len(raws), _FACT_COLUMNS), -1, dtype=np.int32)
        token_facts = list(map(_token_facts, normalised))
        facts[:, 4] = [bits for bits, _ in token_facts]
        packed = [counts for _, counts in token_facts]
        facts[:, 5] = [c & _COUNT for c in packed]
        facts[:, 6] = [(c >> 32) & _COUNT for c in packed]
        facts[:, 7] = [c >> 64 for c in packed]
        facts[:, 8] = [raw[0].isupper() and n != "i" for raw, n in zip(raws, normalised, strict=True)]
        facts[:, 9] = [raw in _QUOTE_MARKS for raw in raws]
        long = [i for i, n in enumerate(normalised) if len(n) > 4]
        wanted = ["w:" + n for n in normalised]
        wanted += ["p:" + normalised[i][:4] for i in long]
        wanted += ["s:" + normalised[i][-3:] for i in long]
        rows = _rows(self._tables.keys, wanted)
        ids = np.where(rows >= 0, self._tables.key_ids[rows], -1)
        facts[:, 0] = ids[: len(raws)]
        facts[long, 1] = ids[len(raws) : len(raws) + len(long)]
        facts[long, 2] = ids[len(raws) + len(long) :]
        facts[:, 3] = rows[: len(raws)]
        return facts

    def _structural_for(self, key: int) -> tuple[int, ...]:
        """The structural ids of a packed `_structural_key`, remembered."""
        get = self._structural.get
        structural = tuple(i for f in _structural_names(*_unpacked_key(key)) if (i := get(f)) is not None)
        if len(self._structural_ids) < _STRUCTURAL_CACHE:
            self._structural_ids[key] = structural
        return structural

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
        return len(self.weights)

    def to_bytes(self) -> bytes:
        """The packed tables: a JSON header (bias, meta, structural ids, array layout), then each array."""
        arrays = self._tables._asdict()
        layout, offset = {}, 0
        for name, array in arrays.items():
            layout[name] = (array.dtype.str, array.shape, offset)
            offset += -(-array.nbytes // 16) * 16
        header = json.dumps(
            {"bias": self.bias, "meta": self.meta, "structural": self._structural, "layout": layout}
        ).encode()
        header += b" " * (-(len(header) + 8) % 16)
        parts = [len(header).to_bytes(8, "little"), header]
        for array in arrays.values():
            parts += [np.ascontiguousarray(array).tobytes(), b"\0" * (-array.nbytes % 16)]
        return b"".join(parts)

    @classmethod
    def from_buffer(cls, buffer: memoryview | bytes | mmap.mmap) -> CheckworthinessModel:
        """A model over packed tables (`to_bytes`) without copying them: a memory map stays a memory map."""
        size = int.from_bytes(buffer[:8], "little")
        header = json.loads(bytes(buffer[8 : 8 + size]))
        base = 8 + size
        arrays = {
            name: np.frombuffer(
                buffer, dtype=np.dtype(dtype), count=math.prod(shape), offset=base + offset
            ).reshape(shape)
            for name, (dtype, shape, offset) in header["layout"].items()
        }
        model = cls.__new__(cls)
        model._setup(_Tables(**arrays), header["structural"], header["bias"], header["meta"])
        return model


def _cache_file(path: Path) -> Path:
    """Where the packed model is kept between processes: keyed by the weights file's size and modification
    time and by this module, so a new model or new code never reads an old cache (XDG_CACHE_HOME, else
    ~/.cache). Not by the weights' bytes: hashing 3.5 MB would cost a short triage 8 ms at every start."""
    stat = path.stat()
    stamp = f"{stat.st_size}:{stat.st_mtime_ns}:".encode()
    key = hashlib.sha256(stamp + Path(__file__).read_bytes()).hexdigest()[:16]
    return cache_path(f"checkworthiness-{key}.tables")


@lru_cache(maxsize=1)
def default_model() -> CheckworthinessModel:
    """The bundled model, loaded once per process.

    Building its tables from the JSON weights costs about half a second, most of a short triage's start-up,
    so the packed tables are cached on disk (in the user's own cache directory) and memory-mapped from
    there; a cache that cannot be read or written is rebuilt or skipped, never an error."""
    try:
        cache = _cache_file(MODEL_PATH)
    except (OSError, RuntimeError):  # no readable weights file or no home directory: build as before
        return CheckworthinessModel.load()
    try:
        with cache.open("rb") as handle:
            return CheckworthinessModel.from_buffer(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    model = CheckworthinessModel.load()
    write_atomically(cache, model.to_bytes())
    return model
