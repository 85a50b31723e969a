"""`factdesk worker`: triage workers only, no chat receivers. Run as many as the database can take; on
PostgreSQL they share the queue, and a killed one's job is picked up by another after FACTDESK_JOB_TIMEOUT.

A worker posts the cards of the jobs it runs, so it registers a publisher for every platform with a token
(Slack's Web API client; a REST-only Discord client, no gateway connection)."""

from __future__ import annotations

from adapters.wiring import platforms_with_tokens, register_publishers
from bot.config import get_settings
from bot.errors import ConfigurationError
from bot.jobs.queue import run_worker_forever
from bot.observability.logs import configure_logging


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
