"""Claim detection: exact spans, kinds, explainable signals, and the seed article's listed claims."""

from __future__ import annotations

import numpy as np
import pytest

from bot.extract import claims as claims_module
from bot.extract.checkworthiness import default_model
from bot.extract.claims import claim_kind, is_candidate, score_claims, sentence_signals
from bot.models import ClaimKind, Origin
from bot.text.normalize import decode, normalise
from bot.text.sentences import split_sentences
from tests.shared_data import SEED, SEED_CLAIMS, SEED_FRAMING, fold, require

SAMPLE = """Harbour Strike Ends

Dock workers at Port Averne ended a nine-day strike on Tuesday, the union said.
Freight volumes fell 18% in March compared with a year earlier, according to the port authority.
“We will not accept another pay freeze,” said Mara Olsen, the union's regional secretary.
The strike has sparked debate about the future of the region's economy.
As the situation unfolds, the town faces a difficult balancing act.
The port authority is expected to publish revised figures next month.
"""


def scored(text: str) -> dict[str, object]:
    return {c.text: c for c in score_claims(text, split_sentences(text))}


def find(claims: dict, phrase: str):
    hits = [c for t, c in claims.items() if phrase in fold(t)]
    assert hits, f"no claim covers {phrase!r}"
    return hits[0]


def test_every_claim_is_an_exact_slice_with_offline_origin():
    found = score_claims(SAMPLE, split_sentences(SAMPLE))
    assert found
    for claim in found:
        assert SAMPLE[claim.start : claim.end] == claim.text
        assert claim.id == "" and claim.origin is Origin.offline
        assert 0.0 <= claim.checkworthiness <= 1.0
        assert claim.signals[-1].startswith("model:")


def test_heading_and_empty_sentences_are_skipped():
    texts = [c.text for c in score_claims(SAMPLE, split_sentences(SAMPLE))]
    assert "Harbour Strike Ends" not in texts
    assert score_claims("", []) == []
    assert not is_candidate("Breaking News Today")
    assert not is_candidate("OK.")
    assert is_candidate("Unemployment fell to 4 percent.")


def test_factual_sentences_score_high_and_framing_low():
    claims = scored(SAMPLE)
    for phrase in ("nine-day strike", "freight volumes fell 18%"):
        assert find(claims, phrase).checkworthiness >= 0.5, phrase
    # A quoted intention is worth less to a desk than the facts around it.
    assert (
        find(claims, "another pay freeze").checkworthiness < find(claims, "freight volumes").checkworthiness
    )
    for phrase in ("sparked debate", "as the situation unfolds"):
        claim = find(claims, phrase)
        assert claim.checkworthiness < 0.5 and "framing" in claim.signals


def test_kinds_follow_the_strongest_evidence():
    claims = scored(SAMPLE)
    assert find(claims, "freight volumes").kind is ClaimKind.statistic
    assert find(claims, "pay freeze").kind is ClaimKind.quote
    assert find(claims, "expected to publish").kind is ClaimKind.prediction
    assert claim_kind([]) is ClaimKind.other
    assert claim_kind(["named_entity+reporting_verb", "named_entity"]) is ClaimKind.event
    assert claim_kind(["date", "causal"]) is ClaimKind.date_time


def test_signals_name_what_fired():
    signals = sentence_signals("Freight volumes fell 18% in March, the port authority of Averne said.")
    assert {
        "number",
        "statistic",
        "date",
        "comparative",
        "named_entity",
        "named_entity+reporting_verb",
    } <= set(signals)
    assert "opinion" in sentence_signals("In my view, the plan is a mistake.")
    assert "causal" in sentence_signals("Prices rose because of the drought.")
    assert "policy" in sentence_signals("Parliament passed the bill on Monday.")
    assert sentence_signals("Nothing much happened here.") == []
    assert "named_entity+reporting_verb" in sentence_signals("Starmer said the talks were over.")


def test_framing_pulls_a_confident_model_score_down():
    claim = score_claims(
        "This underscores the growing role of the alliance in 2024.",
        [s for s in split_sentences("This underscores the growing role of the alliance in 2024.")],
    )[0]
    model_p = float(claim.signals[-1].split(":")[1])
    assert "framing" in claim.signals and claim.checkworthiness < model_p


def test_all_sentences_are_scored_in_one_model_call(monkeypatch):
    calls: list[int] = []
    model = default_model()

    class CountingModel:
        def score(self, sentences):
            calls.append(len(sentences))
            return np.asarray(model.score(sentences))

    monkeypatch.setattr(claims_module, "default_model", lambda: CountingModel())
    found = score_claims(SAMPLE, split_sentences(SAMPLE))
    assert calls == [len(found)]


@pytest.fixture(scope="module")
def seed_claims() -> dict:
    text = normalise(decode(require(SEED).read_bytes()))
    return scored(text)


@pytest.mark.parametrize("phrase", SEED_CLAIMS)
def test_seed_listed_claims_are_check_worthy(seed_claims: dict, phrase: str):
    assert find(seed_claims, phrase).checkworthiness >= 0.5


@pytest.mark.parametrize("phrase", SEED_FRAMING)
def test_seed_framing_sentences_score_low(seed_claims: dict, phrase: str):
    assert all(c.checkworthiness < 0.5 for t, c in seed_claims.items() if phrase in fold(t))


def test_article_level_signal_pass_agrees_with_per_sentence_signals():
    from bot.extract.claims import _fired_per_span

    text = normalise(SAMPLE + "\nGDP grew 2.1% in 2023, more than forecast. Officials said it would rise.")
    spans = [s for s in split_sentences(text) if is_candidate(s.text)]
    fired = _fired_per_span(text, spans)
    assert [sentence_signals(s.text, f) for s, f in zip(spans, fired, strict=True)] == [
        sentence_signals(s.text) for s in spans
    ]
    assert any("statistic" in f for f in fired)


def test_a_headline_the_body_repeats_is_listed_once():
    body = (
        "Sweden has dropped its investigation into a 2010 rape allegation against WikiLeaks co-founder "
        "Julian Assange after a review of the evidence."
    )
    text = (
        f"Sweden has dropped its investigation into a 2010 rape allegation against Julian Assange.\n\n{body}"
    )
    assert [c.text for c in score_claims(text, split_sentences(text))] == [body]


def test_which_headline_repeats_does_not_depend_on_hash_order():
    """'storms' and 'across' tie as the head's second-longest word; the choice must not follow set order."""
    import subprocess
    import sys

    script = (
        "from bot.extract.claims import _without_repeats\n"
        "from bot.text.sentences import split_sentences\n"
        "t = 'Storms close seven ports across coast tonight\\n\\n"
        "Storms will close seven ports along the coast tonight, the agency said on Monday.'\n"
        "print([i for i, _ in _without_repeats(t, list(enumerate(split_sentences(t))))])\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script], env={"PYTHONHASHSEED": str(seed)}, capture_output=True, text=True
        ).stdout
        for seed in range(8)
    }
    assert outputs == {"[1]\n"}  # the headline the body repeats is dropped, whatever the seed


def test_scores_are_the_calibration_of_the_model_and_features():
    from bot.extract.calibration import default_calibration
    from bot.extract.claims import scored_sentences

    scored = scored_sentences(SAMPLE, split_sentences(SAMPLE))
    claims = score_claims(SAMPLE, split_sentences(SAMPLE))
    expected = default_calibration().probability([s.features for s in scored])
    assert [c.checkworthiness for c in claims] == [round(float(p), 4) for p in expected]
    assert "editor" in default_calibration().event
