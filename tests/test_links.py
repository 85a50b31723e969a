"""Reading pasted links over loopback: real news pages, redirects, limits, charsets, walls and failures."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator

import pytest
from pages_server import (
    ACCENTED_PARAGRAPHS,
    CYRILLIC_PARAGRAPHS,
    PAGES_DIR,
    SYNTHETIC_PARAGRAPHS,
    SYNTHETIC_TITLE,
    PagesServer,
    ground_truth,
    page_ids,
)

from bot.config import Settings
from bot.errors import LinkError
from bot.links import FetchedArticle, canonical_key, fetch_article, find_url
from bot.links.fetch import decode_body

SETTINGS = Settings(allow_private_urls=True)
WORD = re.compile(r"\w+")


@pytest.fixture(scope="module")
def server() -> Iterator[PagesServer]:
    with PagesServer() as running:
        yield running


def refusal(url: str, settings: Settings = SETTINGS) -> str:
    """The sentence a link is refused with; checks it is one plain sentence."""
    with pytest.raises(LinkError) as caught:
        fetch_article(url, settings)
    sentence = caught.value.sentence
    assert sentence.endswith(".") and "\n" not in sentence and "Traceback" not in sentence
    return sentence


def overlap(expected: str, actual: str) -> float:
    """Share of the expected text's words that were extracted (bag of words)."""
    wanted, got = WORD.findall(expected.lower()), set(WORD.findall(actual.lower()))
    return sum(word in got for word in wanted) / len(wanted)


# finding links in messages


@pytest.mark.parametrize(
    ("message", "url"),
    [
        ("please check <https://example.com/a?b=1&amp;c=2|this story>", "https://example.com/a?b=1&c=2"),
        ("<https://news.example.org/2024/05/x>", "https://news.example.org/2024/05/x"),
        ("see https://example.com/story.", "https://example.com/story"),
        (
            "(via https://en.wikipedia.org/wiki/Pier_(architecture))",
            "https://en.wikipedia.org/wiki/Pier_(architecture)",
        ),
        ("two: http://first.example/a and <https://second.example/b>", "http://first.example/a"),
        (
            "<@U123> <#C42|desk> <https://second.example/b|b> then https://third.example",
            "https://second.example/b",
        ),
        ("HTTPS://Example.com/Up", "HTTPS://Example.com/Up"),
    ],
)
def test_find_url_returns_the_first_link_in_any_chat_form(message: str, url: str) -> None:
    assert find_url(message) == url


@pytest.mark.parametrize(
    "message",
    ["no link here", "<mailto:desk@example.com|desk>", "ftp://example.com/file", "<@U123> hello", ""],
)
def test_find_url_ignores_messages_without_web_links(message: str) -> None:
    assert find_url(message) is None


# one key per article


@pytest.mark.parametrize(
    "variant",
    [
        "https://www.example.com/news/pier-closure",
        "http://example.com/news/pier-closure/",
        "https://EXAMPLE.com:443/news/pier-closure#comments",
        "https://example.com/news/pier-closure?utm_source=twitter&utm_medium=social&fbclid=abc&gclid=x",
        "https://example.com/news/pier-closure/amp",
        "https://example.com/news/amp/pier-closure",
        "https://example.com/news/pier-closure?amp=1",
        "https://example.com/news/pier-closure.amp",
        "https://amp.example.com/news/pier-closure",
        "https://www.google.com/amp/s/example.com/news/pier-closure",
        "https://example-com.cdn.ampproject.org/c/s/example.com/news/pier-closure",
    ],
)
def test_canonical_key_gives_tracking_and_amp_variants_one_key(variant: str) -> None:
    assert canonical_key(variant) == "https://example.com/news/pier-closure"


def test_canonical_key_keeps_what_identifies_a_different_article() -> None:
    keys = {
        canonical_key("https://example.com/news?id=1"),
        canonical_key("https://example.com/news?id=2"),
        canonical_key("https://other.example.com/news?id=1"),
        canonical_key("https://example.com:8443/news?id=1"),
    }
    assert len(keys) == 4
    assert canonical_key("https://example.com/a?b=2&a=1") == canonical_key("https://example.com/a?a=1&b=2")


