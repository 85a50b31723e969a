"""Benchmark the triage job queue on PostgreSQL: 1,000 jobs through 1, 2 and 4 worker processes, and a
kill -9 run that must lose no job and post no card twice.

Each run gets a fresh database. Worker processes (`run_worker_forever`, one triage thread each, offline
extractor) are started and warmed up first; then the jobs are enqueued as one burst. Latency is per job, from
`enqueue_triage` committing the job to the job finishing (card posted), so it includes the wait in the queue.
Throughput is jobs / (last finish − first enqueue). The publisher appends one line per card to a file, which
is how duplicates are counted.

Run: ``.venv/bin/python bench/queue.py`` (PostgreSQL from FACTDESK_TEST_POSTGRES_URL, default
postgresql+psycopg://postgres@127.0.0.1:5432/test; ``--jobs`` to change 1,000).
"""

from __future__ import annotations

import sys
from pathlib import Path

# This script shares its name with the standard library's `queue`: keep its own folder off the import path.
REPO = Path(__file__).resolve().parents[1]
sys.path[0] = str(REPO)

import argparse  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402

from sqlalchemy import func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.table import print_table  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.desk.api import Actor, Place  # noqa: E402
from bot.jobs.queue import enqueue_triage  # noqa: E402
from storage import db as storage_db  # noqa: E402
from storage import jobs  # noqa: E402

PLATFORM = "bench"
JOB_TIMEOUT_S = 3
ACTOR = Actor(platform=PLATFORM, user_id="bench")
# A made-up local-news paragraph; each job appends its own numbered sentence so every article is distinct.
STORY = (
    "The Harbour Council approved a budget of $4.2 billion on Tuesday, according to the mayor's office. "
    "Unemployment in the district fell to 3.1% last year, an official said, speaking on condition of anonymity. "
    "The new ferry terminal will open in 2027, Transport Commissioner Ada Mbeki told reporters. "
    "Critics say the council ignored a flood report that warned of rising costs."
)


def article(n: int) -> str:
    return f"{STORY} The council's {n}th session ended with {n % 97} motions passed."


@contextmanager
def fresh_database(base: str) -> Iterator[str]:
    name = f"factdesk_bench_queue_{uuid.uuid4().hex[:8]}"
    admin = storage_db.make_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    storage_db.upgrade(url)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def worker_main(cards: str, ready: str) -> None:
    """One worker process: warm the extractor, say so, then run until SIGTERM."""
    from bot.desk.publishers import register_publisher
    from bot.jobs.queue import run_worker_forever
    from bot.observability.logs import configure_logging
    from bot.triage import TriageService

    def publish(place: Place, reply, report) -> None:
        with open(cards, "a") as out:
            out.write(f"{place.message}\n")

    register_publisher(PLATFORM, publish)
    configure_logging("WARNING")
    TriageService().analyse(STORY)
    with open(ready, "a") as out:
        out.write(f"{os.getpid()}\n")
    run_worker_forever(concurrency=1)


def start_workers(url: str, count: int, workdir: Path) -> list[subprocess.Popen]:
    env = os.environ | {
        "FACTDESK_DATABASE_URL": url,
        "FACTDESK_EXTRACTOR": "offline",
        "FACTDESK_JOB_TIMEOUT": str(JOB_TIMEOUT_S),
    }
    ready = workdir / "ready.txt"
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        str(workdir / "cards.txt"),
        str(ready),
    ]
    workers = [subprocess.Popen(command, env=env, cwd=workdir) for _ in range(count)]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if ready.exists() and len(ready.read_text().split()) == count:
            return workers
        time.sleep(0.1)
    raise SystemExit("workers did not start within 120 s")


def stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()


def run(base: str, processes: int, count: int, *, kill_after: int | None = None) -> dict:
    with fresh_database(base) as url, tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        settings = Settings(database_url=url, extractor="offline")
        workers = start_workers(url, processes, workdir)
        cards = workdir / "cards.txt"
        factory = storage_db.make_session_factory(storage_db.make_engine(url))
        killed = None
        try:
            for n in range(count):
                enqueue_triage(
                    article(n), ACTOR, Place(platform=PLATFORM, message=f"m{n}"), settings=settings
                )
            deadline = time.monotonic() + 60 + count
            while time.monotonic() < deadline:
                posted = len(cards.read_text().splitlines()) if cards.exists() else 0
                if kill_after is not None and killed is None and posted >= kill_after:
                    killed = workers[0]
                    killed.send_signal(signal.SIGKILL)
                with factory() as session:
                    finished = session.scalar(
                        select(func.count())
                        .select_from(jobs.TriageJob)
                        .where(jobs.TriageJob.state.in_(jobs.FINISHED))
                    )
                if finished == count:
                    break
                time.sleep(0.2)
        finally:
            stop(workers)
        with factory() as session:
            rows = session.execute(
                select(jobs.TriageJob.created_at, jobs.TriageJob.finished_at, jobs.TriageJob.state)
            ).all()
        lines = cards.read_text().splitlines() if cards.exists() else []
    done = [r for r in rows if r.state == "done"]
    latencies = sorted((r.finished_at - r.created_at).total_seconds() * 1000 for r in done)
    span = (max(r.finished_at for r in done) - min(r.created_at for r in rows)).total_seconds() if done else 0
    per_message = Counter(lines)
    return {
        "workers": processes,
        "jobs": count,
        "killed": "kill -9 one" if kill_after is not None else "",
        "jobs/s": count / span if span else 0.0,
        "p50 ms": statistics.median(latencies) if latencies else None,
        "p99 ms": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else None,
        "lost": count - len(done),
        "duplicate cards": sum(n - 1 for n in per_message.values() if n > 1),
        "cards": len(per_message),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--worker", nargs=2, metavar=("CARDS", "READY"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker_main(*args.worker)
        return
    base = os.environ.get("FACTDESK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    rows = [run(base, processes, args.jobs) for processes in (1, 2, 4)]
    rows.append(run(base, 2, max(100, args.jobs // 5), kill_after=max(20, args.jobs // 50)))
    print(
        f"\nfactdesk triage queue on PostgreSQL, offline extractor, {os.cpu_count()} CPUs, 1 triage thread per worker"
    )
    print_table(
        rows, ("workers", "jobs", "killed", "jobs/s", "p50 ms", "p99 ms", "lost", "duplicate cards", "cards")
    )


if __name__ == "__main__":
    main()
