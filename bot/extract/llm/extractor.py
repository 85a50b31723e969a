"""The LLM-backed extractor: one structured-output request per chunk, grounded, cached, failing cleanly.

Works with any OpenAI-compatible server through the official client (OPENAI_BASE_URL, OPENAI_API_KEY,
FACTDESK_LLM_MODEL). Every way a model call can fail ends in `LLMUnavailable`, whose sentence the card
shows above the offline triage; nothing the model says reaches the card unless it grounds in the article.
"""

from __future__ import annotations

import os
import threading
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import openai
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError

from bot.config import Settings, get_settings
from bot.errors import UserFacingError
from bot.extract.grounding import Grounder
from bot.extract.llm.cache import LLMCache, MemoryLLMCache, cache_key
from bot.extract.llm.chunking import Chunk, split_into_chunks
from bot.extract.llm.prompt import PROMPT_VERSION, Prompt, load_prompt
from bot.extract.llm.schema import ModelExtraction, json_mode_instructions, strict_response_format
from bot.models import Attribution, Claim, Extraction, NameIssue, Origin, Span
from bot.text.sentences import split_sentences

_CLIENT_RETRIES = 2
_MAX_ERRORS_SHOWN = 6


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
class _Recorder:
    """Collects call records from worker threads."""

    records: list[LLMCallRecord] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, record: LLMCallRecord) -> None:
        with self.lock:
            self.records.append(record)


def _describe_api_error(error: openai.OpenAIError, timeout: float) -> tuple[str, str]:
    """(outcome, reason for the user) for a failed call."""
    if isinstance(error, openai.APITimeoutError):
        return "timeout", f"timeout after {timeout:g} s"
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
        return "1 model quote could not be found in the article and was dropped"
    return f"{count} model quotes could not be found in the article and were dropped"


def _same_letters(a: str, b: str) -> bool:
    """True when two spellings differ only in case or diacritics, which is never a misspelling."""

    def fold(name: str) -> str:
        return "".join(
            c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
        ).casefold()

    return fold(a) == fold(b)


