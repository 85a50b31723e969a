"""Who and where, from Discord objects: the `Actor` and `Place` every core call needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, cast

import discord

from bot.desk.api import Actor, Place
from bot.replies import Reply

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.desk.service import Desk

PLATFORM = "discord"


class DeskClient(Protocol):
    """What the cog, the paste flow and the card's components need from the bot (`FactdeskBot` is one): the
    core, its settings, and how to answer an interaction. Typed against this, they never import the bot
    module that wires them together."""

    desk: Desk
    settings: Settings
    defer_after: float

    @property
    def user(self) -> discord.ClientUser | None: ...

    async def answer(self, interaction: discord.Interaction, reply: Reply) -> None: ...

    async def run_and_answer(self, interaction: discord.Interaction, work: Callable[[], Reply]) -> Reply: ...


def desk_client(interaction: discord.Interaction) -> DeskClient:
    """The bot an interaction arrived through."""
    return cast("DeskClient", interaction.client)


def actor_for(user: discord.abc.User) -> Actor:
    """Roles carry both ids and names, so an editor role can be configured either way."""
    roles: list[str] = []
    if isinstance(user, discord.Member):
        for role in user.roles:
            if role.is_default():
                continue
            roles.extend([str(role.id), role.name])
    return Actor(platform=PLATFORM, user_id=str(user.id), display=user.display_name, roles=roles)


def place_for(channel: object, guild_id: int | None, message_id: int | None = None) -> Place:
    """A thread is keyed by its parent channel and its own id; anything else is just a channel."""
    channel_id = getattr(channel, "id", None)
    if isinstance(channel, discord.Thread):
        return Place(
            platform=PLATFORM,
            workspace=str(guild_id or ""),
            channel=str(channel.parent_id),
            thread=str(channel.id),
            message=str(message_id) if message_id else None,
        )
    return Place(
        platform=PLATFORM,
        workspace=str(guild_id or ""),
        channel=str(channel_id or ""),
        message=str(message_id) if message_id else None,
    )


def interaction_place(interaction: discord.Interaction) -> Place:
    message_id = interaction.message.id if interaction.message else None
    return place_for(interaction.channel, interaction.guild_id, message_id)


def jump_url(place: Place) -> str | None:
    """A link to a Discord thread or channel from a stored place (None for other platforms)."""
    if place.platform != PLATFORM or not place.workspace:
        return None
    target = place.thread or place.channel
    return f"https://discord.com/channels/{place.workspace}/{target}" if target else None
