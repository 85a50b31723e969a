"""The LLM path is bounded in time and tokens, proved against a loopback server that answers slowly,
endlessly or with junk, through the real `openai` client."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import openai
import pytest

from bot.config import Settings
from bot.extract.llm import LLMExtractor, LLMUnavailable, MemoryLLMCache
from bot.extract.llm.chunking import split_into_chunks
from bot.extract.llm.extractor import max_answer_tokens
from bot.extract.llm.schema import MAX_CLAIMS, answer_ceiling_tokens
from tests.openai_server import Behaviour, OpenAIServer, RecordedRequest, answer, http_error, refusal

ARTICLE = (
    "The regional airport handled 2.1 million passengers in 2023, up 18% on the year before, its operator said.\n\n"
    "A spokesperson for the operator, who declined to be named, said a second runway was under study."
)
PASSENGERS = "The regional airport handled 2.1 million passengers in 2023"


def _claim(quote: str) -> dict[str, Any]:
    return {
        "quote": quote,
        "kind": "statistic",
        "checkworthiness": 0.7,
        "speaker": None,
        "attribution_quote": None,
    }


GOOD = {"claims": [_claim(PASSENGERS)], "attributions": [], "names": []}


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        yield running


def _extractor(server: OpenAIServer, **settings: Any) -> LLMExtractor:
    # The client asks for five retries of its own: the extractor must switch them off.
    client = openai.OpenAI(base_url=server.url, api_key="test", max_retries=5)
    options = {"llm_model": "loopback-model", "llm_timeout": 5.0, **settings}
    return LLMExtractor(Settings(**options), client=client, cache=MemoryLLMCache())


def _long_article(paragraphs: int) -> str:
    return "\n\n".join(
        f"Paragraph {n} reports that the district council spent {n * 1000} pounds on street lighting in {2000 + n}. "
        f"Residents of ward {n} said the new lamps had reduced night-time accidents by {n}%."
        for n in range(1, paragraphs + 1)
    )


def test_every_request_is_deterministic_and_capped_by_the_chunk_length(server: OpenAIServer) -> None:
    server.script(answer(GOOD))
    _extractor(server).extract(ARTICLE)
    [request] = server.requests
    assert request.body["temperature"] == 0
    assert request.body["max_tokens"] == max_answer_tokens(ARTICLE) < answer_ceiling_tokens()
    schema = request.body["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["claims"]["maxItems"] == MAX_CLAIMS
    assert all("maxItems" in schema["properties"][name] for name in ("claims", "attributions", "names"))
    claim = schema["$defs"]["ModelClaim"]["properties"]
    # a quote cannot run on past a line or 400 characters
    assert claim["quote"]["pattern"] == "^[^\\n]{1,400}$"
    assert {"pattern": "^[^\\n]{1,120}$", "type": "string"} in claim["speaker"]["anyOf"]
    assert max_answer_tokens(_long_article(100)) == answer_ceiling_tokens()
    assert max_answer_tokens("Short.") < max_answer_tokens(ARTICLE)


def test_a_slow_server_ends_at_the_deadline_and_the_note_gives_the_real_time(server: OpenAIServer) -> None:
    server.script(answer(GOOD, delay=3.0))
    extractor = _extractor(server, llm_timeout=0.4)
    started = time.monotonic()
    with pytest.raises(LLMUnavailable, match=r"^LLM unavailable \(timeout after \d+\.\d s\)") as raised:
        extractor.extract(ARTICLE)
    elapsed = time.monotonic() - started
    assert elapsed < 1.5, "the 3 s answer was waited for"
    reported = float(raised.value.reason.split()[2])
    assert reported >= 0.4 and abs(reported - elapsed) < 0.2
    time.sleep(3.0)  # long enough for a client retry to have arrived
    assert len(server.requests) == 1, "a timed-out request left a retry behind it"


def test_one_deadline_covers_every_retry(server: OpenAIServer) -> None:
    server.script(*[Behaviour(status=500, error="busy", delay=0.35)] * 10)
    extractor = _extractor(server, llm_timeout=1.0)
    started = time.monotonic()
    with pytest.raises(LLMUnavailable):
        extractor.extract(ARTICLE)
    assert time.monotonic() - started < 1.5
    assert len(server.requests) <= 3
    time.sleep(1.0)
    assert len(server.requests) <= 3


def test_a_retry_after_longer_than_the_time_left_is_not_waited_for(server: OpenAIServer) -> None:
    server.script(http_error(429, "slow down", retry_after="5"))
    started = time.monotonic()
    with pytest.raises(LLMUnavailable, match="rate limited"):
        _extractor(server, llm_timeout=2.0).extract(ARTICLE)
    assert time.monotonic() - started < 1.0 and len(server.requests) == 1


def _endless(entry: dict[str, Any], repeats: int) -> str:
    body = ", ".join(json.dumps(entry) for _ in range(repeats))
    return '{"claims": [' + body + ', {"quote": "The regional airp'


def test_an_endless_answer_cut_at_max_tokens_keeps_its_finished_entries(server: OpenAIServer) -> None:
    server.script(Behaviour(content=_endless(_claim(PASSENGERS), 30), finish_reason="length"))
    extractor = _extractor(server)
    extraction = extractor.extract(ARTICLE)
    assert [c.text for c in extraction.claims] == [PASSENGERS]
    assert [c.outcome for c in extractor.calls] == ["length_salvaged"]
    assert len(server.requests) == 1


def test_a_server_that_ignores_max_items_is_cut_to_the_limit_without_a_repair(server: OpenAIServer) -> None:
    sentences = [
        f"Paragraph {n} reports that the district council spent {n * 1000} pounds" for n in range(1, 21)
    ]
    article = _long_article(20)
    server.script(answer({"claims": [_claim(s) for s in sentences], "attributions": [], "names": []}))
    extraction = _extractor(server, llm_chunk_tokens=5000).extract(article)
    assert len(extraction.claims) == MAX_CLAIMS and len(server.requests) == 1


def test_scores_out_of_range_are_clamped_not_repaired(server: OpenAIServer) -> None:
    server.script(answer({**GOOD, "claims": [{**_claim(PASSENGERS), "checkworthiness": -1.11}]}))
    extraction = _extractor(server).extract(ARTICLE)
    assert [c.checkworthiness for c in extraction.claims] == [0.0] and len(server.requests) == 1


@pytest.mark.parametrize("junk", ["", "I think the article is about an airport.", "{]", '{"claims": 3}'])
def test_junk_gets_one_repair_then_ends_within_the_deadline(server: OpenAIServer, junk: str) -> None:
    server.script(answer(junk), answer(junk))
    started = time.monotonic()
    with pytest.raises(LLMUnavailable):
        _extractor(server, llm_timeout=3.0).extract(ARTICLE)
    assert len(server.requests) == 2 and time.monotonic() - started < 3.0


def test_chunks_share_the_instructions_as_one_prefix(server: OpenAIServer) -> None:
    article = _long_article(24)
    _extractor(server, llm_chunk_tokens=120, llm_concurrency=1).extract(article)
    assert len(server.requests) == len(split_into_chunks(article, 120)) > 3
    systems = {r.body["messages"][0]["content"] for r in server.requests}
    assert len(systems) == 1
    [system] = systems
    assert not any(chunk.text[:40] in system for chunk in split_into_chunks(article, 120))
    assert all(r.body["messages"][1]["content"].startswith("Triage part ") for r in server.requests)


def test_a_failed_chunk_leaves_no_other_chunk_retrying(server: OpenAIServer) -> None:
    def slow_errors(request: RecordedRequest) -> Behaviour:
        return Behaviour(status=503, error="busy", delay=0.3)

    server.responder = slow_errors
    server.script(refusal())
    extractor = _extractor(server, llm_chunk_tokens=80, llm_concurrency=2, llm_timeout=5.0)
    with pytest.raises(LLMUnavailable, match="refused"):
        extractor.extract(_long_article(8))
    time.sleep(1.5)
    # The refusal and at most the one chunk already in flight (on a loaded machine the refusal can come back
    # before the second chunk is sent); nothing queued, nothing retried.
    assert 1 <= len(server.requests) <= 2


def test_the_note_names_the_failure_that_stopped_the_article_not_a_chunk_that_gave_up() -> None:
    def second_part_refuses(request: RecordedRequest) -> Behaviour:
        if request.body["messages"][1]["content"].startswith("Triage part 2 "):
            return refusal()
        return Behaviour(status=503, error="busy", delay=0.5)  # the first part waits, then would retry

    with OpenAIServer(second_part_refuses) as server:
        extractor = _extractor(server, llm_chunk_tokens=80, llm_concurrency=2, llm_timeout=5.0)
        with pytest.raises(LLMUnavailable, match="refused"):
            extractor.extract(_long_article(8))
