"""The seed article (../shared/seed) defines what a triage must find: every row of its README is checked."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.models import Strength, TriageReport
from bot.text.normalize import decode, normalise
from bot.triage import TriageService
from tests.shared_data import SEED, SEED_CLAIMS, SEED_FRAMING, SEED_WEAK, fold, require


@pytest.fixture(scope="module")
def seed_report() -> TriageReport:
    text = normalise(decode(require(SEED).read_bytes()))
    return TriageService(Settings(extractor="offline", _env_file=None)).analyse(text)


def test_suggests_keir_starmer_for_kir_starmer(seed_report: TriageReport):
    issue = next(n for n in seed_report.names if n.found == "Kir Starmer")
    assert issue.suggestion == "Keir Starmer"
    assert "prime minister" in issue.evidence.lower()
    assert not [n for n in seed_report.names if n.found != "Kir Starmer"], (
        "no other name in the seed is wrong"
    )


@pytest.mark.parametrize("phrase", SEED_WEAK)
def test_each_weak_attribution_is_flagged(seed_report: TriageReport, phrase: str):
    hits = [a for a in seed_report.attributions if phrase in fold(a.text)]
    assert hits, f"no attribution covers {phrase!r}"
    assert all(a.strength is Strength.weak for a in hits)


def test_named_institution_is_moderate_and_state_media_is_named(seed_report: TriageReport):
    mfa = [a for a in seed_report.attributions if "ministry of foreign affairs" in fold(a.text)]
    assert mfa and mfa[0].strength is Strength.moderate
    ria = next(a for a in seed_report.attributions if "ria novosti" in fold(a.text))
    assert ria.kind.value == "state_media" and ria.country and "russia" in ria.country.lower()


@pytest.mark.parametrize("phrase", SEED_CLAIMS)
def test_each_listed_claim_is_found_and_check_worthy(seed_report: TriageReport, phrase: str):
    hits = [c for c in seed_report.claims if phrase in fold(c.text)]
    assert hits, f"no claim covers {phrase!r}"
    assert max(c.checkworthiness for c in hits) >= 0.5


@pytest.mark.parametrize("phrase", SEED_FRAMING)
def test_framing_scores_low(seed_report: TriageReport, phrase: str):
    assert all(c.checkworthiness < 0.5 for c in seed_report.claims if phrase in fold(c.text))


def test_summary_names_the_second_hand_state_media_source(seed_report: TriageReport):
    summary = seed_report.summary.lower()
    assert "second-hand" in summary and "ria novosti" in summary and "unnamed" in summary
    assert "keir starmer" in summary and "kir starmer" not in summary, "the summary names people correctly"


def test_every_span_is_the_articles_own_text(seed_report: TriageReport):
    text = normalise(decode(SEED.read_bytes()))
    for item in [*seed_report.claims, *seed_report.attributions, *seed_report.names]:
        assert text[item.start : item.end] == item.text
    assert [c.checkworthiness for c in seed_report.claims] == sorted(
        (c.checkworthiness for c in seed_report.claims), reverse=True
    )
