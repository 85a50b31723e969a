"""Every desk command defined once: its name, arguments (with their vocabularies), who may run it and its
help. The grammar parses against this table, `help` prints it, Discord's `/factcheck` options and choices
are built from it, the CLI lists it, and `tests/test_command_table.py` fails when a platform drifts.

Standard library only: `factdesk --help` reads it without loading the desk.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

ArgumentKind = Literal["text", "claim", "ref", "thread", "user", "channel", "choice", "verdict", "command"]

# Each vocabulary once: the values offered as choices, the grammar's accepted aliases beside them.
LIST_SCOPES = ("open", "mine", "overdue", "unassigned", "done", "dismissed", "all")
DUE_WINDOWS = ("today", "this week")
LIST_SORTS = ("score", "due", "age")
WORK_STATUSES = ("in_progress", "needs_review")  # the statuses a person sets; the rest follow from work
EXPORT_FORMATS = ("claimreview", "markdown", "csv")
STATS_WINDOWS = ("7d", "30d", "90d")

STATUS_ALIASES = {
    "in-progress": "in_progress",
    "inprogress": "in_progress",
    "progress": "in_progress",
    "working": "in_progress",
    "started": "in_progress",
    "needs-review": "needs_review",
    "review": "needs_review",
}
FORMAT_ALIASES = {
    "claim-review": "claimreview",
    "jsonld": "claimreview",
    "json-ld": "claimreview",
    "json": "claimreview",
    "md": "markdown",
}
STATS_NAMED_DAYS = {"week": 7, "month": 30, "quarter": 90, "year": 365}


@dataclass(frozen=True)
class Argument:
    """One option: `spelled` is how its value is written in a command line (`due {}`), `choices` the
    vocabulary a platform offers as a closed list, `quoted` free text that must stay one argument."""

    name: str
    describe: str
    kind: ArgumentKind = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    spelled: str = "{}"
    quoted: bool = False


@dataclass(frozen=True)
class CommandSpec:
    name: str
    usage: str
    summary: str
    example: str  # a line that runs, the same on every platform
    arguments: tuple[Argument, ...] = ()
    editors: str | None = None  # editor-only work, as a refusal names it ("Only editors can set verdicts")

    @property
    def editor_only(self) -> bool:
        return self.editors is not None

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "editor_only": self.editor_only}


def _alternatives(values: tuple[str, ...]) -> str:
    return "|".join(values)


CLAIM = Argument("claim", "The claim, like C-1042", "claim", required=True)
REF = Argument("ref", "A claim (C-1042) or a triage (T-87)", "ref", required=True)

COMMANDS: list[CommandSpec] = [
    CommandSpec(
        name="help",
        usage="help [command]",
        summary="Show the commands, or how to use one.",
        example="help assign",
        arguments=(Argument("command", "A command to explain", "command"),),
    ),
    CommandSpec(
        name="list",
        usage=f"list [{_alternatives(LIST_SCOPES)}|@user] [{_alternatives(tuple(f'due {w}' for w in DUE_WINDOWS))}] "
        f"[sort {_alternatives(LIST_SORTS)}] [in #channel|thread T-87]",
        summary="List claims (open ones by default), filtered and sorted.",
        example="list open in #desk",
        arguments=(
            Argument("scope", "Which claims (open by default)", "choice", choices=LIST_SCOPES),
            Argument("user", "Claims assigned to this person", "user"),
            Argument("channel", "Only claims from this channel", "channel", spelled="in {}"),
            Argument("thread", "Only claims of this triage, like T-87", "thread", spelled="thread {}"),
            Argument(
                "due_within",
                f"Only claims due {' or '.join(DUE_WINDOWS)}",
                "choice",
                choices=DUE_WINDOWS,
                spelled="due {}",
            ),
            Argument(
                "sort", "Order by score, due time or age", "choice", choices=LIST_SORTS, spelled="sort {}"
            ),
        ),
    ),
    CommandSpec(
        name="search",
        usage="search <words>",
        summary="Find claims by their words, their notes or their article's title, best match first.",
        example="search ferry terminal",
        arguments=(Argument("text", "Words from the claim, a note or the article's title", required=True),),
    ),
    CommandSpec(
        name="board",
        usage="board",
        summary="A private link to this desk's web board: queue, claims and charts (one hour).",
        example="board",
        editors="open the web board",
    ),
    CommandSpec(
        name="match",
        usage="match <claim text>",
        summary="Checked before? The closest fact-checks in the archive and the desk's own rulings.",
        example="match garlic stops the coronavirus",
        arguments=(
            Argument("text", "The claim, as written in the article or as you heard it", required=True),
        ),
    ),
    CommandSpec(
        name="show",
        usage="show C-1042|T-87",
        summary="A claim with its article, attributions, notes and history; or a whole triage.",
        example="show C-1042",
        arguments=(REF,),
    ),
    CommandSpec(
        name="assign",
        usage="assign C-1042 @user [due tomorrow|due fri 5pm|due 5 dec|due in 2 hours]",
        summary="Give a claim to a checker, with a due time if given (your Slack time zone, else FACTDESK_TIMEZONE).",
        example="assign C-1042 @leo due 2026-12-01",
        arguments=(
            CLAIM,
            Argument("user", "Who checks it", "user", required=True),
            Argument("due", "tomorrow, fri 5pm or 2026-12-01", spelled="due {}"),
        ),
        editors="assign claims to others",
    ),
    CommandSpec(
        name="unassign",
        usage="unassign C-1042",
        summary="Take a claim off its checker (editors, or the checker).",
        example="unassign C-1042",
        arguments=(CLAIM,),
    ),
    CommandSpec(
        name="claim",
        usage='claim C-1042 | claim add T-87 "sentence"',
        summary="Take a claim yourself; or add a claim the triage missed.",
        example="claim C-1042",
        arguments=(
            Argument(
                "claim", "The claim to take, like C-1042; or the triage to add to, like T-87", "ref", True
            ),
            Argument("add", "A sentence the triage missed, to add as a claim of that triage", quoted=True),
        ),
    ),
    CommandSpec(
        name="status",
        usage=f"status C-1042 {_alternatives(WORK_STATUSES)}",
        summary="Say where the check stands.",
        example="status C-1042 in_progress",
        arguments=(
            CLAIM,
            Argument("status", "Where the check stands", "choice", required=True, choices=WORK_STATUSES),
        ),
    ),
    CommandSpec(
        name="verdict",
        usage='verdict C-1042 <verdict> "explanation with sources"',
        summary="Rule on a claim and close it.",
        example='verdict C-1042 false "explanation with sources"',
        arguments=(
            CLAIM,
            Argument("verdict", "The ruling", "verdict", required=True),
            Argument("explanation", "Why, with sources", required=True, quoted=True),
        ),
        editors="set verdicts",
    ),
    CommandSpec(
        name="dismiss",
        usage='dismiss C-1042 "reason"',
        summary="Close a claim as not worth checking.",
        example='dismiss C-1042 "duplicate"',
        arguments=(CLAIM, Argument("reason", "Why it is not worth checking", required=True, quoted=True)),
        editors="dismiss claims",
    ),
    CommandSpec(
        name="reopen",
        usage="reopen C-1042",
        summary="Reopen a finished or dismissed claim.",
        example="reopen C-1042",
        arguments=(CLAIM,),
        editors="reopen claims",
    ),
    CommandSpec(
        name="note",
        usage='note C-1042 "text"',
        summary="Add a note to a claim.",
        example='note C-1042 "text"',
        arguments=(CLAIM, Argument("text", "The note", required=True, quoted=True)),
    ),
    CommandSpec(
        name="history",
        usage="history C-1042|T-87",
        summary="Everything done to a claim or a triage.",
        example="history C-1042",
        arguments=(REF,),
    ),
    CommandSpec(
        name="export",
        usage=f"export T-87|C-1042 [{_alternatives(EXPORT_FORMATS)}]",
        summary="ClaimReview JSON-LD, Markdown or CSV of finished claims.",
        example="export T-87 csv",
        arguments=(
            Argument("ref", "A triage (T-87) or a claim (C-1042)", "ref", required=True),
            Argument(
                "format",
                f"{EXPORT_FORMATS[0]} (default), {', '.join(EXPORT_FORMATS[1:])}",
                "choice",
                choices=EXPORT_FORMATS,
            ),
        ),
    ),
    CommandSpec(
        name="stats",
        usage=f"stats [{_alternatives(STATS_WINDOWS)}]",
        summary="Open, overdue, done per checker, median time to verdict.",
        example="stats 30d",
        arguments=(Argument("window", "How far back (7 days by default)", "choice", choices=STATS_WINDOWS),),
    ),
    CommandSpec(
        name="retriage",
        usage="retriage T-87",
        summary="Run the triage of an article again.",
        example="retriage T-87",
        arguments=(Argument("thread", "The triage to run again, like T-87", "thread", required=True),),
        editors="re-run a triage",
    ),
]
SPECS = {spec.name: spec for spec in COMMANDS}
