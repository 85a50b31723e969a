"""Train the offline check-worthiness model and write `bot/extract/model/checkworthiness.json`.

Data: CLEF CheckThat! 2024 Task 1 English train (ClaimBuster debates 1960-2016) for fitting, optionally
with the positive sentences of CheckThat! 2019 Task 1 (2015-2019 debates and speeches, positives are
claims fact-checkers actually checked; its negatives are not used because they include many sentences
CT24 would label "Yes"). CT24's dev split and a time-based hold-out choose the variant, C and the
decision threshold. Dev is drawn from the same debates as train and is far easier than the later test
sets, so a threshold tuned on dev alone is too high for newer debates: the hold-out is train's
2016-campaign block (Sentence_id >= 29000, the latest debates in train), scored by a model fitted on the
older rows. dev-test and test_gold are read only to
drop any CT19 sentence whose exact text is in a CT24 split, never for a choice; for the hold-out model,
CT19 debates that are also in the 2016 block are left out too.

Variants: "lr" is logistic regression over `sentence_features`; "lr+nb" averages it with an NB-LR (the
same features scaled by their naive-Bayes log-count ratio, Wang & Manning 2012). Both are linear in the
same features, so their logit average is itself one linear model and the runtime scorer is unchanged.
"distilled" (only with ``--teacher``) is a ridge regression of a fine-tuned MiniLM teacher's logits
(`bench/teacher_checkworthiness.py`) over train and 120k unlabelled debate and news sentences
(`bench/checkworthiness_transfer.py`): the same features and runtime, with the teacher's judgement on
sentences no one labelled. Its hold-out model learns from the "older" teacher, which never saw the 2016
block.

Run: ``.venv/bin/pip install -e '.[train]' && .venv/bin/python -m bench.train_checkworthiness
[--teacher .cache/checkworthiness_teacher.npz]`` (about three minutes on one core without a teacher,
five with one; deterministic: lbfgs and conjugate gradients on fixed data give the same weights).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, diags
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import average_precision_score

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.checkworthiness_eval import SHARED, Labelled, load_ct24, precision_recall_f1  # noqa: E402
from bench.checkworthiness_transfer import fingerprint, transfer_sentences  # noqa: E402
from bot.extract.checkworthiness import MODEL_PATH, CheckworthinessModel, sentence_features  # noqa: E402

RECENT_FROM_ID = 29_000  # train's Sentence_ids from here on are the 2016 campaign's debates
TEACHER_LOGITS = Path(".cache") / "checkworthiness_teacher.npz"
CT19_DIR = SHARED / "datasets" / "checkthat2019-2020-en"
CT19_FILES = ("CT19_T1_train.csv", "CT19_T1_test_gold.csv")
CT19_MIN_WORDS = 4
MIN_COUNT = 2
C_GRID = (2.0, 4.0)
RIDGE_ALPHAS = (0.3, 1.0, 3.0)
DISTILLED_MIN_COUNT = 3  # the transfer corpus brings 100k rare n-grams; a third sighting keeps the file small
# The teacher's logits on its own training rows run to ±12; beyond 8 is certainty either way.
TEACHER_CLIP = 8.0
NB_C = 2.0
VARIANTS = (("lr", False), ("lr+nb", False), ("lr+nb", True))  # (model, with CT19 positives)
THRESHOLDS = np.round(np.arange(0.05, 0.80, 0.01), 2)
WEIGHT_DECIMALS = 4


@dataclass(frozen=True)
class Variant:
    model: str
    ct19: bool
    c: float  # C of the logistic regressions, or the ridge penalty of "distilled"

    @property
    def name(self) -> str:
        if self.model == "distilled":
            return f"distilled, alpha={self.c:g}"
        return f"{self.model}{' + CT19 positives' if self.ct19 else ''}, C={self.c:g}"


@dataclass(frozen=True)
class TeacherLogits:
    """What `bench.teacher_checkworthiness` wrote: logits of both teachers on train and the transfer corpus."""

    transfer: list[str]
    arrays: dict[str, np.ndarray]

    @classmethod
    def load(cls, path: Path) -> TeacherLogits:
        with np.load(path) as data:
            arrays = {k: data[k] for k in data.files if k != "meta"}
            meta = json.loads(str(data["meta"]))
        transfer = transfer_sentences()
        if fingerprint(transfer) != meta["fingerprint"]:
            raise SystemExit(
                f"{path} was written for another transfer corpus; rerun bench.teacher_checkworthiness"
            )
        return cls(transfer, arrays)

    def targets(self, teacher: str, train_mask: np.ndarray) -> np.ndarray:
        """The teacher's logits on the chosen train rows, then on the transfer corpus, clipped."""
        logits = np.concatenate(
            [self.arrays[f"{teacher}_train"][train_mask], self.arrays[f"{teacher}_transfer"]]
        )
        return np.clip(logits.astype(np.float64), -TEACHER_CLIP, TEACHER_CLIP)


