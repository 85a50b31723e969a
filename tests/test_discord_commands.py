"""`/factcheck` and the card's buttons on Discord, driven through discord.py's own dispatch with hand-made
gateway payloads; every REST call the bot makes is answered and recorded by `FakeDiscord`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.desk.api import Actor, Place
from bot.desk.refs import parse_ref
from bot.desk.service import Desk
from bot.desk.triage_store import save_report, set_card_message
from bot.models import TriageReport
from bot.observability.metrics import CHAT_API_ERRORS
from bot.replies import Action
from storage import models as rows
from tests import discord_payloads as dp
from tests.conftest import ARTICLE

EDITOR_ID = 940_000_000_000_000_001
MEMBER_ID = 940_000_000_000_000_002
CHECKER_ID = 940_000_000_000_000_003
THREAD_ID = 960_000_000_000_000_001
CARD_MESSAGE_ID = 960_000_000_000_000_002

EDITOR = dp.member(EDITOR_ID, "maria", roles=[dp.EDITOR_ROLE_ID])
MEMBER = dp.member(MEMBER_ID, "leo")
THREAD = dp.thread_channel(THREAD_ID, dp.CHANNEL_ID, "Triage: Harbour budget")
CHANNEL = dp.text_channel(dp.CHANNEL_ID, "desk")


@pytest.fixture
def discord_settings() -> Settings:
    return Settings(
        database_url="sqlite://",
        editors="",
        discord_editor_role=dp.EDITOR_ROLE_NAME,
        discord_channels=str(dp.CHANNEL_ID),
    )


@pytest.fixture
def discord_desk(session_factory: Callable[[], Session], discord_settings: Settings, clock: Any) -> Desk:
    return Desk(session_factory=session_factory, settings=discord_settings, clock=clock)


@pytest.fixture
def triaged(session_factory: Callable[[], Session], make_report: Callable[..., TriageReport]) -> TriageReport:
    """A triage whose card lives in a Discord thread."""
    actor = Actor(platform="discord", user_id=str(EDITOR_ID), display="maria")
    place = Place(
        platform="discord", workspace=str(dp.GUILD_ID), channel=str(dp.CHANNEL_ID), thread=str(THREAD_ID)
    )
    with session_factory() as session, session.begin():
        report = save_report(session, make_report(), actor, place, ARTICLE)
        set_card_message(
            session, report.thread_ref or "", place.model_copy(update={"message": str(CARD_MESSAGE_ID)})
        )
    return report


@pytest.fixture
def run(discord_settings: Settings, discord_desk: Desk):
    def start(scenario: Any, *, defer_after: float = 5.0) -> None:
        dp.run_bot(
            scenario,
            defer_after=defer_after,
            settings=discord_settings,
            desk=discord_desk,
        )

    return start


def claim_row(session_factory: Callable[[], Session], ref: str) -> rows.Claim:
    parsed = parse_ref(ref)
    assert parsed is not None
    with session_factory() as session:
        claim = session.get(rows.Claim, parsed.number)
        assert claim is not None
        session.expunge(claim)
        return claim


def events(session_factory: Callable[[], Session], ref: str) -> list[tuple[str, str]]:
    parsed = parse_ref(ref)
    assert parsed is not None
    with session_factory() as session:
        found = session.scalars(
            select(rows.Event).where(rows.Event.claim_id == parsed.number).order_by(rows.Event.id)
        )
        return [(e.action, e.actor) for e in found]


def card_message(ref: str, thread_ref: str | None = None) -> dict[str, Any]:
    """The card as Discord would send it back inside a component interaction."""
    from adapters.discord.embeds import render
    from bot.replies import Button, Item, Reply, Section

    buttons = [
        Button(label="Assign to me", action=Action.assign_me, value=ref, style="primary"),
        Button(label="Assign…", action=Action.assign, value=ref),
        Button(label="Set verdict…", action=Action.verdict, value=ref),
        Button(label="Dismiss", action=Action.dismiss, value=ref, style="danger"),
    ]
    more = [Button(label="Show all", action=Action.show_all, value=thread_ref)] if thread_ref else []
    rendered = render(
        Reply(
            title="card",
            sections=[Section(title="claims", items=[Item(ref=ref, text="x", buttons=buttons)])],
            buttons=more,
        )
    )
    from adapters.discord.views import view_for

    view = view_for(rendered[0].rows)
    assert view is not None
    components = dp._with_ids(view.to_components())
    return dp.message(
        THREAD_ID,
        "",
        author=dp.user(dp.BOT_USER_ID, "factdesk", bot=True),
        message_id=CARD_MESSAGE_ID,
        embeds=[e.to_dict() for e in rendered[0].embeds],
        components=components,
    )


def text_of(call: dp.Call) -> str:
    parts = [(call.payload or {}).get("content") or (call.payload or {}).get("data", {}).get("content") or ""]
    for embed in call.embeds:
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
    return "\n".join(p for p in parts if p)


# -- start-up ------------------------------------------------------------------------------------------------


def test_setup_hook_syncs_the_factcheck_group_globally(run):
    async def scenario(h: dp.Harness) -> None:
        (sync,) = h.fake.find("PUT", rf"/applications/{dp.APPLICATION_ID}/commands")
        (group,) = sync.payload
        assert group["name"] == "factcheck" and group["type"] == 1
        subcommands = {o["name"]: o for o in group["options"]}
        assert {"help", "list", "assign", "verdict", "dismiss", "export", "stats"} <= set(subcommands)
        assert all(len(o["description"]) <= 100 for o in subcommands.values())
        verdict_options = {o["name"]: o for o in subcommands["verdict"]["options"]}
        assert verdict_options["claim"]["autocomplete"] and verdict_options["verdict"]["autocomplete"]
        assert "default_member_permissions" in group

    run(scenario)


def test_setup_hook_syncs_to_the_test_guild_when_configured(discord_settings, discord_desk, session_factory):
    settings = discord_settings.model_copy(update={"discord_guild_id": dp.GUILD_ID})

    async def scenario(h: dp.Harness) -> None:
        assert h.fake.find("PUT", rf"/applications/{dp.APPLICATION_ID}/guilds/{dp.GUILD_ID}/commands")
        assert not h.fake.find("PUT", rf"/applications/{dp.APPLICATION_ID}/commands")

    dp.run_bot(scenario, settings=settings, desk=discord_desk)


def test_intents_are_only_what_the_bot_needs():
    from adapters.discord.bot import factdesk_intents

    intents = factdesk_intents()
    assert intents.guilds and intents.guild_messages and intents.message_content
    assert (
        not intents.members
        and not intents.presences
        and not intents.dm_messages
        and not intents.guild_reactions
    )


# -- slash commands -----------------------------------------------------------------------------------------


def test_member_claims_a_claim_privately_and_the_thread_gets_a_public_line(run, triaged, session_factory):
    ref = triaged.claims[0].id

    async def scenario(h: dp.Harness) -> None:
        await h.interact(dp.slash_command("factcheck", "claim", {"claim": ref}, who=MEMBER, channel=CHANNEL))
        (response,) = h.fake.find("POST", r"/interactions/\d+/[^/]+/callback")
        assert response.payload["type"] == 4 and response.ephemeral
        assert ref in text_of(response)
        (public,) = h.fake.find("POST", rf"/channels/{THREAD_ID}/messages")
        assert ref in public.payload["content"] and "leo" in public.payload["content"]

    run(scenario)
    claim = claim_row(session_factory, ref)
    assert claim.assignee == f"discord:{MEMBER_ID}" and claim.status == "assigned"
    assert events(session_factory, ref)[-1][1] == f"discord:{MEMBER_ID}"


def test_a_member_is_refused_a_verdict_and_nothing_changes(run, triaged, session_factory):
    ref = triaged.claims[0].id
    options = {"claim": ref, "verdict": "false", "explanation": "Budget papers say $3.9bn."}

    async def scenario(h: dp.Harness) -> None:
        await h.interact(dp.slash_command("factcheck", "verdict", options, who=MEMBER, channel=CHANNEL))
        (response,) = h.fake.find("POST", r"/interactions/\d+/[^/]+/callback")
        assert response.ephemeral
        assert "Only editors" in text_of(response) and dp.EDITOR_ROLE_NAME in text_of(response)
        assert not h.fake.find("POST", r"/channels/\d+/messages")

    run(scenario)
    assert claim_row(session_factory, ref).verdict is None


def test_an_editor_by_role_sets_a_verdict_with_a_quoted_explanation(run, triaged, session_factory):
    ref = triaged.claims[0].id
    explanation = 'The council\'s "final" papers say $3.9 billion, see https://harbour.example/budget.pdf'
    options = {"claim": ref, "verdict": "mostly_false", "explanation": explanation}

    async def scenario(h: dp.Harness) -> None:
        await h.interact(dp.slash_command("factcheck", "verdict", options, who=EDITOR, channel=THREAD))
        (response,) = h.fake.find("POST", r"/interactions/\d+/[^/]+/callback")
        assert response.ephemeral and "Only editors" not in text_of(response)
        (public,) = h.fake.find("POST", rf"/channels/{THREAD_ID}/messages")
        assert ref in public.payload["content"]

    run(scenario)
    claim = claim_row(session_factory, ref)
    assert (claim.verdict, claim.status, claim.explanation) == ("mostly_false", "done", explanation)


def test_assign_names_the_member_by_mention_and_reads_the_due_date(run, triaged, session_factory):
    ref = triaged.claims[1].id
    checker = dp.user(CHECKER_ID, "ana")
    resolved = {
        "users": {str(CHECKER_ID): checker},
        "members": {str(CHECKER_ID): {k: v for k, v in dp.member(CHECKER_ID, "ana").items() if k != "user"}},
    }
    options = {"claim": ref, "user": str(CHECKER_ID), "due": "2026-12-01"}

    async def scenario(h: dp.Harness) -> None:
        payload = dp.slash_command(
            "factcheck", "assign", options, who=EDITOR, channel=CHANNEL, resolved=resolved
        )
        payload["data"]["options"][0]["options"][1]["type"] = 6  # USER
        await h.interact(payload)
        (response,) = h.fake.find("POST", r"/interactions/\d+/[^/]+/callback")
        assert response.ephemeral

    run(scenario)
    claim = claim_row(session_factory, ref)
    assert claim.assignee == f"discord:{CHECKER_ID}" and str(claim.due_date) == "2026-12-01"


def test_unknown_claim_is_one_sentence_not_an_error(run, triaged):
    async def scenario(h: dp.Harness) -> None:
        await h.interact(
            dp.slash_command("factcheck", "show", {"ref": "C-999999"}, who=MEMBER, channel=CHANNEL)
        )
        (response,) = h.fake.find("POST", r"/interactions/\d+/[^/]+/callback")
        assert response.ephemeral and response.embeds[0]["title"].startswith("⚠️")
        assert "C-999999" in response.embeds[0]["title"]

    run(scenario)


def test_slow_commands_defer_then_follow_up(run, triaged):
    async def scenario(h: dp.Harness) -> None:
        await h.interact(dp.slash_command("factcheck", "list", {"scope": "all"}, who=MEMBER, channel=CHANNEL))
        callback, *rest = h.fake.interaction_replies()
        assert callback.path.endswith("/callback") and callback.payload["type"] == 5  # deferred, "thinking"
        assert callback.payload["data"]["flags"] & 64
        assert (
            rest and rest[0].method == "POST" and rest[0].path.startswith(f"/webhooks/{dp.APPLICATION_ID}/")
        )
        assert triaged.claims[0].id in text_of(rest[0])
        assert all(
            sum(len(e.get("description", "")) + len(e.get("title", "")) for e in c.embeds) <= 6000
            for c in rest
        )

    run(scenario, defer_after=0)


def test_autocomplete_offers_claim_refs_and_verdicts(run, triaged):
    ref = triaged.claims[0].id

    async def scenario(h: dp.Harness) -> None:
        typed = {"claim": ref[:-1], "verdict": "", "explanation": ""}
        await h.interact(
            dp.slash_command("factcheck", "verdict", typed, who=EDITOR, channel=CHANNEL, focused="claim")
        )
        typed = {"claim": ref, "verdict": "mostly", "explanation": ""}
        await h.interact(
            dp.slash_command("factcheck", "verdict", typed, who=EDITOR, channel=CHANNEL, focused="verdict")
        )
        claims, verdicts = h.fake.find("POST", r"/interactions/\d+/[^/]+/callback")
        assert claims.payload["type"] == verdicts.payload["type"] == 8
        assert ref in [c["value"] for c in claims.payload["data"]["choices"]]
        assert [c["value"] for c in verdicts.payload["data"]["choices"]] == ["mostly_true", "mostly_false"]

    run(scenario)


# -- the card's components ----------------------------------------------------------------------------------


def test_assign_to_me_works_on_a_card_posted_before_a_restart(run, triaged, session_factory):
    """Each test builds a fresh bot: nothing of the card's view is in memory, only the custom id."""
    ref = triaged.claims[0].id

    async def scenario(h: dp.Harness) -> None:
        assert not h.bot._connection._view_store._views, "no view is held in memory"
        click = dp.button_click(
            f"factdesk:claim.assign_me:{ref}", who=MEMBER, channel=THREAD, on=card_message(ref)
        )
        await h.interact(click)
        (response,) = h.fake.find("POST", r"/interactions/\d+/[^/]+/callback")
        assert response.ephemeral and ref in text_of(response)
        (public,) = h.fake.find("POST", rf"/channels/{THREAD_ID}/messages")
        assert ref in public.payload["content"] and public.payload["allowed_mentions"]["parse"] == []

    run(scenario)
    assert claim_row(session_factory, ref).assignee == f"discord:{MEMBER_ID}"


