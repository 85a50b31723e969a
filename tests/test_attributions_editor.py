"""Sources as an editor reads them (issue 14): each case is a kind of miss seen on real news, written as a
short invented sentence, plus the summary line built from the same findings and the text-layer helpers."""

from __future__ import annotations

import pytest

from bot.extract.attribution_context import quoted_spans
from bot.extract.summary import sourcing_summary
from bot.models import AttributionKind, Strength
from bot.text.typography import fold_typography
from tests.attribution_helpers import attributions, weak


def test_typography_fold_keeps_every_offset():
    text = "the People’s Daily — “quoted” ‘words’ – 2019–2020\u202fnow"
    folded = fold_typography(text)
    assert len(folded) == len(text)
    assert folded == "the People's Daily — \"quoted\" 'words' — 2019—2020 now"


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_state_media_is_found_in_any_apostrophe_style(apostrophe: str):
    text = f"The People{apostrophe}s Daily, the mouthpiece of the Communist party, warned protesters."
    found = [a for a in attributions(text) if a.kind is AttributionKind.state_media]
    assert len(found) == 1 and found[0].strength is Strength.weak
    assert text[found[0].start : found[0].end] == found[0].text and "People" in found[0].text


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("He is unhappy, according to a new report by E! News.", "report by E!"),
        ("The letter, obtained by Variety, says the deal is off.", "obtained by Variety"),
        ("The source further claimed to the outlet that the show was cancelled.", "source further claimed"),
        ("On Thursday, Swift took to social media and accused the label.", "took to social media"),
        ("Richardson, via USA Today, said the fight was staged.", "via USA Today"),
        (
            "The company said in a separate statement to Rolling Stone that talks continue.",
            "statement to Rolling",
        ),
        ("Police said two men were arrested.", "Police said"),
        ("An agency spokesman said the plan was dropped.", "agency spokesman said"),
        ("In a new case report, the authors wrote that the man recovered.", "the authors wrote"),
        ("The Taliban said it freed them, a claim that could not be independently verified.", "could not be"),
        ("The listing is seen as a vote of confidence.", "is seen as"),
        ("Kidman acted after a reported car chase in Sydney.", "reported"),
        ("In March it emerged the fund had paid out a third of the sum.", "it emerged"),
        ("Many of the fans are said to tune in only for the half-time show.", "are said to tune"),
        ("Rates rose in Spain and economists feared that the slump would spread.", "economists feared"),
        ("The merger was sealed, executives of both firms announced on Monday.", "executives of both firms"),
        ("The chairman of the Liberal Party described the clip as satire.", "The chairman of the Liberal"),
        ("In her latest Instagram post, the singer hinted at a new album.", "Instagram post"),
        ("“Shameful,” one Weibo commenter said.", "Weibo commenter"),
        ("SOURCE: News agencies", "News agencies"),
        ("Those opposed to the deal have argued that it breaks the law.", "Those opposed to the deal"),
    ],
)
def test_second_hand_unnamed_and_hedged_sourcing_is_weak(text: str, phrase: str):
    assert any(phrase in found for found in weak(text)), attributions(text)


@pytest.mark.parametrize(
    "text",
    [
        "Using the telescope, researchers have now detected water vapour above the surface.",
        "Officials in Britain have made no significant changes to the rules.",
        "Hong Kong Polytechnic University was besieged by police, who fired teargas.",
        "Five unions will hold private talks with the deputy prime minister.",
        "A rep for Braun did not immediately respond to a request for comment.",
        "Though many remain peaceful, a radical minority has turned to violence.",
        "At first, his doctor assumed he had an infection.",
        "Most of those questioned said the future was mobile.",
        "The theft was reported to police on Monday.",
        "Ministers had hoped to get £900m from the fund.",
        "Those against the war marched through the city.",
        "They would back a third candidate if it emerged.",
        "A Reddit user's chart compared the polls.",
        "Jane Roe, chairman of the board of Acme Partners, said it would invest.",
        "Jane Roe, who is chairman of Acme Partners said in a statement that it would invest.",
    ],
)
def test_subjects_events_and_survey_results_are_not_sources(text: str):
    assert not weak(text), attributions(text)


