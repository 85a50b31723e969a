"""Where finished LLM extractions are kept, so a repeated paste costs no model call.

Keys combine the article's sha256, the model and the prompt version; values are the grounded
`Extraction` as JSON. Storage can supply a persistent implementation of `LLMCache`.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Protocol


class LLMCache(Protocol):
    def get(self, key: str) -> str | None: ...

    def put(self, key: str, value: str) -> None: ...


def cache_key(text: str, model: str, prompt_version: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return f"{digest}:{model}:{prompt_version}"


class MemoryLLMCache:
    """Process-local LRU cache: the default when no persistent cache is wired in."""

    def __init__(self, max_entries: int = 256) -> None:
        self._entries: OrderedDict[str, str] = OrderedDict()
        self._max_entries = max_entries
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: str, value: str) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
