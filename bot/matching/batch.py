"""The batch interface benchmarks and tools depend on: JSON lines {"id", "text"} in, one line per input out,
in order, {"id", "matches": [{"url", "score", "claim", "rating", "source"}, ...]} best first."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from bot.errors import BadInput
from bot.matching.index import ArchiveIndex

CHUNK = 64  # queries encoded together: faster than one at a time, and output still streams


def match_lines(index: ArchiveIndex, lines: Iterable[str], top: int) -> Iterator[str]:
    pending: list[tuple[object, str]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            query = json.loads(line)
        except ValueError:
            raise BadInput(
                f'Line {number} of the input is not JSON; each line must be {{"id": …, "text": …}}.'
            ) from None
        if not isinstance(query, dict) or not isinstance(query.get("text"), str) or "id" not in query:
            raise BadInput(f'Line {number} of the input needs an "id" and a "text" string.')
        pending.append((query["id"], query["text"]))
        if len(pending) >= CHUNK:
            yield from _answer(index, pending, top)
            pending = []
    yield from _answer(index, pending, top)


def _answer(index: ArchiveIndex, pending: list[tuple[object, str]], top: int) -> Iterator[str]:
    if not pending:
        return
    results = index.match_many([text for _, text in pending], top)
    for (query_id, _), matches in zip(pending, results, strict=True):
        yield json.dumps({"id": query_id, "matches": [m.as_json() for m in matches]}, ensure_ascii=False)
