"""The paste flow on Discord: a reaction and a "Triaging…" line in a new thread, a durable triage job, and
the line edited into the card by a triage worker.

Messages are real MESSAGE_CREATE payloads fed to discord.py's parser (dpytest 0.7.0 hangs with discord.py 2.7,
so the flow is driven the same way as the interaction tests). The workers are the in-process pool on a
SQLite file, as `factdesk serve` runs them; they publish through the bot's client, whose REST calls the fake
records.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.discord import publish
from adapters.discord.embeds import MESSAGE_EMBED_CHARS, MESSAGE_EMBEDS
from bot.config import Settings
from bot.database import session_factory_for
from bot.desk.api import Actor, Place
from bot.desk.service import Desk
from bot.desk.triage_store import save_report, set_card_message
from bot.jobs.queue import enqueue_triage, start_workers
from storage import jobs
from storage import models as rows
from storage.jobs import FINISHED
from tests import discord_payloads as dp
from tests.conftest import ARTICLE as DESK_ARTICLE
from tests.waiting import wait_until

AUTHOR_ID = 970_000_000_000_000_001
AUTHOR = dp.user(AUTHOR_ID, "leo")
AUTHOR_MEMBER = dp.member(AUTHOR_ID, "leo")
BOT_MENTION = f"<@{dp.BOT_USER_ID}>"

# A made-up article (no dataset or seed text): long enough to be a paste, with claims and weak sourcing.
ARTICLE = """Riverside council plans to close two libraries by 2027

Riverside City Council voted on Tuesday to close the Elm Street and Harbour Road libraries by March 2027,
according to a senior council official who spoke on condition of anonymity. The closures would save
£1.4 million a year, the official said. Council leader Dana Okafor told reporters that "no decision has
been taken lightly" and that visits to both branches had fallen by 38% since 2019. Some residents say the
figures ignore the rise in online borrowing. A report seen by local media claims that the council spent
£600,000 on consultants last year. Unemployment in the borough rose to 6.2% in 2025, official figures show.
Campaigners have collected more than 12,000 signatures against the plan and will present them to the
council next month. Experts warn that closing libraries harms literacy in poorer districts, while others
argue the savings are needed to protect social care budgets. The council will hold a public consultation
in the spring before a final vote in June."""


@pytest.fixture
def paste_settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'desk.db'}",
        discord_channels=f"{dp.CHANNEL_ID}, 123",
        paste_min_words=120,
        extractor="offline",
    )


@pytest.fixture
def session_factory(paste_settings: Settings) -> Callable[[], Session]:
    """The database the triage workers use too (a file, so the job queue is shared with them)."""
    return session_factory_for(paste_settings.database_url)


@pytest.fixture
def workers(paste_settings: Settings) -> Iterator[None]:
    handle = start_workers(paste_settings, concurrency=2)
    yield
    handle.stop(5)


@pytest.fixture
def run(paste_settings: Settings, session_factory: Callable[[], Session], clock: Any, workers: None):
    desk = Desk(session_factory=session_factory, settings=paste_settings, clock=clock)

    def start(scenario: Any) -> None:
        dp.run_bot(scenario, settings=paste_settings, desk=desk)

    return start


def paste(content: str, channel_id: int = dp.CHANNEL_ID, **kwargs: Any) -> dict[str, Any]:
    return dp.message(channel_id, content, author=AUTHOR, author_member=AUTHOR_MEMBER, **kwargs)


def threads(session_factory: Callable[[], Session]) -> list[rows.TriageThread]:
    with session_factory() as session:
        found = list(session.scalars(select(rows.TriageThread).order_by(rows.TriageThread.id)))
        session.expunge_all()
        return found


def triage_jobs(session_factory: Callable[[], Session]) -> list[jobs.TriageJob]:
    with session_factory() as session:
        found = list(session.scalars(select(jobs.TriageJob).order_by(jobs.TriageJob.created_at)))
        session.expunge_all()
        return found


def finished_jobs(session_factory: Callable[[], Session], within: float = 10.0) -> list[jobs.TriageJob]:
    """The jobs once none is still being worked on: the card's edit lands before the worker marks its job done."""
    wait_until(lambda: all(job.state in FINISHED for job in triage_jobs(session_factory)), within)
    return triage_jobs(session_factory)


