"""Verified-claim retrieval on CLEF CheckThat! 2020 Task 2 (English), through the real interfaces.

The 10,373 Snopes claims go in as a ClaimReview DataFeed via `factdesk archive import`; the tweets of a split
are scored with `factdesk match --top 20 --jsonl`. Printed: MAP@1/3/5, MRR, recall@20, import time, and
per-query latency (in-process, one query at a time, after the index is loaded).

    python -m bench.claim_retrieval                 # dev (the reported split)
    python -m bench.claim_retrieval --fit           # fit the fusion weights on TRAIN, write fusion.json
    FACTDESK_DATABASE_URL=postgresql+psycopg://... python -m bench.claim_retrieval --database-from-env

Weights are fitted on the train split only. The one choice dev saw is the candidate count per side
(`CANDIDATES` in bot/matching/index.py), and 4-fold cross-validation on train picks the same value.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.paths import REPO, SHARED
from bench.table import print_table

DATA = SHARED / "datasets" / "claim-retrieval-ct2020"
URL = "https://checkthat2020.example/vclaim/{}"  # synthetic review URLs: the dataset has none


def read_claims() -> list[tuple[int, str, str]]:
    csv.field_size_limit(1 << 24)
    with (DATA / "verified_claims.docs.tsv").open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        next(reader)
        return [(int(row[0]), row[1], row[2]) for row in reader if len(row) >= 3]


def read_queries(split: str) -> tuple[dict[str, str], dict[str, int]]:
    csv.field_size_limit(1 << 24)
    with (DATA / f"{split}.tweets.queries.tsv").open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        next(reader)
        tweets = {row[0]: row[1] for row in reader if len(row) >= 2}
    qrels = {}
    for line in (DATA / f"{split}.tweet-vclaim-pairs.qrels").read_text().split("\n"):
        parts = line.split()
        if len(parts) == 4:
            qrels[parts[0]] = int(parts[2])
    return tweets, qrels


def write_feed(path: Path, claims: list[tuple[int, str, str]]) -> None:
    elements = [
        {
            "@type": "DataFeedItem",
            "item": [
                {
                    "@type": "ClaimReview",
                    "url": URL.format(index),
                    "claimReviewed": claim,
                    "headline": title,
                    "author": {"@type": "Organization", "name": "Snopes"},
                }
            ],
        }
        for index, claim, title in claims
    ]
    feed = {"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": elements}
    path.write_text(json.dumps(feed, ensure_ascii=False))


def factdesk(args: list[str], env: dict[str, str], stdin: Path | None = None) -> str:
    command = [str(Path(sys.executable).with_name("factdesk")), *args]
    with stdin.open("rb") if stdin else open(os.devnull, "rb") as handle:
        done = subprocess.run(command, env=env, stdin=handle, capture_output=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"factdesk {' '.join(args)} failed: {done.stderr.decode()[-2000:]}")
    return done.stdout.decode()


def scores(rankings: dict[str, list[int]], qrels: dict[str, int]) -> dict[str, float]:
    ranks = []
    for query, relevant in qrels.items():
        ranking = rankings.get(query, [])
        ranks.append(ranking.index(relevant) + 1 if relevant in ranking else None)
    n = len(ranks)
    out = {f"MAP@{k}": sum(1 / r for r in ranks if r and r <= k) / n for k in (1, 3, 5)}
    out["MRR"] = sum(1 / r for r in ranks if r) / n
    out["recall@20"] = sum(1 for r in ranks if r and r <= 20) / n
    return out


def train_features(url: str, split: str) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per query of `split`: the candidates' feature rows and which candidate is the relevant claim."""
    from bot.database import session_factory_for
    from bot.matching.index import ArchiveIndex, candidate_features
    from bot.matching.terms import plain

    index = ArchiveIndex(session_factory_for(url))
    snapshot = index._current()
    ids = np.array([int(row[0].rsplit("/", 1)[1]) for row in snapshot.rows])
    tweets, qrels = read_queries(split)
    texts = [tweets[q] for q in qrels]
    assert index.encoder is not None, "fitting needs the encoder package"
    vectors = index.encoder.encode([plain(t) for t in texts])
    xs, ys = [], []
    for i, (text, relevant) in enumerate(zip(texts, qrels.values(), strict=True)):
        features, candidates = candidate_features(snapshot, text, vectors[i])
        xs.append(features)
        ys.append((ids[candidates] == relevant).astype(np.float32))
    return xs, ys


