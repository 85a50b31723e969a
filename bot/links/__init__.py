"""Pasted links: find them in messages, fetch them safely, and read the article out of the page.

The fetcher and the main-text extractor (httpx, trafilatura) load on the first fetch, not on import: finding
a link in a message, or triaging pasted text, must not pay for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.links.urls import canonical_key, find_url

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.links.extract import FetchedArticle

__all__ = ["FetchedArticle", "canonical_key", "fetch_article", "find_url"]


def fetch_article(url: str, settings: Settings | None = None) -> FetchedArticle:
    """Fetch ``url`` and extract its article; every failure is a :class:`bot.errors.LinkError` sentence."""
    from bot.config import get_settings
    from bot.links.extract import extract_article
    from bot.links.fetch import fetch_page

    settings = settings or get_settings()
    page = fetch_page(url, settings)
    return extract_article(page, min_words=settings.min_article_words)


def __getattr__(name: str) -> Any:
    if name == "FetchedArticle":
        from bot.links.extract import FetchedArticle

        return FetchedArticle
    raise AttributeError(name)
