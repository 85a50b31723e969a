"""Where a claim stands and what may be done to it next, decided once: the triage card, the desk's replies
(show, lists, changes) and through them Slack, Discord and the terminal all render this.

Neutral on purpose: built from a domain `ClaimDesk` (the card) or a stored row (the desk), it knows neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.models import DeskStatus
from bot.render.dates import due_label
from bot.replies import Action, Button

EMOJI = {DeskStatus.done: "✅", DeskStatus.dismissed: "🚫"}  # every other status someone is working on: 👤


def status_label(status: str) -> str:
    """`in_progress` → `in progress`: a status as people read it."""
    return DeskStatus(status).value.replace("_", " ")


@dataclass(frozen=True)
class ClaimState:
    status: DeskStatus
    assignee: str | None = None  # the checker's display name, without the @
    due: date | datetime | None = None  # shown while the claim is open
    verdict: str | None = None  # as the reader should see it: the scale's label, else the value

    @property
    def is_open(self) -> bool:
        return self.status not in (DeskStatus.done, DeskStatus.dismissed)

    def phrase(self, today: date, now: datetime | None = None) -> str:
        """`assigned · @leo · due Fri`, `verdict: False · @leo`, `dismissed`."""
        if self.status is DeskStatus.done:
            parts = [f"verdict: {self.verdict}" if self.verdict else "done"]
        else:
            parts = [status_label(self.status)]
        if self.assignee:
            parts.append(f"@{self.assignee}")
        if self.due is not None and self.is_open:
            parts.append(f"due {due_label(self.due, today, now)}")
        return " · ".join(parts)

    def line(self, today: date, now: datetime | None = None) -> str | None:
        """The phrase with its mark, as the card leads a claim's line with it; None for an untouched claim."""
        if self.status is DeskStatus.new:
            return None
        return f"{EMOJI.get(self.status, '👤')} {self.phrase(today, now)}"

    def buttons(self, ref: str) -> list[Button]:
        """The actions the desk would accept now: a done claim can only be ruled again (a correction), a
        dismissed one has none (`reopen` it), and a claim someone is checking is reassigned, not taken."""
        if self.status is DeskStatus.dismissed:
            return []
        if self.status is DeskStatus.done:
            return [Button(label="Change verdict…", action=Action.verdict, value=ref)]
        untouched = self.status is DeskStatus.new
        take = [Button(label="Assign to me", action=Action.assign_me, value=ref, style="primary")]
        return [
            *(take if untouched else []),
            Button(label="Assign…" if untouched else "Reassign…", action=Action.assign, value=ref),
            Button(label="Set verdict…", action=Action.verdict, value=ref),
            Button(label="Dismiss", action=Action.dismiss, value=ref, style="danger"),
        ]
