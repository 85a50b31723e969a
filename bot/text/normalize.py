"""Turning raw input into article text: decoding, validation, normalisation and its fingerprint.

The sha256 is taken over the normalised text so that the same article pasted twice (different line
endings, trailing spaces, Unicode forms) is recognised as one triage.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from charset_normalizer import from_bytes

from bot.errors import BadInput

_WORD = re.compile(r"\w+(?:[’'.\-]\w+)*")
# Among equally plausible single-byte encodings, Western newsrooms' files are far most often Windows-1252.
_PREFERRED_ENCODINGS = ("cp1252", "iso8859_15", "latin_1")
_BLANK_RUNS = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


def decode(data: bytes) -> str:
    """Decode bytes from a file or stdin; binary data gets a sentence, not mojibake."""
    if not data.strip():
        raise BadInput("There is no text to triage: the input is empty.")
    if b"\x00" in data[:8192]:
        raise BadInput("This looks like a binary file, not article text; paste the article's text or a link.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        matches = from_bytes(data)
        best = matches.best()
        if best is None:
            raise BadInput(
                "This is not readable text in any encoding I know; save it as UTF-8 text or paste it."
            ) from None
        ties = {m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)}
        encoding = next((e for e in _PREFERRED_ENCODINGS if e in ties), best.encoding)
        return data.decode(encoding, errors="replace")


def normalise(text: str) -> str:
    """NFC, Unix line endings, no trailing spaces, at most one blank line between paragraphs."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\ufeff", "")
    text = _TRAILING_SPACE.sub("\n", text + "\n")
    return _BLANK_RUNS.sub("\n\n", text).strip()


def validate(text: str, max_chars: int) -> None:
    """Refuse input no newsroom would call an article, each with a sentence saying what to do."""
    if not text.strip():
        raise BadInput("There is no text to triage: the input is empty or only whitespace.")
    if len(text) > max_chars:
        raise BadInput(
            f"The text is {len(text):,} characters (about {count_words(text):,} words); factdesk reads at most "
            f"{max_chars:,} characters at once, so paste one article at a time."
        )
    controls = sum(1 for c in text[:20_000] if unicodedata.category(c) == "Cc" and c not in "\n\t")
    if controls > 0.01 * min(len(text), 20_000):
        raise BadInput("This looks like binary data, not article text; paste the article's text or a link.")
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
