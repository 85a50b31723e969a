"""Whether the merge lets a better model help the card an editor sees, and how little a bad one can cost,
on the news-card dev set (`bench/newscard.py`'s own scoring), with scripted models on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from bench.newscard import Tally, agreed, score_article
from bench.newscard_data import Article, load
from bench.paths import SHARED
from bot.config import Settings
from bot.extract.llm.schema import MAX_CLAIMS
from bot.triage import TriageService
from tests.openai_server import Behaviour, OpenAIServer, RecordedRequest, answer

Sentences = Callable[[str], list[str]]


@pytest.fixture(scope="module")
def dev() -> list[Article]:
    if not (SHARED / "datasets").exists():
        pytest.skip(f"shared datasets not found under {SHARED} (set FACTDESK_SHARED_DIR)")
    return load("dev")[0]


def _model(labelled: dict[str, str], pick: Callable[[str], bool]) -> Callable[[RecordedRequest], Behaviour]:
    """A model sure (0.95, an event) of the labelled sentences of the chunk whose label `pick` accepts."""

    def respond(request: RecordedRequest) -> Behaviour:
        chunk = request.user_article()
        quotes = [s for s, label in labelled.items() if pick(label) and s in chunk][:MAX_CLAIMS]
        claims = [
            {"quote": q, "kind": "event", "checkworthiness": 0.95, "speaker": None, "attribution_quote": None}
            for q in quotes
        ]
        return answer({"claims": claims, "attributions": [], "names": []}, usage=(1000, 100))

    return respond


def _tallies(
    dev: list[Article], responder: Callable[[RecordedRequest], Behaviour], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Tally]:
    with OpenAIServer(responder) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "test")
        service = TriageService(Settings(_env_file=None, database_url="sqlite://", llm_model="scripted"))
        for extractor in ("offline", "llm"):
            tally = Tally()
            for article in dev:
                report = service.analyse(article.text, extractor=extractor)
                assert report.extractor.name == extractor, report.notes
                score_article(article, report, tally)
            yield tally


def _labelled(dev: list[Article]) -> dict[str, str]:
    return {
        a.text[s.start : s.end].strip(): label
        for a in dev
        for s in a.sentences
        if (label := agreed(s)) in {"must", "no"}
    }


def test_a_model_that_knows_the_must_check_sentences_raises_must_flagged_and_flags_no_more_no(
    dev: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    offline, llm = _tallies(dev, _model(_labelled(dev), lambda label: label == "must"), monkeypatch)
    assert llm.c["must_flagged"] > offline.c["must_flagged"]
    assert llm.c["no_flagged"] == offline.c["no_flagged"]
    assert llm.ratio("top_worthy", "top") >= offline.ratio("top_worthy", "top")


def test_a_model_sure_of_every_sentence_costs_at_most_one_flag_per_article(
    dev: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    offline, llm = _tallies(dev, _model(_labelled(dev), lambda label: True), monkeypatch)
    assert offline.c["flagged"] < llm.c["flagged"] <= offline.c["flagged"] + len(dev)
    assert llm.c["must_flagged"] >= offline.c["must_flagged"]
    for figure in ("weak_flags", "weak_flags_right", "weak_sources_flagged", "named_flagged", "name_false"):
        assert llm.c[figure] == offline.c[figure], figure
