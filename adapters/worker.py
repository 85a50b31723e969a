"""`factdesk worker`: triage workers only, no chat receivers. Run as many as the database can take; on
PostgreSQL they share the queue, and a killed one's job is picked up by another after FACTDESK_JOB_TIMEOUT.

A worker posts the cards of the jobs it runs, so it registers a publisher for every platform with a token
(Slack's Web API client; a REST-only Discord client, no gateway connection)."""

from __future__ import annotations

from collections.abc import Callable

from bot.config import Settings, get_settings
from bot.errors import ConfigurationError
from bot.jobs.queue import run_worker_forever
from bot.observability.logs import configure_logging


def platforms_with_tokens(settings: Settings) -> list[str]:
    """Slack then Discord, each only if its bot token is set."""
    tokens = {"slack": settings.slack_bot_token, "discord": settings.discord_token}
    return [platform for platform, token in tokens.items() if token]


def register_publishers(settings: Settings, platforms: list[str]) -> list[Callable[[], None]]:
    """Let this process's workers post finished cards on `platforms` (call before starting the workers).

    Returns what to close once the workers have stopped (the Discord REST client).
    """
    closers: list[Callable[[], None]] = []
    if "slack" in platforms:
        from adapters.slack import publish as slack_publish

        slack_publish.register(settings)
    if "discord" in platforms:
        from adapters.discord import publish as discord_publish

        closers.append(discord_publish.register_standalone(settings).close)
    return closers


def main(concurrency: int | None = None) -> int:
    """Run until SIGTERM/SIGINT, then stop gracefully; returns the process exit code."""
    configure_logging("INFO")
    settings = get_settings()
    platforms = platforms_with_tokens(settings)
    if not platforms:
        raise ConfigurationError(
            "Set SLACK_BOT_TOKEN or DISCORD_TOKEN: a worker posts the cards of the triages it runs."
        )
    closers = register_publishers(settings, platforms)
    try:
        run_worker_forever(settings, concurrency)
    finally:
        for close in closers:
            close()
    return 0
