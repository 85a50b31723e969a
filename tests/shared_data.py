"""Where the shared datasets live (../shared beside the repo in CI), and a skip when they are absent."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("FACTDESK_SHARED_DIR", Path(__file__).resolve().parents[1].parent / "shared"))
SEED = SHARED / "seed" / "coalition-ceasefire.txt"


def require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (set FACTDESK_SHARED_DIR)")
    return path


# What ../shared/seed/README.md says a triage of the seed article must find (phrases, folded by `fold`).
SEED_WEAK = [
    "according to ria novosti",
    "closed-door briefing",
    "military analysts",
    "officials in kyiv",
    "speaking on condition of anonymity",
    "some allies",
    "others, particularly in eastern europe",
    "leadership emphasizing",
]
SEED_CLAIMS = [
    "prepared plans to deploy troops",
    "contingency operations",
    "formed in response to the 2022 invasion",
    "the united states, and several european nations",
    "logistical assessments",
    "no formal request for intervention",
    "provocative and dangerous",
]
SEED_FRAMING = ["sparked debate within the international community", "faces a delicate balancing act"]


def fold(text: str) -> str:
    """Case, accents and curly apostrophes folded, as the seed check compares text."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().replace("\u2019", "'")
