"""Name-error evaluation on real news text: `python -m bench.names_eval [--limit N] [--seed S]`.

Takes real articles (BBC News 2004-05, the article-extraction benchmark's 181 bodies), finds mentions of
gazetteer people, injects one realistic misspelling at a time (dropped letter, doubled letter, swapped
vowels, transliteration variant, another spelling of the first name, an unrelated first name) and
measures how often the checker suggests that person. False flags are counted on the untouched articles,
and on sentences naming two real people whose names differ by one letter (which must never be flagged).

The slip-catch measure is the editor's: a public figure (a gazetteer person) named two or more times in an
article, one of those mentions given a one-letter slip (dropped, doubled, swapped or replaced letter, never
the first), caught when a flag on that mention suggests the article's own spelling. It runs on every BBC
and article-extraction body except the news-card set's held-out test articles (`../labelling/TEST_IDS.txt`).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import time
import unicodedata
from collections import Counter
from pathlib import Path

from bench.paths import REPO, SHARED
from bench.table import print_table
from bot.names import gazetteer as gz
from bot.names.checker import NameChecker, candidates, same_first_name, single_words
from bot.names.gazetteer import Gazetteer, fold

RECALL_TARGET = 0.90
SLIP_TARGET = 0.95
FALSE_FLAG_TARGET = 0
LOAD_TARGET = 0.1
HELD_OUT = REPO.parent / "labelling" / "TEST_IDS.txt"
TWO_LINE_NOTE = (
    "Secretary of State Mike Pompao met Keir Starmer on Monday.\nKir Starmer said talks went well."
)
SLIP_KINDS = ("dropped", "doubled", "swapped", "replaced")
VOWELS = "aeiouy"
# Ways the same sound is written in different romanisations (one rule applied per injection).
TRANSLITERATIONS = (
    ("yy", "iy"),
    ("iy", "yy"),
    ("ii", "iy"),
    ("kh", "h"),
    ("ou", "u"),
    ("oo", "u"),
    ("ph", "f"),
    ("sh", "sch"),
    ("ch", "tch"),
    ("j", "dzh"),
    ("zh", "j"),
    ("v", "w"),
    ("w", "v"),
    ("x", "ks"),
    ("ks", "x"),
    ("q", "k"),
    ("ck", "k"),
    ("ee", "i"),
    ("ai", "ay"),
    ("ei", "ey"),
    ("ey", "ei"),
    ("ia", "ya"),
    ("ya", "ia"),
    ("yu", "iu"),
    ("iu", "yu"),
    ("mm", "m"),
    ("dd", "d"),
    ("y", "i"),
)
# First names journalists mix up with another spelling of the same name.
FIRST_NAME_VARIANTS = (
    ("john", "jon"),
    ("stephen", "steven"),
    ("steven", "stephen"),
    ("catherine", "katherine"),
    ("katherine", "catherine"),
    ("philip", "phillip"),
    ("mohammed", "mohammad"),
    ("mohammad", "muhammad"),
    ("muhammad", "mohammed"),
    ("sergey", "sergei"),
    ("sergei", "sergey"),
    ("alexander", "aleksandr"),
    ("yuri", "yury"),
    ("dmitry", "dmitri"),
    ("andrei", "andrey"),
    ("nicolas", "nicholas"),
    ("nicholas", "nicolas"),
    ("geoffrey", "jeffrey"),
    ("ann", "anne"),
    ("anne", "ann"),
    ("sara", "sarah"),
    ("sarah", "sara"),
    ("teresa", "theresa"),
    ("theresa", "teresa"),
    ("alan", "allan"),
    ("gordon", "gordan"),
)
# Transliteration variants only exist for names romanised from another script.
NON_LATIN_SCRIPT_COUNTRIES = frozenset(
    {
        "Russia",
        "Ukraine",
        "Belarus",
        "Kazakhstan",
        "Bulgaria",
        "Serbia",
        "North Macedonia",
        "Greece",
        "Georgia",
        "Armenia",
        "China",
        "People's Republic of China",
        "Taiwan",
        "Japan",
        "South Korea",
        "North Korea",
        "India",
        "Pakistan",
        "Bangladesh",
        "Sri Lanka",
        "Nepal",
        "Iran",
        "Iraq",
        "Israel",
        "Saudi Arabia",
        "Egypt",
        "Syria",
        "Lebanon",
        "Jordan",
        "Yemen",
        "Libya",
        "Algeria",
        "Morocco",
        "Tunisia",
        "Sudan",
        "Afghanistan",
        "Thailand",
        "Myanmar",
        "Cambodia",
        "Laos",
        "Mongolia",
        "United Arab Emirates",
        "Qatar",
        "Kuwait",
        "Bahrain",
        "Oman",
        "Palestine",
        "Ethiopia",
        "Eritrea",
    }
)
COMMON_FIRST_NAMES = ("John", "David", "Michael", "James", "Robert", "Peter", "Mary", "Sarah", "Paul", "Mark")


def load_articles(shared: Path, limit: int | None) -> dict[str, list[str]]:
    return {
        name: [text for _, text in items] for name, items in load_articles_with_ids(shared, limit).items()
    }


def load_articles_with_ids(shared: Path, limit: int | None) -> dict[str, list[tuple[str, str]]]:
    """(id, text) per dataset; ids as the news-card set writes them ("bbc/politics/203", "ae/374ac9a59a85")."""
    datasets: dict[str, list[tuple[str, str]]] = {}
    bbc = shared / "datasets" / "bbc-news" / "bbc_news.jsonl"
    if bbc.exists():
        with bbc.open(encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle][:limit]
        datasets["bbc-news"] = [(f"bbc/{row.get('id', i)}", row["text"]) for i, row in enumerate(rows)]
    truth = shared / "datasets" / "article-extraction" / "ground-truth.json"
    if truth.exists():
        items = list(json.loads(truth.read_text(encoding="utf-8")).items())[:limit]
        datasets["article-extraction"] = [(f"ae/{key[:12]}", item["articleBody"]) for key, item in items]
    return datasets


def held_out_ids(path: Path = HELD_OUT) -> set[str]:
    """The news-card set's test articles, never tuned on."""
    if not path.exists():
        return set()
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.split()[0] for line in lines if line.strip() and not line.startswith("#")}


