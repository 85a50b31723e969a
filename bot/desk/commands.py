"""What each desk command does, once parsed: read or change claims, with permissions and the audit trail.

Changes run in one transaction with their event row; a claim changed by someone else meanwhile
(optimistic locking on `Claim.version`) is refused with its current state, never overwritten.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from bot.config import Settings
from bot.desk import refs, views, workflow
from bot.desk.api import Actor, Place
from bot.desk.cards import CARD_FIELDS, refresh_card
from bot.desk.catalog import SPECS
from bot.desk.due import describe as describe_due
from bot.desk.due import zone as due_zone
from bot.desk.export import claim_review, claim_reviews, csv_text, markdown
from bot.desk.grammar import Command, Person
from bot.desk.permissions import Home, is_editor, require_editor
from bot.desk.refs import Ref, parse_ref
from bot.desk.row_mapping import CLAIMS
from bot.desk.triage_store import load_report
from bot.desk.verdicts import VerdictScale
from bot.errors import CommandError
from bot.models import Claim as Finding
from bot.models import ClaimKind, Origin, TriageReport
from bot.render.card import render_card
from bot.render.claim_state import status_label
from bot.render.clip import clip
from bot.replies import Item, Reply, ReplyField, Section, Visibility
from storage import audit
from storage.claims import ClaimFilter, claims_by_id, desk_stats, get_claim, list_claims, list_order
from storage.models import Claim, Note, TriageThread
from storage.places import find_channel
from storage.search import search_claim_ids
from storage.threads import get_thread

LIST_LIMIT = 25
NOTE_CHARS = 4000
CLAIM_CHARS = 2000


class ClaimChanged(CommandError):
    """Someone else changed the claim between our read and our write; `current` shows it as it is now."""

    def __init__(self, sentence: str, current: Reply) -> None:
        super().__init__(sentence)
        self.current = current


Retriage = Callable[[str, Actor], TriageReport]
"""Runs a stored thread's article through the triage pipeline again (`bot.core` provides it: the pipeline sits
above the desk, which only stores and changes what it produced)."""


@dataclass
class DeskContext:
    sessions: Callable[[], Session]
    settings: Settings
    scale: VerdictScale
    now: Callable[[], datetime]
    retriage: Retriage | None = None

    @property
    def today(self) -> date:
        return self.now().date()

    def zone_of(self, actor: Actor) -> str:
        """The zone a person's words about time are read in: their profile's, else the desk's."""
        return actor.timezone or self.settings.timezone


Mutation = Callable[[Session, Claim], tuple[workflow.Change, str]]


def home_of(thread: TriageThread) -> Home:
    """The workspace or server a thread was triaged in: where editor rights over its claims come from."""
    workspace = thread.channel.workspace
    return workspace.platform, workspace.external_id


def assignee_of(person: Person, platform: str) -> tuple[str, str | None]:
    """(actor key, display) for a named person: ids from platform mentions, names otherwise."""
    if person.user_id:
        return f"{platform}:{person.user_id}", person.name
    return f"{platform}:{person.name}", person.name


