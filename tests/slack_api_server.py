"""A loopback stand-in for Slack's Web API: answers in Slack's documented shapes and records every call.

Point `WebClient(base_url=server.url)` at it. Like Slack, it rejects messages over 50 blocks or with a
section text over 3,000 characters (`invalid_blocks`), so an oversized card fails a test instead of a newsroom.
`response_url` posts (slash commands, buttons) land on ``/respond/...`` and are recorded as method "respond".
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

TEAM_ID = "T0NEWSROOM"
BOT_USER_ID = "U0FACTDESK"
BOT_ID = "B0FACTDESK"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None
    response: dict[str, Any] = field(default_factory=dict)

    def blocks(self) -> list[dict]:
        raw = self.args.get("blocks") or []
        return json.loads(raw) if isinstance(raw, str) else raw


@dataclass
class SlackState:
    users: dict[str, dict] = field(default_factory=dict)
    usergroups: dict[str, list[str]] = field(default_factory=dict)
    socket_url: str | None = None
    messages: dict[str, list[dict]] = field(default_factory=dict)  # channel -> messages
    fail_once: dict[str, str] = field(default_factory=dict)  # method -> Slack error for its next call


def _blocks_problem(blocks: list[dict]) -> str | None:
    if len(blocks) > 50:
        return "invalid_blocks"
    for block in blocks:
        text = (block.get("text") or {}).get("text", "")
        if block.get("type") == "section" and len(text) > 3000:
            return "invalid_blocks"
        if block.get("type") == "actions" and len(block.get("elements", [])) > 25:
            return "invalid_blocks"
    return None


class SlackApiServer:
    """Run with `with SlackApiServer() as api:`; `api.calls` lists every request in arrival order."""

    def __init__(self, state: SlackState | None = None) -> None:
        self.state = state or SlackState()
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/"

    def response_url(self, name: str = "hook") -> str:
        return f"{self.url}respond/{name}"

    def __enter__(self) -> SlackApiServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # -- reading what happened --------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.calls_to(method)
            if len(found) >= count:
                return found
            time.sleep(0.01)
        raise AssertionError(f"expected {count} call(s) to {method}, got {len(self.calls_to(method))}")

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()

    # -- answering --------------------------------------------------------------------------------

    def _next_ts(self) -> str:
        return f"{1_700_000_000 + next(self._ts)}.000100"

    def answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            error = self.state.fail_once.pop(method, None)
        if error:
            return {"ok": False, "error": error}
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        return handler(args)

    def _auth_test(self, args: dict) -> dict:
        return {
            "ok": True,
            "url": "https://newsroom.slack.com/",
            "team": "Newsroom",
            "user": "factdesk",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _post(self, args: dict, ts: str | None = None) -> dict:
        blocks = args.get("blocks")
        blocks = json.loads(blocks) if isinstance(blocks, str) else blocks or []
        problem = _blocks_problem(blocks)
        if problem:
            return {"ok": False, "error": problem}
        if len(args.get("text") or "") > 40_000:
            return {"ok": False, "error": "msg_too_long"}
        channel = args.get("channel", "")
        message = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "text": args.get("text", ""),
            "blocks": blocks,
            "ts": ts or self._next_ts(),
            "thread_ts": args.get("thread_ts"),
        }
        with self._lock:
            thread = self.state.messages.setdefault(channel, [])
            thread[:] = [m for m in thread if m["ts"] != message["ts"]] + [message]
        return {"ok": True, "channel": channel, "ts": message["ts"], "message": message}

    def _chat_postMessage(self, args: dict) -> dict:
        return self._post(args)

    def _chat_update(self, args: dict) -> dict:
        with self._lock:
            posted = {m["ts"] for m in self.state.messages.get(args.get("channel", ""), [])}
        if args.get("ts") not in posted:  # like Slack: only a message already in that channel is updated
            return {"ok": False, "error": "message_not_found"}
        reply = self._post(args, ts=args["ts"])
        if reply["ok"]:
            reply["text"] = args.get("text", "")
        return reply

    def _chat_postEphemeral(self, args: dict) -> dict:
        reply = self._post(args)
        return {"ok": True, "message_ts": reply["ts"]} if reply["ok"] else reply

    def _respond(self, args: dict) -> dict:
        reply = self._post(args)
        return {"ok": True} if reply["ok"] else reply

    def _chat_getPermalink(self, args: dict) -> dict:
        channel, ts = args.get("channel", ""), str(args.get("message_ts", ""))
        return {
            "ok": True,
            "channel": channel,
            "permalink": f"https://newsroom.slack.com/archives/{channel}/p{ts.replace('.', '')}",
        }

    def _reactions_add(self, args: dict) -> dict:
        return {"ok": True}

    def _views_open(self, args: dict) -> dict:
        if not args.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        view = args.get("view")
        view = json.loads(view) if isinstance(view, str) else view
        problem = _blocks_problem(view.get("blocks", []))
        if problem or len(view.get("blocks", [])) > 100:
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": {"id": f"V{next(self._ts):08d}", **view}}

    def _users_info(self, args: dict) -> dict:
        user_id = args.get("user", "")
        user = self.state.users.get(user_id)
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {
            "ok": True,
            "user": {
                "id": user_id,
                "team_id": TEAM_ID,
                "name": user.get("name", user_id),
                "real_name": user.get("real_name", ""),
                "profile": {
                    "display_name": user.get("display_name", ""),
                    "real_name": user.get("real_name", ""),
                },
                **({"tz": user["tz"], "tz_label": user["tz"]} if "tz" in user else {}),
            },
        }

    def _usergroups_users_list(self, args: dict) -> dict:
        group = args.get("usergroup", "")
        if group not in self.state.usergroups:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": list(self.state.usergroups[group])}

    def _conversations_replies(self, args: dict) -> dict:
        channel, ts = args.get("channel", ""), args.get("ts", "")
        with self._lock:
            thread = [m for m in self.state.messages.get(channel, []) if ts in (m["ts"], m.get("thread_ts"))]
        return {"ok": True, "messages": thread, "has_more": False}

    def _apps_connections_open(self, args: dict) -> dict:
        if not self.state.socket_url:
            return {"ok": False, "error": "not_allowed_token_type"}
        return {"ok": True, "url": self.state.socket_url}

    # -- HTTP ------------------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _args(self) -> dict[str, Any]:
                parts = urlsplit(self.path)
                args: dict[str, Any] = dict(parse_qsl(parts.query))
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8") if length else ""
                if body:
                    if "json" in (self.headers.get("Content-Type") or ""):
                        args.update(json.loads(body))
                    else:
                        args.update(parse_qsl(body))
                return args

            def _serve(self) -> None:
                path = urlsplit(self.path).path.strip("/")
                method = "respond" if path.startswith("respond/") else path
                args = self._args()
                auth = self.headers.get("Authorization") or ""
                token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else args.get("token")
                answer = server.answer(method, args)
                with server._lock:
                    server.calls.append(Call(method=method, args=args, token=token, response=answer))
                payload = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = _serve
            do_POST = _serve

        return Handler
