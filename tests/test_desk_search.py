"""`search <words>` over claim texts, notes and article titles, ranked by the database's own full-text
engine (PostgreSQL tsvector + GIN, SQLite FTS5) on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.desk.api import Actor, Place
from bot.desk.service import Desk
from bot.models import TriageReport


def refs(reply) -> list[str]:
    assert not reply.error, reply.title
    return [c["ref"] for c in reply.data["claims"]]


def test_search_finds_claims_by_their_words_stemmed(
    desk: Desk, stored: TriageReport, member: Actor, place: Place
) -> None:
    _, second, third = (c.id for c in stored.claims)
    assert refs(desk.run("search unemployment", member, place)) == [second]
    assert refs(desk.run("search ferry terminals", member, place)) == [third]  # plural, stemmed
    assert refs(desk.run("search FERRY 2027", member, place)) == [third]  # every word, any case
    assert refs(desk.run("search ferry unemployment", member, place)) == []  # no claim has both


def test_search_reaches_notes_and_titles_and_ranks_the_claims_own_words_first(
    desk: Desk, stored: TriageReport, make_report, editor: Actor, place: Place, session_factory
) -> None:
    from bot.desk.triage_store import save_report

    with session_factory() as session, session.begin():
        other = save_report(session, make_report("other"), editor, place, "text")
    first = stored.claims[0].id
    desk.run(f'note {first} "the harbour ledger shows a lower budget"', editor, place)
    by_note = desk.run("search ledger", editor, place)
    assert refs(by_note) == [first] and by_note.sections[0].title == "1 shown, best match first"
    by_title = refs(desk.run("search harbour council passes", editor, place))
    assert set(by_title) == {c.id for c in stored.claims} | {c.id for c in other.claims}
    # "budget" is in two claims' text and every title: the claims that say it come first
    ranked = refs(desk.run("search budget", editor, place))
    assert set(ranked[:2]) == {first, other.claims[0].id} and len(ranked) == 6


def test_search_follows_changes_and_new_claims(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place, session_factory
) -> None:
    assert refs(desk.run("search lighthouse", editor, place)) == []
    added = desk.run(f'claim add {stored.thread_ref} "The lighthouse was sold for 2 million."', editor, place)
    assert refs(desk.run("search lighthouse", editor, place)) == [added.data["claim"]["ref"]]
    with session_factory() as session, session.begin():
        session.execute(text("UPDATE triage_threads SET title = 'Lighthouse sale' WHERE id = :id"),
                        {"id": int(stored.thread_ref[2:])})  # fmt: skip
    assert len(refs(desk.run("search lighthouse", editor, place))) == 4


def test_search_input_is_words_never_query_syntax(desk: Desk, stored: TriageReport, member, place) -> None:
    for hostile in ('"', "ferry OR", "NEAR(ferry", "* -", "ferry:*", "'); DROP TABLE claims; --"):
        reply = desk.run(f"search {hostile}", member, place)
        assert not reply.error or "Say what to look for" in reply.title, (hostile, reply.title)
    assert refs(desk.run("search ferry:*", member, place)) == [stored.claims[2].id]
    assert "Say what to look for" in desk.run("search", member, place).title
    assert (
        desk.run("search zeppelin", member, place).text
        == "No claim, note or article title matches “zeppelin”."
    )


def test_a_word_in_most_claims_is_ranked_from_the_newest_matches_the_same_way(
    stored: TriageReport, make_report, editor: Actor, place: Place, session_factory, backend: str, monkeypatch
) -> None:
    """PostgreSQL: a word the index's statistics put in a quarter of the claims or more takes its candidates
    from the newest claims (no bitmap of every match, `bench.storage`); what it finds and the order are the
    same as the normal path's while there are fewer matches than candidates."""
    if backend != "postgres":
        pytest.skip("the broad-word path is PostgreSQL's; FTS5 ranks without a candidate cap")
    from bot.desk.triage_store import save_report
    from storage import search

    with session_factory() as session, session.begin():
        for n in range(3):
            save_report(session, make_report(f"more {n}"), editor, place, "text")
    with session_factory() as session, session.begin():
        session.execute(text("ANALYZE claims"))
    with session_factory() as session:
        assert session.execute(text(search._SHARE), {"words": "billion"}).scalar_one() >= search.BROAD
        assert session.execute(text(search._SHARE), {"words": "billion zeppelin"}).scalar_one() < 1e-6
        broad = search.search_claim_ids(session, "billion approved", limit=50)
        monkeypatch.setattr(search, "BROAD", 2.0)  # the normal path, whatever the statistics say
        assert search.search_claim_ids(session, "billion approved", limit=50) == broad
    assert len(broad) == 4  # the first claim of each of the four reports
