"""`factdesk serve --web-only`: a real process serving the board and health endpoints with no chat
platform configured; without FACTDESK_BOARD_SECRET it refuses to start in one sentence."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
from test_serve_startup import REPO, free_port, healthy

from tests.board_server import SECRET
from tests.waiting import wait_until


def _env(tmp_path: Path, port: int) -> dict[str, str]:
    env = os.environ | {
        "FACTDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'board.db'}",
        "FACTDESK_PORT": str(port),
        "FACTDESK_BOARD_SECRET": SECRET,
        "FACTDESK_CLI_USER": "editor",
    }
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "DISCORD_TOKEN", "FACTDESK_BOARD_URL"):
        env.pop(name, None)
    return env


def test_web_only_serves_the_board_without_a_platform(tmp_path: Path) -> None:
    port = free_port()
    env = _env(tmp_path, port)
    cli = [sys.executable, "-m", "adapters.cli"]
    triaged = subprocess.run(
        [*cli, "triage", "--extractor", "offline", str(REPO / "examples" / "grain-corridor.txt")],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert triaged.returncode == 0, triaged.stderr
    link = subprocess.run([*cli, "board"], env=env, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert link.returncode == 0 and link.stdout.startswith(f"http://127.0.0.1:{port}/desk?t=")
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        serve = subprocess.Popen([*cli, "serve", "--web-only"], env=env, cwd=REPO, stdout=out, stderr=out)
    try:
        assert wait_until(lambda: healthy(port), 30), log.read_text()
        page = httpx.get(link.stdout.strip(), timeout=10)
        assert page.status_code == 200 and "Black Sea grain exports" in page.text
        assert httpx.get(f"http://127.0.0.1:{port}/desk", timeout=10).status_code == 403
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(20) == 0
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait(5)
    assert "Traceback" not in log.read_text()


def test_web_only_without_a_secret_refuses_in_one_sentence(tmp_path: Path) -> None:
    env = _env(tmp_path, free_port())
    env.pop("FACTDESK_BOARD_SECRET")
    done = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "serve", "--web-only"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 78
    assert done.stderr.strip().startswith("Set FACTDESK_BOARD_SECRET") and "Traceback" not in done.stderr
