"""Storage on SQLite and PostgreSQL: migrations, schema policy, the triage store, dedupe, the audit guard."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from conftest import ARTICLE
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from bot.desk import triage_store
from bot.desk.api import Actor, Place
from bot.models import TriageReport
from storage import db as storage_db
from storage import dedupe, llm, threads
from storage.audit import record
from storage.claims import claim_ids_starting_with
from storage.errors import AuditViolation, DatabaseUnreachable, SchemaOutOfDate
from storage.models import Claim, Event, ProcessedEvent, TriageThread


def test_migrations_match_the_models(engine: Engine) -> None:
    command.check(
        storage_db.alembic_config(engine=engine)
    )  # raises when autogenerate would find a difference
    assert storage_db.current_revision(engine) == storage_db.head_revision()


def test_empty_database_is_refused_with_a_sentence(tmp_path) -> None:
    engine = storage_db.make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(SchemaOutOfDate, match="run `factdesk db upgrade`"):
        storage_db.check_schema(engine)


def test_older_schema_is_refused_until_upgraded(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = storage_db.make_engine(url)
    storage_db.upgrade(engine=engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0000'")
    with pytest.raises(SchemaOutOfDate, match=r"at revision 0000 .* needs .*factdesk db upgrade"):
        storage_db.check_schema(engine)


def test_upgrade_from_a_url_twice_is_harmless(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    storage_db.upgrade(url)
    storage_db.upgrade(url)
    storage_db.open_database(url)  # no exception: schema current


def test_unreachable_server_is_a_sentence_not_a_traceback() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free port, nothing listening once closed
    engine = storage_db.make_engine(f"postgresql+psycopg://nobody:secret@127.0.0.1:{port}/none")
    with pytest.raises(DatabaseUnreachable) as info:
        storage_db.check_schema(engine)
    assert "cannot be reached" in str(info.value) and "secret" not in str(info.value)


def test_bad_url_is_a_sentence() -> None:
    with pytest.raises(DatabaseUnreachable, match="not a valid SQLAlchemy URL"):
        storage_db.make_engine("not a url")
    with pytest.raises(DatabaseUnreachable, match="not a valid SQLAlchemy URL") as info:
        storage_db.make_engine("postgresql+psycopg://nobody:secret@localhost:port/none")
    assert "secret" not in str(info.value)


# -- the triage store ------------------------------------------------------------------------------------


def test_saved_report_round_trips_with_desk_refs(
    db: Session, make_report, editor: Actor, place: Place
) -> None:
    report = make_report()
    saved = triage_store.save_report(db, report, editor, place, ARTICLE)
    assert saved.thread_ref is not None and saved.thread_ref.startswith("T-")
    assert [c.id for c in saved.claims] == [
        f"C-{row.id}" for row in db.scalars(select(Claim).order_by(Claim.position))
    ]
    for claim in saved.claims:
        assert ARTICLE[claim.start : claim.end] == claim.text
    assert [c.attribution_id for c in saved.claims] == [c.attribution_id for c in report.claims]  # links kept
    again = triage_store.find_existing(db, report.article.sha256, None)
    assert again is not None and again.already_triaged
    assert again.model_dump(exclude={"already_triaged"}) == saved.model_dump(exclude={"already_triaged"})
    thread = db.get(TriageThread, int(saved.thread_ref[2:]))
    assert (
        thread.article_text == ARTICLE and thread.triage_status == "done" and thread.created_by == editor.key
    )
    assert db.scalar(select(func.count()).select_from(Event).where(Event.action == "thread.triaged")) == 1


def test_existing_thread_is_found_by_canonical_url(
    db: Session, make_report, editor: Actor, place: Place
) -> None:
    saved = triage_store.save_report(
        db, make_report(url="https://www.harbour.example/news/budget/?utm_source=x"), editor, place, ARTICLE
    )
    found = triage_store.find_existing(db, "f" * 64, "https://harbour.example/news/budget")
    assert found is not None and found.thread_ref == saved.thread_ref
    assert triage_store.find_existing(db, "f" * 64, "https://harbour.example/other") is None


def test_saving_the_same_article_twice_returns_the_first(
    db: Session, make_report, editor: Actor, place: Place
) -> None:
    first = triage_store.save_report(db, make_report(), editor, place, ARTICLE)
    second = triage_store.save_report(db, make_report(), editor, place, ARTICLE)
    assert second.already_triaged and second.thread_ref == first.thread_ref
    assert db.scalar(select(func.count()).select_from(TriageThread)) == 1


def test_refs_are_unique_across_threads(db: Session, make_report, editor: Actor, place: Place) -> None:
    one = triage_store.save_report(db, make_report("one"), editor, place, ARTICLE)
    two = triage_store.save_report(db, make_report("two"), editor, place, ARTICLE)
    assert one.thread_ref != two.thread_ref
    refs = [c.id for c in one.claims + two.claims]
    assert len(set(refs)) == len(refs) == 6


def test_card_location_is_recorded_with_an_event(
    db: Session, make_report, editor: Actor, place: Place
) -> None:
    saved = triage_store.save_report(db, make_report(), editor, place, ARTICLE)
    posted = place.model_copy(update={"message": "1700000000.000200"})
    triage_store.set_card_message(db, saved.thread_ref, posted)
    assert triage_store.thread_location(db, saved.thread_ref) == posted
    assert triage_store.thread_location(db, "T-999999") is None
    assert db.scalar(select(Event.after).where(Event.action == "thread.card_posted")) == {
        "thread": place.thread,
        "card_message": "1700000000.000200",
    }


def test_times_come_back_timezone_aware(db: Session, make_report, editor: Actor, place: Place) -> None:
    saved = triage_store.save_report(db, make_report(), editor, place, ARTICLE)
    db.expire_all()
    thread = db.get(TriageThread, int(saved.thread_ref[2:]))
    assert thread.created_at.tzinfo is not None
    assert abs(thread.created_at - datetime.now(UTC)) < timedelta(minutes=5)


# -- the audit guard and optimistic locking --------------------------------------------------------------


def test_a_change_without_an_event_is_refused(db: Session, stored: TriageReport) -> None:
    claim = db.get(Claim, int(stored.claims[0].id[2:]))
    claim.status = "done"
    with pytest.raises(AuditViolation):
        db.flush()


def test_a_change_with_an_event_goes_through(db: Session, stored: TriageReport) -> None:
    claim = db.get(Claim, int(stored.claims[0].id[2:]))
    version = claim.version
    claim.status = "assigned"
    record(
        db,
        actor="slack:U1",
        action="claim.test",
        claim=claim,
        before={"status": "new"},
        after={"status": "assigned"},
    )
    db.flush()
    assert claim.version == version + 1


def test_events_are_append_only(db: Session, stored: TriageReport) -> None:
    event = db.scalars(select(Event)).first()
    event.action = "rewritten"
    with pytest.raises(AuditViolation):
        db.flush()
    db.rollback()
    db.delete(db.scalars(select(Event)).first())
    with pytest.raises(AuditViolation):
        db.flush()


def test_stale_version_is_refused(session_factory: Callable[[], Session], stored: TriageReport) -> None:
    claim_id = int(stored.claims[0].id[2:])
    first, second = session_factory(), session_factory()
    mine, theirs = first.get(Claim, claim_id), second.get(Claim, claim_id)
    theirs.status = "assigned"
    record(second, actor="slack:U2", action="claim.test", claim=theirs)
    second.commit()
    mine.status = "dismissed"
    record(first, actor="slack:U1", action="claim.test", claim=mine)
    with pytest.raises(StaleDataError):
        first.flush()
    first.rollback()


# -- dedupe, LLM cache, jobs, retention, lookups --------------------------------------------------------


def test_claim_event_is_true_once(db: Session) -> None:
    assert dedupe.claim_event(db, "slack", "Ev1") is True
    assert dedupe.claim_event(db, "slack", "Ev1") is False
    assert dedupe.claim_event(db, "discord", "Ev1") is True  # platforms have separate id spaces


def test_claim_event_holds_across_connections(engine: Engine) -> None:
    """Committed for real on two connections, as two bot processes would."""
    event_id = f"E-{uuid.uuid4()}"
    try:
        with Session(engine) as one, one.begin():
            assert dedupe.claim_event(one, "slack", event_id)
        with Session(engine) as two, two.begin():
            assert not dedupe.claim_event(two, "slack", event_id)
    finally:
        with Session(engine) as cleanup, cleanup.begin():
            cleanup.execute(delete(ProcessedEvent).where(ProcessedEvent.event_id == event_id))


def test_old_dedupe_rows_can_be_forgotten(db: Session) -> None:
    dedupe.claim_event(db, "slack", "old")
    assert dedupe.forget_events_before(db, datetime.now(UTC) + timedelta(seconds=1)) >= 1
    assert dedupe.claim_event(db, "slack", "old") is True


def test_llm_cache_and_call_log(db: Session) -> None:
    key = "a" * 64 + ":some-model:v3"
    assert llm.cache_get(db, key) is None
    llm.cache_put(db, key, '{"claims": []}')
    llm.cache_put(db, key, '{"claims": ["other"]}')  # the first answer stays
    assert llm.cache_get(db, key) == '{"claims": []}'
    call = llm.record_call(db, model="m", tokens_in=10, tokens_out=5, latency_ms=120, outcome="ok")
    db.flush()
    assert call.id is not None


def test_purge_drops_article_texts_but_keeps_the_work(db: Session, stored: TriageReport) -> None:
    events_before = db.scalar(select(func.count()).select_from(Event))
    purged = threads.purge_article_texts(
        db, finished_before=datetime.now(UTC) + timedelta(days=1), actor="cli:ops"
    )
    assert purged == 1
    thread = db.get(TriageThread, int(stored.thread_ref[2:]))
    db.refresh(thread)
    assert thread.article_text is None and thread.text_purged_at is not None
    assert len(thread.claims) == len(stored.claims)
    assert db.scalar(select(func.count()).select_from(Event)) == events_before + 1


def test_claim_id_prefix_lookup_uses_ranges(db: Session, make_report, editor: Actor, place: Place) -> None:
    for salt in range(4):
        triage_store.save_report(db, make_report(str(salt)), editor, place, ARTICLE)
    ids = sorted(db.scalars(select(Claim.id)))
    first = str(ids[0])
    expected = sorted((i for i in ids if str(i).startswith(first)), key=lambda i: (len(str(i)), i))
    assert claim_ids_starting_with(db, first) == expected
    assert claim_ids_starting_with(db, "x1") == []
