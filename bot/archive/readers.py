"""Stream the records of an import source without holding it in memory.

A reader yields `(where, value)` pairs: `where` names the record's position for error sentences ("record 7",
"line 12", "row 3"), `value` is the parsed JSON value or CSV row. Big JSON is parsed incrementally (ijson),
so a 1 GB ClaimReview feed costs the memory of one element at a time.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import ijson

from bot.config import Settings
from bot.errors import BadInput

Located = tuple[str, Any]

# Where the elements of the known list shapes sit; everything else at the root is small and built whole.
_STREAMED = frozenset({"item", "@graph.item", "dataFeedElement.item", "claims.item"})
_LD_JSON = re.compile(
    r"<script[^>]*type\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script\s*>", re.I | re.S
)
_CSV_COLUMNS = ("claim", "rating", "url", "publisher", "date", "language", "title")


class UnreadableSource(BadInput):
    """The source as a whole cannot be read (not JSON, broken mid-way, no url column): nothing is imported."""


def read_source(source: str, settings: Settings) -> Iterator[Located]:
    if source.lower().startswith(("http://", "https://")):
        yield from _read_page(source, settings)
        return
    path = Path(source)
    if not path.is_file():
        raise BadInput(
            f"There is no file at {source}; give a ClaimReview JSON, JSON lines or CSV file, or a URL."
        )
    with path.open("rb") as handle:
        head = handle.read(65536)
        handle.seek(0)
        kind = _sniff(path, head)
        if kind == "html":
            yield from _scripts(handle.read().decode("utf-8", errors="replace"))
        elif kind == "jsonl":
            yield from _read_lines(handle)
        elif kind == "json":
            yield from _read_json(handle)
        else:
            yield from _read_csv(handle)


def _sniff(path: Path, head: bytes) -> str:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    suffix = path.suffix.lower()
    if start == b"<":
        return "html"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if start == b"[" or (start == b"{" and suffix in (".json", ".jsonld")):
        return "json"
    if start == b"{":
        first, _, rest = head.lstrip(b"\xef\xbb\xbf \t\r\n").partition(b"\n")
        try:
            json.loads(first)
        except ValueError:
            return "json"  # an object spread over lines
        return "jsonl" if rest.strip() else "json"
    if suffix == ".csv" or b"," in head.split(b"\n", 1)[0]:
        return "csv"
    raise UnreadableSource(
        f"{path.name} is neither ClaimReview JSON, JSON lines, CSV nor an HTML page; nothing was imported."
    )


def _read_json(handle: IO[bytes]) -> Iterator[Located]:
    """One pass over the parser's events: list elements at the known places are built and yielded one at a
    time; the root object (those lists left empty) is yielded too when nothing was streamed out of it, or
    when it is itself a ClaimReview."""
    root = ijson.ObjectBuilder()
    element: ijson.ObjectBuilder | None = None
    depth = count = 0
    try:
        for prefix, event, value in ijson.parse(handle, use_float=True):
            if element is not None:
                element.event(event, value)
                if event in ("start_map", "start_array"):
                    depth += 1
                elif event in ("end_map", "end_array"):
                    depth -= 1
                if depth == 0:
                    count += 1
                    yield f"record {count}", element.value
                    element = None
            elif prefix in _STREAMED and event in ("start_map", "start_array"):
                element, depth = ijson.ObjectBuilder(), 1
                element.event(event, value)
            elif prefix in _STREAMED and event not in ("end_array", "end_map", "map_key"):
                count += 1  # a bare value where a record should be
                yield f"record {count}", value
            else:
                root.event(event, value)
    except ijson.JSONError as exc:
        raise UnreadableSource(
            f"The JSON breaks after record {count} ({str(exc).splitlines()[0][:120]}); nothing was imported."
        ) from exc
    except UnicodeDecodeError as exc:
        raise UnreadableSource("The JSON is not UTF-8 text; nothing was imported.") from exc
    value = getattr(root, "value", None)
    if isinstance(value, dict) and (count == 0 or "claimReviewed" in value):
        yield f"record {count + 1}", value


def _read_lines(handle: IO[bytes]) -> Iterator[Located]:
    for number, raw in enumerate(handle, 1):
        if not raw.strip():
            continue
        try:
            yield f"line {number}", json.loads(raw)
        except UnicodeDecodeError:
            yield f"line {number}", Unreadable("is not UTF-8 text")
        except ValueError as exc:
            yield f"line {number}", Unreadable(f"is not valid JSON ({str(exc).split(':')[0]})")


class Unreadable:
    """A record whose bytes could not be parsed; the importer reports `reason` for it."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _read_csv(handle: IO[bytes]) -> Iterator[Located]:
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="surrogateescape", newline="")
    reader = csv.reader(text)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise UnreadableSource("The CSV file is empty; nothing was imported.") from None
    missing = [c for c in ("claim", "url") if c not in header]
    if missing:
        raise UnreadableSource(
            f"The CSV has no {' or '.join(missing)} column (expected columns: {', '.join(_CSV_COLUMNS)}); "
            "nothing was imported."
        )
    for number, row in enumerate(reader, 1):
        if not any(cell.strip() for cell in row):
            continue
        if any("\udc80" <= ch <= "\udcff" for cell in row for ch in cell):
            yield f"row {number}", Unreadable("is not UTF-8 text; save the file as UTF-8")
        elif len(row) != len(header):
            yield f"row {number}", Unreadable(f"has {len(row)} cells where the header has {len(header)}")
        else:
            yield f"row {number}", dict(zip(header, row, strict=True))


def _read_page(url: str, settings: Settings) -> Iterator[Located]:
    from bot.links.fetch import fetch_page

    page = fetch_page(url, settings)
    found = list(_scripts(page.content))
    if not found:
        raise UnreadableSource(
            f"The page at {page.final_url} has no ClaimReview JSON-LD; nothing was imported."
        )
    yield from found


def _scripts(document: str) -> Iterator[Located]:
    for number, match in enumerate(_LD_JSON.finditer(document), 1):
        body = html.unescape(match.group(1)).strip() if "&quot;" in match.group(1) else match.group(1).strip()
        try:
            yield f"script {number}", json.loads(body)
        except ValueError as exc:
            yield f"script {number}", Unreadable(f"is not valid JSON-LD ({str(exc).split(':')[0]})")
