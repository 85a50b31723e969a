"""The one clipping rule for text shown to people: the card, the desk's replies and each platform's limits."""

from __future__ import annotations

_WORD_REACH = 20  # a cut moves back to the end of a word at most this far; a longer word is cut inside


def clip(text: str, limit: int, *, one_line: bool = False) -> str:
    """At most `limit` characters, the cut marked with an ellipsis and made at a word when one ends near it;
    `one_line` first folds line breaks and runs of spaces (a claim quoted in a title or a list row)."""
    if one_line:
        text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    word = cut.rsplit(" ", 1)[0]
    return (word if len(cut) - len(word) <= _WORD_REACH else cut).rstrip() + "…"
