"""Signed requests in the shapes Slack documents: Events API callbacks, slash commands and interactivity.

Each builder returns the raw body and its content type; `signed_headers` signs it the way Slack does
(v0 HMAC-SHA256 over ``v0:{timestamp}:{body}``), so the Bolt app under test verifies real signatures.
"""

from __future__ import annotations

import itertools
import json
import time
from urllib.parse import urlencode

import httpx
from slack_api_server import BOT_USER_ID, TEAM_ID
from slack_sdk.signature import SignatureVerifier

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
APP_ID = "A0FACTDESK"
_ids = itertools.count(1)


def next_ts() -> str:
    return f"{1_710_000_000 + next(_ids)}.{next(_ids):06d}"


def signed_headers(
    body: str, content_type: str, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body),
    }


def event_callback(event: dict, event_id: str | None = None, team_id: str = TEAM_ID) -> dict:
    return {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_ids):010d}",
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{next(_ids)}",
    }


def message_event(
    text: str,
    user: str = "U0MARIA",
    channel: str = "C0NEWSDESK",
    ts: str | None = None,
    thread_ts: str | None = None,
    **extra: object,
) -> dict:
    ts = ts or next_ts()
    event = {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel_type": "channel",
        "team": TEAM_ID,
        **extra,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def app_mention_event(
    text: str, user: str = "U0MARIA", channel: str = "C0NEWSDESK", ts: str | None = None
) -> dict:
    ts = ts or next_ts()
    return {
        "type": "app_mention",
        "channel": channel,
        "user": user,
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": ts,
        "event_ts": ts,
        "team": TEAM_ID,
    }


def json_body(payload: dict) -> tuple[str, str]:
    return json.dumps(payload), "application/json"


def slash_command(
    text: str,
    response_url: str,
    user: str = "U0MARIA",
    user_name: str = "maria",
    channel: str = "C0NEWSDESK",
    team_id: str = TEAM_ID,
) -> tuple[str, str]:
    form = {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "team_domain": "newsroom",
        "channel_id": channel,
        "channel_name": "newsdesk",
        "user_id": user,
        "user_name": user_name,
        "command": "/factcheck",
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": f"{next(_ids)}.{next(_ids)}.trigger",
    }
    return urlencode(form), "application/x-www-form-urlencoded"


def _user(user: str, name: str, team_id: str = TEAM_ID) -> dict:
    return {"id": user, "username": name, "name": name, "team_id": team_id}


def block_actions(
    action_id: str,
    value: str,
    message_ts: str,
    response_url: str,
    *,
    thread_ts: str | None = None,
    user: str = "U0MARIA",
    name: str = "maria",
    channel: str = "C0NEWSDESK",
    team_id: str = TEAM_ID,
) -> tuple[str, str]:
    message = {
        "type": "message",
        "user": BOT_USER_ID,
        "bot_id": "B0FACTDESK",
        "ts": message_ts,
        "text": "card",
    }
    if thread_ts:
        message["thread_ts"] = thread_ts
    payload = {
        "type": "block_actions",
        "user": _user(user, name, team_id),
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": False,
        },
        "trigger_id": f"{next(_ids)}.{next(_ids)}.trigger",
        "team": {"id": team_id, "domain": "newsroom"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel, "name": "newsdesk"},
        "message": message,
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "b1",
                "text": {"type": "plain_text", "text": action_id},
                "value": value,
                "type": "button",
                "action_ts": next_ts(),
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"


def view_submission(view: dict, values: dict, user: str = "U0MARIA", name: str = "maria") -> tuple[str, str]:
    """`view` is what the app sent to views.open; `values` is ``{block_id: {action_id: state}}``."""
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "newsroom"},
        "user": _user(user, name),
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": f"{next(_ids)}.trigger",
        "view": {**view, "id": "V0MODAL", "team_id": TEAM_ID, "state": {"values": values}, "hash": "h"},
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"


def send(
    url: str,
    body: str,
    content_type: str,
    *,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    retry: int | None = None,
    signed: bool = True,
    client: httpx.Client | None = None,
) -> httpx.Response:
    headers = (
        signed_headers(body, content_type, secret, timestamp) if signed else {"Content-Type": content_type}
    )
    if retry is not None:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    if client is not None:
        return client.post(url, content=body.encode(), headers=headers)
    return httpx.post(url, content=body.encode(), headers=headers, timeout=10)
