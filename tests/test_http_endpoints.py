"""The operator's endpoints over real HTTP on 127.0.0.1: alive, ready (or why not), metrics, mounted routes."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from adapters.http import build_http_app, start_http
from adapters.serve import bolt_route, configured_platforms
from bot.config import Settings
from bot.desk.api import Actor, Place
from bot.errors import ConfigurationError
from bot.health import default_checks
from bot.jobs.queue import enqueue_triage, start_workers
from storage import db as storage_db

Fetch = Callable[[str, str], Awaitable[tuple[int, dict[str, str], str]]]


def serve_and(app: web.Application, exchange: Callable[[Fetch], Awaitable[Any]]) -> Any:
    """Run `app` on a free loopback port for the duration of `exchange(fetch)`."""

    async def main() -> Any:
        runner, port = await start_http(app, "127.0.0.1", 0)
        try:
            async with aiohttp.ClientSession() as client:

                async def fetch(method: str, path: str, **kwargs: Any) -> tuple[int, dict[str, str], str]:
                    async with client.request(method, f"http://127.0.0.1:{port}{path}", **kwargs) as response:
                        return response.status, dict(response.headers), await response.text()

                return await exchange(fetch)
        finally:
            await runner.cleanup()

    return asyncio.run(main())


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'http.db'}", extractor="offline", auto_migrate=True)


class StoppedWorkers:
    alive = False
    ended = True

    def stop(self, deadline_s: float = 0) -> None:
        return None


def test_healthz_answers_without_touching_the_database(tmp_path: Path) -> None:
    broken = Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    status, _, body = serve_and(build_http_app(settings=broken), lambda fetch: fetch("GET", "/healthz"))
    assert status == 200 and json.loads(body) == {"status": "ok"}


def test_ready_with_a_current_schema_and_running_workers(settings: Settings) -> None:
    workers = start_workers(settings, concurrency=1)
    try:
        app = build_http_app(settings=settings, checks=default_checks(settings, workers))
        status, _, body = serve_and(app, lambda fetch: fetch("GET", "/readyz"))
    finally:
        workers.stop(1)
    assert status == 200
    assert json.loads(body) == {"status": "ready", "checks": {"database": "ok", "queue": "ok"}}


def test_not_ready_when_the_database_is_unreachable() -> None:
    broken = Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    status, _, body = serve_and(build_http_app(settings=broken), lambda fetch: fetch("GET", "/readyz"))
    answer = json.loads(body)
    assert status == 503 and answer["status"] == "unavailable"
    assert "cannot be reached" in answer["reason"] and "Traceback" not in body


def test_not_ready_when_the_schema_is_old(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = storage_db.make_engine(url)
    storage_db.upgrade(engine=engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0000'")
    engine.dispose()
    old = Settings(database_url=url, auto_migrate=False)
    status, _, body = serve_and(build_http_app(settings=old), lambda fetch: fetch("GET", "/readyz"))
    assert status == 503 and "factdesk db upgrade" in json.loads(body)["reason"]


def test_not_ready_when_this_process_workers_stopped(settings: Settings) -> None:
    app = build_http_app(settings=settings, checks=default_checks(settings, StoppedWorkers()))
    status, _, body = serve_and(app, lambda fetch: fetch("GET", "/readyz"))
    answer = json.loads(body)
    assert status == 503 and answer["checks"] == {"database": "ok", "queue": answer["reason"]}
    assert "stopped" in answer["reason"]


def test_metrics_expose_triages_and_the_live_queue_depth(settings: Settings) -> None:
    for n in range(2):
        enqueue_triage(
            f"article {n}", Actor(platform="cli", user_id="op"), Place(platform="cli"), settings=settings
        )
    status, headers, body = serve_and(
        build_http_app(settings=settings), lambda fetch: fetch("GET", "/metrics")
    )
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert "factdesk_queue_depth 2.0" in body.splitlines()
    assert "# TYPE factdesk_triages_total counter" in body
    assert "factdesk_triage_seconds_bucket" in body


def test_extra_routes_are_mounted_beside_the_endpoints(settings: Settings) -> None:
    async def echo(request: web.Request) -> web.Response:
        return web.Response(text="mounted:" + await request.text())

    app = build_http_app([web.post("/slack/events", echo)], settings=settings)

    async def both(fetch: Fetch) -> tuple[Any, Any]:
        return await fetch("POST", "/slack/events", data="hi"), await fetch("GET", "/healthz")

    (mounted, _, body), (health, _, _) = serve_and(app, both)
    assert (mounted, body, health) == (200, "mounted:hi", 200)


def test_a_bolt_app_mounted_beside_the_endpoints_checks_signatures(settings: Settings) -> None:
    from slack_bolt import App

    secret = "test-signing-secret"
    bolt = App(token="xoxb-test", signing_secret=secret, token_verification_enabled=False)
    from adapters.slack.gate import SlackGate
    from bot.desk.service import Desk

    gate = SlackGate(secret, Desk(settings=settings).claim_event)
    app = build_http_app([bolt_route(bolt, "/slack/events", gate)], settings=settings)
    payload = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "t"})
    timestamp = str(int(time.time()))
    signature = (
        "v0=" + hmac.new(secret.encode(), f"v0:{timestamp}:{payload}".encode(), hashlib.sha256).hexdigest()
    )
    signed = {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
        "Content-Type": "application/json",
    }
    unsigned = {"Content-Type": "application/json"}

    async def both(fetch: Fetch) -> tuple[Any, Any]:
        return (
            await fetch("POST", "/slack/events", data=payload, headers=signed),
            await fetch("POST", "/slack/events", data=payload, headers=unsigned),
        )

    (ok, _, body), (refused, _, _) = serve_and(app, both)
    assert ok == 200 and "c-123" in body
    assert refused == 401


def test_serve_names_the_missing_token() -> None:
    with pytest.raises(ConfigurationError, match=r"SLACK_BOT_TOKEN .* DISCORD_TOKEN"):
        configured_platforms(Settings(slack_bot_token=None, discord_token=None))
    with pytest.raises(ConfigurationError, match="Set DISCORD_TOKEN"):
        configured_platforms(Settings(slack_bot_token="xoxb-1", discord_token=None), ["discord"])
    both = Settings(slack_bot_token="xoxb-1", discord_token="abc")
    assert configured_platforms(both) == ["slack", "discord"]


def _address_off_loopback() -> str | None:
    """This machine's own non-loopback address (a request to it never leaves the machine)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent for a UDP connect
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_readyz_shows_database_details_only_to_loopback_or_the_token() -> None:
    address = _address_off_loopback()
    if address is None:
        pytest.skip("this machine has no non-loopback address to call from")
    secret_db = "postgresql+psycopg://newsroom_admin@db-internal.example:1/factdesk_prod"
    broken = Settings(database_url=secret_db, status_token="s3cret-status-token")

    async def main() -> list[tuple[int, str]]:
        runner, port = await start_http(build_http_app(settings=broken), "0.0.0.0", 0)
        try:
            async with aiohttp.ClientSession() as client:
                answers = []
                for host, headers in (
                    (address, {}),
                    (address, {"Authorization": "Bearer wrong"}),
                    (address, {"Authorization": "Bearer s3cret-status-token"}),
                    ("127.0.0.1", {}),
                ):
                    async with client.get(f"http://{host}:{port}/readyz", headers=headers) as response:
                        answers.append((response.status, await response.text()))
                return answers
        finally:
            await runner.cleanup()

    stranger, wrong_token, token, loopback = asyncio.run(main())
    for status, body in (stranger, wrong_token):
        assert status == 503 and json.loads(body) == {"status": "unavailable"}
    for status, body in (token, loopback):
        assert status == 503 and "db-internal.example" in json.loads(body)["reason"]
