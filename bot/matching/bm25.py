"""Okapi BM25 over the archive, held as per-term postings with precomputed weights (numpy, no server)."""

from __future__ import annotations

from collections import Counter

import numpy as np

from bot.matching.terms import terms

K1 = 1.2
B = 0.75


class BM25:
    def __init__(self, documents: list[str]) -> None:
        self.size = len(documents)
        self.vocab: dict[str, int] = {}
        term_ids: list[int] = []
        doc_ids: list[int] = []
        counts: list[int] = []
        lengths = np.zeros(self.size, dtype=np.float32)
        for doc, text in enumerate(documents):
            words = terms(text)
            lengths[doc] = len(words)
            for word, count in Counter(words).items():
                term_ids.append(self.vocab.setdefault(word, len(self.vocab)))
                doc_ids.append(doc)
                counts.append(count)
        tids = np.asarray(term_ids, dtype=np.int64)
        order = np.argsort(tids, kind="stable")
        self.docs = np.asarray(doc_ids, dtype=np.int32)[order]
        df = np.bincount(tids, minlength=len(self.vocab))
        self.offsets = np.concatenate([[0], np.cumsum(df)])
        tf = np.asarray(counts, dtype=np.float32)[order]
        idf = np.log(1.0 + (self.size - df + 0.5) / (df + 0.5)).astype(np.float32)
        average = float(lengths.mean()) if self.size else 1.0
        norm = K1 * (1.0 - B + B * lengths[self.docs] / max(average, 1.0))
        self.weights = np.repeat(idf, df) * tf * (K1 + 1.0) / (tf + norm)

    def scores(self, text: str) -> np.ndarray:
        out = np.zeros(self.size, dtype=np.float32)
        for word in set(terms(text)):
            term = self.vocab.get(word)
            if term is not None:
                start, end = self.offsets[term], self.offsets[term + 1]
                out[self.docs[start:end]] += self.weights[start:end]
        return out
