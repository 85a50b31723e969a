"""Looking up triage threads by reference and by article fingerprint; and retention of their texts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from storage.audit import record
from storage.models import Claim, TriageThread, utcnow


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


def purge_article_texts(session: Session, *, finished_before: datetime, actor: str) -> int:
    """Delete the article text of threads finished before a date (retention), keeping everything else.

    One UPDATE ... RETURNING, so no text is loaded and no id list can outgrow the driver's parameter limit.
    """
    purged = session.scalars(
        update(TriageThread)
        .where(
            TriageThread.article_text.is_not(None),
            TriageThread.triage_status.in_(("done", "failed")),
            TriageThread.created_at < finished_before,
        )
        .values(article_text=None, text_purged_at=utcnow())
        .returning(TriageThread.id)
        .execution_options(synchronize_session="fetch")
    ).all()
    after = {"finished_before": finished_before.isoformat()}
    for thread_id in purged:
        record(session, actor=actor, action="thread.text_purged", thread_id=thread_id, after=after)
    return len(purged)
