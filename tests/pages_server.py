"""A loopback web server for link tests and the link benchmark.

It serves the 181 real news pages of the article-extraction benchmark (``/article/<id>``, gzip passed
through as stored, or brotli), plus the awkward cases a newsroom link meets: redirect chains and loops,
redirects to loopback and cloud metadata, slow and huge responses, headers dripped a byte at a time,
compression bombs in every content coding, mislabelled charsets, PDFs, paywall and consent stubs, plain text,
AMP pages, HTTP errors and a connection that drops once.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import socket
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import brotli
import zstandard


def shared_dir() -> Path:
    """The read-only shared data folder: ``FACTDESK_SHARED_DIR`` or the repo's sibling ``shared``."""
    configured = os.environ.get("FACTDESK_SHARED_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parents[1] / ".." / "shared"


DATASET_DIR = shared_dir() / "datasets" / "article-extraction"
PAGES_DIR = DATASET_DIR / "html"


def page_ids() -> list[str]:
    return sorted(path.name.removesuffix(".html.gz") for path in PAGES_DIR.glob("*.html.gz"))


def ground_truth() -> dict[str, str]:
    """Page id -> the benchmark's hand-made article body."""
    items = json.loads((DATASET_DIR / "ground-truth.json").read_text(encoding="utf-8"))
    return {page_id: item["articleBody"] for page_id, item in items.items()}


# Invented copy for the synthetic pages (no real article text is stored in the project).
SYNTHETIC_PARAGRAPHS = (
    "The harbour authority of Port Verano said on Tuesday that it would close the north pier for repairs "
    "after inspectors found cracks in three of its supporting columns during a routine survey.",
    "According to a statement from the authority, the closure will last at least six weeks and ferries "
    "that normally dock at the pier will use the southern terminal until the work is finished.",
    "Local fishermen said the decision had come without warning. One captain, who asked not to be named, "
    "said about forty boats would need to find new moorings before the end of the month.",
    "The mayor, Elena Marsh, told reporters that the city had set aside 2.4 million euros for the repairs "
    "and that a second survey of the older east quay would be carried out in the spring.",
    "Officials did not say how long the cracks had been present, and the engineering firm that carried out "
    "the survey declined to comment when contacted on Wednesday afternoon.",
)
SYNTHETIC_TITLE = "Port Verano closes north pier after inspectors find cracks"
ACCENTED_PARAGRAPHS = (
    "Le maire de Saint-Étienne-du-Pré a annoncé mercredi la fermeture provisoire du vieux marché couvert, "
    "après la découverte de fissures dans la charpente lors d'une inspection de routine effectuée en été.",
    "Selon la préfecture, les travaux coûteront près de deux millions d'euros et dureront au moins huit mois; "
    "les commerçants seront accueillis sur la place de l'Église pendant toute la durée du chantier.",
    "« Nous n'avions pas le choix », a déclaré l'adjointe chargée de l'urbanisme, précisant que la sécurité "
    "des habitants passait avant tout et qu'une réunion publique aurait lieu à la mairie la semaine prochaine.",
)
CYRILLIC_PARAGRAPHS = (
    "Городская администрация Северогорска объявила во вторник о закрытии старого моста через реку на ремонт "
    "после того, как инженеры обнаружили трещины в трёх опорах во время плановой проверки.",
    "По словам представителя мэрии, ремонт продлится не менее шести недель, а автобусы будут следовать "
    "по объездному маршруту через новый мост до окончания всех работ на этом участке дороги.",
    "Местные жители заявили, что решение было принято без предупреждения и что многим придётся тратить "
    "на дорогу до работы почти на час больше каждый день в течение всего периода ремонта моста.",
)
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
HUGE_BYTES = 8_000_000
BOMB_BYTES = 256 * 1024 * 1024  # what each compression bomb decodes to: far past any cap or memory bound


def _compressed_zeros(compressor: Callable[[bytes], bytes], finish: Callable[[], bytes]) -> bytes:
    block = bytes(1024 * 1024)
    return b"".join(compressor(block) for _ in range(BOMB_BYTES // len(block))) + finish()


def _gzip_bomb() -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return _compressed_zeros(compressor.compress, compressor.flush)


def _deflate_bomb() -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS)
    return _compressed_zeros(compressor.compress, compressor.flush)


def _brotli_bomb() -> bytes:
    compressor = brotli.Compressor(quality=5, lgwin=24)
    return _compressed_zeros(compressor.process, compressor.finish)


def _zstd_bomb() -> bytes:
    compressor = zstandard.ZstdCompressor(level=3).compressobj()
    return _compressed_zeros(compressor.compress, compressor.flush)


# Content-Encoding -> the bomb's body; "br, gzip" is the brotli bomb gzipped again (codings stack).
BOMBS: dict[str, Callable[[], bytes]] = {
    "gzip": _gzip_bomb,
    "deflate": _deflate_bomb,
    "br": _brotli_bomb,
    "zstd": _zstd_bomb,
    "br, gzip": lambda: gzip.compress(bomb_body("br")),
}
_bomb_cache: dict[str, bytes] = {}
_bomb_lock = threading.RLock()


def bomb_body(coding: str) -> bytes:
    """Made on first use (a second or two each) and kept for the run."""
    with _bomb_lock:
        if coding not in _bomb_cache:
            _bomb_cache[coding] = BOMBS[coding]()
        return _bomb_cache[coding]


def article_html(
    paragraphs: tuple[str, ...] = SYNTHETIC_PARAGRAPHS,
    *,
    title: str = SYNTHETIC_TITLE,
    head: str = "",
    html_attrs: str = 'lang="en"',
    tail: str = "",
) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html {html_attrs}><head><title>{title} | Harbour Gazette</title>"
        f'<meta property="og:site_name" content="Harbour Gazette">'
        f'<meta name="author" content="Dana Whitlock"><meta property="article:published_time" '
        f'content="2024-03-05T09:30:00Z">{head}</head><body><nav><a href="/">Home</a> <a href="/news">News</a>'
        f"</nav><article><h1>{title}</h1>{body}{tail}</article><footer>© Harbour Gazette</footer></body></html>"
    )


PAYWALL_STUB = article_html(
    SYNTHETIC_PARAGRAPHS[:1],
    tail='<div class="paywall"><p>Subscribe to continue reading. Already a subscriber? Sign in.</p></div>',
)
PAYWALL_TEASER = article_html(
    SYNTHETIC_PARAGRAPHS[:3],
    tail="<p>This article is for subscribers only. Subscribe to continue reading for 1 euro a week.</p>",
)
CONSENT_WALL = (
    '<!DOCTYPE html><html lang="en"><head><title>Before you continue</title></head><body><div class="consent">'
    "<h1>We value your privacy</h1><p>We and our partners use cookies and similar technologies to store and "
    "access information on your device, to measure audiences and to personalise content and ads. With your "
    "consent we may use precise geolocation data. You can accept all, reject all, or manage preferences at any "
    "time in the privacy settings linked at the bottom of every page, where our cookie policy is explained.</p>"
    "<button>Accept all</button><button>Reject all</button></div></body></html>"
)
AMP_PAGE = article_html(head='<link rel="canonical" href="/news/pier-closure">', html_attrs='amp lang="en"')


@dataclass
class RecordedRequest:
    path: str
    headers: dict[str, str]


@dataclass
class PagesServer:
    """Run with ``with PagesServer() as server:``; ``server.url('/article/<id>')`` gives a loopback URL."""

    host: str = "127.0.0.1"
    requests: list[RecordedRequest] = field(default_factory=list)
    _attempts: Counter[str] = field(default_factory=Counter)

    def __enter__(self) -> PagesServer:
        handler = type("BoundHandler", (_Handler,), {"server_state": self})
        self._httpd = ThreadingHTTPServer((self.host, 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str, host: str | None = None) -> str:
        return f"http://{host or self.host}:{self.port}{path}"

    def paths(self) -> list[str]:
        return [request.path for request in self.requests]

    def first_attempt(self, key: str) -> bool:
        self._attempts[key] += 1
        return self._attempts[key] == 1


class _Handler(BaseHTTPRequestHandler):
    server_state: PagesServer

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        self.server_state.requests.append(RecordedRequest(self.path, dict(self.headers.items())))
        segments = parts.path.strip("/").split("/")
        route = getattr(self, f"route_{segments[0].replace('-', '_')}", None)
        if route is None:
            self.send_body(b"not here", "text/plain", status=404)
            return
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # clients that give up, on purpose
            route(segments[1:], query)

    def send_body(
        self,
        body: bytes,
        content_type: str,
        *,
        status: int = 200,
        encoding: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send_body(b"", "text/html", status=status, headers={"Location": location})

    # real pages
    def route_article(self, args: list[str], query: dict[str, str]) -> None:
        stored = (PAGES_DIR / f"{args[0]}.html.gz").read_bytes()
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            self.send_body(stored, "text/html; charset=utf-8", encoding="gzip")
        else:
            self.send_body(gzip.decompress(stored), "text/html; charset=utf-8")

    def route_article_br(self, args: list[str], query: dict[str, str]) -> None:
        html = gzip.decompress((PAGES_DIR / f"{args[0]}.html.gz").read_bytes())
        self.send_body(brotli.compress(html, quality=4), "text/html; charset=utf-8", encoding="br")

    # synthetic pages
    def route_synthetic(self, args: list[str], query: dict[str, str]) -> None:
        self.send_body(article_html().encode(), "text/html; charset=utf-8")

    def route_amp(self, args: list[str], query: dict[str, str]) -> None:
        self.send_body(AMP_PAGE.encode(), "text/html; charset=utf-8")

    def route_plain(self, args: list[str], query: dict[str, str]) -> None:
        text = SYNTHETIC_TITLE + "\n\n" + "\n\n".join(SYNTHETIC_PARAGRAPHS) + "\n"
        self.send_body(text.encode(), "text/plain; charset=utf-8")

    def route_plain_controls(self, args: list[str], query: dict[str, str]) -> None:
        """Plain text carrying terminal escapes (screen clear, colour, window title) and NUL bytes."""
        title = "\x1b]0;owned\x07\x1b[2J" + SYNTHETIC_TITLE + "\x1b[0m"
        body = "\n\n".join(p.replace("Tuesday", "Tues\x1b[31mday\x00") for p in SYNTHETIC_PARAGRAPHS)
        self.send_body(f"{title}\n\n{body}\n".encode(), "text/plain; charset=utf-8")

    def route_paywall(self, args: list[str], query: dict[str, str]) -> None:
        self.send_body(PAYWALL_STUB.encode(), "text/html; charset=utf-8")

    def route_paywall_teaser(self, args: list[str], query: dict[str, str]) -> None:
        self.send_body(PAYWALL_TEASER.encode(), "text/html; charset=utf-8")

    def route_consent(self, args: list[str], query: dict[str, str]) -> None:
        self.send_body(CONSENT_WALL.encode(), "text/html; charset=utf-8")

    def route_cp1252_labelled_utf8(self, args: list[str], query: dict[str, str]) -> None:
        html = article_html(
            ACCENTED_PARAGRAPHS, title="Saint-Étienne-du-Pré ferme son marché", html_attrs='lang="fr"'
        )
        self.send_body(html.encode("cp1252"), "text/html; charset=utf-8")

    def route_cp1251_meta(self, args: list[str], query: dict[str, str]) -> None:
        html = article_html(
            CYRILLIC_PARAGRAPHS,
            title="Мост закрыт на ремонт",
            head='<meta charset="windows-1251">',
            html_attrs='lang="ru"',
        )
        self.send_body(html.encode("cp1251"), "text/html")

    def route_unlabelled_latin(self, args: list[str], query: dict[str, str]) -> None:
        text = "\n\n".join(ACCENTED_PARAGRAPHS)
        self.send_body(text.encode("cp1252"), "application/octet-stream")

    def route_pdf(self, args: list[str], query: dict[str, str]) -> None:
        self.send_body(TINY_PDF, "application/pdf")

    def route_pdf_unlabelled(self, args: list[str], query: dict[str, str]) -> None:
        self.send_body(TINY_PDF, "application/octet-stream")

    def route_image(self, args: list[str], query: dict[str, str]) -> None:
        self.send_body(b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")

    def route_status(self, args: list[str], query: dict[str, str]) -> None:
        self.send_body(b"<html><body>error</body></html>", "text/html", status=int(args[0]))

    # redirects
    def route_redirect(self, args: list[str], query: dict[str, str]) -> None:
        """``/redirect/<n>/<rest>``: n hops, then ``/<rest>``."""
        hops, rest = int(args[0]), "/".join(args[1:])
        self.redirect(
            f"/redirect/{hops - 1}/{rest}" if hops > 1 else f"/{rest}", status=301 if hops % 2 else 302
        )

    def route_redirect_to(self, args: list[str], query: dict[str, str]) -> None:
        self.redirect(query["location"])

    def route_loop(self, args: list[str], query: dict[str, str]) -> None:
        self.redirect("/loop")

    # slow, huge, broken
    def route_slow_headers(self, args: list[str], query: dict[str, str]) -> None:
        time.sleep(float(query.get("seconds", "2")))
        self.send_body(article_html().encode(), "text/html; charset=utf-8")

    def route_drip(self, args: list[str], query: dict[str, str]) -> None:
        """Headers at once, then one byte every 50 ms: never silent long enough for a read timeout."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<html><body>")
        for _ in range(2000):
            self.wfile.write(b" ")
            self.wfile.flush()
            time.sleep(0.05)

    def route_huge(self, args: list[str], query: dict[str, str]) -> None:
        """8 MB of HTML, with Content-Length only when ``?declared=1`` (otherwise until close)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if query.get("declared") == "1":
            self.send_header("Content-Length", str(HUGE_BYTES))
        self.end_headers()
        chunk = b"<p>" + b"filler " * 1000 + b"</p>"
        sent = 0
        while sent < HUGE_BYTES:
            self.wfile.write(chunk)
            sent += len(chunk)

    def route_gzip_bomb(self, args: list[str], query: dict[str, str]) -> None:
        self.send_body(gzip.compress(b" " * HUGE_BYTES, compresslevel=9), "text/html", encoding="gzip")

    def route_bomb(self, args: list[str], query: dict[str, str]) -> None:
        """``/bomb?coding=br``: a few hundred bytes to a few hundred KB that decode to 256 MB of zeros."""
        coding = query.get("coding", "gzip")
        self.send_body(bomb_body(coding), "text/html", encoding=coding)

    def route_corrupt(self, args: list[str], query: dict[str, str]) -> None:
        """A body labelled with ``?coding=`` that is not in that coding at all."""
        self.send_body(b"this was never compressed " * 40, "text/html", encoding=query.get("coding", "gzip"))

    def route_drip_headers(self, args: list[str], query: dict[str, str]) -> None:
        """The status line at once, then a header one byte every 50 ms for 60 s: no read ever times out."""
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Drip: ")
        for _ in range(1200):
            self.wfile.write(b"a")
            self.wfile.flush()
            time.sleep(0.05)
        self.wfile.write(b"\r\nContent-Length: 0\r\n\r\n")

    def route_flaky(self, args: list[str], query: dict[str, str]) -> None:
        """Drops the connection without a response the first time each ``?key=`` is asked for."""
        if self.server_state.first_attempt(query.get("key", "")):
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_body(article_html().encode(), "text/html; charset=utf-8")

    def route_dead(self, args: list[str], query: dict[str, str]) -> None:
        """Drops the connection every time."""
        self.close_connection = True
        self.connection.shutdown(socket.SHUT_RDWR)
