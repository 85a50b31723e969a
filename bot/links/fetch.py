"""Download one pasted link as a decoded page, hop by hop, within time and size limits.

Redirects are followed here rather than by httpx so every hop's URL is checked before it is requested;
every connection is checked again at connect time by :class:`~bot.links.safety.GuardedTransport`.
"""

from __future__ import annotations

import codecs
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import charset_normalizer
import httpx

from bot.config import Settings
from bot.errors import LinkError
from bot.links.decoding import decoded_pieces
from bot.links.safety import GuardedTransport, Resolver, check_url
from bot.text.normalize import BYTE_ORDER_MARKS

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

BROWSER_HEADERS = {
    "User-Agent": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Safari/537.36"
    ),
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
    "Accept-Language": "en-GB,en;q=0.9",
    "Accept-Encoding": "gzip, deflate, br, zstd",
}

PageKind = Literal["html", "text"]

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_UNLABELLED_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream", "application/unknown"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Browsers read these labels as windows-1252 (WHATWG Encoding), and so do real pages that declare them.
_WHATWG_ALIASES = {"latin_1": "cp1252", "ascii": "cp1252"}
_RETRIED_ERRORS = (httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError)


@dataclass(frozen=True)
class Page:
    """A downloaded page: where it ended up, what it is, and its text decoded to ``str``."""

    requested_url: str
    final_url: str
    kind: PageKind
    content: str
    content_language: str | None = None


@dataclass(frozen=True)
class _Redirect:
    location: httpx.URL


def fetch_page(url: str, settings: Settings, *, resolver: Resolver | None = None) -> Page:
    """Fetch ``url`` following at most five checked redirects; every failure is a :class:`LinkError`.

    ``fetch_timeout`` bounds the whole fetch (connects, headers and bodies of every hop): the transport
    cuts off a server that drips headers or body a byte at a time, which no per-read timeout would."""
    current = _parse(url)
    deadline = time.monotonic() + settings.fetch_timeout
    transport = GuardedTransport(
        allow_private=settings.allow_private_urls, resolver=resolver, deadline=deadline
    )
    with httpx.Client(
        transport=transport,
        headers=BROWSER_HEADERS,
        timeout=httpx.Timeout(settings.fetch_timeout),
        follow_redirects=False,
        trust_env=False,
    ) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            check_url(current, allow_private=settings.allow_private_urls)
            outcome = _fetch_hop_with_retry(client, current, settings)
            if isinstance(outcome, Page):
                return Page(url, outcome.final_url, outcome.kind, outcome.content, outcome.content_language)
            current = outcome.location
    raise LinkError(f"That link redirects more than {MAX_REDIRECTS} times; paste the final address instead.")


