"""Every desk command is reachable from Discord's `/factcheck` group and from Slack's `/factcheck`, so the
platforms never drift apart: a command added to the grammar without a Discord subcommand fails here."""

from __future__ import annotations

from typing import Any

import pytest

from bot.config import Settings
from bot.desk.api import Actor, Place
from bot.desk.catalog import COMMANDS
from bot.desk.service import Desk
from bot.errors import CommandError
from tests import discord_payloads as dp

NAMES = [spec.name for spec in COMMANDS]
WHO = dp.member(980_000_000_000_000_001, "maria", roles=[dp.EDITOR_ROLE_ID])
CHANNEL = dp.text_channel(dp.CHANNEL_ID, "desk")
CHECKER = 980_000_000_000_000_002

# A value for each option name the cog uses; the command's own parser then sees Discord-spelled text.
OPTION_VALUES: dict[str, Any] = {
    "claim": "C-1", "ref": "C-1", "thread": "T-1", "user": str(CHECKER), "verdict": "false",
    "explanation": "Budget papers say otherwise.", "reason": "Opinion.", "text": "Called the office.",
    "status": "in_progress", "command": "assign", "scope": "all", "format": "csv", "window": "30d", "due": "tomorrow",
}  # fmt: skip


class RecordingDesk(Desk):
    """The real desk, noting which command each line of text parsed to."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parsed: list[str] = []

    def run(self, text: str, actor: Actor, place: Place):
        self.parsed.append(self.parse(text).name)
        return super().run(text, actor, place)


@pytest.fixture
def recording_desk(session_factory, clock) -> RecordingDesk:
    settings = Settings(database_url="sqlite://", discord_editor_role=dp.EDITOR_ROLE_NAME)
    return RecordingDesk(session_factory=session_factory, settings=settings, clock=clock)


def test_desk_commands_are_the_grammar(recording_desk: RecordingDesk):
    assert [spec.name for spec in recording_desk.commands()] == NAMES


def test_every_desk_command_is_a_discord_subcommand_that_parses_to_itself(recording_desk):
    async def scenario(h: dp.Harness) -> None:
        group = h.bot.tree.get_command("factcheck")
        assert group is not None
        subcommands = {c.name: c for c in group.commands}
        assert set(subcommands) == {spec.name for spec in recording_desk.commands()}
        for name in NAMES:
            command = subcommands[name]
            options = {
                p.name: OPTION_VALUES[p.name]
                for p in command.parameters
                if p.required or p.name in OPTION_VALUES
            }
            payload = dp.slash_command("factcheck", name, options, who=WHO, channel=CHANNEL)
            if "user" in options:
                for option in payload["data"]["options"][0]["options"]:
                    if option["name"] == "user":
                        option["type"] = 6
                member = {k: v for k, v in dp.member(CHECKER, "ana").items() if k != "user"}
                payload["data"]["resolved"] = {
                    "users": {str(CHECKER): dp.user(CHECKER, "ana")}, "members": {str(CHECKER): member}
                }  # fmt: skip
            await h.interact(payload)
        assert recording_desk.parsed == NAMES
        replies = h.fake.find("POST", r"/interactions/\d+/[^/]+/callback")
        assert len(replies) == len(NAMES)

    dp.run_bot(scenario, settings=recording_desk.settings, desk=recording_desk)


@pytest.mark.parametrize("name", NAMES)
def test_every_usage_line_reaches_the_desk_from_slack(desk: Desk, name: str):
    """Slack's `/factcheck` hands its raw text to `Desk.run`: each usage line must be a known command."""
    spec = next(s for s in desk.commands() if s.name == name)
    actor = Actor(platform="slack", user_id="UPARITY", display="parity")
    reply = desk.run(spec.usage, actor, Place(platform="slack", workspace="T1", channel="C1"))
    assert "is not a desk command" not in reply.title
    try:
        assert desk.parse(spec.usage).name == name
    except CommandError as exc:  # placeholders like `<verdict>` fail the arguments, never the command name
        assert "is not a desk command" not in exc.sentence
