"""Files derived from packaged data, kept between processes in the user's cache directory (XDG_CACHE_HOME,
else ~/.cache), so a short command reads what it would otherwise rebuild at every start."""

from __future__ import annotations

import os
from pathlib import Path


def cache_path(name: str) -> Path:
    """Where the derived file `name` is kept; raises RuntimeError when there is no home directory."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "factdesk" / name


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` so a concurrent reader sees the old file or the whole new one; a cache that cannot be
    written is skipped, never an error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(data)
        partial.replace(path)
    except OSError:
        pass
