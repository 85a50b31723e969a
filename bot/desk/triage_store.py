"""Between a TriageReport and the database: store a finished triage, find one already made, and
remember where its card was posted. The triage service and the adapters call these; nothing else does."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.desk.api import Actor, Place
from bot.desk.refs import parse_ref
from bot.desk.row_mapping import ATTRIBUTIONS, CLAIMS, NAMES
from bot.desk.views import name_of
from bot.links import canonical_key
from bot.models import (
    ArticleInfo,
    ClaimDesk,
    DeskStatus,
    ExtractorInfo,
    TriageReport,
)
from storage import models as rows
from storage.audit import record
from storage.places import get_or_create_channel
from storage.threads import find_by_article, get_thread


def save_report(
    session: Session, report: TriageReport, actor: Actor, place: Place, article_text: str
) -> TriageReport:
    """Store the thread with its claims, attributions and names, plus a `thread.triaged` event.

    Returns the report with `thread_ref` set and claim ids replaced by their desk refs (`C-n`). If another
    process stored the same article first, returns that thread's report with `already_triaged=True`.
    """
    canonical = canonical_key(report.article.url) if report.article.url else None
    channel = get_or_create_channel(session, place.platform, place.workspace, place.channel)
    thread = rows.TriageThread(
        channel_id=channel.id,
        thread_external=place.thread,
        source_message=place.message,
        article_url=report.article.url,
        canonical_url=canonical,
        title=report.article.title,
        sha256=report.article.sha256,
        article_text=article_text,
        words=report.article.words,
        language=report.article.language,
        byline=report.article.byline,
        published=report.article.published,
        site=report.article.site,
        extractor_name=report.extractor.name,
        extractor_version=report.extractor.version,
        summary=report.summary,
        sentences=report.sentences,
        notes=list(report.notes),
        triage_status="done",
        created_by=actor.key,
        created_by_display=actor.display,
    )
    try:
        with session.begin_nested():
            session.add(thread)
            session.flush()
    except IntegrityError:
        existing = find_existing(session, report.article.sha256, canonical)
        if existing is None:
            raise
        return existing
    _add_findings(session, thread, report)
    record(
        session,
        actor=actor.key,
        actor_display=actor.display,
        action="thread.triaged",
        thread=thread,
        after={
            "claims": len(report.claims),
            "attributions": len(report.attributions),
            "names": len(report.names),
        },
    )
    session.flush()
    return report_of(thread)


def refresh_report(session: Session, thread_ref: str, report: TriageReport, actor: Actor) -> TriageReport:
    """Re-triage `thread_ref` in place: attributions, names and summary are replaced; claims already on the
    desk keep their refs, workflow state and verdicts; claims the new run finds elsewhere are added."""
    thread = _thread(session, thread_ref)
    if thread is None:
        raise ValueError(f"unknown thread {thread_ref}")
    thread = get_thread_with_findings(thread)
    before = {
        "extractor": f"{thread.extractor_name} {thread.extractor_version}",
        "claims": len(thread.claims),
    }
    record(
        session,
        actor=actor.key,
        actor_display=actor.display,
        action="thread.retriaged",
        thread=thread,
        before=before,
    )
    for claim in thread.claims:
        claim.attribution = None
    thread.attributions.clear()
    thread.names.clear()
    session.flush()
    kept = [(c.start_offset, c.end_offset) for c in thread.claims]
    fresh = [c for c in report.claims if not any(c.start < end and start < c.end for start, end in kept)]
    first_position = len(thread.claims)
    _add_findings(session, thread, report.model_copy(update={"claims": fresh}), first_position=first_position)
    thread.extractor_name = report.extractor.name
    thread.extractor_version = report.extractor.version
    thread.summary = report.summary
    thread.sentences = report.sentences
    thread.notes = list(report.notes)
    session.flush()
    return report_of(thread)


def _add_findings(
    session: Session, thread: rows.TriageThread, report: TriageReport, first_position: int = 0
) -> None:
    by_label: dict[str, rows.Attribution] = {}
    for attribution in report.attributions:
        by_label[attribution.id] = ATTRIBUTIONS.row_of(attribution)
        thread.attributions.append(by_label[attribution.id])
    for position, claim in enumerate(report.claims, first_position):
        thread.claims.append(
            CLAIMS.row_of(claim, position=position, attribution=by_label.get(claim.attribution_id or ""))
        )
    thread.names.extend(NAMES.row_of(name) for name in report.names)
    session.flush()


def find_existing(session: Session, sha256: str, canonical_url: str | None) -> TriageReport | None:
    """The stored report for this article (same text, else same canonical URL), marked already_triaged."""
    thread = find_by_article(session, sha256, canonical_url)
    if thread is None or thread.triage_status != "done" or thread.sha256 is None:
        return None
    return report_of(thread, already_triaged=True)


def load_report(session: Session, thread_ref: str) -> TriageReport | None:
    """The stored report of `T-n`, for re-rendering its card (e.g. "show all")."""
    thread = _thread(session, thread_ref)
    if thread is None or thread.sha256 is None:
        return None
    return report_of(thread)


def report_of(thread: rows.TriageThread, *, already_triaged: bool = False) -> TriageReport:
    thread = get_thread_with_findings(thread)
    return TriageReport(
        article=ArticleInfo(
            title=thread.title,
            url=thread.article_url,
            sha256=thread.sha256 or "",
            words=thread.words,
            language=thread.language or "und",
            byline=thread.byline,
            published=thread.published,
            site=thread.site,
        ),
        summary=thread.summary or "",
        claims=[
            CLAIMS.item_of(
                claim,
                id=claim.ref,
                attribution_id=claim.attribution.label if claim.attribution is not None else None,
                desk=desk_state(claim),
            )
            for claim in thread.claims
        ],
        attributions=[ATTRIBUTIONS.item_of(a) for a in thread.attributions],
        names=[NAMES.item_of(n) for n in thread.names],
        extractor=ExtractorInfo(
            name=thread.extractor_name or "unknown", version=thread.extractor_version or ""
        ),
        sentences=thread.sentences,
        notes=list(thread.notes or []),
        thread_ref=thread.ref,
        already_triaged=already_triaged,
    )


def desk_state(claim: rows.Claim) -> ClaimDesk:
    """What the card shows of a claim's workflow: the checker and due date while open, the verdict once done."""
    status = DeskStatus(claim.status or DeskStatus.new)
    return ClaimDesk(
        status=status,
        assignee=name_of(claim.assignee, claim.assignee_display),
        due=claim.due_date if claim.is_open else None,
        verdict=claim.verdict if status is DeskStatus.done else None,
    )


