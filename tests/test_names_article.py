"""Suspect names as an editor reads real copy: titles before a name, East Asian names, famous people outside
politics, spellings that disagree inside one article, and the packed gazetteer index opened lazily."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.names import gazetteer as gz
from bot.names.checker import NameChecker, default_checker
from bot.names.gazetteer import Gazetteer, GazetteerFile, PersonRecord, Provenance


@pytest.fixture(scope="module")
def names() -> NameChecker:
    return default_checker()


def _flags(names: NameChecker, text: str) -> list[tuple[str, str]]:
    return [(issue.found, issue.suggestion) for issue in names.find_issues(text)]


@pytest.mark.parametrize(
    ("text", "found", "suggestion"),
    [
        ("Secretary of State Mike Pompao flew to Seoul.", "Mike Pompao", "Mike Pompeo"),
        ("Chinese President Xi Jinpeng met the delegation.", "Xi Jinpeng", "Xi Jinping"),
        ("Taiwan's President Tsai Ing-wan spoke on Sunday.", "Tsai Ing-wan", "Tsai Ing-wen"),
        ("Fans queued for hours to see Justin Beiber in Toronto.", "Justin Beiber", "Justin Bieber"),
    ],
)
def test_a_title_or_role_before_the_name_does_not_hide_a_slip(
    names: NameChecker, text: str, found: str, suggestion: str
):
    assert _flags(names, text) == [(found, suggestion)]


def test_the_same_names_spelled_right_are_not_flagged(names: NameChecker):
    text = (
        "Secretary of State Mike Pompeo met Chinese President Xi Jinping and Taiwan's President Tsai Ing-wen. "
        "Justin Bieber sang."
    )
    assert _flags(names, text) == []


def test_a_surname_spelled_two_ways_takes_the_majority_spelling(names: NameChecker):
    text = (
        "Julian Assange lost his appeal. Assange's lawyers said they would fight on. "
        "Supporters of Aseange gathered outside. Assange thanked them. Mr Assange was led away."
    )
    [issue] = names.find_issues(text)
    assert (issue.found, issue.suggestion) == ("Aseange", "Assange")
    assert "'Aseange' once" in issue.evidence


def test_the_majority_spelling_is_trusted_for_people_the_gazetteer_does_not_know(names: NameChecker):
    text = "Priya Ramaswamy chairs the board. Ramaswamy said profits rose. Later Ramaswammy added a caveat."
    assert _flags(names, text) == [("Ramaswammy", "Ramaswamy")]


def test_a_tie_between_two_unknown_spellings_is_left_alone(names: NameChecker):
    assert _flags(names, "Priya Ramaswamy chairs the board. Later Ramaswammy added a caveat.") == []


@pytest.mark.parametrize(
    "text",
    [
        # two people, each with a first name of their own
        "Anna Boyle reached the final. Boyle won easily. Allan Bogle was third.",
        # nationality beside the country, plural beside singular
        "Kenya won gold. Kenya's team celebrated. Kenya led. The Kenyan runner, David Kenya, smiled.",
        # a list of names: every item is someone else
        "The squad: Skinner, Tait, Voyce. Dowson, Haughton, Monye. Matt Dawson said Dawson was ready.",
        # an ordinary word beside a surname
        "Warren Beatty starred. Beatty smiled. American Beauty won. Beauty sells.",
        # a known romanisation is house style, and so is a German umlaut written out
        "Viktor Yanukovich conceded. Chancellor Gerhard Schroeder called him.",
        "We can't all be Wayne Rooneys, the coach said of Wayne Rooney.",
        # one letter put for another behind a two-letter surname, with no title: as often someone else
        "Li Jifeng, a doctor at the hospital, confirmed the cases.",
    ],
)
def test_real_differences_are_not_slips(names: NameChecker, text: str):
    assert _flags(names, text) == []


def _people() -> list[PersonRecord]:
    source = [Provenance(source="test", date="2024", licence="CC0-1.0")]
    return [
        PersonRecord(
            name="Zorblat Quenbyson", role="President of Ruritania", qid="Q1", rank=1, provenance=source
        ),
        PersonRecord(name="Hedda Gablerová", aliases=["Hedda Gablerova"], qid="Q2", provenance=source),
        PersonRecord(name="Tsai Ing-wen", role="President", qid="Q3", rank=1, provenance=source),
    ]


def test_the_packed_index_round_trips_and_opens_without_decoding(tmp_path: Path):
    data = GazetteerFile(format=gz.FORMAT_VERSION, built="2026-01-01", sources=["test"], people=_people())
    data.common_words = ["beauty", "ruritania"]
    path = tmp_path / "gazetteer.idx"
    gz.write_file(data, path)
    assert gz.load_file(path) == data

    opened = gz.load(path)
    assert opened._tables == {} and opened._records == {}  # opening reads only the header
    checker = NameChecker(opened)
    assert _flags(checker, "Zorblat Quenbysson spoke.") == [("Zorblat Quenbysson", "Zorblat Quenbyson")]
    assert _flags(checker, "President Tsai Ing-wan spoke.") == [("Tsai Ing-wan", "Tsai Ing-wen")]
    assert opened.is_common_word("beauty") and not opened.is_common_word("quenbyson")
    # Only the parts a lookup needed were decoded, and the person named.
    stored = set(opened._packed.tables())
    assert 0 < len(stored & set(opened._tables)) < len(stored)
    assert set(opened._records) == {0, 2}


def test_people_added_to_an_opened_index_are_found(tmp_path: Path):
    path = tmp_path / "gazetteer.idx"
    gz.write_file(GazetteerFile(format=gz.FORMAT_VERSION, built="x", sources=[], people=_people()), path)
    opened = gz.load(path)
    opened.add_people([PersonRecord(name="Jane Doe-Smithers", role="Our editor", rank=0)])
    checker = NameChecker(opened)
    assert _flags(checker, "Jane Doe-Smithres said so.") == [("Jane Doe-Smithres", "Jane Doe-Smithers")]
    assert len(opened.people) == 4 and opened.people[-1].name == "Jane Doe-Smithers"


def test_an_in_memory_gazetteer_and_the_packed_one_answer_alike(tmp_path: Path):
    path = tmp_path / "gazetteer.idx"
    gz.write_file(GazetteerFile(format=gz.FORMAT_VERSION, built="x", sources=[], people=_people()), path)
    text = "Hedda Gablerowa and Zorblat Quenbysn met President Tsai Ing-wan."
    assert _flags(NameChecker(gz.load(path)), text) == _flags(NameChecker(Gazetteer(_people())), text)
