"""The offline extractor's fast paths give exactly what their straightforward definitions give.

Check-worthiness rows come from cached per-token facts, signal patterns only search sentences holding
one of their needles, name runs jump over lower-case words, one-edit checks skip the distance table, and
overlapping attributions are resolved by bisection. Each is compared here with a plain
reference implementation on real article text (the repo's examples, plus the shared datasets when
present) and on generated text full of edge cases.
"""

from __future__ import annotations

import json
import math
import random
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.extract import attributions, claims
from bot.extract.attribution_context import Find, sentence_context
from bot.extract.attribution_groups import _UNNAMED_NP
from bot.extract.attribution_patterns import alternation, longest_first
from bot.extract.attributions import _resolve
from bot.extract.checkworthiness import CheckworthinessModel, default_model, sentence_features
from bot.models import AttributionKind, Span, Strength
from bot.names import checker
from bot.text.normalize import normalise
from bot.text.sentences import split_sentences
from bot.text.typography import fold_typography
from tests.shared_data import SEED, SHARED

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.txt"))
GROUND_TRUTH = SHARED / "datasets" / "article-extraction" / "ground-truth.json"
BBC = SHARED / "datasets" / "bbc-news" / "bbc_news.jsonl"
TRICKY = (
    "“Quoted” Name said I’m sure. $ 5, $5, 5%, 2019s and 1,000.5 ? ! Tested tested TESTED biggest.\n"
    "We’re I'm i’ve O'Neil-Smith al-Assad von der Leyen's Mr. J. R. Smith jr. of the U.S. Army.\n"
    "GDP grew 2.1 %\nin 2023, more\nthan forecast.  As the crisis unfolds  we think 5 % rose. İstanbul.\n"
    "ǅemal émile-Zola ÉLYSÉE d’Estaing well-known-Name Jean-Pierre\u00a0Raffarin, 10\u00a0per cent.\n"
)


def _real_texts(limit: int = 120) -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in EXAMPLES]
    if SEED.exists():
        texts.append(SEED.read_text(encoding="utf-8"))
    if GROUND_TRUTH.exists():
        bodies = json.loads(GROUND_TRUTH.read_text(encoding="utf-8")).values()
        texts += [item["articleBody"] for item in list(bodies)[:limit]]
    if BBC.exists():
        lines = BBC.read_text(encoding="utf-8").splitlines()[:limit]
        texts += [json.loads(line)["text"] for line in lines]
    return [*texts, TRICKY]


REAL = _real_texts()


# -- check-worthiness rows ---------------------------------------------------------------------------------


def reference_rows(
    model: CheckworthinessModel, sentences: list[str]
) -> tuple[list[int], list[float], list[int]]:
    """The scorer's rows built the plain way: `sentence_features`, looked up feature by feature."""
    get = model.index.get
    ids: list[int] = []
    values: list[float] = []
    starts = [0]
    for text in sentences:
        lexical, structural = sentence_features(text)
        lex_ids = {i for f in lexical if (i := get(f)) is not None}
        struct_ids = {i for f in structural if (i := get(f)) is not None} - lex_ids
        if lex_ids:
            ids += lex_ids
            values += [1.0 / math.sqrt(len(lex_ids))] * len(lex_ids)
        ids += struct_ids
        values += [1.0] * len(struct_ids)
        starts.append(len(ids))
    return ids, values, starts


def _assert_same_rows(model: CheckworthinessModel, sentences: list[str]) -> None:
    ids, values, starts = model.feature_rows(sentences)
    ref_ids, ref_values, ref_starts = reference_rows(model, sentences)
    # Same ids in the same order, so the summed logits agree to the last bit, not just approximately.
    assert ids.tolist() == ref_ids
    assert values.tolist() == ref_values
    assert starts.tolist() == ref_starts


