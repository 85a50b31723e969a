"""The calibration layer: a logistic model over named features, read from a plain JSON file."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bench.fit_claim_calibration import NEVER_LOWERS, _fit
from bot.extract.calibration import (
    FEATURES,
    TEXT_FEATURES,
    Calibration,
    default_calibration,
    feature_row,
    text_features,
    with_article_features,
)


def test_probability_is_the_logistic_of_the_weighted_features():
    calibration = Calibration({"logit": 0.5, "ticker": -2.0}, bias=0.25, event="test")
    (row,) = with_article_features(
        [feature_row("Spot gold XAU= added 0.1% to $1,472.19 an ounce.", 3.0, ["number"], 9)]
    )
    assert len(row) == len(FEATURES) and row[FEATURES.index("ticker")] == 1.0
    assert row[FEATURES.index("article_facts")] == 1.0
    z = 0.25 + 0.5 * 3.0 - 2.0
    assert calibration.probability([row])[0] == pytest.approx(1 / (1 + math.exp(-z)))


def test_unknown_features_are_refused():
    with pytest.raises(ValueError, match="unknown features"):
        Calibration({"logit": 1.0, "vibes": 2.0}, bias=0.0, event="test")


def named(text: str, index: int = 10) -> dict[str, float]:
    return dict(zip(TEXT_FEATURES, text_features(text, index), strict=True))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("They have to face the consequences of their acts.", {"pronoun_start": 1.0, "quote_only": 0.0}),
        (
            "We have enough resolution and power to end the unrest.”",
            {"quote_only": 1.0, "first_person": 1.0, "first_person_without_facts": 1.0},
        ),
        ("According to Reuters, the inquiry includes self-dealing.", {"according_to": 1.0}),
        ("The general public should be informed about both benefits and harms.", {"normative": 1.0}),
        (
            "Though many remain peaceful, a radical minority responded with unacceptable violence.",
            {"evaluative": 1.0},
        ),
        ("“I don’t see that there’s any viable option for them.”", {"quote_only": 1.0}),
        ("“We will not accept another pay freeze,” said Mara Olsen.", {"quote_only": 0.0}),
        ("The dollar index .DXY rose 0.05%, with the euro EUR= up 0.05% to $1.1075.", {"ticker": 1.0}),
        ("Copper CMCU3 rose 0.86% to $5,880.00 a tonne.", {"ticker": 1.0}),
        ("The US Justice Department has charged Assange with espionage.", {"ticker": 0.0, "short": 0.0}),
        ("Hong Kong is burning.", {"short": 1.0}),
        (
            "Emiew - Excellent Mobility as Workmate - can move at 3.7m/h in Great Britain.",
            {"evaluative": 0.0},
        ),
        ("Terrible weather hit the coast and caused serious damage.", {"evaluative": 2.0}),
        (
            'And he branded the UK government\'s response to the tsunami as "piecemeal and poor".',
            {"opinion_verb": 1.0, "connective": 1.0, "has_facts": 0.0},
        ),
        (
            "Mike Prettejohn speculated that the decision might have been taken to cut costs.",
            {"opinion_verb": 1.0, "speculative_without_facts": 1.0},
        ),
        (
            "Mr King said the only way to combat these attacks was with smarter systems.",
            {"reported_without_facts": 1.0},
        ),
        ("Mr King said 12 attacks were mounted in May.", {"reported_without_facts": 0.0, "has_facts": 1.0}),
        (
            "According to the website, the name of the oxygen bar is Oxy Pure.",
            {"according_to": 1.0, "reported_without_facts": 0.0},
        ),
        (
            "Critics say that the plan is the biggest attack on liberty.",
            {"vague_subject": 1.0, "opinion_holders": 1.0},
        ),
        ("I changed my personal profile into a professional one.", {"first_person_narrative": 1.0}),
        ("“I changed my profile,” she said.", {"first_person_narrative": 0.0, "first_person": 1.0}),
        ("The man was diagnosed with bubonic plague.", {"past_without_facts": 1.0, "no_core": 1.0}),
        ("He said the man was diagnosed on 3 May.", {"past_without_facts": 0.0, "no_core": 0.0}),
        ("Hong Kong is burning.", {"capitalised": 1 / 6}),
        ("The result was terrible.", {"subjectivity": 1.0}),
        ("Great Britain won the cup.", {"subjectivity": 0.75}),
        ("The terrible, new plan collapsed.", {"subjectivity": pytest.approx((1.0 + 0.46) / 2, abs=0.01)}),
    ],
)
def test_text_features(sentence: str, expected: dict[str, float]):
    features = named(sentence)
    assert {name: features[name] for name in expected} == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Prosecutors charged the mayor with fraud.",
            {"official_action": 1.0, "named_action": 0.0, "allegation": 0.0},
        ),
        ("The court in Leeds sentenced Tom Reed to life.", {"official_action": 1.0, "named_action": 1.0}),
        ("The committee met again.", {"official_action": 0.0}),
        ("Lena Park was named best actress.", {"result": 1.0}),
        ("United beat City to the title.", {"result": 1.0}),
        ("The patient was diagnosed with a rare disease.", {"medical": 1.0}),
        (
            "Acme offers a powerful, proprietary platform™ for publishers.",
            {"promotional": 3.0},
        ),
        ("The firm provides loans.", {"promotional": 1.0}),
        ("Stir two spoons of honey into the tea.", {"imperative": 1.0}),
        ("Stirring songs filled the hall.", {"imperative": 0.0}),
        ("Ask the mayor about the 42 missing ferries, said Ann Lee.", {"imperative": 0.0}),
        ("She said 40 people were hurt.", {"attributed_fact": 1.0}),
        ("She said the terrible plan cost 40 jobs.", {"attributed_fact": 0.0}),
        ("If the talks fail, prices would rise.", {"hypothetical": 1.0}),
        ("If the talks fail, prices would rise 5%.", {"hypothetical": 0.0}),
        ("The formation of stars is a complex dance.", {"generic_present": 1.0}),
        ("The factory is closed and workers were sent home.", {"generic_present": 0.0}),
        ("He allegedly insulted four co-stars.", {"allegation": 1.0}),
        ("She faces a charge of fraud.", {"allegation": 1.0}),
        ("The ministry did not comment on the report.", {"no_comment": 1.0}),
        ("The visit is seen as a sign of confidence.", {"analysis": 1.0}),
        ("The visit lasted two days.", {"analysis": 0.0, "no_comment": 0.0}),
    ],
)
def test_what_kind_of_statement(sentence: str, expected: dict[str, float]):
    features = named(sentence)
    assert {name: features[name] for name in expected} == expected


def test_an_article_of_opinion_has_few_facts():
    rows = [
        feature_row(text, 0.0, signals, i)
        for i, (text, signals) in enumerate(
            [
                ("Hong Kong is burning.", []),
                ("Exports fell 12% in May.", ["number", "date"]),
                ("It is a shame.", []),
                ("They must act.", []),
            ]
        )
    ]
    assert {row[FEATURES.index("article_facts")] for row in with_article_features(rows)} == {0.25}


def test_position_runs_from_the_first_candidate_to_the_last():
    rows = [feature_row(f"Exports fell {n}% in May.", 0.0, ["number"], n) for n in range(5)]
    assert [row[FEATURES.index("position")] for row in with_article_features(rows)] == [0, 0.25, 0.5, 0.75, 1]
    (alone,) = with_article_features(rows[:1])
    assert alone[FEATURES.index("position")] == 0.0


def test_the_lede_is_the_first_three_sentences():
    assert named("Exports fell 12% in May.", 2)["lede"] == 1.0
    assert named("Exports fell 12% in May.", 3)["lede"] == 0.0
    headline = "‘He died in my hands’: 3 pro-Morales demonstrators killed in clashes with police"
    assert named(headline, 0)["headline"] == 1.0 and named(headline, 5)["headline"] == 0.0


def test_second_hand_sourcing_never_lowers_a_claim():
    """ "According to Reuters, ..." is a claim to check like the same words unattributed (issue 14)."""
    plain = feature_row("The inquiry includes self-dealing by the founder.", 1.0, ["named_entity"], 9)
    relayed = feature_row(
        "According to Reuters, the inquiry includes self-dealing by the founder.", 1.0, ["named_entity"], 9
    )
    assert relayed[FEATURES.index("according_to")] == 1.0
    # Each as the one sentence of its article, so only the words differ (not the place in the article).
    rows = [with_article_features([row])[0] for row in (plain, relayed)]
    bundled = default_calibration().probability(rows)
    assert bundled[1] >= bundled[0]
    # A refit leaves the feature out however the labels lean: here every relayed row is labelled "no".
    x = np.asarray([plain, relayed] * 20 + [plain] * 20, dtype=float)
    x = np.asarray(with_article_features(x.tolist()))
    y = np.asarray([1.0, 0.0] * 20 + [1.0] * 20)
    for name in NEVER_LOWERS:
        assert _fit(x, y, 1.0).coef_[0][FEATURES.index(name)] == 0.0
