"""Read-only queries for the web board, each scoped to one workspace (a Slack workspace, a Discord server).

A claim belongs to a workspace through its thread's channel. Day buckets are UTC dates on both backends.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session, joinedload

from storage.audit import history
from storage.models import OPEN_STATUSES, Channel, Claim, Event, Note, TriageThread, Workspace

Sort = Literal["score", "oldest", "newest"]
StatusFilter = Literal["open", "unassigned", "done", "dismissed", "all"]
CONTEXT_CHARS = 400  # article text shown either side of a claim


@dataclass(frozen=True)
class WorkspaceKey:
    platform: str
    external_id: str


@dataclass(frozen=True)
class QueueQuery:
    status: StatusFilter = "open"
    assignee: str | None = None  # actor key or display name
    text: str | None = None  # words in the claim or the article title
    sort: Sort = "score"
    limit: int = 100


@dataclass(frozen=True)
class QueueRow:
    claim_id: int
    thread_id: int
    text: str
    kind: str
    score: float
    status: str
    verdict: str | None
    assignee: str | None
    due_date: date | None
    created_at: datetime
    article_title: str | None


@dataclass(frozen=True)
class ClaimPage:
    claim: Claim
    before: str | None  # None when the article text was purged
    after: str | None
    events: list[Event]
    notes: list[Note]


@dataclass(frozen=True)
class Charts:
    days: list[date]
    opened: list[int]
    closed: list[int]
    verdicts: dict[str, int]
    median_hours_to_verdict: float | None
    open_load: dict[str, int] = field(default_factory=dict)  # checker (or "unassigned") -> open claims


def _in_workspace(query: Select[Any], key: WorkspaceKey) -> Select[Any]:
    return (
        query.join(TriageThread, Claim.thread_id == TriageThread.id)
        .join(Channel, TriageThread.channel_id == Channel.id)
        .join(Workspace, Channel.workspace_id == Workspace.id)
        .where(Workspace.platform == key.platform, Workspace.external_id == key.external_id)
    )


def _status(wanted: StatusFilter) -> ColumnElement[bool] | None:
    if wanted == "open":
        return Claim.status.in_(OPEN_STATUSES)
    if wanted == "unassigned":
        return Claim.status.in_(OPEN_STATUSES) & Claim.assignee.is_(None)
    if wanted in ("done", "dismissed"):
        return Claim.status == wanted
    return None


def queue(session: Session, key: WorkspaceKey, wanted: QueueQuery) -> list[QueueRow]:
    """The workspace's claims, filtered and sorted as the board's queue page asks."""
    query = _in_workspace(select(Claim, TriageThread.title), key)
    status = _status(wanted.status)
    if status is not None:
        query = query.where(status)
    if wanted.assignee:
        person = wanted.assignee.strip().lstrip("@").lower()
        query = query.where(
            or_(func.lower(Claim.assignee) == person, func.lower(Claim.assignee_display) == person)
        )
    if wanted.text and wanted.text.strip():
        for word in wanted.text.lower().split()[:8]:
            query = query.where(
                or_(
                    func.lower(Claim.text).contains(word, autoescape=True),
                    func.lower(func.coalesce(TriageThread.title, "")).contains(word, autoescape=True),
                )
            )
    order = {
        "score": [Claim.checkworthiness.desc(), Claim.id],
        "oldest": [Claim.created_at, Claim.id],
        "newest": [Claim.created_at.desc(), Claim.id.desc()],
    }[wanted.sort]
    rows = session.execute(query.order_by(*order).limit(wanted.limit)).all()
    return [
        QueueRow(
            claim_id=claim.id,
            thread_id=claim.thread_id,
            text=claim.text,
            kind=claim.kind,
            score=claim.checkworthiness,
            status=claim.status,
            verdict=claim.verdict,
            assignee=claim.assignee_display or claim.assignee,
            due_date=claim.due_date,
            created_at=claim.created_at,
            article_title=title,
        )
        for claim, title in rows
    ]


def claim_workspace(session: Session, claim_id: int) -> WorkspaceKey | None:
    """Which workspace a claim belongs to, so a link for another one is refused rather than shown."""
    row = session.execute(
        select(Workspace.platform, Workspace.external_id)
        .select_from(Claim)
        .join(TriageThread, Claim.thread_id == TriageThread.id)
        .join(Channel, TriageThread.channel_id == Channel.id)
        .join(Workspace, Channel.workspace_id == Workspace.id)
        .where(Claim.id == claim_id)
    ).first()
    return WorkspaceKey(row[0], row[1]) if row else None


def claim_page(session: Session, key: WorkspaceKey, claim_id: int) -> ClaimPage | None:
    """One claim of this workspace with the article text around it and its whole event history."""
    claim = (
        session.scalars(
            _in_workspace(select(Claim), key)
            .where(Claim.id == claim_id)
            .options(joinedload(Claim.thread), joinedload(Claim.notes))
        )
        .unique()
        .first()
    )
    if claim is None:
        return None
    article = claim.thread.article_text
    before = after = None
    if article:
        before = _trim_start(article[max(0, claim.start_offset - CONTEXT_CHARS) : claim.start_offset])
        after = _trim_end(article[claim.end_offset : claim.end_offset + CONTEXT_CHARS])
    return ClaimPage(
        claim=claim,
        before=before,
        after=after,
        events=history(session, claim_id=claim.id, limit=1000),
        notes=list(claim.notes),
    )


def _trim_start(text: str) -> str:
    """Begin at a sentence start when one is near, so the context does not open mid-word."""
    if len(text) < CONTEXT_CHARS:
        return text
    cuts = [found + len(mark) for mark in (". ", "\n") if (found := text.find(mark)) >= 0]
    return text[min(cuts) :] if cuts else text


def _trim_end(text: str) -> str:
    if len(text) < CONTEXT_CHARS:
        return text
    cut = text.rfind(". ")
    return text[: cut + 1] if cut > 0 else text


def _utc_day(session: Session, column: Any) -> ColumnElement[Any]:
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)


def _per_day(
    session: Session, key: WorkspaceKey, column: Any, since: datetime, *where: Any
) -> dict[str, int]:
    day = _utc_day(session, column).label("day")
    query = _in_workspace(select(day, func.count()).select_from(Claim), key).where(column >= since, *where)
    return {str(d): n for d, n in session.execute(query.group_by(day)).all()}


def charts(session: Session, key: WorkspaceKey, *, today: date, days: int = 30) -> Charts:
    """What an editor-in-chief reads at a glance: flow per day, verdict mix and speed over `days`, load now."""
    first = today - timedelta(days=days - 1)
    since = datetime(first.year, first.month, first.day, tzinfo=UTC)
    opened = _per_day(session, key, Claim.created_at, since)
    verdicts_by_day = _per_day(session, key, Claim.verdict_at, since, Claim.status == "done")
    dismissed_by_day = _per_day(session, key, Claim.updated_at, since, Claim.status == "dismissed")
    span = [first + timedelta(days=i) for i in range(days)]
    mix = session.execute(
        _in_workspace(select(Claim.verdict, func.count()).select_from(Claim), key)
        .where(Claim.status == "done", Claim.verdict_at >= since)
        .group_by(Claim.verdict)
    ).all()
    seconds = session.scalars(
        _in_workspace(select(Claim.seconds_to_verdict), key).where(
            Claim.status == "done", Claim.verdict_at >= since, Claim.seconds_to_verdict.is_not(None)
        )
    ).all()
    checker = func.coalesce(Claim.assignee_display, Claim.assignee, "unassigned")
    load = session.execute(
        _in_workspace(select(checker, func.count()).select_from(Claim), key)
        .where(Claim.status.in_(OPEN_STATUSES))
        .group_by(checker)
        .order_by(func.count().desc())
    ).all()
    return Charts(
        days=span,
        opened=[opened.get(str(d), 0) for d in span],
        closed=[verdicts_by_day.get(str(d), 0) + dismissed_by_day.get(str(d), 0) for d in span],
        verdicts={verdict or "none": n for verdict, n in mix},
        median_hours_to_verdict=round(statistics.median(seconds) / 3600, 1) if seconds else None,
        open_load={name: n for name, n in load},
    )


def workspace_name(session: Session, key: WorkspaceKey) -> str | None:
    return session.scalars(
        select(Workspace.name).where(
            Workspace.platform == key.platform, Workspace.external_id == key.external_id
        )
    ).first()