EDIT = r"/channels/\d+/messages/\d+"


def test_paste_in_a_watched_channel_becomes_a_card_in_a_new_thread(run, session_factory):
    source = paste(ARTICLE)
    message_id = int(source["id"])

    recorded_when_shown: list[list[str | None]] = []

    async def scenario(h: dp.Harness) -> None:
        edit = h.fake._edit

        def edit_seen(channel_id: int, message_id: int, body: dict[str, Any]) -> dict[str, Any]:
            recorded_when_shown.append([t.card_message for t in threads(session_factory)])
            return edit(channel_id, message_id, body)

        h.fake._edit = edit_seen  # type: ignore[method-assign]
        await h.post(source)
        (queued,) = triage_jobs(session_factory)  # recorded as soon as the paste was handled
        await h.wait_for("PATCH", EDIT)
        # where the card is was stored before it showed, so a click on it the moment it lands finds it
        assert recorded_when_shown[0] == [queued.place["message"]]
        methods = [(c.method, c.path) for c in h.fake.calls if not c.path.startswith("/applications/")]
        reaction, start_thread, triaging, edit, *more = methods
        assert reaction[0] == "PUT" and re.fullmatch(
            rf"/channels/{dp.CHANNEL_ID}/messages/{message_id}/reactions/.+/@me", reaction[1]
        )
        assert start_thread == ("POST", f"/channels/{dp.CHANNEL_ID}/messages/{message_id}/threads")
        # the thread takes the id of the message it starts from; "Triaging…" is posted in it
        assert triaging == ("POST", f"/channels/{message_id}/messages")
        assert edit[0] == "PATCH" and edit[1].startswith(f"/channels/{message_id}/messages/")
        assert all(m == ("POST", f"/channels/{message_id}/messages") for m in more)

        thread_call = h.fake.calls[2]
        assert thread_call.payload["name"].startswith("Triage: Riverside council plans")
        assert len(thread_call.payload["name"]) <= 100
        assert h.fake.calls[3].payload["content"] == "Triaging…"

        card_calls = [c for c in h.fake.calls[4:] if c.method in ("PATCH", "POST")]
        for call in card_calls:
            assert len(call.embeds) <= MESSAGE_EMBEDS
            assert sum(_embed_len(e) for e in call.embeds) <= MESSAGE_EMBED_CHARS
        card = card_calls[0]
        assert card.payload["content"] is None, "the 'Triaging…' line is replaced by the card"
        assert card.embeds[0]["title"].startswith("🧭 Triage T-")
        assert "Sourcing" in card.embeds[0]["description"]
        ids = [i for c in card_calls for i in c.custom_ids]
        assert ids and all(
            re.fullmatch(r"factdesk:(claim\.[a-z_]+:C-\d+|card\.show_all:T-\d+)", i) for i in ids
        )

        # the job carries the "Triaging…" message (the first one in the thread); the card is that message
        triaging_id = next(i for i, m in h.fake.messages.items() if m["channel_id"] == str(message_id))
        assert edit[1] == f"/channels/{message_id}/messages/{triaging_id}"
        assert queued.place["message"] == str(triaging_id)

    run(scenario)
    (stored,) = threads(session_factory)
    assert stored.thread_external == str(message_id)
    assert stored.card_message is not None and int(stored.card_message) != message_id
    assert stored.created_by == f"discord:{AUTHOR_ID}"
    (job,) = finished_jobs(session_factory)
    assert (job.state, job.outcome, job.thread_id) == ("done", "card", stored.id)


def _embed_len(embed: dict[str, Any]) -> int:
    fields = sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
    return (
        len(embed.get("title", ""))
        + len(embed.get("description", ""))
        + fields
        + len(embed.get("footer", {}).get("text", ""))
    )