def test_bundled_model_rows_equal_the_reference_on_real_sentences():
    model = default_model()
    batches = [[s.text for s in split_sentences(normalise(text))] for text in REAL]
    for sentences in batches:
        _assert_same_rows(model, sentences)
    # A second pass reads the token cache the first one filled: still the same rows.
    for sentences in batches[:5]:
        _assert_same_rows(model, sentences)
    _assert_same_rows(model, ["", "I", "?", "$", "“", "The The The"])


def test_rows_equal_the_reference_when_the_token_cache_starts_afresh(monkeypatch):
    from bot.extract import checkworthiness

    monkeypatch.setattr(checkworthiness, "_TOKEN_CACHE", 120)  # a few sentences fill it
    model = CheckworthinessModel.load()
    sentences = [s.text for s in split_sentences(normalise(REAL[0]))]
    for start in range(0, 40, 4):
        _assert_same_rows(model, sentences[start : start + 4])
    assert 0 < len(model._known) <= 120


def test_rows_equal_the_reference_for_a_model_missing_most_features():
    features = ["b:<s> taxes", "b:taxes rose", "b:<pct> </s>", "b:<s> </s>", "w:taxes", "p:taxe", "len:1"]
    features += ["caps:0", "caps:1", "nums:1", "report:0", "ed:0", "pct", "question", "fp_noevidence"]
    model = CheckworthinessModel(features, np.linspace(-1, 1, len(features)), 0.5)
    sentences = ["Taxes rose 5%", "Taxes rose.", "", "I think we said so?", "Taxes, Ohio and Taxes rose 5%"]
    _assert_same_rows(model, sentences)


# -- claim signals -----------------------------------------------------------------------------------------


def test_every_signal_finds_what_it_finds_without_its_first_character_lookahead():
    for text in REAL:
        lower = normalise(text).lower()
        for name, pattern, _ in claims._SIGNAL_PATTERNS:
            plain = re.compile(pattern.pattern[pattern.pattern.index("])") + 2 :])
            assert [m.span() for m in pattern.finditer(lower)] == [m.span() for m in plain.finditer(lower)], (
                name
            )


def test_every_signal_match_holds_one_of_its_needles():
    for text in REAL:
        lower = normalise(text).lower()
        for name, pattern, needles in claims._SIGNAL_PATTERNS:
            position = 0
            while match := pattern.search(lower, position):  # every match, at every start
                found = match.group()
                assert any(
                    claims._DIGIT.search(found) if needle == claims._ANY_DIGIT else needle in found
                    for needle in needles
                ), (name, found)
                position = match.start() + 1


def test_needle_pass_equals_the_whole_text_sweep_on_real_sentences():
    for text in REAL:
        for candidate in (normalise(text), text):
            spans = [s for s in split_sentences(candidate) if claims.is_candidate(s.text)]
            assert claims._fired_per_span(candidate, spans) == claims._fired_by_sweep(
                candidate.lower(), spans
            )


def test_needle_pass_equals_the_sweep_on_arbitrary_spans():
    """Spans cut anywhere: those ending where a match could run on fall back to the sweep."""
    rng = random.Random(7)
    texts = [normalise(text) for text in REAL]
    for _ in range(400):
        text = rng.choice(texts)
        cuts = sorted(rng.sample(range(1, len(text)), min(len(text) - 1, rng.randrange(2, 30))))
        spans = [
            Span(text=text[a:b], start=a, end=b) for a, b in zip([0, *cuts], cuts, strict=False) if a < b
        ]
        clean = [s for s in spans if claims._ends_cleanly(text.lower(), s.end)]
        for chosen in (spans, clean):
            assert claims._fired_per_span(text, chosen) == claims._fired_by_sweep(text.lower(), chosen)


def test_needle_pass_is_the_same_when_its_table_of_runs_starts_afresh(monkeypatch: pytest.MonkeyPatch):
    """Runs of letters remembered past the bound are forgotten, and an article's runs learned again."""
    monkeypatch.setattr(claims, "_RUN_CACHE", 40)
    monkeypatch.setattr(claims, "_RUN_SIGNALS", claims._RunSignals())
    for text in REAL:
        spans = [s for s in split_sentences(text) if claims.is_candidate(s.text)]
        assert claims._fired_per_span(text, spans) == claims._fired_by_sweep(text.lower(), spans)


