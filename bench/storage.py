"""Storage benchmark: 1,000,000 claims across 50,000 triage threads in PostgreSQL, then the desk's hot paths.

Creates a scratch database (`factdesk_bench` by default), migrates it with Alembic (so the indexes timed are
the shipped ones), bulk-loads with COPY, then times `list open`, `list mine`, the queue views (`list overdue`, `list unassigned
sort score`, `list due today`), `search`, `show`, `assign` and `stats` through the real `Desk` (parser, ORM,
reply building), and drops the database.

    .venv/bin/python -m bench.storage [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]
                                      [--threads 50000] [--claims-per-thread 20] [--runs 200] [--keep]

Targets (issue 3): every read under 50 ms p95, `assign` under 20 ms p95, the whole load under 5 minutes;
issue 19: `search` under 50 ms p95, a word in every claim included. Without a reachable server it says so and
skips (`make bench` runs it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bench.table import print_table
from bot.config import Settings
from bot.desk.api import Actor, Place
from bot.desk.service import Desk
from storage import db as storage_db

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
NOW = datetime.now(UTC).replace(microsecond=0)
CHECKERS = 40
KINDS = (
    "statistic",
    "quantity",
    "date_time",
    "event",
    "quote",
    "causal",
    "comparison",
    "prediction",
    "policy",
    "other",
)
VERDICTS = ("true", "mostly_true", "missing_context", "misleading", "mostly_false", "false", "unverifiable")
PLACE = Place(platform="slack", workspace="TBENCH", channel="C0", thread="1.1")


def checker(n: int) -> tuple[str, str]:
    return f"slack:UCHK{n:03d}", f"checker{n:03d}"


# -- data ---------------------------------------------------------------------------------------------------


def thread_rows(threads: int, channels: int, rng: random.Random) -> Iterator[tuple]:
    """Threads spread over the last year, newest with the highest id (as in production)."""
    for thread_id in range(1, threads + 1):
        age = timedelta(days=365 * (threads - thread_id) / threads, seconds=rng.randrange(3600))
        created = NOW - age
        yield (
            thread_id,
            1 + thread_id % channels,
            f"{1_700_000_000 + thread_id}.000100",
            f"https://news.example/{thread_id}",
            f"https://news.example/{thread_id}",
            f"Story {thread_id}",
            f"{rng.getrandbits(256):064x}",
            rng.randrange(300, 2000),
            "en",
            "offline",
            "bench",
            "Two named sources; one anonymous official.",
            20,
            "[]",
            "done",
            "slack:UREPORTER",
            created,
            created,
        )


def claim_rows(threads: int, per_thread: int, rng: random.Random) -> Iterator[tuple]:
    """Older triages are mostly finished (done or dismissed), recent ones mostly open, some overdue."""
    claim_id = 0
    for thread_id in range(1, threads + 1):
        age_days = 365 * (threads - thread_id) / threads
        created = NOW - timedelta(days=age_days)
        recent = age_days < 14
        for position in range(per_thread):
            claim_id += 1
            roll = rng.random()
            if recent:
                status = (
                    "new"
                    if roll < 0.6
                    else "assigned"
                    if roll < 0.7
                    else "in_progress"
                    if roll < 0.8
                    else "done"
                    if roll < 0.95
                    else "dismissed"
                )
            else:
                status = (
                    "dismissed"
                    if roll < 0.55
                    else "done"
                    if roll < 0.9
                    else "new"
                    if roll < 0.95
                    else "assigned"
                )
            assignee = display = due = verdict = explanation = verdict_at = seconds = reason = None
            if status in ("assigned", "in_progress", "done") or (status == "dismissed" and roll < 0.1):
                assignee, display = checker(rng.randrange(CHECKERS))
                due = (created + timedelta(days=rng.randrange(1, 6))).replace(hour=23, minute=59, second=0)
            if status == "done":
                verdict, explanation = rng.choice(VERDICTS), "Checked against the primary source."
                seconds = rng.randrange(1800, 10 * 86400)
                verdict_at = min(created + timedelta(seconds=seconds), NOW)
                seconds = int((verdict_at - created).total_seconds())
            if status == "dismissed":
                reason = "Not worth checking."
            yield (
                claim_id,
                thread_id,
                position,
                f"Claim {claim_id}: the figure rose by {rng.randrange(100)} percent in {2000 + rng.randrange(26)}.",
                position * 120,
                position * 120 + 80,
                rng.choice(KINDS),
                round(1.0 - position / per_thread * 0.8, 3),
                None,
                None,
                "[]",
                "offline",
                status,
                verdict,
                explanation,
                reason,
                assignee,
                display,
                due,
                created,
                verdict_at or created,
                verdict_at,
                seconds,
                1,
            )


# One assignment event per assigned claim and one verdict event per done claim, made server-side.
EVENTS_SQL = """
        INSERT INTO events (created_at, actor, actor_display, thread_id, claim_id, action, before, after)
        SELECT created_at, 'slack:UEDITOR', 'editor', thread_id, id, 'claim.assigned',
               '{"status": "new"}'::json, json_build_object('assignee', assignee, 'status', 'assigned')
          FROM claims WHERE assignee IS NOT NULL
        UNION ALL
        SELECT verdict_at, 'slack:UEDITOR', 'editor', thread_id, id, 'claim.verdict',
               '{"status": "in_progress"}'::json, json_build_object('verdict', verdict, 'status', 'done')
          FROM claims WHERE status = 'done'
