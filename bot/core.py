"""The one place the core is assembled: the desk, with the triage pipeline behind its `retriage` command.

`serve`, `worker` and the CLI build their desk here (and their publishers in `adapters.wiring`), so no
entry point can end up with a desk that lacks part of the core.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from bot.config import Settings, get_settings
from bot.desk.api import Actor
from bot.desk.service import Desk
from bot.models import TriageReport


def build_desk(
    settings: Settings | None = None,
    session_factory: Callable[[], Session] | None = None,
    *,
    clock: Callable[[], datetime] | None = None,
) -> Desk:
    """The desk on the configured database (or `session_factory`), able to re-run a thread's triage."""
    settings = settings or get_settings()
    if session_factory is None:
        from bot.database import session_factory_for

        session_factory = session_factory_for(settings.database_url)
    sessions = session_factory

    def retriage(thread_ref: str, actor: Actor) -> TriageReport:
        from bot.triage import TriageService  # loads the extractors, which only a re-triage needs

        return TriageService(settings, sessions).retriage(thread_ref, actor=actor)

    return Desk(sessions, settings, clock=clock, retriage=retriage)
