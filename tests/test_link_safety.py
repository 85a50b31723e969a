"""SSRF protection: what a pasted link may reach, on every redirect hop and at the address actually connected to."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator

import httpx
import pytest
from pages_server import PagesServer

from bot.config import Settings, get_settings
from bot.errors import LinkError
from bot.links import fetch_article, safety
from bot.links.safety import UnsafeDestination, check_url, refusal_reason, system_resolver, vetted_addresses

PRIVATE = Settings(allow_private_urls=True)
PRODUCTION = Settings(allow_private_urls=False)
STAND_IN_PUBLIC = "127.0.0.2"  # a loopback address these tests treat as a public web server


@pytest.fixture
def server() -> Iterator[PagesServer]:
    with PagesServer() as running:
        yield running


@pytest.fixture
def public_stand_in(monkeypatch: pytest.MonkeyPatch) -> Iterator[PagesServer]:
    """A server on 127.0.0.2 that the address policy treats as public, so production rules can be exercised."""
    real_reason = safety.refusal_reason

    def reason(address: safety.IPAddress, *, allow_private: bool) -> str | None:
        if str(address) == STAND_IN_PUBLIC:
            return None
        return real_reason(address, allow_private=allow_private)

    monkeypatch.setattr(safety, "refusal_reason", reason)
    try:
        running = PagesServer(host=STAND_IN_PUBLIC).__enter__()
    except OSError:
        pytest.skip("127.0.0.2 is not routable on this machine")
    yield running
    running.__exit__(None, None, None)


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "127.8.8.8", "::1", "10.1.2.3", "172.16.0.1", "192.168.1.10", "100.64.0.1", "fd12:3456::1",
     "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::1"],
)  # fmt: skip
def test_loopback_and_private_addresses_are_refused_unless_tests_allow_them(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert refusal_reason(ip, allow_private=False)
    assert refusal_reason(ip, allow_private=True) is None


@pytest.mark.parametrize(
    "address",
    ["169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "169.254.1.1", "fe80::1",
     "224.0.0.1", "239.255.255.250", "ff02::1", "0.0.0.0", "::", "::ffff:169.254.169.254"],
)  # fmt: skip
def test_metadata_link_local_multicast_and_unspecified_are_refused_even_in_tests(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address), allow_private=True)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address), allow_private=False) is None


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("file:///etc/passwd", "only open http and https"),
        ("ftp://example.com/a.txt", "only open http and https"),
        ("gopher://example.com/", "only open http and https"),
        ("http://editor:secret@example.com/story", "username or password"),
        ("https://token@example.com/story", "username or password"),
        ("http://127.0.0.1/admin", "loopback"),
        ("http://[::1]:8080/", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://10.0.0.5/intranet", "private network"),
    ],
)
def test_url_shape_is_checked_before_any_request(url: str, fragment: str) -> None:
    with pytest.raises(UnsafeDestination) as caught:
        check_url(httpx.URL(url), allow_private=False)
    assert fragment in caught.value.sentence


@pytest.mark.parametrize("host", ["localhost", "2130706433", "0x7f000001", "127.1"])
def test_names_and_odd_spellings_of_loopback_are_refused_after_resolving(host: str) -> None:
    with pytest.raises(UnsafeDestination, match="loopback"):
        vetted_addresses(host, 80, allow_private=False, resolver=system_resolver)


def test_a_name_with_any_internal_answer_is_refused() -> None:
    def mixed(host: str, port: int) -> list[str]:
        return ["93.184.216.34", "10.0.0.7"]

    with pytest.raises(UnsafeDestination, match="private network"):
        vetted_addresses("mixed.example", 443, allow_private=False, resolver=mixed)


def test_production_refuses_loopback_links_without_sending_a_request(server: PagesServer) -> None:
    for host in ("127.0.0.1", "localhost"):
        with pytest.raises(LinkError) as caught:
            fetch_article(server.url("/synthetic", host=host), PRODUCTION)
        assert "loopback" in caught.value.sentence
        assert caught.value.exit_code == 2
    assert server.requests == []


def test_the_environment_setting_is_what_opens_loopback(
    server: PagesServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = server.url("/synthetic")
    monkeypatch.delenv("FACTDESK_ALLOW_PRIVATE_URLS", raising=False)
    get_settings.cache_clear()
    try:
        with pytest.raises(LinkError, match="loopback"):
            fetch_article(url)
        monkeypatch.setenv("FACTDESK_ALLOW_PRIVATE_URLS", "1")
        get_settings.cache_clear()
        assert fetch_article(url).title
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize(
    ("location", "fragment"),
    [
        ("http://169.254.169.254/latest/meta-data/iam/", "metadata"),
        ("http://[fd00:ec2::254]/latest/", "metadata"),
        ("file:///etc/passwd", "only open http and https"),
        ("http://admin:admin@127.0.0.1/", "username or password"),
    ],
)
def test_redirects_to_forbidden_places_are_refused_even_in_tests(
    server: PagesServer, location: str, fragment: str
) -> None:
    with pytest.raises(UnsafeDestination) as caught:
        fetch_article(server.url(f"/redirect-to?location={location}"), PRIVATE)
    assert fragment in caught.value.sentence
    assert server.paths() == [f"/redirect-to?location={location}"]


def test_a_public_page_redirecting_to_loopback_is_refused(
    public_stand_in: PagesServer, server: PagesServer
) -> None:
    internal = server.url("/synthetic")
    with pytest.raises(UnsafeDestination, match="loopback"):
        fetch_article(public_stand_in.url(f"/redirect-to?location={internal}"), PRODUCTION)
    assert len(public_stand_in.requests) == 1
    assert server.requests == []


def test_a_public_page_redirecting_to_a_name_for_loopback_is_refused_at_connect_time(
    public_stand_in: PagesServer, server: PagesServer
) -> None:
    internal = f"http://localhost:{server.port}/synthetic"
    with pytest.raises(UnsafeDestination, match="loopback"):
        fetch_article(public_stand_in.url(f"/redirect-to?location={internal}"), PRODUCTION)
    assert server.requests == []


def test_connections_go_to_the_checked_address_even_if_dns_changes(
    public_stand_in: PagesServer, server: PagesServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the first answer is public, later answers internal; only the first may be used."""
    answers = iter([[STAND_IN_PUBLIC]])
    lookups: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        lookups.append(host)
        return next(answers, ["127.0.0.1"])

    monkeypatch.setattr(safety, "system_resolver", rebinding)
    article = fetch_article(f"http://rebind.example.test:{public_stand_in.port}/synthetic", PRODUCTION)
    assert article.title
    assert lookups == ["rebind.example.test"]
    assert public_stand_in.requests[0].headers["Host"] == f"rebind.example.test:{public_stand_in.port}"
    assert server.requests == []


def test_unresolvable_names_are_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_name(*args: object, **kwargs: object) -> list[object]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(safety.socket, "getaddrinfo", no_such_name)  # no DNS query leaves the machine
    with pytest.raises(LinkError) as caught:
        fetch_article("http://no-such-host.example/story", PRODUCTION)
    assert caught.value.sentence == "I could not find the site no-such-host.example; check the link."
