"""Running the Slack app: Socket Mode when SLACK_APP_TOKEN is set (no public URL needed), else HTTP.

In HTTP mode events, slash commands and interactivity all arrive at ``/slack/events``. `factdesk serve`
mounts the app beside its health endpoints; any WSGI server can host `create_wsgi_app()` instead, e.g.
``gunicorn -w 1 --threads 32 'adapters.slack.server:create_wsgi_app()'``, with `factdesk worker` processes
running the triage jobs it queues.
"""

from __future__ import annotations

import logging
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler

from adapters.slack.app import SlackAdapter, build_adapter
from bot.config import Settings, get_settings
from bot.errors import ConfigurationError

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128


class QuietRequestHandler(WSGIRequestHandler):
    """Request lines go to the debug log instead of stderr."""

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s %s", self.address_string(), format % args)


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
) -> SlackRequestHandler:
    settings = settings or get_settings()
    if adapter is None:
        check_credentials(settings)
        adapter = build_adapter(settings)
    return SlackRequestHandler(adapter.app, path=EVENTS_PATH)


def http_server(adapter: SlackAdapter, host: str, port: int) -> WSGIServer:
    """A bound, not yet serving, HTTP server for the adapter (port 0 picks a free port)."""
    return make_server(
        host,
        port,
        SlackRequestHandler(adapter.app, path=EVENTS_PATH),
        server_class=ThreadingWSGIServer,
        handler_class=QuietRequestHandler,
    )


def socket_mode_handler(adapter: SlackAdapter, app_token: str) -> SocketModeHandler:
    return SocketModeHandler(
        adapter.app, app_token=app_token, logger=logging.getLogger("factdesk.slack.socket")
    )
