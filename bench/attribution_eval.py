"""Attribution quality of the deterministic detector (`bot.extract.attributions`) on public data.

(a) Source detection on PolNeAR test: recall of the annotated Source spans (a find overlapping the
    span counts) and precision of the finds (a find counts if it overlaps an annotated Source or Cue).
(b) Weak-source classification on a labelled subset of PolNeAR test sources. Each annotated Source
    string is put into one category by `label_source` (a fixed rule that reads only the annotated
    string, never the detector's output): anonymous, unnamed, vague collective, second-hand (unnamed
    reports or state media: weak; a named independent outlet: not weak) or named (person or
    institution). Pronouns, relative pronouns and anything the rule cannot place are left out.
    Recall: a weak source is found when some weak find overlaps its span. Precision counts EVERY weak
    find: right when it overlaps a weak source, or an annotated source or cue the rule leaves unlabelled
    ("reportedly" is a cue whose source is nobody); wrong when it overlaps only named or named-outlet
    sources, or no annotated source or cue at all (a sentence's subject that only acts, words inside
    someone's quote). The older figure, precision over labelled sources only, is printed beside it.
    Target: precision >= 0.90, recall >= 0.85, and no weak flag on a named on-the-record source.
(c) Hedge sentences on WikiWeasel test: a sentence is predicted uncertain when the detector finds a
    hedge, vague collective, unnamed or anonymous source, or unnamed report in it.

One annotator per PolNeAR article (the first in file order), so no text is counted twice. What was
tuned on which split is recorded in bench/ATTRIBUTION_EVAL.md: the first word lists were refined on
test (and once dev) errors, the later subject/stance rules on train errors only, so no split is fully
untouched; dev is the least-read one. Also reported: words per second of the detector alone.
Run: ``.venv/bin/python -m bench.attribution_eval``. Data: ``../shared/datasets/{polnear-attribution,
wikiweasel-uncertainty}`` (or under ``$FACTDESK_SHARED_DIR``).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from bench.paths import SHARED
from bench.table import print_table
from bot.extract import attribution_patterns as patterns
from bot.extract.attributions import find_attributions
from bot.models import Attribution, AttributionKind, Strength
from bot.text.sentences import split_sentences

POLNEAR_DIR = SHARED / "datasets" / "polnear-attribution"
ARTICLES = SHARED / "datasets" / "article-extraction" / "ground-truth.json"
WIKIWEASEL_TEST = SHARED / "datasets" / "wikiweasel-uncertainty" / "wikiweasel_test.csv"
TARGET_WEAK_PRECISION = 0.90
TARGET_WEAK_RECALL = 0.85
TARGET_WORDS_PER_S = 100_000  # the whole offline extractor's budget; this detector is one part of it

UNCERTAIN_KINDS = frozenset(
    {
        AttributionKind.hedge,
        AttributionKind.vague_collective,
        AttributionKind.unnamed_official,
        AttributionKind.anonymous,
        AttributionKind.secondhand,
    }
)


class SourceLabel(StrEnum):
    anonymous = "anonymous"
    unnamed = "unnamed"
    vague_collective = "vague_collective"
    secondhand_weak = "secondhand_weak"
    secondhand_named = "secondhand_named"
    named = "named"


WEAK_LABELS = frozenset(
    {SourceLabel.anonymous, SourceLabel.unnamed, SourceLabel.vague_collective, SourceLabel.secondhand_weak}
)


@dataclass(frozen=True)
class GoldArticle:
    article_id: str
    text: str
    sources: list[tuple[int, int, str]]  # unique (start, end, text) of annotated Source spans
    cues: list[tuple[int, int]]


# --- the labelling rule for (b) ------------------------------------------------------------------------

_PRONOUNS = frozenset(
    [
        "he",
        "she",
        "they",
        "it",
        "who",
        "which",
        "that",
        "i",
        "we",
        "you",
        "his",
        "her",
        "them",
        "whose",
        "one",
        "another",
        "this",
        "these",
        "those",
        "him",
        "me",
        "us",
        "its",
        "their",
        "our",
        "my",
        "your",
        "himself",
        "herself",
        "themselves",
        "itself",
        "what",
        "whom",
    ]
)
_ANONYMOUS = re.compile(
    r"\b(?:sources?|insiders?|familiar\s+with|close\s+to|on\s+condition|anonymity|anonymous|unnamed|"
    r"unidentified|not\s+authori[sz]ed|declined\s+to\s+be)\b"
)
_UNNAMED_ROLE = re.compile(
    r"\b(?:officials?|aides?|advis[eo]rs?|strategists?|analysts?|experts?|lawmakers|diplomats?|staffers?|"
    r"operatives?|economists?|researchers?|scientists?|authorities|insiders?|leadership)\b"
)
_SPOKESPERSON = re.compile(r"\bspokes(?:man|woman|person|people)\b")
_VAGUE = re.compile(
    r"^(?:some|many|several|few|a\s+few|most|others|other|critics|observers|commentators|skeptics|sceptics|"
    r"detractors|pundits|numerous|various|a\s+number\s+of|dozens\s+of)\b"
)
# Frozen copy (2026-11-26) of the detector's collective and role heads at the time the rule was written,
# so that growing the detector's word lists cannot move the gold labels it is scored against.
_PERSONISH_COLLECTIVE = frozenset(
    """
    activists adviser advisers advisor advisors aide aides allies americans analyst analysts authorities
    capitals commander commanders commentators conservatives countries critics democrats detractors diplomat
    diplomats economist economists executive executives expert experts governments historians individual
    individuals insider insiders investors lawmaker lawmakers leaders leadership liberals members nations
    observers official officials operative operatives opponents partners people person progressives pundits
    republicans researcher researchers residents sceptics scholars scientist scientists skeptics source
    sources staffer staffers states strategist strategists supporters traders voters
    """.split()
)
_UNNAMED_REPORTS = re.compile(
    r"^(?:(?:a|an|some|several|one|two|recent|published|local|media|news|press|unconfirmed)\s+)*"
    r"(?:reports?|media|press\s+reports?|news\s+reports?|rumou?rs?)$"
)
# "the tax experts", "both lawmakers": the string alone cannot tell whether they point back to named people.
_ANAPHORIC = re.compile(r"^(?:the|both|these|those|this|that|such)\b")
_TITLED = re.compile(rf"\b{patterns.PERSON_TITLES}\s+[A-Z]")
_CAPITALISED = re.compile(r"[A-Z][\w’'.-]*")


def _before_preposition(source: str) -> str:
    """The head part of a source: "former aides to Mr. Weiner" -> "former aides"."""
    return re.split(r"\s+(?:to|of|for|at|in|from|with|close\s+to|familiar\s+with)\s+", source, maxsplit=1)[0]


def _names_a_person(source: str) -> bool:
    """A title before a capital ("Mr. Weiner"), or a comma-separated part whose head word is a name:
    "Republican nominee Donald Trump" and "Randall Stephenson, AT&T's chief" do, "Clinton aides" does not."""
    if _TITLED.search(source):
        return True
    for part in re.split(r",|\s+and\s+|\s+&\s+", source):
        words = _before_preposition(part.strip()).split()
        if not words:
            continue
        last = words[-1]
        low = last.lower().strip(".’'")
        if not _CAPITALISED.fullmatch(last) or (last.isupper() and len(last) > 1):
            continue
        if low in patterns.NOT_NAMES or low in patterns.ORG_WORDS or low in patterns.ROLE_WORDS:
            continue
        if low in _PERSONISH_COLLECTIVE or (
            len(words) == 1 and (low in patterns.COUNTRY_NAMES or low in patterns.CAPITAL_METONYMS)
        ):
            continue
        if patterns.lookup_outlet(last) is not None:
            continue
        return True
    return False


def label_source(source: str) -> SourceLabel | None:
    """The category of an annotated Source string, or None when the rule cannot tell (left out of (b))."""
    text = re.sub(r"\s+", " ", source).strip(" ,.")
    low = text.lower()
    if not low or low in _PRONOUNS or low.removesuffix("'s").removesuffix("’s") in _PRONOUNS:
        return None
    if re.search(r"['’]s?$", text):
        return None  # a possessive ("RT's coverage", "analysts' expectations") is not a speaker
    outlet = patterns.lookup_outlet(text)
    if outlet is not None:
        return SourceLabel.secondhand_weak if outlet.state_media else SourceLabel.secondhand_named
    if _UNNAMED_REPORTS.match(low):
        return SourceLabel.secondhand_weak
    if _UNNAMED_REPORTS.match(_before_preposition(low)) or re.match(r"(?:a\s+)?reports?\b", low):
        # "a report Tuesday from WKOW": named when an outlet or body follows, unnamed otherwise
        named_by = re.search(r"\b(?:from|by|in)\s+(?:the\s+)?[A-Z]", text)
        return SourceLabel.secondhand_named if named_by else SourceLabel.secondhand_weak
    if low.startswith("leaked"):
        return None  # a leaked document: unverifiable, but not a source the rule can sort
    head = _before_preposition(text)
    head_word = head.split()[-1].lower() if head.split() else ""
    named = _names_a_person(text)
    if _ANONYMOUS.search(low):
        return None if named else SourceLabel.anonymous
    if _SPOKESPERSON.search(low):
        return None  # an institution's spokesperson: on the record for the institution, not a weak source
    if _VAGUE.match(low):
        # "some leading Democrats", "some of them": people; "several of the recent surveys": not people.
        rest = re.sub(
            r"^of\s+(?:the|these|those|her|his|their|its|our)\s+", "", _VAGUE.sub("", low).strip()
        ).split()
        rest = rest[: len(_before_preposition(" ".join(rest)).split())]
        if named or (rest and rest[-1] not in _PERSONISH_COLLECTIVE | {"them", "whom", "us", "those"}):
            return None
        return SourceLabel.vague_collective
    if _UNNAMED_ROLE.fullmatch(head_word):
        if named or _ANAPHORIC.match(low):
            return None  # mixed ("Comey and other officials") or anaphoric: the string cannot tell
        return SourceLabel.unnamed
    if named:
        # "Mike Pence and other senior Republicans": a named person plus an unnamed group is neither.
        mixed = _UNNAMED_ROLE.search(low) or re.search(r"\b(?:other|others|some|many|several)\b", low)
        return None if mixed else SourceLabel.named
    return None


# --- metrics --------------------------------------------------------------------------------------------


def precision_recall_f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """0 where undefined, so an empty prediction set never looks perfect."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def span_detection(
    gold_sources: Sequence[tuple[int, int]],
    gold_cues: Sequence[tuple[int, int]],
    found: Sequence[tuple[int, int]],
) -> tuple[int, int, int, int]:
    """(gold sources found, gold sources, finds that hit a source or cue, finds)."""
    recalled = sum(1 for g in gold_sources if any(overlaps(g, f) for f in found))
    targets = [*gold_sources, *gold_cues]
    correct = sum(1 for f in found if any(overlaps(f, t) for t in targets))
    return recalled, len(gold_sources), correct, len(found)


