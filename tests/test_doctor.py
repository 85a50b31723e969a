"""`factdesk doctor` through the real CLI: credentials in any URL it prints are masked, including a password
with an unencoded `@`, whose tail SQLAlchemy would otherwise show as part of the host."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pages_server import PagesServer
from sqlalchemy.engine import make_url

from adapters.cli import main
from bot.config import get_settings

SECRETS = ("TAILSECRET", "ss-TAIL", "LLMSECRET", "sk-doctor")


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "DISCORD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FACTDESK_LLM_MODEL", "test-model")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-doctor-0123456789abcdef")
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def doctor(capsys: pytest.CaptureFixture[str]) -> str:
    main(["doctor"])
    out, err = capsys.readouterr()
    return " ".join((out + err).split())  # rich wraps long lines at the terminal's width


def test_doctor_masks_an_unencoded_at_in_a_database_password_and_llm_url_credentials(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with PagesServer() as llm:
        environment.setenv("OPENAI_BASE_URL", f"http://llmuser:LLMSECRET@127.0.0.1:{llm.port}/v1")
        environment.setenv(
            "FACTDESK_DATABASE_URL", "postgresql+psycopg://factdesk:p@ss-TAILSECRET@127.0.0.1:1/news"
        )
        get_settings.cache_clear()
        output = doctor(capsys)
    assert not [secret for secret in SECRETS if secret in output.replace(" ", "")], output
    assert "postgresql+psycopg://factdesk:[redacted]@" in output
    assert f"http://llmuser:[redacted]@127.0.0.1:{llm.port}/v1 answered HTTP 404" in output


def test_a_token_as_the_whole_userinfo_is_masked(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    environment.setenv("OPENAI_BASE_URL", "http://sk-doctor-token@127.0.0.1:1/v1")
    environment.setenv("FACTDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'doctor.db'}")
    get_settings.cache_clear()
    output = doctor(capsys)
    assert (
        "sk-doctor" not in output.replace(" ", "")
        and "http://[redacted]@127.0.0.1:1/v1 unreachable" in output
    )


@pytest.mark.postgres
def test_a_reachable_postgres_is_shown_without_its_password(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], postgres_url: str
) -> None:
    with_password = make_url(postgres_url).set(password="p@ss-TAILSECRET")  # trust auth ignores it
    environment.setenv("FACTDESK_DATABASE_URL", with_password.render_as_string(hide_password=False))
    environment.setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1")
    get_settings.cache_clear()
    output = doctor(capsys)
    assert "TAILSECRET" not in output.replace(" ", "") and "%40" not in output
    assert f"postgres:[redacted]@127.0.0.1:5432/{make_url(postgres_url).database} reachable" in output