@lru_cache(maxsize=4)
def _shared_client(api_key: str, base_url: str | None, timeout: float) -> openai.OpenAI:
    """One client (and connection pool) per endpoint: building one costs tens of milliseconds."""
    return openai.OpenAI(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=_CLIENT_RETRIES)


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
        recorder = _Recorder()
        try:
            return self._extract(text, recorder)
        finally:
            self.calls = recorder.records

    def _extract(self, text: str, recorder: _Recorder) -> Extraction:
        started = time.perf_counter()
        key = cache_key(text, self.model, self.prompt.version)
        cached = self._cached(key)
        if cached is not None:
            recorder.add(self._record(started, outcome="cached"))
            return cached
        client = self._client_or_raise()
        chunks = split_into_chunks(text, self.settings.llm_chunk_tokens)
        answers = self._ask_all(client, chunks, recorder)
        extraction = self._ground(text, answers)
        self.cache.put(key, extraction.model_dump_json())
        return extraction

    def _cached(self, key: str) -> Extraction | None:
        """A stored extraction, or None when absent or written by an incompatible version."""
        value = self.cache.get(key)
        if value is None:
            return None
        try:
            return Extraction.model_validate_json(value)
        except ValidationError:
            return None

    def _client_or_raise(self) -> openai.OpenAI:
        if not self.settings.llm_model:
            raise LLMUnavailable("no model configured; set FACTDESK_LLM_MODEL")
        if self._client is not None:
            return self._client
        api_key, base_url = os.environ.get("OPENAI_API_KEY"), os.environ.get("OPENAI_BASE_URL")
        if not api_key and not base_url:
            raise LLMUnavailable("no OPENAI_API_KEY or OPENAI_BASE_URL set")
        # Local servers (Ollama, llama.cpp, vLLM) accept any key; the client insists on one.
        self._client = _shared_client(api_key or "unused", base_url, self.settings.llm_timeout)
        return self._client

    def _ask_all(self, client: openai.OpenAI, chunks: list[Chunk], recorder: _Recorder) -> list[_ChunkAnswer]:
        parts = len(chunks)
        if parts == 1:
            return [_ChunkAnswer(chunks[0], self._ask(client, chunks[0], 1, 1, recorder))]
        pool = ThreadPoolExecutor(max_workers=max(1, min(self.settings.llm_concurrency, parts)))
        try:
            futures = [
                pool.submit(self._ask, client, chunk, number, parts, recorder)
                for number, chunk in enumerate(chunks, start=1)
            ]
            return [
                _ChunkAnswer(chunk, future.result()) for chunk, future in zip(chunks, futures, strict=True)
            ]
        finally:
            # On failure, stop queued chunks; calls in flight end on their own timeout.
            pool.shutdown(wait=False, cancel_futures=True)

    def _ask(
        self, client: openai.OpenAI, chunk: Chunk, part: int, parts: int, recorder: _Recorder
    ) -> ModelExtraction:
        """Structured output for one chunk, with one repair turn for an invalid answer."""
        user = self.prompt.user_message(chunk.text, part, parts)
        repair_turns: list[dict[str, Any]] = []
        strict = self._strict_schema
        while True:
            record = self._record(time.perf_counter())
            completion = self._complete(client, strict, user, repair_turns, record, recorder)
            if completion is None:  # the server rejected strict schemas; ask again in JSON mode
                strict = False
                continue
            choice = completion.choices[0] if completion.choices else None
            if choice is None or choice.message is None:
                record.outcome = "empty"
                raise LLMUnavailable("empty answer from the server")
            if choice.finish_reason == "length":
                record.outcome = "length"
                raise LLMUnavailable("answer cut off at the length limit")
            if choice.message.refusal or choice.finish_reason == "content_filter":
                record.outcome = "refused"
                raise LLMUnavailable("the model refused")
            content = choice.message.content or ""
            try:
                answer = ModelExtraction.model_validate_json(_json_payload(content))
            except ValidationError as error:
                record.outcome = "invalid_output"
                if repair_turns:
                    raise LLMUnavailable("invalid answer after one repair") from error
                repair_turns = [
                    {"role": "assistant", "content": content},
                    {"role": "user", "content": _repair_request(error)},
                ]
                continue
            if not strict:  # JSON mode worked where the strict schema was refused: skip straight to it
                self._strict_schema = False
            return answer

    def _complete(
        self,
        client: openai.OpenAI,
        strict: bool,
        user: str,
        repair_turns: list[dict[str, Any]],
        record: LLMCallRecord,
        recorder: _Recorder,
    ) -> ChatCompletion | None:
        """One HTTP call, recorded; None when the server refuses strict schemas."""
        system = self.prompt.system if strict else f"{self.prompt.system}\n\n{json_mode_instructions()}"
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}, *repair_turns]
        response_format = strict_response_format() if strict else {"type": "json_object"}
        started = time.perf_counter()
        try:
            completion = client.chat.completions.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                response_format=response_format,  # type: ignore[arg-type]
                timeout=self.settings.llm_timeout,
            )
        except openai.BadRequestError as error:
            record.latency_ms = (time.perf_counter() - started) * 1000
            recorder.add(record)
            if strict:
                record.outcome = "schema_rejected"
                return None
            record.outcome = "bad_request"
            raise LLMUnavailable("the server rejected the request") from error
        except openai.OpenAIError as error:
            record.latency_ms = (time.perf_counter() - started) * 1000
            record.outcome, reason = _describe_api_error(error, self.settings.llm_timeout)
            recorder.add(record)
            raise LLMUnavailable(reason) from error
        record.latency_ms = (time.perf_counter() - started) * 1000
        if completion.usage is not None:
            record.tokens_in = completion.usage.prompt_tokens or 0
            record.tokens_out = completion.usage.completion_tokens or 0
        recorder.add(record)
        return completion

    def _record(self, started: float, outcome: str = "ok") -> LLMCallRecord:
        return LLMCallRecord(
            model=self.model,
            prompt_version=self.prompt.version,
            latency_ms=(time.perf_counter() - started) * 1000,
            outcome=outcome,
        )

    def _ground(self, text: str, answers: list[_ChunkAnswer]) -> Extraction:
        """Keep only what maps to the article; drop and count the rest; remove cross-chunk duplicates."""
        grounder = Grounder(text)
        dropped = 0
        attributions: list[Attribution] = []
        claims: list[tuple[Claim, Span | None]] = []
        names: list[NameIssue] = []
        for item in answers:
            near = (item.chunk.start, item.chunk.end)
            for given in item.answer.attributions:
                span = grounder.ground(given.quote, near)
                if span is None:
                    dropped += 1
                    continue
                if any(_overlap(span, kept) for kept in attributions):
                    continue
                attributions.append(
                    Attribution(
                        **span.model_dump(),
                        source=given.source,
                        kind=given.kind,
                        strength=given.strength,
                        reason=given.reason,
                        origin=Origin.llm,
                    )
                )
            for given in item.answer.claims:
                span = grounder.ground(given.quote, near)
                if span is None:
                    dropped += 1
                    continue
                attribution_span = (
                    grounder.ground(given.attribution_quote, near) if given.attribution_quote else None
                )
                claim = Claim(
                    **span.model_dump(),
                    kind=given.kind,
                    checkworthiness=given.checkworthiness,
                    speaker=given.speaker,
                    signals=[given.why] if given.why else [],
                    origin=Origin.llm,
                )
                claims = _keep_best_claim(claims, claim, attribution_span)
            for given in item.answer.names:
                span = grounder.ground(given.found, near, tolerant=False)
                if span is None:
                    dropped += 1
                    continue
                if _same_letters(span.text, given.suggestion) or any(_overlap(span, kept) for kept in names):
                    continue
                names.append(
                    NameIssue(
                        **span.model_dump(),
                        found=span.text,
                        suggestion=given.suggestion,
                        confidence=given.confidence,
                        evidence=f"Model: {given.who}",
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
