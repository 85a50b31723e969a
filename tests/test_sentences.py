from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.text.sentences import split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def test_abbreviations_initials_and_numbers_do_not_split():
    assert texts("Gen. Smith met Dr. J. R. Jones on Jan. 5. Growth was 3.5% in the U.S. economy.") == [
        "Gen. Smith met Dr. J. R. Jones on Jan. 5.",
        "Growth was 3.5% in the U.S. economy.",
    ]


def test_closing_quotes_stay_with_their_sentence():
    assert texts("He said: “It is over.” Then he left. “Fine,” she said.") == [
        "He said: “It is over.”",
        "Then he left.",
        "“Fine,” she said.",
    ]


def test_acronym_then_sentence_starter_splits():
    assert texts("He moved to the U.S. The family followed.") == [
        "He moved to the U.S.",
        "The family followed.",
    ]


def test_paragraphs_are_boundaries_and_soft_wraps_are_not():
    text = "Headline without a stop\n\nFirst sentence runs\nonto a second line. Second one."
    assert texts(text) == [
        "Headline without a stop",
        "First sentence runs\nonto a second line.",
        "Second one.",
    ]


@given(st.text(alphabet=st.sampled_from(list("abc XYZ.?!“”\"'\n0123,")), max_size=300))
def test_every_sentence_is_an_exact_slice_in_order(text: str):
    spans = split_sentences(text)
    last = 0
    for span in spans:
        assert text[span.start : span.end] == span.text
        assert span.text.strip() == span.text and span.text
        assert span.start >= last
        last = span.end
