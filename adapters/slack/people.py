"""Who a Slack user is to the desk: a display name and profile time zone (users.info `tz`, so "due friday
5pm" means 5 pm where they are) and editor rights (a Slack user group).

All are cached for a few minutes so a burst of clicks costs Slack one lookup, and a lookup failure
degrades to "member named by id" rather than an error.
"""

from __future__ import annotations

import logging
import threading
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.desk.api import Actor

log = logging.getLogger(__name__)


class People:
    def __init__(self, client: WebClient, editor_usergroup: str | None, ttl: float = 300.0) -> None:
        self.client = client
        self.editor_usergroup = editor_usergroup
        self.ttl = ttl
        self._lock = threading.Lock()
        self._profiles: dict[str, tuple[float, str | None, str | None]] = {}  # id -> (fetched, name, tz)
        self._editors: tuple[float, frozenset[str]] | None = None

    def actor(self, user_id: str, fallback_name: str | None = None) -> Actor:
        roles = [self.editor_usergroup] if self.editor_usergroup and user_id in self.editors() else []
        name, timezone = self.profile(user_id)
        return Actor(
            platform="slack",
            user_id=user_id,
            display=name or fallback_name,
            roles=roles,
            timezone=timezone,
        )

    def paster(self, user_id: str, fallback_name: str | None = None) -> Actor:
        """Who pasted, from the cache only: a paste is acknowledged before Slack's 3 s deadline, and
        posting an article needs no rights, so a cold cache costs a display name, never a Slack call."""
        with self._lock:
            cached = self._profiles.get(user_id)
        name, timezone = (cached[1], cached[2]) if cached else (None, None)
        return Actor(platform="slack", user_id=user_id, display=name or fallback_name, timezone=timezone)

    def display(self, user_id: str) -> str | None:
        return self.profile(user_id)[0]

    def profile(self, user_id: str) -> tuple[str | None, str | None]:
        """(display name, IANA time zone) from users.info; (None, None) when Slack cannot say."""
        now = time.monotonic()
        with self._lock:
            cached = self._profiles.get(user_id)
        if cached and now - cached[0] < self.ttl:
            return cached[1], cached[2]
        try:
            user = self.client.users_info(user=user_id)["user"]
            profile = user.get("profile") or {}
            name = profile.get("display_name") or user.get("name") or profile.get("real_name") or None
            timezone = user.get("tz") or None
        except SlackApiError as exc:
            log.warning("users.info failed for %s: %s", user_id, exc.response.get("error"))
            name = timezone = None
        with self._lock:
            self._profiles[user_id] = (now, name, timezone)
        return name, timezone

    def editors(self) -> frozenset[str]:
        if not self.editor_usergroup:
            return frozenset()
        now = time.monotonic()
        with self._lock:
            cached = self._editors
        if cached and now - cached[0] < self.ttl:
            return cached[1]
        try:
            members = frozenset(self.client.usergroups_users_list(usergroup=self.editor_usergroup)["users"])
        except SlackApiError as exc:
            log.warning("usergroups.users.list failed: %s", exc.response.get("error"))
            members = cached[1] if cached else frozenset()
        with self._lock:
            self._editors = (now, members)
        return members
