"""The match index every process keeps in memory: BM25 postings and a matrix of record embeddings.

Candidates are the best of each side; their features are combined by a logistic model fitted on the
CheckThat! 2020 train split (`fusion.json`, written by `bench/claim_retrieval.py --fit`), so a score is a
calibrated probability that the record fact-checks the text. The index reloads when the archive's row
count or newest change moves (checked at most once a second), so every worker sees imports and verdicts
without a restart.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session

from bot.matching.blas import one_thread
from bot.matching.bm25 import BM25
from bot.matching.dense import DenseIndex
from bot.matching.encoder import Encoder, default_encoder
from bot.matching.terms import plain
from bot.matching.vectors import from_bytes
from storage import archive

CANDIDATES = 20  # per side; 4-fold cross-validation on train peaks at 15-20 (0.926), 50 gives 0.925
REFRESH_SECONDS = 1.0
FEATURES = (
    "cosine",
    "cosine_gap",
    "bm25_top",
    "bm25",
    "rr_cosine",
    "rr_bm25",
    "cosine_x_bm25_top",
    "title_cosine",
    "title_cosine_gap",
    "best_cosine",
    "best_cosine_gap",
    "rr_title_cosine",
)
_FUSION = json.loads((Path(__file__).with_name("fusion.json")).read_text())


def fusion_weights() -> dict[str, float]:
    return dict(_FUSION["weights"])


def default_threshold() -> float:
    return float(_FUSION["threshold"])


@dataclass(frozen=True)
class Match:
    url: str
    score: float
    claim: str
    rating: str | None
    source: str
    publisher: str | None
    published: date | None
    title: str | None

    def as_json(self) -> dict[str, object]:
        return {
            "url": self.url,
            "score": round(self.score, 4),
            "claim": self.claim,
            "rating": self.rating,
            "source": self.publisher or self.source,
        }


@dataclass
class _Snapshot:
    version: archive.Version | None
    rows: list[tuple]
    bm25: BM25
    dense: DenseIndex
    titles: np.ndarray


class ArchiveIndex:
    def __init__(
        self,
        sessions: Callable[[], Session],
        encoder: Encoder | None = None,
        weights: dict[str, float] | None = None,
    ) -> None:
        self._sessions = sessions
        self._encoder = encoder
        self._encoder_loaded = encoder is not None
        self.weights = weights or fusion_weights()
        self._snapshot: _Snapshot | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._current().rows)

    @property
    def encoder(self) -> Encoder | None:
        """The sentence encoder, loaded on the first query against a non-empty archive: a desk with no
        archive never pays for the model."""
        if not self._encoder_loaded:
            self._encoder, self._encoder_loaded = default_encoder(), True
        return self._encoder

    def _current(self) -> _Snapshot:
        with self._lock:
            now = time.monotonic()
            if self._snapshot is not None and now - self._checked < REFRESH_SECONDS:
                return self._snapshot
            self._checked = now
            with self._sessions() as session:
                version = archive.version(session)
                if self._snapshot is None or self._snapshot.version != version:
                    self._snapshot = self._load(session, version)
            return self._snapshot

    def _load(self, session: Session, version: archive.Version) -> _Snapshot:
        rows = [tuple(r) for r in archive.index_rows(session)]
        claims, titles = from_bytes([r[7] for r in rows])
        rows = [r[:7] for r in rows]  # the blobs go before BM25's temporaries come: a lower peak
        bm25 = BM25([f"{r[1]} {r[6] or ''}" for r in rows])
        return _Snapshot(version, rows, bm25, DenseIndex(claims), titles)

    def match(self, text: str, top: int = 5, min_score: float = 0.0) -> list[Match]:
        return self.match_many([text], top, min_score)[0]

    def match_many(self, texts: list[str], top: int = 5, min_score: float = 0.0) -> list[list[Match]]:
        snapshot = self._current()
        if not snapshot.rows:
            return [[] for _ in texts]
        with one_thread():
            return self._match(snapshot, texts, top, min_score)

    def _match(self, snapshot: _Snapshot, texts: list[str], top: int, min_score: float) -> list[list[Match]]:
        queries = self.encoder.encode([plain(t) for t in texts]) if self.encoder is not None else None
        out = []
        for i, text in enumerate(texts):
            features, candidates = candidate_features(snapshot, text, None if queries is None else queries[i])
            scores = self._probability(features)
            order = np.argsort(-scores, kind="stable")[:top]
            out.append(
                [
                    Match(*_record(snapshot.rows[candidates[j]], float(scores[j])))
                    for j in order
                    if scores[j] >= min_score
                ]
            )
        return out

    def _probability(self, features: np.ndarray) -> np.ndarray:
        w = np.array([self.weights[name] for name in FEATURES], dtype=np.float32)
        return 1.0 / (1.0 + np.exp(-(features @ w + self.weights["bias"])))


def _record(row: tuple, score: float) -> tuple:
    url, claim, rating, source, publisher, published, title = row
    return (url, score, claim, rating, source, publisher, published, title)


def candidate_features(
    snapshot: _Snapshot, text: str, query: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """The union of the best CANDIDATES by BM25 and by claim cosine, with one feature row per candidate
    (see FEATURES); the title's cosine is computed for those candidates only."""
    lexical = snapshot.bm25.scores(text)
    k = min(CANDIDATES, len(lexical))
    by_lexical = np.argpartition(-lexical, k - 1)[:k]
    if query is None:
        candidates = np.sort(by_lexical)
        den = title = np.zeros(len(candidates), dtype=np.float32)
    else:
        candidates = np.union1d(by_lexical, snapshot.dense.nearest(query, k))
        den = snapshot.dense.cosines(query, candidates)
        title = snapshot.titles[candidates].astype(np.float32) @ query
    best = float(lexical.max()) or 1.0
    lex = lexical[candidates]
    bm25_top = lex / best
    either = np.maximum(den, title)
    features = np.stack(
        [
            den,
            den - den.max(),
            bm25_top,
            np.minimum(lex, 40.0) / 40.0,
            1.0 / (1.0 + _ranks(den)),
            1.0 / (1.0 + _ranks(lex)),
            den * bm25_top,
            title,
            title - title.max(),
            either,
            either - either.max(),
            1.0 / (1.0 + _ranks(title)),
        ],
        axis=1,
    ).astype(np.float32)
    return features, candidates


def _ranks(values: np.ndarray) -> np.ndarray:
    """0 for the highest value, ties in candidate order."""
    return np.argsort(np.argsort(-values, kind="stable"), kind="stable")
