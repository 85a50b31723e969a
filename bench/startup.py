"""Start-up and throughput through the command a user runs: `python -m bench.startup` (part of `make bench`).

Each figure is the fastest of several runs of the real `factdesk` console script in a fresh process, as timeit
takes it (on a shared machine the slower runs measure the neighbours), with the median throughput beside it
so the noise shows: `--help`,
a two-line triage, and a triage of about 51,000 words of real BBC articles in one paste, from which the
words per second through the CLI are read: words over the time the long triage
takes beyond the two-line one, so start-up is not counted twice. Each figure is given on the clock and in
the command's CPU time, which a busy machine's other processes inflate far less.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.paths import SHARED
from bench.table import print_table

RUNS = 5
TINY = "Short note\n\nThe minister said on Tuesday that 40 percent of schools had reopened.\n"
LONG_WORDS = 51_000


def _exe() -> str:
    return str(Path(sys.executable).with_name("factdesk"))


def _timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds on the clock and of CPU (user plus system) that one run of the command took."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([_exe(), *args], env=env, check=True, capture_output=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def _fastest(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return min(r[0] for r in runs), min(r[1] for r in runs)


def _long_article(path: Path) -> int:
    """About LONG_WORDS words of real BBC copy, paragraphs kept; the word count written."""
    words, parts = 0, []
    with (SHARED / "datasets" / "bbc-news" / "bbc_news.jsonl").open(encoding="utf-8") as lines:
        for row in map(json.loads, lines):
            parts.append(row["title"] + "\n\n" + row["text"])
            words += len(parts[-1].split())
            if words >= LONG_WORDS:
                break
    path.write_text("\n\n".join(parts), encoding="utf-8")
    return words


def evaluate(runs: int = RUNS) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        env = os.environ | {"FACTDESK_DATABASE_URL": f"sqlite:///{tmp}/bench.db"}
        tiny, long = Path(tmp, "tiny.txt"), Path(tmp, "long.txt")
        tiny.write_text(TINY, encoding="utf-8")
        words = _long_article(long)
        triage = ["triage", "--json", "--no-store", "--extractor", "offline"]
        _timed([*triage, str(tiny)], env)  # warm the page cache once, as a second run by a user would be
        help_runs = [_timed(["--help"], env) for _ in range(runs)]
        tiny_runs = [_timed([*triage, str(tiny)], env) for _ in range(runs)]
        long_runs = [_timed([*triage, str(long)], env) for _ in range(runs)]
    (help_s, help_cpu), (tiny_s, tiny_cpu), (long_s, long_cpu) = map(
        _fastest, (help_runs, tiny_runs, long_runs)
    )
    beyond = [long[0] - tiny[0] for long, tiny in zip(long_runs, tiny_runs, strict=True)]
    rows = [
        ("factdesk --help", round(help_s, 3), "<= 0.3 s"),
        ("two-line triage", round(tiny_s, 3), "<= 1.0 s"),
        (f"triage of {words:,} words", round(long_s, 3), ""),
        ("words/s through the CLI, beyond start-up", round(words / max(long_s - tiny_s, 1e-3)), ">= 100,000"),
        (
            "  the same, median of the runs' differences",
            round(words / max(statistics.median(beyond), 1e-3)),
            "",
        ),
        # CPU time: what a busy machine's neighbours inflate far less than the clock
        ("factdesk --help, CPU s", round(help_cpu, 3), "<= 0.3 s"),
        ("two-line triage, CPU s", round(tiny_cpu, 3), "<= 1.0 s"),
        (
            "words/s through the CLI beyond start-up, CPU",
            round(words / max(long_cpu - tiny_cpu, 1e-3)),
            ">= 100,000",
        ),
    ]
    return [
        {"dataset": "factdesk CLI", "split": f"fastest of {runs}", "metric": m, "value": v, "target": t}
        for m, v, t in rows
    ]


def main() -> int:
    print_table(evaluate())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
