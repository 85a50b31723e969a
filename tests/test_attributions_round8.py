"""Sources named only by a common noun, and outlets relaying them (issue 14, round 8): each rule family written
as short invented sentences, so a rule must catch the grammar, not an article's words."""

from __future__ import annotations

import pytest

from bot.models import AttributionKind, Strength
from tests.attribution_helpers import attributions, weak


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Rivals say the tariff favours the incumbent.", "Rivals say"),
        ("The levy, which rivals say protects the incumbent, was kept.", "rivals say"),
        ("Parish councillors said the bridge would close in May.", "Parish councillors said"),
        (
            "Some bus drivers in Leeds also report that the app crashes.",
            "Some bus drivers in Leeds also report",
        ),
        ("Landlords and tenants have complained of the delays.", "Landlords and tenants have complained"),
        ("Beekeepers and growers are of the view that the ban came too late.", "are of the view"),
        ("Ferry users in the port have protested the new fares.", "Ferry users in the port have protested"),
        ("The town was quiet on Sunday. Shopkeepers said trade was down.", "Shopkeepers said"),
    ],
)
def test_a_bare_plural_with_a_speech_verb_is_a_weak_source(text: str, phrase: str):
    assert any(phrase in found for found in weak(text)), attributions(text)


@pytest.mark.parametrize(
    "text",
    [
        "Investors have been told 12 dollars a share.",  # the audience of a passive
        "Dutch farmers suspected of fraud were fined.",  # a reduced relative, and a name's modifier
        "The figures say little about rural bus routes.",  # documents, not people
        "Three ferries, however, suggests the port is busy.",  # a singular verb has another subject
        "The regulator requires that utilities report every outage.",  # an act, not speech
        "Tour guide Mia Jones led the walk. Jones wrote that the path was closed.",  # a surname
    ],
)
def test_a_plural_that_is_no_group_speaking_is_not_flagged(text: str):
    assert not weak(text), attributions(text)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("A ferry passenger told reporters the boat listed badly.", "A ferry passenger told"),
        ('"We were lucky," the woman wrote in her blog.', "the woman wrote"),
        ('"I could barely stand," the patient described in the report.', "the patient described"),
    ],
)
def test_one_person_no_one_names_is_a_weak_source(text: str, phrase: str):
    assert any(phrase in found for found in weak(text)), attributions(text)


def test_a_role_word_pointing_back_to_a_named_person_is_on_the_record():
    text = "Harbour analyst Tom Reyes expects more traffic. Fares will rise, according to the analyst."
    found = [a for a in attributions(text) if "the analyst" in a.text]
    assert found and found[0].kind is AttributionKind.named_person and found[0].strength is Strength.strong


def test_a_title_before_a_role_word_names_no_one():
    text = "According to the paper, published in Ferry Case Reports, the 50-year-old man fell ill. The man said he had eaten fish."
    assert "The man said" in weak(text)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        (
            "Ninety homes lost power, according to a group representing rural councils.",
            "according to a group",
        ),
        ("The drop is no worry, according to Wall Street.", "according to Wall Street"),
        ('The bid is "going well", say those behind the takeover.', "those behind the takeover"),
    ],
)
def test_according_to_or_an_inverted_verb_before_no_name_is_weak(text: str, phrase: str):
    assert any(phrase in found for found in weak(text)), attributions(text)


@pytest.mark.parametrize(
    "text",
    [
        "Fares will rise, according to a statement from the Harbour Authority.",
        "Fares will rise by a tenth, according to a new Harbour Gazette poll.",
        "Ms Ada Lin said some tenants could be evicted.",
        "Mr Omar Reyes, meanwhile, told reporters the port would reopen.",
        "The council cited several factors for the delay.",
    ],
)
def test_documents_content_and_audiences_are_not_weak_sources(text: str):
    assert not weak(text), attributions(text)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ('According to Reuters, one user on Weibo wrote: "We are scared."', "According to Reuters"),
        ('"Nobody is selling," Reuters quoted one dealer as saying.', "one dealer"),
        (
            "The club declined to comment on the report in the Evening Standard.",
            "the report in the Evening Standard",
        ),
        ("Shares rose following a weekend newspaper report that talks had begun.", "newspaper report that"),
        (
            "It came despite an earlier statement by Norway's fishing chiefs that stocks were safe.",
            "fishing chiefs",
        ),
        ("The plan was described by one rail union as a betrayal.", "one rail union"),
    ],
)
def test_relayed_and_judging_sources_nobody_names_are_weak(text: str, phrase: str):
    assert any(phrase in found for found in weak(text)), attributions(text)


def test_an_outlet_relaying_a_named_body_stays_a_named_outlet():
    found = attributions("According to Reuters, the Harbour Authority said fares would rise.")
    assert not [a for a in found if a.strength is Strength.weak], found


@pytest.mark.parametrize(
    "text",
    [
        "Government figures show that only 40% of trains ran on time.",  # official statistics are the state's
        "Ms Ada Lin said the fire crews and police backed the plan.",  # content of a named speaker's words
        "When nurses don't consider these symptoms, they may miss the illness.",  # taking into account
        "Some people are keen to rent out their spare rooms.",  # an aim, not a view
        "The new scanner allowed researchers to see inside the tomb.",  # an act made possible
    ],
)
def test_acts_aims_and_official_figures_are_not_weak_sources(text: str):
    assert not weak(text), attributions(text)


def test_a_definite_group_named_just_after_is_that_group():
    text = (
        "In a letter, the nurses urged the council to act. The group, Nurses for Clean Air, has 300 members."
    )
    assert not weak(text), attributions(text)


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("The Lakeside Chronicle says the mayor has resigned.", "The Lakeside Chronicle"),
        ("Fares will rise, according to The Ferry Reporter.", "The Ferry Reporter"),
        ("The Wheeling Intelligencer said the plant would close.", "The Wheeling Intelligencer"),
    ],
)
def test_a_paper_the_outlet_list_does_not_hold_relays_its_report_second_hand(text: str, source: str):
    found = [a for a in attributions(text) if a.strength is Strength.weak]
    assert [(a.source, a.kind) for a in found] == [(source, AttributionKind.secondhand)], attributions(text)


@pytest.mark.parametrize(
    "text",
    [
        "Royal Mail said deliveries would resume.",  # a company whose name ends like a paper's
        "American Express said fees would rise.",
        "Fares will rise, according to Ann Lee of the Lakeside Chronicle.",  # a reporter on the record
    ],
)
def test_companies_and_named_reporters_are_not_relayed_papers(text: str):
    assert not weak(text), attributions(text)


@pytest.mark.parametrize(
    "text",
    [
        "A Home Office spokeswoman said the review had not begun.",
        "A Justice Department spokesman said the files were sealed.",
        "An All England Club spokesperson denied the report.",
    ],
)
def test_an_institution_s_unnamed_spokesperson_is_weak(text: str):
    found = [a for a in attributions(text) if a.strength is Strength.weak]
    assert [a.kind for a in found] == [AttributionKind.unnamed_official], attributions(text)
