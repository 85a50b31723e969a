"""The attribution passes' fast paths give exactly what their plain definitions give.

Hot patterns open with a first-letter lookahead, `(?=[...])`, which the engine tests before trying each
case-insensitive branch in turn: it must hold every letter a match can start with, or matches are lost. The
named-group check reads only the occurrences of its word instead of searching the whole article.
"""

from __future__ import annotations

import json
import re
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.extract import attribution_grammar as G
from bot.extract import attribution_groups as groups
from bot.extract import attribution_named as N
from bot.extract import attribution_outlets as O
from bot.extract import attribution_patterns as P
from bot.extract import attribution_reports as reports
from bot.extract.attribution_context import WORD, Find, SpanIndex, sentence_context
from bot.extract.attribution_groups import _names_group
from bot.models import AttributionKind, Strength
from bot.text.sentences import split_sentences
from bot.text.typography import fold_typography
from tests.test_extract_fast_paths import REAL

GATED = {
    "HEDGES": P.HEDGES,
    "PASSIVE_HEDGES": P.PASSIVE_HEDGES,
    "ANONYMITY_FORMULAS": P.ANONYMITY_FORMULAS,
    "UNVERIFIABLE_SETTINGS": P.UNVERIFIABLE_SETTINGS,
    "PASSIVE_VAGUE": P.PASSIVE_VAGUE,
    "SPEECH_NOUN_BEFORE": P.SPEECH_NOUN_BEFORE,
    "CAUSATIVE_BEFORE": P.CAUSATIVE_BEFORE,
    "PREPOSITION_BEFORE": G.PREPOSITION_BEFORE,
    "_PREPOSITION_DETERMINER_BEFORE": N._PREPOSITION_DETERMINER_BEFORE,
    "_OUTLET_AS_VENUE_BEFORE": O._OUTLET_AS_VENUE_BEFORE,
    "_NAMED_SUBJECT": N._NAMED_SUBJECT,
    "_NAME_PAIR": N._NAME_PAIR,
}


def _first_chars(items: list, ignorecase: bool) -> tuple[set[str], bool]:
    """The characters a parsed pattern's match can start with, and whether it can match nothing at all.

    Zero-width items are skipped; anything this reading cannot follow (a class such as `\\w`, a flag that
    changes case inside the pattern) fails the test rather than passing it."""
    chars: set[str] = set()
    for op, av in items:
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue
        if op is C.LITERAL:
            return chars | {chr(av)}, False
        if op is C.IN:
            for kind, value in av:
                assert kind in (C.LITERAL, C.RANGE), f"cannot read {kind}"
                low, high = (value, value) if kind is C.LITERAL else value
                chars |= {chr(c) for c in range(low, high + 1)}
            return chars, False
        if op is C.SUBPATTERN:
            assert not av[2] and av[1] in (0, re.IGNORECASE if ignorecase else 0), "inline flags"
            branches, repeat = [av[3]], (1, 1)
        elif op is C.BRANCH:
            branches, repeat = av[1], (1, 1)
        else:
            assert op in (C.MAX_REPEAT, C.MIN_REPEAT), f"cannot read {op}"
            branches, repeat = [av[2]], av[:2]
        can_be_empty = repeat[0] == 0
        for branch in branches:
            first, empty = _first_chars(branch, ignorecase)
            chars |= first
            can_be_empty |= empty
        if not can_be_empty:
            return chars, False
    return chars, True


@pytest.mark.parametrize("name", sorted(GATED))
def test_first_letter_gate_holds_every_letter_a_match_starts_with(name: str):
    pattern = GATED[name]
    ignorecase = bool(pattern.flags & re.IGNORECASE)
    parsed = _parser.parse(pattern.pattern, pattern.flags)
    op, (direction, gate) = parsed[0]
    assert op is C.ASSERT and direction == 1, f"{name} has no first-letter gate"
    allowed, _ = _first_chars(gate, ignorecase)
    first, empty = _first_chars(parsed[1:], ignorecase)
    assert not empty
    if ignorecase:
        allowed, first = {c.lower() for c in allowed}, {c.lower() for c in first}
    assert first <= allowed, sorted(first - allowed)


def _names_group_reference(text: str, head: str) -> bool:
    """The check as first written: one search of the whole article."""
    word = re.escape(head.capitalize())
    return bool(
        re.search(
            rf"\b{word}\s+(?:for|of|without|against|in|on|and)\s+(?:the\s+)?[A-Z]"
            rf"|(?<![.!?]\s)(?<![.!?]\s\s)\b(?!The\b)[A-Z][\w'&-]*\s+{word}\b",
            text,
        )
    )


