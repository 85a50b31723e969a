"""Reminder sweeps scheduled through the PostgreSQL job queue: several workers sharing one database send each
reminder once, a sweep that fails is retried and one whose worker dies is picked again.

The cron tick is driven directly (`enqueue_sweep`, what each worker's pgqueuer schedule runs every minute), so
no test waits for the minute; the reminders themselves are decided on a clock the tests set.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from pgqueuer.adapters.drivers.asyncpg import AsyncpgDriver
from pgqueuer.adapters.persistence.queries import Queries
from sqlalchemy import func, select, text

from bot.config import Settings
from bot.core import build_desk
from bot.database import session_factory_for
from bot.desk import publishers
from bot.desk.api import Place
from bot.desk.triage_store import save_report
from bot.jobs import postgres, queue
from bot.jobs.postgres import SWEEP, SWEEP_CRON, SWEEP_TICK, PostgresWorkers, conninfo, enqueue_sweep
from bot.models import TriageReport
from bot.replies import Reply
from storage import db as storage_db
from storage.models import SentReminder
from tests.conftest import ARTICLE, EDITOR, PLACE, FixedClock
from tests.waiting import wait_until

pytestmark = pytest.mark.postgres

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def url(empty_postgres_url: str) -> str:
    storage_db.upgrade(empty_postgres_url)
    return empty_postgres_url


@pytest.fixture
def claims(url: str, make_report: Callable[..., TriageReport]) -> list[str]:
    """A stored triage whose claims are all assigned, due an hour after the tests' clock."""
    sessions = session_factory_for(url)
    with sessions() as session, session.begin():
        report = save_report(session, make_report(), EDITOR, PLACE, ARTICLE)
    desk = build_desk(Settings(database_url=url, editors="slack:UMARIA"), sessions, clock=FixedClock())
    for claim in report.claims:
        reply = desk.run(f"assign {claim.id} <@ULEO> due in 1 hour", EDITOR, PLACE)
        assert not reply.error, reply.title
    return [claim.id for claim in report.claims]


class Posts:
    """The Slack notice poster the in-process workers share: slow enough that sweeps would overlap."""

    def __init__(self) -> None:
        self.titles: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, where: Place, reply: Reply, who: str | None) -> None:
        time.sleep(0.05)
        with self.lock:
            self.titles.append(reply.title)


@pytest.fixture
def posts(monkeypatch: pytest.MonkeyPatch) -> Posts:
    recorder = Posts()
    monkeypatch.setitem(publishers._posters, "slack", recorder)
    return recorder


def settings_for(url: str) -> Settings:
    return Settings(
        database_url=url, editors="slack:UMARIA", digest_channels="slack:T1/CDIGEST", job_timeout=2
    )