class Commands:
    def __init__(self, ctx: DeskContext) -> None:
        self.ctx = ctx

    def handle(self, command: Command, actor: Actor, place: Place) -> Reply:
        return getattr(self, f"do_{command.name}")(command, actor, place)

    # -- lookups -------------------------------------------------------------------------------------

    def _claim(self, session: Session, ref: Ref | None, *, with_notes: bool = True) -> Claim:
        claim = (
            get_claim(session, ref.number, with_notes=with_notes)
            if ref is not None and ref.kind == "C"
            else None
        )
        if claim is None:
            raise CommandError(refs.unknown_ref("C", ref))
        return claim

    def _thread(self, session: Session, ref: Ref | None) -> TriageThread:
        thread = (
            get_thread(session, ref.number, with_findings=True)
            if ref is not None and ref.kind == "T"
            else None
        )
        if thread is None:
            raise CommandError(refs.unknown_ref("T", ref))
        return thread

    # -- the one path for every change ---------------------------------------------------------------

    def change(
        self,
        ref: Ref | None,
        actor: Actor,
        place: Place,
        mutate: Mutation,
        *,
        editors_only: str | None = None,
    ) -> Reply:
        """Apply `mutate` with its audit event; once stored, a change the card shows is edited into it.

        `editors_only` names editor-only work (the catalog's word for the command), checked against the
        claim's own workspace or server."""
        try:
            with self.ctx.sessions() as session:
                with session.begin():
                    claim = self._claim(session, ref, with_notes=False)
                    if editors_only is not None:
                        require_editor(actor, self.ctx.settings, editors_only, place, home_of(claim.thread))
                    change, line = mutate(session, claim)
                    audit.record(
                        session,
                        actor=actor.key,
                        actor_display=actor.display,
                        action=change.action,
                        claim=claim,
                        before=change.before,
                        after=change.after,
                    )
                    if {"status", "verdict", "explanation"} & change.after.keys():
                        from bot.archive.desk import sync_claim  # the matcher loads only for rulings

                        sync_claim(session, claim, self.ctx.scale, actor.mention)
                reply = views.change_reply(claim, line, self.ctx.scale, self.ctx.now())
        except StaleDataError:
            with self.ctx.sessions() as session:
                claim = self._claim(session, ref)
                now = views.claim_state(claim, self.ctx.scale, self.ctx.now())
                sentence = f"{claim.ref} changed while you were working on it and is now {now}; nothing was changed, so look again and retry."
                current = views.claim_reply(
                    claim, audit.history(session, claim_id=claim.id, limit=5), self.ctx.scale, self.ctx.now()
                )
                current.title = "⚠️ " + sentence
                current.error = True
                current.data = {
                    "error": sentence,
                    "exit_code": CommandError.exit_code,
                    **(current.data or {}),
                }
            raise ClaimChanged(sentence, current) from None
        if CARD_FIELDS & (change.before.keys() | change.after.keys()) and reply.thread_ref:
            refresh_card(
                self.ctx.sessions,
                reply.thread_ref,
                shown=self.ctx.settings.card_claims,
                today=self.ctx.today,
            )
        return reply

    # -- reading -------------------------------------------------------------------------------------

    def do_help(self, command: Command, actor: Actor, place: Place) -> Reply:
        return views.help_reply(command.topic, is_editor(actor, self.ctx.settings, place))

    def do_list(self, command: Command, actor: Actor, place: Place, *, home: Home | None = None) -> Reply:
        """A queue view; `home` keeps it to the claims triaged in one workspace or server (the digest)."""
        scope, assignees, display, label = command.scope, (), None, ""
        if scope == "mine":
            scope, assignees, label = "open", (actor.key,), "your "
        if command.person is not None:
            key, display = assignee_of(command.person, place.platform)
            assignees, label = (key,), f"{command.person.label}'s "
        now = self.ctx.now()
        kind = scope
        due_before = due_from = None
        if scope in ("overdue", "unassigned"):
            scope = "open"
        if kind == "overdue":
            due_before = now
        if command.due_window is not None:  # days and weeks as the asker lives them
            scope = "open" if scope == "all" else scope
            local = now.astimezone(due_zone(self.ctx.zone_of(actor)))
            due_from = datetime.combine(local.date(), time(0), tzinfo=local.tzinfo)
            days = 1 if command.due_window == "today" else 7 - local.weekday()
            due_before = due_from + timedelta(days=days)
        where = ""
        with self.ctx.sessions() as session:
            channel_id = thread_id = None
            if command.channel is not None:
                typed = command.channel.channel_id or command.channel.name or ""
                channel = find_channel(session, place.platform, typed, place.workspace or None)
                if channel is None:
                    raise CommandError(f"Nothing has been triaged in #{command.channel.name or typed} yet.")
                channel_id, where = channel.id, f" in #{command.channel.name or typed}"
            if command.thread is not None:
                thread_id, where = self._thread(session, command.thread).id, f" in {command.thread}"
            if command.due_window is not None:
                where += " due today" if command.due_window == "today" else " due this week"
            wanted = ClaimFilter(
                scope=scope,  # type: ignore[arg-type]
                assignees=assignees,
                assignee_display=display if command.person and not command.person.user_id else None,
                channel_id=channel_id,
                thread_id=thread_id,
                workspace=home,
                unassigned=kind == "unassigned",
                due_before=due_before,
                due_from=due_from,
                sort=command.sort,  # type: ignore[arg-type]
                limit=LIST_LIMIT + 1,
            )
            claims = list_claims(session, wanted)
            title = f"{label}{kind} claims{where}".strip()
            title = title[0].upper() + title[1:]
            empty = f"No {kind} claims{where}." if kind != "all" else f"No claims{where}."
            return views.list_reply(
                title,
                claims[:LIST_LIMIT],
                len(claims) > LIST_LIMIT,
                self.ctx.scale,
                now,
                empty,
                list_order(wanted),
            )

    def do_search(self, command: Command, actor: Actor, place: Place) -> Reply:
        words = " ".join((command.text or "").split())[:200]
        with self.ctx.sessions() as session:
            ids = search_claim_ids(session, words, LIST_LIMIT + 1)
            found = {c.id: c for c in claims_by_id(session, ids)}
            claims = [found[i] for i in ids if i in found]
            return views.list_reply(
                f"Search: {clip(words, 80, one_line=True)}",
                claims[:LIST_LIMIT],
                len(claims) > LIST_LIMIT,
                self.ctx.scale,
                self.ctx.now(),
                f"No claim, note or article title matches “{clip(words, 80, one_line=True)}”.",
                "match",
            )

    def do_board(self, command: Command, actor: Actor, place: Place) -> Reply:
        """A signed, short-lived link to the web board of the desk the editor asks from, shown to them alone."""
        from bot.board.access import LINK_LIFETIME, board_link
        from storage.board import WorkspaceKey

        self._require_editor("board", actor, place)
        link = board_link(
            self.ctx.settings, WorkspaceKey(place.platform, place.workspace), now=self.ctx.now()
        )
        minutes = int(LINK_LIFETIME.total_seconds() // 60)
        return Reply(
            title="🗂️ The desk's web board",
            text=f"{link}\nRead-only, for this desk, valid {minutes} minutes; do not share it.",
            visibility=Visibility.private,
            data={"link": link},
        )

    def do_match(self, command: Command, actor: Actor, place: Place) -> Reply:
        """A claim looked up by hand against the archive: what `factdesk match` answers, in chat."""
        from bot.matching.prior import shared_index  # the index loads only for this command and triage

        text = " ".join((command.text or "").split())[:CLAIM_CHARS]
        matches = shared_index(self.ctx.sessions).match(text, top=5)
        items = [
            Item(
                text=f"‘{clip(m.claim, 200, one_line=True)}’ — {m.rating or 'rated'}",
                meta=" · ".join(
                    x
                    for x in (
                        m.publisher or m.source,
                        m.published.isoformat() if m.published else None,
                        f"{m.score:.0%} match",
                        m.url,
                    )
                    if x
                ),
            )
            for m in matches
        ]
        return Reply(
            title=f"Checked before? “{clip(text, 80, one_line=True)}”",
            sections=[
                Section(
                    title="Closest fact-checks",
                    items=items,
                    text=None
                    if items
                    else "No fact-check in the archive or ruling on the desk is close to it.",
                )
            ],
            data={"matches": [m.as_json() for m in matches]},
        )

    def do_show(self, command: Command, actor: Actor, place: Place) -> Reply:
        if command.ref is not None and command.ref.kind == "T":
            return self.thread_card(str(command.ref))
        with self.ctx.sessions() as session:
            claim = self._claim(session, command.ref)
            events = audit.history(session, claim_id=claim.id, limit=10)
            return views.claim_reply(claim, events, self.ctx.scale, self.ctx.now())

    def thread_card(self, thread_ref: str) -> Reply:
        """The full triage card of a thread, with where each claim stands on the desk and what was checked
        before (matched once the read is over: SQLite lets one transaction at a time hold the database)."""
        from bot.matching.prior import with_prior_checks  # the archive index loads only for a whole card

        with self.ctx.sessions() as session:
            report = load_report(session, thread_ref)
            if report is None:
                raise CommandError(f"There is no finished triage {thread_ref}.")
            thread = self._thread(session, parse_ref(thread_ref))
            counts: dict[str, int] = {}
            for claim in thread.claims:
                counts[status_label(claim.status)] = counts.get(status_label(claim.status), 0) + 1
        reply = render_card(with_prior_checks(report, self.ctx.sessions), full=True)
        if counts:
            reply.fields.append(
                ReplyField(label="Desk", value=", ".join(f"{n} {label}" for label, n in counts.items()))
            )
        reply.visibility = Visibility.private
        return reply

    def do_history(self, command: Command, actor: Actor, place: Place) -> Reply:
        with self.ctx.sessions() as session:
            if command.ref is not None and command.ref.kind == "T":
                thread = self._thread(session, command.ref)
                return views.history_reply(thread.ref, audit.history(session, thread_id=thread.id, limit=100))
            claim = self._claim(session, command.ref)
            return views.history_reply(claim.ref, audit.history(session, claim_id=claim.id, limit=100))

    def do_export(self, command: Command, actor: Actor, place: Place) -> Reply:
        with self.ctx.sessions() as session:
            if command.ref is not None and command.ref.kind == "C":
                claim = self._claim(session, command.ref)
                thread, claims = claim.thread, [claim]
                if command.fmt == "claimreview" and (
                    claim.status != "done" or not self.ctx.scale.get(claim.verdict)
                ):
                    raise CommandError(
                        f"{claim.ref} has no verdict yet, and ClaimReview is for finished checks."
                    )
            else:
                thread = self._thread(session, command.ref)
                claims = list(thread.claims)
            if command.fmt != "claimreview":  # Markdown and CSV report finished work, as `help` says
                claims = [c for c in claims if not c.is_open]
                if not claims:
                    subject = (
                        f"{command.ref} is still open"
                        if command.ref is not None and command.ref.kind == "C"
                        else f"No claim of {thread.ref} is finished yet"
                    )
                    raise CommandError(f"{subject}; Markdown and CSV exports cover finished claims.")
            note = None
            if command.fmt == "claimreview":
                reviews = (
                    [claim_review(claims[0], thread, self.ctx.scale, self.ctx.settings)]
                    if command.ref is not None and command.ref.kind == "C"
                    else claim_reviews(claims, thread, self.ctx.scale, self.ctx.settings)
                )
                document = json.dumps(
                    reviews[0] if len(claims) == 1 and reviews else reviews, ensure_ascii=False, indent=2
                )
                payload: object = reviews
                if not reviews:
                    note = f"No claim of {thread.ref} has a verdict yet; ClaimReview covers finished checks only."
            elif command.fmt == "markdown":
                document = payload = markdown(thread, claims, self.ctx.scale)
            else:
                document = payload = csv_text(thread, claims, self.ctx.scale)
            return Reply(
                title=f"Export of {command.ref} ({command.fmt})",
                text=note or document,
                thread_ref=thread.ref,
                data={"ref": str(command.ref), "format": command.fmt, "document": payload},
            )

    def do_stats(self, command: Command, actor: Actor, place: Place) -> Reply:
        since = self.ctx.now() - timedelta(days=command.days)
        with self.ctx.sessions() as session:
            stats = desk_stats(session, since=since, now=self.ctx.now())
        return views.stats_reply(stats, command.days)

    def do_retriage(self, command: Command, actor: Actor, place: Place) -> Reply:
        if self.ctx.retriage is None:
            raise CommandError("Re-running a triage is not available from here.")
        with self.ctx.sessions() as session:
            thread = self._thread(session, command.ref)
            self._require_editor("retriage", actor, place, home_of(thread))
            ref = thread.ref
        report = self.ctx.retriage(ref, actor)
        reply = render_card(report, shown=self.ctx.settings.card_claims)
        reply.public_line = f"{actor.mention} re-ran {ref} with the {report.extractor.name} extractor"
        return reply

    # -- changing ------------------------------------------------------------------------------------

    def check_editor(self, ref: Ref | None, actor: Actor, place: Place, doing: str) -> None:
        """Refuse editor-only work on a claim before any form for it opens (the change checks again)."""
        with self.ctx.sessions() as session:
            claim = self._claim(session, ref, with_notes=False)
            require_editor(actor, self.ctx.settings, doing, place, home_of(claim.thread))

    def _require_editor(self, name: str, actor: Actor, place: Place, home: Home | None = None) -> None:
        """Refuse a command the catalog gives to editors alone."""
        if (doing := SPECS[name].editors) is not None:
            require_editor(actor, self.ctx.settings, doing, place, home)

    def editor_for(self, actor: Actor, place: Place, claim: Claim) -> bool:
        return is_editor(actor, self.ctx.settings, place, home_of(claim.thread))

    def do_assign(self, command: Command, actor: Actor, place: Place) -> Reply:
        assert command.person is not None
        key, display = assignee_of(command.person, place.platform)
        due = command.due

        def mutate(session: Session, claim: Claim) -> tuple[workflow.Change, str]:
            change = workflow.assign(claim, key, display, due)
            line = f"{actor.mention} assigned {claim.ref} to {command.person.label}"
            if due is not None:
                line += f", due {describe_due(due, self.ctx.zone_of(actor))}"
            return change, line

        return self.change(command.ref, actor, place, mutate, editors_only=SPECS["assign"].editors)

    def do_claim(self, command: Command, actor: Actor, place: Place) -> Reply:
        def mutate(session: Session, claim: Claim) -> tuple[workflow.Change, str]:
            editor = self.editor_for(actor, place, claim)
            if not editor and not self.ctx.settings.allow_self_assign:
                raise CommandError(
                    "Taking claims yourself is turned off on this desk; ask an editor to assign you."
                )
            if claim.assignee == actor.key:
                raise CommandError(f"{claim.ref} is already yours.")
            if claim.assignee is not None and not editor:
                who = views.person(claim.assignee, claim.assignee_display)
                raise CommandError(f"{claim.ref} is already assigned to {who}; ask an editor to reassign it.")
            return workflow.assign(claim, actor.key, actor.display, None), f"{actor.mention} took {claim.ref}"

        return self.change(command.ref, actor, place, mutate)

    def do_claim_add(self, command: Command, actor: Actor, place: Place) -> Reply:
        """A claim the triage missed: grounded to its span when the sentence is in the article, else kept
        as typed and marked as added by hand. Scored by the same model as the triage's claims."""
        from bot.desk.handmade import hand_claim  # loads the scorer, which only this command needs

        sentence = " ".join((command.text or "").split())[:CLAIM_CHARS]
        with self.ctx.sessions() as session:
            with session.begin():
                thread = self._thread(session, command.ref)
                found = hand_claim(thread.article_text, sentence)
                finding = Finding(
                    text=found.text,
                    start=found.start,
                    end=found.end,
                    kind=ClaimKind(found.kind),
                    checkworthiness=found.checkworthiness,
                    signals=found.signals,
                    origin=Origin.hand,
                )
                claim = CLAIMS.row_of(
                    finding,
                    thread_id=thread.id,
                    position=max((c.position for c in thread.claims), default=0) + 1,
                    created_at=self.ctx.now(),
                )
                session.add(claim)
                session.flush()
                audit.record(
                    session,
                    actor=actor.key,
                    actor_display=actor.display,
                    action="claim.added",
                    claim=claim,
                    after={"text": found.text, "grounded": found.grounded},
                )
            session.refresh(claim)
            where = "found in the article" if found.grounded else "added by hand, not found in the article"
            line = f"{actor.mention} added {claim.ref} to {thread.ref} ({where}): “{clip(found.text, 160, one_line=True)}”"
            reply = views.change_reply(claim, line, self.ctx.scale, self.ctx.now())
        refresh_card(self.ctx.sessions, thread.ref, shown=self.ctx.settings.card_claims, today=self.ctx.today)
        return reply

    def do_unassign(self, command: Command, actor: Actor, place: Place) -> Reply:
        def mutate(session: Session, claim: Claim) -> tuple[workflow.Change, str]:
            if claim.assignee != actor.key:
                require_editor(
                    actor, self.ctx.settings, "take a claim off someone else", place, home_of(claim.thread)
                )
            who = views.person(claim.assignee, claim.assignee_display)
            return workflow.unassign(claim), f"{actor.mention} took {claim.ref} off {who}"

        return self.change(command.ref, actor, place, mutate)

    def do_status(self, command: Command, actor: Actor, place: Place) -> Reply:
        status = command.status or ""

        def mutate(session: Session, claim: Claim) -> tuple[workflow.Change, str]:
            if claim.assignee not in (None, actor.key) and not self.editor_for(actor, place, claim):
                who = views.person(claim.assignee, claim.assignee_display)
                raise CommandError(
                    f"Only {who}, who is checking {claim.ref}, or an editor can change its status."
                )
            change = workflow.set_status(claim, status)
            return change, f"{actor.mention} moved {claim.ref} to {status_label(status)}"

        return self.change(command.ref, actor, place, mutate)

    def do_verdict(self, command: Command, actor: Actor, place: Place) -> Reply:
        verdict = self.ctx.scale.get(command.verdict)
        assert verdict is not None and command.text
        explanation = command.text

        def mutate(session: Session, claim: Claim) -> tuple[workflow.Change, str]:
            change = workflow.set_verdict(claim, verdict.value, explanation, self.ctx.now())
            return change, f"{actor.mention} ruled {claim.ref} {verdict.label}"

        return self.change(command.ref, actor, place, mutate, editors_only=SPECS["verdict"].editors)

    def do_dismiss(self, command: Command, actor: Actor, place: Place) -> Reply:
        reason = command.text or ""

        def mutate(session: Session, claim: Claim) -> tuple[workflow.Change, str]:
            return workflow.dismiss(
                claim, reason
            ), f"{actor.mention} dismissed {claim.ref}: {clip(reason, 100, one_line=True)}"

        return self.change(command.ref, actor, place, mutate, editors_only=SPECS["dismiss"].editors)

    def do_reopen(self, command: Command, actor: Actor, place: Place) -> Reply:
        def mutate(session: Session, claim: Claim) -> tuple[workflow.Change, str]:
            return workflow.reopen(claim), f"{actor.mention} reopened {claim.ref}"

        return self.change(command.ref, actor, place, mutate, editors_only=SPECS["reopen"].editors)

    def do_note(self, command: Command, actor: Actor, place: Place) -> Reply:
        text = (command.text or "")[:NOTE_CHARS]

        def mutate(session: Session, claim: Claim) -> tuple[workflow.Change, str]:
            session.add(Note(claim_id=claim.id, author=actor.key, author_display=actor.display, text=text))
            claim.updated_at = self.ctx.now()  # bumps the version: a note is a change to the claim
            change = workflow.Change("claim.note", {}, {"text": text})
            return change, f"{actor.mention} added a note to {claim.ref}: “{clip(text, 200, one_line=True)}”"

        return self.change(command.ref, actor, place, mutate)
