"""The LLM-backed extractor: one structured-output request per chunk, grounded, cached, bounded, failing cleanly.

Works with any OpenAI-compatible server through the official client (OPENAI_BASE_URL, OPENAI_API_KEY,
FACTDESK_LLM_MODEL). Every way a model call can fail ends in `LLMUnavailable`, whose sentence the card
shows above the offline triage; nothing the model says reaches the card unless it grounds in the article.

Bounded: temperature 0, `max_tokens` from the chunk's length, `maxItems` in the schema, and one deadline
(FACTDESK_LLM_TIMEOUT) for the whole article. The client's own retries are off, because each of them
would restart the timeout; our retries run inside the deadline, each call gets only the time left, and
once one chunk fails no other chunk starts or retries.
"""

from __future__ import annotations

import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import openai
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError

from bot.config import Settings, get_settings
from bot.errors import UserFacingError
from bot.extract.llm.cache import LLMCache, MemoryLLMCache, cache_key
from bot.extract.llm.chunking import Chunk, estimate_tokens, split_into_chunks
from bot.extract.llm.fields import REASON, STRENGTH, FieldGrounder, attribution_kind_is_grounded
from bot.extract.llm.prompt import PROMPT_VERSION, Prompt, load_prompt
from bot.extract.llm.salvage import salvage_cut_off, within_limits
from bot.extract.llm.schema import (
    ModelExtraction,
    answer_ceiling_tokens,
    json_mode_instructions,
    strict_response_format,
)
from bot.models import Attribution, Claim, Extraction, NameIssue, Origin, Span, Strength
from bot.names.gazetteer import fold
from bot.text.sentences import split_sentences

_RETRIES = 2  # our own, for 429/5xx/connection errors, inside the deadline
_BACKOFF_SECONDS = 0.5
_MAX_RETRY_WAIT = 10.0
_MAX_ERRORS_SHOWN = 6
# An answer is a few fields per finding plus copies of the chunk's own sentences: it cannot need much
# more than the chunk itself, and never more than the schema's ceiling. (A small model on one CPU thread
# writes about 8 tokens a second, so every token allowed here is wall time when it loops.)
_ANSWER_BASE_TOKENS = 200


def max_answer_tokens(chunk: str) -> int:
    """`max_tokens` for one chunk: its estimated length plus room for fields, under the schema's ceiling."""
    return min(answer_ceiling_tokens(), _ANSWER_BASE_TOKENS + estimate_tokens(chunk))


class LLMUnavailable(UserFacingError):
    """The model could not produce a usable extraction; the caller shows the offline triage instead."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"LLM unavailable ({reason}): showing offline triage")
        self.reason = reason


class LLMCallRecord(BaseModel):
    """One model call (or cache hit), stored with the triage for cost and latency accounting."""

    model: str
    prompt_version: str
    tokens_in: int = 0
    tokens_out: int = 0
    latency_ms: float = 0.0
    outcome: str = "ok"


@dataclass
class _ChunkAnswer:
    chunk: Chunk
    answer: ModelExtraction


@dataclass
class _Run:
    """One article's extraction: its call records, its deadline, and whether a chunk has already failed."""

    deadline_seconds: float
    started: float = field(default_factory=time.monotonic)
    records: list[LLMCallRecord] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    failed: threading.Event = field(default_factory=threading.Event)
    cause: BaseException | None = None  # the failure that stopped the other chunks

    def fail(self, error: BaseException) -> None:
        with self.lock:
            self.cause = self.cause or error
        self.failed.set()

    def add(self, record: LLMCallRecord) -> None:
        with self.lock:
            self.records.append(record)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def remaining(self) -> float:
        return self.deadline_seconds - self.elapsed()

    def timed_out(self) -> LLMUnavailable:
        return LLMUnavailable(f"timeout after {self.elapsed():.1f} s")


_RETRYABLE = (openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError)


def _describe_api_error(error: openai.OpenAIError) -> tuple[str, str]:
    """(outcome, reason for the user) for a failed call that is not a timeout."""
    if isinstance(error, openai.APIConnectionError):
        return "unreachable", "server unreachable"
    if isinstance(error, openai.RateLimitError):
        return "rate_limited", "rate limited by the server"
    if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
        return "auth_failed", "the server refused the API key"
    if isinstance(error, openai.NotFoundError):
        return "not_found", "model or endpoint not found"
    if isinstance(error, openai.APIStatusError):
        return "server_error", f"server error {error.status_code}"
    return "error", "unexpected response from the server"


def _retry_after(error: openai.OpenAIError) -> float | None:
    """The server's Retry-After in seconds, when it gave a number."""
    response = getattr(error, "response", None)
    header = response.headers.get("retry-after") if response is not None else None
    try:
        return min(_MAX_RETRY_WAIT, max(0.0, float(header))) if header else None
    except ValueError:
        return None