CARD_EDIT = rf"/channels/{THREAD_ID}/messages/{CARD_MESSAGE_ID}"


def claim_line(call: dp.Call, ref: str) -> str:
    """The line of claim `ref` in the card's embeds."""
    lines = [line for e in call.embeds for line in (e.get("description") or "").splitlines()]
    (line,) = [line for line in lines if line.startswith(f"`{ref}`")]
    return line


def test_assign_to_me_edits_the_card_in_place(run, triaged, session_factory):
    ref, others = triaged.claims[0].id, [c.id for c in triaged.claims[1:]]

    async def scenario(h: dp.Harness) -> None:
        click = dp.button_click(
            f"factdesk:claim.assign_me:{ref}", who=MEMBER, channel=THREAD, on=card_message(ref)
        )
        await h.interact(click)
        (edit,) = h.fake.find("PATCH", CARD_EDIT)
        assert "👤 assigned · @leo" in claim_line(edit, ref)
        assert f"factdesk:claim.assign_me:{ref}" not in edit.custom_ids
        assert f"factdesk:claim.assign:{ref}" in edit.custom_ids
        assert all(f"factdesk:claim.assign_me:{other}" in edit.custom_ids for other in others)
        (public,) = h.fake.find("POST", rf"/channels/{THREAD_ID}/messages")  # the one line is kept
        assert ref in public.payload["content"]

    run(scenario)


