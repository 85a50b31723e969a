"""Check-worthiness quality on CLEF CheckThat! 2024 Task 1 (English), the official metric being F1 of "Yes".

Two scorers are measured on dev-test and test_gold, neither of which is used in training or tuning:
the trained model alone (`bot.extract.checkworthiness`) and the offline extractor's final score
(`bot.extract.claims.score_claims`, model plus explainable signals), each deciding "check-worthy" at 0.5.
Also reported: model file size and sentences scored per second on one core.

The LLM extractor is scored too when an endpoint is configured: set ``FACTDESK_LLM_MODEL`` and
``OPENAI_BASE_URL`` and/or ``OPENAI_API_KEY`` (otherwise its rows are absent and a note goes to stderr).
Each split is sent as articles of 40 sentences, one per paragraph; a sentence is check-worthy when a
grounded claim scored >= 0.5 overlaps it. A block the model fails on (timeout, junk JSON) leaves its
sentences unscored: they are counted in their own row and precision, recall and F1 cover scored sentences
only. Answers are cached in the configured database (``FACTDESK_DATABASE_URL``), as in triage, so a rerun
asks the model only for blocks that failed.

Run: ``.venv/bin/python -m bench.checkworthiness_eval``. Data: ``../shared/datasets/checkthat2024-en``
(or ``$FACTDESK_SHARED_DIR/datasets/checkthat2024-en``).
"""

from __future__ import annotations

import csv
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bench.paths import SHARED
from bench.table import print_table
from bot.config import Settings, get_settings
from bot.extract.checkworthiness import MODEL_PATH, CheckworthinessModel, default_model
from bot.extract.claims import score_claims
from bot.models import Span

if TYPE_CHECKING:
    from bot.extract.llm import LLMExtractor

CT24_DIR = SHARED / "datasets" / "checkthat2024-en"
TARGET_F1 = 0.70
TARGET_MODEL_MB = 5.0
TARGET_SENTENCES_PER_S = 5000.0
EVAL_SPLITS = ("dev-test", "test_gold")
LLM_BLOCK_SENTENCES = 40  # sentences per article sent to the LLM: one chunk each, well under the budget
THRESHOLD = 0.5


@dataclass(frozen=True)
class Labelled:
    sentence_id: int
    text: str
    positive: bool


def load_ct24(split: str, directory: Path = CT24_DIR) -> list[Labelled]:
    """One CT24 split; the TSV quotes fields with double quotes, so the csv module must read it."""
    path = directory / f"CT24_checkworthy_english_{split}.tsv"
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            Labelled(int(row["Sentence_id"]), row["Text"], row["class_label"].strip() == "Yes")
            for row in csv.DictReader(handle, delimiter="\t")
        ]


def precision_recall_f1(gold: Sequence[bool], predicted: Sequence[bool]) -> tuple[float, float, float]:
    """Of the positive class; 0 when undefined (no predictions or no gold positives)."""
    tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g and p)
    n_pred = sum(1 for p in predicted if p)
    n_gold = sum(1 for g in gold if g)
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def lay_out(texts: Sequence[str]) -> tuple[str, list[Span]]:
    """The texts as one article, one per paragraph, with each text's span in it."""
    spans: list[Span] = []
    offset = 0
    for text in texts:
        spans.append(Span(text=text, start=offset, end=offset + len(text)))
        offset += len(text) + 2
    return "\n\n".join(texts), spans


def extractor_scores(texts: Sequence[str]) -> np.ndarray:
    """The offline extractor's final score for each text, all laid out as one article (one call)."""
    article, spans = lay_out(texts)
    by_start = {c.start: c.checkworthiness for c in score_claims(article, spans)}
    return np.array([by_start.get(s.start, 0.0) for s in spans])


