"""Fit the claim calibration (`bot/extract/model/calibration.json`) on editors' labels of the dev split.

Run: `.venv/bin/python -m bench.fit_claim_calibration` (the dev split of `bench/data/newscard/`, texts
rebuilt from ../shared by `bench.newscard_data`). Each labelled sentence counts once per labeller, so a sentence the two labellers judge
differently is a soft target. The regularisation strength is chosen, and every figure printed is measured,
on out-of-fold predictions with whole articles held out (never a sentence scored by a fit that saw it).
Only dev articles are read; a text whose sha256 differs from its labels is skipped with a line saying so.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from bench import newscard_data
from bench.table import print_table
from bot.extract.calibration import CALIBRATION_PATH, FEATURES
from bot.extract.claims import scored_sentences
from bot.report import CLAIM_FLOOR
from bot.text.sentences import split_sentences

EVENT = (
    "that a fact-check editor, reading the whole article, assigns the sentence for checking, where a must-check "
    "sentence is always assigned and a could-check one (checkable but minor) is an even chance "
    "(labels of ../shared/design/news-card-labelling.md)"
)
# What each label says about that event: the calibration is fitted to these as soft targets.
ASSIGNED = {"must": 1.0, "could": 0.5, "no": 0.0}
CS = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
FOLDS = 8
TOP = 5
FLAG = 0.5


@dataclass
class Row:
    article: int
    labels: tuple[str, str]
    features: list[float] | None  # None: not a candidate (page furniture, heading), never a claim


def load(half: str | None = None) -> list[Row]:
    articles, skipped = newscard_data.load("dev")
    for line in skipped:
        print(f"skipped {line}")
    if half is not None:
        articles = [a for a in articles if (a.read_as_test is not None) == (half == "folded")]
    rows: list[Row] = []
    for number, article in enumerate(articles):
        text = article.text
        scored = {s.span.start: s for s in scored_sentences(text, split_sentences(text))}
        by_overlap = sorted(scored.values(), key=lambda s: s.span.start)
        for sentence in article.sentences:
            hit = scored.get(sentence.start) or next(
                (s for s in by_overlap if min(s.span.end, sentence.end) > max(s.span.start, sentence.start)),
                None,
            )
            labels = (sentence.labels["a"], sentence.labels["b"])
            rows.append(Row(number, labels, hit.features if hit else None))
    return rows


def _target(labels: tuple[str, str]) -> list[float]:
    return [ASSIGNED[label] for label in labels]


# A factual assertion passed on from a report or an outlet is still a claim to check: second-hand sourcing is
# a reason to check it, never a reason to list it lower, whatever the labels' correlation says.
NEVER_LOWERS = ("according_to",)
FITTED_ON = {
    None: "all dev articles of the news-card labelling set (never test)",
    "first": "the first 32 dev articles of the news-card labelling set (never test); the 16 folded into dev "
    "later were not fitted on",
    "folded": "the 16 dev articles once read as test (never the test split)",
}


def _fit(x: np.ndarray, y: np.ndarray, c: float):
    """Logistic regression on soft targets: each row once as assigned (weight y), once as not (1 - y); then a
    feature in NEVER_LOWERS that came out negative is held at 0 (it may raise a claim, never lower one)."""
    from sklearn.linear_model import LogisticRegression

    both = np.vstack([x, x])
    outcome = np.r_[np.ones(len(y)), np.zeros(len(y))]
    weight = np.r_[y, 1 - y] + 1e-9
    model = LogisticRegression(C=c, max_iter=5000).fit(both, outcome, sample_weight=weight)
    held = [FEATURES.index(name) for name in NEVER_LOWERS]
    model.coef_[0, held] = np.maximum(model.coef_[0, held], 0.0)
    return model


def _design(rows: Sequence[Row]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each candidate row once per labeller's verdict, so the two labellers weigh alike."""
    x, y, index = [], [], []
    for i, row in enumerate(rows):
        if row.features is None:
            continue
        for target in _target(row.labels):
            x.append(row.features)
            y.append(target)
            index.append(i)
    return np.asarray(x), np.asarray(y), np.asarray(index)


