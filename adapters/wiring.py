"""The one place each process registers how cards reach the chat platforms: every platform with a token gets
its publisher (finished triages) and card refresher (desk changes), whichever entry point runs.

`serve` and `worker` publish and refresh through long-lived clients; the CLI, which runs one command and
exits, registers refreshers only, and Discord's logs in only when a Discord card actually changes.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.config import Settings


def platforms_with_tokens(settings: Settings) -> list[str]:
    """Slack then Discord, each only if its bot token is set."""
    tokens = {"slack": settings.slack_bot_token, "discord": settings.discord_token}
    return [platform for platform, token in tokens.items() if token]


def register_publishers(settings: Settings, platforms: list[str]) -> list[Callable[[], None]]:
    """Let this process's workers post finished cards, and its desk refresh posted ones, on `platforms`
    (call before starting the workers). Returns what to close once the workers have stopped."""
    closers: list[Callable[[], None]] = []
    if "slack" in platforms:
        from adapters.slack import publish as slack_publish

        slack_publish.register(settings)
    if "discord" in platforms:
        from adapters.discord import publish as discord_publish

        closers.append(discord_publish.register_standalone(settings).close)
    return closers


def register_refreshers(settings: Settings) -> list[Callable[[], None]]:
    """For one desk command: a change made here edits the claim's posted card on whichever platform it is.
    Returns what to close when the command is done."""
    closers: list[Callable[[], None]] = []
    platforms = platforms_with_tokens(settings)
    if "slack" in platforms:
        from adapters.slack import publish as slack_publish

        slack_publish.register(settings)  # builds a Web API client; no request until a card changes
    if "discord" in platforms:
        from adapters.discord import publish as discord_publish

        closers.append(discord_publish.register_refresher_on_demand(settings).close)
    return closers
