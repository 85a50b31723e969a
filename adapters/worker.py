"""`factdesk worker`: triage workers only, no chat receivers. Run as many as the database can take; on
PostgreSQL they share the queue, and a killed one's job is picked up by another after FACTDESK_JOB_TIMEOUT."""

from __future__ import annotations

from bot.config import get_settings
from bot.jobs.queue import run_worker_forever
from bot.observability.logs import configure_logging


def main(concurrency: int | None = None) -> int:
    """Run until SIGTERM/SIGINT, then stop gracefully; returns the process exit code."""
    configure_logging("INFO")
    run_worker_forever(get_settings(), concurrency)
    return 0
