"""The `factdesk` console script: triage from the terminal, and the desk's commands for the local operator.

The CLI is an adapter like Slack and Discord: `factdesk list open` runs the same desk command as
`/factcheck list open`. The operator (FACTDESK_CLI_USER) has direct database access, so is an editor.

Start-up is a feature: this module imports only the standard library and the core's error types, and each
command imports what it needs when it runs, so `factdesk --help` loads no settings, models or renderer.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.errors import BadInput, UserFacingError

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.desk.api import Actor, Place
    from bot.replies import Reply

OWN_COMMANDS = {"triage", "db", "names", "serve", "worker", "doctor", "purge", "board", "archive", "match"}


def get_settings() -> Settings:
    from bot.config import get_settings as settings

    return settings()


def _operator() -> Actor:
    from bot.desk.api import Actor

    user = get_settings().cli_user
    return Actor(platform="cli", user_id=user, display=user, is_editor=True)


def _place() -> Place:
    from bot.desk.api import Place

    return Place(platform="cli", workspace="local", channel="terminal")


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr)


def _read_source(source: str) -> str:
    from bot.text.normalize import decode, read_limited

    max_chars = get_settings().max_input_chars
    if source == "-":
        return decode(read_limited(sys.stdin.buffer, max_chars))
    if source.lower().startswith(("http://", "https://")):
        return source
    path = Path(source)
    if not path.is_file():
        raise BadInput(f"There is no file at {source}; give a text file, a URL, or - for standard input.")
    try:
        with path.open("rb") as file:
            return decode(read_limited(file, max_chars))
    except OSError as exc:
        raise BadInput(f"The file {source} cannot be read ({exc.strerror or 'unreadable'}).") from exc


def _print(reply: Reply, as_json: bool) -> None:
    from adapters.terminal import render

    if as_json:
        print(
            json.dumps(
                reply.data if reply.data is not None else reply.model_dump(mode="json"),
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        render(reply, _console())


def cmd_triage(args: argparse.Namespace) -> int:
    # While one article is triaged, the cyclic collector would only walk the model and gazetteer again and again
    # as they load (a third of a long paste's time); the few cycles a triage leaves wait until it is done.
    # Afterwards what it built is frozen (gc.freeze): mostly those caches, kept for the process's life, which
    # the next collection and the one at exit would otherwise walk in full (0.2 s after a long paste).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _triage(args)
    finally:
        if collecting:
            gc.freeze()
            gc.enable()


def _triage(args: argparse.Namespace) -> int:
    source = _read_source(args.source)  # refused input costs no extractor start-up
    from bot.triage import TriageService

    service = TriageService()
    report = service.triage(
        source,
        actor=_operator(),
        place=_place(),
        store=not args.no_store,
        extractor=args.extractor,
    )
    if args.json:
        print(report.model_dump_json(indent=2))
        return 0
    from adapters.terminal import render
    from bot.render.card import render_card

    if report.already_triaged:
        _console(stderr=True).print(f"Already triaged as {report.thread_ref}; showing the stored triage.")
    render(render_card(report, shown=service.settings.card_claims), _console())
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    from bot.database import upgrade_schema

    print(upgrade_schema(get_settings().database_url))
    return 0


def cmd_names(args: argparse.Namespace) -> int:
    from bot.names.sparql import update_gazetteer

    count = update_gazetteer(args.endpoint, Path(args.out) if args.out else None)
    print(f"Gazetteer updated: {count:,} people.")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from rich.markup import escape

    from bot.doctor import run_checks

    console = _console()
    checks = run_checks(get_settings())
    for check in checks:
        mark = {True: "[green]✓[/green]", False: "[red]✗[/red]", None: "[dim]–[/dim]"}[check.ok]
        console.print(f"{mark} [bold]{check.name}[/bold]: {escape(check.detail)}")
    return 1 if any(c.ok is False for c in checks) else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from adapters.serve import serve

    serve(args.platforms or None, with_workers=not args.no_workers, web_only=args.web_only)
    return 0


def cmd_board(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from bot.board.access import LINK_LIFETIME, board_link
    from bot.board.views import WorkspaceKey

    place = _place()
    link = board_link(get_settings(), WorkspaceKey(place.platform, place.workspace), now=datetime.now(UTC))
    print(link)
    minutes = int(LINK_LIFETIME.total_seconds() // 60)
    _console(stderr=True).print(f"The link opens this desk's board, read-only, for {minutes} minutes.")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from adapters.worker import main as worker_main

    return worker_main(args.concurrency)


def cmd_purge(args: argparse.Namespace) -> int:
    from bot.purge import parse_age, purge

    count = purge(parse_age(args.older_than))
    print(f"Purged the article texts of {count:,} finished triage(s); claims, verdicts and history are kept.")
    return 0


def cmd_archive(args: argparse.Namespace) -> int:
    from bot.archive import manage
    from bot.archive.importer import default_source_name, import_archive
    from bot.database import session_factory_for

    settings = get_settings()
    sessions = session_factory_for(settings.database_url)
    if args.action == "import":
        if not args.location:
            raise BadInput("Say what to import: factdesk archive import PATH|URL [--source NAME].")
        result = import_archive(
            args.location,
            args.source or default_source_name(args.location),
            sessions,
            settings,
            embed=not args.no_embed,
        )
        for problem in result.problems:
            print(problem, file=sys.stderr)
        skipped = f"; {len(result.problems):,} problem(s) listed above" if result.problems else ""
        print(
            f"Imported {result.stored:,} fact-check(s) as source “{result.source}” in {result.seconds:.1f} s{skipped}."
        )
        return 0
    if args.action == "embed":
        print(f"Embedded {manage.embed_missing(sessions):,} fact-check(s) that had no vector.")
        return 0
    if args.action == "remove":
        if not args.source:
            raise BadInput("Say which import to remove: factdesk archive remove --source NAME.")
        removed = manage.remove_source(sessions, args.source)
        print(f"Removed {removed:,} fact-check(s) of source “{args.source}”.")
        return 0
    rows = manage.stats(sessions)
    if args.json:
        print(json.dumps([{**row.__dict__} for row in rows], default=str, indent=2))
        return 0
    if not rows:
        print("The archive is empty; add fact-checks with `factdesk archive import PATH|URL`.")
    for row in rows:
        newest = f", newest {row.newest}" if row.newest else ""
        missing = f", {row.without_vector:,} without an embedding" if row.without_vector else ""
        print(f"{row.source}: {row.records:,} fact-check(s){newest}{missing}")
    return 0


def cmd_match(args: argparse.Namespace) -> int:
    from bot.database import session_factory_for
    from bot.matching.batch import match_lines
    from bot.matching.index import ArchiveIndex

    if args.top < 1:
        raise BadInput("--top must be 1 or more.")
    index = ArchiveIndex(session_factory_for(get_settings().database_url))
    if args.jsonl:
        if args.jsonl == "-":
            lines = sys.stdin
        else:
            path = Path(args.jsonl)
            if not path.is_file():
                raise BadInput(
                    f"There is no file at {args.jsonl}; give a JSON lines file or - for standard input."
                )
            lines = path.open(encoding="utf-8", errors="replace")
        with lines:
            for line in match_lines(index, lines, args.top):
                print(line)
        return 0
    text = " ".join(args.text).strip()
    if not text:
        raise BadInput("Give a claim to look up: factdesk match TEXT, or --jsonl FILE for many.")
    matches = index.match(text, args.top)
    if args.json:
        print(json.dumps([m.as_json() for m in matches], ensure_ascii=False, indent=2))
        return 0
    if not matches:
        print("No fact-check in the archive resembles that claim.")
    for m in matches:
        when = f", {m.published}" if m.published else ""
        print(
            f"{m.score:.2f}  “{m.claim}” — {m.rating or 'no rating'} ({m.publisher or m.source}{when}) {m.url}"
        )
    return 0


def run_desk_command(words: list[str], as_json: bool) -> int:
    from adapters.wiring import register_refreshers
    from bot.core import build_desk
    from bot.text.normalize import strip_controls

    settings = get_settings()
    closers = register_refreshers(settings)  # a change made here also refreshes the claim's posted card
    try:
        reply = build_desk(settings).run_words(words, _operator(), _place())
    finally:
        for close in closers:
            close()
    document = (reply.data or {}).get("document") if not reply.error else None
    if document is not None and not as_json:  # an export goes out raw, so `> file.md` gives the file itself
        text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False, indent=2)
        print(strip_controls(text))  # notes typed in chat may hold escapes; they must not drive the terminal
    else:
        _print(reply, as_json)
    if not reply.error:
        return 0
    return int((reply.data or {}).get("exit_code", 2))


def _parser() -> argparse.ArgumentParser:
    from bot.desk.catalog import COMMANDS  # the table alone: standard library, no desk

    desk = "\n".join(f"  {spec.usage}" for spec in COMMANDS if spec.name not in OWN_COMMANDS)
    parser = argparse.ArgumentParser(
        prog="factdesk",
        description="Fact-check triage for newsrooms.",
        epilog=f"desk commands, as on Slack and Discord (`factdesk help COMMAND`):\n{desk}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command")
    triage = sub.add_parser("triage", help="triage an article from a file, a URL, or - (stdin)")
    triage.add_argument("source")
    triage.add_argument("--json", action="store_true", help="print the report as one JSON object")
    triage.add_argument("--no-store", action="store_true", help="do not store the triage")
    triage.add_argument("--extractor", choices=["auto", "llm", "offline"], default=None)
    triage.set_defaults(func=cmd_triage)

    db = sub.add_parser("db", help="database schema")
    db.add_argument("action", choices=["upgrade"])
    db.set_defaults(func=cmd_db)

    names = sub.add_parser("names", help="the public-figure gazetteer")
    names.add_argument("action", choices=["update"])
    names.add_argument("--endpoint", default="https://query.wikidata.org/sparql")
    names.add_argument("--out", default=None, help="write here instead of the packaged gazetteer")
    names.set_defaults(func=cmd_names)

    doctor = sub.add_parser("doctor", help="check configuration, database, LLM endpoint and tokens")
    doctor.set_defaults(func=cmd_doctor)

    serve = sub.add_parser("serve", help="run the chat adapters (Slack, Discord) with health endpoints")
    serve.add_argument("platforms", nargs="*", metavar="slack|discord", help="default: those configured")
    serve.add_argument(
        "--no-workers", action="store_true", help="leave triage to separate `factdesk worker`s"
    )
    serve.add_argument(
        "--web-only", action="store_true", help="serve only the web board and health endpoints (no platform)"
    )
    serve.set_defaults(func=cmd_serve)

    board = sub.add_parser("board", help="print a signed link to the web board (valid one hour)")
    board.set_defaults(func=cmd_board)

    worker = sub.add_parser("worker", help="run triage workers only")
    worker.add_argument("--concurrency", type=int, default=None)
    worker.set_defaults(func=cmd_worker)

    purge = sub.add_parser("purge", help="delete article texts of finished triages (retention)")
    purge.add_argument("--older-than", required=True, help="age such as 180d, 26w or 12h")
    purge.set_defaults(func=cmd_purge)

    archive = sub.add_parser("archive", help="the fact-check archive claims are matched against")
    archive.add_argument("action", choices=["import", "stats", "remove", "embed"])
    archive.add_argument("location", nargs="?", help="ClaimReview JSON(-LD), JSON lines, CSV, or a page URL")
    archive.add_argument("--source", default=None, help="name the import (default: file name or host)")
    archive.add_argument("--json", action="store_true", help="stats as JSON")
    archive.add_argument(
        "--no-embed", action="store_true", help="store text only; `archive embed` adds the vectors later"
    )
    archive.set_defaults(func=cmd_archive)

    match = sub.add_parser("match", help="look a claim up in the fact-check archive")
    match.add_argument("text", nargs="*")
    match.add_argument("--top", type=int, default=5)
    match.add_argument("--json", action="store_true", help="print the matches as JSON")
    match.add_argument(
        "--jsonl", default=None, metavar="FILE|-", help='lines of {"id", "text"} in, one line out each'
    )
    match.set_defaults(func=cmd_match)
    return parser


def main(argv: list[str] | None = None) -> int:
    from bot.observability.logs import configure_logging

    argv = list(sys.argv[1:] if argv is None else argv)
    configure_logging("WARNING")
    try:
        if argv and argv[0] not in OWN_COMMANDS and not argv[0].startswith("-"):
            as_json = "--json" in argv
            return run_desk_command([w for w in argv if w != "--json"], as_json)
        args = _parser().parse_args(argv)
        if not getattr(args, "func", None):
            _parser().print_help()
            return 0
        return args.func(args)
    except UserFacingError as exc:
        from bot.text.normalize import strip_controls

        print(strip_controls(exc.sentence), file=sys.stderr)  # sentences may quote what was typed
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `factdesk list --json | head`: the reader left, which is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # `db upgrade`, `triage` or `purge` with the database down: one sentence
        from bot.storage_failures import CHECK_THE_URL, STORAGE_FAILURES, storage_failure

        if not isinstance(exc, STORAGE_FAILURES):
            raise
        failure = storage_failure(exc, CHECK_THE_URL)
        print(failure.sentence, file=sys.stderr)
        return failure.exit_code


if __name__ == "__main__":
    sys.exit(main())
