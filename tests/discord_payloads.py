"""Hand-made Discord payloads (shapes from Discord's API docs) and a fake REST API that records every call.

Nothing here opens a socket: `FakeDiscord` replaces the bot's `HTTPClient.request` and discord.py's webhook
adapter (used for interaction responses and follow-ups), answers with documented response shapes, and keeps
the calls so tests can assert on what would have been sent. Gateway events are fed to the real
`ConnectionState` parsers, so commands, components and modals travel discord.py's own dispatch path.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import discord
from discord.http import Route
from discord.webhook.async_ import AsyncWebhookAdapter, async_context

APPLICATION_ID = 900_000_000_000_000_001
BOT_USER_ID = 900_000_000_000_000_002
GUILD_ID = 910_000_000_000_000_001
CHANNEL_ID = 920_000_000_000_000_001  # a watched channel
OTHER_CHANNEL_ID = 920_000_000_000_000_002  # not watched
EDITOR_ROLE_ID = 930_000_000_000_000_001
EDITOR_ROLE_NAME = "Fact editors"
TIMESTAMP = "2026-03-01T12:00:00.000000+00:00"

_snowflakes = itertools.count(950_000_000_000_000_001)


def snowflake() -> int:
    return next(_snowflakes)


# -- objects -------------------------------------------------------------------------------------------


def user(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
    }


def member(user_id: int, name: str, roles: list[int] | None = None) -> dict[str, Any]:
    """A guild member as sent inside interactions (with `user`) and messages."""
    return {
        "user": user(user_id, name),
        "roles": [str(r) for r in roles or []],
        "joined_at": TIMESTAMP,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "permissions": "2248473465835073",
    }


def role(role_id: int, name: str, position: int = 1) -> dict[str, Any]:
    return {
        "id": str(role_id), "name": name, "color": 0, "hoist": False, "position": position,
        "permissions": "0", "managed": False, "mentionable": True, "flags": 0,
    }  # fmt: skip


def text_channel(channel_id: int, name: str, guild_id: int = GUILD_ID) -> dict[str, Any]:
    return {
        "id": str(channel_id), "type": 0, "guild_id": str(guild_id), "name": name, "position": 0,
        "permission_overwrites": [], "nsfw": False, "parent_id": None, "topic": None, "last_message_id": None,
        "rate_limit_per_user": 0,
    }  # fmt: skip


def thread_channel(thread_id: int, parent_id: int, name: str, guild_id: int = GUILD_ID) -> dict[str, Any]:
    """A public thread (type 11), as returned by Start Thread from Message."""
    return {
        "id": str(thread_id), "type": 11, "guild_id": str(guild_id), "parent_id": str(parent_id),
        "owner_id": str(BOT_USER_ID), "name": name, "last_message_id": None, "rate_limit_per_user": 0,
        "message_count": 0, "member_count": 1, "total_message_sent": 0, "flags": 0,
        "thread_metadata": {
            "archived": False, "auto_archive_duration": 1440, "archive_timestamp": TIMESTAMP, "locked": False,
        },
    }  # fmt: skip


def guild(
    guild_id: int = GUILD_ID,
    channels: list[dict[str, Any]] | None = None,
    roles: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A GUILD_CREATE payload: what the `guilds` intent delivers at start-up."""
    everyone = role(guild_id, "@everyone", position=0)
    return {
        "id": str(guild_id), "name": "Newsroom", "icon": None, "owner_id": "1", "afk_channel_id": None,
        "afk_timeout": 300, "verification_level": 0, "default_message_notifications": 0, "explicit_content_filter": 0,
        "roles": [everyone, *(roles or [])], "emojis": [], "features": [], "mfa_level": 0, "system_channel_id": None,
        "system_channel_flags": 0, "rules_channel_id": None, "vanity_url_code": None, "description": None,
        "banner": None, "premium_tier": 0, "preferred_locale": "en-US", "public_updates_channel_id": None,
        "nsfw_level": 0, "premium_progress_bar_enabled": False, "member_count": 3, "large": False,
        "channels": channels or [], "threads": [], "members": [], "stickers": [],
    }  # fmt: skip


