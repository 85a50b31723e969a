"""Text sizing shared by the chat renderers: Slack sections and Discord embeds both cap their characters."""

from __future__ import annotations

from collections.abc import Iterable

from bot.render.clip import clip


def pack_lines(lines: Iterable[str], limit: int) -> list[str]:
    """Join lines into as few chunks of at most `limit` characters as fit, breaking only between lines."""
    chunks: list[str] = []
    current = ""
    for raw in lines:
        line = clip(raw, limit)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks
