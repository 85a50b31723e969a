"""`/factcheck` as a Discord app-command group: typed options in, one desk command line out.

Each subcommand takes its name, option descriptions and choices from the desk's command catalog
(`bot.desk.catalog`), spells its options as the grammar's text the catalog describes (`assign C-1042 <@123>
due fri`) and hands it to `Desk.run`, so Discord and Slack run exactly the same parser and workflow.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from adapters.discord.context import DeskClient, actor_for, desk_client, interaction_place
from adapters.discord.respond import answer, run_and_answer
from bot.desk.catalog import SPECS
from bot.render.clip import clip
from bot.replies import Reply

log = logging.getLogger(__name__)

AUTOCOMPLETE_CHOICES = 25
_QUOTE_CHARS = set('"“”')


def summary(name: str) -> str:
    """The grammar's own one-line summary, within Discord's 100-character description limit."""
    return clip(SPECS[name].summary, 100)


def free_text(text: str) -> str:
    """Quote free text so its first word is never read as part of a verdict; text with quotes goes as is
    (the grammar then takes the raw remainder)."""
    text = " ".join(text.split())
    return f'"{text}"' if text and not (_QUOTE_CHARS & set(text)) else text


def command_line(name: str, **values: str | None) -> str:
    """The grammar's text for a subcommand's options, in the catalog's order and spelling."""
    words = [name]
    for argument in SPECS[name].arguments:
        value = " ".join((values.get(argument.name) or "").split())
        if value:
            words.append(argument.spelled.format(free_text(value) if argument.quoted else value))
    return " ".join(words)