def test_a_span_ending_inside_a_phrase_is_not_searched_alone():
    text = "Costs were more than expected. GDP grew 5 %\nin 2023."
    cut = text.index(" than")
    spans = [Span(text=text[:cut], start=0, end=cut)]
    assert not claims._ends_cleanly(text.lower(), cut)
    assert claims._fired_per_span(text, spans) == claims._fired_by_sweep(text.lower(), spans)


# -- name runs ---------------------------------------------------------------------------------------------


def reference_runs(text: str) -> list[list[tuple[str, int, int]]]:
    """`_runs` read word by word, every word, with no jumps and no cache."""
    runs: list[list[tuple[str, int, int]]] = []
    current: list[tuple[str, int, int]] = []
    previous_end = -1
    for match in checker._WORD.finditer(text):
        raw = match.group()
        if not current and raw[0].islower() and "-" not in raw:
            continue
        start, end = match.start(), match.end()
        closes_run = False
        if raw.endswith(".") and not (len(raw) == 2 or raw.lower() in checker._ABBREVIATIONS):
            raw, end, closes_run = raw[:-1], end - 1, True
        if raw.endswith(checker._POSSESSIVE) and len(raw) > 3:
            raw, end, closes_run = raw[:-2], end - 2, True
        joined = current and start - previous_end <= 2 and set(text[previous_end:start]) <= checker._RUN_GAP
        if not joined and current:
            runs.append(current)
            current = []
        is_particle = raw.lower() in checker._PARTICLES and bool(current)
        if (checker._name_word(raw) or is_particle) and raw.lower().rstrip(".") not in checker._NOT_NAME:
            current.append((raw, start, end))
        elif current:
            runs.append(current)
            current = []
        if closes_run and current:
            runs.append(current)
            current = []
        previous_end = end if not closes_run else -1
    if current:
        runs.append(current)
    return runs


def _runs(text: str) -> list[list[tuple[str, int, int]]]:
    return [[(w.text, w.start, w.end) for w in run] for run in checker._runs(text)]


def test_name_runs_equal_the_word_by_word_reference_on_real_text():
    for text in REAL:
        assert _runs(text) == reference_runs(text)
        assert _runs(normalise(text)) == reference_runs(normalise(text))


PIECES = [*"aAbZzé É1_s-'’. \n\u00a0ǅ漢ª", "von ", "al-", "Mr. ", "O'", "U.S. ", "Jean-Pierre ", "de ", "'s "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_name_runs_equal_the_reference_on_generated_text(text: str):
    assert _runs(text) == reference_runs(text)


@pytest.mark.parametrize("word", ["Assad", "al-Assad", "O'Neil-Smith", "émile-Zola", "ǅemal", "x-Y"])
def test_run_start_finds_the_word_holding_a_capital(word: str):
    text = f"said {word} today"
    capital = checker._RUN_START.search(text)
    assert capital is not None
    assert checker._WORD.match(text, checker._word_start(text, capital.start())).group() == word
    assert re.fullmatch(checker._WORD, word)


def test_the_letters_no_run_starts_with_are_all_lower_case():
    skipped = re.compile(f"[{checker._LOWER}]")
    letters = [chr(code) for code in range(0x3000) if skipped.match(chr(code))]
    assert len(letters) > 100 and all(letter.islower() for letter in letters)


@pytest.mark.parametrize("word", ["o'Neil", "d’Estaing", "well-known", "mid-march"])
def test_run_start_skips_words_the_reference_skips(word: str):
    assert checker._RUN_START.search(f"said {word} today") is None
    assert reference_runs(f"said {word} today") == _runs(f"said {word} today")


@pytest.mark.parametrize(
    "word",
    ["van", "Van", "vAn", "VAN", "de's", "della.", "al-Assad", "émile-Zola", "x-y", "vanity", "said", "Ōno"],
)
def test_a_runs_next_word_is_read_when_it_may_belong_to_the_name(word: str):
    for text in (f"Anna {word} Smith", f"Anna\u00a0 {word}", f"A. {word} Smith's"):
        assert _runs(text) == reference_runs(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["the", "The", "said", "Konzept", "und", " ", "  ", ",", "\n"]), max_size=400)
)
def test_english_stops_early_with_the_answer_of_a_full_count(pieces: list[str]):
    sample = "".join(pieces)[:3000]
    full_count = len(checker._FUNCTION_WORDS.findall(sample)) * 25 >= sample.count(" ") + 1
    assert checker._english(sample) == full_count