def _json_payload(content: str) -> str:
    """The JSON object inside an answer, tolerating code fences or a preamble some local models add."""
    content = content.strip()
    if content.startswith("{"):
        return content
    start, end = content.find("{"), content.rfind("}")
    return content[start : end + 1] if 0 <= start < end else content


def _repair_request(error: ValidationError) -> str:
    problems = "; ".join(
        f"{'.'.join(str(part) for part in issue['loc']) or 'answer'}: {issue['msg']}"
        for issue in error.errors()[:_MAX_ERRORS_SHOWN]
    )
    return (
        f"Your answer did not match the required JSON schema ({problems}). "
        "Answer again with the corrected JSON object only. Copy every quote exactly from the article."
    )


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _dropped_note(count: int) -> str:
    if count == 1:
        return "1 model finding could not be found in the article and was dropped"
    return f"{count} model findings could not be found in the article and were dropped"


@lru_cache(maxsize=4)
def _shared_client(api_key: str, base_url: str | None) -> openai.OpenAI:
    """One client (and connection pool) per endpoint: building one costs tens of milliseconds."""
    return openai.OpenAI(api_key=api_key, base_url=base_url, max_retries=0)


class LLMExtractor:
    name = "llm"

    def __init__(
        self,
        settings: Settings | None = None,
        client: openai.OpenAI | None = None,
        cache: LLMCache | None = None,
    ) -> None:
        self.settings = settings or get_settings()
        self.model = self.settings.llm_model or "unconfigured"
        self.prompt: Prompt = load_prompt(PROMPT_VERSION)
        self.version = f"{self.model}@prompt-{self.prompt.version}"
        self.cache: LLMCache = cache if cache is not None else MemoryLLMCache()
        self.calls: list[LLMCallRecord] = []
        self._client = client
        self._strict_schema = True

    def extract(self, text: str) -> Extraction:
        run = _Run(self.settings.llm_timeout)
        try:
            return self._extract(text, run)
        finally:
            self.calls = run.records

    def _extract(self, text: str, run: _Run) -> Extraction:
        key = cache_key(text, self.model, self.prompt.version)
        cached = self._cached(key)
        if cached is not None:
            run.add(self._record(outcome="cached"))
            return cached
        client = self._client_or_raise()
        chunks = split_into_chunks(text, self.settings.llm_chunk_tokens)
        answers = self._ask_all(client, chunks, run)
        extraction = _ground(text, answers)
        self.cache.put(key, extraction.model_dump_json())
        return extraction

    def _cached(self, key: str) -> Extraction | None:
        """A stored extraction, or None when absent or written by an incompatible version. Attributions
        cached before their kind had to be grounded are held to it too."""
        value = self.cache.get(key)
        if value is None:
            return None
        try:
            extraction = Extraction.model_validate_json(value)
        except ValidationError:
            return None
        extraction.attributions = [
            a for a in extraction.attributions if attribution_kind_is_grounded(a.kind, a.text, a.source)
        ]
        return extraction

    def _client_or_raise(self) -> openai.OpenAI:
        if not self.settings.llm_model:
            raise LLMUnavailable("no model configured; set FACTDESK_LLM_MODEL")
        if self._client is not None:
            return self._client
        api_key, base_url = os.environ.get("OPENAI_API_KEY"), os.environ.get("OPENAI_BASE_URL")
        if not api_key and not base_url:
            raise LLMUnavailable("no OPENAI_API_KEY or OPENAI_BASE_URL set")
        # Local servers (Ollama, llama.cpp, vLLM) accept any key; the client insists on one.
        self._client = _shared_client(api_key or "unused", base_url)
        return self._client

    def _ask_all(self, client: openai.OpenAI, chunks: list[Chunk], run: _Run) -> list[_ChunkAnswer]:
        parts = len(chunks)
        if parts == 1:
            return [_ChunkAnswer(chunks[0], self._ask(client, chunks[0], 1, 1, run))]
        pool = ThreadPoolExecutor(max_workers=min(self.settings.llm_concurrency, parts))
        try:
            futures = [
                pool.submit(self._ask_or_stop_the_rest, client, chunk, number, parts, run)
                for number, chunk in enumerate(chunks, start=1)
            ]
            return [
                _ChunkAnswer(chunk, future.result()) for chunk, future in zip(chunks, futures, strict=True)
            ]
        except BaseException:
            # An earlier chunk may only have given up because a later one failed: report the cause.
            if run.cause is not None:
                raise run.cause from None
            raise
        finally:
            # Queued chunks never start; calls in flight end by the deadline at the latest.
            pool.shutdown(wait=False, cancel_futures=True)

    def _ask_or_stop_the_rest(
        self, client: openai.OpenAI, chunk: Chunk, part: int, parts: int, run: _Run
    ) -> ModelExtraction:
        """`_ask`, and on failure tell the other chunks to give up (set before this worker takes another)."""
        try:
            return self._ask(client, chunk, part, parts, run)
        except BaseException as error:
            run.fail(error)
            raise

    def _ask(self, client: openai.OpenAI, chunk: Chunk, part: int, parts: int, run: _Run) -> ModelExtraction:
        """Structured output for one chunk: one repair turn for an invalid answer, retries for transient
        errors, all inside the article's deadline."""
        user = self.prompt.user_message(chunk.text, part, parts)
        repair_turns: list[dict[str, Any]] = []
        strict = self._strict_schema
        retries = 0
        while True:
            if run.failed.is_set():
                raise LLMUnavailable("another part of the article failed")
            if run.remaining() <= 0:
                raise run.timed_out()
            record = self._record()
            try:
                completion = self._complete(client, strict, user, repair_turns, chunk, record, run)
            except _Retry as retry:
                wait = retry.retry_after
                wait = _BACKOFF_SECONDS * 2**retries if wait is None else wait
                retries += 1
                if retries > _RETRIES or wait >= run.remaining():
                    raise retry.unavailable from retry.__cause__
                time.sleep(wait)
                continue
            if completion is None:  # the server rejected strict schemas; ask again in JSON mode
                strict = False
                continue
            answer = self._read(completion, record)
            if isinstance(answer, ValidationError):
                if repair_turns:
                    raise LLMUnavailable("invalid answer after one repair") from answer
                repair_turns = [
                    {"role": "assistant", "content": completion.choices[0].message.content or ""},
                    {"role": "user", "content": _repair_request(answer)},
                ]
                continue
            if not strict:  # JSON mode worked where the strict schema was refused: skip straight to it
                self._strict_schema = False
            return answer

    @staticmethod
    def _read(completion: ChatCompletion, record: LLMCallRecord) -> ModelExtraction | ValidationError:
        """The validated answer; a ValidationError to repair; LLMUnavailable for an answer there is no
        point repairing. An answer cut off at `max_tokens` keeps the entries it finished."""
        choice = completion.choices[0] if completion.choices else None
        if choice is None or choice.message is None:
            record.outcome = "empty"
            raise LLMUnavailable("empty answer from the server")
        if choice.message.refusal or choice.finish_reason == "content_filter":
            record.outcome = "refused"
            raise LLMUnavailable("the model refused")
        content = choice.message.content or ""
        if choice.finish_reason == "length":
            salvaged = salvage_cut_off(_json_payload(content))
            if salvaged is None:
                record.outcome = "length"
                raise LLMUnavailable("answer cut off at the length limit")
            record.outcome = "length_salvaged"
            content = salvaged
        try:
            return ModelExtraction.model_validate(within_limits(json.loads(_json_payload(content))))
        except json.JSONDecodeError:
            try:  # pydantic's own message, for the repair turn
                return ModelExtraction.model_validate_json(_json_payload(content))
            except ValidationError as error:
                record.outcome = "invalid_output"
                return error
        except ValidationError as error:
            record.outcome = "invalid_output"
            return error

    def _complete(
        self,
        client: openai.OpenAI,
        strict: bool,
        user: str,
        repair_turns: list[dict[str, Any]],
        chunk: Chunk,
        record: LLMCallRecord,
        run: _Run,
    ) -> ChatCompletion | None:
        """One HTTP call with the time left, recorded; None when the server refuses strict schemas."""
        # The system message is the same bytes for every chunk and article, so servers that cache
        # prompt prefixes (llama.cpp, vLLM) process it once.
        system = self.prompt.system if strict else f"{self.prompt.system}\n\n{json_mode_instructions()}"
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}, *repair_turns]
        response_format = strict_response_format() if strict else {"type": "json_object"}
        started = time.perf_counter()
        try:
            completion = client.with_options(max_retries=0, timeout=run.remaining()).chat.completions.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                response_format=response_format,  # type: ignore[arg-type]
                temperature=0,
                max_tokens=max_answer_tokens(chunk.text),
            )
        except openai.BadRequestError as error:
            self._finish(record, started, run)
            if strict:
                record.outcome = "schema_rejected"
                return None
            record.outcome = "bad_request"
            raise LLMUnavailable("the server rejected the request") from error
        except openai.APITimeoutError as error:
            self._finish(record, started, run)
            record.outcome = "timeout"
            raise run.timed_out() from error
        except openai.OpenAIError as error:
            self._finish(record, started, run)
            record.outcome, reason = _describe_api_error(error)
            if isinstance(error, _RETRYABLE):
                raise _Retry(_retry_after(error), LLMUnavailable(reason)) from error
            raise LLMUnavailable(reason) from error
        self._finish(record, started, run)
        if completion.usage is not None:
            record.tokens_in = completion.usage.prompt_tokens or 0
            record.tokens_out = completion.usage.completion_tokens or 0
        return completion

    @staticmethod
    def _finish(record: LLMCallRecord, started: float, run: _Run) -> None:
        record.latency_ms = (time.perf_counter() - started) * 1000
        run.add(record)

    def _record(self, outcome: str = "ok") -> LLMCallRecord:
        return LLMCallRecord(model=self.model, prompt_version=self.prompt.version, outcome=outcome)


