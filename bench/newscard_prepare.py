"""Pick real articles not yet in the news-card set and lay them out for two labellers.

    python -m bench.newscard_prepare OUT_DIR --split test [--per-source 12] [--seed 20261207]

Writes OUT_DIR/manifest.json (what `bench.newscard_labels` reads back) and one `NN.txt` per article: the text
factdesk triages, then its sentences numbered by the project's own splitter, so both labellers label the
same sentences. Articles come in equal numbers from article-extraction (news pages only: 250-1,100 words
that report speech) and BBC News, drawn with a fixed seed and never one already labelled. OUT_DIR lies
outside the repository: the texts stay in ../shared.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from bench.newscard_data import LABELS, _bbc, _ground_truth, article_text, fingerprint
from bot.errors import LinkError

SOURCES = ("article-extraction", "bbc-news")
BBC_SECTIONS = ("politics", "business", "tech", "entertainment", "sport")
REPORTING = (" said", "according to", " told ")


def _candidates(source: str) -> list[str]:
    if source == "bbc-news":
        return sorted(key for key, story in _bbc().items() if story["category"] in BBC_SECTIONS)
    return sorted(_ground_truth())


def _usable(source: str, text: str) -> bool:
    if not 250 <= len(text.split()) <= 1100:
        return False
    return source == "bbc-news" or any(word in text for word in REPORTING)


def pick(source: str, count: int, rng: random.Random, labelled: set[str]) -> list[tuple[str, str]]:
    keys = [key for key in _candidates(source) if key not in labelled]
    rng.shuffle(keys)
    chosen = []
    for key in keys:
        try:
            text = article_text(source, key)
        except LinkError:  # a page the link extractor refuses (a wall, too short) is not a card
            continue
        if _usable(source, text):
            chosen.append((key, text))
            if len(chosen) == count:
                break
    return chosen


def main() -> None:
    from bot.text.sentences import split_sentences

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--split", required=True)
    parser.add_argument("--per-source", type=int, default=12)
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()

    labelled = {json.loads(line)["key"] for line in LABELS.read_text("utf-8").splitlines()}
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for source in SOURCES:
        for key, text in pick(source, args.per_source, rng, labelled):
            slot = f"{len(manifest) + 1:02d}"
            spans = [(s.start, s.end) for s in split_sentences(text)]
            prefix = "ae/" + key[:12] if source == "article-extraction" else "bbc/" + key
            manifest.append(
                {"slot": slot, "id": prefix, "source": source, "key": key, "split": args.split}
                | {"sha256": fingerprint(text), "sentences": spans}
            )
            numbered = [f"[{i}] {text[start:end]}" for i, (start, end) in enumerate(spans)]
            page = [
                f"# article {slot}",
                "",
                "## full text",
                "",
                text,
                "",
                "## sentences (label every number)",
                "",
            ]
            (args.out / f"{slot}.txt").write_text("\n".join(page + numbered) + "\n", "utf-8")
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=1), "utf-8")
    print(f"{len(manifest)} articles, {sum(len(m['sentences']) for m in manifest)} sentences in {args.out}")


if __name__ == "__main__":
    main()
