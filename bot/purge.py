"""`factdesk purge --older-than 180d`: apply the newsroom's retention rule to stored article texts."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from bot.config import Settings, get_settings
from bot.database import session_factory_for
from bot.errors import BadInput
from storage.dedupe import forget_events_before
from storage.models import utcnow
from storage.reminders import forget_reminders_before
from storage.retention import purge_texts

log = logging.getLogger(__name__)

# Platforms redeliver an event within minutes to hours; a week of remembered deliveries is plenty.
DELIVERY_MEMORY = timedelta(days=7)
_AGE = re.compile(r"^\s*(\d+)\s*([dhw]?)\s*$", re.IGNORECASE)
_UNITS = {"": "days", "d": "days", "h": "hours", "w": "weeks"}


def parse_age(text: str) -> timedelta:
    """`180d`, `26w`, `12h` or a bare number of days."""
    match = _AGE.match(text)
    if match is None or int(match.group(1)) == 0:
        raise BadInput(f"“{text}” is not an age: write it like 180d, 26w or 12h.")
    return timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})


def purge(older_than: timedelta, *, settings: Settings | None = None, actor: str = "cli:retention") -> int:
    """Delete article texts of finished threads (and pasted texts of finished jobs) older than `older_than`.

    Claims, verdicts, notes and the event log are kept; returns how many threads lost their text. Chat
    deliveries remembered for dedupe, and reminders sent, are forgotten after DELIVERY_MEMORY, so those tables
    stay small.
    """
    settings = settings or get_settings()
    finished_before = utcnow() - older_than
    with session_factory_for(settings.database_url)() as session, session.begin():
        result = purge_texts(session, finished_before=finished_before, actor=actor)
        deliveries = forget_events_before(session, utcnow() - DELIVERY_MEMORY)
        reminders = forget_reminders_before(session, utcnow() - DELIVERY_MEMORY)
    log.info(
        "retention purge",
        extra={
            "threads": result.threads,
            "jobs": result.jobs,
            "deliveries": deliveries,
            "reminders": reminders,
            "older_than_days": older_than.days,
        },
    )
    return result.threads
