"""The versioned prompt: system instructions for fact-checkers plus the template that wraps each chunk.

The prompt lives in `prompts/<version>.md` so editors can read it and a change of wording is a new
version, which also changes the cache key. The article is fenced by a boundary derived from the chunk's
own hash, so text inside the article cannot forge the closing line.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

PROMPT_VERSION = "v2"
_USER_MARKER = "<!-- user -->"


@dataclass(frozen=True)
class Prompt:
    version: str
    system: str
    user_template: str

    def user_message(self, chunk: str, part: int, parts: int) -> str:
        nonce = hashlib.sha256(chunk.encode()).hexdigest()[:16]
        boundary = f"===== ARTICLE {nonce} ====="
        filled = self.user_template.replace("{part}", str(part)).replace("{parts}", str(parts))
        return filled.replace("{boundary}", boundary).replace("{article}", chunk)


@lru_cache(maxsize=4)
def load_prompt(version: str = PROMPT_VERSION) -> Prompt:
    text = files("bot.extract.llm").joinpath("prompts", f"{version}.md").read_text(encoding="utf-8")
    system, marker, user = text.partition(_USER_MARKER)
    if not marker:
        raise ValueError(f"prompt {version} has no '{_USER_MARKER}' section")
    return Prompt(version=version, system=system.strip(), user_template=user.strip())
