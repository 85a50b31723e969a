"""Extractors: turn article text into claims, attributions and name issues."""

from bot.extract import pattern_cache

pattern_cache.load()  # before any rule module compiles its patterns
