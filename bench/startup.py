"""Start-up and throughput through the command a user runs: `python -m bench.startup` (part of `make bench`).

Each figure is the median of several runs of the real `factdesk` console script in a fresh process: `--help`,
a two-line triage, and a triage of about 51,000 words of real BBC articles in one paste, from which the
words per second through the CLI are read: words over the time the long triage
takes beyond the two-line one, so start-up is not counted twice.
"""

from __future__ import annotations

import json
import os
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


def _timed(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([_exe(), *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


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
        help_s = statistics.median(_timed(["--help"], env) for _ in range(runs))
        tiny_s = statistics.median(_timed([*triage, str(tiny)], env) for _ in range(runs))
        long_s = statistics.median(_timed([*triage, str(long)], env) for _ in range(max(runs // 2, 1)))
    rows = [
        ("factdesk --help", round(help_s, 3), "<= 0.3 s"),
        ("two-line triage", round(tiny_s, 3), "<= 1.0 s"),
        (f"triage of {words:,} words", round(long_s, 3), ""),
        ("words/s through the CLI, beyond start-up", round(words / max(long_s - tiny_s, 1e-3)), ">= 100,000"),
    ]
    return [
        {"dataset": "factdesk CLI", "split": "median", "metric": m, "value": v, "target": t}
        for m, v, t in rows
    ]


def main() -> int:
    print_table(evaluate())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
