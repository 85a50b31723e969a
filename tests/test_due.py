"""Due times in editors' words, read by dateparser: days mean the end of that day, times are kept, time
zones come from the phrase or the person's profile, and the past or nonsense is one sentence."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.desk.due import describe, parse_due
from bot.errors import CommandError
from bot.render.dates import due_label as label

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # a Wednesday morning


def at(day: int, hour: int = 23, minute: int = 59, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("today", at(25)),
        ("tomorrow", at(26)),
        ("fri", at(27)),
        ("Friday", at(27)),
        ("mon", at(30)),
        ("2026-12-01", at(1, month=12)),
        ("in 3 days", at(28)),
        ("next week", at(2, month=12)),
        ("5 dec", at(5, month=12)),
        ("friday 5pm", at(27, 17, 0)),
        ("tomorrow 9am", at(26, 9, 0)),  # the same clock time as now, still read as a time
        ("in 2 hours", at(25, 11, 0)),
        ("8am", at(26, 8, 0)),  # already past today, so tomorrow's
        ("friday 5pm CET", at(27, 16, 0)),
    ],
)
def test_phrases_editors_use(words: str, expected: datetime) -> None:
    assert parse_due(words.split(), NOW) == expected


def test_the_persons_time_zone_reads_the_phrase() -> None:
    due = parse_due(["fri", "5pm"], NOW, "America/New_York")
    assert due == at(27, 22, 0)
    assert describe(due, "America/New_York") == "Fri 27 Nov 2026, 17:00 EST"
    whole_day = parse_due(["fri"], NOW, "Europe/Berlin")
    assert (
        whole_day == at(27, 22, 59)
        and describe(whole_day, "Europe/Berlin") == "Fri 27 Nov 2026, end of day CET"
    )
    assert parse_due(["fri"], NOW, "Not/AZone") == at(27)  # an unknown zone falls back to UTC


@pytest.mark.parametrize(
    ("words", "says"),
    [
        ("yesterday", "which is past"),
        ("2020-01-01", "which is past"),
        ("someday", "can't read"),
        ("", "Say when"),
    ],
)
def test_bad_or_past_times_are_one_sentence(words: str, says: str) -> None:
    with pytest.raises(CommandError) as info:
        parse_due(words.split(), NOW)
    assert says in info.value.sentence and info.value.sentence.endswith(".")


def test_labels_are_short_and_say_overdue() -> None:
    today = NOW.date()
    assert label(at(25), today, NOW) == "today"
    assert label(at(26, 17, 0), today, NOW) == "tomorrow 17:00 UTC"
    assert label(at(27), today, NOW) == "Fri"
    assert label(at(25, 8, 0), today, NOW) == "25 Nov 08:00 UTC (overdue)"
    assert label(at(24), today, NOW) == "24 Nov (overdue)"
    assert label(at(24).date(), today) == "24 Nov (overdue)"  # cards still word plain days


def test_without_a_zone_from_the_platform_the_desks_own_zone_reads_the_phrase(
    stored, session_factory, clock, editor, place
) -> None:
    """Discord and the CLI give no time zone: FACTDESK_TIMEZONE applies, and the confirmation names it."""
    from bot.config import Settings
    from bot.core import build_desk

    desk = build_desk(
        Settings(database_url="sqlite://", timezone="Europe/Berlin"), session_factory, clock=clock
    )
    reply = desk.run(f"assign {stored.claims[0].id} <@ULEO> due fri 5pm", editor, place)
    assert reply.public_line is not None and reply.public_line.endswith("due Fri 27 Nov 2026, 17:00 CET")
    assert reply.data and reply.data["claim"]["due_at"] == "2026-11-27T16:00:00+00:00"
    assert "FACTDESK_TIMEZONE" in desk.run("help assign", editor, place).text