# real pages


@pytest.mark.parametrize("route", ["article", "article-br"])
def test_real_news_pages_come_back_with_text_and_metadata(server: PagesServer, route: str) -> None:
    if not PAGES_DIR.is_dir():
        pytest.skip(f"shared article pages not found at {PAGES_DIR} (set FACTDESK_SHARED_DIR)")
    truth = ground_truth()
    page_id = page_ids()[1]
    url = server.url(f"/{route}/{page_id}")
    article = fetch_article(url, SETTINGS)
    assert isinstance(article, FetchedArticle)
    assert article.url == article.final_url == url
    assert overlap(truth[page_id], article.text) > 0.9
    assert "\n\n" in article.text and "\n\n\n" not in article.text
    assert article.title and article.site
    assert article.published is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", article.published)
    assert article.canonical_url and article.canonical_url.startswith("https://")


def test_requests_look_like_a_browser_and_accept_compression(server: PagesServer) -> None:
    fetch_article(server.url("/synthetic"), SETTINGS)
    headers = server.requests[-1].headers
    assert headers["User-Agent"].startswith("Mozilla/5.0")
    assert headers["Accept-Language"]
    assert {"gzip", "br"} <= {part.strip() for part in headers["Accept-Encoding"].split(",")}


def test_synthetic_article_keeps_paragraphs_and_metadata(server: PagesServer) -> None:
    article = fetch_article(server.url("/synthetic"), SETTINGS)
    assert article.text.split("\n\n") == [SYNTHETIC_TITLE, *SYNTHETIC_PARAGRAPHS]  # the headline is kept
    assert article.title == SYNTHETIC_TITLE
    assert article.byline == "Dana Whitlock"
    assert article.published == "2024-03-05"
    assert article.site == "Harbour Gazette"
    assert article.language == "en"


def test_plain_text_links_are_articles_too(server: PagesServer) -> None:
    article = fetch_article(server.url("/plain"), SETTINGS)
    assert article.title == SYNTHETIC_TITLE
    assert article.text.split("\n\n") == list(SYNTHETIC_PARAGRAPHS)
    assert article.site == "127.0.0.1"


def test_amp_pages_name_the_main_article_and_share_its_key(server: PagesServer) -> None:
    article = fetch_article(server.url("/amp"), SETTINGS)
    assert article.canonical_url == server.url("/news/pier-closure")
    assert canonical_key(server.url("/news/pier-closure/amp?utm_source=x")) == canonical_key(
        article.canonical_url
    )


# redirects


def test_redirect_chains_of_five_are_followed(server: PagesServer) -> None:
    article = fetch_article(server.url("/redirect/5/synthetic"), SETTINGS)
    assert article.final_url == server.url("/synthetic")
    assert article.url == server.url("/redirect/5/synthetic")


def test_a_sixth_redirect_and_loops_are_refused(server: PagesServer) -> None:
    assert "more than 5 times" in refusal(server.url("/redirect/6/synthetic"))
    assert "more than 5 times" in refusal(server.url("/loop"))


# limits


def test_a_server_that_never_answers_times_out(server: PagesServer) -> None:
    started = time.monotonic()
    sentence = refusal(
        server.url("/slow-headers?seconds=3"), SETTINGS.model_copy(update={"fetch_timeout": 0.3})
    )
    assert "did not answer within 0.3 seconds" in sentence
    assert time.monotonic() - started < 2


def test_a_server_dripping_bytes_is_cut_off_by_the_overall_deadline(server: PagesServer) -> None:
    started = time.monotonic()
    sentence = refusal(server.url("/drip"), SETTINGS.model_copy(update={"fetch_timeout": 0.3}))
    assert "too slowly" in sentence
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("path", ["/huge?declared=1", "/huge", "/gzip-bomb"])
def test_pages_over_the_size_cap_are_refused(server: PagesServer, path: str) -> None:
    sentence = refusal(server.url(path), SETTINGS.model_copy(update={"fetch_max_bytes": 1_000_000}))
    assert sentence == "That page is larger than 1 MB, too big to read; paste the text."


