"""Two editors change the same claim at the same moment, on two real PostgreSQL connections:
one wins, the other is told the claim changed and shown its current state; no update is lost."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from conftest import ARTICLE
from sqlalchemy import Engine, event, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.desk.api import Actor, Place
from bot.desk.service import Desk
from bot.desk.triage_store import save_report
from bot.replies import Reply
from storage.models import Claim, Event

pytestmark = pytest.mark.postgres

MARIA = Actor(platform="slack", user_id="UMARIA", display="maria", is_editor=True)
TOM = Actor(platform="slack", user_id="UTOM", display="tom", is_editor=True)
PLACE = Place(platform="slack", workspace="T1", channel="CRACE", thread="9.1")


@pytest.fixture
def committed_thread(postgres_engine: Engine, make_report) -> Iterator[str]:
    """A triage committed for real (the two desks must see each other's commits); removed afterwards."""
    with Session(postgres_engine) as session, session.begin():
        report = save_report(session, make_report("race"), MARIA, PLACE, ARTICLE)
    yield report.claims[0].id
    thread_id = int(report.thread_ref[2:])
    with postgres_engine.begin() as connection:
        connection.execute(text("DELETE FROM events WHERE thread_id = :t"), {"t": thread_id})
        connection.execute(text("DELETE FROM triage_threads WHERE id = :t"), {"t": thread_id})


def test_two_editors_one_claim_one_winner(
    postgres_engine: Engine, committed_thread: str, desk_settings: Settings
) -> None:
    ref = committed_thread
    first_loaded, second_loaded = threading.Event(), threading.Event()

    def factory(loaded: threading.Event, other: threading.Event) -> sessionmaker[Session]:
        """Each desk's session signals once it has read the claim and waits (briefly) for the other to read too,
        so both decide on the same version before either writes."""
        make = sessionmaker(bind=postgres_engine, expire_on_commit=False)

        @event.listens_for(make, "loaded_as_persistent")
        def _read(session: Session, instance: object) -> None:
            if isinstance(instance, Claim):
                loaded.set()

        @event.listens_for(make, "before_commit")
        def _wait(session: Session) -> None:
            other.wait(timeout=5)

        return make

    desks = {
        "maria": (
            Desk(session_factory=factory(first_loaded, second_loaded), settings=desk_settings),
            MARIA,
            "@leo",
        ),
        "tom": (
            Desk(session_factory=factory(second_loaded, first_loaded), settings=desk_settings),
            TOM,
            "@ana",
        ),
    }
    replies: dict[str, Reply] = {}

    def act(name: str) -> None:
        desk, actor, who = desks[name]
        replies[name] = desk.run(f"assign {ref} {who}", actor, PLACE)

    workers = [threading.Thread(target=act, args=(name,)) for name in desks]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)

    winners = [name for name, reply in replies.items() if not reply.error]
    losers = [name for name, reply in replies.items() if reply.error]
    assert len(winners) == 1 and len(losers) == 1, {n: r.title for n, r in replies.items()}
    winner, loser = replies[winners[0]], replies[losers[0]]
    winner_name = desks[winners[0]][2]
    assert f"{ref} changed while you were working on it and is now assigned · {winner_name}" in loser.title
    assert loser.data["claim"]["assignee_display"] == winner_name[1:]  # the current state is shown
    with Session(postgres_engine) as session:
        claim = session.scalar(select(Claim).where(Claim.id == int(ref[2:])))
        assert claim.assignee_display == winner_name[1:]
        events = session.scalars(select(Event).where(Event.claim_id == claim.id)).all()
        assert [e.actor for e in events] == [desks[winners[0]][1].key]  # the loser left no trace
    assert winner.public_line.endswith(f"to {winner_name}")