@pytest.fixture
def quiet_cron(monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers' own schedule fires on New Year's midnight only, so the only ticks are the test's."""
    monkeypatch.setattr(postgres, "SWEEP_CRON", "0 0 1 1 *")


@pytest.fixture
def workers(url: str, clock: FixedClock, quiet_cron: None) -> Iterator[list[PostgresWorkers]]:
    """Three workers, each with its own connection and scheduler, as three processes would have."""
    started = [PostgresWorkers(settings_for(url), 1, clock=clock) for _ in range(3)]
    yield started
    for worker in started:
        worker.stop(5)


def count_sweeps(worker: PostgresWorkers, failures: int = 0) -> list[str]:
    """Record each sweep this worker starts (its name, once per attempt); the first `failures` raise."""
    runs: list[str] = []
    real = worker.sweep

    def sweep() -> list[str]:
        runs.append(threading.current_thread().name)
        if len(runs) <= failures:
            raise OSError("the database went away mid-sweep")
        return real()

    worker.sweep = sweep
    return runs


def tick(url: str, workers: int = 1) -> list[bool]:
    """What each worker's cron tick runs, fired by `workers` of them at the same moment."""

    async def fire() -> list[bool]:
        connections = [await asyncpg.connect(conninfo(url)) for _ in range(workers)]
        try:
            ticks = (enqueue_sweep(Queries(AsyncpgDriver(c))) for c in connections)
            return list(await asyncio.gather(*ticks))
        finally:
            for connection in connections:
                await connection.close()

    return asyncio.run(fire())


def sweeps_queued(url: str) -> int:
    with session_factory_for(url)() as session:
        return session.scalar(text("SELECT count(*) FROM pgqueuer WHERE entrypoint = :e"), {"e": SWEEP})


def sent_rows(url: str) -> int:
    with session_factory_for(url)() as session:
        return session.scalar(select(func.count()).select_from(SentReminder)) or 0


def test_every_worker_registers_the_one_minute_schedule_in_pgqueuer(url: str, clock: FixedClock) -> None:
    """One row however many workers: pgqueuer hands each tick to one of them (FOR UPDATE SKIP LOCKED)."""

    def schedules() -> list[tuple[str, str]]:
        with session_factory_for(url)() as session:
            rows = session.execute(text("SELECT entrypoint, expression FROM pgqueuer_schedules"))
            return [(entrypoint, expression) for entrypoint, expression in rows]

    workers = [PostgresWorkers(settings_for(url), 1, clock=clock) for _ in range(2)]
    try:
        assert wait_until(lambda: bool(schedules()), 10)
        assert schedules() == [(SWEEP_TICK, SWEEP_CRON)]
    finally:
        for worker in workers:
            worker.stop(5)


def test_three_workers_sharing_the_queue_send_each_reminder_once(
    url: str, claims: list[str], workers: list[PostgresWorkers], posts: Posts, clock: FixedClock
) -> None:
    sweeps = [count_sweeps(worker) for worker in workers]
    assert sorted(tick(url, workers=3)) == [False, False, True]  # every worker's tick at once: one sweep

    expected = len(claims) + 1  # a nudge per claim and the digest
    assert wait_until(lambda: len(posts.titles) >= expected and sweeps_queued(url) == 0, 30)
    assert sum(map(len, sweeps)) == 1
    assert len(posts.titles) == len(set(posts.titles)) == expected == sent_rows(url)
    assert sum(title.startswith("🗓️ Desk digest") for title in posts.titles) == 1

    clock.now += timedelta(minutes=30)  # the next minutes' ticks: nothing new is due
    for _ in range(2):
        assert tick(url) == [True]
        assert wait_until(lambda: sweeps_queued(url) == 0, 30)
    assert sum(map(len, sweeps)) == 3 and len(posts.titles) == expected

    clock.now += timedelta(days=1)  # tomorrow's digest, once; the claims are overdue, the digest's business
    assert tick(url, workers=2).count(True) == 1
    assert wait_until(lambda: len(posts.titles) > expected and sweeps_queued(url) == 0, 30)
    assert len(posts.titles) == expected + 1 and posts.titles[-1] == "🗓️ Desk digest, Thu 26 Nov 2026"


def test_a_sweep_that_fails_is_retried_by_the_queue(
    url: str, claims: list[str], posts: Posts, clock: FixedClock, quiet_cron: None
) -> None:
    worker = PostgresWorkers(settings_for(url), 1, clock=clock)
    try:
        runs = count_sweeps(worker, failures=1)
        assert tick(url) == [True]
        assert wait_until(lambda: len(posts.titles) == len(claims) + 1 and sweeps_queued(url) == 0, 30)
        assert len(runs) == 2  # the failed attempt, then the queue's retry a second later
        assert tick(url) == [True] and wait_until(lambda: len(runs) == 3 and sweeps_queued(url) == 0, 30)
        assert len(posts.titles) == len(claims) + 1 == sent_rows(url)
    finally:
        worker.stop(5)


WORKER_SCRIPT = textwrap.dedent(
    """
    import os, sys, threading, time
    from datetime import datetime
    sys.path.insert(0, {repo!r})
    from bot.config import get_settings
    from bot.desk.publishers import register_notice_poster
    from bot.desk.reminders import Reminders
    from bot.jobs.postgres import PostgresWorkers
    from bot.observability.logs import configure_logging

    posts, started, now = sys.argv[1], sys.argv[2], datetime.fromisoformat(sys.argv[3])
    real_send_due = Reminders.send_due

    def send_due(self):
        try:  # the first sweep, in whichever worker picks it, hangs until the test kills its process
            os.close(os.open(started, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return real_send_due(self)
        with open(started, "w") as marker:
            marker.write(str(os.getpid()))
        time.sleep(120)

    def post(where, reply, who):
        with open(posts, "a") as out:
            out.write(f"{{os.getpid()}} {{reply.title}}\\n")

    Reminders.send_due = send_due
    register_notice_poster("slack", post)
    configure_logging("WARNING")
    PostgresWorkers(get_settings(), 1, clock=lambda: now)
    threading.Event().wait()
    """
)


def test_a_sweep_whose_worker_is_killed_is_picked_again_by_another(
    url: str, claims: list[str], tmp_path: Path
) -> None:
    script, posts, started = tmp_path / "worker.py", tmp_path / "posts.txt", tmp_path / "started"
    script.write_text(WORKER_SCRIPT.format(repo=str(REPO)))
    env = os.environ | {
        "FACTDESK_DATABASE_URL": url,
        "FACTDESK_EDITORS": "slack:UMARIA",
        "FACTDESK_JOB_TIMEOUT": "2",
    }
    now = FixedClock().now.isoformat()
    processes = [
        subprocess.Popen([sys.executable, str(script), str(posts), str(started), now], env=env, cwd=tmp_path)
        for _ in range(2)
    ]
    try:
        assert tick(url) == [True]  # waits in the queue until a worker has started and picks it
        assert wait_until(lambda: started.exists() and started.read_text().strip() != "", 60)
        victim_pid = int(started.read_text())
        victim = next(p for p in processes if p.pid == victim_pid)
        victim.send_signal(signal.SIGKILL)
        victim.wait(5)
        survivor = next(p for p in processes if p.pid != victim_pid)

        def all_posted() -> bool:
            return posts.exists() and len(posts.read_text().splitlines()) >= len(claims)

        assert wait_until(all_posted, 40), "the dead worker's sweep was not picked again"
        assert wait_until(lambda: sweeps_queued(url) == 0, 20)
        assert survivor.poll() is None
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait(5)

    lines = [line.split(" ", 1) for line in posts.read_text().splitlines()]
    assert len(lines) == len(claims) == sent_rows(url)  # each nudge once
    assert {pid for pid, _ in lines} == {str(survivor.pid)}
    assert sorted(title.split(": ", 1)[1].split()[0] for _, title in lines) == sorted(claims)


def test_start_workers_on_postgres_is_the_queue_scheduled_sweep(url: str) -> None:
    """No separate reminder loop on PostgreSQL: the queue's workers are the scheduler."""
    handle = queue.start_workers(Settings(database_url=url), concurrency=1)
    try:
        assert isinstance(handle, PostgresWorkers)
    finally:
        handle.stop(5)


def test_the_nudge_lead_is_decided_by_the_sweep_on_the_clock_not_by_the_tick(
    url: str, claims: list[str], workers: list[PostgresWorkers], posts: Posts, clock: FixedClock
) -> None:
    clock.now = datetime(2026, 11, 25, 7, 55, tzinfo=UTC)  # due at 10:00: the 2 h lead starts at 08:00
    assert tick(url) == [True] and wait_until(lambda: sweeps_queued(url) == 0, 30)
    assert not any(title.startswith("⏰") for title in posts.titles)
    clock.now += timedelta(minutes=10)
    assert tick(url) == [True]
    assert wait_until(lambda: sum(t.startswith("⏰") for t in posts.titles) == len(claims), 30)