def test_a_dismissal_by_slash_command_leaves_the_claim_without_buttons_on_the_card(
    run, triaged, session_factory
):
    ref = triaged.claims[2].id
    options = {"claim": ref, "reason": "A forecast, not a fact."}

    async def scenario(h: dp.Harness) -> None:
        await h.interact(dp.slash_command("factcheck", "dismiss", options, who=EDITOR, channel=CHANNEL))
        (edit,) = h.fake.find("PATCH", CARD_EDIT)
        assert "🚫 dismissed" in claim_line(edit, ref)
        assert not [cid for cid in edit.custom_ids if cid.endswith(f":{ref}")]
        assert [cid for cid in edit.custom_ids if cid.endswith(f":{triaged.claims[0].id}")]

    run(scenario)


def test_a_refused_card_edit_does_not_fail_the_change(run, triaged, session_factory):
    ref = triaged.claims[0].id
    errors = CHAT_API_ERRORS.labels(platform="discord")
    before = errors._value.get()

    async def scenario(h: dp.Harness) -> None:
        h.fake.fail[f"PATCH {CARD_EDIT}"] = 403
        await h.interact(dp.slash_command("factcheck", "claim", {"claim": ref}, who=MEMBER, channel=CHANNEL))
        (response,) = h.fake.find("POST", r"/interactions/\d+/[^/]+/callback")
        assert "Only" not in text_of(response) and ref in text_of(response)
        assert h.fake.find("POST", rf"/channels/{THREAD_ID}/messages")

    run(scenario)
    assert claim_row(session_factory, ref).assignee == f"discord:{MEMBER_ID}"
    assert errors._value.get() == before + 1


