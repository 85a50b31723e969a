"""Triage jobs: durable before enqueue returns, run once, one card each, survive restarts and kill -9.

SQLite tests run the in-process pool; the PostgreSQL test (FACTDESK_TEST_POSTGRES_URL) runs two real
`run_worker_forever` processes in a database of its own, kills one with SIGKILL mid-job and checks that the
other finishes everything with exactly one card per job.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.config import Settings
from bot.database import session_factory_for
from bot.desk.api import Actor, Place
from bot.desk.publishers import register_publisher
from bot.jobs import queue
from bot.jobs.postgres import ENTRYPOINT
from bot.triage import TriageService
from storage import db as storage_db
from storage import jobs
from tests.conftest import ARTICLE, POSTGRES_ENV
from tests.waiting import wait_until

REPO = Path(__file__).resolve().parents[1]
PLATFORM = "jobtest"
# what is left of triage jobs in pgqueuer (a reminder sweep may be queued at any minute's tick)
TRIAGE_QUEUED = f"SELECT count(*) FROM pgqueuer WHERE entrypoint = '{ENTRYPOINT}'"
ACTOR = Actor(platform=PLATFORM, user_id="U1", display="maria")


def article(n: int) -> str:
    return f"{ARTICLE} The council will meet again on day {n} of the session."


def place(message: str) -> Place:
    return Place(platform=PLATFORM, workspace="W1", channel="C1", message=message)


class Cards:
    """The publisher the tests register: records every card it is asked to post."""

    def __init__(self) -> None:
        self.posted: list[tuple[str, str, str | None]] = []
        self.lock = threading.Lock()

    def __call__(self, where: Place, reply, report) -> None:
        with self.lock:
            self.posted.append(
                (where.message or "", reply.text or reply.title, report.thread_ref if report else None)
            )

    def wait_for(self, count: int, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.posted) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.posted) >= count, f"only {len(self.posted)} of {count} cards posted"

    def messages(self) -> list[str]:
        return sorted(message for message, _, _ in self.posted)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'jobs.db'}", extractor="offline", auto_migrate=True)


@pytest.fixture
def cards() -> Iterator[Cards]:
    recorder = Cards()
    register_publisher(PLATFORM, recorder)
    yield recorder


def job_rows(settings: Settings) -> dict[str, jobs.TriageJob]:
    with session_factory_for(settings.database_url)() as session:
        return {row.id: row for row in session.query(jobs.TriageJob)}


def triages(outcome: str) -> float:
    return REGISTRY.get_sample_value("factdesk_triages_total", {"outcome": outcome}) or 0.0


def test_each_job_runs_once_and_posts_one_card(settings: Settings, cards: Cards) -> None:
    cards_before, duplicates_before = triages("card"), triages("duplicate")
    workers = queue.start_workers(settings, concurrency=2)
    try:
        ids = [queue.enqueue_triage(article(n), ACTOR, place(f"m{n}"), settings=settings) for n in range(3)]
        ids.append(queue.enqueue_triage(article(0), ACTOR, place("m-again"), settings=settings))
        cards.wait_for(4)
    finally:
        workers.stop(5)
    assert cards.messages() == ["m-again", "m0", "m1", "m2"]
    rows = job_rows(settings)
    assert {rows[i].state for i in ids} == {"done"}
    assert all(rows[i].published_at is not None and rows[i].lease is None for i in ids)
    assert sorted(rows[i].outcome for i in ids) == ["card", "card", "card", "duplicate"]
    assert len({rows[i].thread_id for i in ids}) == 3  # the second paste of article 0 links to its thread
    assert triages("card") - cards_before == 3 and triages("duplicate") - duplicates_before == 1


def test_a_user_error_is_posted_as_a_one_sentence_failure(settings: Settings, cards: Cards) -> None:
    workers = queue.start_workers(settings, concurrency=1)
    try:
        job_id = queue.enqueue_triage("   ", ACTOR, place("m-empty"), settings=settings)
        cards.wait_for(1)
    finally:
        workers.stop(5)
    assert cards.posted[0][1].startswith("⚠️ There is no text to triage")
    assert job_rows(settings)[job_id].outcome == "failure"


def test_jobs_are_recorded_before_enqueue_returns_and_a_restart_finishes_them(
    settings: Settings, cards: Cards
) -> None:
    waiting = queue.enqueue_triage(article(1), ACTOR, place("m-waiting"), settings=settings)
    interrupted = queue.enqueue_triage(article(2), ACTOR, place("m-interrupted"), settings=settings)
    # A fresh engine (another process, after a crash) sees both; one was mid-triage when its process died.
    engine = storage_db.make_engine(settings.database_url)
    with storage_db.make_session_factory(engine)() as session, session.begin():
        assert jobs.queue_stats(session).queued == 2
        assert jobs.start_attempt(session, interrupted, lease="dead-process", worker="old:1") is not None
    engine.dispose()

    workers = queue.start_workers(settings, concurrency=2)
    try:
        cards.wait_for(2)
    finally:
        workers.stop(5)
    rows = job_rows(settings)
    assert cards.messages() == ["m-interrupted", "m-waiting"]
    assert rows[interrupted].attempts == 2 and rows[waiting].attempts == 1
    assert {rows[waiting].state, rows[interrupted].state} == {"done"}


def test_a_thread_stored_by_a_dead_attempt_is_posted_as_a_fresh_card(
    settings: Settings, cards: Cards
) -> None:
    job_id = queue.enqueue_triage(article(3), ACTOR, place("m-crashed"), settings=settings)
    # The first attempt stored the triage, then died before posting the card.
    TriageService(settings).paste(article(3), ACTOR, place("m-crashed"))
    workers = queue.start_workers(settings, concurrency=1)
    try:
        cards.wait_for(1)
    finally:
        workers.stop(5)
    [(message, card_text, thread_ref)] = cards.posted
    assert message == "m-crashed" and thread_ref == "T-1"
    assert not card_text.startswith("Already triaged")
    assert job_rows(settings)[job_id].outcome == "card"


def test_a_superseded_attempt_can_neither_publish_nor_finish(settings: Settings) -> None:
    job_id = queue.enqueue_triage(article(4), ACTOR, place("m-fenced"), settings=settings)
    factory = session_factory_for(settings.database_url)
    with factory() as session, session.begin():
        jobs.start_attempt(session, job_id, lease="first", worker="a:1")
        jobs.start_attempt(session, job_id, lease="second", worker="b:2")
        assert not jobs.mark_publishing(session, job_id, "first", thread_id=None, outcome="card")
        assert not jobs.finish(session, job_id, "first", published=True)
        assert jobs.mark_publishing(session, job_id, "second", thread_id=None, outcome="card")
        assert jobs.finish(session, job_id, "second", published=True)
        assert (
            jobs.start_attempt(session, job_id, lease="third", worker="c:3") is None
        )  # finished: never again


def test_shutdown_releases_a_job_past_the_deadline_and_its_old_attempt_stays_silent(
    settings: Settings, cards: Cards, monkeypatch: pytest.MonkeyPatch
) -> None:
    entered, proceed = threading.Event(), threading.Event()
    real_paste = TriageService.paste

    def slow_paste(self: TriageService, message: str, actor: Actor, where: Place):
        entered.set()
        proceed.wait(10)
        return real_paste(self, message, actor, where)

    monkeypatch.setattr(TriageService, "paste", slow_paste)
    workers = queue.start_workers(settings, concurrency=1)
    job_id = queue.enqueue_triage(article(5), ACTOR, place("m-slow"), settings=settings)
    assert entered.wait(10)
    started = time.monotonic()
    workers.stop(deadline_s=0.3)
    assert time.monotonic() - started < 3
    row = job_rows(settings)[job_id]
    assert (row.state, row.lease) == ("queued", None)

    proceed.set()  # the abandoned attempt finishes its triage, but its lease is gone
    time.sleep(0.5)
    assert cards.posted == []

    monkeypatch.setattr(TriageService, "paste", real_paste)
    workers = queue.start_workers(settings, concurrency=1)
    try:
        cards.wait_for(1)
    finally:
        workers.stop(5)
    time.sleep(0.2)
    assert cards.messages() == ["m-slow"]
    assert job_rows(settings)[job_id].attempts == 2


# -- PostgreSQL: two worker processes, one killed mid-job ---------------------------------------------

WORKER_SCRIPT = textwrap.dedent(
    """
    import os, sys, time
    sys.path.insert(0, {repo!r})
    from bot.desk.publishers import register_publisher
    from bot.jobs.queue import run_worker_forever
    from bot.observability.logs import configure_logging
    from bot.triage import TriageService

    cards, started = sys.argv[1], sys.argv[2]
    real_extract = TriageService.extract

    def extract(self, text, *args, **kwargs):
        if "SLOW-JOB" in text:  # the job the test kills its worker in the middle of
            with open(started, "a") as marker:
                marker.write(f"{{os.getpid()}}\\n")
            time.sleep(4)
        return real_extract(self, text, *args, **kwargs)

    def publish(place, reply, report):
        with open(cards, "a") as out:
            out.write(f"{{place.message}} {{os.getpid()}}\\n")

    TriageService.extract = extract
    register_publisher("jobtest", publish)
    configure_logging("WARNING")
    run_worker_forever(concurrency=1)
    """
)


@pytest.fixture
def jobs_postgres_url() -> Iterator[str]:
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"the multi-process queue test needs {POSTGRES_ENV}")
    name = f"factdesk_jobs_test_{uuid.uuid4().hex[:8]}"
    admin = storage_db.make_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    storage_db.upgrade(url)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.postgres
def test_kill_9_mid_job_loses_nothing_and_posts_each_card_once(
    jobs_postgres_url: str, tmp_path: Path
) -> None:
    settings = Settings(database_url=jobs_postgres_url, extractor="offline", job_timeout=2)
    script, cards, started = tmp_path / "worker.py", tmp_path / "cards.txt", tmp_path / "started.txt"
    script.write_text(WORKER_SCRIPT.format(repo=str(REPO)))
    env = os.environ | {
        "FACTDESK_DATABASE_URL": jobs_postgres_url,
        "FACTDESK_EXTRACTOR": "offline",
        "FACTDESK_JOB_TIMEOUT": "2",
    }
    workers = [
        subprocess.Popen([sys.executable, str(script), str(cards), str(started)], env=env, cwd=tmp_path)
        for _ in range(2)
    ]
    try:
        slow = queue.enqueue_triage(article(0) + " SLOW-JOB", ACTOR, place("m-slow"), settings=settings)
        ids = [slow] + [
            queue.enqueue_triage(article(n), ACTOR, place(f"m{n}"), settings=settings) for n in range(1, 6)
        ]
        assert wait_until(lambda: started.exists() and started.read_text().strip() != "", 30)
        victim_pid = int(started.read_text().split()[0])
        victim = next(w for w in workers if w.pid == victim_pid)
        victim.send_signal(signal.SIGKILL)
        victim.wait(5)

        factory = session_factory_for(jobs_postgres_url)

        def all_done() -> bool:
            with factory() as session:
                return all(jobs.get_job(session, i).state == "done" for i in ids)

        assert wait_until(all_done, 40), "a job was lost after kill -9"
        survivor = next(w for w in workers if w.pid != victim_pid)
        survivor.send_signal(signal.SIGTERM)
        assert survivor.wait(15) == 0
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait(5)

    posted = [line.split() for line in cards.read_text().splitlines()]
    assert sorted(message for message, _ in posted) == ["m-slow", "m1", "m2", "m3", "m4", "m5"]
    assert all(int(pid) != victim_pid for message, pid in posted if message == "m-slow")
    with factory() as session:
        slow_job = jobs.get_job(session, slow)
        assert slow_job.attempts >= 2 and not slow_job.worker.endswith(f":{victim_pid}")
        assert session.execute(text(TRIAGE_QUEUED)).scalar() == 0