EDGES = [
    "Harbour  Lawyers said.",
    "He left. Lawyers said so.",
    "He left.  Lawyers said so.",
    "The Lawyers said.",
    "Top-Lawyers said, and Big\u00a0Lawyers too.",
    "MegaLawyers Lawyers",
    "Lawyers for the Poor",
    "Lawyersville Lawyers",
    "x Lawyers",
    "Doctors Without Borders and O'Brien&Co Doctors",
]


def test_named_group_check_equals_the_whole_article_search():
    checked = found = 0
    for text in [*REAL, *EDGES]:
        heads = {"lawyers", "doctors", *(w.lower() for w in re.findall(r"\b[A-Za-z][a-z]+s\b", text)[:40])}
        for head in heads:
            expected = _names_group_reference(text, head)
            assert _names_group(text, head) == expected, (head, text[:80])
            checked += 1
            found += expected
    assert found > 20 and checked > found


def test_personal_words_are_read_once_per_article():
    text = "Owen Dempsey said. Dempsey added that Nokia said so."
    N.personal_words.cache_clear()
    words = N.personal_words(text)
    assert words == {"Owen", "Dempsey"}
    assert N.personal_words(text) is words


def test_outlet_names_grouped_by_capital_match_as_one_alternation():
    """The outlet pattern tests a name's capital once per letter; the plain alternation tries every name."""
    pattern, by_alias = P.outlet_index()
    aliases = sorted({outlet.name for outlet in by_alias.values()} | set(by_alias), key=P.longest_first)
    data = json.loads(P._OUTLETS_FILE.read_text(encoding="utf-8"))
    written = sorted(
        {a for row in data["outlets"] for a in [row["name"], *row["aliases"]]}, key=P.longest_first
    )
    escaped = [(a, re.escape(a).replace(r"\ ", r"\s+")) for a in written]
    parts = [e if len(a) <= 5 and a.isupper() else "(?i:" + e + ")" for a, e in escaped]
    plain = re.compile(r"(?<![\w-])(?:[Tt]he\s+)?(?=[A-ZÀ-Þ])(?:" + "|".join(parts) + r")(?![\w-])")
    variants = [
        f"{the}{a}{tail}"
        for a in aliases
        for the in ("", "the ", "The ")
        for tail in ("", "s", "-x", " said")
    ]
    texts = [*REAL, *variants, *(v.upper() for v in variants), *(v.title() for v in variants)]
    found = 0
    for text in texts:
        expected = [(m.span(), m.group()) for m in plain.finditer(text)]
        assert [(m.span(), m.group()) for m in pattern.finditer(text)] == expected, text[:80]
        found += len(expected)
    assert found > 500


def test_every_outlet_name_holds_a_gate_word_wherever_it_matches():
    """The outlet pass runs only on sentences holding a gate word: each name, written in any case, must give one
    (a name's first run of one letter, the "s" of "Süddeutsche", is passed over for its next)."""
    pattern, by_alias = P.outlet_index()
    gates = P.outlet_first_words()
    assert "s" not in gates and "ddeutsche" in gates
    names = [f"{the}{a}{tail}" for a in by_alias for the in ("", "The ") for tail in ("", " said", "'s")]
    found = 0
    for text in [*REAL, *names, *(n.upper() for n in names), *(n.title() for n in names)]:
        for m in pattern.finditer(text):
            assert not gates.isdisjoint(WORD.findall(m.group().lower())), m.group()
            found += 1
    assert found > 500


# The patterns scanned from their heads, as the passes scan them.
SCANNED_FROM_HEADS = {
    "roles": (groups._UNNAMED_NP, groups._HEAD_AT, groups._may_lead_a_role, groups._ROLE_WORDS_BEFORE_HEAD),
    "collectives": (
        groups._COLLECTIVE,
        groups._GROUP_HEAD_AT,
        groups._may_lead_a_group,
        groups._GROUP_WORDS_BEFORE_HEAD,
    ),
}


def _both_scans(name: str, text: str) -> tuple[list[tuple], list[tuple]]:
    pattern, heads, may_hold, most = SCANNED_FROM_HEADS[name]
    fast = groups._from_heads(pattern, heads, text, may_hold, most)
    return [(m.span(), m.groupdict()) for m in fast], [
        (m.span(), m.groupdict()) for m in pattern.finditer(text)
    ]