def ct19_positives(exclude_like: Sequence[Labelled]) -> list[Labelled]:
    """CT19 check-worthy sentences not in any CT24 split, from debates that share no sentence with `exclude_like`.

    A debate shares a sentence when one of its lines longer than six words is in `exclude_like` verbatim;
    short lines ("Thank you.") recur everywhere and say nothing about the debate.
    """
    rows: list[dict[str, str]] = []
    for name in CT19_FILES:
        with (CT19_DIR / name).open(newline="", encoding="utf-8") as handle:
            rows += list(csv.DictReader(handle))
    held_out = {d.text.strip() for d in exclude_like}
    shared_debates = {
        r["file_name"] for r in rows if r["text"].strip() in held_out and len(r["text"].split()) > 6
    }
    ct24 = {d.text.strip() for split in ("train", "dev", "dev-test", "test_gold") for d in load_ct24(split)}
    texts = {
        r["text"].strip()
        for r in rows
        if r["label"] == "1"
        and r["file_name"] not in shared_debates
        and len(r["text"].split()) >= CT19_MIN_WORDS
    }
    return [Labelled(-1, t, True) for t in sorted(texts - ct24)]


def vocabulary(texts: Sequence[str], min_count: int = MIN_COUNT) -> list[str]:
    """Features seen in at least `min_count` sentences, sorted: set order varies with the hash seed."""
    counts: Counter[str] = Counter()
    for text in texts:
        lexical, structural = sentence_features(text)
        counts.update(set(lexical) | set(structural))
    return sorted(f for f, n in counts.items() if n >= min_count)


def design_matrix(features: list[str], texts: Sequence[str]) -> csr_matrix:
    """Exactly the rows the runtime scorer builds, so training and scoring cannot drift apart."""
    probe = CheckworthinessModel(features, np.zeros(len(features)), 0.0)
    ids, values, starts = probe.feature_rows(texts)
    matrix = csr_matrix((values, ids, starts), shape=(len(texts), len(features)))
    matrix.sort_indices()  # the scorer's per-row id order follows set order; fix it so fits repeat exactly
    return matrix


def log_count_ratio(x: csr_matrix, labels: np.ndarray) -> np.ndarray:
    """NB-LR feature scaling: log P(feature | positive) / P(feature | negative), add-one smoothed."""
    present = (x > 0).astype(np.float64)
    pos = np.asarray(present[labels].sum(axis=0)).ravel() + 1.0
    neg = np.asarray(present[~labels].sum(axis=0)).ravel() + 1.0
    return np.log((pos / pos.sum()) / (neg / neg.sum()))


def fit(data: Sequence[Labelled], variant: Variant) -> CheckworthinessModel:
    texts = [d.text for d in data]
    features = vocabulary(texts)
    labels = np.array([d.positive for d in data])
    x = design_matrix(features, texts)
    lr = LogisticRegression(C=variant.c, max_iter=5000).fit(x, labels)
    weights, bias = lr.coef_[0], float(lr.intercept_[0])
    if variant.model == "lr+nb":
        ratio = log_count_ratio(x, labels)
        nb = LogisticRegression(C=NB_C, max_iter=5000).fit(x @ diags(ratio), labels)
        # The mean of two linear logits over the same features is one linear model.
        weights = (weights + ratio * nb.coef_[0]) / 2
        bias = (bias + float(nb.intercept_[0])) / 2
    return CheckworthinessModel(features, weights, bias)


def fit_distilled(texts: Sequence[str], targets: np.ndarray, alpha: float) -> CheckworthinessModel:
    """Least squares on the teacher's logits: the student keeps the teacher's scale, not just its ranking."""
    features = vocabulary(texts, DISTILLED_MIN_COUNT)
    ridge = Ridge(alpha=alpha, solver="sparse_cg", max_iter=2000, tol=1e-6)
    ridge.fit(design_matrix(features, texts), targets)
    return CheckworthinessModel(features, ridge.coef_, float(ridge.intercept_))


