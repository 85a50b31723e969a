"""Who and where, from Discord objects: the `Actor` and `Place` every core call needs."""

from __future__ import annotations

import discord

from bot.desk.api import Actor, Place

PLATFORM = "discord"


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
