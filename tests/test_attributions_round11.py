"""Sourcing round 11. Short invented sentences, so each rule catches the grammar, not an article's words."""

from __future__ import annotations

import pytest

from bot.models import AttributionKind, Strength
from tests.attribution_helpers import attributions, weak


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # a listed outlet that saw the document vouches for it on its record, as "according to Reuters" does
        ("Cuts are coming, he wrote in a memo reviewed by Reuters.", "reviewed by Reuters"),
        ("The plan is set out in a letter seen by the Financial Times.", "seen by the Financial Times"),
    ],
)
def test_a_document_a_listed_outlet_saw_is_that_outlets_report(text: str, phrase: str):
    found = [a for a in attributions(text) if phrase in a.text]
    assert found and all(a.kind is AttributionKind.named_outlet for a in found), attributions(text)
    assert found[0].strength is Strength.moderate


def test_a_document_an_unlisted_outlet_saw_stays_second_hand():
    assert "obtained by Varietal Weekly" in weak(
        "The letter, obtained by Varietal Weekly, says the deal is off."
    )


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # a quoted speaker who rests the claim on experts he does not name: the desk must find them
        (
            'She said: "We will not raise the fees that independent experts say are needed."',
            "independent experts say",
        ),
        ('"Nearly every economist says rates will rise," Mr Roe insisted.', "economist says"),
    ],
)
def test_unnamed_experts_cited_inside_a_quote_are_weak(text: str, phrase: str):
    assert any(phrase in found for found in weak(text)), attributions(text)


@pytest.mark.parametrize(
    "text",
    [
        '"Analysts warned us about the rates," Mr Roe said.',  # past telling: the speaker's own story
        '"Many people say the fees are too high," Mr Roe said.',  # a collective the speaker voices
        '"Officials say nothing," Mr Roe joked.',  # not experts
    ],
)
def test_other_groups_inside_a_quote_stay_the_speakers_words(text: str):
    assert not [found for found in weak(text) if "said" not in found and "joked" not in found], attributions(
        text
    )


@pytest.mark.parametrize(
    "text",
    [
        "Mr Roe and others had been planning such a system since May.",
        "Jane Roe and others have argued that the levy is unfair.",
        "The plan, which Roe and others backed, was dropped.",
    ],
)
def test_others_with_a_named_person_add_no_unnamed_source(text: str):
    assert not [found for found in weak(text) if "others" in found], attributions(text)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Doctors and others say the levy is unfair.", "others say"),  # no one named beside them
        ("Others say the levy is unfair.", "Others say"),
    ],
)
def test_others_on_their_own_stay_vague(text: str, phrase: str):
    assert phrase in weak(text), attributions(text)


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("The survey shows that many parents want longer terms.", "many parents"),
        ("A Gallup poll (taken in May) also found most voters oppose the levy.", "most voters"),
        ("Research suggests many people believe the myth.", "many people"),
    ],
)
def test_a_group_in_what_a_poll_found_is_the_finding_not_a_source(text: str, group: str):
    assert not [found for found in weak(text) if group in found], attributions(text)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Most voters want the levy scrapped.", "Most voters want"),  # no poll behind them
        # the data is there, but nothing it found: the parents speak
        ("The school shared its data, and many parents say the terms are short.", "many parents say"),
    ],
)
def test_a_group_without_a_poll_behind_it_stays_vague(text: str, phrase: str):
    assert phrase in weak(text), attributions(text)


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("The manager believed the cook, who said I started it.", "The manager"),
        ("Police believed him.", "Police"),
        ("A steward believed the fan over the referee.", "A steward"),
    ],
)
def test_believing_a_person_is_no_view_of_ones_own(text: str, subject: str):
    assert not [found for found in weak(text) if subject in found], attributions(text)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Officials believed the fire was arson.", "Officials believed"),  # a view: a clause follows
        ("An official believed the claim was false.", "An official believed"),
    ],
)
def test_believing_a_clause_is_still_a_view(text: str, phrase: str):
    assert phrase in weak(text), attributions(text)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # a counted, unnamed set of organisations that speak or hold a view
        ("Some consumer groups have expressed concern that the tags track shoppers.", "Some consumer groups"),
        ("Several organisations say the law is unfair.", "Several organisations say"),
    ],
)
def test_unnamed_groups_with_a_view_are_vague(text: str, phrase: str):
    assert any(phrase in found for found in weak(text)), attributions(text)


@pytest.mark.parametrize(
    "text",
    [
        "Some groups of fans gathered outside.",  # an act, not a view
        "Many organisations took part in the march.",
    ],
)
def test_groups_that_only_act_are_no_source(text: str):
    assert not weak(text), attributions(text)
