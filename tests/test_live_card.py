"""The live card in the core: stored claims carry their desk state, the card shows it and offers only the
actions that still apply, and every change the card shows is handed to the card's platform to edit in place."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from bot.desk import publishers as publish
from bot.desk.api import Actor, Place
from bot.desk.service import Desk
from bot.desk.triage_store import load_report, set_card_message
from bot.models import ClaimDesk, DeskStatus, TriageReport
from bot.observability.metrics import CHAT_API_ERRORS
from bot.render.card import render_card
from bot.replies import Action, Item, Reply

WEDNESDAY = date(2026, 11, 25)
CARD_TS = "1700000000.000200"


def claim_items(reply: Reply) -> dict[str, Item]:
    (claims,) = [s for s in reply.sections if s.title.startswith("🔎")]
    return {item.ref or "": item for item in claims.items}


def actions(item: Item) -> list[Action]:
    return [b.action for b in item.buttons]


def with_desk(report: TriageReport, states: list[ClaimDesk]) -> TriageReport:
    claims = [c.model_copy(update={"desk": d}) for c, d in zip(report.claims, states, strict=True)]
    return report.model_copy(update={"claims": claims})


# -- rendering ---------------------------------------------------------------------------------------------


def test_card_shows_each_claims_desk_state_and_only_the_actions_that_apply(stored: TriageReport) -> None:
    states = [
        ClaimDesk(status=DeskStatus.assigned, assignee="leo", due=date(2026, 11, 27)),
        ClaimDesk(status=DeskStatus.done, assignee="leo", verdict="mostly_false"),
        ClaimDesk(status=DeskStatus.dismissed),
    ]
    report = with_desk(stored, states)
    items = claim_items(render_card(report, today=WEDNESDAY))
    assigned, done, dismissed = (items[c.id] for c in report.claims)

    assert assigned.meta is not None and assigned.meta.startswith("👤 assigned · @leo · due Fri · ")
    assert actions(assigned) == [Action.assign, Action.verdict, Action.dismiss]
    assert done.meta is not None and done.meta.startswith("✅ verdict: mostly false · ")
    assert actions(done) == [Action.verdict]
    assert dismissed.meta is not None and dismissed.meta.startswith("🚫 dismissed · ")
    assert actions(dismissed) == []


def test_new_claims_keep_the_plain_line_and_every_action(stored: TriageReport) -> None:
    fresh = render_card(stored, today=WEDNESDAY)
    untouched = with_desk(stored, [ClaimDesk() for _ in stored.claims])
    assert render_card(untouched, today=WEDNESDAY).sections == fresh.sections
    first = claim_items(fresh)[stored.claims[0].id]
    assert actions(first) == [Action.assign_me, Action.assign, Action.verdict, Action.dismiss]
    assert first.meta is not None and first.meta.startswith("assign first (90%) · statistic")


def test_an_overdue_check_says_so(stored: TriageReport) -> None:
    late = ClaimDesk(status=DeskStatus.in_progress, assignee="ana", due=date(2026, 11, 20))
    report = with_desk(stored, [late, ClaimDesk(), ClaimDesk()])
    meta = claim_items(render_card(report, today=WEDNESDAY))[stored.claims[0].id].meta or ""
    assert meta.startswith("👤 in progress · @ana · due 20 Nov (overdue)")


# -- the stored report -------------------------------------------------------------------------------------


def test_report_of_carries_the_desk_state_of_every_claim(
    desk: Desk, stored: TriageReport, editor: Actor, member: Actor, place: Place, db: Session
) -> None:
    first, second, third = (c.id for c in stored.claims)
    assert all(c.desk == ClaimDesk() for c in stored.claims)  # a fresh triage: every claim is new

    assert not desk.run(f"assign {first} <@ULEO|leo> due fri", editor, place).error
    assert not desk.run(f'verdict {second} false "The budget papers say $3.9bn."', editor, place).error
    assert not desk.run(f'dismiss {third} "A forecast."', editor, place).error

    report = load_report(db, stored.thread_ref or "")
    assert report is not None
    assert [c.desk for c in report.claims] == [
        ClaimDesk(status=DeskStatus.assigned, assignee="leo", due=date(2026, 11, 27)),
        ClaimDesk(status=DeskStatus.done, verdict="false"),
        ClaimDesk(status=DeskStatus.dismissed),
    ]
    as_json = report.model_dump(mode="json")["claims"][0]["desk"]
    assert as_json == {"status": "assigned", "assignee": "leo", "due": "2026-11-27", "verdict": None}

    desk.run(f"reopen {second}", editor, place)
    reopened = load_report(db, stored.thread_ref or "")
    assert reopened is not None and reopened.claims[1].desk == ClaimDesk(status=DeskStatus.new)


# -- refreshing the posted card ----------------------------------------------------------------------------


@pytest.fixture
def posted(stored: TriageReport, session_factory: Callable[[], Session], place: Place) -> TriageReport:
    """The stored triage with its card posted in the thread (as a publisher records it)."""
    with session_factory() as session, session.begin():
        set_card_message(session, stored.thread_ref or "", place.model_copy(update={"message": CARD_TS}))
    return stored


@pytest.fixture
def refreshed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Place, Reply]]:
    """Cards the desk asked the (test) Slack refresher to edit."""
    calls: list[tuple[Place, Reply]] = []
    monkeypatch.setitem(publish._refreshers, "slack", lambda where, card: calls.append((where, card)))
    return calls


def test_every_change_the_card_shows_refreshes_it_in_place(
    desk: Desk,
    posted: TriageReport,
    editor: Actor,
    member: Actor,
    place: Place,
    refreshed: list[tuple[Place, Reply]],
) -> None:
    ref = posted.claims[0].id
    elsewhere = Place(platform="slack", workspace="T1", channel="COTHER")
    for actor, line in [
        (member, f"claim {ref}"),
        (member, f"status {ref} in_progress"),
        (editor, f"unassign {ref}"),
        (editor, f"assign {ref} <@ULEO|leo> due fri"),
        (editor, f'verdict {ref} false "The budget papers say $3.9bn."'),
        (editor, f"reopen {ref}"),
        (editor, f'dismiss {ref} "A forecast."'),
    ]:
        reply = desk.run(line, actor, elsewhere)
        assert not reply.error and reply.public_line, line
    assert len(refreshed) == 7
    where, card = refreshed[-1]
    assert (where.channel, where.thread, where.message) == (place.channel, place.thread, CARD_TS)
    assert card.thread_ref == posted.thread_ref
    item = claim_items(card)[ref]
    assert (item.meta or "").startswith("🚫 dismissed") and not item.buttons
    ruled = claim_items(refreshed[4][1])[ref]  # after the verdict
    assert (ruled.meta or "").startswith("✅ verdict: false") and actions(ruled) == [Action.verdict]


def test_a_button_click_refreshes_the_card_and_a_note_does_not(
    desk: Desk,
    posted: TriageReport,
    member: Actor,
    place: Place,
    refreshed: list[tuple[Place, Reply]],
) -> None:
    ref = posted.claims[1].id
    assert not desk.click(Action.assign_me, ref, member, place).error
    (_, card) = refreshed[0]
    item = claim_items(card)[ref]
    assert (item.meta or "").startswith("👤 assigned · @leo") and Action.assign_me not in actions(item)
    assert not desk.run(f'note {ref} "Called the council press office."', member, place).error
    assert len(refreshed) == 1


def test_a_failed_refresh_is_counted_and_never_fails_the_change(
    desk: Desk, posted: TriageReport, member: Actor, place: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(where: Place, card: Reply) -> None:
        raise ConnectionError("chat API down")

    monkeypatch.setitem(publish._refreshers, "slack", broken)
    errors = CHAT_API_ERRORS.labels(platform="slack")
    before = errors._value.get()
    reply = desk.run(f"claim {posted.claims[0].id}", member, place)
    assert not reply.error and reply.public_line
    assert errors._value.get() == before + 1


def test_no_refresh_while_the_card_is_not_posted(
    desk: Desk, stored: TriageReport, member: Actor, place: Place, refreshed: list[tuple[Place, Reply]]
) -> None:
    assert not desk.run(f"claim {stored.claims[0].id}", member, place).error
    assert refreshed == []  # no card message recorded: nothing to edit


def test_the_card_and_the_desks_own_reply_show_one_state_and_offer_one_set_of_buttons(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place, session_factory: Callable[[], Session]
) -> None:
    """One rule (`bot.render.claim_state`): after each change, `show C-n` (what Slack, Discord and the
    terminal render for a claim) and the refreshed card agree on where the claim stands and what it offers."""
    ref = stored.claims[0].id
    for line in (
        None,
        f"assign {ref} <@ULEO|leo> due fri",
        f"status {ref} in_progress",
        f'verdict {ref} mostly_false "The budget papers say $3.9bn."',
        f"reopen {ref}",
        f'dismiss {ref} "A forecast."',
    ):
        if line is not None:
            assert not desk.run(line, editor, place).error, line
        shown = desk.run(f"show {ref}", editor, place)
        (status,) = [f.value for f in shown.fields if f.label == "Status"]
        with session_factory() as session:
            report = load_report(session, stored.thread_ref or "")
        assert report is not None
        item = claim_items(render_card(report, today=WEDNESDAY))[ref]
        card_state = (item.meta or "").split(" · ")
        if status == "new":
            assert not card_state[0].startswith(("👤", "✅", "🚫")), line
        else:  # the same phrase, marked; the card words a verdict by its value (it has no scale's label)
            phrase = status.split(" · due ")[0].lower()
            assert (item.meta or "")[2:].lower().startswith(phrase), (line, status, item.meta)
        assert shown.buttons == item.buttons, line
