"""The `factdesk` console script end to end: files, stdin, JSON, storage and dedupe, bad input, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.cli import main
from bot.config import get_settings

EXAMPLE = Path(__file__).parents[1] / "examples" / "grain-corridor.txt"


@pytest.fixture(autouse=True)
def fresh_database(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("FACTDESK_EXTRACTOR", "offline")
    monkeypatch.setenv("FACTDESK_CLI_USER", "maria")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_report_is_stored_then_recognised_as_already_triaged(capsys):
    code, out, _ = run(capsys, "triage", "--json", str(EXAMPLE))
    first = json.loads(out)
    assert code == 0 and first["thread_ref"].startswith("T-") and not first["already_triaged"]
    assert all(c["id"].startswith("C-") for c in first["claims"])
    assert first["article"]["sha256"] and first["article"]["language"] == "en"

    code, out, _ = run(capsys, "triage", "--json", str(EXAMPLE))
    second = json.loads(out)
    assert second["already_triaged"] and second["thread_ref"] == first["thread_ref"]
    assert [c["id"] for c in second["claims"]] == [c["id"] for c in first["claims"]]


def test_no_store_leaves_the_desk_empty(capsys):
    code, out, _ = run(capsys, "triage", "--json", "--no-store", str(EXAMPLE))
    assert code == 0 and json.loads(out)["thread_ref"] is None
    code, out, _ = run(capsys, "list", "all", "--json")
    assert code == 0
    assert "C-" not in out


def test_card_in_the_terminal(capsys):
    code, out, _ = run(capsys, "triage", str(EXAMPLE))
    assert code == 0
    assert "Sourcing:" in out and "Check-worthy claims" in out and "According to TASS" in out


def test_stdin(capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(EXAMPLE.read_bytes())))
    code, out, _ = run(capsys, "triage", "--json", "--no-store", "-")
    assert code == 0 and json.loads(out)["claims"]


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (b"", "empty"),
        (b"   \n\n\t", "empty"),
        (bytes(range(256)) * 40, "binary"),
        (b"word " * 1_100_000, "paste one article at a time"),
    ],
)
def test_bad_input_is_one_sentence_and_exit_2(capsys, tmp_path, content, phrase):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    code, out, err = run(capsys, "triage", str(path))
    assert code == 2 and out == ""
    assert phrase in err and "Traceback" not in err and err.count("\n") == 1


def test_missing_file(capsys):
    code, _, err = run(capsys, "triage", "/nonexistent/article.txt")
    assert code == 2 and "no file at /nonexistent/article.txt" in err


def test_non_english_article_says_so_and_still_triages(capsys, tmp_path):
    path = tmp_path / "de.txt"
    path.write_text(
        "Die Regierung hat am Montag beschlossen, die Steuern nicht zu erhöhen. Der Minister sagte, dass die "
        "Arbeitslosigkeit im März auf 5,2 Prozent gesunken ist und die Wirtschaft im Jahr 2025 wachsen wird.",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "triage", "--json", "--no-store", str(path))
    report = json.loads(out)
    assert code == 0 and report["article"]["language"] == "de"
    assert any("German" in note for note in report["notes"])


def test_console_script_is_installed_and_runs(tmp_path):
    exe = Path(sys.executable).parent / "factdesk"
    env = {**os.environ, "FACTDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'script.db'}"}
    done = subprocess.run(
        [str(exe), "triage", "--json", str(EXAMPLE)], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["extractor"]["name"] == "offline"


def test_desk_commands_from_the_terminal(capsys):
    code, out, _ = run(capsys, "triage", "--json", str(EXAMPLE))
    report = json.loads(out)
    ref, thread = report["claims"][0]["id"], report["thread_ref"]

    assert run(capsys, "assign", ref, "@leo", "due", "tomorrow")[0] == 0
    code, out, _ = run(capsys, "verdict", ref, "false", "Ministry figures show 3.1m tonnes, not 4m.")
    assert code == 0, out
    code, out, _ = run(capsys, "history", ref, "--json")
    assert code == 0 and "assign" in out and "verdict" in out

    code, out, _ = run(capsys, "export", thread, "claimreview", "--json")
    exported = json.dumps(json.loads(out))
    assert code == 0 and "ClaimReview" in exported and "Ministry figures show 3.1m" in exported

    code, out, _ = run(capsys, "export", thread, "markdown")
    assert code == 0 and out.startswith("# Fact-check: "), (
        "exports print the document itself, ready for > file"
    )

    code, out, _ = run(capsys, "asign", ref, "@leo")
    assert code == 2 and "did you mean" in out.lower() and "assign" in out.lower()


def test_retriage_keeps_the_desks_work_and_records_an_event(capsys):
    report = json.loads(run(capsys, "triage", "--json", str(EXAMPLE))[1])
    ref, thread = report["claims"][0]["id"], report["thread_ref"]
    assert run(capsys, "verdict", ref, "false", "Checked against the ministry's figures.")[0] == 0

    code, out, _ = run(capsys, "retriage", thread, "--json")
    again = json.loads(out)
    assert code == 0 and again["thread_ref"] == thread
    assert sorted(c["id"] for c in again["claims"]) == sorted(c["id"] for c in report["claims"])
    assert again["attributions"] and again["names"]

    shown = run(capsys, "show", ref, "--json")[1]
    assert "Checked against the ministry" in shown
    assert "retriaged" in run(capsys, "history", thread, "--json")[1]


def test_db_upgrade_then_an_outdated_schema_is_refused(capsys, tmp_path, monkeypatch):
    from storage.db import upgrade

    url = f"sqlite:///{tmp_path / 'old.db'}"
    monkeypatch.setenv("FACTDESK_DATABASE_URL", url)
    get_settings.cache_clear()
    upgrade(url, revision="0001")  # a database left behind by an older factdesk

    code, out, err = run(capsys, "list", "open")
    assert code == 3 and "run `factdesk db upgrade`" in out + err
    assert "upgraded from 0001" in run(capsys, "db", "upgrade")[1]
    assert "already current" in run(capsys, "db", "upgrade")[1]
    assert run(capsys, "list", "open")[0] == 0


def test_settings_from_factdesk_toml_and_a_bad_value_names_its_variable(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "factdesk.toml").write_text('card_claims = 3\norganisation = "The Daily Check"\n')
    get_settings.cache_clear()
    settings = get_settings()
    assert settings.card_claims == 3 and settings.organisation == "The Daily Check"

    monkeypatch.setenv("FACTDESK_CARD_CLAIMS", "many")
    get_settings.cache_clear()
    code, _, err = run(capsys, "triage", str(EXAMPLE))
    assert code == 78 and err.startswith("FACTDESK_CARD_CLAIMS is not valid")


def test_a_change_from_the_terminal_refreshes_the_slack_card(capsys, monkeypatch):
    from slack_api_server import SlackApiServer

    from bot.database import session_factory_for
    from bot.desk import publishers as publish
    from bot.desk.api import Actor, Place
    from bot.desk.triage_store import set_card_message
    from bot.triage import TriageService

    for registry in ("_publishers", "_refreshers"):  # what the CLI registers is undone after the test
        monkeypatch.setattr(publish, registry, dict(getattr(publish, registry)))
    with SlackApiServer() as api:
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test-token")
        monkeypatch.setenv("FACTDESK_SLACK_API_URL", api.url)
        get_settings.cache_clear()
        settings = get_settings()
        place = Place(platform="slack", workspace="T1", channel="C0DESK", thread="1700000000.000100")
        report = TriageService(settings).triage(
            EXAMPLE.read_text(), actor=Actor(platform="slack", user_id="U1"), place=place
        )
        with session_factory_for(settings.database_url)() as session, session.begin():
            set_card_message(
                session, report.thread_ref, place.model_copy(update={"message": "1700000000.000200"})
            )

        assert run(capsys, "assign", report.claims[0].id, "@leo")[0] == 0
        (update,) = api.wait_for("chat.update")
        assert update.args["channel"] == "C0DESK" and update.args["ts"] == "1700000000.000200"
        assert "leo" in json.dumps(update.args.get("blocks"))


def test_a_verdict_from_the_terminal_refreshes_the_discord_card(capsys, monkeypatch):
    """The CLI registers every platform's card refresher: a verdict given here on a claim whose card is on
    Discord edits that card over REST (logging in only because a Discord card changed)."""
    import discord

    from bot.database import session_factory_for
    from bot.desk import publishers as publish
    from bot.desk.api import Actor, Place
    from bot.desk.triage_store import set_card_message
    from bot.triage import TriageService
    from tests import discord_payloads as dp

    for registry in ("_publishers", "_refreshers"):  # what the CLI registers is undone after the test
        monkeypatch.setattr(publish, registry, dict(getattr(publish, registry)))
    fake = dp.FakeDiscord()

    async def request(http: discord.http.HTTPClient, route: discord.http.Route, **kwargs):
        assert http.token == "cli-discord-token"
        return await fake.http_request(route, **kwargs)

    monkeypatch.setattr(discord.http.HTTPClient, "request", request)
    monkeypatch.setenv("DISCORD_TOKEN", "cli-discord-token")
    get_settings.cache_clear()
    settings = get_settings()
    thread_id, card_id = dp.snowflake(), dp.snowflake()
    card = Place(
        platform="discord",
        workspace=str(dp.GUILD_ID),
        channel=str(dp.CHANNEL_ID),
        thread=str(thread_id),
        message=str(card_id),
    )
    report = TriageService(settings).triage(
        EXAMPLE.read_text(), actor=Actor(platform="discord", user_id="1"), place=card
    )
    with session_factory_for(settings.database_url)() as session, session.begin():
        set_card_message(session, report.thread_ref, card)

    assert run(capsys, "list", "open")[0] == 0
    assert fake.calls == []  # no Discord card changed: no login, no request

    claim = report.claims[0].id
    assert run(capsys, "verdict", claim, "false", "The ministry's own figures say otherwise.")[0] == 0
    (edit,) = fake.find("PATCH", rf"/channels/{thread_id}/messages/{card_id}")
    assert "✅ verdict: false" in json.dumps(edit.embeds, ensure_ascii=False)
    assert f"factdesk:claim.assign:{claim}" not in edit.custom_ids  # a ruled claim keeps only its verdict


@pytest.mark.parametrize("argv", [("db", "upgrade"), ("list", "open"), ("purge", "--older-than", "30d")])
def test_a_database_that_is_down_is_one_sentence_and_exit_3(capsys, monkeypatch, argv):
    """Every command, whichever door of the core it goes through, gets the storage failure as one sentence."""
    monkeypatch.setenv("FACTDESK_DATABASE_URL", "postgresql+psycopg://factdesk@127.0.0.1:9/desk")
    get_settings.cache_clear()
    code, out, err = run(capsys, *argv)
    assert code == 3 and "cannot be reached" in err and "Traceback" not in out + err
    assert len(err.strip().splitlines()) == 1


def test_doctor_exits_with_a_code_the_readme_lists(capsys, monkeypatch):
    """A failing check exits 1; the README's exit-code list must say what 1 means."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "not-a-bot-token")
    get_settings.cache_clear()
    code, out, _ = run(capsys, "doctor")
    assert code == 1 and "SLACK_BOT_TOKEN" in out and "does not look like" in out
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    exit_line = readme[readme.index("Exit codes:") :].split("\n\n", 1)[0]
    assert f" {code} `doctor`" in exit_line