def test_set_verdict_is_a_menu_then_a_modal_then_a_stored_verdict(run, triaged, session_factory):
    ref = triaged.claims[0].id

    async def scenario(h: dp.Harness) -> None:
        await h.interact(
            dp.button_click(f"factdesk:claim.verdict:{ref}", who=EDITOR, channel=THREAD, on=card_message(ref))
        )
        (menu,) = h.fake.find("POST", r"/interactions/\d+/[^/]+/callback")
        assert menu.ephemeral and menu.custom_ids == [f"factdesk-pick:verdict:{ref}"]
        (select,) = [c for c in dp.walk_components(menu.components) if c.get("type") == 3]
        assert [o["value"] for o in select["options"]][:2] == ["true", "mostly_true"]

        picker_message = h.fake.messages[max(h.fake.messages)]
        choice = dp.select_choice(
            f"factdesk-pick:verdict:{ref}", ["false"], who=EDITOR, channel=THREAD, on=picker_message
        )
        await h.interact(choice)
        modal = h.fake.find("POST", r"/interactions/\d+/[^/]+/callback")[-1]
        assert modal.payload["type"] == 9
        modal_id = modal.payload["data"]["custom_id"]
        assert modal_id == f"factdesk-modal:claim.verdict:{ref}:false"
        assert len(modal.payload["data"]["title"]) <= 45

        await h.interact(
            dp.modal_submit(modal_id, {"text": "Budget papers: $3.9bn."}, who=EDITOR, channel=THREAD)
        )
        done = h.fake.find("POST", r"/interactions/\d+/[^/]+/callback")[-1]
        assert done.ephemeral and ref in text_of(done)

    run(scenario)
    claim = claim_row(session_factory, ref)
    assert (claim.verdict, claim.explanation) == ("false", "Budget papers: $3.9bn.")


