"""The desk's own verdicts join the match index when ruled and leave it when reopened."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.desk.api import Actor, Place
from bot.desk.service import Desk
from bot.matching.index import ArchiveIndex
from bot.models import TriageReport
from storage import archive


def test_a_verdict_joins_the_archive_and_a_reopen_takes_it_out(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place, db: Session, session_factory
) -> None:
    ref = stored.claims[1].id
    assert not desk.run(f'verdict {ref} false "Official figures say 4.4%"', editor, place).error
    [row] = archive.index_rows(db)
    assert (row.review_url, row.source, row.rating, row.publisher) == (ref, "desk", "False", "@maria")
    assert row.claim == "Unemployment in the district fell to 3.1% last year"
    assert str(row.published) == "2026-11-25"

    index = ArchiveIndex(session_factory)
    [best] = index.match("district unemployment dropped to 3.1 per cent", top=1)
    assert best.url == ref and best.rating == "False"

    assert not desk.run(f"reopen {ref}", editor, place).error
    assert archive.index_rows(db) == []
