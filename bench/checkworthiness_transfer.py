"""The unlabelled transfer corpus the check-worthiness teacher labels for its student.

Distillation needs sentences beyond the 22,501 labelled ones, ideally from where the model is used:
later debates (CheckThat! 2019/2020 Task 1/5 text, labels ignored) and news copy (BBC News, PolNeAR
train articles, split by the extractor's own sentence splitter). Any sentence whose text is in a CT24
split is dropped, and so is every CT19 debate or CT20 file that shares a long line with dev-test or
test_gold, so the evaluation splits stay unseen. The list is sorted, so teacher logits written by one
run line up with the sentences another run rebuilds; `fingerprint` checks that they do.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Sequence

from bench.checkworthiness_eval import load_ct24
from bench.paths import SHARED
from bot.text.sentences import split_sentences

DATASETS = SHARED / "datasets"
CT19_FILES = ("CT19_T1_train.csv", "CT19_T1_test_gold.csv")
CT20_FILES = ("CT20_T5_debates_train.tsv", "CT20_T5_debates_test_gold.tsv")
MIN_WORDS, MAX_WORDS = 4, 80
LONG_LINE_WORDS = 6  # "Thank you." recurs in every debate; a longer shared line means a shared debate


def _read_csv(path_name: str, **options: str) -> list[dict[str, str]]:
    with (DATASETS / "checkthat2019-2020-en" / path_name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, **options))


def _shares_line(texts: Iterable[str], held_out: set[str]) -> bool:
    return any(t.strip() in held_out and len(t.split()) > LONG_LINE_WORDS for t in texts)


def _debate_lines(held_out: set[str]) -> list[str]:
    rows = [row for name in CT19_FILES for row in _read_csv(name)]
    debates: dict[str, list[str]] = {}
    for row in rows:
        debates.setdefault(row["file_name"], []).append(row["text"])
    lines = [t for texts in debates.values() if not _shares_line(texts, held_out) for t in texts]
    for name in CT20_FILES:
        texts = [row["text"] for row in _read_csv(name, delimiter="\t", quoting=csv.QUOTE_NONE)]
        if not _shares_line(texts, held_out):
            lines += texts
    return lines


def _news_sentences() -> list[str]:
    bodies = [json.loads(line)["text"] for line in (DATASETS / "bbc-news" / "bbc_news.jsonl").open()]
    polnear = DATASETS / "polnear-attribution" / "polnear_train.jsonl"
    bodies += [json.loads(line)["text"] for line in polnear.open()]
    return [body[s.start : s.end] for body in bodies for s in split_sentences(body)]


def transfer_sentences() -> list[str]:
    """Sorted, de-duplicated, whitespace-normalised sentences of 4-80 words, none from any CT24 split."""
    splits = {split: load_ct24(split) for split in ("train", "dev", "dev-test", "test_gold")}
    held_out = {d.text.strip() for split in ("dev-test", "test_gold") for d in splits[split]}
    labelled = {" ".join(d.text.split()) for rows in splits.values() for d in rows}
    out: set[str] = set()
    for text in (*_debate_lines(held_out), *_news_sentences()):
        normal = " ".join(text.split())
        if MIN_WORDS <= len(normal.split()) <= MAX_WORDS and normal not in labelled:
            out.add(normal)
    return sorted(out)


def fingerprint(texts: Sequence[str]) -> str:
    """A short hash of the sentence list, stored beside teacher logits to catch a misaligned corpus."""
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8") + b"\n")
    return digest.hexdigest()[:16]
