"""The web board under `/desk`: read-only pages opened by a signed link (`?t=`), mounted beside the health
endpoints by `factdesk serve` (and alone by `factdesk serve --web-only`).

Pages carry the link's token in their own links and forms, never in a cookie, and send no referrer, so the
token does not leave the board. Scripts and styles come only from `/desk/static` (the CSP forbids inline
script), which also means an article's text cannot run as code even if escaping were ever missed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web

from adapters.web import pages
from bot.board.access import AccessDenied, board_secret, verify
from bot.board.views import BoardViews, QueueQuery, WorkspaceKey
from bot.config import Settings
from bot.errors import CommandError, UserFacingError

STATIC = Path(__file__).with_name("static")
STATIC_FILES = {"chart.umd.min.js": "text/javascript", "board.js": "text/javascript", "board.css": "text/css"}
MAX_FIELD_CHARS = 200
QUEUE_ROWS = 200
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def _html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8", headers=HEADERS)


def board_routes(
    settings: Settings,
    views: BoardViews | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> list[web.RouteDef]:
    """`views` defaults to the configured database, opened on the first request."""
    opened: list[BoardViews] = [views] if views is not None else []

    def board() -> BoardViews:
        if not opened:
            from bot.database import session_factory_for

            opened.append(BoardViews(session_factory_for(settings.database_url)))
        return opened[0]

    def scope_of(request: web.Request) -> tuple[WorkspaceKey, str]:
        token = request.query.get("t", "")
        return verify(board_secret(settings), token, now=clock()), token

    async def answer(request: web.Request, render: Callable[[WorkspaceKey, str], str]) -> web.Response:
        try:
            scope, token = scope_of(request)
            return _html(await asyncio.to_thread(render, scope, token))
        except AccessDenied as exc:
            return _html(pages.refusal_page(403, exc.sentence), 403)
        except CommandError as exc:
            return _html(pages.refusal_page(404, exc.sentence), 404)
        except UserFacingError as exc:  # no secret configured, database down
            return _html(pages.refusal_page(503, exc.sentence), 503)

    def label(scope: WorkspaceKey) -> str:
        return board().workspace_name(scope) or f"{scope.platform} {scope.external_id}"

    async def queue(request: web.Request) -> web.Response:
        query = request.query
        wanted = QueueQuery(
            status=query.get("status") if query.get("status") in pages.STATUSES else "open",  # type: ignore[arg-type]
            assignee=query.get("assignee", "")[:MAX_FIELD_CHARS].strip() or None,
            text=query.get("q", "")[:MAX_FIELD_CHARS].strip() or None,
            sort=query.get("sort") if query.get("sort") in pages.SORTS else "score",  # type: ignore[arg-type]
            limit=QUEUE_ROWS,
        )
        return await answer(
            request,
            lambda scope, token: pages.queue_page(
                board().queue(scope, wanted), wanted, token=token, workspace=label(scope), now=clock()
            ),
        )

    async def claim(request: web.Request) -> web.Response:
        claim_id = int(request.match_info["claim_id"])
        return await answer(
            request,
            lambda scope, token: pages.claim_page(
                board().claim(scope, claim_id), token=token, workspace=label(scope)
            ),
        )

    async def charts(request: web.Request) -> web.Response:
        return await answer(
            request,
            lambda scope, token: pages.charts_page(
                board().charts(scope, clock().date()), token=token, workspace=label(scope)
            ),
        )

    async def static(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in STATIC_FILES:
            raise web.HTTPNotFound()
        return web.Response(
            body=(STATIC / name).read_bytes(),
            content_type=STATIC_FILES[name],
            headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
        )

    return [
        web.get("/desk", queue),
        web.get(r"/desk/claims/{claim_id:\d{1,12}}", claim),
        web.get("/desk/charts", charts),
        web.get("/desk/static/{name}", static),
    ]