async def claim_refs(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    refs = await asyncio.to_thread(
        desk_client(interaction).desk.complete_claim_refs, current.strip(), AUTOCOMPLETE_CHOICES
    )
    return [app_commands.Choice(name=ref, value=ref) for ref in refs[:AUTOCOMPLETE_CHOICES]]


async def verdicts(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    typed = current.strip().lower().replace(" ", "_")
    choices = desk_client(interaction).desk.verdict_choices()
    matching = [
        (value, label)
        for value, label in choices
        if not typed or typed in value or typed in label.lower().replace(" ", "_")
    ]
    return [app_commands.Choice(name=label, value=value) for value, label in matching[:AUTOCOMPLETE_CHOICES]]


async def command_names(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    names = [
        spec.name
        for spec in desk_client(interaction).desk.commands()
        if spec.name.startswith(current.strip().lower())
    ]
    return [app_commands.Choice(name=name, value=name) for name in names[:AUTOCOMPLETE_CHOICES]]


def subcommand(name: str) -> Callable[[Any], Any]:
    """`/factcheck <name>` with the catalog's description, option descriptions, choices and completions;
    the function only declares the options' Discord types (a member, a channel, text)."""
    spec = SPECS[name]
    completers = {"claim": claim_refs, "ref": claim_refs, "verdict": verdicts, "command": command_names}

    def decorate(func: Any) -> Any:
        if spec.arguments:
            func = app_commands.describe(**{a.name: a.describe for a in spec.arguments})(func)
        choices = {
            a.name: [app_commands.Choice(name=c, value=c) for c in a.choices]
            for a in spec.arguments
            if a.choices
        }
        if choices:
            func = app_commands.choices(**choices)(func)
        completes = {a.name: completers[a.kind] for a in spec.arguments if a.kind in completers}
        if completes:
            func = app_commands.autocomplete(**completes)(func)
        return app_commands.command(name=name, description=summary(name))(func)

    return decorate


class FactcheckCog(commands.GroupCog, group_name="factcheck", group_description="The fact-check desk"):
    """One subcommand per desk command; `tests/test_command_table.py` keeps them and the catalog equal."""

    def __init__(self, bot: DeskClient) -> None:
        self.bot = bot
        super().__init__()

    async def run(self, interaction: discord.Interaction, name: str, **values: str | None) -> None:
        actor, place = actor_for(interaction.user), interaction_place(interaction)
        text = command_line(name, **values)
        await run_and_answer(
            interaction, lambda: self.bot.desk.run(text, actor, place), defer_after=self.bot.defer_after
        )

    async def cog_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        log.exception("/factcheck failed", exc_info=error)
        failure = Reply.failure(
            "Something went wrong on the desk's side; it has been logged, please try again."
        )
        await answer(interaction, failure)

    @subcommand("help")
    async def help_(self, interaction: discord.Interaction, command: str | None = None) -> None:
        await self.run(interaction, "help", command=command)

    @subcommand("list")
    async def list_(
        self,
        interaction: discord.Interaction,
        scope: str | None = None,
        user: discord.Member | None = None,
        channel: discord.TextChannel | None = None,
        thread: str | None = None,
        due_within: str | None = None,
        sort: str | None = None,
    ) -> None:
        await self.run(
            interaction,
            "list",
            scope=scope,
            user=user and user.mention,
            channel=channel and channel.mention,
            thread=thread,
            due_within=due_within,
            sort=sort,
        )

    @subcommand("search")
    async def search(self, interaction: discord.Interaction, text: str) -> None:
        await self.run(interaction, "search", text=text)

    @subcommand("board")
    async def board(self, interaction: discord.Interaction) -> None:
        await self.run(interaction, "board")

    @subcommand("match")
    async def match(self, interaction: discord.Interaction, text: str) -> None:
        await self.run(interaction, "match", text=text)

    @subcommand("show")
    async def show(self, interaction: discord.Interaction, ref: str) -> None:
        await self.run(interaction, "show", ref=ref)

    @subcommand("assign")
    async def assign(
        self, interaction: discord.Interaction, claim: str, user: discord.Member, due: str | None = None
    ) -> None:
        await self.run(interaction, "assign", claim=claim, user=user.mention, due=due)

    @subcommand("unassign")
    async def unassign(self, interaction: discord.Interaction, claim: str) -> None:
        await self.run(interaction, "unassign", claim=claim)

    @subcommand("claim")
    async def claim(self, interaction: discord.Interaction, claim: str, add: str | None = None) -> None:
        if add:  # `claim add T-87 "sentence"`: the one command whose keyword leads its arguments
            await self.run(interaction, "claim", claim=f"add {claim.strip()}", add=add)
        else:
            await self.run(interaction, "claim", claim=claim)

    @subcommand("status")
    async def status(self, interaction: discord.Interaction, claim: str, status: str) -> None:
        await self.run(interaction, "status", claim=claim, status=status)

    @subcommand("verdict")
    async def verdict(
        self, interaction: discord.Interaction, claim: str, verdict: str, explanation: str
    ) -> None:
        await self.run(interaction, "verdict", claim=claim, verdict=verdict, explanation=explanation)

    @subcommand("dismiss")
    async def dismiss(self, interaction: discord.Interaction, claim: str, reason: str) -> None:
        await self.run(interaction, "dismiss", claim=claim, reason=reason)

    @subcommand("reopen")
    async def reopen(self, interaction: discord.Interaction, claim: str) -> None:
        await self.run(interaction, "reopen", claim=claim)

    @subcommand("note")
    async def note(self, interaction: discord.Interaction, claim: str, text: str) -> None:
        await self.run(interaction, "note", claim=claim, text=text)

    @subcommand("history")
    async def history(self, interaction: discord.Interaction, ref: str) -> None:
        await self.run(interaction, "history", ref=ref)

    @subcommand("export")
    async def export(self, interaction: discord.Interaction, ref: str, format: str | None = None) -> None:
        await self.run(interaction, "export", ref=ref, format=format)

    @subcommand("stats")
    async def stats(self, interaction: discord.Interaction, window: str | None = None) -> None:
        await self.run(interaction, "stats", window=window)

    @subcommand("retriage")
    async def retriage(self, interaction: discord.Interaction, thread: str) -> None:
        await self.run(interaction, "retriage", thread=thread)
