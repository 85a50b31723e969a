"""`factdesk doctor` checks an OpenAI-compatible endpoint correctly with and without an API key."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.doctor import check_llm
from tests.openai_server import OpenAIServer

SETTINGS = Settings(llm_model="loopback-model", _env_file=None)


@pytest.fixture
def no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def test_a_local_server_without_a_key_is_reported_working_and_gets_no_empty_bearer(
    monkeypatch: pytest.MonkeyPatch, no_key: None
) -> None:
    with OpenAIServer() as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        check = check_llm(SETTINGS)
    assert check.ok is True and "HTTP 200" in check.detail
    [headers] = server.listings
    assert "authorization" not in {name.lower() for name in headers}


def test_a_key_is_sent_when_set_and_a_wrong_one_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    with OpenAIServer(api_key="right") as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "right")
        assert check_llm(SETTINGS).ok is True
        monkeypatch.setenv("OPENAI_API_KEY", "wrong")
        refused = check_llm(SETTINGS)
    assert refused.ok is False and "refused the API key (HTTP 401)" in refused.detail
    assert [h.get("Authorization") for h in server.listings] == ["Bearer right", "Bearer wrong"]


def test_a_server_that_wants_a_key_says_so_when_none_is_set(
    monkeypatch: pytest.MonkeyPatch, no_key: None
) -> None:
    with OpenAIServer(api_key="secret") as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        check = check_llm(SETTINGS)
    assert check.ok is False and "wants an API key: set OPENAI_API_KEY" in check.detail


def test_no_endpoint_and_no_key_is_one_sentence(monkeypatch: pytest.MonkeyPatch, no_key: None) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    check = check_llm(SETTINGS)
    assert check.ok is False and "OPENAI_BASE_URL" in check.detail


def test_an_unreachable_local_server_is_reported(monkeypatch: pytest.MonkeyPatch, no_key: None) -> None:
    with OpenAIServer() as gone:
        url = gone.url
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    check = check_llm(SETTINGS)
    assert check.ok is False and "unreachable" in check.detail
