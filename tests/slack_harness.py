"""The Slack adapter wired to loopback stand-ins, shared by the HTTP and Socket Mode tests and the load bench.

`slack_stack` migrates a database, starts the fake Web API, builds the real `SlackAdapter` over the real
core, starts the triage workers (the in-process pool, as `factdesk serve` does on SQLite) and serves the app
over HTTP on a free port; `Harness` sends signed requests and reads stored rows.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import slack_requests as sr
from pages_server import SYNTHETIC_PARAGRAPHS, PagesServer
from slack_api_server import SlackApiServer, SlackState
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from adapters.slack.app import SlackAdapter
from adapters.slack.publish import web_client
from adapters.slack.server import http_server
from bot.config import Settings
from bot.desk.service import Desk
from bot.jobs.queue import start_workers
from storage import jobs
from storage import models as rows
from storage.db import make_engine, make_session_factory, upgrade

BOT_TOKEN = "xoxb-123456789012-factdesk-test-token"
APP_TOKEN = "xapp-1-A0FACTDESK-factdesk-test-app-token"
EDITORS = "S0EDITORS"
EDITOR, MEMBER, CHECKER = "U0EDITOR1", "U0MARIA", "U0LEO0001"
EDITOR_ABROAD = "U0EDITOR2"  # an editor whose Slack profile is on New York time


def article(variant: str) -> str:
    """A made-up article of about 200 words, distinct per `variant` (so it is a new triage, not a duplicate)."""
    return "\n\n".join(
        [*SYNTHETIC_PARAGRAPHS, f"The inspectors' report, numbered {variant}, will be published next week."]
    )


def newsroom() -> SlackState:
    return SlackState(
        users={
            EDITOR: {"name": "edna", "display_name": "Edna"},
            MEMBER: {"name": "maria", "display_name": "Maria"},
            CHECKER: {"name": "leo", "display_name": "Leo"},
            EDITOR_ABROAD: {"name": "nate", "display_name": "Nate", "tz": "America/New_York"},
        },
        usergroups={EDITORS: [EDITOR, EDITOR_ABROAD]},
    )


def slack_settings(database_url: str, api_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "slack_api_url": api_url,
        "slack_editor_usergroup": EDITORS,
        "extractor": "offline",
        "allow_private_urls": True,
        "paste_min_words": 120,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": sr.SIGNING_SECRET,
    }
    return Settings(**(values | overrides))


def build(settings: Settings, sessions: sessionmaker[Session] | None = None) -> SlackAdapter:
    sessions = sessions or make_session_factory(make_engine(settings.database_url))
    return SlackAdapter(
        settings,
        web_client(settings),
        desk=Desk(session_factory=sessions, settings=settings),
    )


@dataclass
class Harness:
    api: SlackApiServer
    url: str
    adapter: SlackAdapter
    sessions: sessionmaker[Session]
    client: httpx.Client
    pages: PagesServer | None = None

    def send(self, body: str, content_type: str, **kwargs) -> httpx.Response:
        return sr.send(self.url, body, content_type, client=self.client, **kwargs)

    def event(self, event: dict, **kwargs) -> tuple[httpx.Response, dict]:
        payload = sr.event_callback(event, event_id=kwargs.pop("event_id", None))
        return self.send(*sr.json_body(payload), **kwargs), payload

    def threads(self) -> int:
        with self.sessions() as session:
            return session.scalar(select(func.count()).select_from(rows.TriageThread)) or 0

    def triage_jobs(self) -> list[jobs.TriageJob]:
        with self.sessions() as session:
            return list(session.scalars(select(jobs.TriageJob).order_by(jobs.TriageJob.created_at)))

    def claim(self, ref: str) -> rows.Claim:
        with self.sessions() as session:
            return session.scalars(select(rows.Claim).where(rows.Claim.id == int(ref.split("-")[1]))).one()


@contextlib.contextmanager
def serve_http(adapter: SlackAdapter) -> Iterator[str]:
    """Serve the adapter on 127.0.0.1 (a free port); yields the events URL."""
    server = http_server(adapter, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/slack/events"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def slack_stack(database_url: str, *, with_workers: bool = True, **overrides: object) -> Iterator[Harness]:
    """`with_workers=False` is `factdesk serve --no-workers`: jobs wait for a separate worker process."""
    upgrade(database_url)
    sessions = make_session_factory(make_engine(database_url))
    with SlackApiServer(newsroom()) as api:
        settings = slack_settings(database_url, api.url, **overrides)
        adapter = build(settings, sessions)
        workers = start_workers(settings, concurrency=4) if with_workers else None
        try:
            with serve_http(adapter) as url, httpx.Client(timeout=10) as client:
                yield Harness(api, url, adapter, sessions, client)
        finally:
            adapter.close()
            if workers is not None:
                workers.stop(5)