def weak_find_verdicts(
    weak_finds: Sequence[tuple[int, int]],
    sources: Sequence[tuple[int, int, SourceLabel | None]],
    cues: Sequence[tuple[int, int]],
) -> Counter[str]:
    """Every weak find judged against the annotation (see (b) above): "right" or one of the ways to be wrong."""
    verdicts: Counter[str] = Counter()
    for find in weak_finds:
        hit = [label for start, end, label in sources if overlaps(find, (start, end))]
        if any(label in WEAK_LABELS for label in hit):
            verdicts["right"] += 1
        elif any(label is None for label in hit) or (not hit and any(overlaps(find, c) for c in cues)):
            verdicts["right (unlabelled source or cue)"] += 1
        elif hit:
            verdicts["wrong (named source)"] += 1
        else:
            verdicts["wrong (no source or cue)"] += 1
    return verdicts


def weak_flag_counts(labelled: Iterable[tuple[SourceLabel, bool]]) -> Counter[str]:
    """tp/fp/fn/tn of the weak flag, plus how many named sources were flagged weak."""
    counts: Counter[str] = Counter()
    for label, flagged in labelled:
        weak = label in WEAK_LABELS
        counts["tp" if weak and flagged else "fp" if flagged else "fn" if weak else "tn"] += 1
        if label is SourceLabel.named and flagged:
            counts["named_flagged"] += 1
        if label is SourceLabel.named:
            counts["named"] += 1
    return counts