def test_dismiss_asks_for_a_reason(run, triaged, session_factory):
    ref = triaged.claims[2].id

    async def scenario(h: dp.Harness) -> None:
        await h.interact(
            dp.button_click(f"factdesk:claim.dismiss:{ref}", who=EDITOR, channel=THREAD, on=card_message(ref))
        )
        (modal,) = h.fake.find("POST", r"/interactions/\d+/[^/]+/callback")
        assert modal.payload["type"] == 9
        await h.interact(
            dp.modal_submit(
                modal.payload["data"]["custom_id"], {"text": "A forecast."}, who=EDITOR, channel=THREAD
            )
        )

    run(scenario)
    claim = claim_row(session_factory, ref)
    assert (claim.status, claim.dismiss_reason) == ("dismissed", "A forecast.")


async def assign_by_button(h: dp.Harness, ref: str, due: str) -> dp.Call:
    """Click "Assign…", pick the checker, answer the due-date modal with `due`; the modal's callback call."""
    await h.interact(
        dp.button_click(f"factdesk:claim.assign:{ref}", who=EDITOR, channel=THREAD, on=card_message(ref))
    )
    (menu,) = h.fake.find("POST", r"/interactions/\d+/[^/]+/callback")
    (picker,) = [c for c in dp.walk_components(menu.components) if c.get("custom_id")]
    assert picker["type"] == 5 and picker["custom_id"] == f"factdesk-pick:assignee:{ref}"  # USER_SELECT
    resolved = {"users": {str(CHECKER_ID): dp.user(CHECKER_ID, "ana")}}
    choice = dp.select_choice(
        picker["custom_id"], [str(CHECKER_ID)], who=EDITOR, channel=THREAD,
        on=h.fake.messages[max(h.fake.messages)], component_type=5, resolved=resolved,
    )  # fmt: skip
    await h.interact(choice)
    modal = h.fake.find("POST", r"/interactions/\d+/[^/]+/callback")[-1]
    assert modal.payload["type"] == 9  # MODAL
    assert modal.payload["data"]["custom_id"] == f"factdesk-modal:claim.assign:{ref}:{CHECKER_ID}"
    assert len(modal.payload["data"]["title"]) <= 45
    (due_input,) = [c for c in dp.walk_components(modal.components) if c.get("custom_id") == "due"]
    assert due_input["required"] is False
    await h.interact(
        dp.modal_submit(modal.payload["data"]["custom_id"], {"due": due}, who=EDITOR, channel=THREAD)
    )
    return h.fake.find("POST", r"/interactions/\d+/[^/]+/callback")[-1]


