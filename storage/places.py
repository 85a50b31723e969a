"""Workspaces and channels: found or created on first use, safely when two processes race."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import Channel, Workspace

Row = TypeVar("Row", Workspace, Channel)


def get_or_create_channel(session: Session, platform: str, workspace: str, channel: str) -> Channel:
    ws = _get_or_create(
        session,
        select(Workspace).where(Workspace.platform == platform, Workspace.external_id == workspace),
        lambda: Workspace(platform=platform, external_id=workspace),
    )
    return _get_or_create(
        session,
        select(Channel).where(Channel.workspace_id == ws.id, Channel.external_id == channel),
        lambda: Channel(workspace_id=ws.id, external_id=channel),
    )


def find_channel(
    session: Session, platform: str, channel: str, workspace: str | None = None
) -> Channel | None:
    query = (
        select(Channel).join(Workspace).where(Workspace.platform == platform, Channel.external_id == channel)
    )
    if workspace is not None:
        query = query.where(Workspace.external_id == workspace)
    return session.scalars(query.limit(1)).first()


def _get_or_create(session: Session, query: Select[tuple[Row]], make: Callable[[], Row]) -> Row:
    found = session.scalars(query).first()
    if found is not None:
        return found
    try:
        with session.begin_nested():
            row = make()
            session.add(row)
        return row
    except IntegrityError:
        return session.scalars(query).one()