def message(
    channel_id: int,
    content: str,
    *,
    author: dict[str, Any],
    author_member: dict[str, Any] | None = None,
    guild_id: int | None = GUILD_ID,
    message_id: int | None = None,
    embeds: list[dict[str, Any]] | None = None,
    components: list[dict[str, Any]] | None = None,
    mentions: list[dict[str, Any]] | None = None,
    flags: int = 0,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(message_id or snowflake()), "channel_id": str(channel_id), "author": author, "content": content,
        "timestamp": TIMESTAMP, "edited_timestamp": None, "tts": False, "mention_everyone": False,
        "mentions": mentions or [], "mention_roles": [], "attachments": [], "embeds": embeds or [],
        "pinned": False, "type": 0, "flags": flags, "components": components or [],
    }  # fmt: skip
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    if author_member is not None:
        data["member"] = {k: v for k, v in author_member.items() if k != "user"}
    return data


# -- interactions ----------------------------------------------------------------------------------------


def _interaction(
    kind: int, data: dict[str, Any], who: dict[str, Any], channel: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": str(snowflake()), "application_id": str(APPLICATION_ID), "type": kind, "data": data,
        "guild_id": channel.get("guild_id", str(GUILD_ID)), "channel": channel, "channel_id": channel["id"],
        "member": who, "token": f"token-{snowflake()}", "version": 1, "app_permissions": "2248473465835073",
        "locale": "en-US", "guild_locale": "en-US", "entitlements": [], "attachment_size_limit": 10_485_760,
        "authorizing_integration_owners": {"0": str(GUILD_ID)}, "context": 0,
    }  # fmt: skip


def _option(name: str, value: Any, focused: bool = False) -> dict[str, Any]:
    kind = 4 if isinstance(value, int) and not isinstance(value, bool) else 3
    option: dict[str, Any] = {"name": name, "type": kind, "value": value}
    if focused:
        option["focused"] = True
    return option


def slash_command(
    group: str,
    sub: str,
    options: dict[str, Any],
    *,
    who: dict[str, Any],
    channel: dict[str, Any],
    focused: str | None = None,
    resolved: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """`/group sub option:value …` (type 2), or its autocomplete request (type 4) when `focused` names an option."""
    sub_option = {
        "name": sub,
        "type": 1,
        "options": [_option(k, v, k == focused) for k, v in options.items()],
    }
    data: dict[str, Any] = {"id": str(snowflake()), "name": group, "type": 1, "options": [sub_option]}
    if resolved:
        data["resolved"] = resolved
    return _interaction(4 if focused else 2, data, who, channel)


def button_click(
    custom_id: str, *, who: dict[str, Any], channel: dict[str, Any], on: dict[str, Any]
) -> dict[str, Any]:
    """A click on a button (component_type 2) of message `on`."""
    return _interaction(3, {"custom_id": custom_id, "component_type": 2}, who, channel) | {"message": on}


def select_choice(
    custom_id: str, values: list[str], *, who: dict[str, Any], channel: dict[str, Any], on: dict[str, Any],
    component_type: int = 3, resolved: dict[str, Any] | None = None,
) -> dict[str, Any]:  # fmt: skip
    data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type, "values": values}
    if resolved:
        data["resolved"] = resolved
    return _interaction(3, data, who, channel) | {"message": on}


def modal_submit(
    custom_id: str, fields: dict[str, str], *, who: dict[str, Any], channel: dict[str, Any]
) -> dict[str, Any]:
    """A modal submission (type 5): one label (type 18) around a text input per field."""
    rows = [
        {"type": 18, "id": i, "component": {"type": 4, "custom_id": k, "value": v}}
        for i, (k, v) in enumerate(fields.items(), 1)
    ]
    return _interaction(5, {"custom_id": custom_id, "components": rows}, who, channel)


# -- the fake REST API -----------------------------------------------------------------------------------


@dataclass
class Call:
    method: str
    path: str
    payload: Any = None
    params: dict[str, Any] | None = None

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return (self.payload or {}).get("embeds") or (self.payload or {}).get("data", {}).get("embeds") or []

    @property
    def components(self) -> list[dict[str, Any]]:
        body = self.payload or {}
        return body.get("components") or body.get("data", {}).get("components") or []

    @property
    def custom_ids(self) -> list[str]:
        return [c["custom_id"] for c in walk_components(self.components) if "custom_id" in c]

    @property
    def flags(self) -> int:
        body = self.payload or {}
        return body.get("flags") or body.get("data", {}).get("flags") or 0

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & 64)


