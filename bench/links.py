"""Benchmark link reading on the 181 real pages of the article-extraction benchmark, through the whole pipeline.

Each page is served over loopback by ``tests/pages_server.py`` and read with ``bot.links.fetch_article``
(fetch, safety checks, decompression, decoding, extraction, wall detection), then scored with the
benchmark's own metric: bags of 4-word shingles over ``\\w+`` tokens, precision and recall per page,
averaged over pages, F1 from the averages. trafilatura alone on the stored HTML is the reference row.

Run: ``.venv/bin/python bench/links.py``. Targets: F1 >= 0.960, fetch+extract p95 < 100 ms.
"""

from __future__ import annotations

import gzip
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import trafilatura

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from pages_server import PAGES_DIR, PagesServer, ground_truth, page_ids  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.errors import LinkError  # noqa: E402
from bot.links import fetch_article  # noqa: E402

TARGET_F1 = 0.960
TARGET_P95_MS = 100.0
LOW_PAGE_F1 = 0.8
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class PageScore:
    page_id: str
    tp: float
    fp: float
    fn: float
    milliseconds: float
    error: str | None = None

    @property
    def precision(self) -> float | None:
        return _precision(self.tp, self.fp, self.fn) if self.tp + self.fp > 0 else None

    @property
    def recall(self) -> float | None:
        return _recall(self.tp, self.fp, self.fn) if self.tp + self.fn > 0 else None

    @property
    def f1(self) -> float:
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def shingle_match(true: str, pred: str) -> tuple[float, float, float]:
    """TP/FP/FN over 4-gram shingles, normalised to sum to 1 (the benchmark's ``string_shingle_matching``)."""
    true_counts, pred_counts = _shingles(true), _shingles(pred)
    tp = fp = fn = 0.0
    for key in true_counts.keys() | pred_counts.keys():
        t, p = true_counts.get(key, 0), pred_counts.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def macro_scores(scores: list[PageScore]) -> tuple[float, float, float]:
    precision = statistics.mean(s.precision for s in scores if s.precision is not None)
    recall = statistics.mean(s.recall for s in scores if s.recall is not None)
    return precision, recall, 2 * precision * recall / (precision + recall)


def run(read: Callable[[str], str], truth: dict[str, str]) -> list[PageScore]:
    scores = []
    for page_id in page_ids():
        started = time.perf_counter()
        error = None
        try:
            text = read(page_id)
        except LinkError as exc:
            text, error = "", exc.sentence
        elapsed = (time.perf_counter() - started) * 1000
        scores.append(PageScore(page_id, *shingle_match(truth[page_id], text), elapsed, error))
    return scores


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    truth = ground_truth()
    settings = Settings(allow_private_urls=True)
    with PagesServer() as server:
        fetch_article(server.url("/synthetic"), settings)  # warm imports and caches once, not per page
        no_wall_rule = settings.model_copy(update={"min_article_words": 0})
        pipeline = run(lambda pid: fetch_article(server.url(f"/article/{pid}"), settings).text, truth)
        unrefused = run(lambda pid: fetch_article(server.url(f"/article/{pid}"), no_wall_rule).text, truth)

    def trafilatura_alone(page_id: str) -> str:
        html = gzip.decompress((PAGES_DIR / f"{page_id}.html.gz").read_bytes()).decode("utf-8")
        return trafilatura.extract(html, include_comments=False) or ""

    reference = run(trafilatura_alone, truth)

    print(f"{'run':<34} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6} {'med ms':>7} {'p95 ms':>7} {'refused':>7}")
    for label, scores in (
        ("fetch_article over loopback", pipeline),
        ("same, min_article_words=0", unrefused),
        ("trafilatura.extract on stored HTML", reference),
    ):
        p, r, f1 = macro_scores(scores)
        times = [s.milliseconds for s in scores]
        refused = sum(s.error is not None for s in scores)
        print(
            f"{label:<34} {len(scores):>5} {p:>6.3f} {r:>6.3f} {f1:>6.3f} "
            f"{statistics.median(times):>7.1f} {_percentile(times, 0.95):>7.1f} {refused:>7}"
        )

    low = sorted((s for s in pipeline if s.f1 < LOW_PAGE_F1), key=lambda s: s.f1)
    print(f"\npipeline pages with F1 below {LOW_PAGE_F1} ({len(low)}):")
    for s in low:
        detail = s.error or ""
        print(f"  {s.page_id[:12]}  F1 {s.f1:.3f}  P {s.precision or 0:.3f}  R {s.recall or 0:.3f}  {detail}")

    _, _, f1 = macro_scores(pipeline)
    p95 = _percentile([s.milliseconds for s in pipeline], 0.95)
    met = f1 >= TARGET_F1 and p95 < TARGET_P95_MS
    print(f"\ntargets: F1 >= {TARGET_F1} and p95 < {TARGET_P95_MS:g} ms -> {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
