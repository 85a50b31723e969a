"""Short-lived board links: an HMAC-SHA256 signature over (platform, workspace, expiry).

Nothing is stored: whoever holds an unexpired link sees that one workspace's board, read-only. Rotating
FACTDESK_BOARD_SECRET revokes every link at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta
from urllib.parse import quote

from bot.config import Settings
from bot.errors import ConfigurationError, UserFacingError
from storage.board import WorkspaceKey

LINK_LIFETIME = timedelta(hours=1)
MIN_SECRET_CHARS = 32
MAX_TOKEN_CHARS = 1024
BOARD_PATH = "/desk"
MISSING_SECRET = (
    "Set FACTDESK_BOARD_SECRET to a random key of 32 or more characters "
    "(e.g. `python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`) to open the web board."
)


class AccessDenied(UserFacingError):
    """A board link that is expired, altered, or for another workspace (HTTP 403)."""


def board_secret(settings: Settings) -> bytes:
    secret = settings.board_secret or ""
    if len(secret) < MIN_SECRET_CHARS:
        raise ConfigurationError(MISSING_SECRET)
    return secret.encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: bytes, body: str) -> str:
    return _b64(hmac.new(secret, body.encode(), hashlib.sha256).digest())


def sign(secret: bytes, scope: WorkspaceKey, *, now: datetime, lifetime: timedelta = LINK_LIFETIME) -> str:
    payload = {"p": scope.platform, "w": scope.external_id, "e": int((now + lifetime).timestamp())}
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    return f"{body}.{_signature(secret, body)}"


def verify(secret: bytes, token: str | None, *, now: datetime) -> WorkspaceKey:
    """The workspace a token opens, or AccessDenied with the reason in one sentence."""
    if not token:
        raise AccessDenied(
            "This page needs a board link; ask for one with `/factcheck board` or `factdesk board`."
        )
    body, _, signature = token.partition(".")
    if len(token) > MAX_TOKEN_CHARS or not hmac.compare_digest(
        signature.encode(), _signature(secret, body).encode()
    ):
        raise AccessDenied("This board link is not valid; ask for a new one with `/factcheck board`.")
    payload = json.loads(_unb64(body))  # signed by us, so well-formed
    if now.timestamp() >= payload["e"]:
        raise AccessDenied("This board link has expired; ask for a new one with `/factcheck board`.")
    return WorkspaceKey(payload["p"], payload["w"])


def board_link(settings: Settings, scope: WorkspaceKey, *, now: datetime) -> str:
    """A link to the board for `scope`, valid for LINK_LIFETIME."""
    base = (settings.board_url or f"http://{settings.host}:{settings.port}").rstrip("/")
    token = sign(board_secret(settings), scope, now=now)
    return f"{base}{BOARD_PATH}?t={quote(token)}"
