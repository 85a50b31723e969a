"""Reminders: the daily digest to a desk channel, and a nudge to a claim's assignee before it is due.

The core decides what is due and what it says; each platform's notice poster (`bot.desk.publishers`) only
posts it. Every worker process looks every FACTDESK_REMIND_INTERVAL seconds (`bot.jobs.reminders`); a
reminder is sent by the one look that inserts its row (`storage.reminders`), so any number of workers send
it once. A post that fails gives the row back for the next look; a worker killed mid-post loses that one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta
from functools import partial

from sqlalchemy.orm import Session

from bot.desk import views
from bot.desk.api import Actor, Place
from bot.desk.due import describe, zone
from bot.desk.publishers import NoticePoster, notice_poster_for
from bot.desk.service import Desk
from bot.desk.triage_store import thread_location
from bot.observability.metrics import CHAT_API_ERRORS
from bot.render.clip import clip
from bot.replies import Reply, Section, Visibility
from storage.claims import ClaimFilter, list_claims
from storage.models import Claim
from storage.reminders import release_reminder, take_reminder

log = logging.getLogger(__name__)

NUDGES_PER_LOOK = 200
DIGEST_VIEWS = {
    "overdue": "list overdue",
    "unassigned": "list unassigned sort score",
    "due_today": "list due today",
}


class Reminders:
    """One look at what is due now (`send_due`), for the desk `desk` and its database `sessions`."""

    def __init__(
        self, desk: Desk, sessions: Callable[[], Session], clock: Callable[[], datetime], worker: str
    ) -> None:
        self.desk = desk
        self.settings = desk.settings
        self.sessions = sessions
        self.clock = clock
        self.worker = worker

    def send_due(self) -> list[str]:
        """Send every nudge and digest due at this moment that nobody has sent; returns what this look sent."""
        now = self.clock()
        sent = self._nudges(now) if self.settings.remind_lead() > timedelta(0) else []
        return sent + self._digests(now)

    # -- nudges --------------------------------------------------------------------------------------

    def _nudges(self, now: datetime) -> list[str]:
        """Open, assigned claims due within the lead; their card's thread is where the assignee is told."""
        wanted = ClaimFilter(
            scope="open", due_from=now, due_before=now + self.settings.remind_lead(), limit=NUDGES_PER_LOOK
        )
        due = []
        with self.sessions() as session:
            for claim in list_claims(session, wanted):
                where = thread_location(session, claim.thread.ref)
                if claim.assignee and claim.due_at and where is not None:
                    due.append((claim.ref, claim.assignee, claim.due_at, where, self._nudge(claim, now)))
        sent = []
        for ref, assignee, due_at, where, reply in due:
            platform, _, user = assignee.partition(":")
            subject = f"{ref} {assignee}"
            mention = user if platform == where.platform else None
            if self._send("nudge", subject, due_at, where, partial(_same, reply), mention):
                sent.append(f"nudge {subject}")
        return sent

    def _nudge(self, claim: Claim, now: datetime) -> Reply:
        assert claim.due_at is not None
        zone_name = self.settings.timezone
        who = views.person(claim.assignee, claim.assignee_display)
        line = f"⏰ {who}: {claim.ref} is due in {_remaining(claim.due_at - now)} ({describe(claim.due_at, zone_name)})"
        return Reply(
            title=line,
            text=f"“{clip(claim.text, 200, one_line=True)}”",
            fields=views.claim_fields(claim, self.desk.scale, now),
            visibility=Visibility.public,
            thread_ref=claim.thread.ref,
            data={"reminder": "nudge", "claim": views.claim_data(claim, self.desk.scale)},
        )

    # -- digests -------------------------------------------------------------------------------------

    def _digests(self, now: datetime) -> list[str]:
        """Each configured channel's digest, once its time of day has come in the desk's zone."""
        local = now.astimezone(zone(self.settings.timezone))
        hour, minute = (int(part) for part in self.settings.digest_time.split(":"))
        scheduled = datetime.combine(local.date(), time(hour, minute), tzinfo=local.tzinfo)
        if now < scheduled:
            return []
        sent = []
        for platform, workspace, channel in self.settings.digest_places():
            where = Place(platform=platform, workspace=workspace, channel=channel)
            subject = f"{platform}:{workspace}/{channel}"
            if notice_poster_for(platform) is None:
                continue
            build = partial(
                self.digest, where, scheduled
            )  # three queries: only once the digest is ours to send
            if self._send("digest", subject, scheduled, where, build, None):
                sent.append(f"digest {subject}")
        return sent

    def digest(self, where: Place, day: datetime) -> Reply:
        """Overdue, unassigned and due-today claims of `where`'s workspace: the desk's own `list` views."""
        reader = Actor(
            platform=where.platform, user_id="factdesk", display="factdesk", timezone=self.settings.timezone
        )
        lists = {name: self.desk.workspace_list(view, reader, where) for name, view in DIGEST_VIEWS.items()}
        sections = [
            Section(
                title=f"{listed.title} ({len(listed.data['claims']) if listed.data else 0}"
                f"{'+' if listed.data and listed.data.get('more') else ''})",
                items=[item for part in listed.sections for item in part.items],
                text=listed.text,
            )
            for listed in lists.values()
        ]
        return Reply(
            title=f"🗓️ Desk digest, {day:%a} {day.day} {day:%b %Y}",
            sections=sections,
            visibility=Visibility.public,
            data={"reminder": "digest", **{name: listed.data for name, listed in lists.items()}},
        )

    # -- sending once ----------------------------------------------------------------------------------

    def _send(
        self,
        kind: str,
        subject: str,
        due_at: datetime,
        where: Place,
        build: Callable[[], Reply],
        mention: str | None,
    ) -> bool:
        """Take the reminder's row, then build and post it; a failure gives the row back."""
        poster: NoticePoster | None = notice_poster_for(where.platform)
        if poster is None:
            return False
        with self.sessions() as session, session.begin():
            if not take_reminder(session, kind, subject, due_at, self.worker):
                return False
        try:
            poster(where, build(), mention)
        except Exception:
            CHAT_API_ERRORS.labels(platform=where.platform).inc()
            log.exception("a reminder could not be posted; the next look retries", extra={"reminder": kind})
            with self.sessions() as session, session.begin():
                release_reminder(session, kind, subject, due_at)
            return False
        log.info("reminder sent", extra={"reminder": kind, "subject": subject, "worker": self.worker})
        return True


def _same(reply: Reply) -> Reply:
    return reply


def _remaining(left: timedelta) -> str:
    minutes = max(1, round(left.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
