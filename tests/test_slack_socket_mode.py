"""Socket Mode: the same adapter over Bolt's built-in Socket Mode client, against a loopback endpoint.

The app asks the fake Web API for a connection (`apps.connections.open` → ws://127.0.0.1), is greeted
with "hello", and must ack every envelope by its envelope_id before doing the work.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl

import pytest
import slack_requests as sr
from slack_api_server import SlackApiServer
from slack_harness import APP_TOKEN, BOT_TOKEN, EDITOR, article, build, newsroom, slack_settings
from socket_mode_server import SocketModeServer, envelope
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from adapters.slack.app import PLACEHOLDER, SlackAdapter
from adapters.slack.server import socket_mode_handler
from bot.jobs.queue import start_workers
from storage import models as rows
from storage.db import make_engine, make_session_factory, upgrade


@dataclass
class SocketStack:
    api: SlackApiServer
    socket: SocketModeServer
    adapter: SlackAdapter
    sessions: sessionmaker[Session]

    def threads(self) -> int:
        with self.sessions() as session:
            return session.scalar(select(func.count()).select_from(rows.TriageThread)) or 0


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[SocketStack]:
    url = f"sqlite:///{tmp_path_factory.mktemp('socket') / 'desk.db'}"
    upgrade(url)
    state = newsroom()
    with SlackApiServer(state) as api, SocketModeServer() as socket:
        state.socket_url = socket.url
        # Socket Mode needs no signing secret: requests arrive over the app's own authenticated connection.
        settings = slack_settings(url, api.url, SLACK_SIGNING_SECRET=None, SLACK_APP_TOKEN=APP_TOKEN)
        sessions = make_session_factory(make_engine(url))
        adapter = build(settings, sessions)
        workers = start_workers(settings, concurrency=2)
        handler = socket_mode_handler(adapter, APP_TOKEN)
        handler.connect()
        try:
            socket.wait_connected()
            yield SocketStack(api, socket, adapter, sessions)
        finally:
            handler.close()
            adapter.close()
            workers.stop(5)


@pytest.fixture
def sock(stack: SocketStack) -> SocketStack:
    stack.api.reset()
    return stack


def test_connects_with_the_app_token(stack):
    (opened,) = stack.api.calls_to("apps.connections.open")
    assert opened.token == APP_TOKEN
    assert all(c.token == BOT_TOKEN for c in stack.api.calls if c.method != "apps.connections.open")


def test_events_api_envelope_is_acked_then_triaged_once_despite_a_retry(sock):
    before = sock.threads()
    payload = sr.event_callback(sr.message_event(article("socket")))
    first = sock.socket.push(envelope("events_api", payload))
    assert sock.socket.wait_ack(first) == {"envelope_id": first}
    assert sock.socket.ack_latency(first) < 3
    retry = sock.socket.push(envelope("events_api", payload, retry_attempt=1))
    sock.socket.wait_ack(retry)

    (update,) = sock.api.wait_for("chat.update")
    assert "Triage T-" in update.args["text"]
    (placeholder,) = sock.api.calls_to("chat.postMessage")
    assert placeholder.args["text"] == PLACEHOLDER
    assert placeholder.args["thread_ts"] == payload["event"]["ts"]
    assert sock.threads() == before + 1


def test_slash_command_envelope_is_acked_and_answered_through_the_response_url(sock):
    form = dict(parse_qsl(sr.slash_command("help", sock.api.response_url("socket"))[0]))
    sent = sock.socket.push(envelope("slash_commands", form))
    sock.socket.wait_ack(sent)
    (answer,) = sock.api.wait_for("respond")
    assert answer.args["response_type"] == "ephemeral"
    assert "verdict" in json.dumps(answer.args["blocks"])


def test_interactive_envelope_opens_the_verdict_modal(sock):
    body = dict(
        parse_qsl(sr.block_actions("claim.verdict", "C-1", "1710000000.000100", "unused", user=EDITOR)[0])
    )
    sent = sock.socket.push(envelope("interactive", json.loads(body["payload"])))
    sock.socket.wait_ack(sent)
    (opened,) = sock.api.wait_for("views.open")
    view = opened.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == "factdesk.claim.verdict"
    assert json.loads(view["private_metadata"])["value"] == "C-1"
