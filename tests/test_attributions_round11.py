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
