"""A small stop-word language guess: enough to tell an editor the checks are built for English.

A full language-identification model would be a download; function words separate the languages a
newsroom is likely to paste well enough for a warning.
"""

from __future__ import annotations

import re

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and of to in is that for it was on with as by at from have has said".split()),
    "de": frozenset("der die das und ist nicht mit den von zu ein eine sich auf für dem des im".split()),
    "fr": frozenset("le la les et des est une dans pour que qui pas sur au du avec il elle".split()),
    "es": frozenset("el la los las y que en un una por con para del se es lo como más".split()),
    "it": frozenset("il di che e la per un una sono del della non con si le gli nel".split()),
    "pt": frozenset("o a os as e que de do da em um uma para com não por se mais".split()),
    "nl": frozenset("de het een en van is dat op te in zijn met voor niet aan er".split()),
    "ru": frozenset("и в не на что с по как это он она к но из за от".split()),
    "uk": frozenset("і в не на що з до як це він вона та але від за".split()),
    "pl": frozenset("i w nie na że się z do jest to jak po co od przez".split()),
    "tr": frozenset("ve bir bu da de için ile olarak çok daha ama gibi".split()),
}
_NAMES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "ru": "Russian",
    "uk": "Ukrainian",
    "pl": "Polish",
    "tr": "Turkish",
}
_TOKEN = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str:
    """ISO 639-1 code of the most likely language, or "und" when there is too little to tell."""
    tokens = [t.lower() for t in _TOKEN.findall(text[:20_000])]
    if len(tokens) < 5:
        return "und"
    scores = {lang: sum(1 for t in tokens if t in words) for lang, words in _STOPWORDS.items()}
    best = max(scores, key=scores.__getitem__)
    if scores[best] < max(2, 0.05 * len(tokens)):
        return "und"
    return best


def language_name(code: str) -> str:
    return _NAMES.get(code, code)
