"""Fit the claim calibration (`bot/extract/model/calibration.json`) on editors' labels of the dev split.

Run: `.venv/bin/python -m bench.fit_claim_calibration` (the dev split of `bench/data/newscard/`, texts
rebuilt from ../shared by `bench.newscard_data`). Each labelled sentence counts once per labeller, so a
sentence the two labellers judge differently is a soft target. The regularisation strength is chosen on
out-of-fold predictions with whole articles held out (8 folds by article): the fewest agreed 'no'
sentences flagged once MUST_RECALL of the must-check ones are, then the lowest log loss. The card flags a
sentence at 0.5 and must not drop must-check ones, so the fit's intercept is then raised by the smallest
offset that flags MUST_RECALL of the agreed must-check sentences in its own training articles' out-of-fold
predictions. Every figure printed is measured on sentences no fit (nor offset) saw: 8 folds by article,
and the two halves of dev read across (fitted on the 32 never read as test, read on the ones folded in, and
back). The fit is deterministic (fixed folds, lbfgs): a rerun on the same labels writes the same weights.
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
CS = (0.03, 0.1, 0.3, 1.0, 3.0)
FOLDS = 8
TOP = 5
FLAG = 0.5
MUST_RECALL = 0.95  # the target for agreed must-check sentences flagged
OFFSETS = np.round(np.arange(0.0, 1.51, 0.02), 2)  # intercept raises tried, smallest first


@dataclass
class Row:
    article: int
    labels: tuple[str, str]
    features: list[float] | None  # None: not a candidate (page furniture, heading), never a claim
    folded: bool = False  # read once as test before it was folded into dev


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
            rows.append(Row(number, labels, hit.features if hit else None, article.read_as_test is not None))
    return rows


def _target(labels: tuple[str, str]) -> list[float]:
    return [ASSIGNED[label] for label in labels]


# A factual assertion passed on from a report or an outlet is still a claim to check: second-hand sourcing is
# a reason to check it, never a reason to list it lower, whatever the labels' correlation says.
NEVER_LOWERS = ("according_to",)
FITTED_ON = {
    None: "all {n} dev articles of the news-card labelling set (never test)",
    "first": "the {n} dev articles of the news-card labelling set never read as test",
    "folded": "the {n} dev articles once read as test and folded into dev (never the test split)",
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


def _log_odds(model, features: Sequence[Sequence[float]]) -> np.ndarray:
    return model.decision_function(np.asarray(features))


def out_of_fold(rows: list[Row], c: float) -> np.ndarray:
    """Each candidate's log-odds from a fit that held out its whole article; NaN for non-candidates."""
    predicted = np.full(len(rows), np.nan)
    for train, test in _folds(rows):
        x, y, _ = _design([rows[i] for i in train])
        model = _fit(x, y, c)
        scored = [i for i in test if rows[i].features is not None]
        if scored:
            predicted[scored] = _log_odds(model, [rows[i].features for i in scored])
    return predicted


def _folds(rows: list[Row]) -> list[tuple[list[int], list[int]]]:
    """FOLDS splits by article, the articles dealt out in their order in the labels file."""
    articles = sorted({r.article for r in rows})
    fold = {a: n % FOLDS for n, a in enumerate(articles)}
    return [
        (
            [i for i, r in enumerate(rows) if fold[r.article] != k],
            [i for i, r in enumerate(rows) if fold[r.article] == k],
        )
        for k in range(FOLDS)
    ]


def must_offset(rows: list[Row], log_odds: np.ndarray) -> float:
    """The smallest intercept raise that flags MUST_RECALL of the agreed must-check sentences."""
    both_must = np.asarray([r.labels == ("must", "must") for r in rows]) & ~np.isnan(log_odds)
    for offset in OFFSETS:
        if (log_odds[both_must] + offset >= 0.0).mean() >= MUST_RECALL:
            return float(offset)
    return float(OFFSETS[-1])


def _no_flagged_at_must_recall(rows: list[Row], log_odds: np.ndarray) -> float:
    """The agreed 'no' sentences flagged once the offset flags MUST_RECALL of the agreed must-check ones."""
    shifted = log_odds + must_offset(rows, log_odds)
    return figures(rows, 1 / (1 + np.exp(-shifted)))["agreed 'no' sentences flagged"]


def fit_calibration(rows: list[Row], c: float):
    """The fit on `rows` and its must-recall offset, chosen on `rows`' own out-of-fold log-odds."""
    x, y, _ = _design(rows)
    return _fit(x, y, c), must_offset(rows, out_of_fold(rows, c))


