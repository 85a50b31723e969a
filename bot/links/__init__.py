"""Pasted links: find them in messages, fetch them safely, and read the article out of the page."""

from __future__ import annotations

from bot.config import Settings, get_settings
from bot.links.extract import FetchedArticle, extract_article
from bot.links.fetch import fetch_page
from bot.links.urls import canonical_key, find_url

__all__ = ["FetchedArticle", "canonical_key", "fetch_article", "find_url"]


def fetch_article(url: str, settings: Settings | None = None) -> FetchedArticle:
    """Fetch ``url`` and extract its article; every failure is a :class:`bot.errors.LinkError` sentence."""
    settings = settings or get_settings()
    page = fetch_page(url, settings)
    return extract_article(page, min_words=settings.min_article_words)
