"""Finding a link in a chat message, and one key per article however its URL was dressed up."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

# Slack wraps links as <https://…|label> or <https://…>; Discord uses <https://…> to suppress embeds.
_BRACKETED = re.compile(r"<(https?://[^>|\s]+)(?:\|[^>]*)?>", re.IGNORECASE)
_BARE = re.compile(r"\bhttps?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,;:!?'\"*_~"
_CLOSERS = {")": "(", "]": "[", "}": "{"}

_TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
        "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "ocid", "cmpid", "smid", "smtyp", "ito", "ref_src",
        "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee", "s_cid",
        "amp", "outputtype",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_")
_AMP_CACHE_HOSTS = re.compile(r"(^|\.)cdn\.ampproject\.org$")
_AMP_SEGMENT = re.compile(r"/amp(?=/|$)", re.IGNORECASE)
_AMP_SUFFIX = re.compile(r"\.amp(?=\.html?$|$)", re.IGNORECASE)


def find_url(message: str) -> str | None:
    """The first http(s) link in a chat message (Slack/Discord ``<…>`` forms or bare), or None."""
    found: list[tuple[int, str]] = []
    bracketed = _BRACKETED.search(message)
    if bracketed:
        found.append((bracketed.start(), html.unescape(bracketed.group(1))))
    bare = _BARE.search(_BRACKETED.sub(lambda m: " " * len(m.group(0)), message))
    if bare:
        found.append((bare.start(), _trim_bare(html.unescape(bare.group(0)))))
    if not found:
        return None
    return min(found)[1]


def _trim_bare(url: str) -> str:
    """Drop sentence punctuation after a bare link, keeping balanced brackets (Wikipedia-style paths)."""
    while url:
        last = url[-1]
        if last in _TRAILING_PUNCTUATION or (
            last in _CLOSERS and url.count(_CLOSERS[last]) < url.count(last)
        ):
            url = url[:-1]
        else:
            break
    return url


def canonical_key(url: str) -> str:
    """A normalised form of ``url`` so one article pasted under different URLs is triaged once.

    Lowercases scheme and host, treats http and https and ``www.`` as the same site, drops default ports,
    fragments, tracking parameters, trailing slashes and AMP variants (``amp.`` hosts, ``/amp`` paths,
    ``?amp=1``, ``.amp.html``, Google AMP cache URLs), and sorts the remaining query parameters.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    path = parts.path
    if _AMP_CACHE_HOSTS.search(host) or (
        host.startswith(("google.", "www.google.")) and path.startswith("/amp/")
    ):
        return canonical_key(_unwrap_amp_cache(path))
    for prefix in ("www.", "amp.", "m."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = quote(unquote(path), safe="/:@!$&'()*+,;=-._~%")
    path = _AMP_SUFFIX.sub("", _AMP_SEGMENT.sub("", path, count=1))
    path = path.rstrip("/") or "/"
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name.lower() not in _TRACKING_PARAMS and not name.lower().startswith(_TRACKING_PREFIXES)
    )
    return urlunsplit(("https", netloc, path, urlencode(query), ""))


def _unwrap_amp_cache(path: str) -> str:
    """Turn ``/amp/s/example.com/x`` or ``/c/s/example.com/x`` (AMP caches) back into the publisher URL."""
    segments = path.lstrip("/").split("/")
    if segments and segments[0] in ("amp", "c", "v", "i"):
        segments = segments[1:]
    secure = bool(segments) and segments[0] == "s"
    if secure:
        segments = segments[1:]
    return ("https://" if secure else "http://") + "/".join(segments)
