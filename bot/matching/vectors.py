"""What the archive embeds for each record, and how vectors are stored (float16 bytes, unit length)."""

from __future__ import annotations

import numpy as np

from bot.matching.encoder import DIMENSIONS, default_encoder


def record_text(claim: str, title: str | None) -> str:
    return claim


def embed_rows(rows: list[tuple[str, str | None]]) -> list[bytes | None]:
    """One vector per (claim, title); all None when no encoder is installed (BM25 alone then)."""
    encoder = default_encoder()
    if encoder is None or not rows:
        return [None] * len(rows)
    matrix = encoder.encode([record_text(claim, title) for claim, title in rows])
    return [row.astype(np.float16).tobytes() for row in matrix]


def from_bytes(blobs: list[bytes | None]) -> np.ndarray:
    """float16 (n, 384), as stored; rows without a vector are zero (they score 0 on the dense side)."""
    out = np.zeros((len(blobs), DIMENSIONS), dtype=np.float16)
    for i, blob in enumerate(blobs):
        if blob is not None and len(blob) == DIMENSIONS * 2:
            out[i] = np.frombuffer(blob, dtype=np.float16)
    return out
