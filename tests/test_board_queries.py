"""The web board's read queries, on SQLite and PostgreSQL: queue filters and sorts, one claim with its
article context and history, chart data, and the workspace scope that keeps other newsrooms out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from bot.desk.api import Actor, Place
from bot.desk.service import Desk
from bot.models import TriageReport
from storage.board import (
    CONTEXT_CHARS,
    QueueQuery,
    WorkspaceKey,
    _trim_end,
    _trim_start,
    charts,
    claim_page,
    claim_workspace,
    queue,
)
from tests.conftest import ARTICLE, FixedClock

HOME = WorkspaceKey("slack", "T1")


def _id(ref: str) -> int:
    return int(ref.removeprefix("C-"))


def _work(desk: Desk, stored: TriageReport, editor: Actor, place: Place, clock: FixedClock) -> list[str]:
    """First claim ruled false, second assigned to leo, third left alone."""
    refs = [c.id for c in stored.claims]
    clock.now = datetime.now(UTC)
    assert not desk.run(f"assign {refs[1]} <@ULEO|leo>", editor, place).error
    assert not desk.run(f"assign {refs[0]} <@UANA|ana>", editor, place).error
    clock.now += timedelta(hours=3)
    assert not desk.run(f'verdict {refs[0]} false "Minutes say $3.9bn"', editor, place).error
    return refs


def test_queue_filters_sorts_and_searches(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place, clock: FixedClock, db: Session
) -> None:
    refs = _work(desk, stored, editor, place, clock)
    open_rows = queue(db, HOME, QueueQuery())
    assert [r.claim_id for r in open_rows] == [_id(refs[1]), _id(refs[2])]  # by score, done one left out
    assert open_rows[0].article_title == "Harbour Council passes budget"
    assert [r.claim_id for r in queue(db, HOME, QueueQuery(status="unassigned"))] == [_id(refs[2])]
    assert [r.claim_id for r in queue(db, HOME, QueueQuery(status="done"))] == [_id(refs[0])]
    assert [r.claim_id for r in queue(db, HOME, QueueQuery(status="all", assignee="@leo"))] == [_id(refs[1])]
    assert [r.claim_id for r in queue(db, HOME, QueueQuery(status="all", text="FERRY terminal"))] == [
        _id(refs[2])
    ]
    assert len(queue(db, HOME, QueueQuery(status="all", text="harbour budget"))) == 3  # the title matches
    assert queue(db, HOME, QueueQuery(status="all", text="100%_")) == []  # LIKE wildcards are literal
    newest = queue(db, HOME, QueueQuery(status="all", sort="newest"))
    assert [r.claim_id for r in newest] == sorted((_id(r) for r in refs), reverse=True)


def test_another_workspace_sees_nothing(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place, clock: FixedClock, db: Session
) -> None:
    refs = _work(desk, stored, editor, place, clock)
    elsewhere = WorkspaceKey("slack", "T2")
    assert queue(db, elsewhere, QueueQuery(status="all")) == []
    assert claim_page(db, elsewhere, _id(refs[0])) is None
    assert claim_workspace(db, _id(refs[0])) == HOME
    assert claim_workspace(db, 10**9) is None
    assert sum(charts(db, elsewhere, today=datetime.now(UTC).date()).opened) == 0
    assert sum(charts(db, WorkspaceKey("discord", "T1"), today=datetime.now(UTC).date()).opened) == 0


def test_claim_page_has_article_context_and_every_event(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place, clock: FixedClock, db: Session
) -> None:
    refs = _work(desk, stored, editor, place, clock)
    page = claim_page(db, HOME, _id(refs[1]))
    assert page is not None
    assert page.before + page.claim.text + page.after == ARTICLE  # short article: all of it around the claim
    assert page.claim.text == "Unemployment in the district fell to 3.1% last year"
    assert [e.action for e in page.events] == ["claim.assigned"]
    done = claim_page(db, HOME, _id(refs[0]))
    assert [e.action for e in done.events] == ["claim.assigned", "claim.verdict"]


def test_charts_count_flow_verdicts_speed_and_load(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place, clock: FixedClock, db: Session
) -> None:
    _work(desk, stored, editor, place, clock)
    opened_day = datetime.now(UTC).date()
    closed_day = clock.now.date()  # three hours on: tomorrow when the suite runs late in the evening
    data = charts(db, HOME, today=closed_day, days=14)
    assert len(data.days) == 14 and data.days[-1] == closed_day
    assert data.opened[data.days.index(opened_day)] == 3 and sum(data.opened) == 3
    assert sum(data.closed) == 1 and data.closed[-1] == 1
    assert data.verdicts == {"false": 1}
    assert data.median_hours_to_verdict == 3.0
    assert data.open_load == {"leo": 1, "unassigned": 1}


def test_long_context_is_cut_at_sentence_edges_not_mid_word() -> None:
    words = "word " * (CONTEXT_CHARS // 5)
    before = "tail of an earlier sentence. " + words
    assert _trim_start(before) == words
    assert _trim_start("x" * CONTEXT_CHARS) == "x" * CONTEXT_CHARS  # no sentence edge: keep it all
    after = " and the rest. " + words
    assert _trim_end(after) == " and the rest."
