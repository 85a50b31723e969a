"""Retention: old article texts go, the desk's work (claims, verdicts, events) stays, and the purge is logged."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bot.config import Settings
from bot.database import session_factory_for
from bot.desk.api import Actor, Place
from bot.errors import BadInput
from bot.jobs.queue import enqueue_triage
from bot.purge import parse_age, purge
from bot.triage import TriageService
from storage import jobs
from storage.models import Claim, Event, TriageThread, utcnow
from tests.conftest import ARTICLE

ACTOR = Actor(platform="cli", user_id="editor", is_editor=True)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'purge.db'}", extractor="offline", auto_migrate=True)


def store(settings: Settings, text: str, message: str) -> int:
    outcome = TriageService(settings).paste(text, ACTOR, Place(platform="cli", message=message))
    assert outcome.report is not None and outcome.report.thread_ref
    return int(outcome.report.thread_ref.removeprefix("T-"))


def age(settings: Settings, thread_id: int, days: int) -> None:
    with session_factory_for(settings.database_url)() as session, session.begin():
        session.execute(
            update(TriageThread)
            .where(TriageThread.id == thread_id)
            .values(created_at=utcnow() - timedelta(days=days))
        )


def test_purge_drops_old_texts_and_keeps_claims_and_events(settings: Settings) -> None:
    old = store(settings, ARTICLE + " Old story.", "m-old")
    recent = store(settings, ARTICLE + " Recent story.", "m-recent")
    age(settings, old, days=200)
    factory = session_factory_for(settings.database_url)
    with factory() as session:
        claims_before = session.scalar(select(func.count()).select_from(Claim).where(Claim.thread_id == old))
    assert claims_before > 0

    assert purge(timedelta(days=180), settings=settings) == 1

    with factory() as session:
        old_thread, recent_thread = session.get(TriageThread, old), session.get(TriageThread, recent)
        assert old_thread.article_text is None and old_thread.text_purged_at is not None
        assert old_thread.summary and old_thread.sha256  # the triage itself stays
        assert recent_thread.article_text is not None
        assert (
            session.scalar(select(func.count()).select_from(Claim).where(Claim.thread_id == old))
            == claims_before
        )
        actions = list(session.scalars(select(Event.action).order_by(Event.id)))
    assert "thread.triaged" in actions and "thread.text_purged" in actions
    assert actions[-1] == "retention.purge"
    assert purge(timedelta(days=180), settings=settings) == 0  # nothing left to purge


def test_purge_drops_pasted_text_of_old_finished_jobs_only(settings: Settings) -> None:
    place = Place(platform="cli", message="m")
    finished = enqueue_triage("an old paste", ACTOR, place, settings=settings)
    waiting = enqueue_triage("a paste still waiting", ACTOR, place, settings=settings)
    factory = session_factory_for(settings.database_url)
    with factory() as session, session.begin():
        jobs.start_attempt(session, finished, lease="l", worker="w:1")
        jobs.finish(session, finished, "l", published=True)
        session.execute(
            update(jobs.TriageJob)
            .where(jobs.TriageJob.id.in_([finished, waiting]))
            .values(finished_at=utcnow() - timedelta(days=365), created_at=utcnow() - timedelta(days=365))
        )
    purge(timedelta(days=180), settings=settings)
    with factory() as session:
        assert jobs.get_job(session, finished).message is None
        assert jobs.get_job(session, waiting).message == "a paste still waiting"


def test_ages_are_read_like_an_operator_writes_them() -> None:
    assert parse_age("180d") == timedelta(days=180)
    assert parse_age("26w") == timedelta(weeks=26)
    assert parse_age("12h") == timedelta(hours=12)
    assert parse_age("90") == timedelta(days=90)
    for bad in ("soon", "0d", "-3d", "1y"):
        with pytest.raises(BadInput, match="180d"):
            parse_age(bad)


def test_purge_forgets_old_chat_deliveries_but_not_recent_ones(settings: Settings) -> None:
    from bot.desk.service import Desk
    from storage.models import ProcessedEvent

    desk = Desk(settings=settings)
    assert desk.claim_event("slack", "Ev-old") and desk.claim_event("slack", "Ev-new")
    with session_factory_for(settings.database_url)() as session, session.begin():
        session.execute(
            update(ProcessedEvent)
            .where(ProcessedEvent.event_id == "Ev-old")
            .values(created_at=utcnow() - timedelta(days=8))
        )
    purge(timedelta(days=180), settings=settings)
    assert desk.claim_event("slack", "Ev-old"), "a forgotten delivery may be handled again"
    assert not desk.claim_event("slack", "Ev-new"), "a recent one is still a duplicate"


def test_purge_forgets_reminders_about_moments_long_past(settings: Settings) -> None:
    from storage.models import SentReminder
    from storage.reminders import take_reminder

    TriageService(settings)  # migrates the file database
    sessions = session_factory_for(settings.database_url)
    with sessions() as session, session.begin():
        take_reminder(session, "digest", "slack:T1/C1", utcnow() - timedelta(days=8), "w1")
        take_reminder(session, "nudge", "C-1 slack:U1", utcnow() + timedelta(hours=1), "w1")
    purge(timedelta(days=180), settings=settings)
    with sessions() as session:
        assert session.scalars(select(SentReminder.kind)).all() == ["nudge"]