def out_of_fold(rows: list[Row], c: float) -> np.ndarray:
    """Each candidate's probability from a fit that held out its whole article; NaN for non-candidates."""
    x, y, index = _design(rows)
    articles = np.asarray([rows[i].article for i in index])
    folds = {a: n % FOLDS for n, a in enumerate(sorted(set(articles)))}
    fold = np.asarray([folds[a] for a in articles])
    predicted = np.full(len(rows), np.nan)
    for k in range(FOLDS):
        train, test = fold != k, fold == k
        if not test.any():
            continue
        model = _fit(x[train], y[train], c)
        predicted[index[test]] = model.predict_proba(x[test])[:, 1]
    return predicted


def log_loss(rows: list[Row], predicted: np.ndarray) -> float:
    losses = []
    for row, p in zip(rows, predicted, strict=True):
        if np.isnan(p):
            continue
        q = min(max(p, 1e-6), 1 - 1e-6)
        losses += [-(t * np.log(q) + (1 - t) * np.log(1 - q)) for t in _target(row.labels)]
    return float(np.mean(losses))


def figures(rows: list[Row], predicted: np.ndarray) -> dict[str, float]:
    """The issue's card figures, as bench/newscard.py reads them: flagged shares, must recall at FLAG, and
    top-TOP precision per article over the claims the card lists."""
    score = np.nan_to_num(predicted, nan=0.0)
    flagged = score >= FLAG
    both_no = np.asarray([r.labels == ("no", "no") for r in rows])
    must = np.asarray(["must" in r.labels for r in rows])
    both_must = np.asarray([r.labels == ("must", "must") for r in rows])
    top_hits, top_n = 0, 0
    for article in sorted({r.article for r in rows}):
        members = [i for i, r in enumerate(rows) if r.article == article and score[i] >= CLAIM_FLOOR]
        for i in sorted(members, key=lambda i: -score[i])[:TOP]:
            if rows[i].labels[0] == rows[i].labels[1]:  # as bench/newscard.py: agreed labels only
                top_n += 1
                top_hits += rows[i].labels[0] != "no"
    return {
        "flagged share of all sentences": float(flagged.mean()),
        "agreed 'no' sentences flagged": float(flagged[both_no].mean()),
        "agreed 'must' sentences flagged": float(flagged[both_must].mean()),
        "'must' (either labeller) flagged": float(flagged[must].mean()),
        f"top-{TOP} claims check-worthy (agreed must/could)": top_hits / max(top_n, 1),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=("first", "folded"), default=None, help="fit on one half of dev")
    args = parser.parse_args(argv)
    rows = load(args.half)
    losses = {c: log_loss(rows, out_of_fold(rows, c)) for c in CS}
    best = min(losses, key=losses.get)
    predicted = out_of_fold(rows, best)
    uncalibrated = np.asarray(
        [np.nan if r.features is None else 1 / (1 + np.exp(-r.features[0])) for r in rows]
    )
    before, after = figures(rows, uncalibrated), figures(rows, predicted)
    columns = ("figure (dev, articles held out)", "uncalibrated", "calibrated", "target")
    table = [
        ("sentences (articles)", f"{len(rows)} ({len({r.article for r in rows})})", "", ""),
        ("out-of-fold log loss by C", ", ".join(f"{c:g}: {v:.3f}" for c, v in losses.items()), "", ""),
        *[(name, before[name], after[name], _target_text(name)) for name in after],
    ]
    print_table([dict(zip(columns, row, strict=True)) for row in table], columns)
    x, y, _ = _design(rows)
    model = _fit(x, y, best)
    CALIBRATION_PATH.write_text(
        json.dumps(
            {
                "event": EVENT,
                "bias": round(float(model.intercept_[0]), 6),
                "weights": {
                    name: round(float(w), 6) for name, w in zip(FEATURES, model.coef_[0], strict=True)
                },
                "meta": {
                    "fitted": datetime.now(UTC).date().isoformat(),
                    "fitted_on": FITTED_ON[args.half],
                    "sentences": len(rows),
                    "C": best,
                    "out_of_fold": {name: round(v, 4) for name, v in after.items()},
                },
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {CALIBRATION_PATH}")


def _target_text(name: str) -> str:
    if "'no'" in name:
        return "<= 0.10"
    if name.startswith(("agreed 'must'", "top-")):
        return ">= 0.95"
    return ""


if __name__ == "__main__":
    main(sys.argv[1:])
