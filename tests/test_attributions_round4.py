"""Round 4 of the attribution detector (bench/ATTRIBUTION_EVAL.md): each rule on sentences written for
these tests (not dataset text), with the copy each rule must leave alone."""

from __future__ import annotations

import pytest

from bot.models import Attribution, AttributionKind, Strength
from tests.attribution_helpers import attributions


def weak_texts(text: str) -> list[str]:
    return [a.text.lower().replace("’", "'") for a in attributions(text) if a.strength is Strength.weak]


def weak_find(text: str, phrase: str) -> Attribution:
    hits = [a for a in attributions(text) if a.strength is Strength.weak and phrase in a.text.lower()]
    assert len(hits) == 1, f"{phrase!r}: {[(a.text, a.strength.value) for a in attributions(text)]}"
    return hits[0]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # speech verbs, and a present-participle parenthetical longer than the usual 60 characters
        ("With senior officials underlining the risk, the vote was delayed.", "senior officials underlining"),
        (
            "Others, reacting to the verdict handed down on Friday afternoon by the appeals court, shouted.",
            "others",
        ),
        ("Most are planning to back the mayor.", "most are planning to back"),
        ("Many people can't help but worry about the cost.", "many people can't help but worry"),
        ("Many people would rather stay home.", "many people would rather"),
        (
            "Officials have for weeks insisted that the talks are on track.",
            "officials have for weeks insisted",
        ),
        ("Officials there say the fighting has eased.", "officials there say"),
        ("Critics, however, were unimpressed.", "critics"),
        # a bare quantifier with a place, and places on/at
        ("Some in the party worry about turnout.", "some in the party worry"),
        ("Many on Wall Street welcomed the news.", "many on wall street welcomed"),
        ("Several of those in the room described the exchange as heated.", "several of those in the room"),
        # the group as experiencer of a predicate before it
        ("The plan remains popular with many Republicans.", "many republicans"),
        ("The cuts have not sat well with some lawmakers.", "some lawmakers"),
        ("In the end the issue matters to most voters.", "most voters"),
        ("A lower tax is a dream for many conservatives.", "many conservatives"),
        # object relatives after a noun of speech, possessive stance, surveys and studies
        ("That was a point one senior aide made to reporters.", "one senior aide made"),
        ("It is an argument many economists make.", "many economists make"),
        ("The delay reflects his advisers' unease about the polls.", "his advisers"),
        ("A survey of party insiders shows the race is close.", "party insiders"),
        ("The drop was smaller, according to a study by economists at two universities.", "economists"),
        ("The bill has drawn fire from critics on both sides.", "critics"),
        # defining relative clauses, reduced relatives and tails before a parenthetical
        ("Some voters who backed him in 2012 now doubt his plan.", "some voters who backed him"),
        ("Many of those who attended the meeting said it was tense.", "many of those who attended"),
        ("Several voters interviewed on Tuesday said they had not decided.", "several voters interviewed"),
        ("Critics of the deal, among them several former diplomats, argue it is too lenient.", "critics of"),
        ("Some of the senator's colleagues have urged him to step down.", "some of the senator's colleagues"),
        # dashes and brackets
        ("Officials — speaking privately — say the deal is dead.", "officials — speaking privately — say"),
        ("Many voters (especially younger ones) say they will not vote.", "many voters (especially"),
        # stance shown by an act or a held state, or prompted by a causative
        ("Others paid tribute to the victims online.", "others paid"),
        ("Many voters have soured on the incumbent.", "many voters have soured"),
        ("Many people have mixed feelings about the plan.", "many people have mixed"),
        ("The ruling left many residents questioning the process.", "many residents questioning"),
        ("Thousands signed up, some under the impression that the fee was waived.", "some"),
        # determiners: a possessive with "chief", and counts
        ("His chief strategist dismissed the poll.", "his chief strategist dismissed"),
        ("More than 50 former officials signed the letter.", "more than 50 former officials signed"),
        # agents and gerund subjects
        ("The senator was told by aides that the vote would fail.", "aides"),
        (
            "The campaign stumbled, including a senior adviser acknowledging the ads failed.",
            "a senior adviser",
        ),
        ('"We are worried," admitted one senior official.', "one senior official"),
        ("Some close to the governor say he will not run.", "some close to the governor"),
        # a title-case headline whose group speaks
        ("Some Democrats Fear Clinton Will Lose Ohio", "some democrats fear"),
    ],
)
def test_round_4_groups_are_weak_sources(text: str, phrase: str):
    weak_find(text, phrase)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Unconfirmed reports said the leader had died.", "unconfirmed reports said"),
        ("A report last week found that the program was wasteful.", "a report last week found"),
        ("Media reported that the suspect had fled.", "media reported"),
        ("The minister denied reports that he would resign.", "denied reports that"),
        ("Reports that he would resign proved false.", "reports that"),
        ("The story was first reported by local media.", "reported by local media"),
        ("Rumors swirled that the senator would retire.", "rumors swirled"),
        ("Media Reports Reveal Rift Inside Campaign", "media reports reveal"),
        ("Media Ignores Senator's Remarks On Trade", "media ignores"),
    ],
)
def test_unnamed_reports_are_second_hand(text: str, phrase: str):
    found = weak_find(text, phrase)
    assert found.kind is AttributionKind.secondhand
    assert not any(a.kind is AttributionKind.named_person for a in attributions(text))


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("The Kremlin-backed RT network claimed the vote was rigged.", "rt network claimed"),
        ("North Korea's KCNA warned of war.", "kcna warned"),
        ("RT, which is funded by the Russian government, aired the interview.", "rt, which"),
        ("Sputnik's story claimed the email was genuine.", "sputnik's story claimed"),
    ],
)
def test_state_media_as_subject_after_modifiers_and_appositives(text: str, phrase: str):
    assert weak_find(text, phrase).kind is AttributionKind.state_media


@pytest.mark.parametrize(
    "text",
    [
        "The officials were accused of fraud.",
        "Ten of the 18 staffers who reported for duty were working overtime.",
        "The fear officials would resign grew.",
        "Some in the region lost power.",
        "The storm left many people stranded.",
        "Some Republicans — including John McCain — have criticized him.",
        "CNN reports that the deal is off.",
        "Media Matters said the ad was false.",
        "Media Bias Is A Campaign Issue",
        "Social media posts showed the flood.",
        "The coalition includes many who remain undecided.",
        "Several people died in the crash.",
    ],
)
def test_round_4_rules_leave_events_and_named_sources_alone(text: str):
    assert not weak_texts(text), attributions(text)


def test_a_year_is_not_a_count_before_a_group():
    found = weak_find("In 2000, researchers disclosed the documents.", "researchers")
    assert found.text == "researchers disclosed"


def test_no_name_is_made_of_a_title_case_group_or_a_report():
    for text in ("Some Democrats Fear Clinton Will Lose Ohio", "Numerous reports said the plant had closed."):
        assert not any(a.kind is AttributionKind.named_person for a in attributions(text)), text


def test_a_name_in_a_title_case_headline_is_still_found():
    assert any(
        a.kind is AttributionKind.named_person for a in attributions("Jane Doe Says Talks Will Resume")
    )
