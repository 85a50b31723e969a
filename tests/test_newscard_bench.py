"""The news-card bench reads labels the way the issue defines its figures."""

from __future__ import annotations

import pytest

from bench.newscard import Tally, _right_spelling, agreed, kappa, score_article
from bench.newscard_data import Article, Figure, Sentence, Source
from bench.newscard_labels import misspelt, occurrences
from bot.models import (
    ArticleInfo,
    Attribution,
    AttributionKind,
    Claim,
    ExtractorInfo,
    NameIssue,
    Strength,
    TriageReport,
)


def test_kappa_of_known_pairs():
    share, k = kappa([("must", "must"), ("no", "no"), ("must", "no"), ("no", "no")])
    assert share == 0.75
    # expected agreement: must 2/4*1/4 + no 2/4*3/4 = 0.5, so kappa = (0.75 - 0.5) / 0.5
    assert k == pytest.approx(0.5)


def test_occurrences_fold_typography_and_find_every_one():
    text = "the People’s Daily said; later the people's daily warned"
    second = text.index("the people")
    assert occurrences(text, "the People's Daily") == [(0, 18), (second, second + 18)]


@pytest.mark.parametrize(
    ("mention", "canonical", "slip"),
    [
        ("Kir Starmer", "Keir Starmer", True),
        ("Justin Beiber", "Justin Bieber", True),
        ("Zelenskyy", "Volodymyr Zelensky", False),
        ("Benitez", "Rafael Benítez", False),
        ("Secretary of State Mike Pompeo", "Mike Pompeo", False),
        ("Assange", "Julian Assange", False),
    ],
)
def test_misspelt_is_a_slip_not_a_variant_or_title(mention, canonical, slip):
    assert misspelt(mention, canonical) is slip


@pytest.mark.parametrize(
    ("suggestion", "canonical", "right"),
    [
        ("Keir Starmer", "Keir Starmer", True),
        ("Ferreira", "Paulo Ferreira", True),  # the surname as written, spelled right
        ("Paulo", "Paulo Ferreira", True),
        ("Ferreira", "Paulo Ferreira Santos", False),  # a middle name is not how it was written
        ("Pereira", "Paulo Ferreira", False),
        ("", "Paulo Ferreira", False),
    ],
)
def test_a_slip_is_caught_by_the_right_spelling_of_what_was_written(suggestion, canonical, right):
    assert _right_spelling(suggestion, canonical) is right


def _report(text: str, claims, attributions, names) -> TriageReport:
    return TriageReport(
        article=ArticleInfo(sha256="0" * 64, words=len(text.split()), language="en"),
        summary="",
        claims=claims,
        attributions=attributions,
        names=names,
        extractor=ExtractorInfo(name="offline", version="t"),
    )


def test_every_weak_flag_counts_and_only_agreed_labels_score():
    text = "Kir Starmer said 40% rose. Officials said so. Hong Kong is burning."
    article = Article(
        id="x",
        source="bbc-news",
        key="x",
        split="dev",
        sha256="",
        text=text,
        sentences=[
            Sentence(0, 26, {"a": "must", "b": "must"}),
            Sentence(27, 45, {"a": "could", "b": "no"}),
            Sentence(46, 67, {"a": "no", "b": "no"}),
        ],
        sources=[Source("a", "unnamed", [(27, 36)]), Source("b", "unnamed", [(27, 36)])],
        figures=[Figure("a", "Keir Starmer", [(0, 11)], True), Figure("b", "Keir Starmer", [(0, 11)], True)],
    )

    def claim(start: int, end: int, score: float) -> Claim:
        return Claim(text=text[start:end], start=start, end=end, checkworthiness=score)

    def weak(start: int, end: int) -> Attribution:
        return Attribution(
            text=text[start:end],
            start=start,
            end=end,
            source="x",
            kind=AttributionKind.unnamed_official,
            strength=Strength.weak,
            reason="r",
        )

    report = _report(
        text,
        [claim(0, 26, 0.9), claim(46, 67, 0.6)],
        [weak(27, 36), weak(46, 55)],
        [
            NameIssue(
                text="Kir Starmer",
                start=0,
                end=11,
                found="Kir Starmer",
                suggestion="Keir Starmer",
                confidence=0.9,
                evidence="e",
            )
        ],
    )
    tally = Tally()
    score_article(article, report, tally)
    c = tally.c
    assert (c["no"], c["no_flagged"]) == (1, 1)  # the opinion sentence, flagged
    assert (c["must"], c["must_flagged"]) == (1, 1)
    assert (c["top"], c["top_worthy"]) == (2, 1)  # the disagreed sentence is not scored
    assert (c["weak_flags"], c["weak_flags_right"]) == (2, 1)  # a flag on no labelled source is false
    assert (c["weak_sources"], c["weak_sources_flagged"]) == (1, 1)
    assert (c["slips"], c["slips_caught"], c["name_false"]) == (1, 1, 0)
    assert agreed(article.sentences[1]) is None
