"""The card as an editor sees it, on labelled real news (`bench/data/newscard/`): `python -m bench.newscard`.

Every figure is read on what both labellings agree on (the issue's wording: "sentences both labellings call
not check-worthy", "weak sources both labellings agree"), and every weak flag on the card counts: a flag
that lands on no labelled weak source is a false flag, whatever it is next to.

    python -m bench.newscard [--split dev|test] [--extractor offline|llm] [--half first|folded]

The test split is read once, at the end of a piece of work; tune on dev. Each test split, once read, is folded
into dev (`read_as_test` on its rows: 16 articles read on 2026-12-06, 96 on 2026-12-07, 45 on 2026-12-08); `--half first` reads
the 32 dev articles never read as test, `--half folded` the folded ones, so a rule fitted on one half can be
checked on the other.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterable

from bench.newscard_data import Article, Sentence, load
from bench.table import print_table
from bot.models import Strength, TriageReport

FLAG = 0.5
TOP = 5


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def agreed(sentence: Sentence) -> str | None:
    values = set(sentence.labels.values())
    return values.pop() if len(sentence.labels) == 2 and len(values) == 1 else None


def kappa(pairs: list[tuple[str, str]]) -> tuple[float, float]:
    """Share of identical labels and Cohen's kappa over (labeller a, labeller b) pairs."""
    n = len(pairs)
    if not n:
        return 0.0, 0.0
    observed = sum(a == b for a, b in pairs) / n
    left, right = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(left[k] * right[k] for k in left) / (n * n)
    return observed, (observed - expected) / (1 - expected) if expected < 1 else 1.0


def _sentence_of(span: tuple[int, int], sentences: list[Sentence]) -> Sentence | None:
    best, most = None, 0
    for sentence in sentences:
        overlap = min(span[1], sentence.end) - max(span[0], sentence.start)
        if overlap > most:
            best, most = sentence, overlap
    return best


def _agreed_sources(article: Article, wanted: frozenset[bool]) -> list[list[tuple[int, int]]]:
    """Sources both labellers listed (overlapping phrases) with the same weak/named side in ``wanted``."""
    a_side = [s for s in article.sources if s.labeller == "a" and s.weak in wanted]
    b_side = [s for s in article.sources if s.labeller == "b"]
    out = []
    for source in a_side:
        partners = [
            p
            for p in b_side
            if p.weak == source.weak and any(_overlaps(x, y) for x in source.spans for y in p.spans)
        ]
        if partners:
            out.append(source.spans + [span for p in partners for span in p.spans])
    return out


def _right_spelling(suggestion: str, canonical: str) -> bool:
    """The suggestion spells the canonical name, or the part of it written ("Ferreira" for Paulo Ferreira)."""
    said, full = suggestion.lower().split(), canonical.lower().split()
    if canonical.lower() in suggestion.lower():
        return True
    return bool(said) and (full[-len(said) :] == said or full[: len(said)] == said)


class Tally:
    def __init__(self) -> None:
        self.c: Counter[str] = Counter()

    def ratio(self, hit: str, total: str) -> float | None:
        return self.c[hit] / self.c[total] if self.c[total] else None


def score_article(article: Article, report: TriageReport, tally: Tally) -> None:
    c = tally.c
    flagged_spans = [(x.start, x.end) for x in report.claims if x.checkworthiness >= FLAG]
    for sentence in article.sentences:
        span = (sentence.start, sentence.end)
        flagged = any(_overlaps(span, f) for f in flagged_spans)
        label = agreed(sentence)
        c["sentences"] += 1
        c["flagged"] += flagged
        if label == "no":
            c["no"] += 1
            c["no_flagged"] += flagged
        elif label == "must":
            c["must"] += 1
            c["must_flagged"] += flagged
    top = sorted(report.claims, key=lambda x: -x.checkworthiness)[:TOP]
    for claim in top:
        sentence = _sentence_of((claim.start, claim.end), article.sentences)
        label = agreed(sentence) if sentence else None
        if label is not None:
            c["top"] += 1
            c["top_worthy"] += label in {"must", "could"}
    weak_flags = [(a.start, a.end) for a in report.attributions if a.strength is Strength.weak]
    weak_spans = [span for s in article.sources if s.weak for span in s.spans]
    for flag in weak_flags:
        c["weak_flags"] += 1
        c["weak_flags_right"] += any(_overlaps(flag, s) for s in weak_spans)
    for spans in _agreed_sources(article, frozenset({True})):
        c["weak_sources"] += 1
        c["weak_sources_flagged"] += any(_overlaps(f, s) for f in weak_flags for s in spans)
    for spans in _agreed_sources(article, frozenset({False})):
        c["named"] += 1
        c["named_flagged"] += any(
            _overlaps(f, s) and not any(_overlaps(f, w) for w in weak_spans)
            for f in weak_flags
            for s in spans
        )
    slips = [
        f
        for f in article.figures
        if f.misspelt
        and f.labeller == "a"
        and any(g.misspelt and g.labeller == "b" and set(g.spans) & set(f.spans) for g in article.figures)
    ]
    slip_spans = [span for f in article.figures if f.misspelt for span in f.spans]
    for figure in slips:
        c["slips"] += 1
        c["slips_caught"] += any(
            _overlaps((n.start, n.end), s) and _right_spelling(n.suggestion, figure.canonical)
            for n in report.names
            for s in figure.spans
        )
    c["name_flags"] += len(report.names)
    c["name_false"] += sum(not any(_overlaps((n.start, n.end), s) for s in slip_spans) for n in report.names)