def walk_components(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every component, through action rows (`components`) and modal labels (`component`)."""
    for component in components:
        yield component
        yield from walk_components(component.get("components", []))
        if "component" in component:
            yield from walk_components([component["component"]])


@dataclass
class FakeDiscord:
    """Answers the REST routes the adapter uses with Discord's documented shapes and records each call."""

    calls: list[Call] = field(default_factory=list)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    fail: dict[str, int] = field(default_factory=dict)  # "METHOD path-regex" -> HTTP status to fail with

    def find(self, method: str, pattern: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and re.fullmatch(pattern, c.path)]

    def interaction_replies(self) -> list[Call]:
        """Every message an interaction produced: callbacks, follow-ups and edits of the original response."""
        return [c for c in self.calls if c.path.startswith(("/interactions/", "/webhooks/"))]

    # the two entry points discord.py uses

    async def http_request(self, route: Route, *, files: Any = None, form: Any = None, **kwargs: Any) -> Any:
        return self._answer(route, kwargs.get("json"), kwargs.get("params"))

    async def webhook_request(
        self, route: Route, session: Any, *, payload: Any = None, params: Any = None, **_: Any
    ) -> Any:
        return self._answer(route, payload, params)

    @contextmanager
    def installed(self, client: discord.Client) -> Iterator[FakeDiscord]:
        fake = self

        class RecordingWebhookAdapter(AsyncWebhookAdapter):
            async def request(self, route: Route, session: Any, **kwargs: Any) -> Any:
                return await fake.webhook_request(route, session, **kwargs)

        client.http.request = self.http_request  # type: ignore[method-assign]
        token = async_context.set(RecordingWebhookAdapter())
        try:
            yield self
        finally:
            async_context.reset(token)

    # answers

    def _answer(self, route: Route, payload: Any, params: Any) -> Any:
        path = route.url.removeprefix(Route.BASE)
        self.calls.append(Call(route.method, path, payload, params))
        for rule, status in self.fail.items():
            method, pattern = rule.split(" ", 1)
            if method == route.method and re.fullmatch(pattern, path):
                raise discord.HTTPException(_FakeResponse(status), {"code": 0, "message": "refused by test"})
        body = payload or {}
        if m := re.fullmatch(r"/channels/(\d+)/messages", path):
            return self._store(int(m[1]), body)
        if m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)", path):
            return self._edit(int(m[1]), int(m[2]), body)
        if re.fullmatch(r"/channels/\d+/messages/\d+/reactions/.+/@me", path):
            return None
        if m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)/threads", path):
            # Discord gives a thread started from a message the message's own id.
            return thread_channel(int(m[2]), int(m[1]), body.get("name", "thread"))
        if path == "/users/@me":  # login
            return user(BOT_USER_ID, "factdesk", bot=True)
        if path == "/oauth2/applications/@me":  # login reads the application
            return {
                "id": str(APPLICATION_ID), "name": "factdesk", "description": "", "icon": None,
                "bot_public": False, "bot_require_code_grant": False, "verify_key": "0" * 64,
                "owner": user(snowflake(), "owner"), "flags": 0,
            }  # fmt: skip
        if re.fullmatch(r"/applications/\d+(/guilds/\d+)?/commands", path):
            return [self._registered_command(c) for c in payload or []]
        if m := re.fullmatch(r"/interactions/(\d+)/[^/]+/callback", path):
            return self._callback(int(m[1]), body)
        if re.fullmatch(r"/webhooks/\d+/[^/]+", path):
            return self._store(CHANNEL_ID, body, flags=body.get("flags", 0))
        if re.fullmatch(r"/webhooks/\d+/[^/]+/messages/(@original|\d+)", path):
            return self._store(CHANNEL_ID, body, flags=body.get("flags", 0))
        raise AssertionError(f"the adapter called a route the fake does not know: {route.method} {path}")

    def _store(self, channel_id: int, body: dict[str, Any], flags: int = 0) -> dict[str, Any]:
        sent = message(
            channel_id, body.get("content") or "", author=user(BOT_USER_ID, "factdesk", bot=True),
            embeds=body.get("embeds"), components=_with_ids(body.get("components")), flags=flags,
        )  # fmt: skip
        self.messages[int(sent["id"])] = sent
        return sent

    def _edit(self, channel_id: int, message_id: int, body: dict[str, Any]) -> dict[str, Any]:
        current = self.messages.get(message_id) or message(
            channel_id, "", author=user(BOT_USER_ID, "factdesk", bot=True), message_id=message_id
        )
        current = current | {
            k: v for k, v in body.items() if k in {"content", "embeds", "components", "flags"}
        }
        current["components"] = _with_ids(current.get("components"))
        self.messages[message_id] = current
        return current

    def _callback(self, interaction_id: int, body: dict[str, Any]) -> dict[str, Any]:
        kind = body.get("type", 4)
        data = body.get("data") or {}
        ephemeral = bool(data.get("flags", 0) & 64)
        answer: dict[str, Any] = {
            "interaction": {
                "id": str(interaction_id), "type": 2, "response_message_loading": kind == 5,
                "response_message_ephemeral": ephemeral,
            },
        }  # fmt: skip
        if kind in (4, 5, 7):
            sent = self._store(CHANNEL_ID, data, flags=data.get("flags", 0))
            answer["interaction"]["response_message_id"] = sent["id"]
            answer["resource"] = {"type": kind, "message": sent}
        else:
            answer["resource"] = {"type": kind}
        return answer

    @staticmethod
    def _registered_command(command: dict[str, Any]) -> dict[str, Any]:
        return command | {
            "id": str(snowflake()),
            "application_id": str(APPLICATION_ID),
            "version": str(snowflake()),
        }


