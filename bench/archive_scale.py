"""The archive at scale: a generated 100,000-record archive through `factdesk archive import`, then match
latency one claim at a time, on SQLite and (with --postgres URL) PostgreSQL.

Import is timed text-only (`--no-embed`): embedding is measured separately as claims per second, because
encoding 100,000 claims with MiniLM on this 2-core machine takes far longer than the 60 s import budget
(`factdesk archive embed` does it afterwards, resumable). For the latency rows every record gets a random
unit vector for its claim and another for its title, so the dense side does its full work and holds its
full memory (neither depends on the vectors' values).

    python -m bench.archive_scale [--records 100000] [--postgres postgresql+psycopg://postgres@127.0.0.1/x]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from bench.table import print_table

SUBJECTS = "The mayor|A senator|The health ministry|A viral post|The prime minister|An influencer|The WHO|A governor|The central bank|A tabloid".split(
    "|"
)
VERBS = "said|claimed|denied|announced|reported|tweeted|warned|promised".split("|")
TOPICS = "vaccines|5G masts|grain exports|inflation|unemployment|wildfires|the border wall|school meals|electric cars|tax cuts|the moon landing|bird flu|rent prices|bridge repairs|pension age".split(
    "|"
)
EFFECTS = "caused|doubled|halved|ended|funded|banned|hid|raised|cut|tripled".split("|")
PLACES = "Ohio|Lagos|Bavaria|Kerala|Ontario|Lyon|Perth|Manila|Bogotá|Leeds|Osaka|Gdańsk".split("|")


def claim(rng: random.Random) -> str:
    return (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} that {rng.choice(TOPICS)} {rng.choice(EFFECTS)} "
        f"{rng.choice(TOPICS)} in {rng.choice(PLACES)} by {rng.randint(2, 95)}% in {rng.randint(1990, 2026)}"
    )


def write_archive(path: Path, records: int) -> None:
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as out:
        for i in range(records):
            row = {
                "claim": claim(rng),
                "url": f"https://fc.example/{i}",
                "rating": rng.choice(["False", "True", "Misleading"]),
                "publisher": "Bench",
                "date": "2024-05-01",
                "language": "en",
            }
            out.write(json.dumps(row) + "\n")


def run_import(url: str, path: Path) -> float:
    env = {**os.environ, "FACTDESK_DATABASE_URL": url}
    command = [
        str(Path(sys.executable).with_name("factdesk")),
        "archive",
        "import",
        str(path),
        "--source",
        "scale",
        "--no-embed",
    ]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, check=False)
    if done.returncode:
        raise SystemExit(done.stderr.decode()[-2000:])
    return time.perf_counter() - started


def random_vectors(url: str) -> None:
    from bot.database import session_factory_for
    from storage import archive
    from storage.models import ArchivedFactCheck

    sessions = session_factory_for(url)
    rng = np.random.default_rng(7)
    with sessions() as session, session.begin():
        ids = list(session.scalars(select(ArchivedFactCheck.id)))
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            matrix = rng.standard_normal((len(chunk), 2, 384)).astype(np.float32)
            matrix /= np.linalg.norm(matrix, axis=2, keepdims=True)
            archive.set_vectors(
                session, {i: row.astype(np.float16).tobytes() for i, row in zip(chunk, matrix, strict=True)}
            )


def latencies(url: str, queries: list[str]) -> tuple[float, list[float], list[float], float]:
    """Index load, then per claim wall and CPU milliseconds (CPU shows what other jobs on the machine add)."""
    from bot.database import session_factory_for
    from bot.matching.encoder import default_encoder
    from bot.matching.index import ArchiveIndex

    default_encoder()  # the model is not the index: loaded before the memory is read
    index = ArchiveIndex(session_factory_for(url))
    before = _resident_mb()
    started = time.perf_counter()
    index.match("warm up", 5)
    load = time.perf_counter() - started
    grown_mb = _resident_mb() - before
    wall, cpu = [], []
    for query in queries:
        started, cpu_started = time.perf_counter(), time.process_time()
        index.match(query, 5)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return load, wall, cpu, grown_mb


def _resident_mb() -> float:
    """This process's resident memory now (not its peak, which the load's temporaries set)."""
    gc.collect()
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def batch_ms_per_claim(url: str, queries: list[str]) -> float:
    """`factdesk match --jsonl` per claim, start-up and index load taken out: (t(all) - t(one)) / (n - 1),
    with the claims sent five times over so that start-up's own jitter (~1 s) is spread thin."""
    env = {**os.environ, "FACTDESK_DATABASE_URL": url}
    command = [str(Path(sys.executable).with_name("factdesk")), "match", "--top", "5", "--jsonl", "-"]
    queries = queries * 5
    seconds = []
    for batch in (queries[:1], queries):
        lines = "".join(json.dumps({"id": i, "text": q}) + "\n" for i, q in enumerate(batch))
        started = time.perf_counter()
        done = subprocess.run(command, env=env, input=lines.encode(), capture_output=True, check=False)
        if done.returncode or len(done.stdout.splitlines()) != len(batch):
            raise SystemExit(done.stderr.decode()[-2000:])
        seconds.append(time.perf_counter() - started)
    return (seconds[1] - seconds[0]) * 1000 / (len(queries) - 1)


