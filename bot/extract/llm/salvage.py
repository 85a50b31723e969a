"""Keep what is usable of an over-long answer: the finished entries of one cut off at `max_tokens`, and
the first `maxItems` distinct entries of one a server let run past the schema's limits.

A small model at temperature 0 can repeat entries until the token cap; the entries it finished before
the cap are as good as any, so the answer is closed after the last complete entry instead of thrown away.
"""

from __future__ import annotations

import json
from typing import Any

from bot.extract.llm.schema import MAX_ATTRIBUTIONS, MAX_CLAIMS, MAX_NAMES

_LISTS = {"claims": MAX_CLAIMS, "attributions": MAX_ATTRIBUTIONS, "names": MAX_NAMES}


_SCORES = ("checkworthiness", "confidence")


def within_limits(answer: Any) -> Any:
    """The answer with repeated entries removed, each list cut to its `maxItems` and scores clamped to
    0..1 (servers enforce neither reliably; a score of -1.1 still says "low"); other shapes as given."""
    if not isinstance(answer, dict):
        return answer
    for name, limit in _LISTS.items():
        entries = answer.get(name)
        if isinstance(entries, list):
            distinct = {json.dumps(entry, sort_keys=True): entry for entry in entries}
            answer[name] = [_clamped(entry) for entry in list(distinct.values())[:limit]]
    return answer


def _clamped(entry: Any) -> Any:
    if isinstance(entry, dict):
        for score in _SCORES:
            value = entry.get(score)
            if isinstance(value, int | float) and not isinstance(value, bool):
                entry[score] = min(1.0, max(0.0, float(value)))
    return entry


def salvage_cut_off(content: str) -> str | None:
    """The answer closed after its last complete list entry, as JSON; None when nothing was finished."""
    stack: list[str] = []
    in_string = escaped = False
    last_entry_end = -1
    closers_then: list[str] = []
    for index, char in enumerate(content):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "{[":
            stack.append("}" if char == "{" else "]")
        elif char in "}]":
            if not stack or stack.pop() != char:
                return None
            if char == "}" and len(stack) == 2:  # an entry of one of the answer's lists closed
                last_entry_end = index + 1
                closers_then = list(reversed(stack))
    if last_entry_end < 0:
        return None
    try:
        answer = json.loads(content[:last_entry_end] + "".join(closers_then))
    except json.JSONDecodeError:
        return None
    if not isinstance(answer, dict):
        return None
    for name in _LISTS:
        answer.setdefault(name, [])
    return json.dumps(within_limits(answer))
