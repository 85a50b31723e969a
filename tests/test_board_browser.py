"""The web board in a real headless browser (Debian's chromium driven by Playwright): the queue and its
search, one claim page, and charts actually drawn. Saves docs/board.png and docs/board-queue.png, the
screenshots the README shows. Skips, saying why, only where chromium or Playwright is not installed."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.board.access import sign
from bot.board.views import WorkspaceKey
from bot.desk.api import Actor, Place
from bot.desk.service import Desk
from bot.desk.triage_store import save_report
from bot.models import TriageReport
from storage.models import Claim
from tests.board_server import SECRET, running_board
from tests.conftest import ARTICLE, EDITOR, PLACE, FixedClock

CHROMIUM = Path("/usr/bin/chromium")
DOCS = Path(__file__).parents[1] / "docs"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TITLES = [
    "Harbour Council passes budget",
    "Ferry terminal delayed again",
    "District jobs figures revised",
    "Flood report: what the council knew",
    "Mayor's office answers budget questions",
]
CHECKERS = ["<@ULEO|leo>", "<@UANA|ana>", "<@UOMAR|omar>"]
VERDICTS = ["false", "mostly_false", "true", "mostly_true", "false", "unverifiable"]

sync_api = pytest.importorskip("playwright.sync_api", reason="the browser tests need Playwright (pip)")
if not CHROMIUM.exists() or shutil.which("chromium") is None:
    pytest.skip(
        "the browser tests need Debian's chromium at /usr/bin/chromium (`make install` adds it where apt-get exists)",
        allow_module_level=True,
    )


@pytest.fixture
def backend() -> str:
    return "sqlite"  # the queries have their own tests on both backends; one is enough for the browser


def _a_week_of_desk_work(
    session_factory: Callable[[], Session],
    make_report: Callable[..., TriageReport],
    desk: Desk,
    editor: Actor,
    place: Place,
    clock: FixedClock,
) -> list[str]:
    """Five articles triaged over a week, claims assigned and ruled on later days."""
    now = datetime.now(UTC).replace(microsecond=0)
    refs: list[str] = []
    for day, title in enumerate(TITLES):
        report = make_report(f"week-{day}")
        report.article.title = title
        with session_factory() as session, session.begin():
            saved = save_report(session, report, EDITOR, PLACE, ARTICLE)
            ids = [int(c.id[2:]) for c in saved.claims]
            session.execute(  # as if triaged `6 - day` days ago
                update(Claim)
                .where(Claim.id.in_(ids))
                .values(created_at=now - timedelta(days=6 - day, hours=3))
            )
        refs += [c.id for c in saved.claims]
    for i, ref in enumerate(refs):
        clock.now = now - timedelta(days=max(0, 5 - i // 3), hours=1)
        if i % 4 != 3:
            assert not desk.run(f"assign {ref} {CHECKERS[i % 3]}", editor, place).error
        if i % 2 == 0 and i < 12:
            clock.now += timedelta(minutes=40)
            verdict = VERDICTS[i // 2 % len(VERDICTS)]
            assert not desk.run(f'verdict {ref} {verdict} "Checked against the minutes"', editor, place).error
    return refs


def test_an_editor_reads_the_queue_a_claim_and_the_charts(
    session_factory: Callable[[], Session],
    make_report: Callable[..., TriageReport],
    desk: Desk,
    editor: Actor,
    place: Place,
    clock: FixedClock,
) -> None:
    refs = _a_week_of_desk_work(session_factory, make_report, desk, editor, place, clock)
    clock.now = datetime.now(UTC)
    token = sign(SECRET.encode(), WorkspaceKey("slack", "T1"), now=clock.now)
    DOCS.mkdir(exist_ok=True)
    with running_board(session_factory, clock) as base, sync_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

            page.goto(f"{base}/desk?t={token}")
            rows = page.locator("#queue tbody tr")
            open_count = rows.count()
            assert open_count == len(refs) - 6  # six ruled on
            page.fill("input[name=q]", "2027")
            page.select_option("select[name=status]", "all")
            page.click("button[type=submit]")
            page.wait_for_url("**q=2027**")
            assert rows.count() == len(TITLES)  # one ferry-terminal claim per article
            assert all("2027" in text for text in rows.locator("td:nth-child(2)").all_inner_texts())
            page.goto(f"{base}/desk?t={token}&status=all")
            page.screenshot(path=str(DOCS / "board-queue.png"))

            page.click(f"#queue a:text-is('{refs[0]}')")
            page.wait_for_url(f"**/desk/claims/{refs[0][2:]}?*")
            assert (
                page.inner_text(".context mark")
                == "Harbour Council approved a budget of $4.2 billion on Tuesday"
            )
            assert "mayor's office" in page.inner_text(".context")
            history = page.locator("#history tbody tr").all_inner_texts()
            assert [line.split("\t")[2] for line in history] == ["claim.assigned", "claim.verdict"]

            page.click("nav a:text-is('Charts')")
            for chart in ("flow", "verdicts", "load"):
                page.wait_for_selector(f"canvas#{chart}[data-drawn=true]")
                inked = page.evaluate(
                    """id => { const c = document.getElementById(id);
                       const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                       let n = 0; for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++; return n; }""",
                    chart,
                )
                assert inked > 500, f"the {chart} chart drew nothing"
            assert page.inner_text("#median").split()[0].replace(".", "").isdigit()
            page.screenshot(path=str(DOCS / "board.png"), full_page=True)
            assert not errors, errors
        finally:
            browser.close()
    assert (DOCS / "board.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
