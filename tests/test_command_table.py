"""Each desk command is defined once, in `bot.desk.catalog`: the grammar, `help`, Discord's `/factcheck`
options and choices, Slack's manifest hint and the CLI's help all follow it, and a value added to a
vocabulary there appears on every platform."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.cli import OWN_COMMANDS, _parser
from adapters.discord.cog import FactcheckCog, command_line
from bot.desk.api import Actor, Place
from bot.desk.catalog import COMMANDS, SPECS
from bot.desk.grammar import Command, Parser
from bot.desk.service import Desk
from bot.desk.verdicts import DEFAULT_SCALE
from bot.errors import CommandError
from bot.models import TriageReport

ROOT = Path(__file__).parents[1]
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

# Where a parsed command keeps each choice argument's value.
PARSED = {
    ("list", "scope"): lambda c: c.scope,
    ("list", "due_within"): lambda c: {"today": "today", "week": "this week"}[c.due_window],
    ("list", "sort"): lambda c: c.sort,
    ("status", "status"): lambda c: c.status,
    ("export", "format"): lambda c: c.fmt,
    ("stats", "window"): lambda c: f"{c.days}d",
}
ARGUMENT_VALUES = {"claim": "C-1", "ref": "T-1", "thread": "T-1", "user": "<@42>", "channel": "<#7>"}


def discord_commands() -> dict[str, object]:
    return {command.name: command for command in FactcheckCog.__cog_app_commands__}


def test_discord_subcommands_are_the_catalog() -> None:
    commands = discord_commands()
    assert list(commands) == [spec.name for spec in COMMANDS]
    for spec in COMMANDS:
        command = commands[spec.name]
        assert spec.summary.startswith(command.description.rstrip("…"))
        options = [(p.name, p.required, [c.value for c in p.choices]) for p in command.parameters]
        assert options == [(a.name, a.required, list(a.choices)) for a in spec.arguments], spec.name
        assert [p.description for p in command.parameters] == [a.describe for a in spec.arguments]


@pytest.mark.parametrize(("name", "argument"), sorted(PARSED))
def test_every_discord_choice_is_a_value_the_grammar_reads_back(name: str, argument: str) -> None:
    spec = SPECS[name]
    (offered,) = [p for p in discord_commands()[name].parameters if p.name == argument]
    assert offered.choices, f"{name} {argument} offers no closed list"
    parser = Parser(DEFAULT_SCALE, NOW)
    for choice in offered.choices:
        values = {
            a.name: ARGUMENT_VALUES.get(a.kind, "x")
            for a in spec.arguments
            if a.required and a.name != argument
        }
        command = parser.parse(command_line(name, **values, **{argument: choice.value}))
        assert PARSED[name, argument](command) == choice.value


def test_every_catalog_choice_is_covered_here() -> None:
    """A new closed vocabulary needs its line in PARSED, so the test above cannot skip it."""
    assert {(s.name, a.name) for s in COMMANDS for a in s.arguments if a.choices} == set(PARSED)


def test_every_command_runs_its_example_and_help_lists_it(desk: Desk) -> None:
    parser = Parser(DEFAULT_SCALE, NOW)
    assert all(isinstance(parser.parse(spec.example), Command) for spec in COMMANDS)
    help_items = desk.run("help", Actor(platform="slack", user_id="U1"), Place(platform="slack")).sections[0]
    assert [item.text for item in help_items.items] == [f"`{spec.usage}`" for spec in COMMANDS]
    assert [item.meta.endswith("(editors)") for item in help_items.items] == [s.editor_only for s in COMMANDS]


def test_who_may_run_a_command_is_the_catalogs_word(
    desk: Desk, stored: TriageReport, member: Actor, place: Place
) -> None:
    """Every editor-only command refuses a member with the catalog's sentence; every other one does not
    (on a claim the member has taken, which they may take off themselves and move along)."""
    claim, thread = stored.claims[0].id, stored.thread_ref
    assert not desk.run(f"claim {claim}", member, place).error
    for spec in COMMANDS:
        line = spec.example.replace("C-1042", claim).replace("T-87", thread or "")
        reply = desk.run(line.replace("@leo", "@ana"), member, place)
        refused = reply.error and reply.title.startswith("⚠️ Only editors")
        assert refused == spec.editor_only, (spec.name, reply.title)
        if spec.editors:
            assert f"Only editors can {spec.editors}" in reply.title


def test_slack_manifest_hint_and_cli_help_follow_the_catalog() -> None:
    manifest = (ROOT / "adapters" / "slack" / "manifest.yaml").read_text()
    (hints,) = re.findall(r"^\s+usage_hint: (.+)$", manifest, re.MULTILINE)
    parser = Parser(DEFAULT_SCALE, NOW)
    for hint in hints.split(" | "):
        assert parser.parse(hint).name in SPECS
    cli_help = _parser().format_help()
    for spec in COMMANDS:  # the CLI's own `board` and `match` take the desk's names for the same work
        assert spec.name in OWN_COMMANDS or f"  {spec.usage}\n" in cli_help + "\n"


DRIFT = """
import json, sys, importlib.util
from pathlib import Path
spec = importlib.util.find_spec("bot.desk.catalog")
source = Path(spec.origin).read_text()
patched = source.replace('STATS_WINDOWS = ("7d", "30d", "90d")', 'STATS_WINDOWS = ("7d", "30d", "90d", "14d")')
assert patched != source, "the vocabulary line moved"
module = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = module
exec(compile(patched, spec.origin, "exec"), module.__dict__)

