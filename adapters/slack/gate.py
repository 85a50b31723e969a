"""What every HTTP request to `/slack/events` passes before Bolt sees it: signature first, then shape.

Bolt builds its request (parsing the body) before it checks the signature, so an unsigned `null`, `[1,2]`,
malformed JSON or non-UTF-8 body used to reach its parser and end in a 500 with a traceback, and a refused
request had its whole body logged. Here the signature is verified on the raw bytes first (401), the body is
then decoded and parsed once (400 when it is not a Slack payload), and a refusal is logged as one bounded
line without the body. A signed command or click seen before (a replay within Slack's five-minute signature
window) is dropped through the desk's delivery dedupe, the same table that drops retried events.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs

from bot.errors import StorageUnavailable

log = logging.getLogger(__name__)

REPLAY_PLATFORM = "slack-request"  # the dedupe namespace of signed commands and clicks
SIGNATURE_WINDOW_S = 300  # Slack's: a request older or newer than this is refused


@dataclass(frozen=True)
class Refusal:
    status: int
    reason: str  # a short fixed phrase, safe to log and to answer with


Claim = Callable[[str, str], bool]  # Desk.claim_event: True the first time (platform, id) is seen


class SlackGate:
    def __init__(self, signing_secret: str, claim: Claim) -> None:
        self._secret = signing_secret.encode()
        self._claim = claim

    def check(self, body: bytes, headers: Mapping[str, str]) -> Refusal | None:
        """None when Bolt may handle the request; otherwise the answer to give instead (and it is logged).

        `headers` must have lower-case names."""
        refusal = self._refusal(body, headers)
        if refusal is not None:
            log.warning(
                "refused a Slack request",
                extra={"status": refusal.status, "reason": refusal.reason, "body_bytes": len(body)},
            )
        return refusal

    def _refusal(self, body: bytes, headers: Mapping[str, str]) -> Refusal | None:
        timestamp = headers.get("x-slack-request-timestamp", "")
        signature = headers.get("x-slack-signature", "")
        if not timestamp.isascii() or not timestamp.isdigit() or not signature:
            return Refusal(401, "missing or malformed signature headers")
        if not self._signed(body, timestamp, signature):
            return Refusal(401, "invalid signature or stale timestamp")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return Refusal(400, "body is not UTF-8")
        if not _is_slack_payload(text, headers.get("content-type", "")):
            return Refusal(400, "body is not a Slack payload")
        if headers.get("content-type", "").startswith("application/json"):
            return None  # events: retries and duplicates are dropped by event id
        try:
            first = self._claim(REPLAY_PLATFORM, hashlib.sha256(signature.encode()).hexdigest())
        except StorageUnavailable:
            return None  # the command itself will say the database is unreachable
        return None if first else Refusal(200, "replayed request")

    def _signed(self, body: bytes, timestamp: str, signature: str) -> bool:
        """Slack's v0 HMAC-SHA256 over the raw bytes (slack_sdk's verifier decodes them first, and fails
        on a body that is not UTF-8), within the signature window."""
        if not self._secret or abs(time.time() - int(timestamp)) > SIGNATURE_WINDOW_S:
            return False
        expected = (
            "v0=" + hmac.new(self._secret, b"v0:" + timestamp.encode() + b":" + body, "sha256").hexdigest()
        )
        return hmac.compare_digest(expected, signature)


def _is_slack_payload(text: str, content_type: str) -> bool:
    """Events come as a JSON object; commands as a form; clicks and submissions as a form whose `payload`
    is a JSON object."""
    if content_type.startswith("application/json"):
        return _json_object(text)
    try:
        form = parse_qs(text, strict_parsing=bool(text), errors="strict")
    except (ValueError, UnicodeDecodeError):
        return False
    if "payload" in form:
        return len(form["payload"]) == 1 and _json_object(form["payload"][0])
    return "command" in form or "ssl_check" in form


def _json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False
