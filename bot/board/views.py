"""What the board's pages read, for the workspace a verified link opens; a claim of another workspace is
refused, not hidden, so a forwarded link cannot be used to probe."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from bot.board.access import AccessDenied
from bot.errors import CommandError
from storage import board
from storage.board import Charts, ClaimPage, QueueQuery, QueueRow, WorkspaceKey

__all__ = ["BoardViews", "Charts", "ClaimPage", "QueueQuery", "QueueRow", "WorkspaceKey"]


class BoardViews:
    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._sessions = session_factory

    def queue(self, scope: WorkspaceKey, wanted: QueueQuery) -> list[QueueRow]:
        with self._sessions() as session:
            return board.queue(session, scope, wanted)

    def claim(self, scope: WorkspaceKey, claim_id: int) -> ClaimPage:
        with self._sessions() as session:
            page = board.claim_page(session, scope, claim_id)
            if page is not None:
                return page
            if board.claim_workspace(session, claim_id) is None:
                raise CommandError(f"There is no claim C-{claim_id}.")
            raise AccessDenied(f"C-{claim_id} belongs to another workspace; this link does not open it.")

    def charts(self, scope: WorkspaceKey, today: date) -> Charts:
        with self._sessions() as session:
            return board.charts(session, scope, today=today)

    def workspace_name(self, scope: WorkspaceKey) -> str | None:
        with self._sessions() as session:
            return board.workspace_name(session, scope)
