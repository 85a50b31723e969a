"""Who is asking and where: the two values every adapter passes into the core with each request."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Actor(BaseModel):
    """A person acting on the desk. Adapters fill `roles` with platform groups (Slack user group ids,
    Discord role ids and names); the desk decides editor rights from them and from configuration."""

    platform: str  # "slack" | "discord" | "cli"
    user_id: str
    display: str | None = None
    roles: list[str] = Field(default_factory=list)
    is_editor: bool = False  # set by the adapter when the platform itself says so (e.g. the CLI operator)
    timezone: str | None = None  # IANA zone from the person's profile where the platform has one (Slack)

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.user_id}"

    @property
    def mention(self) -> str:
        return f"@{self.display or self.user_id}"


class Place(BaseModel):
    """Where a request came from; a triage thread is keyed by (platform, workspace, channel, thread)."""

    platform: str
    workspace: str = ""
    channel: str = ""
    thread: str | None = None
    message: str | None = None
