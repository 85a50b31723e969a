"""`factdesk serve`: the configured chat adapters, the operator's HTTP endpoints and triage workers, in one
process and one event loop.

Slack runs if SLACK_BOT_TOKEN is set (Socket Mode with SLACK_APP_TOKEN, else `/slack/events` on the HTTP
server beside `/healthz`, `/readyz` and `/metrics`), Discord if DISCORD_TOKEN is set. On SIGTERM or SIGINT the
receivers stop first (no new work), then the workers get `SHUTDOWN_DEADLINE_S` to finish; jobs still running
go back to the queue for the next start or another worker.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.error import URLError

from aiohttp import web

from adapters.http import build_http_app, start_http
from adapters.web.routes import board_routes
from adapters.wiring import platforms_with_tokens, register_publishers
from bot.board.access import board_secret
from bot.config import Settings, get_settings
from bot.errors import ConfigurationError, PlatformUnreachable
from bot.health import default_checks
from bot.jobs.pool import SHUTDOWN_DEADLINE_S
from bot.jobs.queue import WorkerHandle, start_workers
from bot.observability.logs import configure_logging

if TYPE_CHECKING:
    from adapters.slack.gate import SlackGate

log = logging.getLogger(__name__)

PLATFORMS = ("slack", "discord")
RECONNECT_FIRST_S = 1.0  # retrying an unreachable platform at start: doubling up to RECONNECT_MAX_S
RECONNECT_MAX_S = 60.0


def configured_platforms(settings: Settings, requested: list[str] | None = None) -> list[str]:
    """The platforms to run: those asked for (each must have its token), else every one with a token."""
    available = platforms_with_tokens(settings)
    if not requested:
        if not available:
            raise ConfigurationError(
                "Set SLACK_BOT_TOKEN (Slack) or DISCORD_TOKEN (Discord): `factdesk serve` has no platform to run."
            )
        return available
    for name in requested:
        if name not in PLATFORMS:
            raise ConfigurationError(f"Unknown platform “{name}”: choose slack or discord.")
        if name not in available:
            variable = "SLACK_BOT_TOKEN" if name == "slack" else "DISCORD_TOKEN"
            raise ConfigurationError(f"Set {variable} to serve {name}.")
    return list(dict.fromkeys(requested))


def serve(platforms: list[str] | None = None, *, with_workers: bool = True, web_only: bool = False) -> None:
    """Run until SIGTERM/SIGINT. `with_workers=False` when separate `factdesk worker` processes run triage;
    `web_only` serves just the web board and health endpoints, with no platform configured."""
    configure_logging("INFO")
    settings = get_settings()
    if web_only:
        board_secret(settings)  # the board is all this process serves: refuse to start without its key
        asyncio.run(_serve(settings, [], with_workers=False))
        return
    chosen = configured_platforms(settings, platforms)
    if "slack" in chosen:
        from adapters.slack.server import check_credentials

        check_credentials(settings)
    asyncio.run(_serve(settings, chosen, with_workers))


def bolt_route(bolt_app: Any, path: str, gate: SlackGate) -> web.RouteDef:
    """Slack's Bolt app as an aiohttp route behind `gate` (signature, then shape, then replays); `dispatch`
    runs in a thread (it acks, then returns)."""
    from slack_bolt.request import BoltRequest

    async def handle(request: web.Request) -> web.Response:
        body = await request.read()
        headers = {key.lower(): value for key, value in request.headers.items()}
        refusal = await asyncio.to_thread(gate.check, body, headers)
        if refusal is not None:
            return web.Response(status=refusal.status, text="" if refusal.status == 200 else refusal.reason)
        bolt_request = BoltRequest(body=body.decode(), query=request.query_string, headers=headers)
        response = await asyncio.to_thread(bolt_app.dispatch, bolt_request)
        return web.Response(
            status=response.status,
            body=response.body.encode(),
            headers=response.first_headers_without_set_cookie(),
        )

    return web.post(path, handle)


async def _serve(settings: Settings, platforms: list[str], with_workers: bool) -> None:
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    workers: WorkerHandle | None = None
    publishers: list[Callable[[], None]] = []
    if with_workers:  # publishers first: the workers may resume a job the moment they start
        publishers = await asyncio.to_thread(register_publishers, settings, platforms)
        workers = await asyncio.to_thread(start_workers, settings)
    routes: list[web.RouteDef] = board_routes(settings)
    closers: list[Callable[[], None]] = []
    waiters: set[asyncio.Future[Any]] = {asyncio.ensure_future(stopping.wait())}
    discord_bot = None
    try:
        if "slack" in platforms:
            started = await _until_reachable(lambda: _start_slack(settings, closers), stopping)
            if started is None:
                return  # asked to stop while Slack was still unreachable
            routes += started
        if "discord" in platforms:
            from adapters.discord.bot import FactdeskBot

            discord_bot = FactdeskBot(settings=settings)
            waiters.add(asyncio.ensure_future(discord_bot.start(settings.discord_token or "")))
        app = build_http_app(
            routes, settings=settings, checks=default_checks(settings, workers), workers=workers
        )
        runner, port = await start_http(app, settings.host, settings.port)
        log.info("factdesk serving", extra={"platforms": platforms, "http": f"http://{settings.host}:{port}"})
        try:
            done, _ = await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
            for finished in done:
                if finished.exception() is not None:
                    raise _platform_error(finished.exception())
            log.info(
                "stopping: no new work; running triage jobs get a deadline",
                extra={"deadline_s": SHUTDOWN_DEADLINE_S},
            )
        finally:
            await runner.cleanup()
    finally:
        if discord_bot is not None:
            await discord_bot.close()
        for close in closers:
            await asyncio.to_thread(close)
        for waiter in waiters:
            waiter.cancel()
        if workers is not None:
            await asyncio.to_thread(workers.stop, SHUTDOWN_DEADLINE_S)
        for close in publishers:  # only now: the workers' last jobs publish through them
            await asyncio.to_thread(close)


async def _until_reachable(
    start: Callable[[], Awaitable[list[web.RouteDef]]], stopping: asyncio.Event
) -> list[web.RouteDef] | None:
    """Start a platform, retrying with backoff while it cannot be reached (a network blip or an outage at
    boot should not need a person to restart the service); one log line per attempt. None if asked to stop."""
    delay = RECONNECT_FIRST_S
    while True:
        try:
            return await start()
        except PlatformUnreachable as exc:
            log.warning(exc.sentence, extra={"retry_in_s": delay})
        try:
            await asyncio.wait_for(stopping.wait(), delay)
            return None
        except TimeoutError:
            delay = min(delay * 2, RECONNECT_MAX_S)


async def _start_slack(settings: Settings, closers: list[Callable[[], None]]) -> list[web.RouteDef]:
    from adapters.slack.app import build_adapter
    from adapters.slack.server import EVENTS_PATH, socket_mode_handler

    adapter = await asyncio.to_thread(build_adapter, settings)
    closers.append(adapter.close)
    if settings.slack_app_token:
        handler = socket_mode_handler(adapter, settings.slack_app_token)
        try:
            await asyncio.to_thread(handler.connect)
        except (OSError, URLError, TimeoutError) as exc:
            raise PlatformUnreachable(
                f"Slack's Socket Mode cannot be reached ({type(exc).__name__})."
            ) from None
        closers.insert(0, handler.close)
        return []
    return [bolt_route(adapter.app, EVENTS_PATH, adapter.gate)]


def _platform_error(exc: BaseException | None) -> BaseException:
    """Discord refusing the token is a configuration problem, not a traceback."""
    import discord

    if isinstance(exc, discord.LoginFailure):
        return ConfigurationError(
            "Discord refused DISCORD_TOKEN; copy the bot token again from the developer portal."
        )
    return exc or RuntimeError("a chat adapter stopped")
