"""Run a command in a child process and measure its own peak memory (ru_maxrss) and wall time.

The command is started by a small launcher rather than by pytest itself: Linux carries a forked process's
resident size over into the child's high-water mark, so a child forked straight from a pytest that has
loaded models would report pytest's memory, not its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

_LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


@dataclass(frozen=True)
class Measured:
    code: int
    stdout: str
    stderr: str
    peak_mb: float
    seconds: float


def run_measured(
    args: list[str],
    env: dict[str, str],
    report_path: str,
    feed: Callable[[IO[bytes]], None] | None = None,
) -> Measured:
    """``args`` run with ``env`` added to the environment; ``feed`` writes its stdin from a thread."""
    started = time.monotonic()
    launcher = subprocess.Popen(
        [sys.executable, "-c", _LAUNCHER, report_path, *args],
        stdin=subprocess.PIPE if feed else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **env},
    )
    writer = None
    if feed is not None:
        writer = threading.Thread(target=feed, args=(launcher.stdin,), daemon=True)
        writer.start()
    stdout, stderr = launcher.communicate(timeout=110) if feed is None else _drain(launcher)
    seconds = time.monotonic() - started
    if writer is not None:
        writer.join(5)
    with open(report_path) as report:
        code, maxrss_kb = (int(field) for field in report.read().split())
    return Measured(code, stdout.decode(), stderr.decode(), maxrss_kb / 1024, seconds)


def _drain(process: subprocess.Popen[bytes]) -> tuple[bytes, bytes]:
    """Read both pipes while another thread owns stdin (communicate() would close it under the writer)."""
    stdout = process.stdout.read()  # type: ignore[union-attr]
    stderr = process.stderr.read()  # type: ignore[union-attr]
    process.wait(110)
    return stdout, stderr
