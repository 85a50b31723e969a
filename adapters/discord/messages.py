"""The paste flow: a link or an article in a watched channel (or a message mentioning the bot) becomes a
triage card in a thread started from that message.

The core's paste intake (`bot.intake`) decides what is a paste and refuses what is no article; the person
sees a reaction and a "Triaging…" line at once; the paste is then a durable triage job naming
that line as its message, and a worker (in this process or another) edits the line into the card through
`adapters.discord.publish`. A bot restarted mid-triage loses nothing: the job is still in the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re

import discord

from adapters.discord.context import PLATFORM, DeskClient, actor_for, place_for
from bot.errors import UserFacingError
from bot.intake import Paste, PasteIntake
from bot.render.clip import clip

log = logging.getLogger(__name__)

WORKING_REACTION = "🔎"
TRIAGING = "Triaging…"
THREAD_NAME_CHARS = 100
AUTO_ARCHIVE_MINUTES = 1440


def watched_channels(raw: str) -> set[int]:
    return {int(part) for part in raw.split(",") if part.strip().isdigit()}


def thread_name(text: str) -> str:
    """`Triage: <the link or the first words>` within Discord's 100-character limit."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "pasted article")
    return clip(f"Triage: {first}", THREAD_NAME_CHARS)


class PasteFlow:
    def __init__(self, bot: DeskClient) -> None:
        self.bot = bot
        self.watched = watched_channels(bot.settings.discord_channels)
        self.intake = PasteIntake(bot.desk, bot.settings)

    def paste_of(self, message: discord.Message) -> Paste | None:
        """The message as a paste, or None when it is not for the bot."""
        if message.author.bot or message.guild is None or self.bot.user is None:
            return None
        mentioned = self.bot.user in message.mentions
        channel_id = getattr(message.channel, "parent_id", None) or message.channel.id
        if not mentioned and channel_id not in self.watched and message.channel.id not in self.watched:
            return None
        return self.intake.read(
            re.sub(rf"<@!?{self.bot.user.id}>", "", message.content),
            platform=PLATFORM,
            # A resumed gateway session can deliver the same MESSAGE_CREATE again; triage it once.
            delivery=f"message:{message.id}",
            channel=None if mentioned else str(channel_id),  # a mention is an explicit request
        )

    async def handle(self, message: discord.Message) -> None:
        paste = self.paste_of(message)
        if paste is None:
            return
        status: discord.Message | None = None
        try:
            if not await asyncio.to_thread(self.intake.first_delivery, paste):
                return
            if paste.refusal is not None:
                await message.reply(paste.refusal, mention_author=False)
                return
            await self._react(message, WORKING_REACTION)
            destination = await self._thread_for(message, paste.text)
            status = await destination.send(TRIAGING)
            place = place_for(destination, message.guild.id if message.guild else None, status.id)
            failure = await asyncio.to_thread(self.intake.enqueue, paste, actor_for(message.author), place)
            if failure is not None:  # the database is down: one sentence, where the card would have been
                await status.edit(content=failure)
        except UserFacingError as exc:  # the database cannot say whether this was seen: say so
            await message.reply(exc.sentence, mention_author=False)
        except discord.HTTPException as exc:  # Discord refused the placeholder: nothing was queued
            log.warning("could not start the triage of %s: %s", message.id, exc)
            await asyncio.to_thread(self.intake.release, paste)
            with contextlib.suppress(discord.HTTPException):
                await message.reply(
                    f"Discord refused my reply (HTTP {exc.status}), so nothing was triaged; post the article again.",
                    mention_author=False,
                )

    async def _thread_for(self, message: discord.Message, text: str) -> discord.abc.Messageable:
        """A new thread from the message; the thread itself when the paste is already inside one."""
        if isinstance(message.channel, discord.Thread):
            return message.channel
        try:
            return await message.create_thread(
                name=thread_name(text), auto_archive_duration=AUTO_ARCHIVE_MINUTES
            )
        except discord.HTTPException as exc:  # no thread permission here: answer in the channel instead
            log.warning("could not start a thread from %s: %s", message.id, exc)
            return message.channel

    @staticmethod
    async def _react(message: discord.Message, emoji: str) -> None:
        try:
            await message.add_reaction(emoji)
        except discord.HTTPException as exc:  # reactions are a courtesy; the card still follows
            log.info("could not react to %s: %s", message.id, exc)
