"""Sentence segmentation with character offsets into the original text.

News copy is full of traps for naive splitters: "U.S.", "Gen. Smith", "J. R. R. Tolkien", "3.5%",
curly quotes that close after the full stop, and quotes whose comma continues the sentence.
Paragraph breaks are always boundaries. Offsets let every claim stay an exact slice of the article.
"""

from __future__ import annotations

import re

from bot.models import Span

_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen lt col maj capt cmdr adm sgt cpl pvt sen rep gov pres supt insp det
    st jr sr rev fr hon messrs mme mlle
    inc ltd co corp plc llc bros dept univ assn est approx
    no nos vol fig op pp ed eds vs etc al cf
    jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thur thurs fri sat sun
    a.m p.m e.g i.e u.s u.k u.n u.s.a e.u
    """.split()
)

# Words that, after an ambiguous "U.S." style acronym, strongly suggest a new sentence started.
_SENTENCE_STARTERS = frozenset(
    "The A An He She It They We I But And In On At This That These Those His Her Its Their Our "
    "However Meanwhile Still Yet So Then There Officials".split()
)

_TERMINATOR = re.compile(r"[.!?…]+[\"'”’»)\]]*")
_OPENER = re.compile(r"[\"'“‘«(\[]*[A-Z0-9À-ÖØ-Þ]")
_PARAGRAPH = re.compile(r"\n\s*\n|\r\n\s*\r\n")
_GAP = re.compile(r"\s+")
_NEXT_WORD = re.compile(r"[\w']+")
_DOTTED_ACRONYM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_LINE_BREAK = re.compile(r"(\n)")
_ENDS_SENTENCE = re.compile(r"[.!?…:\"”’)]$")
_ACRONYMS = frozenset({"us", "uk", "un", "eu"})  # with or without dots, read like abbreviations
# Abbreviations that can also end a sentence: after "U.S." a sentence starter begins a new one.
_MAY_END_SENTENCE = frozenset({"u.s", "u.k", "u.n", "e.u", "etc", "inc", "ltd", "co", "corp", "plc", "llc"})


def _token_before(text: str, end: int) -> str:
    start = end
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "\"“(‘'":
        start -= 1
    return text[start:end]


def _is_boundary(text: str, dot: int, after: int) -> bool:
    """`dot` is the index of the terminator run, `after` the index of the next sentence's first char."""
    if text[dot] in "!?…":
        return True
    token = _token_before(text, dot).rstrip(".")
    low = token.lower()
    if not token:
        return True
    if low in _ABBREVIATIONS or low.replace(".", "") in _ACRONYMS:
        next_word = _NEXT_WORD.match(text, after)
        return bool(next_word and next_word.group(0) in _SENTENCE_STARTERS and low in _MAY_END_SENTENCE)
    if len(token) == 1 and token.isupper():  # an initial: "J. Smith"
        return False
    if _DOTTED_ACRONYM.fullmatch(token):  # dotted acronym such as "U.S.A"
        next_word = _NEXT_WORD.match(text, after)
        return bool(next_word and next_word.group(0) in _SENTENCE_STARTERS)
    return not (token[-1].isdigit() and text[after : after + 1].isdigit())


def _split_block(text: str, start: int, end: int, out: list[Span]) -> None:
    pos = start
    for m in _TERMINATOR.finditer(text, start, end):
        gap = _GAP.match(text, m.end(), end)
        if not gap:
            continue
        after = gap.end()
        if after >= end or not _OPENER.match(text, after):
            continue
        if _is_boundary(text, m.start(), after):
            _emit(text, pos, m.end(), out)
            pos = after
    _emit(text, pos, end, out)


def _emit(text: str, start: int, end: int, out: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Span(text=text[start:end], start=start, end=end))


def split_sentences(text: str) -> list[Span]:
    """Split `text` into sentences; each `Span.text == text[start:end]`."""
    out: list[Span] = []
    pos = 0
    for m in _PARAGRAPH.finditer(text):
        _split_block(text, pos, m.start(), out)
        pos = m.end()
    _split_block(text, pos, len(text), out)
    # A lone line break between lines that each end a sentence (pasted copy) is a boundary too.
    result: list[Span] = []
    for s in out:
        if "\n" not in s.text:
            result.append(s)
            continue
        offset = s.start
        for line in _LINE_BREAK.split(s.text):
            if line == "\n":
                offset += 1
                continue
            _emit(text, offset, offset + len(line), result)
            offset += len(line)
    return _rejoin_soft_wraps(text, result)


def _rejoin_soft_wraps(text: str, spans: list[Span]) -> list[Span]:
    """Undo line splits that fell inside a sentence (hard-wrapped pastes): a line ending without
    terminal punctuation continues into the next one when the next starts in lower case."""
    merged: list[Span] = []
    for s in spans:
        if merged:
            prev = merged[-1]
            between = text[prev.end : s.start]
            if "\n\n" not in between and not _ENDS_SENTENCE.search(prev.text) and s.text[:1].islower():
                merged[-1] = Span(text=text[prev.start : s.end], start=prev.start, end=s.end)
                continue
        merged.append(s)
    return merged
