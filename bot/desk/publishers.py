"""Per-platform card publishers: how a finished triage reaches its chat thread.

Adapters register one function per platform at start; the job runner calls it once the triage is stored. A
publisher should be idempotent where the platform allows it (e.g. edit the "Triaging…" placeholder rather
than post a new message): if a worker dies *during* the call, the job's next attempt calls it again.

Notice posters post a new message the desk decided to send on its own (reminders, `bot.desk.reminders`).

Card refreshers are their counterpart for a card already posted: after the desk changes a claim it re-renders
the thread's card and the refresher of the card's platform edits the posted message (`bot.desk.cards`).
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


CardRefresher = Callable[[Place, Reply], None]
"""Edits a posted card in place: `Place.message` is the card's (first) message, the Reply its new rendering."""

_refreshers: dict[str, CardRefresher] = {}


def register_card_refresher(platform: str, fn: CardRefresher) -> None:
    """Make `fn` edit posted cards on `platform` after a desk change (a later registration replaces it)."""
    _refreshers[platform] = fn


def card_refresher_for(platform: str) -> CardRefresher | None:
    return _refreshers.get(platform)


NoticePoster = Callable[[Place, Reply, str | None], None]
"""Posts a new message at `Place` (its channel, in `Place.thread` when set); the third argument is the platform
user id of the person it is for, whom the message mentions so the platform notifies them."""

_posters: dict[str, NoticePoster] = {}


def register_notice_poster(platform: str, fn: NoticePoster) -> None:
    """Make `fn` post the desk's own notices (digests, nudges) on `platform`."""
    _posters[platform] = fn


def notice_poster_for(platform: str) -> NoticePoster | None:
    return _posters.get(platform)
