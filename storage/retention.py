"""Retention: newsrooms must not keep article texts forever, but must keep what the desk decided.

Drops the article text of finished triage threads and the pasted text of finished jobs; claims, verdicts,
notes and the event log stay. The run itself is recorded as an event.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy.orm import Session

from storage import jobs
from storage.audit import record
from storage.threads import purge_article_texts


class PurgeResult(BaseModel):
    threads: int
    jobs: int


def purge_texts(session: Session, *, finished_before: datetime, actor: str) -> PurgeResult:
    threads = purge_article_texts(session, finished_before=finished_before, actor=actor)
    pastes = jobs.purge_messages(session, finished_before=finished_before)
    record(
        session,
        actor=actor,
        action="retention.purge",
        after={"finished_before": finished_before.isoformat(), "threads": threads, "jobs": pastes},
    )
    session.flush()
    return PurgeResult(threads=threads, jobs=pastes)
