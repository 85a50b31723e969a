"""Typed SQLAlchemy models of the desk: where a triage lives, what it found, and everything done to it since.

Every change to an audited row (thread, claim) must be flushed together with an `Event` row in the same
transaction; `storage.audit` enforces this on every session.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

OPEN_STATUSES = ("new", "assigned", "in_progress", "needs_review")

# Partial-index predicates are literal SQL so the planner matches them whatever the parameter style.
OPEN_SQL = "status IN ('new', 'assigned', 'in_progress', 'needs_review')"
DONE_SQL = "status = 'done'"


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite hands back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


class Workspace(Base):
    """A Slack workspace, a Discord guild, or the local CLI."""

    __tablename__ = "workspaces"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(200))


class Channel(Base):
    __tablename__ = "channels"
    __table_args__ = (UniqueConstraint("workspace_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(200))

    workspace: Mapped[Workspace] = relationship(lazy="joined")


class TriageThread(Base):
    """One triaged article and the chat thread its card lives in. `sha256` is unique: one article, one thread."""

    __tablename__ = "triage_threads"
    __table_args__ = (
        UniqueConstraint("sha256"),
        Index("ix_triage_threads_canonical_url", "canonical_url"),
        Index("ix_triage_threads_channel_id", "channel_id", "id"),
        Index("ix_triage_threads_triage_status", "triage_status", "updated_at"),
        Index("ix_triage_threads_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    thread_external: Mapped[str | None] = mapped_column(String(64))
    source_message: Mapped[str | None] = mapped_column(String(64))
    card_message: Mapped[str | None] = mapped_column(String(64))
    article_url: Mapped[str | None] = mapped_column(Text)
    canonical_url: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    article_text: Mapped[str | None] = mapped_column(Text)
    words: Mapped[int] = mapped_column(Integer, default=0)
    language: Mapped[str | None] = mapped_column(String(16))
    byline: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(64))
    site: Mapped[str | None] = mapped_column(String(200))
    extractor_name: Mapped[str | None] = mapped_column(String(64))
    extractor_version: Mapped[str | None] = mapped_column(String(32))
    summary: Mapped[str | None] = mapped_column(Text)
    sentences: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[list[str]] = mapped_column(default=list)
    triage_status: Mapped[str] = mapped_column(String(16), default="queued")
    triage_error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(128))
    created_by_display: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    text_purged_at: Mapped[datetime | None]

    channel: Mapped[Channel] = relationship(lazy="joined")
    claims: Mapped[list[Claim]] = relationship(
        back_populates="thread", order_by="Claim.position", cascade="all, delete-orphan"
    )
    attributions: Mapped[list[Attribution]] = relationship(
        back_populates="thread", order_by="Attribution.start_offset", cascade="all, delete-orphan"
    )
    names: Mapped[list[NameIssue]] = relationship(
        order_by="NameIssue.start_offset", cascade="all, delete-orphan"
    )

    @property
    def ref(self) -> str:
        return f"T-{self.id}"


class Attribution(Base):
    __tablename__ = "attributions"
    __table_args__ = (Index("ix_attributions_thread_id", "thread_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("triage_threads.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(32))  # the report's own id, e.g. "a3"
    text: Mapped[str] = mapped_column(Text)
    start_offset: Mapped[int]
    end_offset: Mapped[int]
    source: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    strength: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(16))
    model_view: Mapped[str | None] = mapped_column(String(16))  # the model's reading: confirmed|questioned

    thread: Mapped[TriageThread] = relationship(back_populates="attributions")


class NameIssue(Base):
    __tablename__ = "name_issues"
    __table_args__ = (Index("ix_name_issues_thread_id", "thread_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("triage_threads.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    start_offset: Mapped[int]
    end_offset: Mapped[int]
    found: Mapped[str] = mapped_column(Text)
    suggestion: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(16))
    model_view: Mapped[str | None] = mapped_column(String(16))


class Claim(Base):
    """A check-worthy span and its workflow. `version` makes concurrent edits fail instead of overwriting."""

    __tablename__ = "claims"
    __table_args__ = (
        Index("ix_claims_thread_id", "thread_id", "position"),
        Index(
            "ix_claims_open_assignee",
            "assignee",
            "due_at",
            postgresql_where=text(OPEN_SQL),
            sqlite_where=text(OPEN_SQL),
        ),
        Index(  # `list @leo` matches display names case-insensitively
            "ix_claims_open_assignee_display_lower",
            text("lower(assignee_display)"),
            postgresql_where=text(OPEN_SQL),
            sqlite_where=text(OPEN_SQL),
        ),
        Index("ix_claims_open_due", "due_at", postgresql_where=text(OPEN_SQL), sqlite_where=text(OPEN_SQL)),
        Index(
            "ix_claims_done_verdict_at",
            "verdict_at",
            "assignee",
            "assignee_display",
            "seconds_to_verdict",
            postgresql_where=text(DONE_SQL),
            sqlite_where=text(DONE_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("triage_threads.id", ondelete="CASCADE"))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    start_offset: Mapped[int]
    end_offset: Mapped[int]
    kind: Mapped[str] = mapped_column(String(32))
    checkworthiness: Mapped[float] = mapped_column(Float)
    speaker: Mapped[str | None] = mapped_column(Text)
    attribution_id: Mapped[int | None] = mapped_column(ForeignKey("attributions.id", ondelete="SET NULL"))
    signals: Mapped[list[str]] = mapped_column(default=list)
    origin: Mapped[str] = mapped_column(String(16), default="offline")
    # Fields another part set on this finding, e.g. {"kind": "llm"}: the card says what the model changed.
    field_origins: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    status: Mapped[str] = mapped_column(String(16), default="new")
    verdict: Mapped[str | None] = mapped_column(String(32))
    explanation: Mapped[str | None] = mapped_column(Text)
    dismiss_reason: Mapped[str | None] = mapped_column(Text)
    assignee: Mapped[str | None] = mapped_column(String(128))
    assignee_display: Mapped[str | None] = mapped_column(String(200))
    due_at: Mapped[datetime | None]  # a due day without a time is stored as 23:59 that day
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    verdict_at: Mapped[datetime | None]
    seconds_to_verdict: Mapped[int | None]
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    thread: Mapped[TriageThread] = relationship(back_populates="claims")
    attribution: Mapped[Attribution | None] = relationship()
    notes: Mapped[list[Note]] = relationship(order_by="Note.id", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def ref(self) -> str:
        return f"C-{self.id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def due_date(self) -> date | None:
        """The UTC day the check is due, for cards and filters that work in days."""
        return self.due_at.date() if self.due_at else None


# `list sort score`: the open queue, most check-worthy first.
Index(
    "ix_claims_open_score",
    Claim.checkworthiness.desc(),
    Claim.id,
    postgresql_where=text(OPEN_SQL),
    sqlite_where=text(OPEN_SQL),
)

# Newest threads first, each thread's claims in rank order: the order of `list open`.
Index(
    "ix_claims_open",
    Claim.thread_id.desc(),
    Claim.position,
    postgresql_where=text(OPEN_SQL),
    sqlite_where=text(OPEN_SQL),
)


class Note(Base):
    __tablename__ = "notes"
    __table_args__ = (Index("ix_notes_claim_id", "claim_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    author: Mapped[str] = mapped_column(String(128))
    author_display: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Event(Base):
    """Append-only audit trail: who did what to which claim or thread, with the values before and after."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_claim_id", "claim_id", "id"),
        Index("ix_events_thread_id", "thread_id", "id"),
        Index("ix_events_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(128))
    actor_display: Mapped[str | None] = mapped_column(String(200))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("triage_threads.id", ondelete="SET NULL"))
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]