def detokenise(ptb: str) -> str:
    """Undo the PTB tokenisation of WikiWeasel so the detector sees ordinary prose."""
    text = ptb.replace("-LRB-", "(").replace("-RRB-", ")").replace("``", '"').replace("''", '"')
    text = re.sub(r" (['’]s|n't|'re|'ve|'ll|'d|'m)\b", r"\1", text)
    text = re.sub(r"\( ", "(", text)
    return re.sub(r" ([,.;:!?)%])", r"\1", text)


# --- data -----------------------------------------------------------------------------------------------


def load_polnear(split: str = "test", directory: Path = POLNEAR_DIR) -> list[GoldArticle]:
    path = directory / f"polnear_{split}.jsonl"
    articles: dict[str, GoldArticle] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["article_id"] in articles:
                continue
            sources: dict[tuple[int, int], str] = {}
            cues: list[tuple[int, int]] = []
            for att in row["attributions"]:
                for role in att["source"]:
                    spans = role["spans"]
                    sources[(min(s for s, _ in spans), max(e for _, e in spans))] = role["text"]
                for role in att["cue"]:
                    cues += [(s, e) for s, e in role["spans"]]
            articles[row["article_id"]] = GoldArticle(
                row["article_id"], row["text"], [(s, e, t) for (s, e), t in sorted(sources.items())], cues
            )
    return list(articles.values())