def test_assign_button_offers_a_member_picker_then_an_optional_due_date(run, triaged, session_factory):
    ref = triaged.claims[1].id

    async def scenario(h: dp.Harness) -> None:
        done = await assign_by_button(h, ref, "")
        assert done.ephemeral and ref in text_of(done)

    run(scenario)
    claim = claim_row(session_factory, ref)
    assert claim.assignee == f"discord:{CHECKER_ID}" and claim.due_date is None


def test_assign_button_stores_the_due_date_typed_in_the_modal(run, triaged, session_factory):
    ref = triaged.claims[1].id

    async def scenario(h: dp.Harness) -> None:
        done = await assign_by_button(h, ref, "2026-12-01")
        assert done.ephemeral and "Only editors" not in text_of(done)
        (public,) = h.fake.find("POST", rf"/channels/{THREAD_ID}/messages")
        assert ref in public.payload["content"] and "due" in public.payload["content"]

    run(scenario)
    claim = claim_row(session_factory, ref)
    assert claim.assignee == f"discord:{CHECKER_ID}" and str(claim.due_date) == "2026-12-01"


def test_a_due_date_the_desk_cannot_read_is_one_sentence_and_nothing_changes(run, triaged, session_factory):
    ref = triaged.claims[1].id

    async def scenario(h: dp.Harness) -> None:
        done = await assign_by_button(h, ref, "someday")
        assert done.ephemeral and "⚠️" in text_of(done)

    run(scenario)
    assert claim_row(session_factory, ref).assignee is None


FILLED_IN = {
    "claim.assign": {"user": str(CHECKER_ID)},
    "claim.verdict": {"verdict": "false", "explanation": "Budget papers: $3.9bn."},
    "claim.dismiss": {"reason": "A forecast."},
}


