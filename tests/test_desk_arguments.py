"""SQL-shaped arguments are plain text to the desk: stored and shown as typed, matching nothing they should
not, on SQLite and PostgreSQL (every query is parameterised)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.desk.api import Actor, Place
from bot.desk.service import Desk
from bot.models import TriageReport
from storage.models import Claim, Note, TriageThread

SHAPES = ["x'); DROP TABLE claims;--", "x' OR '1'='1", 'x" OR 1=1 --', "x%' --", "C-1; DELETE FROM events"]


def _counts(session_factory: Callable[[], Session]) -> tuple[int, int]:
    with session_factory() as session:
        claims = session.scalar(select(func.count()).select_from(Claim))
        threads = session.scalar(select(func.count()).select_from(TriageThread))
    return claims or 0, threads or 0


@pytest.mark.parametrize("shape", SHAPES)
def test_sql_shaped_arguments_are_stored_and_matched_as_plain_text(
    desk: Desk,
    stored: TriageReport,
    editor: Actor,
    place: Place,
    session_factory: Callable[[], Session],
    shape: str,
) -> None:
    ref = stored.claims[0].id
    before = _counts(session_factory)
    note = desk.run(f"note {ref} {shape}", editor, place)
    assert not note.title.startswith("⚠️"), note.title
    for command in (f"list all @{shape.split()[0]}", f"show {shape}", f"assign {ref} @{shape.split()[0]}"):
        desk.run(command, editor, place)  # answered with a sentence or a list, never an error
    assert _counts(session_factory) == before
    with session_factory() as session:
        notes = session.scalars(select(Note.text)).all()
    assert shape in notes


def test_a_note_with_nul_and_escapes_is_stored_clean(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place, session_factory: Callable[[], Session]
) -> None:
    """PostgreSQL refuses NUL in text: a note typed with one is stored without it, not 'database unavailable'."""
    ref = stored.claims[0].id
    reply = desk.run(f"note {ref} called\x00 the \x1b[31mministry", editor, place)
    assert not reply.title.startswith("⚠️"), reply.title
    reply = desk.run_words(["note", ref, "\x1b]0;owned\x07second\x00 call"], editor, place)
    assert not reply.title.startswith("⚠️"), reply.title
    with session_factory() as session:
        assert set(session.scalars(select(Note.text)).all()) >= {"called the ministry", "second call"}


def test_a_verdict_form_with_nul_and_escapes_is_stored_clean(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place, session_factory: Callable[[], Session]
) -> None:
    """Form fields (the verdict modal on Slack and Discord) skip the grammar; they are cleaned all the same."""
    from bot.replies import Action

    ref = stored.claims[0].id
    form = {"verdict": "false", "explanation": "Ministry\x00 data \x1b[31mshow 3.1m"}
    reply = desk.click(Action.verdict, ref, editor, place, form)
    assert not reply.title.startswith("⚠️"), reply.title
    with session_factory() as session:
        claim = session.get(Claim, int(ref.removeprefix("C-")))
        assert claim is not None and claim.explanation == "Ministry data show 3.1m"