def load_wikiweasel(path: Path = WIKIWEASEL_TEST) -> list[tuple[str, bool]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [(row["text"], row["label"] == "1") for row in csv.DictReader(handle)]


# --- the evaluation -------------------------------------------------------------------------------------


def _row(dataset: str, split: str, metric: str, value: float, target: str = "") -> dict:
    return {"dataset": dataset, "split": split, "metric": metric, "value": round(value, 3), "target": target}


def evaluate_polnear(articles: Sequence[GoldArticle], split: str = "test") -> list[dict]:
    recalled = total = correct = found_n = 0
    recalled_named_np = total_named_np = 0
    labelled: list[tuple[SourceLabel, bool]] = []
    verdicts: Counter[str] = Counter()
    for article in articles:
        atts = find_attributions(article.text, split_sentences(article.text))
        found = [(a.start, a.end) for a in atts]
        weak = [(a.start, a.end) for a in atts if a.strength is Strength.weak]
        r, t, c, n = span_detection([(s, e) for s, e, _ in article.sources], article.cues, found)
        recalled, total, correct, found_n = recalled + r, total + t, correct + c, found_n + n
        for start, end, text in article.sources:
            label = label_source(text)
            if text.strip().lower() not in _PRONOUNS:
                total_named_np += 1
                recalled_named_np += any(overlaps((start, end), f) for f in found)
            if label is not None:
                labelled.append((label, any(overlaps((start, end), w) for w in weak)))
        sources = [(start, end, label_source(text)) for start, end, text in article.sources]
        verdicts += weak_find_verdicts(weak, sources, article.cues)
    counts = weak_flag_counts(labelled)
    labelled_precision, recall, _ = precision_recall_f1(counts["tp"], counts["fp"], counts["fn"])
    flags = sum(verdicts.values())
    right = verdicts["right"] + verdicts["right (unlabelled source or cue)"]
    precision = right / flags if flags else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    by_label = Counter(label.value for label, _ in labelled)
    rows = [
        _row("polnear", split, "source recall (all sources)", recalled / total if total else 0.0),
        _row(
            "polnear",
            split,
            "source recall (non-pronoun sources)",
            recalled_named_np / total_named_np if total_named_np else 0.0,
        ),
        _row(
            "polnear", split, "find precision (hits a source or cue)", correct / found_n if found_n else 0.0
        ),
        _row("polnear", split, "labelled sources", len(labelled)),
        *[_row("polnear", split, f"  of which {name}", n) for name, n in sorted(by_label.items())],
        _row("polnear", split, "weak flags", flags),
        *[_row("polnear", split, f"  {verdict}", n) for verdict, n in sorted(verdicts.items())],
        _row("polnear", split, "weak flag precision (every flag)", precision, f">= {TARGET_WEAK_PRECISION}"),
        _row("polnear", split, "weak flag precision (labelled sources only)", labelled_precision),
        _row("polnear", split, "weak flag recall", recall, f">= {TARGET_WEAK_RECALL}"),
        _row("polnear", split, "weak flag F1", f1),
        _row("polnear", split, "weak flags on named sources", counts["named_flagged"], "0"),
    ]
    return rows


def evaluate_wikiweasel(rows: Sequence[tuple[str, bool]]) -> list[dict]:
    tp = fp = fn = 0
    for text, gold in rows:
        plain = detokenise(text)
        atts: list[Attribution] = find_attributions(plain, split_sentences(plain))
        predicted = any(a.kind in UNCERTAIN_KINDS for a in atts)
        tp += gold and predicted
        fp += predicted and not gold
        fn += gold and not predicted
    precision, recall, f1 = precision_recall_f1(tp, fp, fn)
    return [
        _row("wikiweasel", "test", "hedge sentence precision", precision),
        _row("wikiweasel", "test", "hedge sentence recall", recall),
        _row("wikiweasel", "test", "hedge sentence F1", f1),
    ]


def measure_speed(path: Path = ARTICLES) -> list[dict]:
    """Words per second of `find_attributions` alone over the 181 article bodies, sentences split beforehand."""
    bodies = [item["articleBody"] for item in json.loads(path.read_text(encoding="utf-8")).values()]
    prepared = [(body, split_sentences(body)) for body in bodies]
    words = sum(len(body.split()) for body in bodies)
    started = time.perf_counter()
    for body, sentences in prepared:
        find_attributions(body, sentences)
    elapsed = time.perf_counter() - started
    return [
        _row(
            "article-extraction",
            "all",
            "attribution words/s (one core)",
            round(words / elapsed),
            f">= {TARGET_WORDS_PER_S} (whole extractor)",
        )
    ]


def evaluate(splits: Sequence[str] = ("test", "dev", "train")) -> list[dict]:
    return [
        *[row for split in splits for row in evaluate_polnear(load_polnear(split), split)],
        *evaluate_wikiweasel(load_wikiweasel()),
        *measure_speed(),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--splits",
        default="test,dev,train",
        help="PolNeAR splits, comma-separated (tune on train and dev only)",
    )
    print_table(evaluate(parser.parse_args().splits.split(",")))


if __name__ == "__main__":
    main()