"""


THREAD_COLUMNS = (
    "id, channel_id, thread_external, article_url, canonical_url, title, sha256, words, language, extractor_name, "
    "extractor_version, summary, sentences, notes, triage_status, created_by, created_at, updated_at"
)
CLAIM_COLUMNS = (
    "id, thread_id, position, text, start_offset, end_offset, kind, checkworthiness, speaker, attribution_id, signals, "
    "origin, status, verdict, explanation, dismiss_reason, assignee, assignee_display, due_at, created_at, "
    "updated_at, verdict_at, seconds_to_verdict, version"
)


def load(engine: Engine, threads: int, per_thread: int, channels: int = 20) -> dict[str, float]:
    rng = random.Random(1042)
    phases: dict[str, float] = {}
    raw = engine.raw_connection()
    try:
        connection = raw.driver_connection
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute("INSERT INTO workspaces (id, platform, external_id) VALUES (1, 'slack', 'TBENCH')")
            for channel in range(1, channels + 1):
                cursor.execute(
                    "INSERT INTO channels (id, workspace_id, external_id, name) VALUES (%s, 1, %s, %s)",
                    (channel, f"C{channel - 1}", f"desk-{channel}"),
                )
            with cursor.copy(f"COPY triage_threads ({THREAD_COLUMNS}) FROM STDIN") as copy:
                for row in thread_rows(threads, channels, rng):
                    copy.write_row(row)
            phases["threads"] = time.perf_counter() - started
            started = time.perf_counter()
            with cursor.copy(f"COPY claims ({CLAIM_COLUMNS}) FROM STDIN") as copy:
                for row in claim_rows(threads, per_thread, rng):
                    copy.write_row(row)
            phases["claims"] = time.perf_counter() - started
            started = time.perf_counter()
            cursor.execute(EVENTS_SQL)
            for table in ("workspaces", "channels", "triage_threads", "claims", "events"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
            phases["events"] = time.perf_counter() - started
        connection.commit()
        started = time.perf_counter()
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        phases["vacuum analyze"] = time.perf_counter() - started
    finally:
        raw.close()
    return phases


# -- timing -------------------------------------------------------------------------------------------------


def timed(runs: int, operation: Callable[[int], object]) -> list[float]:
    for i in range(min(5, runs)):  # warm the pool, the statement cache and the buffer cache
        operation(runs + i)
    samples = []
    for i in range(runs):
        started = time.perf_counter()
        operation(i)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


def measure(engine: Engine, runs: int) -> list[tuple[str, list[float], float]]:
    settings = Settings(
        database_url=engine.url.render_as_string(hide_password=False), editors="slack:UEDITOR"
    )
    desk = Desk(session_factory=storage_db.make_session_factory(engine), settings=settings)
    rng = random.Random(7)
    editor = Actor(platform="slack", user_id="UEDITOR", display="editor", is_editor=True)
    checkers = [
        Actor(platform="slack", user_id=f"UCHK{n:03d}", display=f"checker{n:03d}") for n in range(CHECKERS)
    ]
    with engine.connect() as connection:
        max_claim = connection.execute(text("SELECT max(id) FROM claims")).scalar_one()
        open_ids = list(
            connection.execute(
                text("SELECT id FROM claims WHERE status IN ('new', 'assigned') ORDER BY random() LIMIT :n"),
                {"n": runs + 10},
            ).scalars()
        )

    def run(command: str, actor: Actor = editor) -> None:
        reply = desk.run(command, actor, PLACE)
        if reply.error:
            raise RuntimeError(f"{command!r} failed: {reply.title}")

    return [
        ("list open", timed(runs, lambda i: run("list open")), 50),
        ("list mine", timed(runs, lambda i: run("list mine", checkers[i % CHECKERS])), 50),
        ("list @user done", timed(runs, lambda i: run(f"list <@UCHK{i % CHECKERS:03d}> done")), 50),
        ("show", timed(runs, lambda i: run(f"show C-{rng.randrange(1, max_claim + 1)}")), 50),
        (
            "assign",
            timed(
                runs,
                lambda i: run(f"assign C-{open_ids[i % len(open_ids)]} <@UCHK{i % CHECKERS:03d}> due fri"),
            ),
            20,
        ),
        ("list overdue", timed(runs, lambda i: run("list overdue")), 50),
        ("list unassigned sort score", timed(runs, lambda i: run("list unassigned sort score")), 50),
        ("list due today", timed(runs, lambda i: run("list due today")), 50),
        (
            "search one claim's number",
            timed(runs, lambda i: run(f"search {rng.randrange(1, max_claim)}")),
            50,
        ),
        ("search a year (1 claim in 26)", timed(runs, lambda i: run(f"search {2000 + i % 26}")), 50),
        ("search a broad word (every claim)", timed(runs, lambda i: run("search figure")), 50),
        ("search two broad words", timed(runs, lambda i: run("search percent rose")), 50),
        ("stats 7d", timed(max(20, runs // 4), lambda i: run("stats 7d")), 50),
        ("stats 30d", timed(max(20, runs // 4), lambda i: run("stats 30d")), 50),
        ("autocomplete", timed(runs, lambda i: desk.complete_claim_refs(f"C-{rng.randrange(1, 999)}")), 50),
    ]


# -- the run --------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url",
        default=os.environ.get("FACTDESK_TEST_POSTGRES_URL", DEFAULT_URL),
        help="any database on the server",
    )
    parser.add_argument("--database", default="factdesk_bench")
    parser.add_argument("--threads", type=int, default=50_000)
    parser.add_argument("--claims-per-thread", type=int, default=20)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    admin = storage_db.make_engine(args.url, isolation_level="AUTOCOMMIT")
    try:
        admin.connect().close()
    except OperationalError as exc:
        print(
            f"skipped: PostgreSQL at {make_url(args.url).render_as_string()} cannot be reached ({type(exc).__name__})"
        )
        return
    bench_url = make_url(args.url).set(database=args.database).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{args.database}"'))
    engine = storage_db.make_engine(bench_url, pool_size=5)
    try:
        started = time.perf_counter()
        storage_db.upgrade(engine=engine)
        phases = {"migrate": time.perf_counter() - started}
        phases |= load(engine, args.threads, args.claims_per_thread)
        total_load = time.perf_counter() - started
        with engine.connect() as connection:
            counts = dict(
                connection.execute(
                    text("SELECT status, count(*) FROM claims GROUP BY status ORDER BY status")
                ).all()
            )
            events = connection.execute(text("SELECT count(*) FROM events")).scalar_one()
        results = measure(engine, args.runs)
    finally:
        engine.dispose()
        if not args.keep:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)'))
        admin.dispose()

    claims = sum(counts.values())
    print(
        f"\nfactdesk storage bench · PostgreSQL · {args.threads:,} threads · {claims:,} claims · {events:,} events"
    )
    print("claims by status: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print("load phases (s): " + ", ".join(f"{k} {v:.1f}" for k, v in phases.items()))
    print()
    loaded = "yes" if total_load < 300 else "NO"
    rows = [{"metric": "load s (total)", "value": f"{total_load:.1f}", "target": "< 300", "met": loaded}]
    for name, samples, target in results:
        worst = p95(samples)
        rows.append(
            {
                "metric": f"{name} p95 ms ({len(samples)} runs, p50 {statistics.median(samples):.1f})",
                "value": f"{worst:.1f}",
                "target": f"< {target}",
                "met": "yes" if worst < target else "NO",
            }
        )
    print_table(rows, ("metric", "value", "target", "met"))
    print(json.dumps({"load_seconds": round(total_load, 1), **{n: round(p95(s), 2) for n, s, _ in results}}))


if __name__ == "__main__":
    main()
