"""Where the shared datasets live (../shared beside the repo in CI), and a skip when they are absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("FACTDESK_SHARED_DIR", Path(__file__).resolve().parents[1].parent / "shared"))
SEED = SHARED / "seed" / "coalition-ceasefire.txt"


def require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (set FACTDESK_SHARED_DIR)")
    return path
