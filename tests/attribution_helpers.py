"""What the attribution tests read: every find of a text, and the weak ones' phrases."""

from __future__ import annotations

from bot.extract.attributions import find_attributions
from bot.models import Attribution, Strength
from bot.text.sentences import split_sentences


def attributions(text: str) -> list[Attribution]:
    return find_attributions(text, split_sentences(text))


def weak(text: str) -> list[str]:
    return [a.text for a in attributions(text) if a.strength is Strength.weak]
