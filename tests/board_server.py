"""The web board on a real loopback port, in a thread of its own, for HTTP and browser tests."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy.orm import Session

from adapters.http import build_http_app, start_http
from adapters.web.routes import board_routes
from bot.board.views import BoardViews
from bot.config import Settings

SECRET = "test-board-secret-0123456789abcdef-0123456789"


@contextmanager
def running_board(
    session_factory: Callable[[], Session], clock: Callable[[], datetime], secret: str | None = SECRET
) -> Iterator[str]:
    """Yield the base URL (http://127.0.0.1:port) of a board reading through `session_factory`."""
    settings = Settings(database_url="sqlite://", board_secret=secret)
    app = build_http_app(
        board_routes(settings, BoardViews(session_factory), clock), settings=settings, checks={}
    )
    loop = asyncio.new_event_loop()
    started = threading.Event()
    address: list[str] = []
    stop = asyncio.Event()

    async def main() -> None:
        runner, port = await start_http(app, "127.0.0.1", 0)
        address.append(f"http://127.0.0.1:{port}")
        started.set()
        await stop.wait()
        await runner.cleanup()

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    assert started.wait(10), "the board did not start"
    try:
        yield address[0]
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()
