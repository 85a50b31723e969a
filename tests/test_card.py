"""The card's claims section: about five claims first, bands instead of bare scores, a header that counts
what the list holds, and a misspelt speaker shown with the right spelling."""

from __future__ import annotations

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
from bot.render.card import CARD_CLAIMS, band, render_card

SCORES = [0.97, 0.91, 0.85, 0.8, 0.74, 0.66, 0.58, 0.51]


def report(**changes) -> TriageReport:
    claims = [
        Claim(
            id=f"c{i}", text=f"Claim number {i} cost $1bn.", start=10 * i, end=10 * i + 5, checkworthiness=s
        )
        for i, s in enumerate(SCORES, 1)
    ]
    claims[0].speaker = "British Prime Minister Kir Starmer"
    claims[1].attribution_id = "a1"
    base = TriageReport(
        article=ArticleInfo(sha256="0" * 64, words=500, language="en"),
        summary="Central claim rests on one anonymous source.",
        claims=claims,
        attributions=[
            Attribution(
                id="a1",
                text="an official, speaking on condition of anonymity",
                start=0,
                end=5,
                source="anonymous source",
                kind=AttributionKind.anonymous,
                strength=Strength.weak,
                reason="anonymous source",
            )
        ],
        names=[
            NameIssue(
                text="Kir Starmer",
                start=0,
                end=11,
                found="Kir Starmer",
                suggestion="Keir Starmer",
                confidence=0.9,
                evidence="gazetteer",
            )
        ],
        extractor=ExtractorInfo(name="offline", version="1"),
        sentences=30,
    )
    return base.model_copy(update=changes)


def claims_section(reply):
    return next(s for s in reply.sections if s.title.startswith("🔎"))


def test_card_leads_with_five_claims_and_the_header_counts_the_whole_list():
    section = claims_section(render_card(report()))
    assert CARD_CLAIMS == 5 and len(section.items) == 5
    assert section.hidden == len(SCORES) - 5
    assert section.title == f"🔎 Check-worthy claims ({len(SCORES)} of 30 sentences)"
    full = claims_section(render_card(report(), full=True))
    assert len(full.items) == len(SCORES) and full.hidden == 0


def test_scores_read_as_bands():
    assert [band(s) for s in (0.95, 0.8, 0.79, 0.5, 0.3)] == [
        "assign first",
        "assign first",
        "worth a look",
        "worth a look",
        "low priority",
    ]
    metas = [item.meta for item in claims_section(render_card(report(), full=True)).items]
    assert metas[0].startswith("assign first (97%)") and metas[-1].startswith("worth a look (51%)")


def test_a_misspelt_speaker_carries_the_correction():
    first = claims_section(render_card(report())).items[0]
    assert "British Prime Minister Kir Starmer → Keir Starmer" in (first.meta or "")


def test_a_source_is_not_explained_by_its_own_name():
    second = claims_section(render_card(report())).items[1]
    assert (second.meta or "").endswith("· anonymous source")


def test_summary_is_prefixed_once():
    assert render_card(report()).text.startswith("⚠️ Sourcing: Central claim")
    solid = render_card(
        report(summary="Sourcing looks solid: 3 named people on the record.", attributions=[])
    )
    assert solid.text.startswith("🧾 Sourcing looks solid") and "Sourcing: Sourcing" not in solid.text


def test_a_claim_checked_before_says_by_whom_how_and_where():
    from datetime import date

    from bot.models import PriorCheck

    card = report()
    card.claims[0].prior_checks = [
        PriorCheck(
            url="https://www.snopes.com/fact-check/x/",
            score=0.93,
            claim="Claim number one cost a billion dollars.",
            rating="False",
            publisher="Snopes",
            published=date(2020, 3, 1),
            source="ct2020",
        )
    ]
    card.claims[1].prior_checks = [
        PriorCheck(
            url="C-1042",
            score=0.88,
            claim="Claim number 2 cost $1bn.",
            rating="false",
            publisher="@ana",
            published=date(2026, 11, 3),
            source="desk",
        )
    ]
    first, second, third = claims_section(render_card(card)).items[:3]
    assert first.meta.endswith(
        "🔁 Checked before: ‘Claim number one cost a billion dollars.’ — False (Snopes, 2020-03-01) "
        "https://www.snopes.com/fact-check/x/"
    )
    assert second.meta.endswith("🔁 C-1042 ruled false on 2026-11-03 by @ana")
    assert "Checked before" not in third.meta and "ruled" not in third.meta


def test_one_clipping_rule_for_cards_replies_and_platform_limits() -> None:
    from bot.render.clip import clip

    assert clip("The port handled four million tonnes", 20) == "The port handled…"
    assert clip("x" * 50, 10) == "x" * 9 + "…"  # no word end near the cut: cut inside the word
    assert clip("line one\nline two", 100) == "line one\nline two"  # platform text keeps its lines
    assert clip("line one\n\n  line two", 100, one_line=True) == "line one line two"
    for limit in (2, 10, 80, 3000):
        for text in ("word " * 1000, "y" * 5000, "a\n" * 2000):
            assert len(clip(text, limit)) <= limit
