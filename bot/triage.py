"""The triage service: one entry point from a paste (text or link) to a stored triage report.

Every adapter (CLI, Slack, Discord, the worker) calls this; it never knows which platform asked.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import BaseModel

from bot.config import Settings, get_settings
from bot.desk.api import Actor, Place
from bot.desk.refs import parse_ref
from bot.errors import BadInput, CommandError, StorageUnavailable, UserFacingError
from bot.extract.offline import OfflineExtractor
from bot.links.urls import canonical_key, find_url
from bot.models import ArticleInfo, Extraction, ExtractorInfo, TriageReport
from bot.replies import Reply
from bot.report import build_report
from bot.text.language import detect_language, language_name
from bot.text.normalize import count_words, fingerprint, guess_title, intake, strip_controls

# Storage, the link fetcher and the card renderer are imported where they are used: a pasted text triaged
# without storing (`factdesk triage --no-store`) needs none of them, and start-up is a feature.
if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.extract.llm import LLMCallRecord, LLMExtractor
    from bot.links import FetchedArticle

log = logging.getLogger(__name__)


@dataclass
class _Extracted:
    extraction: Extraction
    info: ExtractorInfo
    notes: list[str] = field(default_factory=list)
    llm_calls: list[LLMCallRecord] = field(default_factory=list)  # stored with the triage


def _counted(calls: list[LLMCallRecord]) -> list[LLMCallRecord]:
    from bot.observability.metrics import LLM_CALLS, LLM_TOKENS

    for call in calls:
        LLM_CALLS.labels(call.outcome).inc()
        LLM_TOKENS.labels("in").inc(call.tokens_in)
        LLM_TOKENS.labels("out").inc(call.tokens_out)
    return list(calls)


class PasteOutcome(BaseModel):
    reply: Reply
    report: TriageReport | None = None
    duplicate: bool = False


def is_paste(message: str, settings: Settings | None = None, channel: str | None = None) -> bool:
    """A chat message is worth triaging when it holds a link or is long enough to be an article;
    a channel may narrow that to links only, its own word threshold, or nothing (FACTDESK_PASTE_RULES)."""
    settings = settings or get_settings()
    rule = settings.paste_rule(channel)
    if rule == "off":
        return False
    has_link = find_url(message) is not None
    if rule == "links":
        return has_link
    threshold = int(rule) if rule and rule.isdigit() else settings.paste_min_words
    return has_link or count_words(message) >= threshold


def paste_source(message: str, settings: Settings) -> str:
    """A short message with a link is a link paste; a long one is the article itself, links and all."""
    url = find_url(message)
    if url and count_words(message) < settings.paste_min_words:
        return url
    return message


def resolve_extractor_name(requested: str | None, settings: Settings) -> str:
    name = (requested or settings.extractor).lower()
    if name not in {"auto", "llm", "offline"}:
        raise BadInput(f"Unknown extractor “{name}”: choose auto, llm or offline.")
    if name == "auto":
        return "llm" if settings.llm_configured else "offline"
    if name == "llm" and not settings.llm_configured:
        raise BadInput(
            "The LLM extractor needs FACTDESK_LLM_MODEL (and OPENAI_BASE_URL / OPENAI_API_KEY) to be set."
        )
    return name


class TriageService:
    def __init__(
        self, settings: Settings | None = None, session_factory: Callable[[], Session] | None = None
    ) -> None:
        self.settings = settings or get_settings()
        self._session_factory = session_factory
        self.offline = OfflineExtractor()

    @property
    def session_factory(self) -> Callable[[], Session]:
        if self._session_factory is None:
            from bot.database import session_factory_for

            self._session_factory = session_factory_for(self.settings.database_url)
        return self._session_factory

    # -- reading -----------------------------------------------------------------------------------

    def read(self, source: str) -> tuple[str, FetchedArticle | None]:
        """Text or URL in, clean normalised article text out (plus what the link told us, cleaned too)."""
        url = source.strip() if source.strip().lower().startswith(("http://", "https://")) else None
        fetched = None
        if url and " " not in url:
            from bot.links import fetch_article

            fetched = fetch_article(url, self.settings)
        text = intake(fetched.text if fetched else source, self.settings.max_input_chars)
        if fetched is not None:
            page_says = {"title": fetched.title, "byline": fetched.byline, "site": fetched.site}
            fetched = fetched.model_copy(
                update={k: strip_controls(v) for k, v in page_says.items() if v is not None}
            )
        return text, fetched

    # -- extraction --------------------------------------------------------------------------------

    def extract(self, text: str, extractor: str | None = None) -> _Extracted:
        """The offline extraction always runs; in LLM mode the model's grounded findings are merged into it,
        so a weak or failing model can add to the card but never take anything away."""
        name = resolve_extractor_name(extractor, self.settings)
        offline = self.offline.extract(text)
        if name == "offline":
            return _Extracted(offline, self.offline.info)
        from bot.extract.llm import LLMUnavailable
        from bot.extract.merge import merge

        llm = self.llm_extractor()
        try:
            extraction = merge(llm.extract(text), offline)
        except LLMUnavailable as exc:
            log.warning("llm extractor failed, falling back to offline: %s", exc.sentence)
            return _Extracted(offline, self.offline.info, [exc.sentence], _counted(llm.calls))
        return _Extracted(
            extraction, ExtractorInfo(name=llm.name, version=llm.version), [], _counted(llm.calls)
        )

    def llm_extractor(self) -> LLMExtractor:
        """The LLM extractor as triage runs it, its answers cached in this service's database."""
        from bot.database import SqlLLMCache
        from bot.extract.llm import LLMExtractor

        # Opened lazily, so a database that cannot be opened costs cache hits, not the triage.
        return LLMExtractor(self.settings, cache=SqlLLMCache(lambda: self.session_factory()))

    def analyse(
        self, text: str, *, fetched: FetchedArticle | None = None, extractor: str | None = None
    ) -> TriageReport:
        """Triage normalised text without touching storage."""
        return self._analyse(text, fetched, extractor)[0]

    def _analyse(
        self, text: str, fetched: FetchedArticle | None, extractor: str | None
    ) -> tuple[TriageReport, list[LLMCallRecord]]:
        started = time.perf_counter()
        extracted = self.extract(text, extractor)
        extraction, info, notes = extracted.extraction, extracted.info, extracted.notes
        language = detect_language(text)
        if language not in {"en", "und"}:
            notes.append(
                f"This article looks like {language_name(language)}; factdesk's checks are built for English, "
                "so expect missed claims and attributions."
            )
        article = ArticleInfo(
            title=(fetched.title if fetched and fetched.title else guess_title(text)),
            url=fetched.canonical_url or fetched.final_url if fetched else None,
            sha256=fingerprint(text),
            words=count_words(text),
            language=language,
            byline=fetched.byline if fetched else None,
            published=fetched.published if fetched else None,
            site=fetched.site if fetched else None,
        )
        report = build_report(text, extraction, article, info, notes)
        log.info(
            "triaged article",
            extra={
                "sha256": article.sha256[:12],
                "words": article.words,
                "extractor": info.name,
                "claims": len(report.claims),
                "ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return report, extracted.llm_calls

    # -- the whole job -----------------------------------------------------------------------------

    def triage(
        self,
        source: str,
        *,
        actor: Actor,
        place: Place,
        store: bool = True,
        extractor: str | None = None,
    ) -> TriageReport:
        text, fetched = self.read(source)
        if not store:
            return self.analyse(text, fetched=fetched, extractor=extractor)
        report, failure = self._triage_and_store(text, fetched, actor, place, extractor)
        if failure is not None:
            raise failure
        assert report is not None
        return report

    def _triage_and_store(
        self,
        text: str,
        fetched: FetchedArticle | None,
        actor: Actor,
        place: Place,
        extractor: str | None,
    ) -> tuple[TriageReport | None, StorageUnavailable | None]:
        """The stored report (or the one stored before); when the database fails, the failure and whatever
        report was analysed before it did, so `paste` can show that card without analysing twice."""
        from bot.desk.triage_store import find_existing, save_report
        from bot.matching.prior import with_prior_checks
        from bot.storage_failures import NOT_STORED, STORAGE_FAILURES, storage_failure

        canonical = canonical_key(fetched.canonical_url or fetched.final_url) if fetched else None
        report = None
        try:
            with self.session_factory() as session:
                existing = find_existing(session, fingerprint(text), canonical)
            if existing is not None:
                return with_prior_checks(existing, self.session_factory), None
            report, llm_calls = self._analyse(text, fetched, extractor)
            with self.session_factory() as session, session.begin():
                # Another process may have finished the same article meanwhile.
                stored = find_existing(session, report.article.sha256, canonical)
                if stored is None:
                    stored = save_report(session, report, actor, place, text)
                    self._record_llm_calls(session, stored, llm_calls)
            # Matched after the transaction: SQLite lets one transaction at a time hold the database.
            return with_prior_checks(stored, self.session_factory), None
        except STORAGE_FAILURES as exc:
            return report, storage_failure(exc, NOT_STORED)

    def retriage(self, thread_ref: str, *, actor: Actor, extractor: str | None = None) -> TriageReport:
        """Run a stored triage again (after an LLM outage, or with a newer extractor); the desk's work on
        its claims is kept. A purged text is fetched again from the article's link when there is one."""
        from bot.desk.triage_store import refresh_report
        from storage.threads import get_thread

        ref = parse_ref(thread_ref)
        with self.session_factory() as session:
            thread = get_thread(session, ref.number) if ref and ref.kind == "T" else None
            if thread is None:
                raise CommandError(f"There is no triage {thread_ref}.")
            text, url = thread.article_text, thread.article_url
        fetched = None
        if text is None:
            if not url:
                raise CommandError(
                    f"{thread_ref}'s text was purged and it has no link, so it cannot be re-run."
                )
            text, fetched = self.read(url)
        report, llm_calls = self._analyse(text, fetched, extractor)
        with self.session_factory() as session, session.begin():
            stored = refresh_report(session, thread_ref, report, actor)
            self._record_llm_calls(session, stored, llm_calls)
        return stored

    def _record_llm_calls(self, session: Session, report: TriageReport, calls: list[LLMCallRecord]) -> None:
        """Token usage and latency of every LLM call are kept with the triage they served."""
        from storage.llm import record_call

        ref = parse_ref(report.thread_ref or "")
        for call in calls:
            record_call(
                session,
                model=call.model,
                tokens_in=call.tokens_in,
                tokens_out=call.tokens_out,
                latency_ms=int(call.latency_ms),
                outcome=call.outcome,
                thread_id=ref.number if ref else None,
            )

    def paste(self, message: str, actor: Actor, place: Place) -> PasteOutcome:
        """What an adapter calls for a chat message: never raises for anything the user did.

        With the database down the card is still shown, unstored, so the journalist loses nothing."""
        try:
            text, fetched = self.read(paste_source(message, self.settings))
            report, failure = self._triage_and_store(text, fetched, actor, place, None)
            if failure is not None:
                report = report or self.analyse(text, fetched=fetched)
                report.notes.append(failure.sentence + " Paste it again later to put it on the desk.")
        except UserFacingError as exc:
            return PasteOutcome(reply=Reply.failure(exc.sentence))
        assert report is not None
        from bot.render.card import render_card

        reply = render_card(report, shown=self.settings.card_claims)
        return PasteOutcome(reply=reply, report=report, duplicate=report.already_triaged)