def llm_verdicts(
    extractor: LLMExtractor, texts: Sequence[str], block: int = LLM_BLOCK_SENTENCES, workers: int = 1
) -> list[bool | None]:
    """Per text: whether a claim the LLM scored >= 0.5 overlaps it, or None when its block failed."""
    from bot.extract.llm import LLMUnavailable

    def judge(start: int) -> list[bool | None]:
        article, spans = lay_out(texts[start : start + block])
        try:
            claims = [c for c in extractor.extract(article).claims if c.checkworthiness >= THRESHOLD]
        except LLMUnavailable as exc:
            print(f"llm: sentences {start}-{start + len(spans) - 1} unscored: {exc.reason}", file=sys.stderr)
            return [None] * len(spans)
        return [any(min(s.end, c.end) > max(s.start, c.start) for c in claims) for s in spans]

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return [v for verdicts in pool.map(judge, range(0, len(texts), block)) for v in verdicts]


def llm_rows(
    settings: Settings | None = None,
    directory: Path = CT24_DIR,
    splits: Sequence[str] = EVAL_SPLITS,
    block: int = LLM_BLOCK_SENTENCES,
) -> list[dict]:
    """The LLM extractor's rows, built as triage builds it; none (and a note) when no model is configured."""
    settings = settings or get_settings()
    if not settings.llm_configured:
        print(
            "llm rows skipped: set FACTDESK_LLM_MODEL and OPENAI_BASE_URL/OPENAI_API_KEY to score the LLM",
            file=sys.stderr,
        )
        return []
    from bot.triage import TriageService

    extractor = TriageService(settings).llm_extractor()
    rows = [_row("-", "llm model", extractor.version)]
    for split in splits:
        data = load_ct24(split, directory)
        verdicts = llm_verdicts(extractor, [d.text for d in data], block, settings.llm_concurrency)
        scored = [(d.positive, v) for d, v in zip(data, verdicts, strict=True) if v is not None]
        rows.append(_row(split, "llm unscored sentences", len(data) - len(scored)))
        if not scored:
            continue
        p, r, f = precision_recall_f1([g for g, _ in scored], [v for _, v in scored])
        rows.append(_row(split, "llm precision (scored sentences)", p))
        rows.append(_row(split, "llm recall (scored sentences)", r))
        target = f">= {TARGET_F1:.2f}" if split == "test_gold" else ""
        rows.append(_row(split, "llm F1 (scored sentences)", f, target))
    return rows


def sentences_per_second(score: Callable[[list[str]], object], texts: list[str], repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        score(texts)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def _row(split: str, metric: str, value: float | str, target: str = "") -> dict:
    return {
        "dataset": "checkthat2024-en",
        "split": split,
        "metric": metric,
        "value": round(value, 4) if isinstance(value, float) else value,
        "target": target,
    }


def evaluate(model: CheckworthinessModel | None = None, model_path: Path = MODEL_PATH) -> list[dict]:
    """Rows {dataset, split, metric, value, target} for the quality table."""
    model = model or default_model()
    rows: list[dict] = []

    def add(split: str, metric: str, value: float, target: str = "") -> None:
        rows.append(_row(split, metric, value, target))

    for split in EVAL_SPLITS:
        data = load_ct24(split)
        gold = [d.positive for d in data]
        texts = [d.text for d in data]
        for name, scores in (("model", model.score(texts)), ("extractor", extractor_scores(texts))):
            p, r, f = precision_recall_f1(gold, list(scores >= 0.5))
            add(split, f"{name} precision", p)
            add(split, f"{name} recall", r)
            add(split, f"{name} F1", f, f">= {TARGET_F1:.2f}" if split == "test_gold" else "")
    add("-", "model file MB", model_path.stat().st_size / 1e6, f"< {TARGET_MODEL_MB:.0f}")
    add("-", "model features", float(model.size))
    texts = [d.text for d in load_ct24("train")[:10_000]]
    add(
        "train[:10000]",
        "model sentences/s",
        sentences_per_second(model.score, texts),
        f">= {TARGET_SENTENCES_PER_S:.0f}",
    )
    add("train[:10000]", "extractor sentences/s", sentences_per_second(extractor_scores, texts))
    return rows + llm_rows()


def main() -> None:
    print_table(evaluate())


if __name__ == "__main__":
    main()
