"""The desk's own rulings in the archive: a claim joins the match index when it gets a verdict and leaves it
when it is reopened (or its verdict withdrawn), in the same transaction as the change."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.desk.verdicts import VerdictScale
from bot.matching.vectors import embed_rows
from storage import archive
from storage.archive import ArchiveRow
from storage.models import Claim

DESK_SOURCE = "desk"


def sync_claim(session: Session, claim: Claim, scale: VerdictScale, ruled_by: str) -> None:
    verdict = scale.get(claim.verdict) if claim.status == "done" else None
    if verdict is None:
        archive.remove_claim(session, claim.id)
        return
    [vector] = embed_rows([(claim.text, None)])
    when = claim.verdict_at or claim.updated_at
    archive.upsert(
        session,
        [
            ArchiveRow(
                review_url=claim.ref,
                claim=claim.text,
                source=DESK_SOURCE,
                rating=verdict.label,
                publisher=ruled_by,
                published=when.date() if when else None,
                language=claim.thread.language if claim.thread is not None else None,
                claim_id=claim.id,
                vector=vector,
            )
        ],
    )