def held_out(rows: list[Row], c: float) -> np.ndarray:
    """Each candidate's probability from a fit and an offset that never saw its article."""
    predicted = np.full(len(rows), np.nan)
    for train, test in _folds(rows):
        predicted[test] = _read_across([rows[i] for i in train], [rows[i] for i in test], c)
    return predicted


def across_halves(rows: list[Row], c: float) -> tuple[np.ndarray, np.ndarray]:
    """Fitted on one half of dev, read on the other: (first read by the folded fit, folded read by first)."""
    first = [r for r in rows if not r.folded]
    folded = [r for r in rows if r.folded]
    return _read_across(folded, first, c), _read_across(first, folded, c)


def _read_across(train: list[Row], test: list[Row], c: float) -> np.ndarray:
    model, offset = fit_calibration(train, c)
    predicted = np.full(len(test), np.nan)
    scored = [i for i, r in enumerate(test) if r.features is not None]
    if scored:
        z = _log_odds(model, [test[i].features for i in scored]) + offset
        predicted[scored] = 1 / (1 + np.exp(-z))
    return predicted


def log_loss(rows: list[Row], log_odds: np.ndarray) -> float:
    losses = []
    for row, z in zip(rows, log_odds, strict=True):
        if np.isnan(z):
            continue
        q = min(max(1 / (1 + np.exp(-z)), 1e-6), 1 - 1e-6)
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
    log_odds = {c: out_of_fold(rows, c) for c in CS}
    losses = {c: log_loss(rows, z) for c, z in log_odds.items()}
    no_flagged = {c: _no_flagged_at_must_recall(rows, z) for c, z in log_odds.items()}
    best = min(CS, key=lambda c: (round(no_flagged[c], 3), losses[c]))
    uncalibrated = np.asarray(
        [np.nan if r.features is None else 1 / (1 + np.exp(-r.features[0])) for r in rows]
    )
    before, cross = figures(rows, uncalibrated), figures(rows, held_out(rows, best))
    first, folded = [r for r in rows if not r.folded], [r for r in rows if r.folded]
    read = {}
    if first and folded:
        on_first, on_folded = across_halves(rows, best)
        read = {"folded -> first": figures(first, on_first), "first -> folded": figures(folded, on_folded)}
    model, offset = fit_calibration(rows, best)
    columns = ("figure (dev, articles held out)", "uncalibrated", "8 folds", *read, "target")
    table = [
        (
            "sentences (articles)",
            f"{len(rows)} ({len({r.article for r in rows})})",
            "",
            *["" for _ in read],
            "",
        ),
        (
            f"out-of-fold 'no' flagged at must {MUST_RECALL} by C",
            ", ".join(f"{c:g}: {v:.3f}" for c, v in no_flagged.items()),
            "",
            *["" for _ in read],
            "",
        ),
        (
            "out-of-fold log loss by C",
            ", ".join(f"{c:g}: {v:.4f}" for c, v in losses.items()),
            "",
            *["" for _ in read],
            "",
        ),
        *[
            (name, before[name], cross[name], *[v[name] for v in read.values()], _target_text(name))
            for name in cross
        ],
    ]
    print_table([dict(zip(columns, row, strict=True)) for row in table], columns)
    print(f"C = {best:g}, must-recall offset {offset:+.2f}")
    CALIBRATION_PATH.write_text(
        json.dumps(
            {
                "event": EVENT,
                "bias": round(float(model.intercept_[0]) + offset, 6),
                "weights": {
                    name: round(float(w), 6) for name, w in zip(FEATURES, model.coef_[0], strict=True)
                },
                "meta": {
                    "fitted": datetime.now(UTC).date().isoformat(),
                    "fitted_on": FITTED_ON[args.half].format(n=len({r.article for r in rows})),
                    "sentences": len(rows),
                    "C": best,
                    "must_offset": offset,
                    "held_out_8_folds": _rounded(cross),
                    **{f"read across, {name}": _rounded(v) for name, v in read.items()},
                    "policy": "according_to held at 0 when the fit makes it negative (NEVER_LOWERS in "
                    "bench/fit_claim_calibration.py): second-hand sourcing never lowers a claim; the intercept "
                    f"includes an offset that flags {MUST_RECALL} of agreed must-check sentences out of fold",
                },
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {CALIBRATION_PATH}")


def _rounded(values: dict[str, float]) -> dict[str, float]:
    return {name: round(v, 4) for name, v in values.items()}


def _target_text(name: str) -> str:
    if "'no'" in name:
        return "<= 0.10"
    if name.startswith(("agreed 'must'", "top-")):
        return ">= 0.95"
    return ""


if __name__ == "__main__":
    main(sys.argv[1:])
