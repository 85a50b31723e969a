"""LLM-backed extraction through any OpenAI-compatible endpoint, grounded in the article text."""

from __future__ import annotations

from bot.extract.llm.cache import LLMCache, MemoryLLMCache
from bot.extract.llm.extractor import LLMCallRecord, LLMExtractor, LLMUnavailable

__all__ = ["LLMCache", "LLMCallRecord", "LLMExtractor", "LLMUnavailable", "MemoryLLMCache"]