def test_the_same_article_again_links_to_the_first_thread(run, session_factory):
    first, second = paste(ARTICLE), paste(ARTICLE)

    async def scenario(h: dp.Harness) -> None:
        await h.post(first)
        await h.wait_for("PATCH", EDIT)
        await h.post(second)
        edits = await h.wait_for("PATCH", EDIT, count=2)
        assert len(edits) == 2
        assert edits[1].payload["content"] == (
            f"Already triaged as T-{threads(session_factory)[0].id}: "
            f"https://discord.com/channels/{dp.GUILD_ID}/{first['id']}"
        )

    run(scenario)
    assert len(threads(session_factory)) == 1


def test_a_redelivered_message_is_triaged_once(run, session_factory):
    source = paste(ARTICLE)

    async def scenario(h: dp.Harness) -> None:
        await h.post(source)
        await h.post(source)
        assert len(h.fake.find("POST", r"/channels/\d+/messages/\d+/threads")) == 1
        assert len(triage_jobs(session_factory)) == 1
        await h.wait_for("PATCH", EDIT)

    run(scenario)
    assert len(threads(session_factory)) == 1
    assert len(triage_jobs(session_factory)) == 1


def test_other_channels_need_a_mention_and_short_messages_are_ignored(run, session_factory):
    async def scenario(h: dp.Harness) -> None:
        await h.post(paste(ARTICLE, channel_id=dp.OTHER_CHANNEL_ID))
        await h.post(paste("Has anyone seen the council's budget?"))
        assert not [c for c in h.fake.calls if not c.path.startswith("/applications/")]
        bot_user = dp.user(dp.BOT_USER_ID, "factdesk", bot=True)
        await h.post(paste(f"{BOT_MENTION} {ARTICLE}", channel_id=dp.OTHER_CHANNEL_ID, mentions=[bot_user]))
        assert h.fake.find("POST", rf"/channels/{dp.OTHER_CHANNEL_ID}/messages/\d+/threads")
        await h.wait_for("PATCH", EDIT)

    run(scenario)
    (stored,) = threads(session_factory)
    assert stored.article_text and BOT_MENTION not in stored.article_text


def test_without_thread_permission_the_card_goes_in_the_channel(run, session_factory):
    async def scenario(h: dp.Harness) -> None:
        h.fake.fail["POST /channels/\\d+/messages/\\d+/threads"] = 403
        await h.post(paste(ARTICLE))
        triaging = h.fake.find("POST", rf"/channels/{dp.CHANNEL_ID}/messages")
        assert triaging and triaging[0].payload["content"] == "Triaging…"
        await h.wait_for("PATCH", rf"/channels/{dp.CHANNEL_ID}/messages/\d+")

    run(scenario)
    (stored,) = threads(session_factory)
    assert stored.thread_external is None


def test_a_refused_placeholder_queues_nothing_and_releases_the_message(run, session_factory, paste_settings):
    pasted = paste(ARTICLE)

    async def scenario(h: dp.Harness) -> None:
        h.fake.fail["POST /channels/\\d+/messages/\\d+/threads"] = 403
        h.fake.fail["POST /channels/\\d+/messages"] = 500
        await h.post(pasted)
        await asyncio.sleep(0.2)

    run(scenario)
    assert triage_jobs(session_factory) == []
    desk = Desk(session_factory=session_factory, settings=paste_settings)
    assert desk.claim_event("discord", f"message:{pasted['id']}"), "released, so the paste is not marked done"


def test_a_refused_link_gets_one_sentence_in_place_of_the_card(run, session_factory):
    async def scenario(h: dp.Harness) -> None:
        await h.post(paste("http://127.0.0.1:9/private-page"))
        (edit,) = await h.wait_for("PATCH", EDIT)
        assert edit.embeds[0]["title"].startswith("⚠️") and not edit.custom_ids
        assert len(edit.embeds) == 1

    run(scenario)
    assert threads(session_factory) == []
    (job,) = finished_jobs(session_factory)
    assert (job.state, job.outcome) == ("done", "failure")


@dataclass
class RestOnly:
    """Discord as a `factdesk worker` sees it: REST calls recorded by a fake, a card in a thread."""

    fake: dp.FakeDiscord
    thread_id: int
    message_id: int

    @property
    def place(self) -> Place:
        return Place(
            platform="discord",
            workspace=str(dp.GUILD_ID),
            channel=str(dp.CHANNEL_ID),
            thread=str(self.thread_id),
            message=str(self.message_id),
        )


