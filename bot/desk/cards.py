"""Keep a posted triage card live: after the desk changes a claim, re-render the thread's card from the
database and have the card's platform edit it in place.

The card is edited wherever it lives (a Slack command may change a claim whose card is on Discord), through
the refresher that platform's adapter registered (`bot.desk.publishers.register_card_refresher`). Only the
card's first message is known to the desk (`set_card_message`), so a split card has that message re-rendered
and its later messages left as posted. A refresh that fails is logged and counted and never fails the change:
the change is already stored and announced, and the next change re-renders the card again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from bot.desk.api import Place
from bot.desk.publishers import card_refresher_for
from bot.desk.triage_store import load_report, set_card_message, thread_location
from bot.observability.metrics import CHAT_API_ERRORS
from bot.render.card import render_card
from bot.storage_failures import STORAGE_FAILURES

log = logging.getLogger(__name__)

# What a change must touch to show on the card (a note does not).
CARD_FIELDS = frozenset({"status", "verdict", "assignee", "assignee_display", "due_at"})


class CardBook:
    """Where each thread's card is posted, for adapters: they locate and record cards through this and never
    open a database session themselves."""

    def __init__(self, sessions: Callable[[], Session]) -> None:
        self._sessions = sessions

    @classmethod
    def for_url(cls, database_url: str) -> CardBook:
        from bot.database import session_factory_for

        return cls(session_factory_for(database_url))

    def location(self, thread_ref: str) -> Place | None:
        """The thread's card (platform, channel, thread, first message); None for an unknown ref."""
        with self._sessions() as session:
            return thread_location(session, thread_ref)

    def record(self, thread_ref: str, place: Place) -> None:
        """Remember where the card was posted, so desk changes can edit it and public lines go beside it."""
        with self._sessions() as session, session.begin():
            set_card_message(session, thread_ref, place)


def refresh_card(sessions: Callable[[], Session], thread_ref: str, *, shown: int, today: date) -> bool:
    """Edit the posted card of `thread_ref` to show the desk as it is now; True if it was edited."""
    try:
        with sessions() as session:
            where = thread_location(session, thread_ref)
            if where is None or not where.message:
                return False
            refresher = card_refresher_for(where.platform)
            if refresher is None:
                return False
            report = load_report(session, thread_ref)
    except STORAGE_FAILURES:
        log.exception("the card could not be re-read for a refresh", extra={"thread_ref": thread_ref})
        return False
    if report is None:
        return False
    from bot.matching.prior import with_prior_checks  # the archive index loads only when a card is redrawn

    report = with_prior_checks(report, sessions)
    try:
        refresher(where, render_card(report, shown=shown, today=today))
    except Exception:
        CHAT_API_ERRORS.labels(platform=where.platform).inc()
        log.exception(
            "the card could not be refreshed", extra={"thread_ref": thread_ref, "platform": where.platform}
        )
        return False
    return True
