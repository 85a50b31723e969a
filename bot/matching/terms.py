"""Words for BM25: lower-cased, links and @handles dropped, hashtags split at capitals, stop words out,
and a light suffix stemmer so "vaccines" meets "vaccine" and "claimed" meets "claims"."""

from __future__ import annotations

import re
from functools import lru_cache

_LINK = re.compile(r"https?://\S+|pic\.twitter\.com/\S+|www\.\S+")
_HANDLE = re.compile(r"@\w+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])")
_WORD = re.compile(r"[a-z0-9]+")
STOP_WORDS = frozenset(
    """a about after again all also am an and any are as at be because been before being but by can could
    did do does doing down during each few for from further had has have having he her here hers him his how
    i if in into is it its itself just me more most my no nor not now of off on once only or other our out
    over own same she should so some such than that the their them then there these they this those through
    to too under until up very was we were what when where which while who whom why will with would you your
    rt amp via""".split()
)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Plural, -ing, -ed, -ly and a final e off: "vaccines", "vaccine" and "vaccinated" share "vaccin"."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "xes", "ches", "shes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def terms(text: str) -> list[str]:
    text = _HANDLE.sub(" ", _LINK.sub(" ", text)).replace("#", " ")
    text = _CAMEL.sub(" ", text).lower()
    return [stem(w) for w in _WORD.findall(text) if w not in STOP_WORDS]


def plain(text: str) -> str:
    """The text an encoder should see: links and @handles out, hashtags as words."""
    return " ".join(_HANDLE.sub(" ", _LINK.sub(" ", text)).replace("#", " ").split())
