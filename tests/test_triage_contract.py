"""The `--json` contract: every span an exact slice of the article, ids linked, kinds from the vocabulary."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import Settings
from bot.models import AttributionKind, ClaimKind, TriageReport
from bot.text.normalize import normalise
from bot.triage import TriageService
from tests.shared_data import SHARED, require

SERVICE = TriageService(Settings(extractor="offline", _env_file=None))

PIECES = [
    "The minister said on Monday that unemployment fell to 4.2% in March.",
    "“We will not back down,” a senior official said, speaking on condition of anonymity.",
    "According to Xinhua, exports rose 12 percent.",
    "Critics say the plan will cost more than £3 billion.",
    "Reportedly, the talks collapsed after a private meeting.",
    "Jo Biden met Emmanuel Macron in Paris.",
    "As the situation unfolds, questions remain.",
    "Some allies have praised the move, while others warned of risks.",
    "U.S. Gen. Mark Milley said the army had 480,000 soldiers in 2021.",
    "\n\n",
    "Prices will rise because the central bank raised rates.",
]


def assert_contract(text: str, report: TriageReport) -> None:
    att_ids = {a.id for a in report.attributions}
    for claim in report.claims:
        assert text[claim.start : claim.end] == claim.text
        assert 0 <= claim.checkworthiness <= 1
        assert claim.kind in ClaimKind
        assert claim.attribution_id is None or claim.attribution_id in att_ids
    for att in report.attributions:
        assert text[att.start : att.end] == att.text
        assert att.kind in AttributionKind
    for name in report.names:
        assert text[name.start : name.end] == name.text == name.found
    scores = [c.checkworthiness for c in report.claims]
    assert scores == sorted(scores, reverse=True)
    json.loads(report.model_dump_json())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12), st.sampled_from([" ", "\n", "  ", "\n\n"]))
def test_spans_are_exact_slices_of_generated_articles(pieces: list[str], sep: str):
    text = normalise(sep.join(pieces))
    if not text:
        return
    assert_contract(text, SERVICE.analyse(text))


def test_spans_are_exact_slices_of_real_articles():
    bodies = json.loads(require(SHARED / "datasets/article-extraction/ground-truth.json").read_text())
    for body in list(bodies.values())[:60]:
        text = normalise(body["articleBody"])
        if text:
            assert_contract(text, SERVICE.analyse(text))


def test_the_bundled_example_gets_a_full_card():
    from pathlib import Path

    text = normalise((Path(__file__).parents[1] / "examples/grain-corridor.txt").read_text())
    report = SERVICE.analyse(text)
    assert report.article.title.startswith("Black Sea grain exports fell 18%")
    assert any(n.suggestion == "Emmanuel Macron" for n in report.names)
    kinds = {a.kind for a in report.attributions}
    assert {AttributionKind.state_media, AttributionKind.anonymous, AttributionKind.hedge} <= kinds
    assert report.claims[0].checkworthiness >= 0.5


def test_paste_rules_per_channel_and_links_inside_long_pastes():
    from bot.triage import is_paste, paste_source

    settings = Settings(paste_rules="CLINKS:links,COFF:off,CLONG:500", paste_min_words=50, _env_file=None)
    article = " ".join(["word"] * 200)
    link = "see <https://example.org/story|this story>"
    assert is_paste(article, settings) and is_paste(link, settings)
    assert not is_paste("short chat", settings)
    assert is_paste(link, settings, channel="CLINKS") and not is_paste(article, settings, channel="CLINKS")
    assert not is_paste(link, settings, channel="COFF")
    assert not is_paste(article, settings, channel="CLONG") and is_paste(
        article * 3, settings, channel="CLONG"
    )
    assert paste_source(link, settings) == "https://example.org/story"
    long_with_link = article + " More at https://example.org/x"
    assert paste_source(long_with_link, settings) == long_with_link