def fit_weights(
    xs: list[np.ndarray], ys: list[np.ndarray], l2: float = 1e-3
) -> tuple[np.ndarray, float, float]:
    """A listwise linear ranker (softmax over each query's candidates, cross-entropy on the relevant one),
    then Platt scaling of its score on the same queries so that sigmoid(a*score + b) is a probability."""
    kept = [(x, y / y.sum()) for x, y in zip(xs, ys, strict=True) if y.any()]
    x_all = np.concatenate([x for x, _ in kept]).astype(np.float64)
    target = np.concatenate([y for _, y in kept])
    starts = np.cumsum([0] + [len(x) for x, _ in kept[:-1]])
    group = np.repeat(np.arange(len(kept)), [len(x) for x, _ in kept])
    w = np.zeros(x_all.shape[1])
    for _ in range(2000):
        z = x_all @ w
        z = np.exp(z - np.maximum.reduceat(z, starts)[group])
        p = z / np.add.reduceat(z, starts)[group]
        w -= 2.0 * (x_all.T @ (p - target) / len(kept) + l2 * w)
    score = np.concatenate([x @ w for x in xs])
    label = np.concatenate(ys)
    a, b = 1.0, 0.0
    for _ in range(3000):
        p = 1 / (1 + np.exp(-(a * score + b)))
        a -= 0.5 * float(np.mean((p - label) * score))
        b -= 0.5 * float(np.mean(p - label))
    return w, a, b


def fit(url: str) -> dict[str, float]:
    """Fit on TRAIN only, write bot/matching/fusion.json and return the weights."""
    from bot.matching.index import CANDIDATES, FEATURES

    xs, ys = train_features(url, "train")
    w, a, b = fit_weights(xs, ys)
    weights = {
        "bias": round(b, 4),
        **{name: round(float(a * v), 4) for name, v in zip(FEATURES, w, strict=True)},
    }
    target = REPO / "bot" / "matching" / "fusion.json"
    target.write_text(
        json.dumps(
            {
                "source": "bench/claim_retrieval.py --fit: listwise linear ranker plus Platt scaling over the "
                f"union of the top {CANDIDATES} BM25 and top {CANDIDATES} MiniLM (claim) candidates of the "
                f"{len(xs)} CheckThat! 2020 train tweets; the candidate count by 4-fold cross-validation on "
                "train (dev agreed); no test split used",
                "weights": weights,
                "threshold": 0.5,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"fitted on train ({len(xs)} tweets): {weights}")
    return weights


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", default="dev", choices=["train", "dev"])
    parser.add_argument("--fit", action="store_true", help="fit fusion weights on train, then score dev")
    parser.add_argument("--database-from-env", action="store_true", help="use FACTDESK_DATABASE_URL as is")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = dict(os.environ)
        if not args.database_from_env:
            env["FACTDESK_DATABASE_URL"] = f"sqlite:///{work / 'archive.db'}"
        claims = read_claims()
        write_feed(work / "feed.json", claims)
        started = time.perf_counter()
        factdesk(["archive", "import", str(work / "feed.json"), "--source", "ct2020"], env)
        import_seconds = time.perf_counter() - started
        weights = fit(env["FACTDESK_DATABASE_URL"]) if args.fit else None
        split = "dev" if args.fit else args.split
        tweets, qrels = read_queries(split)
        queries = work / "queries.jsonl"
        queries.write_text("".join(json.dumps({"id": q, "text": tweets[q]}) + "\n" for q in qrels))
        started = time.perf_counter()
        output = factdesk(["match", "--top", "20", "--jsonl", str(queries)], env, stdin=None)
        batch_seconds = time.perf_counter() - started
        rankings = {}
        for line in output.splitlines():
            answer = json.loads(line)
            rankings[str(answer["id"])] = [int(m["url"].rsplit("/", 1)[1]) for m in answer["matches"]]
        latencies = single_query_latencies(
            env["FACTDESK_DATABASE_URL"], [tweets[q] for q in list(qrels)[:100]], weights
        )
    metrics = scores(rankings, qrels)
    rows = [
        {
            "dataset": "ct2020",
            "split": split,
            "metric": name,
            "value": value,
            "target": ">= 0.90" if name == "MAP@5" else None,
        }
        for name, value in metrics.items()
    ]
    rows += [
        {"dataset": "ct2020", "split": split, "metric": "import s (10,373 claims)", "value": import_seconds},
        {
            "dataset": "ct2020",
            "split": split,
            "metric": f"match --jsonl s ({len(qrels)} tweets)",
            "value": batch_seconds,
        },
        {
            "dataset": "ct2020",
            "split": split,
            "metric": "ms/query p50",
            "value": float(np.percentile(latencies, 50)),
        },
        {
            "dataset": "ct2020",
            "split": split,
            "metric": "ms/query p95",
            "value": float(np.percentile(latencies, 95)),
            "target": "<= 50",
        },
    ]
    print_table(rows)


def single_query_latencies(url: str, texts: list[str], weights: dict[str, float] | None) -> list[float]:
    """`weights`: the ones just fitted (this process read fusion.json before the fit rewrote it)."""
    from bot.database import session_factory_for
    from bot.matching.index import ArchiveIndex

    index = ArchiveIndex(session_factory_for(url), weights=weights)
    index.match("warm up", 5)
    out = []
    for text in texts:
        started = time.perf_counter()
        index.match(text, 5)
        out.append((time.perf_counter() - started) * 1000)
    return out


if __name__ == "__main__":
    main()
