"""README documents every setting, so configuration lives in one place and its doc cannot drift."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings, _variable

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme_table():
    missing = [_variable(name) for name in Settings.model_fields if f"| `{_variable(name)}` |" not in README]
    assert not missing, f"README's configuration table lacks {missing}"


def test_quickstart_has_the_two_commands():
    quickstart = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    assert "make demo" in quickstart and "make test" in quickstart
