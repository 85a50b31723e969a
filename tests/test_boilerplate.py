"""Page furniture never becomes a claim, and sentences that merely share its words still do."""

from __future__ import annotations

import pytest

from bot.extract.boilerplate import boilerplate_reason
from bot.extract.claims import score_claims
from bot.text.sentences import split_sentences


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Read more: Alibaba poised to launch record-breaking $13.4bn Hong Kong listing", "navigation"),
        ("SEE MORE: Hong Kong protests: 800 students under siege in university", "navigation"),
        ("Profile: Julian Assange", "navigation"),
        ("Timeline of saga", "navigation"),
        ("China furious at Macron for Hong Kong protest jibe [INSIGHT]|", "navigation"),
        (
            "Also on rt.com Journalists threatened with sedition arrests as Bolivia purges socialists",
            "navigation",
        ),
        ("Share it with a friend!", "navigation"),
        ("(Graphic: Global assets in 2019 - here)", "caption"),
        ("Main image credit: Getty", "caption"),
        ("This graphic, provided by Statista, shows the U.S. states where marijuana is legal.", "caption"),
        (
            "Reporting by Rodrigo Campos; additional reporting by Stephanie Kelly; Editing by Nick Zieminski",
            "credit",
        ),
        ("Fox News’ Jessica Napoli contributed to this report.", "credit"),
        ("© 2019 Associated Press.", "credit"),
        ("This material may not be published, broadcast, rewritten, or redistributed.", "credit"),
        ("ST. JOSEPH, Mich.", "dateline"),
        ("The ministry did not respond to a request for comment.", "no comment"),
        ("A rep for Braun did not immediately respond to Fox News’ request for comment.", "no comment"),
        ("An Alibaba spokesperson declined to comment on the pricing to Reuters.", "no comment"),
        ("There was no immediate comment from the men's lawyers.", "no comment"),
        ("The carmaker did not comment on the reported changes.", "no comment"),
        ("The ministry would not immediately comment.", "no comment"),
        (
            "Get access to India's fastest growing financial subscriptions service Moneycontrol Pro for as little "
            "as Rs 599 for first year.",
            "promo",
        ),
        (
            "For non-personal use or to order multiple copies, please contact Dow Jones Reprints at 1-800-843-0008.",
            "promo",
        ),
        (
            "Moneycontrol.com advises users to check with certified experts before taking any investment decisions.",
            "promo",
        ),
        ("Like this story?", "question"),
        ("\"So it's fair to say you have not fixed the 'Giuliani problem'?\"", "question"),
        ("Here are some of the highlights:", "lead-in"),
    ],
)
def test_furniture_is_named(line: str, reason: str):
    assert boilerplate_reason(line) == reason


@pytest.mark.parametrize(
    "sentence",
    [
        "Research by handset maker Nokia shows that more and more people are using their mobile phone.",
        "Miner Highland Gold said it regretted any limit on privatisation while BP declined to comment.",
        "Copyright education has always been important, the minister said.",
        "Opinion on the merger was divided, with 52% of shareholders voting against it.",
        "The timeline of the inquiry was set by Parliament in 2019.",
        "Spot gold XAU= added 0.1% to $1,472.19 an ounce.",
        "Shares fell to as little as $3 each before taking any fees into account.",
    ],
)
def test_claims_that_share_furniture_words_are_kept(sentence: str):
    assert boilerplate_reason(sentence) is None


def test_furniture_never_reaches_the_claims():
    text = (
        "Exports fell 12% in May, the statistics office said on Monday.\n\n"
        "(Graphic: Global assets in 2019 - here)\n\n"
        "Read more: Exports fell for a third month as demand from China weakened sharply\n\n"
        "The ministry did not respond to a request for comment.\n\n"
        "Will the slump last into the autumn months of this year?"
    )
    claims = score_claims(text, split_sentences(text))
    assert [c.text for c in claims] == ["Exports fell 12% in May, the statistics office said on Monday."]
