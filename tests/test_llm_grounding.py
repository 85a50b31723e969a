"""Every field a model gives is grounded in the article or dropped, not only its quotes; driven through the
real `openai` client against a loopback server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import openai
import pytest

from bot.config import Settings
from bot.extract.grounding import Grounder
from bot.extract.llm import LLMExtractor, MemoryLLMCache
from bot.extract.llm.cache import cache_key
from bot.extract.llm.fields import REASON, FieldGrounder
from bot.extract.llm.prompt import PROMPT_VERSION, load_prompt
from bot.models import Attribution, AttributionKind, Extraction, Origin, Strength
from bot.text.normalize import decode, normalise
from tests.openai_server import OpenAIServer, answer
from tests.shared_data import SEED, require

ARTICLE = (
    "HANOI, Vietnam — The ministry said on Monday that 40 helicopters had arrived.\n\n"
    "Defence Secretary Mark Esper said the deployment would end in May. "
    '"We have moved 3,000 troops," Esper told reporters at the base.\n\n'
    "Prime Minister Narenda Modi is expected to visit the base next week, officials said."
)


def _claim(quote: str, speaker: str | None = None) -> dict[str, Any]:
    return {
        "quote": quote,
        "kind": "quantity",
        "checkworthiness": 0.8,
        "speaker": speaker,
        "attribution_quote": None,
    }


def _attribution(quote: str, source: str, kind: str = "named_person") -> dict[str, Any]:
    return {"quote": quote, "source": source, "kind": kind}


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        yield running


def _extract(server: OpenAIServer, article: str, **payload: Any) -> Extraction:
    server.script(answer({"claims": [], "attributions": [], "names": [], **payload}))
    client = openai.OpenAI(base_url=server.url, api_key="test")
    settings = Settings(llm_model="loopback-model", llm_timeout=5.0, llm_chunk_tokens=5000)
    return LLMExtractor(settings, client=client, cache=MemoryLLMCache()).extract(article)


def test_a_speaker_must_stand_in_the_article_near_the_claim(server: OpenAIServer) -> None:
    extraction = _extract(
        server,
        ARTICLE,
        claims=[
            _claim("We have moved 3,000 troops", speaker="esper"),
            _claim("the deployment would end in May", speaker="a university spokesperson"),
            _claim("40 helicopters had arrived", speaker="Mark Esper"),  # Esper speaks a paragraph later
        ],
    )
    speakers = {c.text: c.speaker for c in extraction.claims}
    assert speakers == {
        "We have moved 3,000 troops": "Esper",  # the article's own spelling
        "the deployment would end in May": None,
        "40 helicopters had arrived": None,
    }


def test_a_source_must_be_a_span_of_the_article_near_the_attribution(server: OpenAIServer) -> None:
    extraction = _extract(
        server,
        ARTICLE,
        attributions=[
            _attribution("Defence Secretary Mark Esper said", "mark esper"),
            _attribution("officials said", "U. S. Department of Defense", "unnamed_official"),
            _attribution("officials said", "Vietnam", "unnamed_official"),  # only in the dateline
        ],
    )
    assert [(a.text, a.source) for a in extraction.attributions] == [
        ("Defence Secretary Mark Esper said", "Mark Esper")
    ]
    assert extraction.notes == ["2 model findings could not be found in the article and were dropped"]


def test_reason_strength_and_country_never_come_from_the_model(server: OpenAIServer) -> None:
    extraction = _extract(
        server,
        ARTICLE,
        attributions=[
            _attribution("Esper told reporters", "Esper", "named_person"),
            _attribution("officials said", "officials", "unnamed_official"),
        ],
    )
    by_kind = {a.kind: a for a in extraction.attributions}
    assert by_kind[AttributionKind.named_person].reason == REASON[AttributionKind.named_person]
    assert by_kind[AttributionKind.named_person].strength is Strength.strong
    assert by_kind[AttributionKind.unnamed_official].strength is Strength.weak
    assert all(a.country is None for a in extraction.attributions)


def test_a_weak_or_state_media_reading_needs_the_words_that_make_it_one(server: OpenAIServer) -> None:
    extraction = _extract(
        server,
        ARTICLE,
        attributions=[
            _attribution("The ministry said", "The ministry", "state_media"),  # no outlet on the list
            _attribution("Defence Secretary Mark Esper said", "Mark Esper", "anonymous"),  # named
            _attribution("officials said", "officials", "hedge"),  # no hedge word
        ],
    )
    assert extraction.attributions == []
    assert extraction.notes == ["3 model findings could not be found in the article and were dropped"]


def test_a_state_media_reading_needs_the_outlet_in_its_own_words(server: OpenAIServer) -> None:
    article = "The Coalition of the Willing met in Paris on Monday, RIA Novosti reported."
    extraction = _extract(
        server,
        article,
        attributions=[
            _attribution("The Coalition of the Willing", "RIA Novosti", "state_media"),  # the outlet is near
            _attribution("RIA Novosti reported", "RIA Novosti", "state_media"),
        ],
    )
    assert [(a.text, a.strength) for a in extraction.attributions] == [
        ("RIA Novosti reported", Strength.weak)
    ]


def test_an_answer_cached_before_kinds_were_grounded_is_held_to_it(server: OpenAIServer) -> None:
    settings = Settings(llm_model="loopback", llm_timeout=5)
    cache = MemoryLLMCache()
    client = openai.OpenAI(base_url=server.url, api_key="test")
    extractor = LLMExtractor(settings, client=client, cache=cache)
    start = ARTICLE.index("The ministry said")
    stale = Extraction(
        attributions=[
            Attribution(
                text="The ministry said",
                start=start,
                end=start + 17,
                source="The ministry",
                kind=AttributionKind.state_media,
                strength=Strength.weak,
                reason=REASON[AttributionKind.state_media],
                origin=Origin.llm,
            )
        ]
    )
    cache.put(cache_key(ARTICLE, "loopback", extractor.prompt.version), stale.model_dump_json())
    assert extractor.extract(ARTICLE).attributions == []
    assert server.requests == [] and [c.outcome for c in extractor.calls] == ["cached"]


def test_a_name_suggestion_must_be_a_known_figure_one_respelling_away(server: OpenAIServer) -> None:
    extraction = _extract(
        server,
        ARTICLE,
        names=[
            {"found": "Narenda Modi", "suggestion": "Narendra Modi", "confidence": 0.9},
            {"found": "Mark Esper", "suggestion": "Mark Espen", "confidence": 0.5},  # nobody known
            {"found": "Esper", "suggestion": "Joe Biden", "confidence": 0.5},  # another person
            {"found": "Narendra Modi", "suggestion": "Narendra Modi", "confidence": 0.5},  # not printed
        ],
    )
    assert [(n.found, n.suggestion) for n in extraction.names] == [("Narenda Modi", "Narendra Modi")]
    assert extraction.names[0].evidence == "The model's respelling; Narendra Modi is on the name list."
    assert extraction.notes == ["3 model findings could not be found in the article and were dropped"]


def test_a_quote_stops_at_a_paragraph_break(server: OpenAIServer) -> None:
    article = 'Fighting reached the outskirts of Kabul.\n\n"US Chinook helicopters landed at the embassy," a witness said.'
    extraction = _extract(
        server, article, claims=[_claim('Kabul.\n\n"US Chinook helicopters landed at the embassy')]
    )
    [claim] = extraction.claims
    assert claim.text == "US Chinook helicopters landed at the embassy"
    assert article[claim.start : claim.end] == claim.text


def _prompt_examples() -> list[str]:
    """Every quoted value in the prompt's examples section."""
    system = load_prompt(PROMPT_VERSION).system
    examples = system[system.index("# The shape of an answer") :]
    return [found for found in re.findall(r"`([^`]+)`", examples) if " " in found or found[0].isupper()]


def test_no_prompt_example_can_pass_grounding_in_real_news(server: OpenAIServer) -> None:
    seed = normalise(decode(require(SEED).read_bytes()))
    examples = _prompt_examples()
    assert len(examples) >= 8
    for article in (seed, ARTICLE):
        grounder, fields = Grounder(article), FieldGrounder(article)
        whole = grounder.ground(article[:200])
        assert whole is not None
        for example in examples:
            assert grounder.ground(example) is None, example
            assert fields.near(example, whole) is None, example
    # A model that answers with the examples themselves puts nothing on the seed's card.
    echoed = _extract(
        server,
        seed,
        claims=[_claim(e, speaker=e) for e in examples],
        attributions=[_attribution(e, e, "anonymous") for e in examples],
        names=[{"found": e, "suggestion": e + "o", "confidence": 0.9} for e in examples],
    )
    assert not echoed.claims and not echoed.attributions and not echoed.names