@pytest.fixture
def rest_only(monkeypatch: pytest.MonkeyPatch) -> RestOnly:
    fake = dp.FakeDiscord()

    async def request(http: discord.http.HTTPClient, route: discord.http.Route, **kwargs: Any) -> Any:
        assert http.token == "worker-token"
        return await fake.http_request(route, **kwargs)

    monkeypatch.setattr(discord.http.HTTPClient, "request", request)
    return RestOnly(fake, dp.snowflake(), dp.snowflake())


def test_a_worker_with_no_gateway_publishes_a_queued_paste(
    paste_settings: Settings, session_factory: Callable[[], Session], rest_only: RestOnly
) -> None:
    """`factdesk worker`: no bot and no gateway, only a REST client logged in with DISCORD_TOKEN."""
    fake, thread_id, triaging_id = rest_only.fake, rest_only.thread_id, rest_only.message_id
    actor = Actor(platform="discord", user_id=str(AUTHOR_ID), display="leo")
    job_id = enqueue_triage(
        ARTICLE, actor, rest_only.place, settings=paste_settings
    )  # queued by a bot elsewhere

    publisher = publish.register_standalone(
        paste_settings.model_copy(update={"discord_token": "worker-token"})
    )
    workers = start_workers(paste_settings, concurrency=1)
    try:
        wait_until(lambda: triage_jobs(session_factory)[0].state == "done", 20)
    finally:
        workers.stop(5)
        publisher.close()

    assert [c.path for c in fake.calls[:2]] == ["/users/@me", "/oauth2/applications/@me"]
    (edit,) = fake.find("PATCH", EDIT)
    assert edit.path == f"/channels/{thread_id}/messages/{triaging_id}"
    assert edit.embeds[0]["title"].startswith("🧭 Triage T-") and edit.custom_ids
    (stored,) = threads(session_factory)
    assert (stored.thread_external, stored.card_message) == (str(thread_id), str(triaging_id))
    (job,) = triage_jobs(session_factory)
    assert (job.id, job.state, job.outcome) == (job_id, "done", "card")


def test_a_process_with_no_gateway_edits_the_card_after_a_desk_change(
    session_factory: Callable[[], Session], make_report: Callable[..., Any], rest_only: RestOnly
) -> None:
    """A desk change made where the only Discord client is the REST-only one (`factdesk worker`'s)."""
    fake, thread_id, card_id, card = (
        rest_only.fake,
        rest_only.thread_id,
        rest_only.message_id,
        rest_only.place,
    )
    actor = Actor(platform="discord", user_id=str(AUTHOR_ID), display="leo")
    with session_factory() as session, session.begin():
        report = save_report(session, make_report(), actor, card, DESK_ARTICLE)
        set_card_message(session, report.thread_ref or "", card)
    settings = Settings(database_url="sqlite://", discord_token="worker-token")
    desk = Desk(session_factory=session_factory, settings=settings)

    publisher = publish.register_standalone(settings)
    try:
        reply = desk.run(f"claim {report.claims[0].id}", actor, card)
    finally:
        publisher.close()

    assert not reply.error and reply.public_line
    (edit,) = fake.find("PATCH", EDIT)
    assert edit.path == f"/channels/{thread_id}/messages/{card_id}"
    assert any("👤 assigned · @leo" in (e.get("description") or "") for e in edit.embeds)


def test_binary_data_is_refused_by_the_core_intake_in_one_reply_and_queues_nothing(run, session_factory):
    """The same door as Slack's (`bot.intake`): no thread, no placeholder, no job; the reason as a reply."""

    async def scenario(h: dp.Harness) -> None:
        await h.post(paste("".join(f"word{chr(i % 31 + 1)} " for i in range(400))))
        (reply,) = await h.wait_for("POST", rf"/channels/{dp.CHANNEL_ID}/messages")
        assert "binary data" in reply.payload["content"] and reply.payload.get("message_reference")
        assert not h.fake.find("POST", r"/channels/\d+/messages/\d+/threads")

    run(scenario)
    assert triage_jobs(session_factory) == []
