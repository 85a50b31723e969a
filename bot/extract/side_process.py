"""Run one independent part of an extraction in a forked child while this process does another.

A long paste through the CLI is one process on a machine with a second core idle: the attribution and name
passes do not read the claim scores, so a child can run them while the parent scores claims, and the card
comes back in about the time of the longer half. Only a single-threaded process forks (a fork beside other
threads can copy a lock one of them holds), only where `os.fork` exists and two cores are usable; otherwise,
or when the child fails in any way, the work runs here, in order, and gives the same result.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    if not hasattr(os, "fork") or threading.active_count() != 1:
        return False
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return len(cores) >= 2


@contextmanager
def beside(work: Callable[[], T], *, fork: bool) -> Iterator[Callable[[], T]]:
    """Start `work` in a child when `fork`; the yielded callable returns its result (computed here when the
    child could not give it). Without `fork`, the work runs here when the callable is called."""
    if not fork:
        yield work
        return
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, and leave without running any of the parent's clean-up
        status = 1
        try:
            os.close(read_end)
            payload = pickle.dumps(work(), pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    reader = os.fdopen(read_end, "rb")
    collected = False

    def result() -> T:
        nonlocal collected
        with reader:
            payload = reader.read()
        _, status = os.waitpid(pid, 0)
        collected = True
        if status == 0 and payload:
            return pickle.loads(payload)
        return work()

    try:
        yield result
    finally:
        if not collected:  # the parent failed first: the child's write ends on a closed pipe and it exits
            reader.close()
            os.waitpid(pid, 0)