def get_thread_with_findings(thread: rows.TriageThread) -> rows.TriageThread:
    """The same thread with claims, attributions and names loaded in three queries, not one per claim."""
    session = Session.object_session(thread)
    loaded = get_thread(session, thread.id, with_findings=True) if session is not None else None
    return loaded or thread


def thread_location(session: Session, thread_ref: str) -> Place | None:
    """Where the thread's card lives, so a public line can be posted beside it."""
    thread = _thread(session, thread_ref)
    if thread is None:
        return None
    return Place(
        platform=thread.channel.workspace.platform,
        workspace=thread.channel.workspace.external_id,
        channel=thread.channel.external_id,
        thread=thread.thread_external,
        message=thread.card_message,
    )


def set_card_message(session: Session, thread_ref: str, place: Place) -> None:
    """Record the chat thread and message id of the posted card (with its event row)."""
    thread = _thread(session, thread_ref)
    if thread is None:
        raise LookupError(f"There is no triage thread {thread_ref}.")
    before = {"thread": thread.thread_external, "card_message": thread.card_message}
    if place.thread is not None:
        thread.thread_external = place.thread
    thread.card_message = place.message
    after = {"thread": thread.thread_external, "card_message": thread.card_message}
    record(
        session,
        actor=f"{place.platform}:bot",
        action="thread.card_posted",
        thread=thread,
        before=before,
        after=after,
    )
    session.flush()


def _thread(session: Session, thread_ref: str) -> rows.TriageThread | None:
    ref = parse_ref(thread_ref)
    if ref is None or ref.kind != "T":
        return None
    return get_thread(session, ref.number)