# charsets


def test_a_page_labelled_utf8_but_sent_as_windows_1252_is_decoded(server: PagesServer) -> None:
    article = fetch_article(server.url("/cp1252-labelled-utf8"), SETTINGS)
    assert article.text.split("\n\n")[1:] == list(ACCENTED_PARAGRAPHS)
    assert article.title == "Saint-Étienne-du-Pré ferme son marché"
    assert article.language == "fr"


def test_a_charset_declared_only_in_the_page_is_honoured(server: PagesServer) -> None:
    article = fetch_article(server.url("/cp1251-meta"), SETTINGS)
    assert article.text.split("\n\n")[1:] == list(CYRILLIC_PARAGRAPHS)
    assert article.title == "Мост закрыт на ремонт"


def test_unlabelled_non_utf8_text_is_detected(server: PagesServer) -> None:
    article = fetch_article(server.url("/unlabelled-latin"), SETTINGS)
    assert "Saint-Étienne-du-Pré" in article.text and "préfecture" in article.text


def test_valid_utf8_wins_over_a_wrong_label() -> None:
    assert decode_body("naïve café".encode(), "iso-8859-1") == "naïve café"
    assert decode_body("café".encode("cp1252"), "iso-8859-1") == "café"
    assert decode_body(b"\xef\xbb\xbfhello", None) == "hello"


# what cannot be read


@pytest.mark.parametrize("path", ["/pdf", "/pdf-unlabelled"])
def test_pdfs_are_refused_with_paste_the_text(server: PagesServer, path: str) -> None:
    assert refusal(server.url(path)) == "That link is a PDF, which I cannot read; paste the text."


def test_non_article_files_are_refused(server: PagesServer) -> None:
    assert "image/png" in refusal(server.url("/image"))


@pytest.mark.parametrize("path", ["/paywall", "/paywall-teaser", "/consent"])
def test_walls_and_teasers_ask_for_the_text(server: PagesServer, path: str) -> None:
    sentence = refusal(server.url(path))
    match = re.fullmatch(r"I could only read (\d+) words; paste the article text\.", sentence)
    assert match, sentence
    assert int(match.group(1)) < SETTINGS.min_article_words * 4


def test_the_word_floor_comes_from_settings(server: PagesServer) -> None:
    relaxed = SETTINGS.model_copy(update={"min_article_words": 10})
    assert SYNTHETIC_PARAGRAPHS[0] in fetch_article(server.url("/paywall"), relaxed).text


@pytest.mark.parametrize(
    ("status", "fragment"),
    [
        (401, "HTTP 401"),
        (403, "may need a login"),
        (404, "does not exist"),
        (410, "HTTP 410"),
        (429, "try again later"),
        (500, "server error"),
        (503, "HTTP 503"),
        (418, "HTTP 418"),
    ],
)
def test_http_errors_are_one_sentence(server: PagesServer, status: int, fragment: str) -> None:
    assert fragment in refusal(server.url(f"/status/{status}"))


def test_a_dropped_connection_is_retried_once(server: PagesServer) -> None:
    key = f"flaky-{time.monotonic_ns()}"
    article = fetch_article(server.url(f"/flaky?key={key}"), SETTINGS)
    assert article.title == SYNTHETIC_TITLE
    assert server.paths().count(f"/flaky?key={key}") == 2


def test_a_connection_that_always_drops_is_one_sentence(server: PagesServer) -> None:
    before = server.paths().count("/dead")
    assert "broke off" in refusal(server.url("/dead"))
    assert server.paths().count("/dead") - before == 2


def test_a_closed_port_is_one_sentence() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert "could not connect to 127.0.0.1" in refusal(f"http://127.0.0.1:{port}/story")


@pytest.mark.parametrize("url", ["not a link", "www.example.com/story", "http://", "https://exa mple.com/"])
def test_malformed_links_are_one_sentence(url: str) -> None:
    refusal(url)
