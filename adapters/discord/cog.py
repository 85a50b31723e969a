"""`/factcheck` as a Discord app-command group: typed options in, one desk command line out.

Each subcommand only spells its options as the desk grammar's text (`assign C-1042 <@123> due fri`) and
hands it to `Desk.run`, so Discord and Slack run exactly the same parser and workflow.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from adapters.discord.context import DeskClient, actor_for, desk_client, interaction_place
from adapters.discord.respond import answer, run_and_answer
from bot.desk.grammar import SPECS
from bot.replies import Reply

log = logging.getLogger(__name__)

AUTOCOMPLETE_CHOICES = 25
_QUOTE_CHARS = set('"“”')


def summary(name: str) -> str:
    """The grammar's own one-line summary, within Discord's 100-character description limit."""
    text = SPECS[name].summary
    return text if len(text) <= 100 else text[:99] + "…"


def free_text(text: str) -> str:
    """Quote free text so its first word is never read as part of a verdict; text with quotes goes as is
    (the grammar then takes the raw remainder)."""
    text = " ".join(text.split())
    return f'"{text}"' if text and not (_QUOTE_CHARS & set(text)) else text


def command_line(*words: str | None) -> str:
    return " ".join(w for w in words if w)


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


class FactcheckCog(commands.GroupCog, group_name="factcheck", group_description="The fact-check desk"):
    """One subcommand per desk command; `tests/test_command_parity.py` keeps the two lists equal."""

    def __init__(self, bot: DeskClient) -> None:
        self.bot = bot
        super().__init__()

    async def run(self, interaction: discord.Interaction, text: str) -> None:
        actor, place = actor_for(interaction.user), interaction_place(interaction)
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

    @app_commands.command(name="help", description=summary("help"))
    @app_commands.describe(command="A command to explain")
    @app_commands.autocomplete(command=command_names)
    async def help_(self, interaction: discord.Interaction, command: str | None = None) -> None:
        await self.run(interaction, command_line("help", command))

    @app_commands.command(name="list", description=summary("list"))
    @app_commands.describe(
        scope="Which claims (open by default)",
        user="Claims assigned to this person",
        channel="Only claims from this channel",
        thread="Only claims of this triage, like T-87",
        due_within="Only claims due today or this week",
        sort="Order by score, due time or age",
    )
    async def list_(
        self,
        interaction: discord.Interaction,
        scope: Literal["open", "mine", "overdue", "unassigned", "done", "dismissed", "all"] | None = None,
        user: discord.Member | None = None,
        channel: discord.TextChannel | None = None,
        thread: str | None = None,
        due_within: Literal["today", "this week"] | None = None,
        sort: Literal["score", "due", "age"] | None = None,
    ) -> None:
        await self.run(
            interaction,
            command_line(
                "list",
                scope,
                user and user.mention,
                channel and f"in {channel.mention}",
                thread and f"thread {thread.strip()}",
                due_within and f"due {due_within}",
                sort and f"sort {sort}",
            ),
        )

    @app_commands.command(name="search", description=summary("search"))
    @app_commands.describe(text="Words from the claim, a note or the article's title")
    async def search(self, interaction: discord.Interaction, text: str) -> None:
        await self.run(interaction, command_line("search", text))

    @app_commands.command(name="board", description=summary("board"))
    async def board(self, interaction: discord.Interaction) -> None:
        await self.run(interaction, "board")

    @app_commands.command(name="match", description=summary("match"))
    @app_commands.describe(text="The claim, as written in the article or as you heard it")
    async def match(self, interaction: discord.Interaction, text: str) -> None:
        await self.run(interaction, command_line("match", text))

    @app_commands.command(name="show", description=summary("show"))
    @app_commands.describe(ref="A claim (C-1042) or a triage (T-87)")
    @app_commands.autocomplete(ref=claim_refs)
    async def show(self, interaction: discord.Interaction, ref: str) -> None:
        await self.run(interaction, command_line("show", ref.strip()))

    @app_commands.command(name="assign", description=summary("assign"))
    @app_commands.describe(
        claim="The claim, like C-1042", user="Who checks it", due="tomorrow, fri or 2026-12-01"
    )
    @app_commands.autocomplete(claim=claim_refs)
    async def assign(
        self, interaction: discord.Interaction, claim: str, user: discord.Member, due: str | None = None
    ) -> None:
        await self.run(
            interaction, command_line("assign", claim.strip(), user.mention, due and f"due {due.strip()}")
        )

    @app_commands.command(name="unassign", description=summary("unassign"))
    @app_commands.describe(claim="The claim, like C-1042")
    @app_commands.autocomplete(claim=claim_refs)
    async def unassign(self, interaction: discord.Interaction, claim: str) -> None:
        await self.run(interaction, command_line("unassign", claim.strip()))

    @app_commands.command(name="claim", description=summary("claim"))
    @app_commands.describe(
        claim="The claim to take, like C-1042; or the triage to add to, like T-87",
        add="A sentence the triage missed, to add as a claim of that triage",
    )
    @app_commands.autocomplete(claim=claim_refs)
    async def claim(self, interaction: discord.Interaction, claim: str, add: str | None = None) -> None:
        words = ("add", claim.strip(), free_text(add)) if add else (claim.strip(),)
        await self.run(interaction, command_line("claim", *words))

    @app_commands.command(name="status", description=summary("status"))
    @app_commands.describe(claim="The claim, like C-1042", status="Where the check stands")
    @app_commands.autocomplete(claim=claim_refs)
    async def status(
        self, interaction: discord.Interaction, claim: str, status: Literal["in_progress", "needs_review"]
    ) -> None:
        await self.run(interaction, command_line("status", claim.strip(), status))

    @app_commands.command(name="verdict", description=summary("verdict"))
    @app_commands.describe(
        claim="The claim, like C-1042", verdict="The ruling", explanation="Why, with sources"
    )
    @app_commands.autocomplete(claim=claim_refs, verdict=verdicts)
    async def verdict(
        self, interaction: discord.Interaction, claim: str, verdict: str, explanation: str
    ) -> None:
        await self.run(
            interaction, command_line("verdict", claim.strip(), verdict.strip(), free_text(explanation))
        )

    @app_commands.command(name="dismiss", description=summary("dismiss"))
    @app_commands.describe(claim="The claim, like C-1042", reason="Why it is not worth checking")
    @app_commands.autocomplete(claim=claim_refs)
    async def dismiss(self, interaction: discord.Interaction, claim: str, reason: str) -> None:
        await self.run(interaction, command_line("dismiss", claim.strip(), free_text(reason)))

    @app_commands.command(name="reopen", description=summary("reopen"))
    @app_commands.describe(claim="The claim, like C-1042")
    @app_commands.autocomplete(claim=claim_refs)
    async def reopen(self, interaction: discord.Interaction, claim: str) -> None:
        await self.run(interaction, command_line("reopen", claim.strip()))

    @app_commands.command(name="note", description=summary("note"))
    @app_commands.describe(claim="The claim, like C-1042", text="The note")
    @app_commands.autocomplete(claim=claim_refs)
    async def note(self, interaction: discord.Interaction, claim: str, text: str) -> None:
        await self.run(interaction, command_line("note", claim.strip(), free_text(text)))

    @app_commands.command(name="history", description=summary("history"))
    @app_commands.describe(ref="A claim (C-1042) or a triage (T-87)")
    @app_commands.autocomplete(ref=claim_refs)
    async def history(self, interaction: discord.Interaction, ref: str) -> None:
        await self.run(interaction, command_line("history", ref.strip()))

    @app_commands.command(name="export", description=summary("export"))
    @app_commands.describe(
        ref="A triage (T-87) or a claim (C-1042)", format="claimreview (default), markdown or csv"
    )
    @app_commands.autocomplete(ref=claim_refs)
    async def export(
        self,
        interaction: discord.Interaction,
        ref: str,
        format: Literal["claimreview", "markdown", "csv"] | None = None,
    ) -> None:
        await self.run(interaction, command_line("export", ref.strip(), format))

    @app_commands.command(name="stats", description=summary("stats"))
    @app_commands.describe(window="How far back (7 days by default)")
    async def stats(
        self, interaction: discord.Interaction, window: Literal["7d", "30d", "90d"] | None = None
    ) -> None:
        await self.run(interaction, command_line("stats", window))

    @app_commands.command(name="retriage", description=summary("retriage"))
    @app_commands.describe(thread="The triage to run again, like T-87")
    async def retriage(self, interaction: discord.Interaction, thread: str) -> None:
        await self.run(interaction, command_line("retriage", thread.strip()))
