"""PostgreSQL triage workers through a database outage (issue 15, item 2): a loopback TCP proxy between the
workers and the real server is cut for a while and restored. The workers must say they are down (`/healthz`
turns 503, which the Dockerfile's HEALTHCHECK reads), reconnect by themselves, and then run every job: the
ones queued during the outage and the one that was running when the connection dropped."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from tcp_proxy import TcpProxy

from adapters.http import build_http_app
from bot.config import Settings
from bot.database import session_factory_for
from bot.health import default_checks
from bot.jobs import queue
from bot.triage import TriageService
from storage import jobs
from tests.test_http_endpoints import serve_and
from tests.test_jobs import (  # noqa: F401
    ACTOR,
    TRIAGE_QUEUED,
    Cards,
    article,
    cards,
    jobs_postgres_url,
    place,
)
from tests.waiting import wait_until


@pytest.fixture
def slow_marked_jobs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Text with SLOW-JOB takes 2 s to extract, so the test can cut the database under a running job."""
    real_extract = TriageService.extract

    def extract(self, text_, *args, **kwargs):
        if "SLOW-JOB" in text_:
            time.sleep(2)
        return real_extract(self, text_, *args, **kwargs)

    monkeypatch.setattr(TriageService, "extract", extract)
    yield


def health(settings: Settings, workers: queue.WorkerHandle) -> tuple[int, dict]:
    app = build_http_app(settings=settings, checks=default_checks(settings, workers), workers=workers)
    status, _, body = serve_and(app, lambda fetch: fetch("GET", "/healthz"))
    return status, json.loads(body)


@pytest.mark.postgres
def test_workers_survive_an_outage_and_drain_the_queue(
    jobs_postgres_url: str,  # noqa: F811
    cards: Cards,  # noqa: F811
    slow_marked_jobs: None,
    tmp_path: Path,
) -> None:
    direct = Settings(database_url=jobs_postgres_url, extractor="offline", job_timeout=2)
    target = make_url(jobs_postgres_url)
    with TcpProxy(target.host or "127.0.0.1", target.port or 5432) as proxy:
        through_proxy = direct.model_copy(
            update={
                "database_url": target.set(host="127.0.0.1", port=proxy.port).render_as_string(
                    hide_password=False
                )
            }
        )
        workers = queue.start_workers(through_proxy, concurrency=2)
        try:
            queue.enqueue_triage(article(0), ACTOR, place("m0"), settings=direct)
            cards.wait_for(1)
            assert health(through_proxy, workers)[0] == 200

            running = queue.enqueue_triage(
                article(1) + " SLOW-JOB", ACTOR, place("m-running"), settings=direct
            )
            factory = session_factory_for(jobs_postgres_url)

            def started() -> bool:
                with factory() as session:
                    return jobs.get_job(session, running).attempts >= 1

            assert wait_until(started, 15)
            proxy.cut()
            assert wait_until(lambda: not workers.alive, 15), "the workers did not notice the outage"
            status, answer = health(through_proxy, workers)
            assert status == 503 and answer["status"] == "unhealthy"

            queued = [
                queue.enqueue_triage(article(n), ACTOR, place(f"m{n}"), settings=direct) for n in (2, 3, 4)
            ]
            time.sleep(3)  # the outage lasts a while; nothing can be run meanwhile
            assert len(cards.posted) == 1

            proxy.restore()
            assert wait_until(lambda: workers.alive, 30), "the workers did not reconnect"
            cards.wait_for(5, timeout=60)
            assert health(through_proxy, workers)[0] == 200
        finally:
            workers.stop(5)

    assert cards.messages() == ["m-running", "m0", "m2", "m3", "m4"]
    with factory() as session:
        assert all(jobs.get_job(session, i).state == "done" for i in [running, *queued])
        assert session.execute(text(TRIAGE_QUEUED)).scalar() == 0
