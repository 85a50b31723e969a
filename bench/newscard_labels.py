"""Turn two labellers' per-article JSON files into the offsets-only label file the news-card bench reads.

    python -m bench.newscard_labels LABELLING_DIR

LABELLING_DIR holds `manifest.json` (slot, id, source, key, split, sha256 and sentence offsets of every
article) and one folder per labeller (`A/`, `B/`) with `NN.json` files written by the guide in
../shared/design/news-card-labelling.md, sentences labelled by number. Articles already in the label file
are kept; one labelled again replaces its row, so a new split is added without touching the others. Every phrase is looked up in the
article and stored as the offsets of each occurrence; the article texts themselves are never written.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

from bench.newscard_data import LABELS, NAMED_LABELS, SENTENCE_LABELS, WEAK_LABELS, article_text, fingerprint

LABELLERS = {"A": "a", "B": "b"}
SOURCE_LABELS = WEAK_LABELS | NAMED_LABELS


def _fold(text: str) -> str:
    """Same length as ``text``: curly quotes and dashes folded, so a phrase typed straight still matches."""
    table = str.maketrans("\u2018\u2019\u201c\u201d\u2013\u2014", "''\"\"--")
    return text.translate(table).lower()


def occurrences(text: str, phrase: str) -> list[tuple[int, int]]:
    haystack, needle = _fold(text), _fold(phrase.strip())
    found, at = [], haystack.find(needle)
    while needle and at >= 0:
        found.append((at, at + len(needle)))
        at = haystack.find(needle, at + 1)
    return found


def _tokens(name: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return [t for t in "".join(c if c.isalpha() else " " for c in plain).split() if len(t) > 1]


def _near(a: str, b: str) -> bool:
    """Within two edits: a slip, not a different word such as a title."""
    if abs(len(a) - len(b)) > 2:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1] <= 2


def _undoubled(token: str) -> str:
    """ "Zelenskyy" and "Zelensky" are both in use; a doubled letter alone is a variant, not a slip."""
    return "".join(c for i, c in enumerate(token) if i == 0 or c != token[i - 1])


def misspelt(mention: str, canonical: str) -> bool:
    known = {_undoubled(t) for t in _tokens(canonical)}
    return any(
        _undoubled(t) not in known and any(_near(_undoubled(t), k) for k in known) for t in _tokens(mention)
    )


def convert(folder: Path) -> tuple[list[dict], list[str]]:
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    rows, problems = [], []
    for entry in manifest:
        text = article_text(entry["source"], entry["key"])
        if fingerprint(text) != entry["sha256"]:
            problems.append(f"{entry['id']}: text differs from the labelled one; skipped")
            continue
        sentences = [{"start": s, "end": e, "labels": {}} for s, e in entry["sentences"]]
        sources, figures = [], []
        for directory, labeller in LABELLERS.items():
            path = folder / directory / f"{entry['slot']}.json"
            if not path.exists():
                problems.append(f"{entry['id']}: labeller {labeller} has no file")
                continue
            data = json.loads(path.read_text("utf-8"))
            for item in data.get("sentences", []):
                i, label = item.get("i"), item.get("label")
                if isinstance(i, int) and 0 <= i < len(sentences) and label in SENTENCE_LABELS:
                    sentences[i]["labels"][labeller] = label
                else:
                    problems.append(f"{entry['id']}: labeller {labeller} sentence {item!r} is not usable")
            for item in data.get("sources", []):
                spans = occurrences(text, item.get("text", ""))
                if item.get("label") not in SOURCE_LABELS or not spans:
                    problems.append(
                        f"{entry['id']}: labeller {labeller} source {item!r} not found or unknown label"
                    )
                    continue
                sources.append({"labeller": labeller, "label": item["label"], "spans": spans})
            for item in data.get("figures", []):
                spans = occurrences(text, item.get("text", ""))
                if not spans or not item.get("canonical"):
                    problems.append(f"{entry['id']}: labeller {labeller} figure {item!r} not found")
                    continue
                figures.append(
                    {
                        "labeller": labeller,
                        "canonical": item["canonical"],
                        "spans": spans,
                        "misspelt": misspelt(item["text"], item["canonical"]),
                    }
                )
        missing = sum(len(s["labels"]) < len(LABELLERS) for s in sentences)
        if missing:
            problems.append(f"{entry['id']}: {missing} sentences lack a label from one labeller")
        rows.append(
            {k: entry[k] for k in ("id", "source", "key", "split", "sha256")}
            | {"sentences": sentences, "sources": sources, "figures": figures}
        )
    return rows, problems


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    rows, problems = convert(Path(argv[0]))
    LABELS.parent.mkdir(parents=True, exist_ok=True)
    new_ids = {row["id"] for row in rows}
    kept = [
        row
        for row in (map(json.loads, LABELS.read_text("utf-8").splitlines()) if LABELS.exists() else ())
        if row["id"] not in new_ids
    ]
    with LABELS.open("w", encoding="utf-8") as out:
        for row in kept + rows:
            out.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
    for problem in problems:
        print(problem, file=sys.stderr)
    print(
        f"wrote {len(rows)} articles to {LABELS.relative_to(LABELS.parents[3])} beside {len(kept)} kept; "
        f"{len(problems)} problems"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
