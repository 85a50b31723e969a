"""Sourcing round 10: who a group belongs to, speech in the progressive, hedges with their "that" or "who is"
left out, and "most"/"few" that count nobody. Short invented sentences, so each rule catches the grammar,
not an article's words."""

from __future__ import annotations

import pytest

from bot.models import AttributionKind, Strength
from tests.attribution_helpers import attributions, weak


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # what the people belong to, after the noun: still no one named
        ("He was held after employees of a bakery said he took the till.", "employees of a bakery said"),
        ("A member of the public said the ferry left early.", "A member of the public said"),
        ("Supporters of the bypass say it will cut queues.", "Supporters of the bypass say"),
        # speech verbs that joke are still speech
        ('"Bring a coat," one user quipped.', "one user quipped"),
        ("One fan joked that the pitch was a pond.", "One fan joked"),
        # the progressive after a form of "be"
        ("Security firms are warning about a new phone virus.", "Security firms are warning"),
        ("Tenants have been complaining that the lifts are broken.", "Tenants have been complaining"),
    ],
)
def test_people_named_only_by_what_they_are_are_weak_sources(text: str, phrase: str):
    assert any(phrase in found for found in weak(text)), attributions(text)


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("Supporters of the bypass voted against the plan.", "Supporters"),  # no speech
        ("Jane Roe, a fund manager at Harbour Capital said the deal was fair.", "a fund manager"),  # her role
        ("Workers are protesting outside the depot.", "Workers"),  # an act, not speech
        ("Other indicators are also suggesting a slowdown.", "Other indicators"),  # measurements, not people
    ],
)
def test_no_group_speaking_is_not_flagged(text: str, subject: str):
    assert not [found for found in weak(text) if subject in found], attributions(text)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # "it was thought [that] Mr Roe would": the hedge with "that" left out
        ("The vote was moved because it was thought Mr Roe would lose.", "it was thought"),
        ("It is expected this will add 300 jobs.", "It is expected"),
        # a judgement everyone holds, "widely" before the participle, no auxiliary
        ("The poll, widely expected in May, will be close.", "widely expected"),
        ("A widely tipped newcomer won the prize.", "widely tipped"),
        # the passive of reporting in a reduced relative ("who are" left out)
        ("Among those reported to have doubts were two ministers.", "reported to have"),
        ("A man alleged to have taken the van was held.", "alleged to have"),
    ],
)
def test_a_hedge_with_its_function_words_left_out_is_still_a_hedge(text: str, phrase: str):
    assert phrase in weak(text), attributions(text)


@pytest.mark.parametrize(
    "text",
    [
        "It was thought the best option.",  # "it" is the option, no clause follows
        "The move was widely welcomed.",  # praise, not a judgement of what will happen
        "The theft, which he reported to police, was solved.",  # a report made to someone
        "Firms must work hard to ensure that phones are seen as cheap.",  # a goal, nobody's view reported
    ],
)
def test_near_misses_of_hedges_are_not_flagged(text: str):
    assert not weak(text), attributions(text)


def test_a_view_held_is_still_a_hedge_outside_a_goal_clause():
    assert "are seen as" in weak("Phones are seen as cheap in the region.")


@pytest.mark.parametrize(
    "text",
    [
        "When pressed, few could say how the two fares compared.",  # whether anyone knows, no view
        "The mayor seemed most concerned with traffic.",  # a superlative after a linking verb
        "Residents are most enthusiastic about the park.",
    ],
)
def test_few_and_most_that_count_nobody_are_not_collectives(text: str):
    assert not weak(text), attributions(text)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Few say the fares are fair.", "Few say"),
        ("Most say the fares are fair.", "Most say"),
        ("Even the most hopeful traders doubt the price will rise.", "traders doubt"),
    ],
)
def test_few_and_most_that_count_a_group_are_still_collectives(text: str, phrase: str):
    assert any(phrase in found for found in weak(text)), attributions(text)


def test_a_report_whose_author_the_next_lines_name_is_that_bodys():
    text = (
        "Most ports have failed to invest, a report says. "
        "The study, undertaken by the Harbour Trust, sought to assess progress."
    )
    [report] = [a for a in attributions(text) if a.text == "a report says"]
    assert (report.kind, report.strength) == (AttributionKind.named_organisation, Strength.moderate)
    assert report.source == "Harbour Trust"


@pytest.mark.parametrize(
    "later",
    [
        "The study was long.",  # no author named
        "The report, published by The Guardian, was long.",  # another outlet's report
    ],
)
def test_a_report_whose_author_is_never_named_stays_weak(later: str):
    assert "a report says" in weak(f"Most ports have failed to invest, a report says. {later}")


def test_an_according_to_aside_after_a_name_is_the_source_not_the_name_s_description():
    text = "The regulator is investigating Harbourline, according to two people familiar with the matter, adding to its woes."
    found = attributions(text)
    assert [(a.text, a.kind) for a in found if a.strength is Strength.weak] == [
        ("two people familiar with the matter", AttributionKind.anonymous)
    ], found


def test_a_named_body_s_own_figures_are_not_second_hand():
    assert not weak("The bond fell 16% on Monday, according to data from Bondquote."), attributions(
        "The bond fell 16% on Monday, according to data from Bondquote."
    )
    assert weak("The bond fell 16% on Monday, according to unofficial figures.")
