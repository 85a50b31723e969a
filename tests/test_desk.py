"""The desk through its front door (`Desk.run` / `Desk.click`), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from conftest import ARTICLE
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.desk.api import Actor, Place
from bot.desk.catalog import COMMANDS
from bot.desk.service import Desk
from bot.desk.triage_store import save_report
from bot.models import TriageReport
from bot.replies import Action, Visibility
from storage.models import Claim, Event

DISCORD_PLACE = Place(platform="discord", workspace="111", channel="222")


def events_of(db: Session, ref: str) -> list[Event]:
    return list(db.scalars(select(Event).where(Event.claim_id == int(ref[2:])).order_by(Event.id)))


def test_assign_is_public_with_one_line_and_one_event(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place, db: Session
) -> None:
    ref = stored.claims[1].id
    reply = desk.run(f"assign {ref} <@ULEO|leo> due fri", editor, place)
    assert not reply.error
    assert reply.visibility is Visibility.public
    assert reply.public_line == f"@maria assigned {ref} to @leo, due Fri 27 Nov 2026, end of day UTC"
    assert reply.thread_ref == stored.thread_ref
    assert reply.data["claim"]["assignee"] == "slack:ULEO"
    assert reply.data["claim"]["due_date"] == "2026-11-27" and reply.data["claim"]["status"] == "assigned"
    [event] = events_of(db, ref)
    assert (event.action, event.actor, event.before["status"], event.after["status"]) == (
        "claim.assigned",
        "slack:UMARIA",
        "new",
        "assigned",
    )


def test_reads_are_private_and_change_nothing(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place, db: Session
) -> None:
    before = db.scalar(select(func.count()).select_from(Event))
    for text in (
        "help",
        "list",
        f"show {stored.claims[0].id}",
        f"history {stored.claims[0].id}",
        "stats",
        f"show {stored.thread_ref}",
    ):
        reply = desk.run(text, editor, place)
        assert not reply.error, reply.title
        assert reply.visibility is Visibility.private and reply.public_line is None
        json.dumps(reply.data)  # machine-readable for --json
    assert db.scalar(select(func.count()).select_from(Event)) == before


def test_a_whole_check_from_new_to_done(
    desk: Desk, stored: TriageReport, editor: Actor, member: Actor, place: Place, db: Session
) -> None:
    ref = stored.claims[0].id
    assert desk.run(f"claim {ref}", member, place).public_line == f"@leo took {ref}"
    assert (
        desk.run(f"status {ref} in progress", member, place).public_line == f"@leo moved {ref} to in progress"
    )
    assert (
        desk.run(f'note {ref} "Called the mayor\'s office"', member, place).public_line
        == f"@leo added a note to {ref}: “Called the mayor's office”"
    )
    assert desk.run(f"status {ref} review", member, place).data["claim"]["status"] == "needs_review"
    done = desk.run(
        f'verdict {ref} mostly_false "The budget is $3.9bn: council minutes, p. 4"', editor, place
    )
    assert done.public_line == f"@maria ruled {ref} Mostly false"
    assert done.data["claim"] | {"status": "done", "verdict": "mostly_false"} == done.data["claim"]
    shown = desk.run(f"show {ref}", member, place)
    assert [n["text"] for n in shown.data["notes"]] == ["Called the mayor's office"]
    assert [h["action"] for h in shown.data["history"]] == [
        "claim.assigned",
        "claim.status",
        "claim.note",
        "claim.status",
        "claim.verdict",
    ]
    assert len(events_of(db, ref)) == 5
    listed = desk.run("list done", member, place)
    assert [c["ref"] for c in listed.data["claims"]] == [ref]
    assert ref not in [c["ref"] for c in desk.run("list", member, place).data["claims"]]


def test_members_are_told_who_may_do_editor_things(
    desk: Desk, stored: TriageReport, member: Actor, place: Place
) -> None:
    ref = stored.claims[0].id
    for text in (
        f"assign {ref} @ana",
        f'verdict {ref} false "x"',
        f'dismiss {ref} "dup"',
        f"retriage {stored.thread_ref}",
    ):
        reply = desk.run(text, member, place)
        assert reply.error and "Only editors can" in reply.title and "FACTDESK_EDITORS" in reply.title
        assert reply.data["exit_code"] == 2


def test_editor_rights_come_from_groups_roles_and_configuration(
    session_factory: Callable[[], Session],
    desk_settings: Settings,
    stored: TriageReport,
    place: Place,
    clock,
    make_report,
) -> None:
    settings = desk_settings.model_copy(
        update={"slack_editor_usergroup": "S0EDIT", "discord_editor_role": "Editors"}
    )
    desk = Desk(session_factory=session_factory, settings=settings, clock=clock)
    ref = stored.claims[0].id
    slack_editor = Actor(platform="slack", user_id="U9", display="sam", roles=["S0EDIT"])
    discord_editor = Actor(platform="discord", user_id="55", display="dee", roles=["Editors"])
    listed_editor = Actor(platform="discord", user_id="900", display="cfg")  # FACTDESK_EDITORS=discord:900
    wrong_group = Actor(platform="slack", user_id="U8", display="pat", roles=["Editors"])
    assert not desk.run(f"assign {ref} @a", slack_editor, place).error
    assert not desk.run(f"assign {ref} @c", listed_editor, place).error
    with session_factory() as session, session.begin():  # a Discord role rules claims of its own server
        on_discord = save_report(session, make_report("discord"), discord_editor, DISCORD_PLACE, ARTICLE)
    assert not desk.run(f"assign {on_discord.claims[0].id} @b", discord_editor, DISCORD_PLACE).error
    refused = desk.run(f"assign {ref} @d", wrong_group, place)
    assert refused.error and "members of the Slack user group S0EDIT" in refused.title


def test_claiming_respects_other_checkers_and_the_desk_setting(
    desk: Desk,
    stored: TriageReport,
    editor: Actor,
    member: Actor,
    other_member: Actor,
    place: Place,
    session_factory,
    desk_settings,
    clock,
) -> None:
    ref = stored.claims[0].id
    desk.run(f"claim {ref}", member, place)
    taken = desk.run(f"claim {ref}", other_member, place)
    assert taken.error and "already assigned to @leo" in taken.title
    assert "already yours" in desk.run(f"claim {ref}", member, place).title
    status = desk.run(f"status {ref} in_progress", other_member, place)
    assert status.error and "Only @leo" in status.title
    assert desk.run(f"unassign {ref}", member, place).public_line == f"@leo took {ref} off @leo"
    closed = Desk(
        session_factory=session_factory,
        settings=desk_settings.model_copy(update={"allow_self_assign": False}),
        clock=clock,
    )
    assert "turned off" in closed.run(f"claim {ref}", member, place).title
    assert not closed.run(f"claim {ref}", editor, place).error


def test_state_machine_refuses_what_makes_no_sense(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place
) -> None:
    ref = stored.claims[0].id
    assert "has no checker yet" in desk.run(f"status {ref} in_progress", editor, place).title
    assert "already open" in desk.run(f"reopen {ref}", editor, place).title
    desk.run(f'dismiss {ref} "duplicate of C-1"', editor, place)
    assert "reopen it before you assign it" in desk.run(f"assign {ref} @leo", editor, place).title
    assert (
        "reopen it before you give it a verdict" in desk.run(f'verdict {ref} false "x"', editor, place).title
    )
    reopened = desk.run(f"reopen {ref}", editor, place)
    assert reopened.data["claim"]["status"] == "new"


def test_unknown_refs_and_typos_are_sentences(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place
) -> None:
    assert (
        desk.run("show C-999999", editor, place).title
        == "⚠️ There is no claim C-999999; check the number on the card or try `list`."
    )
    assert desk.run("export T-999999", editor, place).title == "⚠️ There is no triage T-999999."
    assert "Did you mean `verdict`" in desk.run("verdikt C-1 false", editor, place).title


def test_lists_filter_by_person_channel_and_thread(
    desk: Desk, stored: TriageReport, make_report, editor: Actor, member: Actor, place: Place, session_factory
) -> None:
    from bot.desk.triage_store import save_report

    elsewhere = Place(platform="slack", workspace="T1", channel="COTHER", thread="1.2")
    with session_factory() as session, session.begin():
        second = save_report(session, make_report("b"), editor, elsewhere, "text")
    desk.run(f"assign {stored.claims[2].id} <@ULEO|leo> due tomorrow", editor, place)
    desk.run(f"assign {second.claims[0].id} <@ULEO|leo>", editor, place)
    mine = desk.run("list mine", member, place)
    assert [c["ref"] for c in mine.data["claims"]] == [
        stored.claims[2].id,
        second.claims[0].id,
    ]  # dated first
    assert [c["ref"] for c in desk.run("list <@ULEO>", editor, place).data["claims"]] == [
        stored.claims[2].id,
        second.claims[0].id,
    ]
    in_channel = desk.run("list in <#COTHER|other>", editor, place)
    assert {c["thread"] for c in in_channel.data["claims"]} == {second.thread_ref}
    assert {
        c["thread"] for c in desk.run(f"list thread {stored.thread_ref}", editor, place).data["claims"]
    } == {stored.thread_ref}
    assert "Nothing has been triaged in #nowhere" in desk.run("list in #nowhere", editor, place).title
    ordered = desk.run("list", editor, place).data["claims"]
    assert [c["thread"] for c in ordered][:3] == [second.thread_ref] * 3  # newest triage first, in rank order
    assert [c["ref"] for c in ordered][:3] == [c.id for c in second.claims]


def test_stats_count_open_overdue_and_done_per_checker(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place, clock
) -> None:
    first, second, third = (c.id for c in stored.claims)
    desk.run(f"assign {first} <@ULEO|leo> due tomorrow", editor, place)
    desk.run(f"assign {second} <@UANA|ana>", editor, place)
    desk.run(f'verdict {second} true "matches the ledger"', editor, place)
    clock.now += timedelta(days=3)
    stats = desk.run("stats 7d", editor, place).data
    assert (stats["open"], stats["overdue"], stats["done"], stats["unassigned"]) == (2, 1, 1, 1)
    assert stats["done_by_checker"] == [{"checker": "slack:UANA", "display": "ana", "done": 1}]
    assert stats["median_seconds_to_verdict"] is not None
    assert third  # the untouched claim is the unassigned open one


def test_buttons_reach_the_same_commands(
    desk: Desk, stored: TriageReport, editor: Actor, member: Actor, place: Place
) -> None:
    first, second, third = (c.id for c in stored.claims)
    assert desk.click(Action.assign_me, first, member, place).public_line == f"@leo took {first}"
    assigned = desk.click(
        Action.assign, second, editor, place, {"user": "UANA", "user_name": "ana", "due": "fri"}
    )
    assert assigned.public_line == f"@maria assigned {second} to @ana, due Fri 27 Nov 2026, end of day UTC"
    ruled = desk.click(
        Action.verdict, second, editor, place, {"verdict": "misleading", "explanation": "omits context"}
    )
    assert ruled.data["claim"]["verdict"] == "misleading"
    assert desk.click(Action.verdict, first, editor, place, {"verdict": "nonsense", "explanation": "x"}).error
    dismissed = desk.click(Action.dismiss, third, editor, place)
    assert dismissed.data["claim"]["dismiss_reason"].startswith("Not worth checking")
    card = desk.click(Action.show_all, stored.thread_ref, member, place)
    assert not card.error and [i.ref for s in card.sections for i in s.items if i.ref] == [
        c.id for c in stored.claims
    ]
    assert desk.click(Action.show_all, "C-1", member, place).error


def test_every_action_and_command_is_reachable(desk: Desk) -> None:
    specs = desk.commands()
    assert [s.name for s in specs] == [s.name for s in COMMANDS]
    assert {s.name for s in specs if s.editor_only} == {
        "assign",
        "verdict",
        "dismiss",
        "reopen",
        "retriage",
        "board",
    }
    assert all(s.usage.startswith(s.name) for s in specs)
    assert desk.verdict_choices()[0] == ("true", "True") and len(desk.verdict_choices()) == 7


def test_autocomplete_and_retriage(desk: Desk, stored: TriageReport, editor: Actor, place: Place) -> None:
    refs = [c.id for c in stored.claims]
    assert set(desk.complete_claim_refs("")) >= set(refs)
    first_digits = refs[0][2:]
    assert refs[0] in desk.complete_claim_refs(f"C-{first_digits}")
    assert desk.complete_claim_refs("C-x") == []
    again = desk.run(f"retriage {stored.thread_ref}", editor, place)
    assert not again.error, again.title
    assert again.data["thread_ref"] == stored.thread_ref and "re-ran" in again.public_line
    assert set(refs) <= {c["id"] for c in again.data["claims"]}  # kept; new finds are added


def test_claim_event_dedupes(desk: Desk) -> None:
    assert desk.claim_event("slack", "Ev42") is True
    assert desk.claim_event("slack", "Ev42") is False


def test_verdict_vocabulary_can_be_replaced(
    tmp_path, session_factory, desk_settings, stored: TriageReport, editor, place, clock
) -> None:
    path = tmp_path / "verdicts.json"
    path.write_text(
        json.dumps(
            {
                "best_rating": 3,
                "worst_rating": 1,
                "verdicts": [
                    {"value": "correct", "label": "Correct", "alternate_name": "Correct", "rating_value": 3},
                    {"value": "wrong", "label": "Wrong", "alternate_name": "Wrong", "rating_value": 1},
                ],
            }
        )
    )
    desk = Desk(
        session_factory=session_factory,
        settings=desk_settings.model_copy(update={"verdicts_file": path}),
        clock=clock,
    )
    assert desk.verdict_choices() == [("correct", "Correct"), ("wrong", "Wrong")]
    ref = stored.claims[0].id
    assert "Verdicts: correct, wrong" in desk.run(f'verdict {ref} false "x"', editor, place).title
    assert (
        desk.run(f'verdict {ref} wrong "ledger says otherwise"', editor, place).data["claim"]["verdict"]
        == "wrong"
    )


def test_a_broken_verdicts_file_names_the_setting(tmp_path, session_factory, desk_settings) -> None:
    from bot.errors import ConfigurationError

    path = tmp_path / "verdicts.json"
    path.write_text('[{"value": "Bad Value", "label": "x", "alternate_name": "x"}]')
    with pytest.raises(ConfigurationError, match="FACTDESK_VERDICTS_FILE"):
        Desk(
            session_factory=session_factory, settings=desk_settings.model_copy(update={"verdicts_file": path})
        )


def test_database_outage_is_a_sentence(desk_settings: Settings, editor: Actor, place: Place) -> None:
    from storage.db import make_engine, make_session_factory

    dead = make_session_factory(make_engine("postgresql+psycopg://nobody@127.0.0.1:9/none"))
    desk = Desk(session_factory=dead, settings=desk_settings)
    reply = desk.run("list", editor, place)
    assert reply.error and "database cannot be reached" in reply.title
    assert reply.data["exit_code"] == 3
    assert desk.complete_claim_refs("C-1") == []


def test_default_desk_refuses_an_outdated_schema(tmp_path, desk_settings: Settings) -> None:
    from bot.database import session_factory_for
    from bot.errors import StorageUnavailable
    from storage.db import make_engine, upgrade

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    upgrade(engine=engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0000'")
    session_factory_for.cache_clear()
    with pytest.raises(StorageUnavailable, match="factdesk db upgrade"):
        Desk(settings=desk_settings.model_copy(update={"database_url": url, "auto_migrate": False}))


def test_every_change_leaves_exactly_one_event(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place, db: Session
) -> None:
    ref = stored.claims[0].id
    commands = [
        f"assign {ref} @leo",
        f"status {ref} in_progress",
        f'note {ref} "n"',
        f"unassign {ref}",
        f"claim {ref}",
        f'verdict {ref} false "e"',
        f"reopen {ref}",
        f'dismiss {ref} "d"',
    ]
    for i, text in enumerate(commands, 1):
        assert not desk.run(text, editor, place).error, text
        assert len(events_of(db, ref)) == i
    versions = db.scalar(select(Claim.version).where(Claim.id == int(ref[2:])))
    assert versions == len(commands) + 1


def test_a_triage_history_says_which_claim_each_line_is_about(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place
) -> None:
    first, second, _ = (c.id for c in stored.claims)
    desk.run(f"assign {first} <@ULEO|leo>", editor, place)
    desk.run(f'note {second} "asked the ONS"', editor, place)
    items = desk.run(f"history {stored.thread_ref}", editor, place).sections[0].items
    assert [(i.ref, i.text) for i in items if i.ref] == [
        (first, "assigned to @leo"),
        (second, "note: asked the ONS"),
    ]
    assert [i.text for i in items if not i.ref] == ["triaged: 3 claims, 2 attributions"]
    assert all(i.ref is None for i in desk.run(f"history {first}", editor, place).sections[0].items)


def test_a_list_prints_its_heading_once(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place
) -> None:
    reply = desk.run("list", editor, place)
    assert reply.title == "Open claims" and [s.title for s in reply.sections] != [reply.title]
