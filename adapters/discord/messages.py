"""The paste flow: a link or an article in a watched channel (or a message mentioning the bot) becomes a
triage card in a thread started from that message.

The person sees a reaction and a "Triaging…" line at once; the card replaces that line when the core is done.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING

import discord

from adapters.discord.context import PLATFORM, actor_for, jump_url, place_for
from adapters.discord.embeds import DiscordMessage, clip, render
from adapters.discord.views import view_for
from bot.desk.api import Place
from bot.errors import UserFacingError
from bot.triage import PasteOutcome, is_paste

if TYPE_CHECKING:
    from adapters.discord.bot import FactdeskBot

log = logging.getLogger(__name__)

WORKING_REACTION = "🔎"
FAILED_REACTION = "⚠️"
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
    def __init__(self, bot: FactdeskBot) -> None:
        self.bot = bot
        self.watched = watched_channels(bot.settings.discord_channels)

    def paste_text(self, message: discord.Message) -> str | None:
        """The text to triage, or None when this message is not for the bot."""
        if message.author.bot or message.guild is None or self.bot.user is None:
            return None
        mentioned = self.bot.user in message.mentions
        channel_id = getattr(message.channel, "parent_id", None) or message.channel.id
        if not mentioned and channel_id not in self.watched and message.channel.id not in self.watched:
            return None
        text = re.sub(rf"<@!?{self.bot.user.id}>", "", message.content).strip()
        channel = None if mentioned else str(channel_id)  # a mention is an explicit request
        return text if text and is_paste(text, self.bot.settings, channel=channel) else None

    async def handle(self, message: discord.Message) -> None:
        text = self.paste_text(message)
        if text is None:
            return
        # A resumed gateway session can deliver the same MESSAGE_CREATE again; triage it once.
        try:
            first_time = await asyncio.to_thread(self.bot.desk.claim_event, PLATFORM, f"message:{message.id}")
        except UserFacingError as exc:
            await message.reply(exc.sentence, mention_author=False)
            return
        if not first_time:
            return
        await self._react(message, WORKING_REACTION)
        destination = await self._thread_for(message, text)
        status = await destination.send(TRIAGING)
        place = place_for(destination, message.guild.id if message.guild else None, message.id)
        outcome = await asyncio.to_thread(self.bot.triage.paste, text, actor_for(message.author), place)
        await self._post(status, destination, outcome)
        if outcome.reply.error:
            await self._react(message, FAILED_REACTION)
        elif outcome.report is not None and outcome.report.thread_ref and not outcome.duplicate:
            card_place = place.model_copy(update={"message": str(status.id)})
            await asyncio.to_thread(self.bot.set_card_message, outcome.report.thread_ref, card_place)

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

    async def _post(
        self, status: discord.Message, destination: discord.abc.Messageable, outcome: PasteOutcome
    ) -> None:
        """Edit the "Triaging…" line into the first message of the card and send the rest after it."""
        messages = render(outcome.reply)
        content = await self._duplicate_line(outcome) if outcome.duplicate else None
        first, rest = messages[0], messages[1:]
        await status.edit(content=content, **_message_kwargs(first))
        for message in rest:
            await destination.send(**_message_kwargs(message))

    async def _duplicate_line(self, outcome: PasteOutcome) -> str | None:
        ref = outcome.report.thread_ref if outcome.report else None
        if ref is None:
            return None
        located: Place | None = await asyncio.to_thread(self.bot.thread_location, ref)
        link = jump_url(located) if located else None
        return f"Already triaged as {ref}: {link}" if link else f"Already triaged as {ref}."

    @staticmethod
    async def _react(message: discord.Message, emoji: str) -> None:
        try:
            await message.add_reaction(emoji)
        except discord.HTTPException as exc:  # reactions are a courtesy; the card still follows
            log.info("could not react to %s: %s", message.id, exc)


def _message_kwargs(message: DiscordMessage) -> dict:
    kwargs: dict = {"embeds": message.embeds}
    view = view_for(message.rows)
    if view is not None:
        kwargs["view"] = view
    return kwargs
