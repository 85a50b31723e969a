"""Finished triages to Discord: the job runner's publisher for the "discord" platform.

The paste flow posts "Triaging…" and enqueues the job with that message as `Place.message`. Publishing edits
it into the card's first message, so if a worker dies mid-publish and the job's next attempt publishes again,
the card is still shown once; the rest of a split card follows in the same thread. Publishing needs REST
calls only, so both `factdesk worker` and `factdesk serve` log a client in without a gateway connection
(`register_standalone`); in `serve` that client outlives the bot's gateway at shutdown, while the workers
finish their last jobs.

The same publisher keeps posted cards live: after a desk change, `refresh` edits the card's first message (the
recorded card message id) into the card re-rendered with the claims' desk state, also over REST only. The
bot registers its own gateway client as refresher too (`register_refresher`), so `serve --no-workers` keeps
its cards live.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Coroutine

import discord

from adapters.discord.context import PLATFORM, jump_url
from adapters.discord.embeds import render
from adapters.discord.views import message_kwargs, view_for
from bot.config import Settings
from bot.desk.api import Place
from bot.desk.cards import CardBook
from bot.desk.publishers import register_card_refresher, register_notice_poster, register_publisher
from bot.errors import ConfigurationError
from bot.models import TriageReport
from bot.replies import Reply

log = logging.getLogger(__name__)

PUBLISH_TIMEOUT_S = 60.0
REFRESH_TIMEOUT_S = 10.0
LOGIN_TIMEOUT_S = 30.0


class DiscordPublisher:
    """Edits a job's "Triaging…" message into its card through `client`, whose event loop is `loop`."""

    def __init__(
        self,
        client: discord.Client,
        loop: asyncio.AbstractEventLoop,
        cards: CardBook,
    ) -> None:
        self.client = client
        self.loop = loop
        self.cards = cards

    def __call__(self, place: Place, reply: Reply, report: TriageReport | None) -> None:
        """Called from a worker thread; the REST calls run on the client's loop."""
        self._on_loop(self.publish(place, reply, report))

    def _on_loop(self, call: Coroutine[object, object, None], timeout: float = PUBLISH_TIMEOUT_S) -> None:
        """Run `call` on the client's loop and wait for it here, cancelling it past `timeout` seconds."""
        future = asyncio.run_coroutine_threadsafe(call, self.loop)
        try:
            future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise

    async def publish(self, place: Place, reply: Reply, report: TriageReport | None) -> None:
        if not place.message:
            raise ValueError("a Discord triage job must carry its placeholder message")
        channel = self._channel(place)
        duplicate = report is not None and report.already_triaged
        content = await self._duplicate_line(report) if report is not None and duplicate else None
        first, *rest = render(reply)
        if report is not None and report.thread_ref and not duplicate:
            # recorded before the card shows, so a click on its buttons always finds where it is
            await asyncio.to_thread(self.cards.record, report.thread_ref, place)
        await channel.get_partial_message(int(place.message)).edit(content=content, **message_kwargs(first))
        for message in rest:
            await channel.send(**message_kwargs(message))

    async def _duplicate_line(self, report: TriageReport) -> str | None:
        """A second paste of an article links to the thread that already holds its card."""
        ref = report.thread_ref
        if ref is None:
            return None
        located = await asyncio.to_thread(self.cards.location, ref)
        link = jump_url(located) if located else None
        return f"Already triaged as {ref}: {link}" if link else f"Already triaged as {ref}."

    def refresh(self, place: Place, reply: Reply) -> None:
        """Edit a posted card in place; called from the thread running a desk command, the edit runs on the
        client's loop. Later messages of a split card are not recorded, so they stay as posted."""
        if not place.message:
            raise ValueError("a Discord card refresh needs the card's message id")
        if not self.loop.is_running():
            raise RuntimeError("the Discord client's event loop is not running")
        self._on_loop(self.edit_card(place, reply), REFRESH_TIMEOUT_S)

    async def edit_card(self, place: Place, reply: Reply) -> None:
        channel = self._channel(place)
        first = render(reply)[0]
        # `view=None` clears the buttons of a card whose claims have no action left.
        await channel.get_partial_message(int(place.message)).edit(
            embeds=first.embeds, view=view_for(first.rows)
        )

    def notice(self, place: Place, reply: Reply, mention: str | None) -> None:
        """Post a desk notice (a digest, a nudge) as new messages; called from the reminder thread, the
        sends run on the client's loop. A Discord user id in `mention` is pinged, nobody else."""
        self._on_loop(self.send_notice(place, reply, mention))

    async def send_notice(self, place: Place, reply: Reply, mention: str | None) -> None:
        channel = self._channel(place)
        ping = mention if mention and mention.isdigit() else None
        for index, message in enumerate(render(reply)):
            first_ping = ping if index == 0 else None
            await channel.send(
                content=f"<@{first_ping}>" if first_ping else None,
                allowed_mentions=discord.AllowedMentions(
                    everyone=False,
                    roles=False,
                    users=[discord.Object(int(first_ping))] if first_ping else False,
                ),
                **message_kwargs(message),
            )

    def _channel(self, place: Place) -> discord.PartialMessageable:
        """The thread (or channel) holding the card, addressed by id alone: no gateway cache needed."""
        return self.client.get_partial_messageable(
            int(place.thread or place.channel),
            guild_id=int(place.workspace) if place.workspace.isdigit() else None,
        )


