"""Grounding maps model quotes to exact article spans, tolerating small differences, never inventing text."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.extract.grounding import Grounder, ground

ARTICLE = (
    "The ministry said on Monday that 1,200 teachers would be hired \u2014 the largest intake since 2009.\n"
    "Union leader Sam Ortiz called the plan \u201ctoo little,\n too late\u201d and said   class sizes had grown "
    "by 15% in five years.\n\nThe ministry said on Monday that it would publish the figures."
)


def test_exact_quote_is_returned_as_is() -> None:
    span = ground(ARTICLE, "1,200 teachers would be hired")
    assert span is not None
    assert span.text == "1,200 teachers would be hired"
    assert ARTICLE[span.start : span.end] == span.text


def test_repeated_text_prefers_the_occurrence_in_the_chunk_it_came_from() -> None:
    second = ARTICLE.rindex("The ministry said on Monday")
    span = Grounder(ARTICLE).ground("The ministry said on Monday", near=(second - 5, len(ARTICLE)))
    assert span is not None and span.start == second
    first = Grounder(ARTICLE).ground("The ministry said on Monday")
    assert first is not None and first.start == 0


def test_straight_quotes_dashes_and_whitespace_snap_to_the_articles_own_characters() -> None:
    span = ground(ARTICLE, 'Sam Ortiz called the plan "too little, too late"')
    assert span is not None
    assert span.text == "Sam Ortiz called the plan \u201ctoo little,\n too late\u201d"
    dashed = ground(ARTICLE, "would be hired - the largest intake since 2009.")
    assert dashed is not None and "\u2014" in dashed.text and dashed.text.endswith("2009.")


def test_case_and_wrapping_quotes_are_ignored() -> None:
    span = ground(ARTICLE, "\u201cclass sizes had grown by 15% in five years\u201d")
    assert span is not None and span.text == "class sizes had grown by 15% in five years"


def test_small_edits_are_tolerated_and_the_span_is_the_articles_text() -> None:
    span = ground(ARTICLE, "said class size had grown by 15 % in five year.")
    assert span is not None
    assert span.text == "said   class sizes had grown by 15% in five years."
    assert ARTICLE[span.start : span.end] == span.text


def test_elided_quote_spans_from_first_to_last_part() -> None:
    span = ground(ARTICLE, "The ministry said on Monday ... the largest intake since 2009")
    assert span is not None
    assert span.start == 0 and span.text.endswith("the largest intake since 2009")


def test_hallucinated_or_paraphrased_quotes_are_rejected() -> None:
    grounder = Grounder(ARTICLE)
    assert grounder.ground("The government has cancelled the teacher recruitment programme.") is None
    assert grounder.ground("Ortiz welcomed the plan as generous and overdue") is None
    assert grounder.ground("Teachers will strike next month over pay and conditions.") is None
    assert grounder.ground("   ") is None


def test_names_are_not_matched_tolerantly() -> None:
    grounder = Grounder(ARTICLE)
    assert grounder.ground("Sam Ortiz", tolerant=False) is not None
    assert grounder.ground("Sam Ortis", tolerant=False) is None


def test_short_quotes_need_an_exact_or_normalised_match() -> None:
    assert ground(ARTICLE, "union leaders") is None


_words = st.text(alphabet=string.ascii_letters + "\u00e9\u00fc", min_size=1, max_size=8)
_separators = st.sampled_from([" ", "  ", "\n", " \u2014 ", ", ", ". ", "\u201c", "\u201d", "'", "\u2019"])


@st.composite
def _article_and_quote(draw: st.DrawFn) -> tuple[str, str]:
    pieces = draw(st.lists(st.tuples(_words, _separators), min_size=4, max_size=60))
    article = "".join(word + sep for word, sep in pieces)
    start = draw(st.integers(0, len(article) - 1))
    end = draw(st.integers(start + 1, len(article)))
    quote = article[start:end]
    mutation = draw(st.sampled_from(["none", "straight", "collapse", "drop_word", "foreign"]))
    if mutation == "straight":
        quote = (
            quote.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'").replace("\u2014", "-")
        )
    elif mutation == "collapse":
        quote = " ".join(quote.split())
    elif mutation == "drop_word":
        words = quote.split(" ")
        if len(words) > 5:
            del words[len(words) // 2]
        quote = " ".join(words)
    elif mutation == "foreign":
        quote = draw(st.text(min_size=1, max_size=80))
    return article, quote


@settings(max_examples=300, deadline=None)
@given(_article_and_quote())
def test_any_grounded_span_is_an_exact_slice_of_the_article(case: tuple[str, str]) -> None:
    article, quote = case
    span = Grounder(article).ground(quote)
    if span is not None:
        assert 0 <= span.start < span.end <= len(article)
        assert article[span.start : span.end] == span.text


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_verbatim_slices_always_ground_to_themselves(data: st.DataObject) -> None:
    article = data.draw(st.text(min_size=1, max_size=300))
    start = data.draw(st.integers(0, len(article) - 1))
    end = data.draw(st.integers(start + 1, len(article)))
    quote = article[start:end]
    span = Grounder(article).ground(quote)
    if quote.strip():
        assert span is not None
        assert quote.strip() in span.text
        assert article[span.start : span.end] == span.text


def test_a_match_inside_a_word_is_widened_or_skipped_for_a_whole_word_one() -> None:
    article = "The planning committee met. Later the plan was approved."
    span = ground(article, "the plan")
    assert span is not None and span.start == article.index("the plan was")
    widened = ground(article, "plannin")
    assert widened is not None and widened.text == "planning"
