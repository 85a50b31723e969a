"""Map a quote a model returned to an exact span of the article, or to nothing.

A model's "verbatim" quote is often not quite verbatim: straightened or curly quotes, collapsed line
breaks, a dropped word, a British/American spelling. Grounding tries the exact text first, then the
same text under a normalisation that ignores those differences, then a word-level alignment that
tolerates a few small edits. Whatever it finds is snapped to the article's own characters, so the card
never shows words the article does not contain; a quote that aligns with nothing is rejected.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from functools import cached_property

from bot.models import Span

_CHAR_MAP = {
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
    "«": '"',
    "»": '"',
    "″": '"',
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "′": "'",
    "`": "'",
    "–": "-",
    "—": "-",
    "‒": "-",
    "―": "-",
    "‐": "-",
    "‑": "-",
    "−": "-",
    "…": "...",
}
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\ufeff")
# Characters whose lowercase is longer than one character ("İ") are kept as they are.
_SPECIAL = re.compile(r"\s+|[" + re.escape("".join(_CHAR_MAP)) + "".join(_INVISIBLE) + "\u0130]")
_WORD = re.compile(r"\w+")
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…|\[\.\.\.\]|\[…\])\s*")
_WRAPPING = " \t\n\"'“”‘’«»"

_MIN_FUZZY_WORDS = 4
_MAX_WORD_EDIT_SHARE = 0.2
_MIN_CHAR_RATIO = 0.85
_FREQUENT_WORD = 200


def _normalise(text: str) -> tuple[str, list[int]]:
    """Text with quotes, dashes, case and whitespace runs normalised, and each character's source index.

    Ordinary stretches are lowercased in one call; only the characters that change length or meaning
    (whitespace runs, typographic quotes and dashes, invisible characters) are handled one by one.
    """
    chars: list[str] = []
    origin: list[int] = []
    cursor = 0
    for special in _SPECIAL.finditer(text):
        if special.start() > cursor:
            chars.append(text[cursor : special.start()].lower())
            origin.extend(range(cursor, special.start()))
        found = special.group(0)
        if found[0].isspace():
            if chars and not chars[-1].endswith(" "):
                chars.append(" ")
                origin.append(special.start())
        elif found not in _INVISIBLE:
            mapped = _CHAR_MAP.get(found, found)
            chars.append(mapped)
            origin.extend([special.start()] * len(mapped))
        cursor = special.end()
    if cursor < len(text):
        chars.append(text[cursor:].lower())
        origin.extend(range(cursor, len(text)))
    return "".join(chars), origin


def _token_cost(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if len(a) > 3 and len(b) > 3 and a[:3] == b[:3] and abs(len(a) - len(b)) <= 2:
        return 0.5  # spelling variant or inflection: "defence"/"defense", "plan"/"plans"
    return 1.0


class Grounder:
    """Grounds many quotes against one article; the normalised text and word index are built once, when
    the first quote that is not verbatim needs them."""

    def __init__(self, article: str) -> None:
        self.article = article

    @cached_property
    def _normalised_article(self) -> tuple[str, list[int]]:
        return _normalise(self.article)

    @property
    def _norm(self) -> str:
        return self._normalised_article[0]

    @property
    def _origin(self) -> list[int]:
        return self._normalised_article[1]

    @cached_property
    def _words(self) -> list[tuple[str, int, int]]:
        return [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(self._norm)]

    @cached_property
    def _positions(self) -> dict[str, list[int]]:
        positions: dict[str, list[int]] = defaultdict(list)
        for position, (word, _, _) in enumerate(self._words):
            positions[word].append(position)
        return positions

    def ground(
        self, quote: str, near: tuple[int, int] | None = None, *, tolerant: bool = True
    ) -> Span | None:
        """The article span `quote` stands for, preferring one inside `near` (the chunk it came from)."""
        quote = quote.strip()
        if not quote:
            return None
        for candidate in dict.fromkeys((quote, quote.strip(_WRAPPING), quote.strip(_WRAPPING + ".,;:"))):
            if candidate and (span := self._exact(candidate, near)):
                return span
        needles = [_normalise(candidate)[0].strip() for candidate in (quote, quote.strip(_WRAPPING))]
        for needle in dict.fromkeys(needle for needle in needles if needle):
            if span := self._normalised(needle, near):
                return span
        normalised = needles[0]
        if not normalised or not tolerant:
            return None
        if _ELLIPSIS.search(normalised) and (span := self._elided(normalised, near)):
            return span
        return self._aligned(normalised, near)

    def _span(self, start: int, end: int) -> Span:
        """The article's text from start to end, widened to whole words if the match cut one."""
        article = self.article
        while 0 < start < len(article) and article[start - 1].isalnum() and article[start].isalnum():
            start -= 1
        while 0 < end < len(article) and article[end - 1].isalnum() and article[end].isalnum():
            end += 1
        return Span(text=article[start:end], start=start, end=end)

    def _cuts_word(self, start: int, end: int) -> bool:
        article = self.article
        return (start > 0 and article[start - 1].isalnum() and article[start].isalnum()) or (
            end < len(article) and article[end - 1].isalnum() and article[end].isalnum()
        )

    def _exact(self, quote: str, near: tuple[int, int] | None) -> Span | None:
        """First whole-word occurrence, inside `near` if possible; else the first occurrence at all."""
        first = -1
        for low, high in ((near or (0, 0)), (0, len(self.article))):
            start = self.article.find(quote, low, high)
            while start >= 0:
                first = start if first < 0 else first
                if not self._cuts_word(start, start + len(quote)):
                    return self._span(start, start + len(quote))
                start = self.article.find(quote, start + 1, high)
        return self._span(first, first + len(quote)) if first >= 0 else None

    def _find_normalised(self, needle: str, from_norm: int = 0, near: tuple[int, int] | None = None) -> int:
        if near is not None:
            near_start = self._norm_index(near[0])
            found = self._norm.find(needle, max(from_norm, near_start))
            if found >= 0 and self._origin[found] < near[1]:
                return found
        return self._norm.find(needle, from_norm)

    def _norm_index(self, article_index: int) -> int:
        return bisect_left(self._origin, article_index)

    def _from_norm(self, norm_start: int, norm_end: int) -> Span:
        return self._span(self._origin[norm_start], self._origin[norm_end - 1] + 1)

    def _normalised(self, needle: str, near: tuple[int, int] | None) -> Span | None:
        found = self._find_normalised(needle, near=near)
        return self._from_norm(found, found + len(needle)) if found >= 0 else None

    def _elided(self, needle: str, near: tuple[int, int] | None) -> Span | None:
        """ "The plan ... is ready" grounds from the first part's start to the last part's end, if close."""
        parts = [part for part in _ELLIPSIS.split(needle) if part.strip()]
        if len(parts) < 2:
            return None
        first = self._find_normalised(parts[0], near=near)
        if first < 0:
            return None
        cursor = first + len(parts[0])
        for part in parts[1:]:
            found = self._norm.find(part, cursor)
            if found < 0:
                return None
            cursor = found + len(part)
        if cursor - first > 3 * len(needle) + 200:
            return None
        return self._from_norm(first, cursor)

    def _aligned(self, needle: str, near: tuple[int, int] | None) -> Span | None:
        """Word-level alignment around the article offsets most of the quote's words vote for."""
        quote_words = _WORD.findall(needle)
        n = len(quote_words)
        if n < _MIN_FUZZY_WORDS:
            return None
        votes: Counter[int] = Counter()
        for index, word in enumerate(quote_words):
            positions = self._positions.get(word, ())
            if len(positions) <= _FREQUENT_WORD:
                votes.update(position - index for position in positions)
        needed = max(2, math.ceil(0.5 * n))
        offsets = [offset for offset, count in votes.most_common(3) if count >= needed]
        best: tuple[float, int, int] | None = None
        for offset in offsets:
            aligned = self._align_at(quote_words, offset)
            if aligned and (best is None or aligned[0] < best[0] or self._closer(aligned, best, near)):
                best = aligned
        if best is None:
            return None
        cost, first_word, last_word = best
        if cost > max(1.0, n * _MAX_WORD_EDIT_SHARE):
            return None
        norm_start, norm_end = self._words[first_word][1], self._words[last_word][2]
        norm_start, norm_end = self._extend_punctuation(needle, norm_start, norm_end)
        if (
            SequenceMatcher(None, needle, self._norm[norm_start:norm_end], autojunk=False).ratio()
            < _MIN_CHAR_RATIO
        ):
            return None
        return self._from_norm(norm_start, norm_end)

    def _closer(
        self, a: tuple[float, int, int], b: tuple[float, int, int], near: tuple[int, int] | None
    ) -> bool:
        if near is None or a[0] != b[0]:
            return False
        inside = near[0] <= self._origin[self._words[a[1]][1]] < near[1]
        return inside and not near[0] <= self._origin[self._words[b[1]][1]] < near[1]

    def _align_at(self, quote_words: list[str], offset: int) -> tuple[float, int, int] | None:
        """Semi-global edit distance of the quote against the article words near `offset`."""
        n = len(quote_words)
        slack = max(2, n // 5)
        low, high = max(0, offset - slack), min(len(self._words), offset + n + slack)
        region = [word for word, _, _ in self._words[low:high]]
        if not region:
            return None
        width = len(region)
        # cost[i][j]: quote words [:i] aligned to region words ending at j; start[i][j]: where it began.
        previous_cost = [0.0] * (width + 1)
        previous_start = list(range(width + 1))
        for i in range(1, n + 1):
            cost = [float(i)] + [0.0] * width
            start = [0] * (width + 1)
            for j in range(1, width + 1):
                options = (
                    (
                        previous_cost[j - 1] + _token_cost(quote_words[i - 1], region[j - 1]),
                        previous_start[j - 1],
                    ),
                    (previous_cost[j] + 1.0, previous_start[j]),
                    (cost[j - 1] + 1.0, start[j - 1]),
                )
                cost[j], start[j] = min(options, key=lambda option: option[0])
            previous_cost, previous_start = cost, start
        end = min(range(1, width + 1), key=lambda j: previous_cost[j])
        first = previous_start[end]
        if first >= end:
            return None
        return previous_cost[end], low + first, low + end - 1

    def _extend_punctuation(self, needle: str, norm_start: int, norm_end: int) -> tuple[int, int]:
        """Keep the quote's own leading/trailing punctuation when the article has it there too."""
        leading = re.match(r"\W*", needle).group(0).strip()
        if leading and self._norm[max(0, norm_start - len(leading)) : norm_start] == leading:
            norm_start -= len(leading)
        trailing = re.search(r"\W*$", needle).group(0).strip()
        if trailing and self._norm[norm_end : norm_end + len(trailing)] == trailing:
            norm_end += len(trailing)
        return norm_start, norm_end


def ground(article: str, quote: str, near: tuple[int, int] | None = None) -> Span | None:
    """One-off grounding of `quote` in `article` (exact, then tolerant); see `Grounder` for many quotes."""
    return Grounder(article).ground(quote, near)