def _with_case(original: str, replacement: str) -> str:
    return replacement[:1].upper() + replacement[1:] if original[:1].isupper() else replacement


def _edit_word(word: str, rng: random.Random, kind: str) -> str | None:
    """One typo inside a word, never touching its first letter (slips there are rare and read as new names)."""
    if len(word) < 4 or not word.isalpha():
        return None
    if kind == "dropped_letter":
        i = rng.randrange(1, len(word))
        return word[:i] + word[i + 1 :]
    if kind == "doubled_letter":
        i = rng.randrange(1, len(word))
        return word[: i + 1] + word[i] + word[i + 1 :]
    pairs = [
        i
        for i in range(1, len(word) - 1)
        if word[i] != word[i + 1] and (set(word[i : i + 2].lower()) & set(VOWELS))
    ]
    both = [i for i in pairs if set(word[i : i + 2].lower()) <= set(VOWELS)]
    if not pairs:
        return None
    i = rng.choice(both or pairs)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _transliterate(word: str, rng: random.Random) -> str | None:
    lower = word.lower()
    options = [(a, b) for a, b in TRANSLITERATIONS if a in lower[1:]]
    if not options:
        return None
    a, b = rng.choice(options)
    positions = [m.start() for m in re.finditer(re.escape(a), lower) if m.start() > 0]
    i = rng.choice(positions)
    changed = lower[:i] + b + lower[i + len(a) :]
    return _with_case(word, changed)


