"""The one door for a chat paste, whatever the platform: is this message a paste, is it text we can
triage, has this delivery been seen, and the durable job.

An adapter maps its event to `PasteIntake.read` (the message, the platform's id for this delivery, the
channel), then calls `first_delivery`, shows that it is working, and `enqueue`s with the place of its
placeholder; it only renders the sentences this returns. Article text itself is cleaned and limited by
`bot.text.normalize.intake`, which the CLI and the link fetcher go through too.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.desk.api import Actor, Place
from bot.desk.catalog import SPECS
from bot.desk.service import Desk
from bot.errors import BadInput, UserFacingError
from bot.jobs.queue import enqueue_triage
from bot.text.normalize import intake, strip_controls
from bot.triage import is_paste


@dataclass(frozen=True)
class Paste:
    """A message taken as a paste: `text` is what the job triages (cleaned of control characters);
    `refusal` the sentence to answer instead when it is no article (binary, empty, too long)."""

    text: str
    platform: str
    delivery: str | None  # the platform's id for this delivery, claimed once; None if never redelivered
    refusal: str | None = None


class PasteIntake:
    def __init__(self, desk: Desk, settings: Settings) -> None:
        self.desk = desk
        self.settings = settings

    def read(
        self,
        message: str,
        *,
        platform: str,
        delivery: str | None = None,
        channel: str | None = None,
        commands_first: bool = False,
    ) -> Paste | None:
        """The message as a paste, or None when it is chat. `channel` applies its paste rule (a mention
        passes None: it is an explicit request); `commands_first` reads a leading desk command as one."""
        text = strip_controls(message).strip()
        if not text or (commands_first and text.split(maxsplit=1)[0].lower() in SPECS):
            return None
        if not is_paste(text, self.settings, channel=channel):
            return None
        try:
            intake(message, self.settings.max_input_chars)  # the raw message: controls betray binary data
        except BadInput as exc:
            return Paste(text, platform, delivery, refusal=exc.sentence)
        return Paste(text, platform, delivery)

    def first_delivery(self, paste: Paste) -> bool:
        """True once per delivery, across retries, duplicate deliveries and processes; raises the
        `UserFacingError` to show when the database cannot say."""
        return paste.delivery is None or self.desk.claim_event(paste.platform, paste.delivery)

    def release(self, paste: Paste) -> None:
        """Forget the delivery when the platform refused our placeholder, so its retry gets another go."""
        if paste.delivery is not None:
            self.desk.release_event(paste.platform, paste.delivery)

    def enqueue(self, paste: Paste, actor: Actor, place: Place) -> str | None:
        """Record the triage job, its card to replace `place.message`; None once it is durable, else the
        sentence to show where the card would have been (the database is down)."""
        try:
            enqueue_triage(paste.text, actor, place, settings=self.settings)
        except UserFacingError as exc:
            return exc.sentence
        return None
