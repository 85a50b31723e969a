"""The Discord client: the intents factdesk needs, the `/factcheck` cog, card buttons that survive restarts.

discord.py reconnects and resumes gateway sessions by itself; this class only wires the core in.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import discord
from discord.ext import commands

from adapters.discord import publish, respond
from adapters.discord.cog import FactcheckCog
from adapters.discord.messages import PasteFlow
from adapters.discord.views import DeskButton, DeskPicker
from bot.config import Settings, get_settings
from bot.core import build_desk
from bot.desk.service import Desk
from bot.replies import Reply

log = logging.getLogger(__name__)


def factdesk_intents() -> discord.Intents:
    """Guilds (channels, roles, threads), guild messages, and message content to read pastes.

    Message content is a privileged intent: enable it in the developer portal (see README.md).
    """
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.message_content = True
    return intents


# What the bot does in a channel: read it, react, start a thread from a paste, post and edit embeds there.
INVITE_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    embed_links=True,
    add_reactions=True,
    read_message_history=True,
)
INVITE_SCOPES = ("bot", "applications.commands")


def invite_url(application_id: int) -> str:
    return discord.utils.oauth_url(application_id, permissions=INVITE_PERMISSIONS, scopes=INVITE_SCOPES)


class FactdeskBot(commands.Bot):
    def __init__(
        self,
        *,
        settings: Settings | None = None,
        desk: Desk | None = None,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=factdesk_intents(),
            help_command=None,
            allowed_mentions=discord.AllowedMentions(everyone=False, roles=False, users=True),
        )
        self.settings = settings or get_settings()
        self.desk = desk or build_desk(self.settings)
        self.defer_after = respond.DEFER_AFTER_SECONDS
        self.paste_flow = PasteFlow(self)

    async def setup_hook(self) -> None:
        """Add the cog, the card's dynamic components and the card refresher; sync `/factcheck` (test guild
        or global)."""
        await self.add_cog(FactcheckCog(self))
        self.add_dynamic_items(DeskButton, DeskPicker)
        publish.register_refresher(self, asyncio.get_running_loop(), self.desk.cards)
        if self.settings.discord_guild_id:
            guild = discord.Object(id=self.settings.discord_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        else:
            synced = await self.tree.sync()
        log.info("synced %d application commands", len(synced))

    async def on_message(self, message: discord.Message) -> None:
        """Pastes only: the desk's commands are slash commands, so prefix commands are not processed."""
        await self.paste_flow.handle(message)

    async def answer(self, interaction: discord.Interaction, reply: Reply) -> None:
        await respond.answer(interaction, reply)

    async def run_and_answer(self, interaction: discord.Interaction, work: Callable[[], Reply]) -> Reply:
        return await respond.run_and_answer(interaction, work, defer_after=self.defer_after)
