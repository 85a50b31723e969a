"""A fixed pool of daemon threads returning concurrent futures.

Unlike `ThreadPoolExecutor`, a job still running when the shutdown deadline passes does not hold the process
open: its attempt has been released (and fenced by its lease), so the process may exit under it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

SHUTDOWN_DEADLINE_S = 8.0  # inside Docker's default 10 s stop grace period

_STOP = object()


class DaemonPool:
    def __init__(self, size: int, name: str) -> None:
        self._tasks: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._threads = [
            threading.Thread(target=self._work, name=f"{name}-{i}", daemon=True) for i in range(size)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self._tasks.put((future, fn, args))
        return future

    def close(self) -> None:
        """Let idle threads end; busy ones end after their current job."""
        for _ in self._threads:
            self._tasks.put(_STOP)

    def _work(self) -> None:
        while (task := self._tasks.get()) is not _STOP:
            future, fn, args = task
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn(*args))
            except BaseException as exc:
                future.set_exception(exc)