def mutate(kind: str, mention: str, rng: random.Random) -> str | None:
    """The mention with one injected error of this kind, or None when the kind does not apply."""
    words = mention.split(" ")
    if kind in {"first_name_variant", "wrong_first_name"}:
        first = words[0]
        if kind == "first_name_variant":
            variants = [b for a, b in FIRST_NAME_VARIANTS if a == first.lower()]
            replacement = _with_case(first, variants[0]) if variants else None
        else:
            choices = [
                n for n in COMMON_FIRST_NAMES if n != first and not same_first_name(n.lower(), first.lower())
            ]
            replacement = rng.choice(choices)
        return " ".join([replacement, *words[1:]]) if replacement else None
    targets = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not targets:
        return None
    i = rng.choice(targets)
    changed = _transliterate(words[i], rng) if kind == "transliteration" else _edit_word(words[i], rng, kind)
    if changed is None or fold(changed) == fold(words[i]):
        return None
    return " ".join([*words[:i], changed, *words[i + 1 :]])


KINDS = (
    "dropped_letter",
    "doubled_letter",
    "swapped_vowels",
    "transliteration",
    "first_name_variant",
    "wrong_first_name",
)
# Slips of the keyboard. A transliteration variant is measured beside them but is no target: another
# romanisation of a Russian or Arabic name is house style, flagged only when an article spells it both ways.
TYPO_KINDS = KINDS[:3]


def _person_forms(gazetteer: Gazetteer, person: int) -> set[str]:
    record = gazetteer.people[person]
    return {fold(spelling) for spelling in [record.name, *record.aliases]}


def recall_by_kind(
    names: NameChecker, texts: list[str], rng: random.Random, per_article: int
) -> tuple[Counter[str], Counter[str]]:
    """Tries and hits per mutation kind; a hit is a flag on the span that suggests the same person."""
    gazetteer = names.gazetteer
    forms_of: dict[int, set[str]] = {}
    tried: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    for text in texts:
        seen: set[int] = set()
        mentions = []
        for mention in candidates(text):
            forms = gazetteer.named(mention.tokens)
            if not forms:
                continue
            person = gazetteer.forms[forms[0]].person
            if person not in seen and gazetteer.people[person].suggest:
                seen.add(person)
                mentions.append((mention, person))
        chosen = rng.sample(mentions, min(per_article, len(mentions)))
        # Romanised names are rare in English news: every one of them gets a transliteration variant.
        romanised = [(m, p) for m, p in mentions if gazetteer.people[p].country in NON_LATIN_SCRIPT_COUNTRIES]
        trials = [(m, p, kind) for m, p in chosen for kind in KINDS if kind != "transliteration"]
        trials += [(m, p, "transliteration") for m, p in romanised]
        for mention, person, kind in trials:
            accepted = forms_of.setdefault(person, _person_forms(gazetteer, person)) | {
                " ".join(mention.tokens)
            }
            wrong = mutate(kind, mention.text, rng)
            if wrong is None or gazetteer.is_known(tuple(fold(wrong).split())):
                continue
            changed = text[: mention.start] + wrong + text[mention.end :]
            tried[kind] += 1
            end = mention.start + len(wrong)
            hit[kind] += any(
                issue.start < end and issue.end > mention.start and fold(issue.suggestion) in accepted
                for issue in names.find_issues(changed)
            )
    return tried, hit


def ascii_name(name: str) -> str:
    """'Recep Tayyip Erdoğan' as an English keyboard types it: 'Recep Tayyip Erdogan'."""
    decomposed = unicodedata.normalize(
        "NFKD", name.translate(str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "ß": "ss"}))
    )
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def near_pairs(gazetteer: Gazetteer, limit: int) -> list[tuple[str, str]]:
    """Pairs of different real people whose names are one edit or one transliteration apart."""
    pairs = []
    for form in gazetteer.forms:
        if len(form.tokens) < 2:
            continue
        for other in sorted(gazetteer.near_forms(form.tokens)):
            other_form = gazetteer.forms[other]
            if other_form.person != form.person and other_form.tokens != form.tokens:
                pairs.append((form.display, other_form.display))
        if len(pairs) >= limit:
            break
    return pairs[:limit]


