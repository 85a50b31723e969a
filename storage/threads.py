"""Looking up triage threads: by reference, by article fingerprint, by chat location, and unfinished jobs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from storage.audit import record
from storage.models import Channel, Claim, TriageThread, Workspace, utcnow


def get_thread(session: Session, thread_id: int, *, with_findings: bool = False) -> TriageThread | None:
    if not with_findings:
        return session.get(TriageThread, thread_id)
    query = (
        select(TriageThread)
        .where(TriageThread.id == thread_id)
        .options(
            selectinload(TriageThread.claims).selectinload(Claim.attribution),
            selectinload(TriageThread.attributions),
            selectinload(TriageThread.names),
        )
    )
    return session.scalars(query).first()


def find_by_article(
    session: Session, sha256: str | None, canonical_url: str | None = None
) -> TriageThread | None:
    """The thread already made for this article: same normalised text, else same canonical URL."""
    if sha256:
        found = session.scalars(select(TriageThread).where(TriageThread.sha256 == sha256)).first()
        if found is not None:
            return found
    if canonical_url:
        query = (
            select(TriageThread).where(TriageThread.canonical_url == canonical_url).order_by(TriageThread.id)
        )
        return session.scalars(query.limit(1)).first()
    return None


def find_by_place(
    session: Session, platform: str, workspace: str, channel: str, thread_external: str
) -> TriageThread | None:
    """The triage whose card lives in this chat thread (for commands typed inside it)."""
    query = (
        select(TriageThread)
        .join(Channel, TriageThread.channel_id == Channel.id)
        .join(Workspace, Channel.workspace_id == Workspace.id)
        .where(
            Workspace.platform == platform,
            Workspace.external_id == workspace,
            Channel.external_id == channel,
            TriageThread.thread_external == thread_external,
        )
        .order_by(TriageThread.id.desc())
    )
    return session.scalars(query.limit(1)).first()


def unfinished(
    session: Session, *, stale_before: datetime | None = None, limit: int = 100
) -> list[TriageThread]:
    """Queued jobs, and running ones not touched since `stale_before` (their worker probably died)."""
    query = select(TriageThread).where(TriageThread.triage_status == "queued")
    rows = list(session.scalars(query.order_by(TriageThread.id).limit(limit)))
    if stale_before is not None:
        running = select(TriageThread).where(
            TriageThread.triage_status == "running", TriageThread.updated_at < stale_before
        )
        rows += list(session.scalars(running.order_by(TriageThread.id).limit(limit)))
    return rows


def set_triage_status(
    session: Session, thread: TriageThread, status: str, *, actor: str, error: str | None = None
) -> None:
    """Move the triage job along queued → running → done | failed, with its event row."""
    before = {"triage_status": thread.triage_status}
    thread.triage_status = status
    thread.triage_error = error
    after = {"triage_status": status} | ({"error": error} if error else {})
    record(session, actor=actor, action="thread.triage_status", thread=thread, before=before, after=after)


def purge_article_texts(session: Session, *, finished_before: datetime, actor: str) -> int:
    """Delete the article text of threads finished before a date (retention), keeping everything else."""
    ids = list(
        session.scalars(
            select(TriageThread.id).where(
                TriageThread.article_text.is_not(None),
                TriageThread.triage_status.in_(("done", "failed")),
                TriageThread.created_at < finished_before,
            )
        )
    )
    for thread_id in ids:
        record(
            session,
            actor=actor,
            action="thread.text_purged",
            thread=session.get(TriageThread, thread_id),
            after={"finished_before": finished_before.isoformat()},
        )
    if ids:
        session.flush()
        session.execute(
            update(TriageThread)
            .where(TriageThread.id.in_(ids))
            .values(article_text=None, text_purged_at=utcnow())
            .execution_options(synchronize_session="fetch")
        )
    return len(ids)
