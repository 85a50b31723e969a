"""The speech-cue pass (issue 14, round 9): every "said", "warned", "according to" read the same way, the head
of its source phrase deciding named or weak. Sentences written for these tests, none taken from the bench."""

from __future__ import annotations

import pytest

from bot.models import AttributionKind
from tests.attribution_helpers import attributions, weak


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("The tariff, as one fintech CEO told me, is a tax on the poor.", "one fintech CEO"),
        ("The scheme is failing, according to parents and governors.", "according to parents and governors"),
        ("A man was found at the lake. According to the man, the boat sank.", "According to the man"),
        (
            "The nurse who took the message recalled that the caller was calm.",
            "The nurse who took the message",
        ),
        ("Fees will rise, a consumer body has warned.", "a consumer body"),
        ("But Green party campaign chiefs say the leaflet was a draft.", "Green party campaign chiefs"),
        ("The pill is cheap, though inquiries have suggested it is unsafe.", "inquiries have suggested"),
        ("Forty schools shut, according to nurses unions. The unions said 9,000 marched.", "The unions said"),
    ],
)
def test_a_common_noun_head_is_a_weak_source(text: str, phrase: str):
    assert any(phrase in found for found in weak(text)), attributions(text)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # a proper name's head is on the record, whatever common word ends it
        ("Ohio Highway Patrol reported at least 900 cars on the bridge.", "Patrol"),
        # a performance, not information
        ("While some Ohio farmers chanted, the minister spoke.", "farmers"),
        # a group inside a named speaker's reported speech is his view of them
        (
            "Mr Grant, whose father fought at Arnhem, said many people would be upset by the film.",
            "many people",
        ),
        # a document pointed back to, and one whose publisher follows it
        (
            "A report by the Ohio Energy Office counted 40 plants. Ten more, according to the report, are shut.",
            "report",
        ),
        ("The rash spread, according to a paper published in the journal Skin Reports.", "paper"),
        # a definite role with a proper-name modifier points to its holder
        ('"We will act," said Mr Bell. The Ofqual chief said the exams would go ahead.', "chief"),
    ],
)
def test_named_or_no_source_is_not_flagged_weak(text: str, phrase: str):
    assert not any(phrase in found for found in weak(text)), attributions(text)


def test_a_proper_named_body_is_on_the_record():
    text = "Ohio Highway Patrol reported at least 900 cars on the bridge."
    found = [a for a in attributions(text) if "Patrol" in a.text]
    assert found and all(a.kind in _NAMED for a in found), found


_NAMED = frozenset({AttributionKind.named_organisation, AttributionKind.named_person})


def test_a_pronoun_is_left_to_anaphora():
    assert weak("The lorry left at dawn. It said nothing. They said the road was shut.") == []