_HEAD_EDGES = [
    "He said former ſenior officials said",  # a case-blind "senior"
    'He said ("Senior officials say',  # a phrase opening inside a word
    "In more than 1,000 top-level officials' view, at least a dozen of Trump's campaign's aides and officials",
    "Critics and officials, people and  well-placed\nexecutives of both firms",
    "He said that a growing number of the party's young critics and some older voters in the state said so",
    "x 9 a growing number of the Trump's big bold critics",
    "He saw a growing number of of the big bold critics say",  # the most words before a collective's head
    "x y more than a dozen Critics and and Critics and and Critics and and Critics and and Critics and and Officials said",
]


@pytest.mark.parametrize("name", sorted(SCANNED_FROM_HEADS))
def test_scans_from_heads_equal_the_whole_sentence_scan(name: str):
    texts = [*_HEAD_EDGES, *(t for text in REAL for t in (text, *text.split(". ")))]
    found = 0
    for text in texts:
        fast, expected = _both_scans(name, text)
        assert fast == expected, text[:80]
        found += len(expected)
    assert found > 100


# Words of every kind a role or a collective holds before its head, words they never hold, marks that open a word.
_PHRASE_PIECES = [
    *"officials official aides people executives critics voters Officials OFFICIALS".split(),
    *"senior Senior former White House Pentagon the The a few more than 1,000 at least dozens of".split(),
    *"his chief and both other Trump's the campaign's well-placed e-business said to in on told".split(),
    *"some many growing number majority handful of young ſome ſenior İn \"Senior (officials ' — 9".split(),
]


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(sorted(SCANNED_FROM_HEADS)),
    st.lists(st.sampled_from(_PHRASE_PIECES), max_size=16),
    st.lists(st.sampled_from([" ", "  ", ", ", "\n", ""])),
)
def test_scans_from_heads_equal_the_scan_on_any_words(name: str, pieces: list[str], gaps: list[str]):
    text = "".join(piece + (gaps[i % len(gaps)] if gaps else " ") for i, piece in enumerate(pieces))
    fast, expected = _both_scans(name, text)
    assert fast == expected


# A phrase of each kind `P.RELAYED` finds, platforms opening longer words and words in other cases among them.
_RELAYED_EDGES = [
    "She took to Twitterverse to say so.",
    "He posted on TikTokker.",
    "It was in a social-media post.",
    "IN HIS Instagram post, he said so.",
    "On her Snapchat story, a clip appeared.",
    "Some Twitter users said so, and online commentators agreed.",
    "He said one user on X agreed.",
    "Later one account on Telegram disagreed.",
    "He tweeted it.",
    "It was, via Reuters, denied.",
    "In a statement to The Times, she said so.",
]


def test_relay_gate_lets_every_relayed_sentence_through():
    texts = [*_RELAYED_EDGES, *REAL]
    found = 0
    for text in texts:
        folded = fold_typography(text)
        for span in split_sentences(text):
            c = sentence_context(folded, span)
            if P.RELAYED.search(c.text):
                assert reports._may_relay(c), c.text
                found += 1
    assert found > 20


def test_every_vague_passive_agent_is_a_gate_word():
    edges = [
        "It was seen by many as a win.",
        "He is criticised by some Democrats.",
        "known by others, regarded by critics",
    ]
    found = 0
    for text in [*edges, *REAL]:
        for m in P.PASSIVE_VAGUE.finditer(text):
            assert not P.PASSIVE_VAGUE_AGENTS.isdisjoint(WORD.findall(m.group().lower())), m.group()
            found += 1
    assert found >= 4


@given(
    spans=st.lists(st.tuples(st.integers(0, 300), st.integers(1, 40)), max_size=40),
    query=st.tuples(st.integers(0, 320), st.integers(0, 60)),
)
@settings(max_examples=300, deadline=None)
def test_the_span_index_lists_what_a_scan_of_every_find_lists(spans, query):
    finds = [
        Find(start, start + length, "x", AttributionKind.hedge, Strength.weak, "r", 1)
        for start, length in spans
    ]
    start, end = query[0], query[0] + query[1]
    scanned = [k for k, f in enumerate(finds) if f.start < end and start < f.end]
    assert SpanIndex(finds).overlapping(start, end) == scanned
