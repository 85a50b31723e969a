"""The Bolt app: Slack payloads in, core calls out, Block Kit back.

A paste is acknowledged only once its triage is a durable job: through the core's paste intake
(`bot.intake`) the listener reads the message as a paste, claims the event, reacts, posts the "Triaging…"
placeholder, records the job (one database write) and then acks, all well inside Slack's 3 seconds. A worker (in this process or another) runs the triage, which may wait 20 s on an
LLM, and `adapters.slack.publish` edits the placeholder into the card. Commands and clicks ack at once and
answer after. Retries and duplicate deliveries are dropped by the desk's database-backed `claim_event`,
which also holds across several bot processes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from adapters.slack import publish
from adapters.slack.blocks import announcement, as_dicts, escape, fallback_text, render
from adapters.slack.gate import SlackGate
from adapters.slack.modals import (
    CALLBACK_PREFIX,
    ModalContext,
    assign_modal,
    read_context,
    read_form,
    verdict_modal,
)
from adapters.slack.people import People
from bot.config import Settings, get_settings
from bot.core import build_desk
from bot.desk.api import Actor, Place
from bot.desk.service import Desk
from bot.errors import UserFacingError
from bot.intake import Paste, PasteIntake
from bot.replies import Action, Reply, Visibility

log = logging.getLogger(__name__)

SLASH_COMMAND = "/factcheck"
WORKING_REACTION = "mag"
PLACEHOLDER = "Triaging…"
MODAL_ACTIONS = {Action.assign, Action.verdict}
_ACTION_ID = re.compile(r"^(claim|card)\.")
_VIEW_ID = re.compile("^" + re.escape(CALLBACK_PREFIX))
_PASTE_SUBTYPES = {None, "thread_broadcast", "file_share"}
_INTERNAL_ERROR = "Something went wrong on our side; it has been logged, please try again."


def plain_text(text: str) -> str:
    """Decode the three entities Slack escapes in message text.

    Mentions (`<@U1|maria>`, `<#C1|desk>`) and links (`<https://…|label>`) keep Slack's form: the desk
    grammar reads ids from mentions and `bot.links.find_url` reads Slack links.
    """
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def without_mention(text: str, bot_user_id: str | None) -> str:
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)
    return text.strip()


def ack_now(ack: Ack) -> None:
    ack()


class SlackAdapter:
    """Owns the Bolt `App` and translates between it and the core (`Desk`, the triage job queue)."""

    def __init__(
        self,
        settings: Settings,
        client: WebClient,
        *,
        desk: Desk | None = None,
        listener_workers: int = 32,
    ) -> None:
        self.settings = settings
        self.client = client
        self.desk = desk or build_desk(settings)
        self.people = People(client, settings.slack_editor_usergroup)
        publish.check_connection(client)  # one sentence, not Bolt's traceback, when Slack says no or is away
        self.listeners = ThreadPoolExecutor(max_workers=listener_workers, thread_name_prefix="factdesk-bolt")
        self.app = App(
            client=client,
            signing_secret=settings.slack_signing_secret or "",
            token_verification_enabled=False,  # just done; Bolt would only repeat it with a traceback
            # Slack gets its 200 when the ack function returns (a paste's job is recorded by then); the
            # rest of the work runs in lazy listeners on `listeners`.
            process_before_response=True,
            listener_executor=self.listeners,
            logger=logging.getLogger("factdesk.slack.bolt"),
        )
        self.intake = PasteIntake(self.desk, settings)
        self.gate = SlackGate(settings.slack_signing_secret or "", self.desk.claim_event)
        self._register(self.app)
        publish.register(settings, client, self.desk.cards)

    def close(self) -> None:
        """Let lazy listeners already running finish (a command being answered, a click being applied)."""
        self.listeners.shutdown(wait=True)

    def _register(self, app: App) -> None:
        app.event("message")(self.on_message)
        app.event("app_mention")(ack=self.on_mention_paste, lazy=[self.on_mention_command])
        app.command(SLASH_COMMAND)(ack=self.on_command_ack, lazy=[self.on_command])
        app.action(_ACTION_ID)(ack=self.on_action_ack, lazy=[self.on_action])
        app.view(_VIEW_ID)(ack=ack_now, lazy=[self.on_submission])

    # -- events ------------------------------------------------------------------------------------

    def on_message(self, event: dict, body: dict, context: dict) -> None:
        """A paste is queued before Bolt acks the event, so once Slack has its 200 the paste cannot be lost."""
        if event.get("subtype") not in _PASTE_SUBTYPES or event.get("bot_id") or not event.get("user"):
            return
        text = event.get("text") or ""
        bot_user_id = context.get("bot_user_id")
        if bot_user_id and f"<@{bot_user_id}" in text:
            return  # the app_mention event for the same message handles it
        paste = self.intake.read(
            plain_text(text), platform="slack", delivery=body["event_id"], channel=event.get("channel")
        )
        if paste is not None:
            self._take(paste, event, body)

    def on_mention_paste(self, event: dict, body: dict, context: dict) -> None:
        """A mention with a paste is queued before the ack (a mention with a command is answered after it)."""
        paste = self._mention_paste(event, body, context)
        if event.get("user") and paste is not None:
            self._take(paste, event, body)

    def _take(self, paste: Paste, event: dict, body: dict) -> None:
        """Once per delivery: the refusal in the thread, or the placeholder and the job. If Slack refuses
        the placeholder, the delivery is forgotten and failed, so Slack's retry gets another go."""
        if not self._first_delivery(lambda: self.intake.first_delivery(paste), event):
            return
        place = self._event_place(event, body)
        if paste.refusal is not None:
            self._quietly(
                self.client.chat_postMessage,
                channel=place.channel,
                thread_ts=place.thread,
                text=escape(paste.refusal),
            )
            return
        try:
            self.queue_triage(paste, self.people.paster(event["user"]), place)
        except Exception:
            self.intake.release(paste)
            raise

    def on_mention_command(self, event: dict, body: dict, context: dict) -> None:
        text = self._mention_text(event, context)
        if (
            not event.get("user")
            or self._mention_paste(event, body, context) is not None
            or not self._first_delivery(lambda: self.desk.claim_event("slack", body["event_id"]), event)
        ):
            return
        actor, place = self.people.actor(event["user"]), self._event_place(event, body)
        self.deliver(self._safely(lambda: self.desk.run(text or "help", actor, place)), actor, place)

    def _mention_paste(self, event: dict, body: dict, context: dict) -> Paste | None:
        return self.intake.read(
            self._mention_text(event, context), platform="slack", delivery=body["event_id"]
        )

    @staticmethod
    def _mention_text(event: dict, context: dict) -> str:
        return plain_text(without_mention(event.get("text") or "", context.get("bot_user_id")))

    def _first_delivery(self, claim: Callable[[], bool], event: dict) -> bool:
        """`claim`'s answer: True once per event, across retries, duplicate deliveries and bot processes;
        when the database cannot say, False and its sentence in the thread."""
        try:
            return claim()
        except UserFacingError as exc:
            self._quietly(
                self.client.chat_postMessage,
                channel=event["channel"],
                thread_ts=event.get("thread_ts") or event["ts"],
                text=escape(exc.sentence),
            )
            return False

    @staticmethod
    def _event_place(event: dict, body: dict) -> Place:
        return Place(
            platform="slack",
            workspace=body.get("team_id") or event.get("team") or "",
            channel=event["channel"],
            thread=event.get("thread_ts") or event["ts"],
            message=event["ts"],
        )

    # -- the paste flow ----------------------------------------------------------------------------

    def queue_triage(self, paste: Paste, actor: Actor, place: Place) -> None:
        """Show that we are working (reaction + placeholder in the thread), then record the triage job.

        The job's place names the placeholder as its message: the publisher edits it into the card.
        """
        if place.message:
            self._quietly(
                self.client.reactions_add,
                channel=place.channel,
                timestamp=place.message,
                name=WORKING_REACTION,
            )
        placeholder = self.client.chat_postMessage(
            channel=place.channel, thread_ts=place.thread, text=PLACEHOLDER
        )
        self._enqueue(paste, actor, place.model_copy(update={"message": placeholder["ts"]}))

    def _enqueue(self, paste: Paste, actor: Actor, place: Place) -> None:
        failure = self.intake.enqueue(paste, actor, place)
        if failure is not None:  # the database is down: say so where the card would have been
            self._quietly(
                self.client.chat_update, channel=place.channel, ts=place.message, text=escape(failure)
            )

    # -- /factcheck --------------------------------------------------------------------------------

    def on_command_ack(self, ack: Ack, command: dict, respond: Respond) -> None:
        """`/factcheck <link>` is queued before the ack; every other command is answered after it."""
        try:
            paste = self._command_paste(command)
            if paste is not None:
                actor = self.people.paster(command["user_id"], command.get("user_name"))
                self._triage_from_command(paste, actor, self._command_place(command), respond)
        finally:
            ack()

    def on_command(self, command: dict, respond: Respond) -> None:
        if self._command_paste(command) is not None:
            return
        text = plain_text(command.get("text") or "")
        actor, place = (
            self.people.actor(command["user_id"], command.get("user_name")),
            self._command_place(command),
        )
        self.deliver(self._safely(lambda: self.desk.run(text or "help", actor, place)), actor, place, respond)

    @staticmethod
    def _command_place(command: dict) -> Place:
        return Place(
            platform="slack", workspace=command.get("team_id", ""), channel=command.get("channel_id", "")
        )

    def _command_paste(self, command: dict) -> Paste | None:
        """`/factcheck <link or article>`; a slash command is delivered once, so it has no delivery id."""
        return self.intake.read(plain_text(command.get("text") or ""), platform="slack", commands_first=True)

    def _triage_from_command(self, paste: Paste, actor: Actor, place: Place, respond: Respond) -> None:
        """`/factcheck <link>`: the card starts a new thread in the channel, under a placeholder."""
        if paste.refusal is not None:
            respond(text=escape(paste.refusal), response_type="ephemeral")
            return
        try:
            placeholder = self.client.chat_postMessage(channel=place.channel, text=PLACEHOLDER)
        except SlackApiError as exc:
            if exc.response.get("error") not in {"not_in_channel", "channel_not_found"}:
                raise
            respond(
                text="Invite me to this channel first (`/invite @factdesk`), then paste the link again.",
                response_type="ephemeral",
            )
            return
        self._enqueue(
            paste, actor, place.model_copy(update={"thread": placeholder["ts"], "message": placeholder["ts"]})
        )

    # -- buttons and modals ------------------------------------------------------------------------

    def on_action_ack(self, ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        """Modals must open within 3 s of the click (the trigger_id expires), so they open in the ack phase;
        a non-editor is refused before the form opens, not after filling it in."""
        ack()
        kind = Action(action["action_id"])
        if kind not in MODAL_ACTIONS:
            return
        place = self._click_place(body)
        actor = self.people.actor(body["user"]["id"], body["user"].get("username"))
        refusal = self.desk.refusal(kind, action.get("value", ""), actor, place)
        if refusal is not None:
            self.deliver(refusal, actor, place, respond)
            return
        context = ModalContext(
            action=kind,
            value=action.get("value", ""),
            channel=place.channel,
            thread=place.thread,
            message=place.message,
        )
        view = (
            verdict_modal(context, self.desk.verdict_choices())
            if kind is Action.verdict
            else assign_modal(context)
        )
        self.client.views_open(trigger_id=body["trigger_id"], view=view)

    def on_action(self, body: dict, action: dict, respond: Respond) -> None:
        kind = Action(action["action_id"])
        if kind in MODAL_ACTIONS:
            return
        actor = self.people.actor(body["user"]["id"], body["user"].get("username"))
        place = self._click_place(body)
        reply = self._safely(lambda: self.desk.click(kind, action.get("value", ""), actor, place, None))
        ephemeral_card = (body.get("container") or {}).get("is_ephemeral", False)
        self.deliver(reply, actor, place, respond if ephemeral_card else None)

    def on_submission(self, body: dict, view: dict) -> None:
        context, form = read_context(view), read_form(view)
        if form.get("user"):
            form["user_name"] = self.people.display(form["user"]) or ""
        actor = self.people.actor(body["user"]["id"], body["user"].get("username"))
        place = Place(
            platform="slack",
            workspace=(body.get("team") or {}).get("id", ""),
            channel=context.channel,
            thread=context.thread,
            message=context.message,
        )
        reply = self._safely(lambda: self.desk.click(context.action, context.value, actor, place, form))
        self.deliver(reply, actor, place)

    @staticmethod
    def _click_place(body: dict) -> Place:
        container = body.get("container") or {}
        message = body.get("message") or {}
        message_ts = message.get("ts") or container.get("message_ts")
        thread = None if container.get("is_ephemeral") else message.get("thread_ts") or message_ts
        return Place(
            platform="slack",
            workspace=(body.get("team") or {}).get("id", ""),
            channel=(body.get("channel") or {}).get("id") or container.get("channel_id", ""),
            thread=thread,
            message=message_ts,
        )

    # -- answering ---------------------------------------------------------------------------------

    def deliver(self, reply: Reply, actor: Actor, place: Place, respond: Respond | None = None) -> None:
        """Answer the caller; a change to shared state also gets its one public line in the card's thread.

        A click in that thread is answered by the public line alone; elsewhere (a slash command, another
        channel) the caller also gets the full reply, privately.
        """
        announced = self.announce(reply, place) if reply.public_line else None
        in_card_thread = announced is not None and (announced.channel, announced.thread) == (
            place.channel,
            place.thread,
        )
        if in_card_thread and respond is None:
            return
        public = reply.visibility is Visibility.public and announced is None
        fallback = fallback_text(reply)
        for blocks in render(reply):
            if respond is not None:
                respond(
                    text=fallback,
                    blocks=as_dicts(blocks),
                    response_type="in_channel" if public else "ephemeral",
                    replace_original=False,
                )
            elif public:
                self.client.chat_postMessage(
                    channel=place.channel, thread_ts=place.thread, text=fallback, blocks=as_dicts(blocks)
                )
            else:
                self.client.chat_postEphemeral(
                    channel=place.channel,
                    user=actor.user_id,
                    thread_ts=place.thread,
                    text=fallback,
                    blocks=as_dicts(blocks),
                )

    def announce(self, reply: Reply, place: Place) -> Place | None:
        """Post the reply's public line in the thread of the claim's card; returns where, if it could."""
        where = publish.card_location(self.desk.cards, reply.thread_ref) or (place if place.thread else None)
        if where is None or not where.channel or not reply.public_line:
            return None
        try:
            self.client.chat_postMessage(
                channel=where.channel, thread_ts=where.thread, text=announcement(reply.public_line)
            )
        except SlackApiError as exc:
            log.warning("public line not posted: %s", exc.response.get("error"))
            return None
        return where

    @staticmethod
    def _safely(work: Callable[[], Reply]) -> Reply:
        """A desk call's reply; an unexpected failure is logged and the person gets one sentence, not silence."""
        try:
            return work()
        except UserFacingError as exc:
            return Reply.failure(exc.sentence)
        except Exception:
            log.exception("desk command failed")
            return Reply.failure(_INTERNAL_ERROR)

    @staticmethod
    def _quietly(call: Callable[..., Any], **kwargs: Any) -> None:
        """For calls whose failure must not stop the reply (a reaction, an announcement)."""
        try:
            call(**kwargs)
        except SlackApiError as exc:
            log.warning("%s failed: %s", getattr(call, "__name__", "slack call"), exc.response.get("error"))


def build_adapter(settings: Settings | None = None, **kwargs: Any) -> SlackAdapter:
    """The adapter with its Bolt app, configured from `FACTDESK_*` / `SLACK_*` settings."""
    settings = settings or get_settings()
    return SlackAdapter(settings, publish.web_client(settings), **kwargs)
