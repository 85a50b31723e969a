"""The reminder look, run by every process that runs triage workers: one daemon thread per process.

On PostgreSQL every `serve` and `worker` process looks, and the reminder's row decides which one sends
(`bot.desk.reminders`); on SQLite the one process does it.
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


class ReminderLoop:
    """`Reminders.send_due` every FACTDESK_REMIND_INTERVAL seconds until `stop()`; a failed look is logged and
    the next one tries again (a database away, a platform down)."""

    def __init__(self, settings: Settings, *, clock: Callable[[], datetime] | None = None) -> None:
        sessions = session_factory_for(settings.database_url)
        clock = clock or (lambda: datetime.now(UTC))
        self.reminders = Reminders(
            build_desk(settings, sessions, clock=clock), sessions, clock, worker_name()
        )
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
                self.reminders.send_due()
            except Exception:
                log.exception("the look for due reminders failed; retrying at the next one")
