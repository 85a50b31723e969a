"""One domain ↔ row mapping for a triage's findings (`bot.desk.row_mapping`): every domain field is mapped
or named as not stored, every row column is mapped or the desk's own, and a report survives the round trip
through the database on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from bot.desk.api import Actor, Place
from bot.desk.row_mapping import ATTRIBUTIONS, CLAIMS, NAMES, Columns
from bot.desk.triage_store import load_report, save_report
from bot.models import ModelView, Origin, TriageReport

# Row columns the findings do not come from: keys, the thread, and the desk's workflow on a claim.
ROW_ONLY = {"id", "thread_id"}
CLAIM_WORKFLOW = {
    "position", "attribution_id", "status", "verdict", "explanation", "dismiss_reason", "assignee",
    "assignee_display", "due_at", "created_at", "updated_at", "verdict_at", "seconds_to_verdict", "version",
}  # fmt: skip


@pytest.mark.parametrize("mapping", [CLAIMS, ATTRIBUTIONS, NAMES], ids=["claims", "attributions", "names"])
def test_every_field_and_column_is_mapped_once_or_named(mapping: Columns) -> None:
    fields = set(mapping.domain.model_fields)
    assert set(mapping.columns) | mapping.not_stored == fields
    assert not set(mapping.columns) & mapping.not_stored
    columns = {c.key for c in mapping.row.__table__.columns}
    extra = ROW_ONLY | (CLAIM_WORKFLOW if mapping is CLAIMS else set())
    assert set(mapping.columns.values()) | extra == columns
    assert len(set(mapping.columns.values())) == len(mapping.columns)


def test_a_report_comes_back_from_the_database_as_it_went_in(
    session_factory: Callable[[], Session], make_report: Callable[..., TriageReport]
) -> None:
    report = make_report("round trip")
    report.claims[0].origin = Origin.llm
    report.claims[0].signals = ["number", "named source"]
    report.attributions[0].country = "Russia"
    report.claims[0].field_origins = {"checkworthiness": Origin.llm, "kind": Origin.llm}
    report.attributions[0].model_view = ModelView.questioned
    actor = Actor(platform="cli", user_id="op", display="op")
    with session_factory() as session, session.begin():
        stored = save_report(session, report, actor, Place(platform="cli", channel="terminal"), "text")
    with session_factory() as session:
        again = load_report(session, stored.thread_ref or "")
    assert again is not None

    def kept(item, mapping: Columns) -> dict:
        return item.model_dump(exclude=mapping.not_stored)

    assert [kept(c, CLAIMS) for c in again.claims] == [kept(c, CLAIMS) for c in report.claims]
    assert [c.attribution_id for c in again.claims] == [c.attribution_id for c in report.claims]
    assert all(re.fullmatch(r"C-\d+", c.id) for c in again.claims)  # the desk's refs, not the report's ids
    assert [kept(a, ATTRIBUTIONS) for a in again.attributions] == [
        kept(a, ATTRIBUTIONS) for a in sorted(report.attributions, key=lambda a: a.start)
    ]
    assert [kept(n, NAMES) for n in again.names] == [kept(n, NAMES) for n in report.names]