def register(client: discord.Client, loop: asyncio.AbstractEventLoop, cards: CardBook) -> DiscordPublisher:
    """Publish finished Discord jobs, and refresh cards after desk changes, through `client`, a logged-in
    client running on `loop`."""
    publisher = DiscordPublisher(client, loop, cards)
    register_publisher(PLATFORM, publisher)
    register_card_refresher(PLATFORM, publisher.refresh)
    register_notice_poster(PLATFORM, publisher.notice)
    return publisher


def register_refresher(
    client: discord.Client, loop: asyncio.AbstractEventLoop, cards: CardBook
) -> DiscordPublisher:
    """Refresh cards after desk changes through `client` (the bot's own), without publishing triage jobs."""
    publisher = DiscordPublisher(client, loop, cards)
    register_card_refresher(PLATFORM, publisher.refresh)
    return publisher


class StandalonePublisher(DiscordPublisher):
    """A publisher owning its REST-only client and the loop thread it runs on."""

    def close(self) -> None:
        """Log out and end the loop thread (at process shutdown, once the workers have stopped)."""
        try:
            asyncio.run_coroutine_threadsafe(self.client.close(), self.loop).result(10)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)


def login_standalone(settings: Settings) -> StandalonePublisher:
    """Log a REST-only client in with DISCORD_TOKEN on a loop thread of its own."""
    if not settings.discord_token:
        raise ConfigurationError("Set DISCORD_TOKEN to publish triage cards on Discord.")
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, name="factdesk-discord-rest", daemon=True).start()
    client = discord.Client(intents=discord.Intents.none())
    try:
        asyncio.run_coroutine_threadsafe(client.login(settings.discord_token), loop).result(LOGIN_TIMEOUT_S)
    except discord.LoginFailure as exc:
        raise ConfigurationError(
            "Discord refused DISCORD_TOKEN; copy the bot token again from the developer portal."
        ) from exc
    except (discord.HTTPException, OSError, TimeoutError) as exc:
        raise ConfigurationError(
            f"Could not log in to Discord's API ({type(exc).__name__}); check the network and DISCORD_TOKEN."
        ) from exc
    log.info("discord: publishing cards over REST (no gateway connection)")
    return StandalonePublisher(client, loop, CardBook.for_url(settings.database_url))


def register_standalone(settings: Settings) -> StandalonePublisher:
    """Publish finished jobs and refresh cards through a REST-only client (`login_standalone`)."""
    publisher = login_standalone(settings)
    register_publisher(PLATFORM, publisher)
    register_card_refresher(PLATFORM, publisher.refresh)
    register_notice_poster(PLATFORM, publisher.notice)
    return publisher


class RefresherOnDemand:
    """For a short-lived process (the CLI): log in over REST only when a Discord card needs an edit, so a
    command that changes no Discord card neither waits for nor depends on Discord."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._publisher: StandalonePublisher | None = None

    def __call__(self, place: Place, reply: Reply) -> None:
        if self._publisher is None:
            self._publisher = login_standalone(self.settings)
        self._publisher.refresh(place, reply)

    def close(self) -> None:
        if self._publisher is not None:
            self._publisher.close()


def register_refresher_on_demand(settings: Settings) -> RefresherOnDemand:
    """Refresh Discord cards after desk changes, logging in at the first one."""
    refresher = RefresherOnDemand(settings)
    register_card_refresher(PLATFORM, refresher)
    return refresher
