"""Per-platform card publishers: how a finished triage reaches its chat thread.

Adapters register one function per platform at start; the job runner calls it once the triage is stored. A
publisher should be idempotent where the platform allows it (e.g. edit the "Triaging…" placeholder rather
than post a new message): if a worker dies *during* the call, the job's next attempt calls it again.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.desk.api import Place
from bot.models import TriageReport
from bot.replies import Reply

Publisher = Callable[[Place, Reply, TriageReport | None], None]

_publishers: dict[str, Publisher] = {}


def register_publisher(platform: str, fn: Publisher) -> None:
    """Make `fn` post finished cards for `platform` (a later registration replaces an earlier one)."""
    _publishers[platform] = fn


def publisher_for(platform: str) -> Publisher | None:
    return _publishers.get(platform)
