"""What a reminder sweep is, and SQLite's scheduler for it.

A sweep is one `Reminders.send_due` against the injected clock; the row it inserts per reminder decides who
sends (`bot.desk.reminders`). On PostgreSQL pgqueuer schedules the sweep as a queued job, so one worker of
many runs each and a crashed one is retried (`bot.jobs.postgres`); on SQLite the one process runs
`ReminderLoop` beside its triage pool.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from bot.config import Settings
from bot.core import build_desk
from bot.database import session_factory_for
from bot.desk.reminders import Reminders
from bot.jobs.runner import worker_name

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def reminder_sweep(settings: Settings, clock: Clock | None = None) -> Callable[[], list[str]]:
    """The sweep both schedulers run: send what is due now; returns what this sweep sent."""
    sessions = session_factory_for(settings.database_url)
    clock = clock or (lambda: datetime.now(UTC))
    return Reminders(build_desk(settings, sessions, clock=clock), sessions, clock, worker_name()).send_due


class ReminderLoop:
    """SQLite's scheduler: a sweep every FACTDESK_REMIND_INTERVAL seconds until `stop()`; a failed sweep is
    logged and the next one tries again (a database away, a platform down)."""

    def __init__(self, settings: Settings, *, clock: Clock | None = None) -> None:
        self.sweep = reminder_sweep(settings, clock)
        self.interval = settings.remind_interval
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="factdesk-reminders", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(10)

    def _run(self) -> None:
        while not self._stopping.wait(self.interval):
            try:
                self.sweep()
            except Exception:
                log.exception("the sweep for due reminders failed; retrying at the next one")
