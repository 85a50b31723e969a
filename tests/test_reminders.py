"""Reminders: a nudge to the assignee before a claim is due and a daily digest, each sent once, on a clock the
tests move (no sleeping on the wall clock), on SQLite and PostgreSQL, and through the real Slack and Discord
posting code against the suite's fake platforms."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord
import pytest
from slack_sdk import WebClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adapters.discord import publish as discord_publish
from adapters.slack import publish as slack_publish
from bot.config import Settings
from bot.core import build_desk
from bot.database import session_factory_for
from bot.desk import publishers
from bot.desk.api import Actor, Place
from bot.desk.reminders import Reminders
from bot.desk.service import Desk
from bot.desk.triage_store import save_report
from bot.jobs.reminders import ReminderLoop
from bot.models import TriageReport
from bot.replies import Reply
from storage import db as storage_db
from storage.models import SentReminder
from tests import discord_payloads as dp
from tests.conftest import ARTICLE, EDITOR, PLACE, FixedClock
from tests.slack_api_server import SlackApiServer

Posted = list[tuple[Place, Reply, str | None]]


@pytest.fixture
def posted(monkeypatch: pytest.MonkeyPatch) -> Posted:
    """What the Slack notice poster was handed (the core's side; the real poster is tested below)."""
    calls: Posted = []
    monkeypatch.setitem(
        publishers._posters, "slack", lambda where, reply, who: calls.append((where, reply, who))
    )
    return calls


def reminders_for(
    session_factory: Callable[[], Session], clock: FixedClock, worker: str = "w1", **settings: Any
) -> Reminders:
    options = {"database_url": "sqlite://", "editors": "slack:UMARIA"} | settings
    desk = build_desk(Settings(**options), session_factory, clock=clock)
    return Reminders(desk, session_factory, clock, worker)


def assign(desk: Desk, claim: str, due: str, who: str = "<@ULEO>") -> None:
    reply = desk.run(f"assign {claim} {who} due {due}", EDITOR, PLACE)
    assert not reply.error, reply.title


# -- nudges ------------------------------------------------------------------------------------------------


def test_the_assignee_is_nudged_once_in_the_claims_thread_when_the_lead_begins(
    desk: Desk, stored: TriageReport, session_factory, clock: FixedClock, posted: Posted
) -> None:
    claim = stored.claims[0].id
    assign(desk, claim, "in 3 hours")
    reminders = reminders_for(session_factory, clock, remind_before="2h")

    assert reminders.send_due() == [] and posted == []  # 3 h ahead: outside the 2 h lead

    clock.now += timedelta(hours=1, minutes=30)
    assert reminders.send_due() == [f"nudge {claim} slack:ULEO"]
    ((where, reply, who),) = posted
    assert (where.channel, where.thread) == (PLACE.channel, PLACE.thread)  # beside the card
    assert who == "ULEO"
    assert reply.title == f"⏰ @ULEO: {claim} is due in 1 h 30 min (Wed 25 Nov 2026, 12:00 UTC)"
    assert reply.data and reply.data["claim"]["ref"] == claim

    clock.now += timedelta(minutes=20)
    assert reminders.send_due() == [] and len(posted) == 1  # once, however often the workers look


def test_a_new_due_time_or_assignee_re_arms_the_nudge(
    desk: Desk, stored: TriageReport, session_factory, clock: FixedClock, posted: Posted
) -> None:
    claim = stored.claims[0].id
    assign(desk, claim, "in 1 hour")
    reminders = reminders_for(session_factory, clock)
    assert len(reminders.send_due()) == 1

    assert reminders.send_due() == []

    assign(desk, claim, "in 5 hours")  # pushed back: armed again, for the new time
    assert reminders.send_due() == []
    clock.now += timedelta(hours=3, minutes=30)
    assert reminders.send_due() == [f"nudge {claim} slack:ULEO"]
    assert posted[-1][1].title.endswith("(Wed 25 Nov 2026, 14:00 UTC)")

    assign(desk, claim, "in 1 hour", who="<@UANA>")  # re-assigned: the new checker hears of it
    assert reminders.send_due() == [f"nudge {claim} slack:UANA"]
    assert [who for _, _, who in posted] == ["ULEO", "ULEO", "UANA"]


@pytest.mark.parametrize(
    "close",
    ["verdict {claim} false Figures from the ministry say otherwise", "dismiss {claim} not checkable"],
)
def test_a_claim_ruled_or_closed_before_its_nudge_sends_nothing(
    close: str, desk: Desk, stored: TriageReport, session_factory, clock: FixedClock, posted: Posted
) -> None:
    claim = stored.claims[0].id
    assign(desk, claim, "in 3 hours")
    assert not desk.run(close.format(claim=claim), EDITOR, PLACE).error
    clock.now += timedelta(hours=2)
    assert reminders_for(session_factory, clock).send_due() == [] and posted == []


def test_unassigned_and_overdue_claims_get_no_nudge_and_zero_lead_turns_nudges_off(
    desk: Desk, stored: TriageReport, session_factory, clock: FixedClock, posted: Posted
) -> None:
    assign(desk, stored.claims[0].id, "in 1 hour")
    assert reminders_for(session_factory, clock, remind_before="0").send_due() == []
    clock.now += timedelta(hours=2)  # now overdue: that is the digest's business
    assert reminders_for(session_factory, clock).send_due() == [] and posted == []


def test_a_post_that_fails_is_retried_at_the_next_look(
    desk: Desk,
    stored: TriageReport,
    session_factory,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    claim = stored.claims[0].id
    assign(desk, claim, "in 1 hour")
    calls: list[str] = []

    def flaky(where: Place, reply: Reply, who: str | None) -> None:
        calls.append(reply.title)
        if len(calls) == 1:
            raise OSError("Slack is down")

    monkeypatch.setitem(publishers._posters, "slack", flaky)
    reminders = reminders_for(session_factory, clock)
    assert reminders.send_due() == []
    assert reminders.send_due() == [f"nudge {claim} slack:ULEO"]
    assert reminders.send_due() == [] and len(calls) == 2


def test_no_poster_for_the_platform_takes_nothing(
    desk: Desk, stored: TriageReport, session_factory, clock: FixedClock, db: Session
) -> None:
    """A process that cannot post to Slack leaves the nudge to one that can."""
    assign(desk, stored.claims[0].id, "in 1 hour")
    assert reminders_for(session_factory, clock).send_due() == []
    assert db.scalar(select(func.count()).select_from(SentReminder)) == 0


# -- the digest ----------------------------------------------------------------------------------------------


def test_the_digest_lists_overdue_unassigned_and_due_today_once_a_day_at_its_local_time(
    desk: Desk,
    stored: TriageReport,
    session_factory,
    clock: FixedClock,
    posted: Posted,
    make_report: Callable[..., TriageReport],
) -> None:
    elsewhere = Place(platform="slack", workspace="T2", channel="COTHER", thread="1700000000.000900")
    with session_factory() as session, session.begin():
        other = save_report(
            session, make_report("other", url="https://other.example/a"), EDITOR, elsewhere, ARTICLE
        )
    first, second, third = (c.id for c in stored.claims)
    assign(desk, first, "in 1 hour")  # will be overdue
    assign(desk, second, "tomorrow 20:00")  # due today when the digest goes out
    clock.now = datetime(2026, 11, 26, 7, 59, tzinfo=UTC)  # 08:59 in Berlin
    settings = {"digest_channels": "slack:T1/CDIGEST", "digest_time": "09:00", "timezone": "Europe/Berlin"}
    reminders = reminders_for(session_factory, clock, remind_before="0", **settings)
    assert reminders.send_due() == []

    clock.now += timedelta(minutes=1)
    assert reminders.send_due() == ["digest slack:T1/CDIGEST"]
    ((where, digest, who),) = posted
    assert (where.workspace, where.channel, where.thread, who) == ("T1", "CDIGEST", None, None)
    assert digest.title == "🗓️ Desk digest, Thu 26 Nov 2026"
    overdue, unassigned, today = digest.sections
    assert [i.ref for i in overdue.items] == [first]
    assert third in [i.ref for i in unassigned.items] and first not in [i.ref for i in unassigned.items]
    assert [i.ref for i in today.items] == [second]
    listed = {i.ref for s in digest.sections for i in s.items}
    assert not listed & {c.id for c in other.claims}  # another workspace's claims stay out of it

    clock.now += timedelta(hours=5)
    assert reminders.send_due() == []  # once a day
    clock.now += timedelta(days=1)
    assert reminders.send_due() == ["digest slack:T1/CDIGEST"]


def test_due_today_in_the_digest_is_the_desks_own_day(
    desk: Desk, stored: TriageReport, session_factory, clock: FixedClock, posted: Posted
) -> None:
    first = stored.claims[0].id
    assign(desk, first, "in 10 hours")  # 19:00 UTC, still today in Berlin
    settings = {"digest_channels": "slack:T1/CDIGEST", "timezone": "Europe/Berlin", "remind_before": "0"}
    assert reminders_for(session_factory, clock, **settings).send_due() == ["digest slack:T1/CDIGEST"]
    today = posted[0][1].sections[2]
    assert today.title == "Open claims due today (1)" and [i.ref for i in today.items] == [first]


# -- several workers -------------------------------------------------------------------------------------------


@pytest.fixture
def shared_database(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A database of its own that several workers commit to, as separate processes would."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'race.db'}"
    else:
        url = request.getfixturevalue("empty_postgres_url")
    storage_db.upgrade(url)
    return url


def test_two_workers_racing_for_the_same_reminders_send_each_once(
    shared_database: str, make_report: Callable[..., TriageReport], monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = session_factory_for(shared_database)
    with sessions() as session, session.begin():
        report = save_report(session, make_report(), EDITOR, PLACE, ARTICLE)
    clock = FixedClock()
    settings = {
        "database_url": shared_database,
        "digest_channels": "slack:T1/CDIGEST",
        "digest_time": "08:00",
    }
    desk = build_desk(Settings(**settings), sessions, clock=clock)
    for claim in report.claims:
        assign(desk, claim.id, "in 1 hour")

    posts: list[str] = []
    lock = threading.Lock()

    def slow_poster(where: Place, reply: Reply, who: str | None) -> None:
        time.sleep(0.05)  # a platform call, so both workers are inside their looks at once
        with lock:
            posts.append(reply.title)

    monkeypatch.setitem(publishers._posters, "slack", slow_poster)
    workers = [
        Reminders(build_desk(Settings(**settings), sessions, clock=clock), sessions, clock, f"w{n}")
        for n in range(2)
    ]
    start = threading.Barrier(2)
    results: list[list[str]] = [[], []]

    def look(n: int) -> None:
        start.wait()
        results[n] = workers[n].send_due()

    threads = [threading.Thread(target=look, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    expected = len(report.claims) + 1  # a nudge per claim and the digest
    assert len(posts) == expected and len(set(posts)) == expected
    assert sorted(results[0] + results[1]) == sorted(set(results[0]) | set(results[1]))
    with sessions() as session:
        rows = session.scalars(select(SentReminder)).all()
    assert len(rows) == expected
    assert {r.worker for r in rows} <= {"w0", "w1"}


def test_the_workers_look_on_their_own(
    shared_database: str, make_report: Callable[..., TriageReport], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loop `start_workers` runs beside the triage workers: it looks every FACTDESK_REMIND_INTERVAL."""
    sessions = session_factory_for(shared_database)
    with sessions() as session, session.begin():
        report = save_report(session, make_report(), EDITOR, PLACE, ARTICLE)
    clock = FixedClock()
    settings = Settings(database_url=shared_database, editors="slack:UMARIA", remind_interval=0.02)
    assign(build_desk(settings, sessions, clock=clock), report.claims[0].id, "in 1 hour")
    sent = threading.Event()
    monkeypatch.setitem(publishers._posters, "slack", lambda *_: sent.set())

    loop = ReminderLoop(settings, clock=clock)
    try:
        assert sent.wait(10)
    finally:
        loop.stop()


# -- through the real platform code ------------------------------------------------------------------------------


def test_a_slack_nudge_mentions_the_assignee_in_the_cards_thread(
    desk: Desk, stored: TriageReport, session_factory, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(publishers, "_posters", {})
    claim = stored.claims[0].id
    assign(desk, claim, "in 1 hour", who="<@U0LEO1234>")
    settings = Settings(database_url="sqlite://", slack_bot_token="xoxb-test")
    with SlackApiServer() as api:
        slack_publish.register(settings, WebClient(token="xoxb-test", base_url=api.url))
        assert reminders_for(session_factory, clock).send_due() == [f"nudge {claim} slack:U0LEO1234"]
        (call,) = api.calls_to("chat.postMessage")

    assert (call.args["channel"], call.args["thread_ts"]) == (PLACE.channel, PLACE.thread)
    assert call.args["text"].startswith(f"<@U0LEO1234> ⏰ @\u2060U0LEO1234: {claim} is due in 1 h")
    blocks = call.blocks()
    assert blocks[0]["text"]["text"] == "<@U0LEO1234>"
    assert any(claim in (b.get("text") or {}).get("text", "") for b in blocks[1:])


def test_a_slack_digest_is_posted_to_its_channel(
    desk: Desk, stored: TriageReport, session_factory, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(publishers, "_posters", {})
    settings = Settings(database_url="sqlite://", slack_bot_token="xoxb-test")
    with SlackApiServer() as api:
        slack_publish.register(settings, WebClient(token="xoxb-test", base_url=api.url))
        reminders = reminders_for(
            session_factory, clock, digest_channels="slack:T1/CDIGEST", remind_before="0"
        )
        assert reminders.send_due() == ["digest slack:T1/CDIGEST"]
        (call,) = api.calls_to("chat.postMessage")

    assert call.args["channel"] == "CDIGEST" and "thread_ts" not in call.args
    texts = [(b.get("text") or {}).get("text", "") for b in call.blocks()]
    assert texts[0] == "*🗓️ Desk digest, Wed 25 Nov 2026*"
    assert any(t.startswith("*Unassigned claims (3)*") for t in texts)
    assert sum(stored.claims[0].id in t for t in texts) == 1


def test_a_discord_nudge_pings_only_the_assignee(
    session_factory,
    clock: FixedClock,
    make_report: Callable[..., TriageReport],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(publishers, "_posters", {})
    fake = dp.FakeDiscord()

    async def request(http: discord.http.HTTPClient, route: discord.http.Route, **kwargs: Any) -> Any:
        return await fake.http_request(route, **kwargs)

    monkeypatch.setattr(discord.http.HTTPClient, "request", request)
    thread_id, checker = dp.snowflake(), dp.snowflake()
    card = Place(
        platform="discord", workspace=str(dp.GUILD_ID), channel=str(dp.CHANNEL_ID), thread=str(thread_id)
    )
    editor = Actor(platform="discord", user_id="900", display="maria")
    with session_factory() as session, session.begin():
        report = save_report(session, make_report(), editor, card, ARTICLE)
    settings = Settings(database_url="sqlite://", editors="discord:900", discord_token="worker-token")
    claim = report.claims[0].id
    reply = build_desk(settings, session_factory, clock=clock).run(
        f"assign {claim} <@{checker}> due in 1 hour", editor, card
    )
    assert not reply.error, reply.title

    publisher = discord_publish.register_standalone(settings)
    try:
        desk = build_desk(settings, session_factory, clock=clock)
        assert Reminders(desk, session_factory, clock, "w1").send_due() == [
            f"nudge {claim} discord:{checker}"
        ]
    finally:
        publisher.close()

    (sent,) = fake.find("POST", r"/channels/\d+/messages")
    assert sent.path == f"/channels/{thread_id}/messages"
    assert sent.payload["content"] == f"<@{checker}>"
    mentions = sent.payload["allowed_mentions"]
    assert (mentions["parse"], mentions["users"]) == ([], [checker])  # no @everyone, no role, nobody else
    title = sent.embeds[0]["title"].replace("\u200b", "")  # Discord's renderer defuses @ in text
    assert title.startswith(f"⏰ @{checker}: {claim} is due in 1 h")