@pytest.mark.parametrize("action", list(FILLED_IN))
def test_a_member_is_refused_editor_buttons_before_any_form_opens(
    action, run, triaged, session_factory, discord_desk
):
    ref = triaged.claims[0].id
    before = claim_row(session_factory, ref)
    member = Actor(platform="discord", user_id=str(MEMBER_ID), display="leo")
    place = Place(platform="discord", workspace=str(dp.GUILD_ID), channel=str(dp.CHANNEL_ID))
    # What the desk itself answers to the same member once the form is filled in.
    desk_refusal = discord_desk.click(Action(action), ref, member, place, FILLED_IN[action]).title

    async def scenario(h: dp.Harness) -> None:
        await h.interact(
            dp.button_click(f"factdesk:{action}:{ref}", who=MEMBER, channel=THREAD, on=card_message(ref))
        )
        (response,) = h.fake.find("POST", r"/interactions/\d+/[^/]+/callback")
        assert response.payload["type"] == 4  # CHANNEL_MESSAGE_WITH_SOURCE, not 9 (MODAL)
        assert response.ephemeral and not response.custom_ids  # no picker either
        assert "Only editors" in desk_refusal and text_of(response) == desk_refusal
        assert not h.fake.find("POST", r"/channels/\d+/messages")

    run(scenario)
    after = claim_row(session_factory, ref)
    assert (after.assignee, after.verdict, after.status) == (before.assignee, before.verdict, before.status)


def test_readme_invite_link_has_exactly_the_permissions_the_bot_uses():
    from pathlib import Path

    import discord

    from adapters.discord.bot import INVITE_PERMISSIONS, invite_url

    readme = (Path(__file__).resolve().parents[1] / "adapters" / "discord" / "README.md").read_text()
    assert f"permissions={INVITE_PERMISSIONS.value}" in readme
    assert "scope=bot+applications.commands" in readme and "scope=bot+applications.commands" in invite_url(1)
    granted = {name for name, on in INVITE_PERMISSIONS if on}
    assert granted == {
        "read_messages", "send_messages", "send_messages_in_threads", "create_public_threads", "embed_links",
        "add_reactions", "read_message_history",
    }  # fmt: skip
    assert not discord.Permissions(manage_messages=True) <= INVITE_PERMISSIONS


def test_slow_show_all_defers_then_follows_up_privately(run, triaged):
    on = card_message(triaged.claims[0].id, triaged.thread_ref)
    click = dp.button_click(f"factdesk:card.show_all:{triaged.thread_ref}", who=MEMBER, channel=THREAD, on=on)

    async def scenario(h: dp.Harness) -> None:
        await h.interact(click)
        callback, *cards = h.fake.interaction_replies()
        assert callback.payload["type"] == 5 and callback.ephemeral
        assert cards and all(c.method == "POST" and c.ephemeral for c in cards)
        assert cards[0].embeds[0]["title"].startswith(f"🧭 Triage {triaged.thread_ref}")

    run(scenario, defer_after=0)


class PublicShowAllDesk(Desk):
    """A desk whose full card is shared with the thread, to exercise the adapter's public follow-up path."""

    def click(self, *args: Any, **kwargs: Any) -> Any:
        return super().click(*args, **kwargs).model_copy(update={"visibility": "public"})


def test_a_slow_public_answer_closes_the_private_thinking_line_and_posts_publicly(
    triaged, discord_settings, session_factory, clock
):
    desk = PublicShowAllDesk(session_factory=session_factory, settings=discord_settings, clock=clock)
    on = card_message(triaged.claims[0].id, triaged.thread_ref)
    click = dp.button_click(f"factdesk:card.show_all:{triaged.thread_ref}", who=MEMBER, channel=THREAD, on=on)

    async def scenario(h: dp.Harness) -> None:
        await h.interact(click)
        callback, closing, *cards = h.fake.interaction_replies()
        assert callback.payload["type"] == 5 and callback.ephemeral
        assert closing.method == "PATCH" and closing.path.endswith("/messages/@original")
        assert closing.payload["content"] == "✅ Posted below."
        assert cards and not any(c.ephemeral for c in cards)
        assert cards[0].embeds[0]["title"].startswith(f"🧭 Triage {triaged.thread_ref}")

    dp.run_bot(scenario, defer_after=0, settings=discord_settings, desk=desk)