class ProcessedEvent(Base):
    """Chat deliveries already handled; the unique constraint makes dedupe hold across processes."""

    __tablename__ = "processed_events"
    __table_args__ = (
        UniqueConstraint("platform", "event_id"),
        Index("ix_processed_events_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SentReminder(Base):
    """A reminder some worker has taken on: the unique key lets exactly one of many workers send each.

    `kind` is "nudge" (subject: the claim and its assignee) or "digest" (subject: the digest's channel);
    `due_at` is the moment the reminder is about (the claim's due time, the digest's scheduled time), so a
    claim given a new due time or a new assignee is a new reminder."""

    __tablename__ = "sent_reminders"
    __table_args__ = (UniqueConstraint("kind", "subject", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(255))
    due_at: Mapped[datetime]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    worker: Mapped[str] = mapped_column(String(128))


class LlmCacheEntry(Base):
    __tablename__ = "llm_cache"
    __table_args__ = (UniqueConstraint("key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(512))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LlmCall(Base):
    __tablename__ = "llm_calls"
    __table_args__ = (Index("ix_llm_calls_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("triage_threads.id", ondelete="SET NULL"))
    model: Mapped[str] = mapped_column(String(128))
    tokens_in: Mapped[int] = mapped_column(Integer, default=0)
    tokens_out: Mapped[int] = mapped_column(Integer, default=0)
    latency_ms: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ArchivedFactCheck(Base):
    """A published fact-check (imported) or one of the desk's own verdicts, as the matcher's index sees it.

    `review_url` is the identity, so a re-import updates in place. `vector` holds the record's sentence
    embedding (float16 bytes) so worker processes load it instead of encoding again; `updated_at` lets them
    pick up what other processes changed without a restart."""

    __tablename__ = "factcheck_archive"
    __table_args__ = (
        UniqueConstraint("review_url"),
        UniqueConstraint("claim_id"),
        Index("ix_factcheck_archive_source", "source"),
        Index("ix_factcheck_archive_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_url: Mapped[str] = mapped_column(String(2000))
    claim: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    rating: Mapped[str | None] = mapped_column(String(200))
    publisher: Mapped[str | None] = mapped_column(String(200))
    published: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(100))
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    vector: Mapped[bytes | None] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