def _parse(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise LinkError("That does not look like a valid web link.") from exc
    if not parsed.is_absolute_url:
        raise LinkError("That does not look like a full web link; it should start with https://.")
    return parsed


def _fetch_hop_with_retry(client: httpx.Client, url: httpx.URL, settings: Settings) -> Page | _Redirect:
    try:
        return _fetch_hop(client, url, settings)
    except _RETRIED_ERRORS:
        pass
    except httpx.HTTPError as exc:
        raise _sentence_for(exc, url, settings) from exc
    try:
        return _fetch_hop(client, url, settings)
    except httpx.HTTPError as exc:
        raise _sentence_for(exc, url, settings) from exc


def _fetch_hop(client: httpx.Client, url: httpx.URL, settings: Settings) -> Page | _Redirect:
    with client.stream("GET", url) as response:
        if response.status_code in REDIRECT_STATUSES:
            return _redirect_target(response, url)
        _raise_for_status(response.status_code, url)
        media_type, charset = _content_type(response.headers.get("content-type", ""))
        _refuse_unreadable_type(media_type)
        body = _read_capped(response, settings.fetch_max_bytes, url)
    kind = _page_kind(media_type, body)
    return Page(
        requested_url=str(url),
        final_url=str(url),
        kind=kind,
        content=decode_body(body, charset),
        content_language=response.headers.get("content-language"),
    )


def _redirect_target(response: httpx.Response, url: httpx.URL) -> _Redirect:
    location = response.headers.get("location")
    if not location:
        raise LinkError(f"{url.host} sent a redirect without saying where to; check the link.")
    try:
        return _Redirect(url.join(location.strip()))
    except (httpx.InvalidURL, ValueError) as exc:
        raise LinkError(f"{url.host} redirected to an address that is not a valid link.") from exc


def _raise_for_status(status: int, url: httpx.URL) -> None:
    if status < 400:
        return
    host = url.host
    if status in (401, 403, 407):
        raise LinkError(
            f"{host} refused to share that page (HTTP {status}); it may need a login, so paste the article text."
        )
    if status in (404, 410):
        raise LinkError(f"That page does not exist on {host} (HTTP {status}); check the link.")
    if status == 451:
        raise LinkError(
            f"{host} says that page is unavailable for legal reasons (HTTP 451); paste the article text."
        )
    if status == 429:
        raise LinkError(
            f"{host} is limiting how often we can read it (HTTP 429); try again later or paste the text."
        )
    if status >= 500:
        raise LinkError(
            f"{host} had a server error (HTTP {status}); try again later or paste the article text."
        )
    raise LinkError(
        f"{host} would not return that page (HTTP {status}); check the link or paste the article text."
    )


def _content_type(header: str) -> tuple[str, str | None]:
    media_type, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media_type.strip().lower(), charset


def _refuse_unreadable_type(media_type: str) -> None:
    if media_type == "application/pdf":
        raise LinkError("That link is a PDF, which I cannot read; paste the text.")
    if media_type in _HTML_TYPES or media_type == "text/plain" or media_type in _UNLABELLED_TYPES:
        return
    raise LinkError(f"That link leads to a {media_type} file, not an article; paste the article text.")


def _read_capped(response: httpx.Response, max_bytes: int, url: httpx.URL) -> bytes:
    """Read and decode the body without ever holding more than ``max_bytes`` plus one decoded piece.

    The cap holds on the raw bytes too, so a stream that decodes to nothing cannot run on for ever."""
    too_big = LinkError(
        f"That page is larger than {max_bytes // 1_000_000 or 1} MB, too big to read; paste the text."
    )
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_big
    received = 0

    def raw() -> Iterator[bytes]:
        nonlocal received
        for chunk in response.iter_raw():
            received += len(chunk)
            if received > max_bytes:
                raise too_big
            yield chunk

    chunks: list[bytes] = []
    size = 0
    try:
        for piece in decoded_pieces(raw(), response.headers.get("content-encoding", "")):
            size += len(piece)
            if size > max_bytes:
                raise too_big
            chunks.append(piece)
    except httpx.TimeoutException as exc:
        raise LinkError(
            f"{url.host} is sending that page too slowly; try again later or paste the text."
        ) from exc
    return b"".join(chunks)


def _page_kind(media_type: str, body: bytes) -> PageKind:
    head = body[:1024].lstrip().lower()
    if body.startswith(b"%PDF-"):
        raise LinkError("That link is a PDF, which I cannot read; paste the text.")
    if media_type in _HTML_TYPES:
        return "html"
    if media_type == "text/plain":
        return "text"
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in head:
        return "html"
    if b"\x00" in body[:4096]:
        raise LinkError("That link leads to a file that is not an article; paste the article text.")
    return "text"


def decode_body(body: bytes, declared_charset: str | None) -> str:
    """Decode a page the way a browser would, trusting bytes over labels when the label is wrong.

    Valid UTF-8 is taken as UTF-8 whatever the label says (other encodings almost never validate as UTF-8);
    then the HTTP charset, then the page's ``<meta charset>``, and charset-normalizer's guess as last resort.
    """
    for bom, codec in BYTE_ORDER_MARKS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    meta = _META_CHARSET.search(body[:4096])
    labels = [declared_charset, meta.group(1).decode("ascii", "ignore") if meta else None]
    for label in labels:
        codec = _codec_name(label)
        if codec is None or codec == "utf-8":
            continue
        try:
            return body.decode(codec)
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(body).best()
    if best is not None:
        return str(best)
    return body.decode("utf-8", errors="replace")


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    return _WHATWG_ALIASES.get(name, name)


def _sentence_for(exc: httpx.HTTPError, url: httpx.URL, settings: Settings) -> LinkError:
    host = url.host
    seconds = f"{settings.fetch_timeout:g} second{'' if settings.fetch_timeout == 1 else 's'}"
    if isinstance(exc, httpx.TimeoutException):
        return LinkError(
            f"{host} did not answer within {seconds}; try again later or paste the article text."
        )
    if isinstance(exc, httpx.ConnectError):
        if "CERTIFICATE" in str(exc).upper() or "SSL" in str(exc).upper():
            return LinkError(f"I could not open a secure connection to {host}; its certificate is not valid.")
        return LinkError(f"I could not connect to {host}; the site may be down, so try again later.")
    if isinstance(exc, httpx.DecodingError):
        return LinkError(f"{host} sent a page I could not decompress; paste the article text.")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return LinkError("That does not look like a valid web link.")
    if isinstance(exc, httpx.ReadError | httpx.RemoteProtocolError):
        return LinkError(f"The connection to {host} broke off; try again later or paste the article text.")
    return LinkError(f"I could not fetch that page from {host}; try again later or paste the article text.")