def _with_ids(components: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Discord echoes components back with numeric ids; discord.py reads them when rebuilding a view."""
    counter = itertools.count(1)

    def number(component: dict[str, Any]) -> dict[str, Any]:
        numbered = component | {"id": component.get("id") or next(counter)}
        if "components" in numbered:
            numbered["components"] = [number(c) for c in numbered["components"]]
        return numbered

    return [number(c) for c in components or []]


class _FakeResponse:
    def __init__(self, status: int) -> None:
        self.status = status
        self.reason = "refused by test"


# -- driving the client ----------------------------------------------------------------------------------


def _is_work(task: asyncio.Task[Any]) -> bool:
    """Everything but a view's expiry timer (discord.py gives ephemeral views a 15-minute one)."""
    return "timeout_task" not in getattr(task.get_coro(), "__qualname__", "")


async def settle(rounds: int = 20) -> None:
    """Let every task discord.py scheduled (command calls, view dispatch, modal submits) run to the end."""
    for _ in range(rounds):
        pending = [
            t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done() and _is_work(t)
        ]
        if not pending:
            return
        await asyncio.wait(pending, timeout=5)
    raise AssertionError("discord.py tasks did not finish")


def connect(client: discord.Client, *, watched: list[int] | None = None) -> discord.Guild:
    """Give the client's state what READY and GUILD_CREATE would: its user, application id, one guild."""
    state = client._connection
    state.user = discord.ClientUser(state=state, data=user(BOT_USER_ID, "factdesk", bot=True))  # type: ignore[arg-type]
    state.application_id = APPLICATION_ID
    channels = [
        text_channel(cid, f"desk-{cid % 1000}") for cid in (watched or [CHANNEL_ID, OTHER_CHANNEL_ID])
    ]
    return state._add_guild_from_data(
        guild(channels=channels, roles=[role(EDITOR_ROLE_ID, EDITOR_ROLE_NAME)])
    )  # type: ignore[arg-type]


@dataclass
class Harness:
    """A bot wired to the fake API: feed it gateway events, then read `fake.calls`."""

    bot: Any
    fake: FakeDiscord

    async def interact(self, payload: dict[str, Any]) -> None:
        self.bot._connection.parse_interaction_create(payload)
        await settle()

    async def post(self, payload: dict[str, Any]) -> None:
        self.bot._connection.parse_message_create(payload)
        await settle()

    async def wait_for(self, method: str, pattern: str, count: int = 1, timeout: float = 20) -> list[Call]:
        """The calls matching `method` and `pattern` once there are `count` of them: cards are posted by
        triage workers (threads) through this loop, so keep the loop running while they work."""
        deadline = asyncio.get_running_loop().time() + timeout
        while len(found := self.fake.find(method, pattern)) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{len(found)} of {count} {method} {pattern} calls after {timeout} s")
            await asyncio.sleep(0.02)
        await settle()
        return self.fake.find(method, pattern)


def run_bot(scenario: Any, *, defer_after: float = 5.0, **bot_kwargs: Any) -> None:
    """Build a FactdeskBot in a fresh event loop (as a restarted process would), run its setup hook against
    the fake API, make finished triage jobs publish through it, then `await scenario(harness)`."""
    from adapters.discord import publish
    from adapters.discord.bot import FactdeskBot

    async def main() -> None:
        bot = FactdeskBot(**bot_kwargs)
        bot.defer_after = defer_after
        connect(bot)
        fake = FakeDiscord()
        with fake.installed(bot):
            await bot._async_setup_hook()
            await bot.setup_hook()
            publish.register(bot, asyncio.get_running_loop(), bot.desk.cards)
            await scenario(Harness(bot, fake))
            await settle()
            await bot.close()

    asyncio.run(main())
