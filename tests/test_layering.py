"""Dependencies point one way: adapters -> bot -> storage. The core never imports a chat SDK."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
CHAT_SDKS = {"slack_sdk", "slack_bolt", "discord"}


def imported_modules(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("bot", CHAT_SDKS | {"adapters"}), ("storage", CHAT_SDKS | {"adapters", "bot"})],
)
def test_no_import_against_the_direction(package: str, forbidden: set[str]):
    offenders = {
        path: names & forbidden for path, names in imported_modules(package).items() if names & forbidden
    }
    assert not offenders