def embedding_rate() -> float:
    from bot.matching.encoder import default_encoder

    encoder = default_encoder()
    if encoder is None:
        return 0.0
    rng = random.Random(3)
    texts = [claim(rng) for _ in range(256)]
    started = time.perf_counter()
    encoder.encode(texts)
    return len(texts) / (time.perf_counter() - started)


def postgres_database(base: str) -> tuple[str, callable]:
    from storage import db

    name = f"factdesk_bench_{uuid.uuid4().hex[:8]}"
    admin = db.make_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return make_url(base).set(database=name).render_as_string(hide_password=False), drop


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--postgres", default=None, help="server URL; a throwaway database is made and dropped"
    )
    args = parser.parse_args()
    rng = random.Random(11)
    queries = [claim(rng) for _ in range(args.queries)]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "archive.jsonl"
        write_archive(source, args.records)
        backends = [("sqlite", f"sqlite:///{Path(tmp) / 'scale.db'}", None)]
        if args.postgres:
            url, drop = postgres_database(args.postgres)
            backends.append(("postgresql", url, drop))
        for name, url, drop in backends:
            try:
                seconds = run_import(url, source)
                random_vectors(url)
                load, times, cpu, grown = latencies(url, queries)
                batch = batch_ms_per_claim(url, queries)
            finally:
                if drop:
                    drop()
            label = f"{args.records:,} records"
            rows += [
                {
                    "backend": name,
                    "metric": f"import s ({label}, text only)",
                    "value": seconds,
                    "target": "<= 60",
                },
                {"backend": name, "metric": "index load s (first match of a process)", "value": load},
                {"backend": name, "metric": "index memory MB (resident, after load)", "value": grown},
                {"backend": name, "metric": "match ms p50", "value": float(np.percentile(times, 50))},
                {
                    "backend": name,
                    "metric": "match ms p95",
                    "value": float(np.percentile(times, 95)),
                    "target": "<= 50",
                },
                {"backend": name, "metric": "match CPU ms p95", "value": float(np.percentile(cpu, 95))},
                {"backend": name, "metric": "match --jsonl ms per claim", "value": batch, "target": "<= 50"},
            ]
    rate = embedding_rate()
    rows.append({"backend": "-", "metric": "embedding claims/s (MiniLM, numpy)", "value": rate})
    if rate:
        rows.append(
            {
                "backend": "-",
                "metric": f"embedding min for {args.records:,}",
                "value": args.records / rate / 60,
            }
        )
    print_table(rows, ("backend", "metric", "value", "target"))


if __name__ == "__main__":
    main()
