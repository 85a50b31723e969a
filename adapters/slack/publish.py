"""Finished triages to Slack: the job runner's publisher for the "slack" platform.

A paste's job carries its "Triaging…" placeholder as `Place.message` (the adapter posts the placeholder
before it enqueues the job). Publishing edits that message into the card (`chat.update`), so if a worker dies
mid-publish and the job's next attempt publishes again, the card is still shown once. It needs only the bot
token and the database, so a `factdesk worker` process with no Slack receiver publishes as well as `serve`.

The same publisher keeps posted cards live: after a desk change, `refresh` edits the card's first message
(the recorded card ts) into the card re-rendered with the claims' desk state.
"""

from __future__ import annotations

import logging
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from adapters.slack.blocks import MAX_BLOCKS, USER_ID, as_dicts, fallback_text, render
from bot.config import Settings
from bot.desk.api import Place
from bot.desk.cards import CardBook
from bot.desk.publishers import register_card_refresher, register_notice_poster, register_publisher
from bot.errors import ConfigurationError, PlatformUnreachable
from bot.models import TriageReport
from bot.replies import Reply, Visibility

log = logging.getLogger(__name__)

PLATFORM = "slack"
_QUIET = logging.getLogger("factdesk.slack.connection_check")  # the check's failure is our one sentence
_QUIET.setLevel(logging.CRITICAL)
_REFUSED_TOKEN = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}


def web_client(settings: Settings) -> WebClient:
    """The bot's Web API client; FACTDESK_SLACK_API_URL points it at a Slack-compatible gateway or a test."""
    base_url = settings.slack_api_url or WebClient.BASE_URL
    return WebClient(
        token=settings.slack_bot_token, base_url=base_url if base_url.endswith("/") else base_url + "/"
    )


def check_connection(client: WebClient) -> None:
    """One `auth.test` before anything is built on the token: a refused token is a configuration error, an
    unreachable API a `PlatformUnreachable`, each one sentence instead of Bolt's traceback."""
    quiet = WebClient(
        token=client.token, base_url=client.base_url, timeout=10, retry_handlers=[], logger=_QUIET
    )
    try:
        quiet.auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error") or "an error"
        if error in _REFUSED_TOKEN:
            raise ConfigurationError(
                f"Slack refused SLACK_BOT_TOKEN ({error}); copy the bot token again from the app's "
                "OAuth & Permissions page."
            ) from None
        raise PlatformUnreachable(f"Slack answered auth.test with {error}; try again shortly.") from None
    except (OSError, URLError, TimeoutError) as exc:  # refused, reset, DNS, TLS, timeout
        reason = getattr(exc, "reason", None) or exc
        raise PlatformUnreachable(
            f"Slack's Web API at {client.base_url} cannot be reached ({type(reason).__name__}); check the "
            "network or FACTDESK_SLACK_API_URL."
        ) from None


def card_location(cards: CardBook, thread_ref: str | None) -> Place | None:
    """Where the Slack thread holding `thread_ref`'s card is (None if unknown or on another platform)."""
    if not thread_ref:
        return None
    where = cards.location(thread_ref)
    return where if where is not None and where.platform == PLATFORM and where.thread else None


class SlackPublisher:
    """Edits a job's placeholder into its card; parts of a split card follow as replies in the thread."""

    def __init__(self, client: WebClient, cards: CardBook) -> None:
        self.client = client
        self.cards = cards

    def __call__(self, place: Place, reply: Reply, report: TriageReport | None) -> None:
        if not place.message:
            raise ValueError("a Slack triage job must carry its placeholder message")
        duplicate = report is not None and report.already_triaged
        if duplicate:
            reply = self._link_to_existing(reply, place)
        messages = render(reply)
        fallback = fallback_text(reply)
        if report is not None and report.thread_ref and not duplicate:
            # recorded before the card shows, so a click on its buttons always finds where it is
            self.cards.record(report.thread_ref, place)
        self.client.chat_update(
            channel=place.channel, ts=place.message, text=fallback, blocks=as_dicts(messages[0])
        )
        for blocks in messages[1:]:
            self.client.chat_postMessage(
                channel=place.channel, thread_ts=place.thread, text=fallback, blocks=as_dicts(blocks)
            )

    def refresh(self, place: Place, reply: Reply) -> None:
        """Edit a posted card in place (`chat.update` on its ts). Parts of a split card that follow the first
        message are not recorded, so they stay as posted; the first one holds the top claims and their buttons."""
        if not place.message:
            raise ValueError("a Slack card refresh needs the card's message ts")
        self.client.chat_update(
            channel=place.channel,
            ts=place.message,
            text=fallback_text(reply),
            blocks=as_dicts(render(reply)[0]),
        )

    def notice(self, place: Place, reply: Reply, mention: str | None) -> None:
        """Post a desk notice (a digest, a nudge) as new messages, in `place.thread` when set; a Slack user id
        in `mention` opens it as a real mention, so Slack notifies that person."""
        messages = render(reply)
        text = fallback_text(reply)
        if mention and USER_ID.fullmatch(mention):
            text = f"<@{mention}> {text}"
            ping = SectionBlock(text=MarkdownTextObject(text=f"<@{mention}>", verbatim=True))
            if len(messages[0]) < MAX_BLOCKS:
                messages[0].insert(0, ping)
            else:
                messages.insert(0, [ping])
        for blocks in messages:
            self.client.chat_postMessage(
                channel=place.channel, thread_ts=place.thread, text=text, blocks=as_dicts(blocks)
            )

    def _link_to_existing(self, reply: Reply, place: Place) -> Reply:
        """A second paste of an article points at the thread that already holds its card."""
        ref = reply.thread_ref
        where = card_location(self.cards, ref)
        if where is None or (where.channel, where.thread) == (place.channel, place.thread):
            return reply
        try:
            link = self.client.chat_getPermalink(
                channel=where.channel, message_ts=where.message or where.thread
            )
        except SlackApiError as exc:
            log.warning("no permalink to the existing card: %s", exc.response.get("error"))
            return reply
        return Reply(
            title=f"Already triaged as {ref}",
            text=f"{reply.title}\nIts card and the desk's work on it are in this thread: {link['permalink']}",
            visibility=Visibility.public,
            thread_ref=ref,
        )


def register(
    settings: Settings,
    client: WebClient | None = None,
    cards: CardBook | None = None,
) -> SlackPublisher:
    """Make finished Slack jobs publish, and desk changes refresh Slack cards, through `client` (default: one
    built from SLACK_BOT_TOKEN)."""
    publisher = SlackPublisher(
        client or web_client(settings), cards or CardBook.for_url(settings.database_url)
    )
    register_publisher(PLATFORM, publisher)
    register_card_refresher(PLATFORM, publisher.refresh)
    register_notice_poster(PLATFORM, publisher.notice)
    return publisher
