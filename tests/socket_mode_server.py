"""A loopback Socket Mode endpoint: greets with "hello", pushes envelopes, and records acks by envelope_id.

Slack's own flow: the app calls `apps.connections.open` (served by `SlackApiServer`, which returns this
server's ws:// URL), opens the WebSocket, receives envelopes (`events_api`, `slash_commands`, `interactive`)
and must answer each with ``{"envelope_id": …}`` (plus an optional payload) within 3 seconds.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from typing import Any

from websockets.sync.server import Server, ServerConnection, serve

_envelopes = itertools.count(1)


def envelope(kind: str, payload: dict, *, retry_attempt: int = 0) -> dict:
    return {
        "envelope_id": f"env-{next(_envelopes):06d}",
        "type": kind,
        "payload": payload,
        "accepts_response_payload": kind != "events_api",
        "retry_attempt": retry_attempt,
        "retry_reason": "timeout" if retry_attempt else "",
    }


class SocketModeServer:
    def __init__(self) -> None:
        self.acks: dict[str, tuple[float, dict]] = {}
        self.sent_at: dict[str, float] = {}
        self._connection: ServerConnection | None = None
        self._connected = threading.Event()
        self._ack_arrived = threading.Condition()
        self._server: Server = serve(self._handle, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link/?ticket=loopback"

    def __enter__(self) -> SocketModeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()

    def _handle(self, connection: ServerConnection) -> None:
        connection.send(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": 1,
                    "debug_info": {
                        "host": "loopback",
                        "build_number": 1,
                        "approximate_connection_time": 18060,
                    },
                    "connection_info": {"app_id": "A0FACTDESK"},
                }
            )
        )
        self._connection = connection
        self._connected.set()
        for raw in connection:
            message = json.loads(raw)
            with self._ack_arrived:
                self.acks[message["envelope_id"]] = (time.perf_counter(), message)
                self._ack_arrived.notify_all()

    def wait_connected(self, timeout: float = 10.0) -> None:
        if not self._connected.wait(timeout):
            raise AssertionError("the app never opened the Socket Mode connection")

    def push(self, message: dict[str, Any]) -> str:
        assert self._connection is not None, "no app connected"
        self.sent_at[message["envelope_id"]] = time.perf_counter()
        self._connection.send(json.dumps(message))
        return message["envelope_id"]

    def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> dict:
        deadline = time.monotonic() + timeout
        with self._ack_arrived:
            while envelope_id not in self.acks:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no ack for {envelope_id}")
                self._ack_arrived.wait(left)
            return self.acks[envelope_id][1]

    def ack_latency(self, envelope_id: str) -> float:
        return self.acks[envelope_id][0] - self.sent_at[envelope_id]
