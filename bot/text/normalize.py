"""Turning raw input into article text: decoding, validation, normalisation and its fingerprint.

Every paste, file, stdin and fetched page passes :func:`intake` once, so control characters and terminal
escape sequences never reach a card, a terminal or the database (PostgreSQL refuses NUL in text).
The sha256 is taken over the normalised text so that the same article pasted twice (different line
endings, trailing spaces, Unicode forms) is recognised as one triage.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from typing import BinaryIO

from bot.errors import BadInput

_WORD = re.compile(r"\w+(?:[’'.\-]\w+)*")
# Among equally plausible single-byte encodings, Western newsrooms' files are far most often Windows-1252.
_PREFERRED_ENCODINGS = ("cp1252", "iso8859_15", "latin_1")
_BLANK_RUNS = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
# Terminal escape sequences (ECMA-48, 7-bit): CSI (colours, cursor moves, screen clears), OSC/DCS/SOS/PM/APC
# strings (window titles, hyperlinks) up to their terminator or the line's end, and two-character ESC forms.
# The 8-bit (C1) introducers are removed one by one with the other controls: in mis-decoded text they are
# ordinary bytes, and matching a sequence after them would eat words.
_ESCAPE_SEQUENCES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b[\]PX^_][^\x07\x1b\n]*(?:\x07|\x1b\\)?|\x1b[ -/]*[0-~]?"
)
# C0 and C1 controls and DEL, except tab and newline (carriage returns become newlines first).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_VERTICAL_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n\n"})
# `str.translate` with a table walks the text in Python-object steps (20 ms for a long paste); most text has
# none of these, which one regex search tells in a fraction of that.
_VERTICAL_BREAK = re.compile("[\x0b\x0c\u2028\u2029]")
# Byte-order marks, longest first: UTF-32 LE's starts with UTF-16 LE's.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# UTF-8 spends at most 4 bytes on a character, so more bytes than this cannot be an acceptable article.
_BYTES_PER_CHAR = 4


def read_limited(stream: BinaryIO, max_chars: int) -> bytes:
    """Read a file or stdin only as far as an acceptable article could go, then stop and refuse."""
    limit = max_chars * _BYTES_PER_CHAR + len(codecs.BOM_UTF32_LE)
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise BadInput(
            f"The input is more than {limit:,} bytes; factdesk reads at most {max_chars:,} characters at once, "
            "so paste one article at a time."
        )
    return data


def decode(data: bytes) -> str:
    """Decode bytes from a file or stdin; binary data gets a sentence, not mojibake."""
    for bom, codec in BYTE_ORDER_MARKS:
        if data.startswith(bom):
            text = data.decode(codec, errors="replace")
            if not text.strip():
                raise BadInput("There is no text to triage: the input is empty.")
            return text
    if not data.strip():
        raise BadInput("There is no text to triage: the input is empty.")
    if b"\x00" in data[:8192]:
        raise BadInput("This looks like a binary file, not article text; paste the article's text or a link.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes  # only for text that is not UTF-8

        matches = from_bytes(data)
        best = matches.best()
        if best is None:
            raise BadInput(
                "This is not readable text in any encoding I know; save it as UTF-8 text or paste it."
            ) from None
        ties = {m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)}
        encoding = next((e for e in _PREFERRED_ENCODINGS if e in ties), best.encoding)
        return data.decode(encoding, errors="replace")


def intake(raw: str, max_chars: int) -> str:
    """The one door for article text from every adapter and link: refuse what is not an article, then
    return it cleaned (:func:`strip_controls`) and normalised."""
    sample = _ESCAPE_SEQUENCES.sub("", raw[:20_000])
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\n\t\r")
    if controls > 0.01 * len(sample):
        raise BadInput("This looks like binary data, not article text; paste the article's text or a link.")
    text = normalise(raw)
    validate(text, max_chars)
    return text


def strip_controls(text: str) -> str:
    """``text`` without terminal escape sequences and control characters; tabs and newlines are kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _VERTICAL_BREAK.search(text):
        text = text.translate(_VERTICAL_BREAKS)
    return _CONTROLS.sub("", _ESCAPE_SEQUENCES.sub("", text))


def normalise(text: str) -> str:
    """NFC, Unix line endings, no controls, no trailing spaces, at most one blank line between paragraphs."""
    text = strip_controls(unicodedata.normalize("NFC", text))
    text = text.replace("\u00a0", " ").replace("\ufeff", "")
    text += "\n"
    # Each sub only when it has something to do: a long paste has a space every few characters, and the
    # pattern tries a match at each (a substring test is one fast scan).
    if " \n" in text or "\t\n" in text:
        text = _TRAILING_SPACE.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip()


def validate(text: str, max_chars: int) -> None:
    """Refuse input no newsroom would call an article, each with a sentence saying what to do."""
    if not text.strip():
        raise BadInput("There is no text to triage: the input is empty or only whitespace.")
    if len(text) > max_chars:
        raise BadInput(
            f"The text is {len(text):,} characters (about {count_words(text):,} words); factdesk reads at most "
            f"{max_chars:,} characters at once, so paste one article at a time."
        )
    if not _WORD.search(text):
        raise BadInput("There are no words in this input to triage.")


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def count_words(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def guess_title(text: str) -> str:
    """The first line when it reads like a headline, otherwise the start of the first sentence."""
    first = text.split("\n", 1)[0].strip()
    if 0 < count_words(first) <= 20 and not first.endswith((".", "”", '"')):
        return first
    return first if len(first) <= 90 else first[:87].rsplit(" ", 1)[0] + "…"
