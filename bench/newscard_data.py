"""The news-card evaluation set: real articles from ../shared, labelled by two editors, read back as offsets.

The labels (`bench/data/newscard/labels.jsonl`) hold no article text, only offsets into the text the tool
sees, which is rebuilt here from the shared datasets: an article-extraction page goes through the link
extractor as a fetched link would, a BBC story is pasted headline first as a journalist pastes it. A text
whose sha256 no longer matches its labels (the link extractor changed) is reported and skipped, never
silently re-aligned.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bench.paths import REPO, SHARED

LABELS = REPO / "bench" / "data" / "newscard" / "labels.jsonl"
WEAK_LABELS = frozenset({"anonymous", "unnamed", "vague_collective", "secondhand_weak", "hedge"})
NAMED_LABELS = frozenset({"named_person", "named_institution", "named_outlet"})
SENTENCE_LABELS = ("must", "could", "no")


@dataclass
class Source:
    labeller: str
    label: str
    spans: list[tuple[int, int]]

    @property
    def weak(self) -> bool:
        return self.label in WEAK_LABELS


@dataclass
class Figure:
    labeller: str
    canonical: str
    spans: list[tuple[int, int]]
    misspelt: bool


@dataclass
class Sentence:
    start: int
    end: int
    labels: dict[str, str]  # labeller -> must|could|no


@dataclass
class Article:
    id: str
    source: str
    key: str
    split: str
    sha256: str
    text: str = ""
    read_as_test: str | None = None  # the date a folded-in row was read as test, once
    sentences: list[Sentence] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


def article_text(source: str, key: str) -> str:
    """The text factdesk triages for this article, built the way a user would hand it over."""
    from bot.text.normalize import normalise

    if source == "bbc-news":
        story = _bbc()[key]
        return normalise(story["title"] + "\n\n" + story["text"])
    from bot.links.extract import extract_article
    from bot.links.fetch import Page

    url = _ground_truth()[key]["url"]
    path = SHARED / "datasets" / "article-extraction" / "html" / f"{key}.html.gz"
    with gzip.open(path, "rt", encoding="utf8") as html:
        page = Page(requested_url=url, final_url=url, kind="html", content=html.read())
    return normalise(extract_article(page, min_words=80).text)


@cache
def _bbc() -> dict[str, dict]:
    with (SHARED / "datasets" / "bbc-news" / "bbc_news.jsonl").open(encoding="utf-8") as lines:
        return {row["id"]: row for row in map(json.loads, lines)}


@cache
def _ground_truth() -> dict[str, dict]:
    return json.loads((SHARED / "datasets" / "article-extraction" / "ground-truth.json").read_text("utf-8"))


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load(split: str | None = None, path: Path = LABELS) -> tuple[list[Article], list[str]]:
    """The labelled articles of ``split`` (all when None) with their texts, and a sentence per skipped one."""
    articles, skipped = [], []
    for row in map(json.loads, path.read_text("utf-8").splitlines()):
        if split is not None and row["split"] != split:
            continue
        text = article_text(row["source"], row["key"])
        if fingerprint(text) != row["sha256"]:
            skipped.append(f"{row['id']}: its text changed since it was labelled (link extractor?)")
            continue
        articles.append(
            Article(
                id=row["id"],
                source=row["source"],
                key=row["key"],
                split=row["split"],
                sha256=row["sha256"],
                text=text,
                read_as_test=row.get("read_as_test"),
                sentences=[Sentence(s["start"], s["end"], s["labels"]) for s in row["sentences"]],
                sources=[
                    Source(s["labeller"], s["label"], [tuple(x) for x in s["spans"]]) for s in row["sources"]
                ],
                figures=[
                    Figure(f["labeller"], f["canonical"], [tuple(x) for x in f["spans"]], f["misspelt"])
                    for f in row["figures"]
                ],
            )
        )
    return articles, skipped
