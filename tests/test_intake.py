"""The one door for article text: control characters and terminal escapes cleaned once for every adapter,
UTF-16/32 files with a byte-order mark decoded, and oversized files and stdin refused without reading them
whole. Through the real CLI, a loopback page, TriageService.paste, SQLite and PostgreSQL. And the one door
for a chat paste (`bot.intake`), which Slack and Discord map their events to."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from measured import run_measured
from pages_server import SYNTHETIC_PARAGRAPHS, SYNTHETIC_TITLE, PagesServer
from sqlalchemy import select

from adapters.cli import main
from bot.config import Settings, get_settings
from bot.database import session_factory_for, upgrade_schema
from bot.desk.api import Actor, Place
from bot.desk.service import Desk
from bot.intake import Paste, PasteIntake
from bot.text.normalize import strip_controls
from bot.triage import TriageService
from storage.jobs import TriageJob

EXAMPLE = Path(__file__).parents[1] / "examples" / "grain-corridor.txt"
FACTDESK = Path(sys.executable).with_name("factdesk")
HOSTILE = "\x1b]0;owned\x07\x1b[2J\x1b[31m"  # sets the window title, clears the screen, turns text red
CONTROL_FREE_EXCEPT = set("\n\t")


def control_free(text: str) -> bool:
    return not any((ord(c) < 32 and c not in CONTROL_FREE_EXCEPT) or 0x7F <= ord(c) <= 0x9F for c in text)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'intake.db'}"
    return request.getfixturevalue("empty_postgres_url")


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> Iterator[None]:
    monkeypatch.setenv("FACTDESK_DATABASE_URL", database_url)
    monkeypatch.setenv("FACTDESK_EXTRACTOR", "offline")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# control characters


def test_nul_after_the_first_8_kb_and_terminal_escapes_are_cleaned_and_stored(
    cli_env: None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    article = EXAMPLE.read_text(encoding="utf-8") + "\n" + "\n\n".join(SYNTHETIC_PARAGRAPHS * 12)
    cut = article.index(" ", 9000)
    hostile = HOSTILE + article[:cut] + "\x00\x00" + HOSTILE + article[cut:] + "\x1b[0m"
    path = tmp_path / "hostile.txt"
    path.write_text(hostile, encoding="utf-8")

    code, out, err = run(capsys, "triage", "--json", str(path))
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["thread_ref"].startswith("T-")  # stored: PostgreSQL no longer sees a NUL
    assert control_free(out.replace("\n", ""))  # nothing in the JSON, title to claims, carries a control

    code, out, err = run(capsys, "triage", str(path))  # the card in the terminal, from the stored triage
    assert code == 0 and control_free(out) and "Already triaged" in err


def test_the_clean_text_is_the_same_article_so_it_dedupes_with_the_plain_one(
    cli_env: None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "coloured.txt"
    path.write_text(
        HOSTILE + EXAMPLE.read_text(encoding="utf-8").replace("\n", "\x1b[0m\n"), encoding="utf-8"
    )
    first = json.loads(run(capsys, "triage", "--json", str(EXAMPLE))[1])
    second = json.loads(run(capsys, "triage", "--json", str(path))[1])
    assert second["already_triaged"] and second["thread_ref"] == first["thread_ref"]


def test_a_chat_paste_is_cleaned_by_the_same_door() -> None:
    """Slack and Discord hand a message to TriageService.paste; the card comes back clean."""
    paragraphs = [p.replace("Tuesday", "Tues\x1b[1mday\x00") for p in SYNTHETIC_PARAGRAPHS * 2]
    message = HOSTILE + SYNTHETIC_TITLE + "\n\n" + "\n\n".join(paragraphs)
    service = TriageService(Settings(database_url="sqlite://", extractor="offline"))
    actor = Actor(platform="slack", user_id="U1", display="leo")
    outcome = service.paste(message, actor, Place(platform="slack", workspace="T1", channel="C1"))
    assert outcome.report is not None
    assert outcome.report.article.title == SYNTHETIC_TITLE
    assert control_free(outcome.reply.model_dump_json().replace("\\n", ""))
    assert all(control_free(claim.text) for claim in outcome.report.claims)


def test_a_plain_text_page_is_cleaned_title_included() -> None:
    with PagesServer() as server:
        text, fetched = TriageService(Settings(allow_private_urls=True)).read(server.url("/plain-controls"))
    assert fetched is not None and control_free(text) and "Tuesday" in text
    assert fetched.title == SYNTHETIC_TITLE


def test_escape_sequences_go_whole_and_tabs_and_newlines_stay() -> None:
    raw = (
        "a\x1b[38;5;196mb\x1b]8;;https://evil.example\x1b\\c\x1b]8;;\x1b\\\td\r\ne\x0cf\x00g\x7fh\x9bi\x1bMj"
    )
    assert strip_controls(raw) == "abc\td\ne\nfghij"


def test_binary_data_is_still_refused(capsys: pytest.CaptureFixture[str], cli_env: None) -> None:
    noisy = "".join(f"word{chr(i % 31 + 1)} " for i in range(5000))
    service = TriageService(Settings(database_url="sqlite://"))
    with pytest.raises(Exception, match="looks like binary data"):
        service.read(noisy)


# UTF-16 and UTF-32 with a byte-order mark


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_files_with_a_byte_order_mark_are_decoded(
    cli_env: None, capsys: pytest.CaptureFixture[str], tmp_path: Path, encoding: str
) -> None:
    article = EXAMPLE.read_text(encoding="utf-8")
    data = article.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # Python's explicit-endian codecs write no BOM: add it
        data = "\ufeff".encode(encoding) + data
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    code, out, err = run(capsys, "triage", "--json", "--no-store", str(path))
    assert (code, err) == (0, "")
    plain = json.loads(run(capsys, "triage", "--json", "--no-store", str(EXAMPLE))[1])
    assert json.loads(out)["article"]["sha256"] == plain["article"]["sha256"]


# size, before reading everything

TOO_BIG = (
    "The input is more than 1,600,004 bytes; factdesk reads at most 400,000 characters at once, "
    "so paste one article at a time.\n"
)


def test_stdin_past_the_cap_is_refused_after_reading_only_the_cap(
    cli_env: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = io.BytesIO(b"word " * 1_000_000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stream))
    code, out, err = run(capsys, "triage", "-")
    assert (code, out, err) == (2, "", TOO_BIG)
    assert stream.tell() <= 1_600_005 + io.DEFAULT_BUFFER_SIZE


def test_200_mb_on_stdin_is_refused_quickly_in_bounded_memory(tmp_path: Path) -> None:
    written = 0

    def feed(stdin: IO[bytes]) -> None:
        nonlocal written
        block = b"word " * 200_000  # 1 MB
        try:
            for _ in range(200):
                stdin.write(block)
                written += len(block)
            stdin.close()
        except (BrokenPipeError, ValueError):
            pass  # the CLI stopped reading, as it should

    run = run_measured(
        [str(FACTDESK), "triage", "-"],
        {"FACTDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'big.db'}"},
        str(tmp_path / "rusage"),
        feed,
    )
    assert (run.code, run.stdout, run.stderr) == (2, "", TOO_BIG)
    assert written < 200_000_000  # it never read to the end
    assert run.peak_mb < 200
    print(f"200 MB stdin refused in {run.seconds:.1f} s, peak RSS {run.peak_mb:.0f} MB")


# the operator's terminal, whatever was stored


def test_escapes_typed_in_chat_never_reach_the_operators_terminal(
    cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """Desk notes are stored as typed; `show`, exports and error sentences in the CLI print them cleaned."""
    assert run(capsys, "triage", "--json", str(EXAMPLE))[0] == 0
    desk = Desk()
    chat = Actor(platform="slack", user_id="U9", display="leo")
    desk.run(
        f"note C-1 checked {HOSTILE}with the ministry",
        chat,
        Place(platform="slack", workspace="T1", channel="C1"),
    )
    for words in (
        ["show", "C-1"],
        ["export", "T-1", "markdown"],
        ["export", "T-1", "csv"],
        [f"{HOSTILE}list"],
    ):
        _, out, err = run(capsys, *words)
        assert control_free(out) and control_free(err), words
    assert "checked with the ministry" in run(capsys, "show", "C-1")[1]


# the paste door every chat platform goes through (bot.intake)

BINARY = "".join(f"word{chr(i % 31 + 1)} " for i in range(5000))


@pytest.fixture
def paste_intake(tmp_path: Path) -> PasteIntake:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'paste.db'}",
        paste_min_words=50,
        paste_rules="CLINKS:links,COFF:off",
        max_input_chars=5_000,
    )
    upgrade_schema(settings.database_url)
    return PasteIntake(Desk(settings=settings), settings)


def test_the_intake_reads_chat_links_and_articles_the_same_for_every_platform(
    paste_intake: PasteIntake,
) -> None:
    article = "\n\n".join(SYNTHETIC_PARAGRAPHS)
    assert paste_intake.read("thanks, will look", platform="slack") is None
    assert paste_intake.read(f"  {HOSTILE}\x00  ", platform="discord") is None  # nothing left once cleaned
    link = paste_intake.read(f"see {HOSTILE}https://news.example/a", platform="discord", delivery="m1")
    assert link == Paste("see https://news.example/a", "discord", "m1")
    pasted = paste_intake.read(HOSTILE + article, platform="slack", channel="CANY")
    assert pasted is not None and pasted.refusal is None and control_free(pasted.text)
    assert paste_intake.read(article, platform="slack", channel="CLINKS") is None  # that channel's rule
    assert paste_intake.read("https://news.example/a", platform="slack", channel="COFF") is None
    assert (
        paste_intake.read("list open https://news.example/a", platform="slack", commands_first=True) is None
    )
    assert paste_intake.read("https://news.example/a", platform="slack", commands_first=True) is not None


def test_what_is_no_article_is_refused_with_its_sentence(paste_intake: PasteIntake) -> None:
    binary = paste_intake.read(BINARY, platform="slack")
    assert binary is not None and binary.refusal is not None and "binary data" in binary.refusal
    long = paste_intake.read("word " * 6_000, platform="discord")
    assert long is not None and long.refusal is not None and "5,000 characters" in long.refusal


def test_a_delivery_is_taken_once_until_released_and_the_job_holds_the_clean_text(
    paste_intake: PasteIntake,
) -> None:
    paste = paste_intake.read(f"{HOSTILE}https://news.example/b", platform="slack", delivery="Ev1")
    assert paste is not None
    assert paste_intake.first_delivery(paste) and not paste_intake.first_delivery(paste)
    paste_intake.release(paste)
    assert paste_intake.first_delivery(paste)
    once = Paste("https://news.example/c", "slack", None)  # a slash command: never redelivered
    assert paste_intake.first_delivery(once) and paste_intake.first_delivery(once)

    actor = Actor(platform="slack", user_id="U1", display="leo")
    place = Place(platform="slack", workspace="T1", channel="C1", thread="1.0", message="2.0")
    assert paste_intake.enqueue(paste, actor, place) is None
    with session_factory_for(paste_intake.settings.database_url)() as session:
        (job,) = session.scalars(select(TriageJob)).all()
    assert job.message == "https://news.example/b" and job.place["message"] == "2.0"


def test_a_database_that_is_down_is_one_sentence_where_the_card_would_be(tmp_path: Path) -> None:
    settings = Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:9/none", paste_min_words=50)
    intake_door = PasteIntake(Desk(session_factory=lambda: None, settings=settings), settings)  # type: ignore[arg-type]
    paste = intake_door.read("https://news.example/d", platform="discord")
    assert paste is not None
    sentence = intake_door.enqueue(paste, Actor(platform="discord", user_id="1"), Place(platform="discord"))
    assert sentence is not None and "database" in sentence.lower() and "\n" not in sentence