def slip(word: str, kind: str, rng: random.Random) -> str | None:
    """One letter of the word dropped, doubled, swapped with its neighbour or replaced; never the first."""
    if len(word) < 4 or not word.isalpha():
        return None
    if kind == "dropped":
        i = rng.randrange(1, len(word))
        return word[:i] + word[i + 1 :]
    if kind == "doubled":
        i = rng.randrange(1, len(word))
        return word[: i + 1] + word[i] + word[i + 1 :]
    if kind == "swapped":
        pairs = [i for i in range(1, len(word) - 1) if word[i] != word[i + 1]]
        if not pairs:
            return None
        i = rng.choice(pairs)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    i = rng.randrange(1, len(word))
    letter = rng.choice([c for c in "abcdefghijklmnopqrstuvwxyz" if c != word[i].lower()])
    return word[:i] + letter + word[i + 1 :]


def figure_mentions(gazetteer: Gazetteer, text: str) -> dict[int, list[tuple[int, int]]]:
    """Spans naming each gazetteer person in the article: the full name, and the bare surname after it."""
    spans: dict[int, list[tuple[int, int]]] = {}
    surnames: dict[str, int] = {}
    for mention in candidates(text):
        forms = gazetteer.named(mention.tokens)
        if not forms:
            continue
        person = gazetteer.forms[forms[0]].person
        if gazetteer.people[person].suggest:
            spans.setdefault(person, []).append((mention.start, mention.end))
            surnames[mention.tokens[-1]] = person
    for word in single_words(text):
        person = surnames.get(fold(word.text))
        if person is not None:
            spans[person].append((word.start, word.end))
    return spans


def slip_catch(
    names: NameChecker, articles: list[tuple[str, str]], rng: random.Random, per_article: int = 3
) -> tuple[Counter[str], Counter[str]]:
    """Tries and catches per slip kind: for up to `per_article` figures the article names 2+ times, one
    slip of each kind, each in one randomly chosen mention (the others stay right)."""
    tried: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    for _, text in articles:
        figures = [spans for spans in figure_mentions(names.gazetteer, text).values() if len(spans) >= 2]
        trials = [
            (spans, kind)
            for spans in rng.sample(figures, min(per_article, len(figures)))
            for kind in SLIP_KINDS
        ]
        for spans, kind in trials:
            start, end = rng.choice(spans)
            words = [(m.start(), m.end()) for m in re.finditer(r"[^\W\d_]{4,}", text[start:end])]
            if not words:
                continue
            word_start, word_end = rng.choice(words)
            word = text[start + word_start : start + word_end]
            wrong = slip(word, kind, rng)
            if wrong is None or fold(wrong) == fold(word):
                continue
            at = start + word_start
            changed = text[:at] + wrong + text[at + len(word) :]
            tried[kind] += 1
            caught[kind] += any(
                issue.start < at + len(wrong)
                and issue.end > at
                and fold(word) in fold(issue.suggestion)  # the suggestion restores the word
                for issue in names.find_issues(changed)
            )
    return tried, caught


def time_start(repeats: int = 7) -> tuple[list[float], list[float], float]:
    """CPU seconds to open the shipped index, and to open it and check a two-line note; then to read all of it.

    CPU time, not wall time: on a shared machine the wall clock measures the neighbours."""
    opens, notes = [], []
    for _ in range(repeats):
        start = time.process_time()
        gazetteer = gz.load()
        opens.append(time.process_time() - start)
        NameChecker(gazetteer).find_issues(TWO_LINE_NOTE)
        notes.append(time.process_time() - start)
    start = time.process_time()
    gz.load_file()
    return opens, notes, time.process_time() - start


