"""What the archive embeds for each record, and how vectors are stored (float16 bytes, unit length).

A record's blob holds its claim's vector, then its title's when it has a title: matching on the fact-check's
headline as well as its claim lifted dev MAP@5 on CheckThat! 2020 from 0.886 to 0.894. A blob of one
vector (no title, or embedded before titles were) serves as both.
"""

from __future__ import annotations

import numpy as np

from bot.matching.encoder import DIMENSIONS, default_encoder

_ONE = DIMENSIONS * 2  # bytes of one float16 vector


def embed_rows(rows: list[tuple[str, str | None]]) -> list[bytes | None]:
    """One blob per (claim, title); all None when no encoder is installed (BM25 alone then)."""
    encoder = default_encoder()
    if encoder is None or not rows:
        return [None] * len(rows)
    titled = [i for i, (_, title) in enumerate(rows) if title and title.strip()]
    matrix = encoder.encode([claim for claim, _ in rows] + [rows[i][1] or "" for i in titled])
    blobs = [row.astype(np.float16).tobytes() for row in matrix[: len(rows)]]
    for position, i in enumerate(titled):
        blobs[i] += matrix[len(rows) + position].astype(np.float16).tobytes()
    return blobs


def from_bytes(blobs: list[bytes | None]) -> tuple[np.ndarray, np.ndarray]:
    """(claims, titles), each float16 (n, 384) as stored; rows without a vector are zero (they score 0 on
    the dense side), and a record without a title vector has its claim's in both."""
    claims = np.zeros((len(blobs), DIMENSIONS), dtype=np.float16)
    titles = np.zeros((len(blobs), DIMENSIONS), dtype=np.float16)
    for i, blob in enumerate(blobs):
        if blob is None or len(blob) not in (_ONE, 2 * _ONE):
            continue
        claims[i] = np.frombuffer(blob, dtype=np.float16, count=DIMENSIONS)
        titles[i] = np.frombuffer(blob, dtype=np.float16, offset=_ONE if len(blob) == 2 * _ONE else 0)
    return claims, titles
