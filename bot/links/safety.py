"""Which link targets the bot may fetch: a pasted URL must never reach the newsroom's own network.

Checks happen twice: on the URL of every hop (scheme, credentials, literal addresses) and at connect time,
where the host is resolved once, every address is checked, and the socket is opened to exactly the checked
address, so a DNS answer that changes between check and connect (rebinding) cannot slip through.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

import httpcore
import httpx

from bot.errors import LinkError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

ALLOWED_SCHEMES = frozenset({"http", "https"})

# Cloud instance-metadata endpoints (AWS/GCP/Azure/OpenStack, AWS IPv6, Alibaba, AWS ECS task metadata).
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200", "169.254.170.2", "169.254.169.253")
)

# NAT64 (RFC 6052) embeds an IPv4 address in the low 32 bits; judge the embedded address.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class UnsafeDestination(LinkError):
    """The link (or a redirect it leads to) points at an address the bot must not contact."""


def _embedded_ipv4(address: IPAddress) -> IPAddress:
    """Unwrap IPv4 addresses hidden in IPv6 forms, which would otherwise dodge the IPv4 rules."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address in _NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if address.sixtofour is not None:
            return address.sixtofour
    return address


def refusal_reason(address: IPAddress, *, allow_private: bool) -> str | None:
    """Why ``address`` must not be contacted, as a phrase, or None when it is a public address.

    ``allow_private`` (tests only) admits loopback and private ranges; metadata, link-local, multicast and
    unspecified addresses stay refused because no test or production page legitimately lives there.
    """
    address = _embedded_ipv4(address)
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_loopback:
        return None if allow_private else "this machine (loopback)"
    if not address.is_global:
        return None if allow_private else "a private network address"
    return None


def system_resolver(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to, in the order the system prefers them."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise LinkError(f"I could not find the site {host}; check the link.") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _parse_address(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def check_url(url: httpx.URL, *, allow_private: bool) -> None:
    """Refuse a URL by its shape alone: scheme, embedded credentials, missing host, literal unsafe address."""
    if url.scheme not in ALLOWED_SCHEMES:
        raise UnsafeDestination(
            f"I only open http and https links, not {url.scheme or 'this kind of'} links."
        )
    if url.userinfo:
        raise UnsafeDestination("I do not open links that contain a username or password.")
    if not url.host:
        raise UnsafeDestination("That link has no site name in it; check the link.")
    literal = _parse_address(url.host)
    if literal is not None:
        reason = refusal_reason(literal, allow_private=allow_private)
        if reason:
            raise UnsafeDestination(f"I do not open links that point to {reason}.")


def vetted_addresses(host: str, port: int, *, allow_private: bool, resolver: Resolver) -> list[str]:
    """Resolve ``host`` once and return its addresses, refusing the host if any of them is unsafe.

    Refusing on any bad address (not just skipping it) stops a name that mixes public and internal answers
    from being used to probe the internal one.
    """
    literal = _parse_address(host)
    addresses = [str(literal)] if literal is not None else resolver(host, port)
    if not addresses:
        raise LinkError(f"I could not find the site {host}; check the link.")
    for text in addresses:
        address = _parse_address(text)
        if address is None:
            reason: str | None = "an address I cannot read"
        else:
            reason = refusal_reason(address, allow_private=allow_private)
        if reason:
            raise UnsafeDestination(f"I do not open links that point to {reason} ({host}).")
    return addresses


@dataclass(frozen=True)
class GuardedBackend(httpcore.SyncBackend):
    """httpcore network backend that resolves, checks, and connects to the checked address only.

    With a ``deadline`` (a ``time.monotonic()`` value) every connect, TLS handshake, read and write waits at
    most until then, so one deadline covers a whole fetch however slowly the server drips its bytes."""

    allow_private: bool
    resolver: Resolver | None = None  # None: the system resolver, looked up per call
    deadline: float | None = None

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        resolver = self.resolver or system_resolver
        addresses = vetted_addresses(host, port, allow_private=self.allow_private, resolver=resolver)
        last_error: Exception | None = None
        for address in addresses:
            try:
                stream = super().connect_tcp(
                    address,
                    port,
                    _within(self.deadline, timeout, httpcore.ConnectTimeout),
                    local_address,
                    socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
                continue
            return stream if self.deadline is None else _DeadlineStream(stream, self.deadline)
        assert last_error is not None
        raise last_error


def _within(deadline: float | None, timeout: float | None, error: type[Exception]) -> float | None:
    """``timeout`` shortened to what is left before ``deadline``; ``error`` once nothing is left."""
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the time allowed for this link ran out")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every operation ends by the fetch's deadline."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: float) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _within(self._deadline, timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _within(self._deadline, timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        tls = self._stream.start_tls(
            ssl_context, server_hostname, _within(self._deadline, timeout, httpcore.ConnectTimeout)
        )
        return _DeadlineStream(tls, self._deadline)

    def get_extra_info(self, info: str) -> object:
        return self._stream.get_extra_info(info)


@lru_cache(maxsize=1)
def _ssl_context() -> ssl.SSLContext:
    """Loading the CA bundle costs ~25 ms, more than reading a page over a fast link; do it once."""
    return httpx.create_ssl_context(trust_env=False)


class GuardedTransport(httpx.HTTPTransport):
    """httpx transport whose every TCP connection goes through :class:`GuardedBackend`, never a proxy.

    httpx has no public hook for the network backend, so the pool built by the parent is replaced with an
    identical one that uses ours (pinned by ``httpx<0.29`` in pyproject).
    """

    def __init__(
        self, *, allow_private: bool, resolver: Resolver | None = None, deadline: float | None = None
    ) -> None:
        ssl_context = _ssl_context()
        super().__init__(verify=ssl_context, trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=4,
            max_keepalive_connections=4,
            network_backend=GuardedBackend(allow_private=allow_private, resolver=resolver, deadline=deadline),
        )
