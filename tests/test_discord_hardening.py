"""Hostile members and hostile article text on Discord (issue 15), through discord.py's own dispatch with
hand-made gateway payloads against `FakeDiscord`: editor rights do not cross servers, and article text
cannot smuggle markdown, masked links or mentions into an embed."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.desk.api import Actor, Place
from bot.desk.service import Desk
from bot.desk.triage_store import save_report
from bot.models import TriageReport
from storage import models as rows
from tests import discord_payloads as dp
from tests.conftest import ARTICLE

OTHER_GUILD_ID = 911_000_000_000_000_001
OTHER_CHANNEL_ID = 921_000_000_000_000_001
LOOKALIKE_ROLE_ID = 931_000_000_000_000_001  # another server's role named exactly like the editors' role
EDITOR_ID = 941_000_000_000_000_001
STRANGER_ID = 941_000_000_000_000_002

HOME_CHANNEL = dp.text_channel(dp.CHANNEL_ID, "desk")
OTHER_CHANNEL = dp.text_channel(OTHER_CHANNEL_ID, "elsewhere", guild_id=OTHER_GUILD_ID)
EDITOR = dp.member(EDITOR_ID, "maria", roles=[dp.EDITOR_ROLE_ID])
STRANGER = dp.member(STRANGER_ID, "mallory", roles=[LOOKALIKE_ROLE_ID])


def settings_with(role: str) -> Settings:
    return Settings(database_url="sqlite://", editors="", discord_editor_role=role)


@pytest.fixture
def triaged(session_factory: Callable[[], Session], make_report: Callable[..., TriageReport]) -> TriageReport:
    """A triage made in the newsroom's own server."""
    actor = Actor(platform="discord", user_id=str(EDITOR_ID), display="maria")
    place = Place(platform="discord", workspace=str(dp.GUILD_ID), channel=str(dp.CHANNEL_ID))
    with session_factory() as session, session.begin():
        return save_report(session, make_report(), actor, place, ARTICLE)


def run(scenario: Any, settings: Settings, session_factory: Callable[[], Session], clock: Any) -> None:
    async def with_other_server(h: dp.Harness) -> None:
        h.bot._connection._add_guild_from_data(
            dp.guild(
                OTHER_GUILD_ID,
                channels=[OTHER_CHANNEL],
                roles=[dp.role(LOOKALIKE_ROLE_ID, dp.EDITOR_ROLE_NAME)],
            )
        )
        await scenario(h)

    desk = Desk(session_factory=session_factory, settings=settings, clock=clock)
    dp.run_bot(with_other_server, settings=settings, desk=desk)


def verdict(session_factory: Callable[[], Session], ref: str) -> str | None:
    with session_factory() as session:
        claim = session.get(rows.Claim, int(ref[2:]))
        assert claim is not None
        return claim.verdict


@pytest.mark.parametrize("configured", ["name", "id"])
def test_a_lookalike_role_in_another_server_rules_nothing_here(
    configured, triaged, session_factory, clock
) -> None:
    ref = triaged.claims[0].id
    role = dp.EDITOR_ROLE_NAME if configured == "name" else str(dp.EDITOR_ROLE_ID)
    options = {"claim": ref, "verdict": "true", "explanation": "Trust me."}

    async def scenario(h: dp.Harness) -> None:
        await h.interact(
            dp.slash_command("factcheck", "verdict", options, who=STRANGER, channel=OTHER_CHANNEL)
        )
        (response,) = h.fake.find("POST", r"/interactions/\d+/[^/]+/callback")
        assert response.ephemeral and "Only editors" in str(response.payload)
        assert not h.fake.find("POST", r"/channels/\d+/messages")

    run(scenario, settings_with(role), session_factory, clock)
    assert verdict(session_factory, ref) is None


def test_the_home_servers_editor_role_still_rules(triaged, session_factory, clock) -> None:
    ref = triaged.claims[0].id
    options = {"claim": ref, "verdict": "false", "explanation": "Budget papers say $3.9bn."}

    async def scenario(h: dp.Harness) -> None:
        await h.interact(dp.slash_command("factcheck", "verdict", options, who=EDITOR, channel=HOME_CHANNEL))

    run(scenario, settings_with(str(dp.EDITOR_ROLE_ID)), session_factory, clock)
    assert verdict(session_factory, ref) == "false"


def test_the_verdict_button_refuses_a_lookalike_role_before_the_picker(
    triaged, session_factory, clock
) -> None:
    ref = triaged.claims[0].id
    button = {
        "type": 2,
        "id": 2,
        "style": 2,
        "label": "Set verdict…",
        "custom_id": f"factdesk:claim.verdict:{ref}",
    }
    card = dp.message(
        OTHER_CHANNEL_ID,
        "",
        author=dp.user(dp.BOT_USER_ID, "factdesk", bot=True),
        guild_id=OTHER_GUILD_ID,
        components=[{"type": 1, "id": 1, "components": [button]}],
    )

    async def scenario(h: dp.Harness) -> None:
        await h.interact(
            dp.button_click(f"factdesk:claim.verdict:{ref}", who=STRANGER, channel=OTHER_CHANNEL, on=card)
        )
        (response,) = h.fake.find("POST", r"/interactions/\d+/[^/]+/callback")
        assert "Only editors" in str(response.payload) and not response.custom_ids

    run(scenario, settings_with(dp.EDITOR_ROLE_NAME), session_factory, clock)


# -- 5. article text cannot smuggle markdown, masked links or mentions into an embed ------------------------

HOSTILE = (
    "See [the official report](https://evil.example/phish), ||a spoiler||, **bold** and # not a heading; "
    "@everyone @here <@123456789012345678> <@&987654321098765432>"
)


def test_article_text_is_shown_as_typed_in_card_embeds(make_report: Callable[..., TriageReport]) -> None:
    from adapters.discord.embeds import render
    from bot.render.card import render_card

    report = make_report()
    report = report.model_copy(
        update={
            "article": report.article.model_copy(update={"title": "**Breaking** @everyone"}),
            "summary": HOSTILE,
            "claims": [c.model_copy(update={"text": HOSTILE}) for c in report.claims],
            "thread_ref": "T-1",
        }
    )
    embeds = [e.to_dict() for message in render(render_card(report)) for e in message.embeds]
    texts = [e.get("title") or "" for e in embeds] + [e.get("description") or "" for e in embeds]
    texts += [f["name"] + f["value"] for e in embeds for f in e.get("fields", [])]
    shown = "\n".join(texts)
    assert "the official report" in shown and "evil.example/phish" in shown  # the text is all there
    assert "[the official report](" not in shown.replace("\\[", "")  # but never as a masked link
    assert "||a spoiler||" not in shown and "**bold**" not in shown and "**Breaking**" not in shown
    assert not re.search(r"@(everyone|here)|<@&?\d", shown)