class _Retry(Exception):
    """A transient failure worth another attempt (after the server's Retry-After), if the deadline allows."""

    def __init__(self, retry_after: float | None, unavailable: LLMUnavailable) -> None:
        super().__init__(unavailable.reason)
        self.retry_after = retry_after
        self.unavailable = unavailable


def _ground(text: str, answers: list[_ChunkAnswer]) -> Extraction:
    """Keep only what maps to the article, field by field; drop and count the rest; remove duplicates."""
    fields = FieldGrounder(text)
    dropped = 0
    attributions: list[Attribution] = []
    claims: list[tuple[Claim, Span | None]] = []
    names: list[NameIssue] = []
    for item in answers:
        near = (item.chunk.start, item.chunk.end)
        for given in item.answer.attributions:
            span = fields.quote(given.quote, near)
            source = fields.near(given.source, span) if span else None
            if (
                span is None
                or source is None
                or not attribution_kind_is_grounded(given.kind, span.text, source.text)
            ):
                dropped += 1
                continue
            if any(_overlap(span, kept) for kept in attributions):
                continue
            attributions.append(
                Attribution(
                    **span.model_dump(),
                    source=source.text,
                    kind=given.kind,
                    strength=STRENGTH.get(given.kind, Strength.weak),
                    reason=REASON[given.kind],
                    origin=Origin.llm,
                )
            )
        for given in item.answer.claims:
            span = fields.quote(given.quote, near)
            if span is None:
                dropped += 1
                continue
            attribution_span = (
                fields.quote(given.attribution_quote, near) if given.attribution_quote else None
            )
            speaker = fields.near(given.speaker, span)
            claim = Claim(
                **span.model_dump(),
                kind=given.kind,
                checkworthiness=given.checkworthiness,
                speaker=speaker.text if speaker else None,
                origin=Origin.llm,
            )
            claims = _keep_best_claim(claims, claim, attribution_span)
        for given in item.answer.names:
            span = fields.quote(given.found, near, tolerant=False)
            if span is not None and fold(span.text) == fold(given.suggestion):
                continue  # spelt right already (or only without diacritics): nothing to say
            suggestion = fields.suggestion(span.text, given.suggestion) if span else None
            if span is None or suggestion is None:
                dropped += 1
                continue
            if any(_overlap(span, kept) for kept in names):
                continue
            names.append(
                NameIssue(
                    **span.model_dump(),
                    found=span.text,
                    suggestion=suggestion,
                    confidence=given.confidence,
                    evidence=f"The model's respelling; {suggestion} is on the name list.",
                    origin=Origin.llm,
                )
            )
    attributions.sort(key=lambda a: a.start)
    for number, attribution in enumerate(attributions, start=1):
        attribution.id = f"A{number}"
    linked = [_link(claim, attribution_span, attributions) for claim, attribution_span in claims]
    linked.sort(key=lambda c: c.start)
    for number, claim in enumerate(linked, start=1):
        claim.id = f"C{number}"
    names.sort(key=lambda n: n.start)
    return Extraction(
        claims=linked,
        attributions=attributions,
        names=names,
        sentences=len(split_sentences(text)),
        notes=[_dropped_note(dropped)] if dropped else [],
    )


def _keep_best_claim(
    claims: list[tuple[Claim, Span | None]], claim: Claim, attribution_span: Span | None
) -> list[tuple[Claim, Span | None]]:
    """A claim overlapping a kept one by half its length is the same claim: keep the more check-worthy."""
    for index, (kept, _) in enumerate(claims):
        if _overlap(kept, claim) * 2 >= min(len(kept.text), len(claim.text)):
            if claim.checkworthiness > kept.checkworthiness:
                claims[index] = (claim, attribution_span)
            return claims
    claims.append((claim, attribution_span))
    return claims


def _link(claim: Claim, attribution_span: Span | None, attributions: list[Attribution]) -> Claim:
    """Point a claim at the attribution the model named, or else at one within the claim's own span."""
    target = attribution_span or claim
    for attribution in attributions:
        if _overlap(attribution, target):
            claim.attribution_id = attribution.id
            break
    return claim