def _agreement_rows(articles: Iterable[Article], split: str) -> list[dict]:
    pairs = [
        (s.labels["a"], s.labels["b"]) for a in articles for s in a.sentences if {"a", "b"} <= s.labels.keys()
    ]
    share, k = kappa(pairs)
    return [
        {
            "dataset": "news card labels",
            "split": split,
            "metric": "sentences labelled by both",
            "value": len(pairs),
        },
        {"dataset": "news card labels", "split": split, "metric": "labellers agree (share)", "value": share},
        {"dataset": "news card labels", "split": split, "metric": "Cohen's kappa", "value": k},
    ]


def evaluate(
    split: str = "dev", extractor: str = "offline", agreement: bool = True, half: str | None = None
) -> list[dict]:
    from bot.config import Settings
    from bot.triage import TriageService

    articles, skipped = load(split)
    if half is not None:
        articles = [a for a in articles if (a.read_as_test is not None) == (half == "folded")]
        split = f"{split} ({half} half)"
    for line in skipped:
        print(f"skipped {line}", file=sys.stderr)
    service = TriageService(Settings(database_url="sqlite://"))
    tally = Tally()
    for article in articles:
        score_article(article, service.analyse(article.text, extractor=extractor), tally)
    rows = _agreement_rows(articles, split) if agreement else []
    return [
        *rows,
        *figure_rows(tally, len(articles), split, f"news card ({len(articles)} articles, {extractor})"),
    ]


def figure_rows(tally: Tally, articles: int, split: str, name: str) -> list[dict]:
    """The card's figures from a tally of `articles` scored cards, one row each, with its target."""
    c = tally.c

    def row(metric: str, value: object, target: str) -> dict:
        return {"dataset": name, "split": split, "metric": metric, "value": value, "target": target}

    return [
        row(
            "sentences flagged (score >= 0.5)",
            tally.ratio("flagged", "sentences"),
            "a desk's list, not the article",
        ),
        row("claims at >= 0.5 per article", c["flagged"] / max(articles, 1), ""),
        row("agreed 'no' sentences flagged", tally.ratio("no_flagged", "no"), "<= 0.10"),
        row("agreed 'must' sentences flagged", tally.ratio("must_flagged", "must"), ">= 0.95"),
        row(
            f"top-{TOP} claims check-worthy (agreed must/could)", tally.ratio("top_worthy", "top"), ">= 0.95"
        ),
        row("weak-source flags that are right", tally.ratio("weak_flags_right", "weak_flags"), ">= 0.95"),
        row("agreed weak sources flagged", tally.ratio("weak_sources_flagged", "weak_sources"), ">= 0.90"),
        row("agreed named sources flagged weak", f"{c['named_flagged']} of {c['named']}", "0"),
        row("agreed misspelt figures caught", f"{c['slips_caught']} of {c['slips']}", ">= 0.95"),
        row("name flags on no misspelt mention", c["name_false"], "0"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--extractor", choices=("offline", "llm"), default="offline")
    parser.add_argument("--half", choices=("first", "folded"), default=None)
    args = parser.parse_args(argv)
    print_table(evaluate(args.split, args.extractor, half=args.half))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