def test_words_inside_someone_s_quote_are_not_sources():
    text = "“Some say he will resign, and US officials are wondering,” Jane Doe said."
    found = attributions(text)
    assert not [a for a in found if a.strength is Strength.weak]
    assert [a.source for a in found] == ["Jane Doe"]


def test_quoted_spans_read_straight_quotes_from_the_space_after_them():
    text = 'He said: "It is over." Stuart is confident. "I agree" he said\nNext "open to the end'
    spans = [text[a:b] for a, b in quoted_spans(text)]
    assert spans == ['"It is over."', '"I agree"', '"open to the end']


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "Another diplomat, former special envoy to Ukraine Kurt Volker, said he had not known.",
            "Kurt Volker",
        ),
        ("Secretary of State Mike Pompeo said the release gives us hope.", "Mike Pompeo"),
        ("The peace deal is near, said White House Press Secretary Stephanie Grisham.", "Stephanie Grisham"),
        ("Lifelong Learning Minister Jim Wallace said fees would rise.", "Jim Wallace"),
    ],
)
def test_a_named_person_stays_named_whatever_role_comes_first(text: str, source: str):
    found = attributions(text)
    assert [(a.kind, a.strength, a.source) for a in found] == [
        (AttributionKind.named_person, Strength.strong, source)
    ]


def test_a_hedged_named_subject_is_not_on_the_record():
    found = attributions("Scooter Braun is allegedly unhappy with his partner.")
    assert [(a.text, a.kind) for a in found] == [("allegedly", AttributionKind.hedge)]


def test_a_one_word_speaker_is_a_person_only_where_the_article_names_one():
    text = (
        "Owen Dempsey treated the man. Dempsey said the duvet was to blame. Nokia said it sold more phones. "
        "The Nasdaq Composite .IXIC added 20 points."
    )
    kinds = {a.source: a.kind for a in attributions(text)}
    assert kinds == {"Dempsey": AttributionKind.named_person, "Nokia": AttributionKind.named_organisation}


def test_a_named_institution_before_a_role_is_on_the_record():
    found = attributions("Berrien County Health Department officials said Monday the victim was a resident.")
    assert [(a.kind, a.strength, a.source) for a in found] == [
        (AttributionKind.named_organisation, Strength.moderate, "Berrien County Health Department")
    ]


def test_no_reason_repeats_its_source():
    text = (
        "Speaking on condition of anonymity, the figure was confirmed. It is understood talks stalled. "
        "Unconfirmed reports said the deal was off. Reportedly, the minister quit."
    )
    found = attributions(text)
    assert len(found) >= 3
    assert all(a.reason.lower() != a.source.lower() for a in found), [(a.source, a.reason) for a in found]


def test_summary_keeps_people_institutions_and_outlets_apart():
    text = (
        "Scooter Braun said the deal stands. Scooter agrees, the label said. Dick Clark Productions denied it. "
        "Bloomberg reported the sale. The SEC said it was looking."
    )
    found = attributions(text)
    summary = sourcing_summary(found, lede_end=0)
    assert "1 named person (Scooter Braun) on the record" in summary
    assert "named institutions (Dick Clark Productions, SEC)" in summary
    assert "1 named outlet (Bloomberg) cited" in summary
    assert summary.startswith("Named sources only:") and "Sourcing" not in summary


def test_summary_is_never_solid_when_the_story_says_a_claim_is_unverified():
    text = "The Taliban said it released the men. The claim could not be independently verified."
    summary = sourcing_summary(attributions(text), lede_end=0)
    assert not summary.startswith("Named sources only") and "could not be independently verified" in summary
