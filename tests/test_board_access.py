"""Board links: signed, short-lived, one workspace each; refused with 403 and one sentence otherwise.
Over real HTTP on loopback, pages escape article and chat text."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from adapters.cli import main
from bot.board.access import AccessDenied, board_link, sign, verify
from bot.board.views import WorkspaceKey
from bot.config import Settings, get_settings
from bot.desk.api import Actor, Place
from bot.desk.service import Desk
from bot.desk.triage_store import save_report
from bot.errors import ConfigurationError
from bot.models import TriageReport
from tests.board_server import SECRET, running_board
from tests.conftest import ARTICLE, EDITOR, PLACE, FixedClock

KEY = SECRET.encode()
HOME = WorkspaceKey("slack", "T1")
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def test_a_signed_link_opens_its_workspace_until_it_expires() -> None:
    token = sign(KEY, HOME, now=NOW)
    assert verify(KEY, token, now=NOW + timedelta(minutes=59)) == HOME
    with pytest.raises(AccessDenied, match="has expired"):
        verify(KEY, token, now=NOW + timedelta(hours=1))


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature changed
        lambda t: sign(KEY, WorkspaceKey("slack", "T2"), now=NOW).split(".")[0] + "." + t.split(".")[1],
        lambda t: sign(b"another-secret-of-enough-length-000000", HOME, now=NOW),
        lambda t: t.replace(".", ""),
        lambda t: "é" * 10 + "." + "ü",
        lambda t: t + "A" * 2000,
    ],
)
def test_an_altered_or_foreign_link_is_refused(tamper: Callable[[str], str]) -> None:
    with pytest.raises(AccessDenied, match="not valid"):
        verify(KEY, tamper(sign(KEY, HOME, now=NOW)), now=NOW)


def test_no_link_and_no_secret_are_one_sentence_each() -> None:
    with pytest.raises(AccessDenied, match="needs a board link"):
        verify(KEY, "", now=NOW)
    for secret in (None, "short"):
        with pytest.raises(ConfigurationError, match="FACTDESK_BOARD_SECRET"):
            board_link(Settings(board_secret=secret), HOME, now=NOW)


def _get(url: str) -> tuple[int, str, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), dict(exc.headers)


def test_pages_over_http_refuse_bad_links_and_escape_text(
    session_factory: Callable[[], Session],
    make_report: Callable[..., TriageReport],
    desk: Desk,
    editor: Actor,
    place: Place,
    clock: FixedClock,
) -> None:
    hostile = make_report("hostile")
    hostile.article.title = '<script>alert("title")</script> Budget'
    other_place = Place(platform="slack", workspace="T2", channel="COTHER")
    with session_factory() as session, session.begin():
        home = save_report(session, hostile, EDITOR, PLACE, ARTICLE)
        away = save_report(session, make_report("elsewhere"), EDITOR, other_place, ARTICLE)
    ref = home.claims[0].id
    assert not desk.run(f'note {ref} "<img src=x onerror=alert(1)> checked"', editor, place).error
    clock.now = datetime.now(UTC)
    with running_board(session_factory, clock) as base:
        token = sign(KEY, HOME, now=clock.now)
        status, html, headers = _get(f"{base}/desk?t={token}&q=budget&status=all")
        assert status == 200
        assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; Budget" in html
        assert "<script>alert" not in html
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["Referrer-Policy"] == "no-referrer"
        status, html, _ = _get(f"{base}/desk/claims/{ref[2:]}?t={token}")
        assert status == 200 and "&lt;img src=x onerror=alert(1)&gt; checked" in html
        assert "<mark>Harbour Council approved a budget of $4.2 billion on Tuesday</mark>" in html
        assert "claim.note" in html

        status, html, _ = _get(f"{base}/desk/claims/{away.claims[0].id[2:]}?t={token}")
        assert status == 403 and "belongs to another workspace" in html
        assert "Harbour Council" not in html
        expired = sign(KEY, HOME, now=clock.now - timedelta(hours=2))
        status, html, _ = _get(f"{base}/desk/charts?t={expired}")
        assert status == 403 and "This board link has expired" in html
        status, html, _ = _get(f"{base}/desk?t={token[:-3]}xyz")
        assert status == 403 and "This board link is not valid" in html
        status, html, _ = _get(f"{base}/desk/claims/999999999?t={token}")
        assert status == 404 and "There is no claim C-999999999." in html
        status, body, headers = _get(f"{base}/desk/static/chart.umd.min.js")
        assert status == 200 and "Chart.js v4.6.2" in body
        assert _get(f"{base}/desk/static/..%2Fpages.py")[0] == 404

    with running_board(session_factory, clock, secret=None) as base:
        status, html, _ = _get(f"{base}/desk?t={token}")
        assert status == 503 and "Set FACTDESK_BOARD_SECRET" in html


def test_factdesk_board_prints_a_link_for_the_local_desk(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FACTDESK_BOARD_URL", "https://desk.example.org/")
    monkeypatch.delenv("FACTDESK_BOARD_SECRET", raising=False)
    get_settings.cache_clear()
    try:
        assert main(["board"]) == ConfigurationError.exit_code
        assert "Set FACTDESK_BOARD_SECRET" in capsys.readouterr().err
        monkeypatch.setenv("FACTDESK_BOARD_SECRET", SECRET)
        get_settings.cache_clear()
        assert main(["board"]) == 0
    finally:
        get_settings.cache_clear()
    link = capsys.readouterr().out.strip()
    assert link.startswith("https://desk.example.org/desk?t=")
    opened = verify(KEY, link.split("?t=", 1)[1], now=datetime.now(UTC) + timedelta(minutes=59))
    assert opened == WorkspaceKey("cli", "local")


def test_board_in_chat_gives_an_editor_a_private_link_to_their_own_desk(
    session_factory: Callable[[], Session], desk_settings: Settings, clock: FixedClock, member: Actor
) -> None:
    """`/factcheck board`: editors only, private, scoped to the workspace asked from, and a clear sentence
    when the board has no secret configured."""
    from bot.core import build_desk
    from bot.replies import Visibility

    desk = build_desk(desk_settings.model_copy(update={"board_secret": SECRET}), session_factory, clock=clock)
    reply = desk.run("board", EDITOR, PLACE)
    assert not reply.error and reply.visibility is Visibility.private
    token = reply.data["link"].split("t=", 1)[1]
    assert verify(SECRET.encode(), token, now=clock.now) == WorkspaceKey(PLACE.platform, PLACE.workspace)
    refused = desk.run("board", member, PLACE)
    assert refused.error and "Only editors can open the web board" in refused.title
    unset = build_desk(desk_settings, session_factory, clock=clock).run("board", EDITOR, PLACE)
    assert unset.error and "FACTDESK_BOARD_SECRET" in unset.title
