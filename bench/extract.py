"""Offline extractor speed on the 181 real article bodies of ../shared/datasets/article-extraction.

Run: `make bench` (or `.venv/bin/python -m bench.extract`). Prints one table; targets from issue 2:
>= 100,000 words/s on one core, p95 < 20 ms per article, gazetteer load < 0.5 s.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import time

from bench.paths import SHARED
from bench.table import print_table

GROUND_TRUTH = SHARED / "datasets" / "article-extraction" / "ground-truth.json"


def _pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def measure() -> list[tuple[str, str, str]]:
    from bot.names.gazetteer import load as load_gazetteer
    from bot.text.normalize import count_words, normalise

    _pin_one_core()
    started = time.perf_counter()
    load_gazetteer()
    gazetteer_s = time.perf_counter() - started

    from bot.extract.offline import OfflineExtractor

    extractor = OfflineExtractor()
    bodies = [normalise(b["articleBody"]) for b in json.loads(GROUND_TRUTH.read_text()).values()]
    bodies = [b for b in bodies if b]
    extractor.extract(bodies[0])  # warm the model and regexes, as a long-running process would be
    times: list[float] = []
    words = 0
    for _ in range(3):
        for body in bodies:
            t0 = time.perf_counter()
            extractor.extract(body)
            times.append(time.perf_counter() - t0)
            words += count_words(body)
    total = sum(times)
    p95 = statistics.quantiles(times, n=20)[-1] * 1000
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [
        ("articles", f"{len(bodies)} x 3 runs", ""),
        ("words per second (one core)", f"{words / total:,.0f}", ">= 100,000"),
        ("median ms per article", f"{statistics.median(times) * 1000:.2f}", ""),
        ("p95 ms per article", f"{p95:.2f}", "< 20"),
        ("gazetteer load s", f"{gazetteer_s:.3f}", "< 0.5"),
        ("peak memory MB (process)", f"{peak_mb:.0f}", ""),
    ]


def main() -> None:
    if not GROUND_TRUTH.exists():
        print(f"skipped: {GROUND_TRUTH} not found (set FACTDESK_SHARED_DIR)")
        return
    columns = ("metric", "value", "target")
    print_table([dict(zip(columns, row, strict=True)) for row in measure()], columns)


if __name__ == "__main__":
    main()
