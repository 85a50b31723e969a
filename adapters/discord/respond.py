"""Answer an interaction with a desk `Reply`: respond at once when the core is quick, defer when it is not.

Discord drops an interaction that gets no response within 3 seconds, so a core call that is still running
after `defer_after` seconds turns into `defer()` and the answer arrives as follow-ups.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import discord

from adapters.discord.context import PLATFORM, desk_client
from adapters.discord.embeds import CONTENT_CHARS, DiscordMessage, render
from adapters.discord.views import message_kwargs
from bot.desk.api import Place
from bot.errors import UserFacingError
from bot.render.clip import clip
from bot.replies import Reply, Visibility

log = logging.getLogger(__name__)

DEFER_AFTER_SECONDS = 2.0


async def call_core(work: Callable[[], Reply]) -> Reply:
    """Run a blocking core call off the event loop; a user's mistake becomes a one-sentence reply."""
    try:
        return await asyncio.to_thread(work)
    except UserFacingError as exc:
        return Reply.failure(exc.sentence)


async def run_and_answer(
    interaction: discord.Interaction, work: Callable[[], Reply], *, defer_after: float = DEFER_AFTER_SECONDS
) -> Reply:
    """Run `work` in a thread and send its reply; defer (ephemeral, "thinking") if it takes too long."""
    task = asyncio.ensure_future(call_core(work))
    done, _ = await asyncio.wait({task}, timeout=defer_after)
    if not done and not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)
    reply = await task
    await answer(interaction, reply)
    return reply


async def answer(interaction: discord.Interaction, reply: Reply) -> None:
    """Send the rendered reply, then the public line in the triage thread.

    A shared change is told to its author in full (ephemeral) and to the thread in one short public line,
    so the thread reads as a log of changes rather than a stack of cards.
    """
    private = reply.visibility is Visibility.private or reply.public_line is not None
    if interaction.response.is_done() and not private:
        # The deferred "thinking" message is ephemeral; close it, then post the shared answer publicly.
        await interaction.edit_original_response(content="✅ Posted below.")
    for message in render(reply):
        await _send(interaction, message, ephemeral=private)
    await post_public_line(interaction, reply)


async def _send(interaction: discord.Interaction, message: DiscordMessage, *, ephemeral: bool) -> None:
    kwargs = {**message_kwargs(message), "ephemeral": ephemeral}
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


async def post_public_line(interaction: discord.Interaction, reply: Reply) -> None:
    """Announce a shared change in the triage thread (or, if it has none on Discord, where it was made)."""
    if not reply.public_line:
        return
    target_id = await public_line_target(interaction, reply)
    if target_id is None:
        return
    channel = interaction.client.get_partial_messageable(target_id, guild_id=interaction.guild_id)
    try:
        await channel.send(
            clip(reply.public_line, CONTENT_CHARS), allowed_mentions=discord.AllowedMentions.none()
        )
    except discord.HTTPException as exc:  # the thread may be archived or the bot removed from it
        log.warning("could not post the public line in %s: %s", target_id, exc)


async def public_line_target(interaction: discord.Interaction, reply: Reply) -> int | None:
    """The triage thread of the reply if the desk knows where it lives on Discord, else where we were asked."""
    located: Place | None = None
    if reply.thread_ref:
        cards = desk_client(interaction).desk.cards
        located = await asyncio.to_thread(cards.location, reply.thread_ref)
    if located is not None and located.platform == PLATFORM:
        target = located.thread or located.channel
        return int(target) if target and target.isdigit() else None
    return interaction.channel_id
