"""`factdesk serve` started while Slack cannot be reached (issue 15, item 13): one sentence per attempt in
the log instead of a traceback, retries with backoff, and serving once Slack answers; SIGTERM while it waits
ends it cleanly. A real `factdesk serve` process, with the recording Slack API behind a loopback proxy."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import slack_requests as sr
from slack_api_server import SlackApiServer
from tcp_proxy import TcpProxy

from tests.waiting import wait_until

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_serve(env: dict[str, str], log: Path) -> subprocess.Popen:
    """A real `factdesk serve slack` process, everything it prints going to `log`."""
    with log.open("w") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "adapters.cli", "serve", "slack"],
            env=env,
            cwd=REPO,
            stderr=out,
            stdout=out,
        )


def healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def test_serve_waits_for_an_unreachable_slack_in_one_sentence_then_serves(tmp_path: Path) -> None:
    with SlackApiServer() as api, TcpProxy("127.0.0.1", int(api.url.rsplit(":", 1)[1].strip("/"))) as proxy:
        proxy.cut()  # Slack is down when the service starts
        port = free_port()
        env = os.environ | {
            "FACTDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'desk.db'}",
            "FACTDESK_AUTO_MIGRATE": "1",
            "FACTDESK_PORT": str(port),
            "FACTDESK_SLACK_API_URL": f"http://127.0.0.1:{proxy.port}/",
            "SLACK_BOT_TOKEN": "xoxb-123456789012-factdesk-test-token",
            "SLACK_SIGNING_SECRET": sr.SIGNING_SECRET,
        }
        env.pop("SLACK_APP_TOKEN", None)
        env.pop("DISCORD_TOKEN", None)
        log = tmp_path / "serve.log"
        serve = start_serve(env, log)
        try:
            assert wait_until(lambda: log.read_text().count("cannot be reached") >= 2, 20), log.read_text()
            assert serve.poll() is None, "serve gave up instead of retrying"
            proxy.restore()
            assert wait_until(lambda: healthy(port), 30), log.read_text()
            serve.send_signal(signal.SIGTERM)
            assert serve.wait(20) == 0
        finally:
            if serve.poll() is None:
                serve.kill()
                serve.wait(5)
    text = log.read_text()
    assert "Traceback" not in text
    sentences = [line for line in text.splitlines() if "cannot be reached" in line]
    assert all(len(line) < 400 for line in sentences)


def test_sigterm_while_slack_is_still_unreachable_ends_cleanly(tmp_path: Path) -> None:
    env = os.environ | {
        "FACTDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'desk.db'}",
        "FACTDESK_AUTO_MIGRATE": "1",
        "FACTDESK_PORT": str(free_port()),
        "FACTDESK_SLACK_API_URL": f"http://127.0.0.1:{free_port()}/",
        "SLACK_BOT_TOKEN": "xoxb-123456789012-factdesk-test-token",
        "SLACK_SIGNING_SECRET": sr.SIGNING_SECRET,
    }
    log = tmp_path / "serve.log"
    serve = start_serve(env, log)
    try:
        assert wait_until(lambda: "cannot be reached" in log.read_text(), 20)
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(20) == 0
    finally:
        if serve.poll() is None:
            serve.kill()
    assert "Traceback" not in log.read_text()
