"""The LLM path through the real triage service: merged with the deterministic checks, cached in the
database, usage stored with the triage, and the offline result with a note whenever the model fails."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from openai_server import Behaviour, OpenAIServer, answer, http_error
from sqlalchemy import select

from adapters.cli import main
from bot.config import get_settings
from bot.database import session_factory_for
from storage.models import LlmCall

EXAMPLE = Path(__file__).parents[1] / "examples" / "grain-corridor.txt"


@pytest.fixture
def llm_env(tmp_path, monkeypatch) -> Iterator[OpenAIServer]:
    with OpenAIServer() as server:
        monkeypatch.setenv("FACTDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'llm.db'}")
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "test")
        monkeypatch.setenv("FACTDESK_LLM_MODEL", "loopback-model")
        monkeypatch.setenv("FACTDESK_LLM_TIMEOUT", "5")
        get_settings.cache_clear()
        yield server
        get_settings.cache_clear()


def triage(capsys, *argv: str) -> dict:
    assert main(["triage", "--json", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_auto_uses_the_llm_and_keeps_the_deterministic_checks(llm_env: OpenAIServer, capsys):
    report = triage(capsys, str(EXAMPLE))
    assert report["extractor"]["name"] == "llm" and report["extractor"]["version"].startswith(
        "loopback-model@"
    )
    assert {c["origin"] for c in report["claims"]} <= {"offline", "llm"}
    offline = triage(capsys, "--no-store", "--extractor", "offline", str(EXAMPLE))
    assert {c["text"] for c in offline["claims"]} <= {c["text"] for c in report["claims"]}
    unstored = triage(capsys, "--no-store", str(EXAMPLE))
    assert any(c["field_origins"] for c in unstored["claims"]), "the model re-scored or typed nothing"
    assert any(a["origin"] == "rules" and "TASS" in a["text"] for a in report["attributions"])
    assert any(n["suggestion"] == "Emmanuel Macron" for n in report["names"])
    text = EXAMPLE.read_text().strip()
    assert all(text[c["start"] : c["end"]] == c["text"] for c in report["claims"])

    calls = len(llm_env.requests)
    with session_factory_for(get_settings().database_url)() as session:
        stored = session.scalars(select(LlmCall)).all()
    assert calls >= 1 and len(stored) == calls and stored[0].tokens_in > 0


def test_llm_calls_and_tokens_reach_the_metrics(llm_env: OpenAIServer, capsys):
    from bot.observability.metrics import LLM_CALLS, LLM_TOKENS

    calls, tokens = LLM_CALLS.labels("ok")._value.get(), LLM_TOKENS.labels("in")._value.get()
    triage(capsys, "--no-store", str(EXAMPLE))
    assert LLM_CALLS.labels("ok")._value.get() == calls + len(llm_env.requests)
    assert LLM_TOKENS.labels("in")._value.get() > tokens


def test_repeated_paste_makes_no_llm_call(llm_env: OpenAIServer, capsys):
    triage(capsys, "--no-store", str(EXAMPLE))
    before = len(llm_env.requests)
    again = triage(capsys, "--no-store", str(EXAMPLE))
    assert len(llm_env.requests) == before and again["extractor"]["name"] == "llm"


def test_server_failure_falls_back_to_offline_with_a_note(llm_env: OpenAIServer, capsys):
    llm_env.script(*[http_error(500, "boom")] * 10)
    report = triage(capsys, "--no-store", str(EXAMPLE))
    assert report["extractor"]["name"] == "offline"
    assert any("LLM unavailable" in note for note in report["notes"])
    assert report["claims"] and report["attributions"]


def test_llm_requested_without_configuration_is_a_sentence(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FACTDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.delenv("FACTDESK_LLM_MODEL", raising=False)
    get_settings.cache_clear()
    assert main(["triage", "--extractor", "llm", str(EXAMPLE)]) == 2
    assert "FACTDESK_LLM_MODEL" in capsys.readouterr().err
    get_settings.cache_clear()


def test_paste_with_the_database_down_still_shows_the_llm_card(llm_env: OpenAIServer, tmp_path):
    from bot.config import Settings
    from bot.desk.api import Actor, Place
    from bot.triage import TriageService

    # A database in a missing folder cannot be opened: neither the triage nor the LLM cache can be stored.
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'missing' / 'x.db'}")
    outcome = TriageService(settings).paste(
        EXAMPLE.read_text(), Actor(platform="cli", user_id="u"), Place(platform="cli", message="m")
    )
    assert outcome.report is not None and outcome.report.thread_ref is None
    assert outcome.report.extractor.name == "llm" and outcome.report.claims
    assert any("Paste it again later" in note for note in outcome.report.notes)
    assert len(llm_env.requests) >= 1


def _reading_model(request) -> Behaviour:
    """A model that re-scores the grain figure, reads two rule attributions (one the rules' way, one not)
    and agrees with the gazetteer on Macron."""
    return answer(
        {
            "claims": [
                {
                    "quote": "Grain shipments through the Black Sea corridor fell 18% in October compared with "
                    "September, to 3.1 million tonnes",
                    "kind": "statistic",
                    "checkworthiness": 1.0,
                    "speaker": None,
                    "attribution_quote": None,
                }
            ],
            "attributions": [
                {
                    "quote": "Two shipping executives, who asked not to be named",
                    "source": "Two shipping executives",
                    "kind": "anonymous",
                },
                {"quote": "According to TASS", "source": "TASS", "kind": "named_outlet"},
            ],
            "names": [{"found": "Emanuel Macron", "suggestion": "Emmanuel Macron", "confidence": 0.9}],
        },
        usage=(900, 120),
    )


def test_where_each_field_came_from_is_stored_and_shown(llm_env: OpenAIServer, capsys):
    llm_env.responder = _reading_model
    stored = triage(capsys, str(EXAMPLE))
    assert stored["thread_ref"]
    rescored = [c for c in stored["claims"] if c["field_origins"]]
    assert [c["field_origins"] for c in rescored] == [{"checkworthiness": "llm"}]
    assert "18%" in rescored[0]["text"]
    views = {a["text"]: a["model_view"] for a in stored["attributions"] if a["model_view"]}
    assert views["who asked not to be named"] == "confirmed"
    assert [v for t, v in views.items() if "TASS" in t] == ["questioned"]
    assert [n["model_view"] for n in stored["names"]] == ["confirmed"]

    # Read back from the database, the card says what the model did, overall and on the claim.
    assert main(["show", stored["thread_ref"]]) == 0
    card = capsys.readouterr().out
    assert "The model confirmed 2 and questioned 1 of the rules' findings" in card
    assert "re-scored or typed 1 claim(s)" in card
    assert "LLM set score" in card
