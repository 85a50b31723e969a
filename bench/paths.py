"""Where the repository and the shared datasets are (../shared beside the repo, or FACTDESK_SHARED_DIR)."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FACTDESK_SHARED_DIR", REPO.parent / "shared"))
