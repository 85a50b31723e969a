"""Running the Slack app: Socket Mode when SLACK_APP_TOKEN is set (no public URL needed), else HTTP.

In HTTP mode events, slash commands and interactivity all arrive at ``/slack/events``. `factdesk serve`
mounts the app beside its health endpoints; any WSGI server can host `create_wsgi_app()` instead, e.g.
``gunicorn -w 1 --threads 32 'adapters.slack.server:create_wsgi_app()'``, with `factdesk worker` processes
running the triage jobs it queues.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from http import HTTPStatus
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler

from adapters.slack.app import SlackAdapter, build_adapter
from bot.config import Settings, get_settings
from bot.errors import ConfigurationError

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
# Slack's own payloads stay far below this (a message is at most 40,000 characters).
MAX_BODY_BYTES = 2 * 1024 * 1024


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128


class QuietRequestHandler(WSGIRequestHandler):
    """Request lines go to the debug log instead of stderr."""

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s %s", self.address_string(), format % args)


class GatedRequestHandler(SlackRequestHandler):
    """Bolt's WSGI handler behind `SlackGate`: signature first, then shape; Bolt only sees what passed."""

    def __init__(self, adapter: SlackAdapter, path: str = EVENTS_PATH) -> None:
        super().__init__(adapter.app, path=path)
        self.gate = adapter.gate

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO") != self.path:
            return super().__call__(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0:
            return _answer(start_response, 400, "bad request")
        if length > MAX_BODY_BYTES:  # refused before a byte of it is read
            log.warning("refused a Slack request", extra={"status": 413, "body_bytes": length})
            return _answer(start_response, 413, "request too large")
        body = environ["wsgi.input"].read(length)
        headers = {
            key[5:].lower().replace("_", "-"): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        headers["content-type"] = environ.get("CONTENT_TYPE", "")
        refusal = self.gate.check(body, headers)
        if refusal is not None:
            return _answer(start_response, refusal.status, "" if refusal.status == 200 else refusal.reason)
        environ["wsgi.input"] = io.BytesIO(body)
        return super().__call__(environ, start_response)


def _answer(start_response: StartResponse, status: int, text: str) -> list[bytes]:
    start_response(f"{status} {HTTPStatus(status).phrase}", [("Content-Type", "text/plain; charset=utf-8")])
    return [text.encode()]


def check_credentials(settings: Settings) -> None:
    """One sentence naming the missing variable, before anything connects."""
    if not settings.slack_bot_token:
        raise ConfigurationError("Set SLACK_BOT_TOKEN (xoxb-…, from the app's OAuth & Permissions page).")
    if settings.slack_app_token:
        if not settings.slack_app_token.startswith("xapp-"):
            raise ConfigurationError("SLACK_APP_TOKEN must be an app-level token starting with xapp-.")
        return
    if not settings.slack_signing_secret:
        raise ConfigurationError(
            "Set SLACK_SIGNING_SECRET (Basic Information page) for HTTP mode, or SLACK_APP_TOKEN for Socket Mode."
        )


def create_wsgi_app(
    settings: Settings | None = None, adapter: SlackAdapter | None = None
) -> GatedRequestHandler:
    settings = settings or get_settings()
    if adapter is None:
        check_credentials(settings)
        adapter = build_adapter(settings)
    return GatedRequestHandler(adapter)


def http_server(adapter: SlackAdapter, host: str, port: int) -> WSGIServer:
    """A bound, not yet serving, HTTP server for the adapter (port 0 picks a free port)."""
    return make_server(
        host,
        port,
        GatedRequestHandler(adapter),
        server_class=ThreadingWSGIServer,
        handler_class=QuietRequestHandler,
    )


def socket_mode_handler(adapter: SlackAdapter, app_token: str) -> SocketModeHandler:
    return SocketModeHandler(
        adapter.app, app_token=app_token, logger=logging.getLogger("factdesk.slack.socket")
    )
