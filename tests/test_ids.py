"""References beyond a 32-bit row id (`show C-99999999999`) name nothing: they get the unknown-id sentence on
SQLite and PostgreSQL alike, from every command and the CLI, never PostgreSQL's out-of-range error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.cli import main
from bot.config import get_settings
from bot.desk.api import Actor, Place
from bot.desk.refs import MAX_ID, parse_ref
from bot.desk.service import Desk
from bot.models import TriageReport
from bot.replies import Action

HUGE = "99999999999"
JUST_OVER = str(MAX_ID + 1)


def unknown_claim(ref: str) -> str:
    return f"⚠️ There is no claim {ref}; check the number on the card or try `list`."


@pytest.mark.parametrize("number", [HUGE, JUST_OVER, "999999999999"])
@pytest.mark.parametrize(
    ("command", "title"),
    [
        ("show C-{n}", unknown_claim("C-{n}")),
        ("history C-{n}", unknown_claim("C-{n}")),
        ("show T-{n}", "⚠️ There is no triage T-{n}."),
        ("export T-{n} csv", "⚠️ There is no triage T-{n}."),
        ("retriage T-{n}", "⚠️ There is no triage T-{n}."),
        ("list all thread T-{n}", "⚠️ There is no triage T-{n}."),
        ("list all T-{n}", "⚠️ There is no triage T-{n}."),
        ("assign C-{n} @leo", unknown_claim("C-{n}")),
        ("claim C-{n}", unknown_claim("C-{n}")),
        ("verdict C-{n} false no such figure", unknown_claim("C-{n}")),
        ("note C-{n} call the ministry", unknown_claim("C-{n}")),
        ("dismiss C-{n} opinion", unknown_claim("C-{n}")),
    ],
)
def test_out_of_range_ids_read_as_unknown_ids(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place, command: str, title: str, number: str
) -> None:
    reply = desk.run(command.format(n=number), editor, place)
    assert reply.title == title.format(n=number)


def test_an_out_of_range_id_and_an_unused_one_get_the_same_sentence(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place
) -> None:
    unused = desk.run("show C-999999", editor, place).title
    impossible = desk.run(f"show C-{HUGE}", editor, place).title
    assert impossible == unused.replace("999999", HUGE)


def test_a_button_carrying_an_out_of_range_id_is_a_sentence(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place
) -> None:
    reply = desk.click(Action.assign_me, f"C-{HUGE}", editor, place)
    assert reply.title.startswith("⚠️") and HUGE in reply.title


def test_parse_ref_keeps_every_id_a_row_can_have() -> None:
    assert parse_ref(f"C-{MAX_ID}") is not None
    assert parse_ref(f"C-{MAX_ID + 1}") is None
    assert parse_ref(f"T-{HUGE}", any_number=True) is not None


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def cli_database(request: pytest.FixtureRequest, tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    url = (
        f"sqlite:///{tmp_path / 'ids.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    monkeypatch.setenv("FACTDESK_DATABASE_URL", url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.parametrize("words", [["show", f"C-{HUGE}"], ["show", f"T-{HUGE}"], ["retriage", f"T-{HUGE}"]])
def test_the_cli_answers_an_out_of_range_id_with_one_sentence(
    cli_database: None, capsys: pytest.CaptureFixture[str], words: list[str]
) -> None:
    code = main(words)
    out, err = capsys.readouterr()
    assert code == 2
    assert "There is no" in out + err and HUGE in out + err
    assert "Traceback" not in out + err and "INTEGER" not in out + err