from datetime import UTC, datetime
from adapters.cli import _parser
from adapters.discord.cog import FactcheckCog
from bot.desk.grammar import Parser
from bot.desk.verdicts import DEFAULT_SCALE
from bot.desk.views import help_reply
from bot.errors import CommandError

stats = next(c for c in FactcheckCog.__cog_app_commands__ if c.name == "stats")
parser = Parser(DEFAULT_SCALE, datetime(2026, 11, 25, tzinfo=UTC))
try:
    parser.parse("stats forever")
except CommandError as exc:
    refusal = exc.sentence
print(json.dumps({
    "discord": [c.value for c in stats.parameters[0].choices],
    "grammar": parser.parse("stats 14d").days,
    "refusal": refusal,
    "help": help_reply("stats", False).title,
    "cli": _parser().format_help(),
}))
"""


def test_a_window_added_to_the_catalog_appears_everywhere() -> None:
    done = subprocess.run(
        [sys.executable, "-c", DRIFT], capture_output=True, text=True, cwd=ROOT, timeout=120, check=True
    )
    seen = json.loads(done.stdout)
    assert seen["discord"] == ["7d", "30d", "90d", "14d"]
    assert seen["grammar"] == 14
    assert "`90d` or `14d`" in seen["refusal"] and "stats [7d|30d|90d|14d]" in seen["refusal"]
    assert seen["help"] == "`stats [7d|30d|90d|14d]`"
    assert "  stats [7d|30d|90d|14d]\n" in seen["cli"]


def test_the_window_discord_used_to_offer_alone_is_the_grammars_too() -> None:
    """Discord offered `90d` while the usage said `7d|30d`; both now read the one vocabulary."""
    (window,) = discord_commands()["stats"].parameters
    parser = Parser(DEFAULT_SCALE, NOW)
    assert "90d" in [c.value for c in window.choices] and parser.parse("stats 90d").days == 90
    with pytest.raises(CommandError, match=r"stats \[7d\|30d\|90d\]"):
        parser.parse("stats forever")


def test_the_status_and_sort_words_the_catalog_offers_are_the_ones_storage_knows() -> None:
    """Storage may not import the core, so its copies of the vocabularies are checked here."""
    from typing import get_args, get_type_hints

    from bot.desk.catalog import LIST_SORTS, WORK_STATUSES
    from bot.desk.views import ORDER_WORDS
    from bot.models import DeskStatus
    from storage.claims import ORDERS, ClaimFilter
    from storage.models import OPEN_SQL, OPEN_STATUSES

    assert {*OPEN_STATUSES, "done", "dismissed"} == {status.value for status in DeskStatus}
    assert all(f"'{status}'" in OPEN_SQL for status in OPEN_STATUSES)
    assert set(WORK_STATUSES) <= set(OPEN_STATUSES)
    (sorts, _none) = get_args(get_type_hints(ClaimFilter)["sort"])
    assert set(get_args(sorts)) == set(LIST_SORTS) and set(LIST_SORTS) <= set(ORDERS) <= set(ORDER_WORDS)
