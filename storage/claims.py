"""Desk queries over claims: lists, one claim with its context, autocomplete and stats.

Each query is shaped to use one of the indexes in `storage.models` (see bench/storage.py for timings).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sqlalchemy import ColumnElement, and_, func, literal_column, or_, select, text
from sqlalchemy.orm import Session, joinedload, selectinload

from storage.models import OPEN_STATUSES, Channel, Claim, TriageThread, Workspace

Scope = Literal["open", "done", "dismissed", "all"]


def _status_in(statuses: tuple[str, ...]) -> ColumnElement[bool]:
    # Literal values (not bound parameters) so PostgreSQL's generic plans still match the partial indexes.
    return Claim.status.in_([literal_column(f"'{status}'") for status in statuses])


def is_open() -> ColumnElement[bool]:
    return _status_in(OPEN_STATUSES)


@dataclass(frozen=True)
class ClaimFilter:
    scope: Scope = "open"
    assignees: tuple[str, ...] = ()  # actor keys, e.g. "slack:U123"
    assignee_display: str | None = None  # matched too, for people named by display name only
    channel_id: int | None = None
    thread_id: int | None = None
    workspace: tuple[str, str] | None = None  # (platform, external id): claims triaged in that workspace
    unassigned: bool = False
    due_before: datetime | None = None  # due strictly before this moment (overdue: now)
    due_from: datetime | None = None  # and at or after this one (`due today`: midnight)
    sort: Literal["score", "due", "age"] | None = None  # None: the scope's natural order
    limit: int = 25


def get_claim(session: Session, claim_id: int, *, with_notes: bool = True) -> Claim | None:
    """One claim with its thread and attribution in a single query (notes in a second, when wanted)."""
    options = [joinedload(Claim.thread), joinedload(Claim.attribution)]
    if with_notes:
        options.append(selectinload(Claim.notes))
    return session.scalars(select(Claim).where(Claim.id == claim_id).options(*options)).unique().first()


ORDERS: dict[str, list[ColumnElement]] = {
    "score": [Claim.checkworthiness.desc(), Claim.id],
    "age": [Claim.id],  # ids grow with time: the oldest claim first
    "due": [Claim.due_at.asc().nulls_last(), Claim.id],
    "verdict": [Claim.verdict_at.desc(), Claim.id.desc()],
    "rank": [Claim.thread_id.desc(), Claim.position],  # newest triage first, each in rank order
}


def list_order(wanted: ClaimFilter) -> str:
    """The key of `ORDERS` a list uses: the one asked for, else the natural one for what is listed."""
    if wanted.sort is not None:
        return wanted.sort
    if wanted.due_before is not None or wanted.due_from is not None:
        return "due"
    if wanted.scope == "done":
        return "verdict"
    if wanted.assignees or wanted.assignee_display:
        return "due"
    return "rank"


def list_claims(session: Session, wanted: ClaimFilter) -> list[Claim]:
    """At most `limit` claims; fetch one more than you show to know whether there are more."""
    query = select(Claim).options(joinedload(Claim.thread))
    if wanted.scope == "open":
        query = query.where(is_open())
    elif wanted.scope == "done":
        query = query.where(_status_in(("done",)))
    elif wanted.scope == "dismissed":
        query = query.where(_status_in(("dismissed",)))
    people: list[ColumnElement[bool]] = []
    if wanted.assignees:
        people.append(Claim.assignee.in_(wanted.assignees))
    if wanted.assignee_display:
        people.append(func.lower(Claim.assignee_display) == wanted.assignee_display.lower())
    if people:
        query = query.where(or_(*people))
    if wanted.unassigned:
        query = query.where(Claim.assignee.is_(None))
    if wanted.due_before is not None:
        query = query.where(Claim.due_at < wanted.due_before)
    if wanted.due_from is not None:
        query = query.where(Claim.due_at >= wanted.due_from)
    if wanted.thread_id is not None:
        query = query.where(Claim.thread_id == wanted.thread_id)
    if wanted.channel_id is not None or wanted.workspace is not None:
        query = query.join(TriageThread, Claim.thread_id == TriageThread.id)
    if wanted.channel_id is not None:
        query = query.where(TriageThread.channel_id == wanted.channel_id)
    if wanted.workspace is not None:
        platform, external_id = wanted.workspace
        query = (
            query.join(Channel, TriageThread.channel_id == Channel.id)
            .join(Workspace, Channel.workspace_id == Workspace.id)
            .where(Workspace.platform == platform, Workspace.external_id == external_id)
        )
    order = ORDERS[list_order(wanted)]
    return list(session.scalars(query.order_by(*order).limit(wanted.limit)).unique())


def claims_by_id(session: Session, ids: list[int]) -> list[Claim]:
    """The claims with these ids and their threads, in no particular order."""
    if not ids:
        return []
    query = select(Claim).where(Claim.id.in_(ids)).options(joinedload(Claim.thread))
    return list(session.scalars(query).unique())


def claim_ids_starting_with(session: Session, digits: str, limit: int = 25) -> list[int]:
    """Ids whose decimal form starts with `digits`, shortest first: one primary-key range per length."""
    if not digits.isdigit() or len(digits) > 12:
        return []
    max_id = session.scalar(select(func.max(Claim.id))) or 0
    base, width, found = int(digits), 1, []
    while base * width <= max_id and len(found) < limit:
        query = select(Claim.id).where(Claim.id >= base * width, Claim.id < (base + 1) * width)
        found += session.scalars(query.order_by(Claim.id).limit(limit - len(found)))
        width *= 10
    return found


def recent_open_ids(session: Session, limit: int = 25) -> list[int]:
    return list(session.scalars(select(Claim.id).where(is_open()).order_by(Claim.id.desc()).limit(limit)))


@dataclass
class DeskStats:
    since: datetime
    open: int
    overdue: int
    unassigned: int
    done_in_window: int
    done_by_checker: list[tuple[str, str | None, int]] = field(default_factory=list)  # (key, display, count)
    median_seconds_to_verdict: float | None = None


def desk_stats(session: Session, *, since: datetime, now: datetime) -> DeskStats:
    """Three index-only scans: the open backlog, verdicts per checker in the window, and their median time."""
    if session.get_bind().dialect.name == "postgresql":
        # Parallel workers cost more than they save on scans this size, and far more on a busy server.
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    open_count, overdue, unassigned = session.execute(
        select(
            func.count(),
            func.count().filter(Claim.due_at < now),
            func.count().filter(Claim.assignee.is_(None)),
        ).where(is_open())
    ).one()
    done_window = and_(_status_in(("done",)), Claim.verdict_at >= since)
    per_checker = session.execute(
        select(Claim.assignee, Claim.assignee_display, func.count(), func.count(Claim.seconds_to_verdict))
        .where(done_window)
        .group_by(Claim.assignee, Claim.assignee_display)
        .order_by(func.count().desc(), Claim.assignee)
    ).all()
    timed_count = sum(timed for *_, timed in per_checker)
    median = None
    if timed_count:
        middle = session.scalars(
            select(Claim.seconds_to_verdict)
            .where(done_window, Claim.seconds_to_verdict.is_not(None))
            .order_by(Claim.seconds_to_verdict)
            .offset((timed_count - 1) // 2)
            .limit(2 - timed_count % 2)
        ).all()
        median = sum(v for v in middle if v is not None) / len(middle)
    return DeskStats(
        since=since,
        open=open_count,
        overdue=overdue,
        unassigned=unassigned,
        done_in_window=sum(count for _, _, count, _ in per_checker),
        done_by_checker=[(key or "", display, count) for key, display, count, _ in per_checker],
        median_seconds_to_verdict=median,
    )
