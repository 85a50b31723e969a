"""Load test of the Slack adapter: a 10-second burst of signed paste events plus Slack-style retries.

Each bot runs as its own process (`serve` below), like `factdesk serve`: the real Bolt app over HTTP plus
triage workers (the in-process pool on SQLite, pgqueuer on PostgreSQL). A paste is acked once its job is
recorded, so the ack latency includes the reaction, the placeholder and the job insert; the card arrives
later, when a worker edits the placeholder. The Web API the bots call is the loopback
`tests/slack_api_server.py` in this process, which records what they posted. Checked: every request acked
under Slack's 3 s (p50/p99 reported), exactly one triage per distinct article, and no event lost (each one
got its placeholder and its card). Scenarios: one process on SQLite, and two processes sharing PostgreSQL
(retries land on the other process, as they do behind a load balancer).

    .venv/bin/python bench/slack_load.py [--events 200] [--retries 50] [--burst 10] [--postgres URL]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a file, bench/ leads sys.path, and bench/queue.py would hide the standard library's `queue`.
sys.path[:] = [str(ROOT), str(ROOT / "tests"), *(p for p in sys.path if Path(p).resolve() != ROOT / "bench")]

import argparse  # noqa: E402
import contextlib  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import httpx  # noqa: E402
import slack_requests as sr  # noqa: E402
from slack_api_server import SlackApiServer  # noqa: E402
from slack_harness import article, build, newsroom, slack_settings  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from adapters.slack.app import PLACEHOLDER  # noqa: E402
from adapters.slack.server import http_server  # noqa: E402
from bot.jobs.queue import start_workers  # noqa: E402
from storage import models as rows  # noqa: E402
from storage.db import make_engine, upgrade  # noqa: E402

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


# -- one bot process -------------------------------------------------------------------------------------


def serve(database_url: str, api_url: str, port_file: Path) -> None:
    settings = slack_settings(database_url, api_url)
    adapter = build(settings)
    workers = start_workers(settings)
    server = http_server(adapter, "127.0.0.1", 0)
    port_file.write_text(str(server.server_port))
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    try:
        server.serve_forever()
    finally:
        server.server_close()
        adapter.close()
        workers.stop()


@contextlib.contextmanager
def bot_processes(count: int, database_url: str, api_url: str) -> Iterator[list[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        procs, port_files = [], []
        for n in range(count):
            port_file = Path(tmp) / f"bot{n}.port"
            command = [
                sys.executable,
                __file__,
                "serve",
                "--db",
                database_url,
                "--api",
                api_url,
                "--port-file",
                str(port_file),
            ]
            procs.append(subprocess.Popen(command, cwd=ROOT))
            port_files.append(port_file)
        try:
            deadline = time.monotonic() + 60
            while not all(p.exists() and p.read_text() for p in port_files):
                if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                    raise RuntimeError("a bot process did not start")
                time.sleep(0.05)
            yield [f"http://127.0.0.1:{p.read_text()}/slack/events" for p in port_files]
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(timeout=60)


# -- the load ------------------------------------------------------------------------------------------


@dataclass
class Result:
    scenario: str
    sent: int
    latencies: list[float]
    failures: int
    distinct_events: int
    articles: int
    triages: int
    placeholders: Counter[str]  # event number -> placeholders posted for it
    cards: Counter[str]  # placeholder ts -> times it was edited into a card
    drain_s: float

    def row(self) -> list[str]:
        ms = sorted(x * 1000 for x in self.latencies)
        lost = sum(1 for n in range(self.distinct_events) if self.placeholders.get(str(n), 0) == 0)
        doubled = sum(count > 1 for count in self.placeholders.values()) + sum(
            count > 1 for count in self.cards.values()
        )
        missing_cards = max(0, self.distinct_events - len(self.cards))
        return [
            self.scenario,
            str(self.sent),
            f"{sum(x < 3 for x in self.latencies)}/{self.sent}",
            f"{statistics.median(ms):.0f}",
            f"{ms[max(0, int(len(ms) * 0.99) - 1)]:.0f}",
            f"{ms[-1]:.0f}",
            str(self.failures),
            f"{self.triages}/{self.articles}",
            str(lost + missing_cards),
            str(doubled),
            f"{self.drain_s:.1f}",
        ]


def run_load(
    scenario: str,
    urls: list[str],
    api: SlackApiServer,
    database_url: str,
    *,
    events: int,
    retries: int,
    burst: float,
    repastes: int,
) -> Result:
    rng = random.Random(7)
    articles = events - repastes
    texts = [article(f"{scenario}-{n}") for n in range(articles)]
    texts += [texts[rng.randrange(articles)] for _ in range(repastes)]  # same article, new message
    channel = "C0LOAD" + uuid.uuid4().hex[:6].upper()
    # Each event's ts encodes its number, so the recorded placeholder (thread_ts) says which event it serves.
    payloads = [
        sr.event_callback(sr.message_event(text, channel=channel, ts=f"{1_800_000_000 + n}.000000"))
        for n, text in enumerate(texts)
    ]
    schedule = [(n * burst / events, n, urls[n % len(urls)], None) for n in range(events)]
    for n in rng.sample(range(events), retries):
        start = schedule[n][0]
        other = urls[(n + 1) % len(urls)]  # a retry may reach another process
        schedule.append((start + rng.uniform(0.2, 1.5), n, other, 1))
    schedule.sort()

    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    client = httpx.Client(timeout=30, limits=httpx.Limits(max_connections=128))

    def send(n: int, url: str, retry: int | None) -> None:
        nonlocal failures
        body, content_type = sr.json_body(payloads[n])
        started = time.perf_counter()
        try:
            ok = sr.send(url, body, content_type, retry=retry, client=client).status_code == 200
        except httpx.HTTPError:
            ok = False
        elapsed = time.perf_counter() - started
        with lock:
            latencies.append(elapsed)
            failures += not ok

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=64) as pool:
        for at, n, url, retry in schedule:
            delay = t0 + at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(send, n, url, retry)
    client.close()

    def card_edits() -> Counter[str]:
        """Successful edits of each placeholder into its card (more than one would be a doubled card)."""
        return Counter(
            c.args["ts"]
            for c in api.calls_to("chat.update")
            if c.args.get("channel") == channel and c.response.get("ok")
        )

    def cards() -> int:
        return len(card_edits())

    deadline = time.monotonic() + 300
    while cards() < events and time.monotonic() < deadline:
        time.sleep(0.1)
    drain = time.perf_counter() - t0 - burst
    time.sleep(1.0)  # anything still arriving would be a duplicate

    placeholders = Counter(
        str(int(float(c.args["thread_ts"])) - 1_800_000_000)
        for c in api.calls_to("chat.postMessage")
        if c.args.get("channel") == channel and c.args.get("text") == PLACEHOLDER
    )
    engine = make_engine(database_url)
    with engine.connect() as connection:
        triages = connection.scalar(
            select(func.count())
            .select_from(rows.TriageThread)
            .join(rows.Channel)
            .where(rows.Channel.external_id == channel)
        )
    engine.dispose()
    return Result(
        scenario,
        len(schedule),
        latencies,
        failures,
        events,
        articles,
        triages or 0,
        placeholders,
        card_edits(),
        drain,
    )


# -- databases ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'load.db'}"
        upgrade(url)
        yield url


@contextlib.contextmanager
def postgres_database(base: str) -> Iterator[str]:
    name = f"factdesk_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def postgres_reachable(base: str) -> bool:
    try:
        engine = create_engine(base, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


def print_table(results: list[Result]) -> None:
    header = [
        "scenario",
        "requests",
        "acked <3s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "non-200",
        "triages/articles",
        "lost",
        "doubled",
        "drain s",
    ]
    table = [header, *(r.row() for r in results)]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for index, row in enumerate(table):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * width for width in widths))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    serve_cmd = sub.add_parser("serve", help="internal: one bot process")
    serve_cmd.add_argument("--db", required=True)
    serve_cmd.add_argument("--api", required=True)
    serve_cmd.add_argument("--port-file", type=Path, required=True)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--retries", type=int, default=50)
    parser.add_argument("--repastes", type=int, default=20, help="events re-pasting an earlier article")
    parser.add_argument("--burst", type=float, default=10.0, help="seconds over which the events are sent")
    parser.add_argument("--postgres", default=os.environ.get("FACTDESK_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    args = parser.parse_args()
    if args.command == "serve":
        serve(args.db, args.api, args.port_file)
        return

    load = {"events": args.events, "retries": args.retries, "burst": args.burst, "repastes": args.repastes}
    results = []
    with SlackApiServer(newsroom()) as api:
        with sqlite_database() as url, bot_processes(1, url, api.url) as urls:
            results.append(run_load("1 process, SQLite", urls, api, url, **load))
        if postgres_reachable(args.postgres):
            with postgres_database(args.postgres) as url, bot_processes(2, url, api.url) as urls:
                results.append(run_load("2 processes, PostgreSQL", urls, api, url, **load))
        else:
            print(
                f"PostgreSQL not reachable at {make_url(args.postgres).render_as_string()}: scenario skipped."
            )
    print()
    print(
        f"{args.events} distinct paste events ({args.events - args.repastes} distinct articles) over "
        f"{args.burst:.0f} s, plus {args.retries} retries (X-Slack-Retry-Num: 1)"
    )
    print_table(results)


if __name__ == "__main__":
    main()
