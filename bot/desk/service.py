"""The desk's front door for every adapter: Slack, Discord and the CLI call these methods and nothing else.

Every call returns a `Reply` (errors too, as one sentence), so an adapter only renders; a traceback is a bug.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from bot.config import Settings, get_settings
from bot.desk.api import Actor, Place
from bot.desk.cards import CardBook
from bot.desk.catalog import COMMANDS, SPECS, CommandSpec
from bot.desk.commands import ClaimChanged, Commands, DeskContext, Retriage
from bot.desk.due import parse_due
from bot.desk.grammar import Command, Parser, Person, parse_person
from bot.desk.refs import parse_ref
from bot.desk.verdicts import load_scale
from bot.errors import CommandError, UserFacingError
from bot.replies import Action, Reply
from bot.storage_failures import NOTHING_CHANGED, STORAGE_FAILURES, UNREACHABLE, storage_failure
from bot.text.normalize import strip_controls
from storage import dedupe
from storage.claims import claim_ids_starting_with, recent_open_ids

__all__ = ["CommandSpec", "Desk"]

DISMISSED_FROM_CARD = "Not worth checking (dismissed from the card)."

# The command each form-opening card button runs; adapters ask `Desk.refusal` before opening its form.
BUTTON_COMMANDS = {Action.assign: "assign", Action.verdict: "verdict", Action.dismiss: "dismiss"}


class Desk:
    def __init__(
        self,
        session_factory: Callable[[], Session] | None = None,
        settings: Settings | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        retriage: Retriage | None = None,
    ) -> None:
        """Without a session factory, opens the configured database; an outdated schema stops here.
        `bot.core.build_desk` gives it the triage pipeline for `retriage`."""
        self.settings = settings or get_settings()
        if session_factory is None:
            from bot.database import session_factory_for

            session_factory = session_factory_for(self.settings.database_url)
        self._sessions = session_factory
        self.cards = CardBook(session_factory)
        self.scale = load_scale(self.settings.verdicts_file)
        ctx = DeskContext(
            session_factory, self.settings, self.scale, clock or (lambda: datetime.now(UTC)), retriage
        )
        self._ctx = ctx
        self._commands = Commands(ctx)

    # -- commands and clicks -------------------------------------------------------------------------

    def run(self, text: str, actor: Actor, place: Place) -> Reply:
        """One command line (what follows `/factcheck`), e.g. `assign C-1042 @leo due tomorrow`."""
        return self._answer(
            lambda: self._commands.handle(self.parse(text, self._ctx.zone_of(actor)), actor, place)
        )

    def run_words(self, words: list[str], actor: Actor, place: Place) -> Reply:
        """The same, with arguments a shell already split (`factdesk verdict C-1 false "it's wrong"`)."""
        return self._answer(
            lambda: self._commands.handle(
                Parser(self.scale, self._ctx.now(), self._ctx.zone_of(actor)).parse_words(words), actor, place
            )
        )

    def parse(self, text: str, timezone: str | None = None) -> Command:
        return Parser(self.scale, self._ctx.now(), timezone).parse(text)

    def workspace_list(self, text: str, actor: Actor, place: Place) -> Reply:
        """A `list` view kept to the claims triaged in `place`'s workspace or server (the daily digest)."""
        home = (place.platform, place.workspace)
        return self._answer(
            lambda: self._commands.do_list(
                self.parse(text, self._ctx.zone_of(actor)), actor, place, home=home
            )
        )

    def click(
        self, action: Action, value: str, actor: Actor, place: Place, form: dict[str, str] | None = None
    ) -> Reply:
        """A button or form on a card: the same commands, with arguments from the click instead of text."""
        return self._answer(lambda: self._click(Action(action), value, actor, place, form or {}))

    def _click(self, action: Action, value: str, actor: Actor, place: Place, form: dict[str, str]) -> Reply:
        # Form fields skip the grammar, which cleans typed commands: clean them here, the one door forms use.
        form = {key: strip_controls(text) for key, text in form.items()}
        if action is Action.show_all:
            ref = parse_ref(value)
            if ref is None or ref.kind != "T":
                raise CommandError(f"“{value[:40]}” is not a triage reference like T-87.")
            return self._commands.thread_card(str(ref))
        ref = parse_ref(value)
        if ref is None or ref.kind != "C":
            raise CommandError(f"“{value[:40]}” is not a claim reference like C-1042.")
        command = Command(name="claim", ref=ref)
        if action is Action.assign:
            user = (form.get("user") or "").strip()
            if not user:
                raise CommandError("Choose who should check it.")
            person = parse_person(user) or Person(user_id=user, name=form.get("user_name") or None)
            if person.name is None and form.get("user_name"):
                person = Person(user_id=person.user_id, name=form["user_name"])
            due = form.get("due", "").strip()
            command = Command(
                name="assign",
                ref=ref,
                person=person,
                due=parse_due(due.split(), self._ctx.now(), self._ctx.zone_of(actor)) if due else None,
            )
        elif action is Action.verdict:
            verdict = self.scale.find(form.get("verdict", ""))
            if verdict is None:
                raise CommandError(f"Choose a verdict: {', '.join(self.scale.values())}.")
            explanation = (form.get("explanation") or "").strip()
            if not explanation:
                raise CommandError("A verdict needs an explanation with its sources.")
            command = Command(name="verdict", ref=ref, verdict=verdict.value, text=explanation)
        elif action is Action.dismiss:
            command = Command(
                name="dismiss", ref=ref, text=(form.get("reason") or "").strip() or DISMISSED_FROM_CARD
            )
        return self._commands.handle(command, actor, place)

    def refusal(self, action: Action, value: str, actor: Actor, place: Place) -> Reply | None:
        """For a button that opens a form: the refusal to show instead, when the actor may not do it on
        that claim (editor-only work, rights from the claim's own workspace or server); None otherwise."""
        command = BUTTON_COMMANDS.get(Action(action))
        doing = SPECS[command].editors if command else None
        if doing is None:
            return None

        def check() -> Reply:
            self._commands.check_editor(parse_ref(value), actor, place, doing)
            return Reply(title="allowed")

        reply = self._answer(check)
        return reply if reply.error else None

    def _answer(self, work: Callable[[], Reply]) -> Reply:
        try:
            return work()
        except ClaimChanged as exc:
            return exc.current
        except UserFacingError as exc:
            return _failure(exc)
        except STORAGE_FAILURES as exc:
            return _failure(storage_failure(exc, NOTHING_CHANGED))

    # -- what adapters need to build menus -----------------------------------------------------------

    def verdict_choices(self) -> list[tuple[str, str]]:
        return [(v.value, v.label) for v in self.scale.verdicts]

    def complete_claim_refs(self, prefix: str, limit: int = 25) -> list[str]:
        """Claim refs starting with what was typed (`C-10`, `10`, ``); the newest open ones when empty."""
        digits = re.sub(r"^\s*#?[cC]-?", "", prefix.strip())
        try:
            with self._sessions() as session:
                if not digits:
                    ids = recent_open_ids(session, limit)
                elif digits.isdigit():
                    ids = claim_ids_starting_with(session, digits, limit)
                else:
                    ids = []
        except STORAGE_FAILURES:
            return []
        return [f"C-{i}" for i in ids]

    def commands(self) -> list[CommandSpec]:
        return list(COMMANDS)

    def claim_event(self, platform: str, event_id: str) -> bool:
        """True the first time a platform delivers `event_id`, False for retries and duplicates (any process)."""
        try:
            with self._sessions() as session, session.begin():
                return dedupe.claim_event(session, platform, event_id)
        except STORAGE_FAILURES as exc:
            raise storage_failure(exc, UNREACHABLE) from exc

    def release_event(self, platform: str, event_id: str) -> None:
        """Undo `claim_event` when the delivery could not be acted on, so the platform's retry is not lost."""
        with self._sessions() as session, session.begin():
            dedupe.release_event(session, platform, event_id)


def _failure(exc: UserFacingError) -> Reply:
    reply = Reply.failure(exc.sentence)
    reply.data = {"error": exc.sentence, "exit_code": exc.exit_code}
    return reply