def evaluate(
    limit: int | None = None,
    seed: int = 13,
    per_article: int = 2,
    shared: Path | None = None,
    names: NameChecker | None = None,
) -> list[dict]:
    """Rows {dataset, split, metric, value, target} for the quality report."""
    names = names or NameChecker(gz.load())
    rng = random.Random(seed)
    rows: list[dict] = []

    def row(dataset: str, metric: str, value: float, target: str) -> None:
        rows.append(
            {"dataset": dataset, "split": "all", "metric": metric, "value": round(value, 3), "target": target}
        )

    opens, notes, everything = time_start()
    row("gazetteer", "people", len(names.gazetteer.people), "-")
    row(
        "gazetteer",
        f"open packed index, CPU s, median of {len(opens)}",
        statistics.median(opens),
        f"< {LOAD_TARGET}",
    )
    row(
        "gazetteer",
        f"open + check a two-line note, CPU s, median of {len(notes)}",
        statistics.median(notes),
        f"< {LOAD_TARGET}",
    )
    row("gazetteer", "decode every record, CPU s (names update, not triage)", everything, "-")
    held_out = held_out_ids()
    for dataset, articles in load_articles_with_ids(shared or SHARED, limit).items():
        texts = [text for _, text in articles]
        timings = []
        flags = 0
        for text in texts:
            t0 = time.perf_counter()
            flags += len(names.find_issues(text))
            timings.append(time.perf_counter() - t0)
        # Real copy has misspellings of its own: read each flag (the report lists them) before calling it false.
        row(dataset, f"flags on all {len(texts)} untouched articles", flags, f"{FALSE_FLAG_TARGET} false")
        dev = [(key, text) for key, text in articles if key not in held_out]
        slips_tried, slips_caught = slip_catch(names, dev, rng)
        row(
            dataset,
            f"one-letter slips caught, figure named 2+ times ({len(dev)} non-test articles, n={sum(slips_tried.values())})",
            _ratio(sum(slips_caught.values()), sum(slips_tried.values())),
            f">= {SLIP_TARGET}",
        )
        for kind in SLIP_KINDS:
            row(
                dataset,
                f"  slips {kind} (n={slips_tried[kind]})",
                _ratio(slips_caught[kind], slips_tried[kind]),
                "-",
            )
        row(dataset, "check p95 ms per article", 1000 * sorted(timings)[int(0.95 * (len(timings) - 1))], "-")
        tried, hit = recall_by_kind(names, texts, rng, per_article)
        typos_tried = sum(tried[k] for k in TYPO_KINDS)
        row(
            dataset,
            f"suggestion recall, typos (n={typos_tried})",
            _ratio(sum(hit[k] for k in TYPO_KINDS), typos_tried),
            f">= {RECALL_TARGET}",
        )
        for kind in KINDS:
            row(
                dataset,
                f"  recall {kind} (n={tried[kind]})",
                _ratio(hit[kind], tried[kind]),
                f">= {RECALL_TARGET}" if kind in TYPO_KINDS else "-",
            )
    romanised = [
        (i, p.name)
        for i, p in enumerate(names.gazetteer.people)
        if p.suggest and p.country in NON_LATIN_SCRIPT_COUNTRIES and len(p.name.split()) >= 2
    ]
    translit_tried = translit_hit = 0
    for person, name in romanised:
        wrong = mutate("transliteration", name, rng)
        if wrong is None or names.gazetteer.is_known(tuple(fold(wrong).split())):
            continue
        translit_tried += 1
        accepted = _person_forms(names.gazetteer, person)
        issues = names.find_issues(f"Officials said {wrong} would attend the summit.")
        translit_hit += any(fold(issue.suggestion) in accepted for issue in issues)
    row(
        "gazetteer",
        f"suggestion recall, transliteration of romanised names in a template sentence (n={translit_tried})",
        _ratio(translit_hit, translit_tried),
        "- (house style)",
    )
    ascii_forms = [p.name for p in names.gazetteer.people if not p.name.isascii() and p.suggest]
    ascii_flagged = sum(
        bool(names.find_issues(f"Officials said {ascii_name(name)} would attend the summit."))
        for name in ascii_forms
    )
    row(
        "gazetteer",
        f"flags on ASCII forms of names with diacritics (n={len(ascii_forms)})",
        ascii_flagged,
        "0",
    )
    pairs = near_pairs(names.gazetteer, 300)
    flagged = sum(bool(names.find_issues(f"{a} met {b} in the capital on Tuesday.")) for a, b in pairs)
    row("gazetteer", f"flags on near-miss pairs of real people (n={len(pairs)})", flagged, "0")
    return rows


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="articles per dataset (default: all)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--per-article", type=int, default=2, help="people mutated per article")
    args = parser.parse_args(argv)
    print_table(evaluate(limit=args.limit, seed=args.seed, per_article=args.per_article))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
