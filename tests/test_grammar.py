"""The command grammar: tokens, mentions, dates, typos and usage lines — and that no input can make it raise."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.desk.catalog import COMMANDS
from bot.desk.grammar import Parser, Person, parse_channel, parse_person, tokenize
from bot.desk.refs import Ref, parse_ref
from bot.desk.verdicts import DEFAULT_SCALE
from bot.errors import CommandError

WEDNESDAY = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.fixture
def parser() -> Parser:
    return Parser(DEFAULT_SCALE, WEDNESDAY)


def test_tokens_group_straight_and_curly_quotes_and_keep_apostrophes() -> None:
    words = [t.text for t in tokenize("note C-1 “it’s the mayor’s figure” don't 'single q' „low“")]
    assert words == ["note", "C-1", "it’s the mayor’s figure", "don't", "single q", "low"]


def test_unclosed_quote_runs_to_the_end() -> None:
    assert [t.text for t in tokenize('note C-1 "never closed here')] == ["note", "C-1", "never closed here"]


def test_platform_mention_with_spaces_is_one_token() -> None:
    assert [t.text for t in tokenize("assign C-1 <@U12|leo smith> due fri")] == [
        "assign",
        "C-1",
        "<@U12|leo smith>",
        "due",
        "fri",
    ]


@pytest.mark.parametrize(
    ("word", "person"),
    [
        ("@leo", Person(None, "leo")),
        ("<@U123>", Person("U123", None)),
        ("<@U123|leo>", Person("U123", "leo")),
        ("<@123456789012345678>", Person("123456789012345678", None)),
        ("<@!123456789012345678>", Person("123456789012345678", None)),
        ("leo", None),
        ("<#C1|desk>", None),
    ],
)
def test_mentions_from_every_platform(word: str, person: Person | None) -> None:
    assert parse_person(word) == person


def test_channels_from_every_platform() -> None:
    assert parse_channel("<#C0123|desk>").channel_id == "C0123"
    assert parse_channel("<#998877>").channel_id == "998877"
    assert parse_channel("#desk").name == "desk"
    assert parse_channel("#T-87") is None  # that is a thread reference


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("C-1042", Ref("C", 1042)),
        ("c1042", Ref("C", 1042)),
        ("#T-87", Ref("T", 87)),
        ("t-87", Ref("T", 87)),
        ("X-1", None),
        ("C-", None),
    ],
)
def test_refs(typed: str, expected: Ref | None) -> None:
    assert parse_ref(typed) == expected


def test_assign_with_everything(parser: Parser) -> None:
    command = parser.parse("/factcheck assign C-1042 <@U7|leo> due tomorrow")
    assert (command.name, command.ref, command.person, command.due) == (
        "assign",
        Ref("C", 1042),
        Person("U7", "leo"),
        datetime(2026, 11, 26, 23, 59, tzinfo=UTC),
    )


def test_assign_accepts_a_bare_name_for_the_cli(parser: Parser) -> None:
    assert parser.parse("assign C-3 alice").person == Person(None, "alice")


def test_verdict_takes_two_word_verdicts_and_quoted_or_bare_explanations(parser: Parser) -> None:
    quoted = parser.parse('verdict C-9 mostly true "Budget, p. 4: $4.2bn"')
    assert (quoted.verdict, quoted.text) == ("mostly_true", "Budget, p. 4: $4.2bn")
    bare = parser.parse("verdict C-9 false the report says 2.9%, see https://x.example")
    assert (bare.verdict, bare.text) == ("false", "the report says 2.9%, see https://x.example")
    assert parser.parse("verdict C-9 Missing-Context 'omits the 2025 figure'").verdict == "missing_context"


def test_list_takes_scope_person_channel_and_thread_in_any_order(parser: Parser) -> None:
    command = parser.parse("list done in <#C1|desk> @leo")
    assert (command.scope, command.person, command.channel.channel_id) == ("done", Person(None, "leo"), "C1")
    assert parser.parse("list thread T-87").thread == Ref("T", 87)
    assert parser.parse("list mine").scope == "mine"
    assert parser.parse("list").scope == "open"


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("asign C-1 @leo", "Did you mean `assign`?"),
        ("lsit", "Did you mean `list`?"),
        ("list opne", "Did you mean `open`?"),
        ("status C-1 reveiw", "Did you mean `needs_review`?"),
        ("verdict C-1 flase 'x'", "Did you mean `false`?"),
        ("export T-1 makdown", "Did you mean `markdown`?"),
        ("help verdcit", "Did you mean `verdict`?"),
    ],
)
def test_typos_get_did_you_mean(parser: Parser, typed: str, hint: str) -> None:
    with pytest.raises(CommandError) as info:
        parser.parse(typed)
    assert hint in info.value.sentence


@pytest.mark.parametrize(
    ("typed", "usage"),
    [
        ("assign", "assign C-1042 @user"),
        ("assign C-1", "assign C-1042 @user"),
        ("verdict C-1 false", 'verdict C-1042 <verdict> "explanation with sources"'),
        ("note C-1", 'note C-1042 "text"'),
        ("dismiss C-1", 'dismiss C-1042 "reason"'),
        ("status C-1", "status C-1042 in_progress|needs_review"),
        ("show", "show C-1042|T-87"),
        ("export", "export T-87|C-1042"),
        ("retriage C-4", "retriage T-87"),
        ("stats forever", "stats [7d|30d|90d]"),
    ],
)
def test_missing_or_wrong_arguments_get_the_usage_line(parser: Parser, typed: str, usage: str) -> None:
    with pytest.raises(CommandError) as info:
        parser.parse(typed)
    assert (
        f"Usage: `{next(s for s in COMMANDS if s.usage.startswith(usage.split()[0])).usage}`"
        in info.value.sentence
    )
    assert usage in info.value.sentence


def test_every_command_parses_from_its_own_example(parser: Parser) -> None:
    for spec in COMMANDS:
        assert parser.parse(spec.example).name == spec.name
    assert parser.parse('claim add T-87 "The port handled 4m tonnes."').name == "claim_add"


def test_empty_input_is_help(parser: Parser) -> None:
    assert parser.parse("   ").name == "help"


_words = st.sampled_from(
    [
        "assign",
        "list",
        "verdict",
        "note",
        "due",
        "in",
        "thread",
        "C-1",
        "T-2",
        "@leo",
        "<@U1|a b>",
        "“",
        "”",
        '"',
        "'",
        "fri",
        "2026-02-30",
        "mostly",
        "true",
        "#desk",
        "<#C1>",
        "csv",
        "7d",
        "status",
        "review",
        "<",
        ">",
        "\x00",
        "‘",
    ]
)


@settings(max_examples=400, deadline=None)
@example("«\r0")  # a quoted word holding a line break, once echoed onto two lines
@given(st.one_of(st.text(max_size=80), st.lists(_words, max_size=8).map(" ".join)))
def test_no_input_raises_anything_but_a_command_error(text: str) -> None:
    parser = Parser(DEFAULT_SCALE, WEDNESDAY)
    try:
        command = parser.parse(text)
    except CommandError as exc:
        assert exc.sentence and "\n" not in exc.sentence
    else:
        assert command.name in {spec.name for spec in COMMANDS}


def test_shell_split_words_keep_apostrophes_and_spaces(parser: Parser) -> None:
    command = parser.parse_words(["verdict", "C-9", "false", "it's wrong, see p. 4"])
    assert (command.verdict, command.text) == ("false", "it's wrong, see p. 4")
    unquoted = parser.parse_words(["note", "C-9", "it's", "fine"])
    assert unquoted.text == "it's fine"
    assert parser.parse_words(["assign", "C-9", "alice", "due", "fri"]).due == datetime(
        2026, 11, 27, 23, 59, tzinfo=UTC
    )
    assert parser.parse_words([]).name == "help"


def test_list_filters_and_sorts(parser: Parser) -> None:
    command = parser.parse("list @leo overdue due this week sort by score in #desk")
    assert (command.scope, command.due_window, command.sort) == ("overdue", "week", "score")
    assert command.person == Person(user_id=None, name="leo") and command.channel is not None
    assert parser.parse("list due today unassigned").due_window == "today"