# -- one edit apart --------------------------------------------------------------------------------------


@settings(max_examples=1000, deadline=None)
@given(st.text("abcé", max_size=7), st.text("abcé", max_size=7))
def test_one_edit_apart_is_osa_distance_one(a: str, b: str):
    assert checker.one_edit_apart(a, b) == (checker.osa_distance(a, b) == 1)


@pytest.mark.parametrize(
    ("a", "b", "apart"),
    [("keir", "kier", True), ("kir", "keir", True), ("starmer", "starmer", False), ("abc", "cba", False)],
)
def test_one_edit_apart_on_names(a: str, b: str, apart: bool):
    assert checker.one_edit_apart(a, b) is apart
    assert checker.one_edit_apart(b, a) is apart


# -- overlapping attributions ------------------------------------------------------------------------------


def reference_resolve(found: list[Find]) -> list[Find]:
    """The straightforward rule: each find, best first, is kept unless it overlaps one kept before it."""
    kept: list[Find] = []
    for f in sorted(found, key=lambda f: (-f.priority, -(f.end - f.start), f.start)):
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


_FINDS = st.builds(
    lambda start, length, priority, n: Find(
        start, start + length, f"s{n}", AttributionKind.hedge, Strength.weak, "r", priority
    ),
    st.integers(0, 40),
    st.integers(0, 8),
    st.sampled_from([50, 70, 90, 95]),
    st.integers(0, 3),
)


@settings(max_examples=600, deadline=None)
@given(st.lists(_FINDS, max_size=25))
def test_resolving_overlaps_equals_the_reference(found: list[Find]):
    assert _resolve(found) == reference_resolve(found)


def test_resolving_overlaps_equals_the_reference_on_real_articles():
    for text in REAL[:60]:
        text = normalise(text)
        folded = fold_typography(text)
        found = [
            find
            for sentence in split_sentences(text)
            for pass_ in attributions._PASSES
            for find in pass_(sentence_context(folded, sentence))
        ]
        assert _resolve(found) == reference_resolve(found)


_TRIE_WORDS = ["official", "officials", "offer", "aide", "aides", "a", "high-level", "senior", "seniors"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_TRIE_WORDS), min_size=1, unique=True),
    st.lists(st.sampled_from([*_TRIE_WORDS, "OFFICIAL", "s", "e", "x", " ", "-"]), max_size=8).map("".join),
)
def test_trie_alternation_matches_what_the_longest_first_join_matches(words: list[str], text: str):
    """Same matches, same groups, under what follows the alternation too (backtracking into it)."""
    joined = "|".join(re.escape(w) for w in sorted(words, key=longest_first))
    for tail in ("", r"s?\b", r"(?P<rest>\w*)e"):
        old = re.compile(rf"(?i:(?P<w>{joined})){tail}")
        new = re.compile(rf"(?i:(?P<w>{alternation(words)})){tail}")
        assert [(m.span(), m.groupdict()) for m in old.finditer(text)] == [
            (m.span(), m.groupdict()) for m in new.finditer(text)
        ]


def test_unnamed_role_pattern_is_built_from_tries():
    assert "(?:s)?" in _UNNAMED_NP.pattern  # "official(?:s)?", not "officials|official"
    assert [m["np"] for m in _UNNAMED_NP.finditer("Two senior officials and an aide said so.")] == [
        "Two senior officials",
        "an aide",
    ]
