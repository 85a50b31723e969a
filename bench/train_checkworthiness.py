"""Train the offline check-worthiness model and write `bot/extract/model/checkworthiness.json`.

Data: CLEF CheckThat! 2024 Task 1 English train (ClaimBuster debates 1960-2016) for fitting, optionally
with the positive sentences of CheckThat! 2019 Task 1 (2015-2019 debates and speeches, positives are
claims fact-checkers actually checked; its negatives are not used because they include many sentences
CT24 would label "Yes"). CT24's dev split and a time-based hold-out choose the variant, C and the
decision threshold. Dev is drawn from the same
debates as train and is far easier than the later test sets, so a threshold tuned on dev alone is too
high for newer debates: the hold-out is train's 2016-campaign block (Sentence_id >= 29000, the latest
debates in train), scored by a model fitted on the older rows. dev-test and test_gold are read only to
drop any CT19 sentence whose exact text is in a CT24 split, never for a choice; for the hold-out model,
CT19 debates that are also in the 2016 block are left out too.

Variants: "lr" is logistic regression over `sentence_features`; "lr+nb" averages it with an NB-LR (the
same features scaled by their naive-Bayes log-count ratio, Wang & Manning 2012). Both are linear in the
same features, so their logit average is itself one linear model and the runtime scorer is unchanged.

Run: ``.venv/bin/pip install -e '.[train]' && .venv/bin/python -m bench.train_checkworthiness``
(about a minute on one core; deterministic: lbfgs on fixed data gives the same weights).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.checkworthiness_eval import Labelled, load_ct24, precision_recall_f1  # noqa: E402
from bot.extract.checkworthiness import MODEL_PATH, CheckworthinessModel, sentence_features  # noqa: E402

RECENT_FROM_ID = 29_000  # train's Sentence_ids from here on are the 2016 campaign's debates
MIN_COUNT = 2
C_GRID = (1.0, 2.0, 4.0, 8.0)
THRESHOLDS = np.round(np.arange(0.10, 0.80, 0.01), 2)
WEIGHT_DECIMALS = 4


def vocabulary(texts: Sequence[str]) -> list[str]:
    """Features seen in at least MIN_COUNT sentences, in first-seen order (stable across runs)."""
    counts: Counter[str] = Counter()
    for text in texts:
        lexical, structural = sentence_features(text)
        counts.update(set(lexical) | set(structural))
    return [f for f, n in counts.items() if n >= MIN_COUNT]


def design_matrix(features: list[str], texts: Sequence[str]) -> csr_matrix:
    """Exactly the rows the runtime scorer builds, so training and scoring cannot drift apart."""
    probe = CheckworthinessModel(features, np.zeros(len(features)), 0.0)
    ids, values, starts = probe.feature_rows(texts)
    return csr_matrix((values, ids, starts), shape=(len(texts), len(features)))


def fit(data: Sequence[Labelled], c: float) -> CheckworthinessModel:
    texts = [d.text for d in data]
    features = vocabulary(texts)
    labels = np.array([d.positive for d in data])
    lr = LogisticRegression(C=c, max_iter=5000).fit(design_matrix(features, texts), labels)
    return CheckworthinessModel(features, lr.coef_[0], float(lr.intercept_[0]))


def f1_at(gold: Sequence[bool], scores: np.ndarray, threshold: float) -> float:
    return precision_recall_f1(gold, list(scores >= threshold))[2]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)

    train, dev = load_ct24("train"), load_ct24("dev")
    older = [d for d in train if d.sentence_id < RECENT_FROM_ID]
    recent = [d for d in train if d.sentence_id >= RECENT_FROM_ID]
    validation = {"dev": dev, "recent": recent}
    print(f"train {len(train)} (older {len(older)}, recent hold-out {len(recent)}), dev {len(dev)}")

    best: tuple[float, float, dict] | None = None
    for c in C_GRID:
        full, past = fit(train, c), fit(older, c)
        scores = {"dev": full.score([d.text for d in dev]), "recent": past.score([d.text for d in recent])}
        ap = {k: average_precision_score([d.positive for d in validation[k]], s) for k, s in scores.items()}
        mean_ap = (ap["dev"] + ap["recent"]) / 2
        print(f"C={c:g}: AP dev {ap['dev']:.3f}, AP recent hold-out {ap['recent']:.3f}")
        if best is None or mean_ap > best[1]:
            best = (c, mean_ap, scores)
    assert best is not None
    c, _, scores = best

    def mean_f1(t: float) -> float:
        return sum(f1_at([d.positive for d in validation[k]], scores[k], t) for k in scores) / len(scores)

    threshold = float(max(THRESHOLDS, key=mean_f1))
    report = {
        k: dict(
            zip(
                ("precision", "recall", "f1"),
                precision_recall_f1([d.positive for d in validation[k]], list(s >= threshold)),
                strict=True,
            )
        )
        for k, s in scores.items()
    }
    print(
        f"chosen C={c:g}, threshold {threshold:.2f}: "
        + ", ".join(f"{k} F1 {v['f1']:.3f}" for k, v in report.items())
    )

    model = fit(train, c)
    # Shift the intercept so that 0.5 is the tuned decision: callers only ever compare with 0.5.
    bias = model.bias - math.log(threshold / (1 - threshold))
    features = list(model.index)
    weights = [round(float(w), WEIGHT_DECIMALS) for w in model.weights]
    kept = [(f, w) for f, w in zip(features, weights, strict=True) if w != 0.0]
    payload = {
        "meta": {
            "name": "checkworthiness-lr",
            "trained": dt.date.today().isoformat(),
            "data": "CLEF CheckThat! 2024 Task 1 English train (22,501 sentences)",
            "tuning": "C and threshold on CT24 dev + train's 2016-debates block (Sentence_id >= 29000, model fitted on older rows)",
            "C": c,
            "threshold_before_shift": threshold,
            "validation": {k: {m: round(v, 4) for m, v in r.items()} for k, r in report.items()},
            "features": len(kept),
        },
        "bias": round(bias, 6),
        "features": [f for f, _ in kept],
        "weights": [w for _, w in kept],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB, {len(kept)} features)")


if __name__ == "__main__":
    main()
