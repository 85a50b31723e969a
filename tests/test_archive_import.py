"""`archive import` on every published shape, idempotent by review URL, with bad records named by position."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.archive.importer import import_archive
from bot.archive.readers import UnreadableSource
from bot.config import Settings
from bot.errors import LinkError
from storage import archive

MOON = {
    "@type": "ClaimReview",
    "url": "https://fc.example/moon",
    "claimReviewed": "The moon landing was filmed in a studio",
    "reviewRating": {"@type": "Rating", "alternateName": "False", "ratingValue": 1},
    "author": {"@type": "Organization", "name": "Snopes"},
    "datePublished": "2020-03-01T10:00:00Z",
    "inLanguage": "en",
}
MASTS = {
    "@type": "ClaimReview",
    "url": "https://fc.example/masts",
    "claimReviewed": "5G masts spread the coronavirus",
    "reviewRating": {"@type": "Rating", "name": "Pants on Fire"},
    "author": {"@type": "Organization", "name": "Full Fact"},
    "datePublished": "2020-04-02",
}
SHAPES = {
    "single.json": {"@context": "https://schema.org", **MOON},
    "list.json": [MOON, MASTS],
    "graph.jsonld": {"@context": "https://schema.org", "@graph": [MOON, MASTS]},
    "feed.json": {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [
            {"@type": "DataFeedItem", "item": [MOON]},
            {"@type": "DataFeedItem", "item": [MASTS]},
        ],
    },
    "google.json": {
        "claims": [
            {
                "text": "5G masts spread the coronavirus",
                "claimant": "social media",
                "claimReview": [
                    {
                        "publisher": {"name": "Full Fact", "site": "fullfact.org"},
                        "url": "https://fc.example/masts",
                        "title": "No, 5G does not spread the virus",
                        "reviewDate": "2020-04-02T00:00:00Z",
                        "textualRating": "Pants on Fire",
                        "languageCode": "en",
                    }
                ],
            }
        ],
        "nextPageToken": "abc",
    },
}


def _settings() -> Settings:
    return Settings(database_url="sqlite://")


def _import(tmp_path: Path, sessions: Callable[[], Session], name: str, body: str | bytes, source: str = "t"):
    path = tmp_path / name
    path.write_bytes(body if isinstance(body, bytes) else body.encode())
    return import_archive(str(path), source, sessions, _settings())


def _stored(db: Session) -> dict[str, archive.ArchivedFactCheck]:
    return {row.review_url: row for row in archive.index_rows(db)}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_every_json_shape_imports_its_reviews(name, tmp_path, session_factory, db) -> None:
    result = _import(tmp_path, session_factory, name, json.dumps(SHAPES[name]))
    assert result.problems == []
    rows = _stored(db)
    expected = {"single.json": 1, "list.json": 2, "graph.jsonld": 2, "feed.json": 2, "google.json": 1}[name]
    assert result.stored == len(rows) == expected
    masts = rows.get("https://fc.example/masts")
    if masts is not None:
        assert masts.claim == "5G masts spread the coronavirus"
        assert masts.rating == "Pants on Fire" and masts.publisher == "Full Fact"
        assert str(masts.published) == "2020-04-02"
        # float16 claim vector, then the title's when the review has one
        assert masts.vector is None or len(masts.vector) == 384 * 2 * (2 if masts.title else 1)


def test_json_lines_and_csv_import_flat_rows(tmp_path, session_factory, db) -> None:
    lines = (
        json.dumps(MOON)
        + "\n"
        + json.dumps({"claim": "Bananas are berries", "url": "https://fc.example/b", "rating": "True"})
        + "\n"
    )
    assert _import(tmp_path, session_factory, "a.jsonl", lines).stored == 2
    csv_text = "claim,rating,url,publisher,date,language\nTea cures colds,False,https://fc.example/tea,AFP,2021-01-05,en\n"
    assert _import(tmp_path, session_factory, "b.csv", csv_text).stored == 1
    rows = _stored(db)
    assert (
        rows["https://fc.example/tea"].publisher == "AFP"
        and str(rows["https://fc.example/tea"].published) == "2021-01-05"
    )
    assert rows["https://fc.example/b"].rating == "True"


def test_reimport_updates_and_never_duplicates(tmp_path, session_factory, db) -> None:
    _import(tmp_path, session_factory, "feed.json", json.dumps(SHAPES["feed.json"]))
    changed = [{**MOON, "reviewRating": {"alternateName": "Mostly false"}}, MASTS]
    _import(tmp_path, session_factory, "again.json", json.dumps(changed))
    rows = _stored(db)
    assert len(rows) == 2 and rows["https://fc.example/moon"].rating == "Mostly false"


def test_bad_records_are_named_by_position_and_the_rest_is_kept(tmp_path, session_factory, db) -> None:
    records = [
        MOON,
        {"@type": "ClaimReview", "url": "https://fc.example/empty"},
        42,
        {"@type": "ClaimReview", "claimReviewed": "no address"},
        {"@type": "NewsArticle", "headline": "not a fact-check"},
        {**MASTS, "url": "https://fc.example/moon"},
        {**MASTS, "claimReviewed": {"oops": True}},
    ]
    result = _import(tmp_path, session_factory, "bad.json", json.dumps(records))
    assert result.stored == 1
    assert result.problems == [
        "record 2 has no claim text (claimReviewed is missing or empty).",
        "record 3 is a JSON int, not an object describing a fact-check.",
        "record 4 has no review url, which the archive needs to tell fact-checks apart.",
        "record 5 is a NewsArticle, not a ClaimReview.",
        "record 6 repeats the review url of record 1; the later one is kept.",
        "record 7 has no claim text (claimReviewed is missing or empty).",
    ]
    assert _stored(db)["https://fc.example/moon"].claim == MASTS["claimReviewed"]


def test_non_utf8_csv_rows_and_broken_json_lines_are_reported(tmp_path, session_factory) -> None:
    body = b"claim,url\nGood one,https://fc.example/g\n" + "Caf\xe9 claim,https://fc.example/c\n".encode(
        "latin-1"
    )
    result = _import(tmp_path, session_factory, "x.csv", body)
    assert result.stored == 1 and result.problems == ["row 2 is not UTF-8 text; save the file as UTF-8."]
    result = _import(
        tmp_path, session_factory, "y.jsonl", '{"claim": "a", "url": "https://fc.example/a"}\n{"claim": \n'
    )
    assert result.stored == 1 and result.problems[0].startswith("line 2 is not valid JSON")


def test_a_source_broken_midway_imports_nothing(tmp_path, session_factory, db) -> None:
    good = json.dumps(SHAPES["feed.json"])
    with pytest.raises(UnreadableSource, match=r"breaks after record \d+ .*nothing was imported"):
        _import(tmp_path, session_factory, "cut.json", good[:-3])
    assert _stored(db) == {}
    with pytest.raises(UnreadableSource, match="no url column"):
        _import(tmp_path, session_factory, "c.csv", "claim,link\na,b\n")


def test_page_with_embedded_claimreview_is_read(tmp_path, session_factory, db) -> None:
    page = f"""<html><head><script type="application/ld+json">{json.dumps(MOON)}</script>
    <script type='application/ld+json'>{{"@type": "Organization", "name": "x"}}</script></head><body>x</body></html>"""
    result = _import(tmp_path, session_factory, "page.html", page)
    assert result.stored == 1
    assert result.problems == ["script 2 is a Organization, not a ClaimReview."]


def test_import_and_remove_by_source(tmp_path, session_factory, db) -> None:
    _import(tmp_path, session_factory, "a.json", json.dumps([MOON]), source="a")
    _import(tmp_path, session_factory, "b.json", json.dumps([MASTS]), source="b")
    assert {s.source: s.records for s in archive.stats(db)} == {"a": 1, "b": 1}
    archive.remove_source(db, "a")
    assert set(_stored(db)) == {"https://fc.example/masts"}


def test_text_only_import_gets_its_vectors_later(tmp_path, session_factory, db) -> None:
    from bot.archive.manage import embed_missing

    path = tmp_path / "list.json"
    path.write_text(json.dumps([MOON, MASTS]))
    assert import_archive(str(path), "t", session_factory, _settings(), embed=False).stored == 2
    assert [s.without_vector for s in archive.stats(db)] == [2]
    assert embed_missing(session_factory) == 2
    assert [s.without_vector for s in archive.stats(db)] == [0]
    assert all(len(row.vector or b"") == 384 * 2 for row in archive.index_rows(db))


class _ReviewPage(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = (
            f'<html><head><script type="application/ld+json">{json.dumps(MASTS)}</script></head>'
            "<body><p>Our fact-check.</p></body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_fact_check_page_url_is_fetched_safely(session_factory, db) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ReviewPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/fact-check/masts"
    try:
        with pytest.raises(LinkError):  # the link fetcher's rules: loopback is refused in production
            import_archive(url, "web", session_factory, Settings(database_url="sqlite://"))
        result = import_archive(
            url, "web", session_factory, Settings(database_url="sqlite://", allow_private_urls=True)
        )
    finally:
        server.shutdown()
    assert result.stored == 1 and result.problems == []
    assert [row.review_url for row in archive.index_rows(db)] == ["https://fc.example/masts"]
