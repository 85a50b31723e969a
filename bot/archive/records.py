"""One fact-check as the archive keeps it, read from the shapes it is published in.

Each reader hands over plain dicts; `to_fact_check` turns one into a `FactCheck` or raises `BadRecord` with
the reason in one sentence (the importer adds the position).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from pydantic import BaseModel, Field

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class BadRecord(Exception):
    """A record that cannot be imported; the message is the reason, completing "record N …"."""


class FactCheck(BaseModel):
    url: str = Field(max_length=2000)
    claim: str
    rating: str | None = None
    publisher: str | None = None
    published: date | None = None
    language: str | None = None
    title: str | None = None


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type", [])
    return {str(k).rsplit("/", 1)[-1] for k in (kind if isinstance(kind, list) else [kind])}


def _text(value: Any, *keys: str) -> str | None:
    """A string, or the first string under `keys` of a dict (or of a list's first dict)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        for key in keys:
            found = _text(value.get(key))
            if found:
                return found
        return None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = " ".join(str(value).split())
        return text or None
    return None


def _date(value: Any) -> date | None:
    text = _text(value)
    match = _DATE.match(text or "")
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _short(value: str | None, limit: int) -> str | None:
    return value[:limit] if value else value


def _finish(
    url: Any, claim: Any, rating: Any, publisher: Any, published: Any, language: Any, title: Any
) -> FactCheck:
    url_text = _text(url)
    claim_text = _text(claim)
    if not url_text:
        raise BadRecord("has no review url, which the archive needs to tell fact-checks apart")
    if not url_text.lower().startswith(("http://", "https://")):
        raise BadRecord(f"has a review url that is not a web address ({url_text[:60]!r})")
    if len(url_text) > 2000:
        raise BadRecord("has a review url longer than 2,000 characters")
    if not claim_text:
        raise BadRecord("has no claim text (claimReviewed is missing or empty)")
    return FactCheck(
        url=url_text,
        claim=claim_text,
        rating=_short(rating, 200),
        publisher=_short(publisher, 200),
        published=_date(published),
        language=_short(language, 16),
        title=title,
    )


def from_claim_review(review: dict[str, Any]) -> FactCheck:
    """schema.org ClaimReview: the claim, the review's URL, its rating, who published it and when."""
    rating = review.get("reviewRating")
    rating_text = _text(rating, "alternateName", "name", "ratingValue") if isinstance(rating, dict) else None
    item = review.get("itemReviewed")
    return _finish(
        review.get("url") or review.get("@id"),
        review.get("claimReviewed") or (_text(item, "text", "name") if isinstance(item, dict) else None),
        rating_text,
        _text(review.get("author"), "name", "alternateName") or _text(review.get("publisher"), "name"),
        review.get("datePublished"),
        _text(review.get("inLanguage"), "alternateName", "name"),
        _text(review.get("headline")) or _text(review.get("name")),
    )


def from_google_claim(claim: dict[str, Any]) -> Iterator[FactCheck]:
    """One claim of a Fact Check Tools `claims:search` response: each of its reviews is one record."""
    reviews = claim.get("claimReview")
    if not isinstance(reviews, list) or not reviews:
        raise BadRecord("is a claims:search claim without any claimReview")
    for review in reviews:
        if not isinstance(review, dict):
            raise BadRecord("has a claimReview that is not an object")
        yield _finish(
            review.get("url"),
            claim.get("text"),
            review.get("textualRating"),
            _text(review.get("publisher"), "name", "site"),
            review.get("reviewDate") or claim.get("claimDate"),
            review.get("languageCode"),
            review.get("title"),
        )


def from_row(row: dict[str, Any]) -> FactCheck:
    """A flat row (CSV or JSON lines): claim, rating, url, publisher, date, language, optional title."""
    return _finish(
        row.get("url"),
        row.get("claim"),
        _text(row.get("rating")),
        _text(row.get("publisher")),
        row.get("date"),
        _text(row.get("language")),
        _text(row.get("title")),
    )


def fact_checks_in(obj: Any) -> Iterator[FactCheck]:
    """Every fact-check in one JSON value: a ClaimReview, a DataFeed or its items, an @graph, a list of any
    of these, a claims:search response or claim, or a flat row."""
    if isinstance(obj, list):
        for element in obj:
            yield from fact_checks_in(element)
        return
    if not isinstance(obj, dict):
        raise BadRecord(f"is a JSON {type(obj).__name__}, not an object describing a fact-check")
    types = _types(obj)
    if "ClaimReview" in types:
        yield from_claim_review(obj)
    elif "@graph" in obj:
        yield from _nested(obj["@graph"], "@graph")
    elif "dataFeedElement" in obj:
        yield from _nested(obj["dataFeedElement"], "dataFeedElement")
    elif "DataFeedItem" in types or ("item" in obj and not types - {"DataFeedItem"}):
        yield from _nested(obj.get("item"), "item")
    elif "claims" in obj and isinstance(obj["claims"], list):
        for claim in obj["claims"]:
            yield from fact_checks_in(claim)
    elif "claimReview" in obj:
        yield from from_google_claim(obj)
    elif "claim" in obj or "url" in obj:
        yield from_row(obj)
    elif types:
        raise BadRecord(f"is a {'/'.join(sorted(types))}, not a ClaimReview")
    else:
        raise BadRecord("is an object with no ClaimReview, claim or url in it")


def _nested(value: Any, key: str) -> Iterator[FactCheck]:
    if value is None:
        raise BadRecord(f"has an empty {key}")
    yield from fact_checks_in(value if isinstance(value, list) else [value])
