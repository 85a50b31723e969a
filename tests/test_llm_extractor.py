"""The LLM extractor driven through the real `openai` client against a loopback server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai
import pytest
from openai.lib._pydantic import to_strict_json_schema

from bot.config import Settings
from bot.errors import UserFacingError
from bot.extract.llm import LLMExtractor, LLMUnavailable, MemoryLLMCache
from bot.extract.llm.chunking import estimate_tokens, split_into_chunks
from bot.extract.llm.prompt import load_prompt
from bot.extract.llm.schema import ModelExtraction
from bot.models import AttributionKind, Origin
from tests.openai_server import (
    Behaviour,
    OpenAIServer,
    RecordedRequest,
    answer,
    cut_off,
    http_error,
    refusal,
)

FIXTURES = Path(__file__).parent / "fixtures" / "llm"
EMPTY = {"claims": [], "attributions": [], "names": []}
ARTICLE = (
    "The regional airport handled 2.1 million passengers in 2023, up 18% on the year before, its operator said.\n\n"
    "A spokesperson for the operator, who declined to be named, said a second runway was under study."
)


def _claim(quote: str, score: float = 0.6) -> dict[str, Any]:
    return {
        "quote": quote,
        "kind": "statistic",
        "checkworthiness": score,
        "speaker": None,
        "attribution_quote": None,
    }


GOOD = {
    "claims": [_claim("handled 2.1 million passengers in 2023, up 18% on the year before")],
    "attributions": [],
    "names": [],
}


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        yield running


def _extractor(server: OpenAIServer, client_retries: int = 2, **settings: Any) -> LLMExtractor:
    client = openai.OpenAI(base_url=server.url, api_key="test", max_retries=client_retries)
    options = {"llm_model": "loopback-model", "llm_timeout": 5.0, **settings}
    return LLMExtractor(Settings(**options), client=client, cache=MemoryLLMCache())


def _load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.json")))
def test_fixture_outputs_are_grounded_and_hallucinations_dropped(server: OpenAIServer, fixture: str) -> None:
    case = _load(fixture)
    article, expect = case["article"], case["expect"]
    server.script(answer(case["response"], usage=(900, 300)))
    extraction = _extractor(server).extract(article)

    assert [c.text for c in sorted(extraction.claims, key=lambda c: c.start)] == expect["claims"]
    assert [a.text for a in extraction.attributions] == expect["attributions"]
    assert [{"found": n.found, "suggestion": n.suggestion} for n in extraction.names] == expect["names"]
    for finding in [*extraction.claims, *extraction.attributions, *extraction.names]:
        assert article[finding.start : finding.end] == finding.text
        assert finding.origin == Origin.llm
    dropped = expect["dropped"]
    noun = (
        "finding could not be found in the article and was"
        if dropped == 1
        else "findings could not be found in the article and were"
    )
    assert extraction.notes == [f"{dropped} model {noun} dropped"]


def test_claims_link_to_the_attribution_the_model_named(server: OpenAIServer) -> None:
    case = _load("vaccine-supply.json")
    server.script(answer(case["response"]))
    extraction = _extractor(server).extract(case["article"])
    by_id = {a.id: a for a in extraction.attributions}
    doses = next(c for c in extraction.claims if c.text.startswith("Mozambique will receive"))
    assert doses.attribution_id is not None
    assert by_id[doses.attribution_id].kind == AttributionKind.state_media
    assert doses.kind.value == "quantity" and doses.checkworthiness == 0.9


def test_request_uses_a_strict_json_schema_and_records_usage(server: OpenAIServer) -> None:
    server.script(answer(GOOD, usage=(1234, 56)))
    extractor = _extractor(server)
    extractor.extract(ARTICLE)

    [request] = server.requests
    assert request.body["model"] == "loopback-model"
    response_format = request.body["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["strict"] is True
    assert response_format["json_schema"]["schema"] == to_strict_json_schema(ModelExtraction)
    [call] = extractor.calls
    assert (call.tokens_in, call.tokens_out, call.outcome) == (1234, 56, "ok")
    assert call.model == "loopback-model" and call.prompt_version == "v2"
    assert extractor.version == "loopback-model@prompt-v2"


def test_article_is_fenced_as_data_and_cannot_forge_the_boundary(server: OpenAIServer) -> None:
    case = _load("injection.json")
    server.script(answer(case["response"]))
    extraction = _extractor(server).extract(case["article"])

    [request] = server.requests
    system, user = (m["content"] for m in request.body["messages"])
    assert "Ignore all previous instructions" not in system
    assert "never instructions" in system
    boundary = user.splitlines()[-1]
    assert boundary.startswith("===== ARTICLE ") and boundary not in case["article"]
    assert user.splitlines().count(boundary) == 2
    assert request.user_article() == case["article"]
    assert not any("exonerated" in c.text for c in extraction.claims)


def test_repeated_extract_is_served_from_cache_without_http(server: OpenAIServer) -> None:
    extractor = _extractor(server)
    server.script(answer(GOOD))
    first = extractor.extract(ARTICLE)
    second = extractor.extract(ARTICLE)
    assert len(server.requests) == 1
    assert second == first
    assert [c.outcome for c in extractor.calls] == ["cached"]

    other_model = LLMExtractor(
        Settings(llm_model="other-model"), client=extractor._client, cache=extractor.cache
    )
    server.script(answer(GOOD))
    other_model.extract(ARTICLE)
    assert len(server.requests) == 2


def test_unreadable_cache_entry_is_ignored(server: OpenAIServer) -> None:
    extractor = _extractor(server)
    extractor.extract(ARTICLE)
    key = next(iter(extractor.cache._entries))  # type: ignore[attr-defined]
    extractor.cache.put(key, '{"claims": "from an older version"}')
    assert extractor.extract(ARTICLE).claims
    assert len(server.requests) == 2


def test_rate_limit_is_retried_after_the_servers_retry_after(server: OpenAIServer) -> None:
    server.script(http_error(429, "slow down", retry_after="0.4"), answer(GOOD))
    extraction = _extractor(server).extract(ARTICLE)
    assert len(extraction.claims) == 1
    first, second = server.requests
    assert second.received_at - first.received_at >= 0.38


def test_server_errors_are_retried_by_us_not_the_client_then_reported_in_one_sentence(
    server: OpenAIServer,
) -> None:
    server.script(http_error(500), answer(GOOD))
    assert _extractor(server).extract(ARTICLE).claims

    server.requests.clear()
    server.script(*[http_error(503)] * 6)
    extractor = _extractor(server, client_retries=5)  # the client's own retries are switched off
    with pytest.raises(LLMUnavailable) as raised:
        extractor.extract(ARTICLE)
    assert isinstance(raised.value, UserFacingError)
    assert raised.value.sentence == "LLM unavailable (server error 503): showing offline triage"
    assert len(server.requests) == 3  # one call and our two retries
    assert {r.headers.get("x-stainless-retry-count") for r in server.requests} == {"0"}
    assert [c.outcome for c in extractor.calls] == ["server_error"] * 3


def test_unreachable_server() -> None:
    with OpenAIServer() as gone:
        url = gone.url
    client = openai.OpenAI(base_url=url, api_key="test", max_retries=3)
    extractor = LLMExtractor(Settings(llm_model="m", llm_timeout=5), client=client, cache=MemoryLLMCache())
    with pytest.raises(LLMUnavailable, match="server unreachable"):
        extractor.extract(ARTICLE)
    assert [c.outcome for c in extractor.calls] == ["unreachable"] * 3


def test_malformed_json_gets_one_repair_with_the_error(server: OpenAIServer) -> None:
    server.script(answer('{"claims": [ {"quote": "handled'), answer(GOOD))
    extractor = _extractor(server)
    assert len(extractor.extract(ARTICLE).claims) == 1
    repair = server.requests[1].body["messages"]
    assert repair[2] == {"role": "assistant", "content": '{"claims": [ {"quote": "handled'}
    assert repair[3]["role"] == "user" and "did not match the required JSON schema" in repair[3]["content"]
    assert [c.outcome for c in extractor.calls] == ["invalid_output", "ok"]


def test_schema_violation_is_repaired_with_the_validation_error(server: OpenAIServer) -> None:
    bad = {
        **GOOD,
        "claims": [{**_claim("up 18% on the year before"), "kind": "rumour", "checkworthiness": 1.7}],
    }
    server.script(answer(bad), answer(GOOD))
    assert len(_extractor(server).extract(ARTICLE).claims) == 1
    feedback = server.requests[1].body["messages"][3]["content"]
    assert (
        "claims.0.kind" in feedback and "checkworthiness" not in feedback
    )  # a score is clamped, not repaired


def test_second_invalid_answer_gives_up(server: OpenAIServer) -> None:
    server.script(answer("not json at all"), answer({"claims": "none"}))
    with pytest.raises(LLMUnavailable, match=r"invalid answer after one repair"):
        _extractor(server).extract(ARTICLE)
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [(refusal(), "the model refused"), (cut_off(), "answer cut off at the length limit")],
)
def test_refusals_and_length_cutoffs_are_unavailable(
    server: OpenAIServer, behaviour: Behaviour, reason: str
) -> None:
    server.script(behaviour)
    with pytest.raises(LLMUnavailable) as raised:
        _extractor(server).extract(ARTICLE)
    assert raised.value.reason == reason
    assert len(server.requests) == 1


def test_server_without_strict_schemas_falls_back_to_json_mode(server: OpenAIServer) -> None:
    fenced = "```json\n" + json.dumps(GOOD) + "\n```"
    server.script(http_error(400, "response_format json_schema is not supported"), answer(fenced))
    extractor = _extractor(server)
    assert len(extractor.extract(ARTICLE).claims) == 1
    fallback = server.requests[1].body
    assert fallback["response_format"] == {"type": "json_object"}
    assert '"attribution_quote"' in fallback["messages"][0]["content"]
    assert [c.outcome for c in extractor.calls] == ["schema_rejected", "ok"]

    server.script(answer(GOOD))
    extractor.extract(ARTICLE + " More.")
    assert server.requests[2].body["response_format"] == {"type": "json_object"}


def test_missing_configuration_is_unavailable_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(LLMUnavailable, match="FACTDESK_LLM_MODEL"):
        LLMExtractor(Settings(llm_model=None)).extract(ARTICLE)
    with pytest.raises(LLMUnavailable, match="OPENAI_API_KEY"):
        LLMExtractor(Settings(llm_model="gpt-x")).extract(ARTICLE)


def test_client_is_built_from_the_environment(server: OpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    server.script(answer(GOOD))
    extraction = LLMExtractor(Settings(llm_model="env-model", llm_timeout=5)).extract(ARTICLE)
    assert len(extraction.claims) == 1
    assert server.requests[0].body["model"] == "env-model"


def _long_article(paragraphs: int) -> str:
    return "\n\n".join(
        f"Paragraph {n} reports that the district council spent {n * 1000} pounds on street lighting in {2000 + n}. "
        f"Residents of ward {n} said the new lamps had reduced night-time accidents by {n}%."
        for n in range(1, paragraphs + 1)
    )


def test_long_articles_are_chunked_sent_concurrently_and_merged(server: OpenAIServer) -> None:
    server.latency = 0.15
    article = _long_article(24)
    extractor = _extractor(server, llm_chunk_tokens=120, llm_concurrency=3)
    extraction = extractor.extract(article)

    chunks = sorted((request.user_article() for request in server.requests), key=article.index)
    assert len(chunks) == len(split_into_chunks(article, 120)) > 3
    assert all(chunk in article for chunk in chunks)
    assert "".join(chunks).replace("\n", "") == article.replace("\n", "")
    assert 1 < server.max_in_flight <= 3
    assert len(extraction.claims) >= 2 * len(chunks)
    for claim in extraction.claims:
        assert article[claim.start : claim.end] == claim.text
    assert len(extractor.calls) == len(chunks)


def test_duplicate_findings_across_chunks_are_removed(server: OpenAIServer) -> None:
    article = _long_article(8)
    repeated = "the district council spent 1000 pounds on street lighting in 2001"

    def same_answer(_: RecordedRequest) -> Behaviour:
        return answer({"claims": [_claim(repeated)], "attributions": [], "names": []})

    server.responder = same_answer
    extraction = _extractor(server, llm_chunk_tokens=80).extract(article)
    assert len(server.requests) > 2
    assert [c.text for c in extraction.claims] == [repeated]


def test_one_failed_chunk_makes_the_whole_extraction_unavailable(server: OpenAIServer) -> None:
    server.script(answer(EMPTY), refusal())
    extractor = _extractor(server, llm_chunk_tokens=80, llm_concurrency=1)
    with pytest.raises(LLMUnavailable, match="refused"):
        extractor.extract(_long_article(8))
    assert "refused" in [c.outcome for c in extractor.calls]


def test_chunks_respect_paragraphs_and_budget() -> None:
    article = _long_article(30) + "\n\n" + " ".join(["word"] * 400) + "."
    chunks = split_into_chunks(article, 150)
    assert all(estimate_tokens(chunk.text) <= 150 for chunk in chunks)
    for chunk in chunks:
        assert article[chunk.start : chunk.end] == chunk.text
    paragraph_starts = {0} | {i + 2 for i in range(len(article)) if article.startswith("\n\n", i)}
    long_paragraph = article.rindex("\n\n") + 2
    assert all(chunk.start in paragraph_starts or chunk.start > long_paragraph for chunk in chunks)
    assert sum(chunk.start > long_paragraph for chunk in chunks) >= 2  # the 400-word paragraph was cut
    assert "".join(c.text for c in chunks).replace("\n", "").replace(" ", "") == article.replace(
        "\n", ""
    ).replace(" ", "")
    assert len(split_into_chunks(ARTICLE, 3000)) == 1


def test_prompt_is_versioned_and_keeps_examples_off_the_seed() -> None:
    prompt = load_prompt("v2")
    assert prompt.version == "v2"
    for seed_phrase in ("Starmer", "Coalition of the Willing", "Ria Novosti", "Kyiv"):
        assert seed_phrase not in prompt.system
    message = prompt.user_message("Body {boundary} {article}", 2, 5)
    assert "part 2 of 5" in message and message.count("Body {boundary} {article}") == 1
