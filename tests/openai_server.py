"""A loopback OpenAI-compatible server that drives the real `openai` client in tests and the bench.

`POST /v1/chat/completions` answers with scripted behaviours in order (then with the default responder):
a normal answer with usage, an HTTP error (429 with Retry-After, 500, 400), a slow answer, malformed or
schema-violating JSON, a refusal, a length cut-off. Every request is recorded with its arrival time.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_BOUNDARY = re.compile(r"^(===== ARTICLE [0-9a-f]+ =====)$", re.MULTILINE)


@dataclass
class Behaviour:
    status: int = 200
    content: str | None = None
    finish_reason: str = "stop"
    refusal: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    error: str = ""
    delay: float = 0.0
    usage: tuple[int, int] | None = None


def answer(
    payload: dict[str, Any] | str, usage: tuple[int, int] | None = None, delay: float = 0.0
) -> Behaviour:
    """A normal completion; `payload` is the model's JSON (dict) or raw text (str)."""
    content = payload if isinstance(payload, str) else json.dumps(payload)
    return Behaviour(content=content, usage=usage, delay=delay)


def http_error(status: int, message: str = "error", retry_after: str | None = None) -> Behaviour:
    headers = {"retry-after": retry_after} if retry_after is not None else {}
    return Behaviour(status=status, error=message, headers=headers)


def refusal(text: str = "I can't help with that.") -> Behaviour:
    return Behaviour(content=None, refusal=text)


def cut_off(partial: str = '{"claims": [{"quote": "The') -> Behaviour:
    return Behaviour(content=partial, finish_reason="length")


@dataclass
class RecordedRequest:
    path: str
    body: dict[str, Any]
    headers: dict[str, str]
    received_at: float

    def user_article(self) -> str:
        """The article text between the prompt's two boundary lines."""
        user = next(m["content"] for m in self.body["messages"] if m["role"] == "user")
        marks = list(_BOUNDARY.finditer(user))
        return user[marks[0].end() + 1 : marks[-1].start() - 1]


def quoting_responder(request: RecordedRequest) -> Behaviour:
    """A stand-in model that quotes the first sentences of whatever chunk it is sent, as claims."""
    article = request.user_article()
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", article) if len(s.split()) >= 4][:3]
    claims = [
        {
            "quote": sentence,
            "kind": "event",
            "checkworthiness": 0.5,
            "speaker": None,
            "attribution_quote": None,
        }
        for sentence in sentences
    ]
    tokens_in = sum(len(m["content"]) for m in request.body["messages"]) // 4
    return answer(
        {"claims": claims, "attributions": [], "names": []}, usage=(tokens_in, 60 * len(claims) + 10)
    )


class OpenAIServer:
    """Runs on 127.0.0.1 at a free port; use as a context manager. `url` is the client's base_url."""

    def __init__(
        self,
        responder: Callable[[RecordedRequest], Behaviour] = quoting_responder,
        latency: float = 0.0,
        api_key: str | None = None,
    ) -> None:
        self.responder = responder
        self.latency = latency
        self.api_key = api_key  # when set, requests without "Bearer <api_key>" get a 401
        self.requests: list[RecordedRequest] = []
        self.listings: list[dict[str, str]] = []  # headers of each GET /v1/models
        self.max_in_flight = 0
        self._in_flight = 0
        self._script: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def script(self, *behaviours: Behaviour) -> None:
        """Queue behaviours for the next requests, in order."""
        with self._lock:
            self._script.extend(behaviours)

    def __enter__(self) -> OpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next(self, request: RecordedRequest) -> Behaviour:
        with self._lock:
            self.requests.append(request)
            scripted = self._script.popleft() if self._script else None
        return scripted or self.responder(request)

    def _track(self, change: int) -> None:
        with self._lock:
            self._in_flight += change
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out in two writes

            def log_message(self, format: str, *args: object) -> None:
                return

            def _refused(self) -> bool:
                if server.api_key is None or self.headers.get("authorization") == f"Bearer {server.api_key}":
                    return False
                self._send(401, {"error": {"message": "bad key", "type": "invalid_request_error"}})
                return True

            def do_GET(self) -> None:
                """`GET /v1/models`, as `factdesk doctor` asks it."""
                server.listings.append(dict(self.headers))
                if self._refused():
                    return
                if self.path.rstrip("/") != "/v1/models":
                    self._send(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
                    return
                self._send(200, {"object": "list", "data": [{"id": "loopback-model", "object": "model"}]})

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                raw = self.rfile.read(length)
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._send(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
                    return
                request = RecordedRequest(self.path, json.loads(raw), dict(self.headers), time.monotonic())
                try:
                    behaviour = server._next(request)
                except Exception as error:  # a broken responder shows up as a 500, not a dropped socket
                    behaviour = http_error(500, f"responder failed: {error!r}")
                server._track(+1)
                time.sleep(server.latency + behaviour.delay)
                server._track(-1)
                if behaviour.status != 200:
                    error = {"message": behaviour.error, "type": "server_error", "code": None}
                    self._send(behaviour.status, {"error": error}, behaviour.headers)
                    return
                self._send(200, _completion(request.body.get("model", ""), behaviour), behaviour.headers)

            def _send(
                self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
            ) -> None:
                body = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(body)))
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout); nothing to answer

        return Handler


def _completion(model: str, behaviour: Behaviour) -> dict[str, Any]:
    tokens_in, tokens_out = behaviour.usage or (100, 50)
    return {
        "id": "chatcmpl-loopback",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": behaviour.content, "refusal": behaviour.refusal},
                "finish_reason": behaviour.finish_reason,
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": tokens_in,
            "completion_tokens": tokens_out,
            "total_tokens": tokens_in + tokens_out,
        },
    }
