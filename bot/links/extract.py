"""Turn a downloaded page into the article: title, byline, date, site, language and paragraphed main text.

trafilatura finds the main text (it leads the public article-extraction benchmark); this module adds what a
triage needs on top: paragraphs kept apart by blank lines so quotes and offsets survive, the canonical URL
so AMP and tracking variants are one article, and a refusal when a wall hid the article.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import trafilatura
from lxml.html import HtmlElement
from pydantic import BaseModel, Field
from trafilatura.settings import Document

from bot.errors import LinkError
from bot.links.fetch import Page

_PAYWALL_PHRASES = (
    "subscribe to continue",
    "subscribe to read",
    "subscribe now to read",
    "to continue reading",
    "already a subscriber",
    "already have an account",
    "for subscribers only",
    "exclusive to subscribers",
    "this article is for subscribers",
    "sign in to continue",
    "log in to continue",
    "create a free account to",
    "reached your limit",
    "free articles remaining",
    "become a member to read",
)
_CONSENT_PHRASES = (
    "we use cookies",
    "use of cookies",
    "we and our partners",
    "cookie policy",
    "cookie settings",
    "accept all",
    "reject all",
    "manage your privacy",
    "privacy settings",
    "manage preferences",
    "your consent",
    "legitimate interest",
)
# Chinese and Japanese write words without spaces; about two characters make a word.
_UNSPACED_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CHARS_PER_UNSPACED_WORD = 2
_CONSENT_HOST = re.compile(r"^(consent|guce|privacy|cmp)\.")
# A teaser ending in a subscribe prompt, or a consent notice, is a wall below this many article words.
_WALL_WORD_FACTOR = 4
_TAIL_CHARS = 600
_TITLE_MAX_CHARS = 200


class FetchedArticle(BaseModel):
    """What a pasted link turned into; ``text`` keeps paragraphs apart with blank lines."""

    url: str = Field(description="The link as pasted.")
    final_url: str = Field(description="Where the redirects ended.")
    canonical_url: str | None = Field(
        None, description="The page's own canonical address, when it names one."
    )
    title: str | None = None
    byline: str | None = None
    published: str | None = Field(None, description="ISO date (YYYY-MM-DD) when the page states one.")
    site: str = Field(description="The publication's name, or its host name.")
    text: str = Field(description="Main article text, paragraphs separated by a blank line.")
    language: str | None = Field(None, description="Primary language subtag, e.g. 'en'.")


def extract_article(page: Page, *, min_words: int) -> FetchedArticle:
    """Read the article out of ``page``, refusing with a sentence when too little of it is there."""
    article = _from_html(page, min_words=min_words) if page.kind == "html" else _from_text(page)
    _refuse_walls(article, min_words=min_words)
    return article


def _from_html(page: Page, *, min_words: int) -> FetchedArticle:
    tree = trafilatura.load_html(page.content)
    if tree is None:
        raise LinkError("That page has no readable content; paste the article text.")
    canonical = _canonical_url(tree, page.final_url)
    language = _primary_language(tree.get("lang") or tree.get("xml:lang") or page.content_language)
    metadata, text = _main_text(tree, page.final_url, min_words=min_words)
    return FetchedArticle(
        url=page.requested_url,
        final_url=page.final_url,
        canonical_url=canonical,
        title=(metadata.title if metadata else None) or _title_element(tree),
        byline=(metadata.author if metadata else None) or None,
        published=(metadata.date if metadata else None) or None,
        site=(metadata.sitename if metadata else None) or _host_name(page.final_url),
        text=text,
        language=language or _primary_language(metadata.language if metadata else None),
    )


def _main_text(tree: HtmlElement, url: str, *, min_words: int) -> tuple[Document | None, str]:
    """Precision first, since boilerplate read as article becomes bogus claims; balanced if that is too short.

    On the article-extraction benchmark this beats balanced trafilatura alone on F1 (bench/links.py).
    bare_extraction copies the tree it is given, so ``tree`` can be read again.
    """
    precise = trafilatura.bare_extraction(
        tree, url=url, include_comments=False, favor_precision=True, with_metadata=True
    )
    text = _paragraphs(precise.text or "") if precise else ""
    if count_words(text) >= min_words:
        return precise, text
    balanced = trafilatura.bare_extraction(
        tree, url=url, include_comments=False, with_metadata=precise is None
    )
    balanced_text = _paragraphs(balanced.text or "") if balanced else ""
    if count_words(balanced_text) > count_words(text):
        text = balanced_text
    return precise or balanced, text


def _from_text(page: Page) -> FetchedArticle:
    blocks = [b for b in re.split(r"\n\s*\n", page.content.replace("\r\n", "\n")) if b.strip()]
    if len(blocks) <= 1:
        blocks = page.content.splitlines()
    paragraphs = [" ".join(block.split()) for block in blocks if block.strip()]
    title = paragraphs[0] if len(paragraphs) > 1 and len(paragraphs[0]) <= _TITLE_MAX_CHARS else None
    return FetchedArticle(
        url=page.requested_url,
        final_url=page.final_url,
        title=title,
        site=_host_name(page.final_url),
        text="\n\n".join(paragraphs[1:] if title else paragraphs),
        language=_primary_language(page.content_language),
    )


def _paragraphs(text: str) -> str:
    """trafilatura puts one block (paragraph, heading, list item) per line; separate them by a blank line."""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def _canonical_url(tree: HtmlElement, base_url: str) -> str | None:
    """The page's ``rel=canonical`` (else ``og:url``), absolute; AMP pages point it at the main article."""
    candidates = [
        link.get("href")
        for link in tree.iterfind(".//link[@rel]")
        if "canonical" in (link.get("rel") or "").lower().split()
    ]
    candidates += [meta.get("content") for meta in tree.iterfind(".//meta[@property='og:url']")]
    for candidate in candidates:
        if not candidate or not candidate.strip():
            continue
        absolute = urljoin(base_url, candidate.strip())
        if urlsplit(absolute).scheme in ("http", "https") and urlsplit(absolute).hostname:
            return absolute
    return None


def _title_element(tree: HtmlElement) -> str | None:
    title = tree.findtext(".//title")
    return " ".join(title.split()) if title else None


def _primary_language(tag: str | None) -> str | None:
    if not tag:
        return None
    primary = re.split(r"[-_,;\s]", tag.strip(), maxsplit=1)[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def _host_name(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def count_words(text: str) -> int:
    """Words as a reader would count them, including in scripts written without spaces."""
    unspaced = len(_UNSPACED_SCRIPT.findall(text))
    spaced = len(_UNSPACED_SCRIPT.sub(" ", text).split())
    return spaced + unspaced // _CHARS_PER_UNSPACED_WORD


def _refuse_walls(article: FetchedArticle, *, min_words: int) -> None:
    words = count_words(article.text)
    if words < min_words or (words < min_words * _WALL_WORD_FACTOR and _looks_walled(article)):
        raise LinkError(f"I could only read {words} words; paste the article text.")


def _looks_walled(article: FetchedArticle) -> bool:
    """A subscribe prompt at the end of the text, or a consent notice instead of an article."""
    if _CONSENT_HOST.match(_host_name(article.final_url)):
        return True
    tail = article.text[-_TAIL_CHARS:].lower()
    if any(phrase in tail for phrase in _PAYWALL_PHRASES):
        return True
    lowered = article.text.lower()
    return sum(phrase in lowered for phrase in _CONSENT_PHRASES) >= 2