def f1_at(gold: Sequence[bool], scores: np.ndarray, threshold: float) -> float:
    return precision_recall_f1(gold, list(scores >= threshold))[2]


def candidates(
    train: Sequence[Labelled], older: Sequence[Labelled], teacher: TeacherLogits | None
) -> Iterator[tuple[Variant, CheckworthinessModel, CheckworthinessModel]]:
    """Each variant with its shipped model (all of train) and its hold-out model (older rows only)."""
    recent = [d for d in train if d.sentence_id >= RECENT_FROM_ID]
    extra_all, extra_past = ct19_positives([]), ct19_positives(recent)
    print(f"CT19 positives {len(extra_all)} ({len(extra_past)} from debates outside the hold-out)")
    for model_name, with_ct19 in VARIANTS:
        for c in C_GRID:
            variant = Variant(model_name, with_ct19, c)
            full = fit([*train, *extra_all] if with_ct19 else train, variant)
            past = fit([*older, *extra_past] if with_ct19 else older, variant)
            yield variant, full, past
    if teacher is None:
        return
    is_older = np.array([d.sentence_id < RECENT_FROM_ID for d in train])
    every = np.ones(len(train), dtype=bool)
    for alpha in RIDGE_ALPHAS:
        full = fit_distilled(
            [*(d.text for d in train), *teacher.transfer], teacher.targets("full", every), alpha
        )
        past_texts = [*(d.text for d in older), *teacher.transfer]
        past = fit_distilled(past_texts, teacher.targets("older", is_older), alpha)
        yield Variant("distilled", False, alpha), full, past


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument(
        "--teacher",
        type=Path,
        help=f"teacher logits from bench.teacher_checkworthiness (e.g. {TEACHER_LOGITS})",
    )
    args = parser.parse_args(argv)

    train, dev = load_ct24("train"), load_ct24("dev")
    older = [d for d in train if d.sentence_id < RECENT_FROM_ID]
    recent = [d for d in train if d.sentence_id >= RECENT_FROM_ID]
    teacher = TeacherLogits.load(args.teacher) if args.teacher else None
    validation = {"dev": dev, "recent": recent}
    print(
        f"train {len(train)} (older {len(older)}, recent hold-out {len(recent)}), dev {len(dev)}"
        + (f", transfer {len(teacher.transfer)}" if teacher else "")
    )

    best: tuple[Variant, float, dict, CheckworthinessModel] | None = None
    for variant, full, past in candidates(train, older, teacher):
        scores = {
            "dev": full.score([d.text for d in dev]),
            "recent": past.score([d.text for d in recent]),
        }
        ap = {k: average_precision_score([d.positive for d in validation[k]], s) for k, s in scores.items()}
        mean_ap = (ap["dev"] + ap["recent"]) / 2
        print(f"{variant.name}: AP dev {ap['dev']:.3f}, AP recent hold-out {ap['recent']:.3f}", flush=True)
        if best is None or mean_ap > best[1]:
            best = (variant, mean_ap, scores, full)
    assert best is not None
    variant, _, scores, model = best

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
        f"chosen {variant.name}, threshold {threshold:.2f}: "
        + ", ".join(f"{k} F1 {v['f1']:.3f}" for k, v in report.items())
    )

    # Shift the intercept so that 0.5 is the tuned decision: callers only ever compare with 0.5.
    bias = model.bias - math.log(threshold / (1 - threshold))
    features = list(model.index)
    weights = [round(float(w), WEIGHT_DECIMALS) for w in model.weights]
    kept = [(f, w) for f, w in zip(features, weights, strict=True) if w != 0.0]
    data = "CLEF CheckThat! 2024 Task 1 English train (22,501 sentences)"
    if variant.ct19:
        data += f" + {len(ct19_positives([]))} CheckThat! 2019 Task 1 positive sentences"
    if teacher is not None and variant.model == "distilled":
        data += (
            ", relabelled by a MiniLM teacher fine-tuned on it, + "
            f"{len(teacher.transfer)} unlabelled debate and news sentences scored by that teacher"
        )
    payload = {
        "meta": {
            "name": f"checkworthiness-{variant.model}",
            "trained": dt.date.today().isoformat(),
            "data": data,
            "tuning": "variant, C and threshold on CT24 dev + train's 2016-debates block (Sentence_id >= 29000, model fitted on older rows)",
            "variant": variant.model,
            "alpha" if variant.model == "distilled" else "C": variant.c,
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
