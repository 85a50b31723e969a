"""`factdesk doctor`: a checklist an operator can act on, from configuration to reachability."""

from __future__ import annotations

import os
import re

import httpx
from pydantic import BaseModel

from bot.config import Settings
from bot.observability.logs import redact
from bot.storage_failures import STORAGE_FAILURES, storage_failure


class Check(BaseModel):
    name: str
    ok: bool | None  # None: not configured, nothing to check
    detail: str


def _token_shape(name: str, value: str | None, pattern: str, hint: str) -> Check:
    if not value:
        return Check(name=name, ok=None, detail="not set")
    if re.fullmatch(pattern, value):
        return Check(name=name, ok=True, detail="looks right")
    return Check(name=name, ok=False, detail=f"does not look like {hint}")


def check_database(settings: Settings) -> Check:
    from storage import db

    try:
        engine = db.make_engine(settings.database_url)
        db.check_schema(engine)
    except STORAGE_FAILURES as exc:  # every storage failure is a sentence an operator can act on
        return Check(name="database", ok=False, detail=redact(storage_failure(exc).sentence))
    url = redact(engine.url.render_as_string(hide_password=False))
    return Check(name="database", ok=True, detail=f"{url} reachable, schema current ({db.head_revision()})")


def check_llm(settings: Settings) -> Check:
    if not settings.llm_configured:
        return Check(
            name="LLM endpoint", ok=None, detail="FACTDESK_LLM_MODEL not set: the offline extractor is used"
        )
    key, base_url = os.environ.get("OPENAI_API_KEY"), os.environ.get("OPENAI_BASE_URL")
    if not key and not base_url:
        return Check(
            name="LLM endpoint",
            ok=False,
            detail="neither OPENAI_BASE_URL (a local server) nor OPENAI_API_KEY (a cloud one) is set",
        )
    base = (base_url or "https://api.openai.com/v1").rstrip("/")
    shown = redact(base)
    # A local server needs no key; an empty "Bearer " is not a valid header, so none is sent.
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        response = httpx.get(f"{base}/models", headers=headers, timeout=5)
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
        return Check(name="LLM endpoint", ok=False, detail=f"{shown} unreachable ({type(exc).__name__})")
    if response.status_code in (401, 403):
        refused = "refused the API key" if key else "wants an API key: set OPENAI_API_KEY"
        return Check(name="LLM endpoint", ok=False, detail=f"{shown} {refused} (HTTP {response.status_code})")
    return Check(
        name="LLM endpoint",
        ok=response.status_code < 500,
        detail=f"{shown} answered HTTP {response.status_code}",
    )


def run_checks(settings: Settings) -> list[Check]:
    return [
        check_database(settings),
        check_llm(settings),
        _token_shape("SLACK_BOT_TOKEN", settings.slack_bot_token, r"xoxb-[\w-]+", "a bot token (xoxb-…)"),
        _token_shape(
            "SLACK_SIGNING_SECRET",
            settings.slack_signing_secret,
            r"[0-9a-f]{32}",
            "a 32-hex-digit signing secret",
        ),
        _token_shape(
            "SLACK_APP_TOKEN", settings.slack_app_token, r"xapp-[\w-]+", "an app-level token (xapp-…)"
        ),
        _token_shape(
            "DISCORD_TOKEN",
            settings.discord_token,
            r"[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}",
            "a Discord bot token",
        ),
    ]
