"""Split an article into chunks that fit the model's token budget, on paragraph boundaries.

Chunks are contiguous slices of the article with their offsets, so a quote found in a chunk maps back to
the article. Token counts are estimated (about four characters per token for English prose) so no
tokenizer has to be downloaded; the estimate errs high so chunks stay under a real tokenizer's count.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from bot.text.sentences import split_sentences

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_CHARS_PER_TOKEN = 3.6


@dataclass(frozen=True)
class Chunk:
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def estimate_tokens(text: str) -> int:
    """Rough token count: characters / 3.6, never below the word count."""
    return max(math.ceil(len(text) / _CHARS_PER_TOKEN), len(text.split()))


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    cursor = 0
    for brk in _PARAGRAPH_BREAK.finditer(text):
        if brk.start() > cursor:
            spans.append((cursor, brk.start()))
        cursor = brk.end()
    if cursor < len(text):
        spans.append((cursor, len(text)))
    return spans


def _pieces_within_budget(text: str, start: int, end: int, budget: int) -> list[tuple[int, int]]:
    """A paragraph too long for one chunk is cut between sentences, and a sentence too long between words."""
    if estimate_tokens(text[start:end]) <= budget:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    for sentence in split_sentences(text[start:end]):
        s_start, s_end = start + sentence.start, start + sentence.end
        if estimate_tokens(text[s_start:s_end]) <= budget:
            pieces.append((s_start, s_end))
            continue
        max_chars = max(1, int(budget * _CHARS_PER_TOKEN))
        cursor = s_start
        while cursor < s_end:
            stop = min(s_end, cursor + max_chars)
            if stop < s_end:
                space = text.rfind(" ", cursor + 1, stop)
                stop = space if space > cursor else stop
            pieces.append((cursor, stop))
            cursor = stop
            while cursor < s_end and text[cursor].isspace():
                cursor += 1
    return pieces


def split_into_chunks(text: str, budget_tokens: int) -> list[Chunk]:
    """Greedily pack whole paragraphs into chunks of at most `budget_tokens` (estimated)."""
    pieces = [
        piece
        for p_start, p_end in _paragraphs(text)
        for piece in _pieces_within_budget(text, p_start, p_end, budget_tokens)
    ]
    chunks: list[Chunk] = []
    chunk_start: int | None = None
    chunk_end = chunk_words = 0
    for p_start, p_end in pieces:
        words = len(text[p_start:p_end].split())
        if chunk_start is not None:
            chars = p_end - chunk_start
            if max(math.ceil(chars / _CHARS_PER_TOKEN), chunk_words + words) > budget_tokens:
                chunks.append(Chunk(text[chunk_start:chunk_end], chunk_start))
                chunk_start = None
        if chunk_start is None:
            chunk_start, chunk_words = p_start, 0
        chunk_end = p_end
        chunk_words += words
    if chunk_start is not None:
        chunks.append(Chunk(text[chunk_start:chunk_end], chunk_start))
    return chunks
