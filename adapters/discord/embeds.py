"""Render a platform-neutral `Reply` as Discord embeds, split so no message breaks Discord's limits.

Discord rejects a whole message when one limit is exceeded, so everything is measured here, before sending:
a long card becomes several messages instead of an API error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import discord

from adapters.text import pack_lines
from bot.render.clip import clip
from bot.replies import Button, Item, Reply, Section

# Discord's documented limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
MESSAGE_EMBED_CHARS = 6000
MESSAGE_EMBEDS = 10
EMBED_FIELDS = 25
TITLE_CHARS = 256
DESCRIPTION_CHARS = 4096
FIELD_NAME_CHARS = 256
FIELD_VALUE_CHARS = 1024
FOOTER_CHARS = 2048
CONTENT_CHARS = 2000
ROWS_PER_MESSAGE = 5
BUTTONS_PER_ROW = 5
BUTTON_LABEL_CHARS = 80

# One item line never takes more than this, so a pasted wall of text cannot crowd out the other claims.
ITEM_LINE_CHARS = 1000

COLOUR_CARD = discord.Colour.teal()
COLOUR_ERROR = discord.Colour.red()


@dataclass
class DiscordMessage:
    """One message to send: embeds within the per-message budget and up to five rows of neutral buttons."""

    embeds: list[discord.Embed] = field(default_factory=list)
    rows: list[list[Button]] = field(default_factory=list)

    @property
    def embed_chars(self) -> int:
        return sum(len(e) for e in self.embeds)


def escape(text: str) -> str:
    """Every piece of text the renderer did not write itself (article text above all) goes through here:
    markdown (bold, spoilers, headings, quotes, masked links such as `[the official report](https://…)`)
    is shown as typed, and `@everyone`, `@here` and `<@123…>` cannot become mentions."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def render(reply: Reply) -> list[DiscordMessage]:
    """Turn a reply into messages: a header embed, one embed (or more) per section, buttons in rows."""
    colour = COLOUR_ERROR if reply.error else COLOUR_CARD
    embeds = _header_embeds(reply, colour)
    for section in reply.sections:
        embeds.extend(_section_embeds(section, colour))
    messages = _pack(embeds)
    _place_rows(messages, button_rows(reply))
    return messages


def _header_embeds(reply: Reply, colour: discord.Colour) -> list[discord.Embed]:
    title = clip(escape(reply.title.strip()) or "factdesk", TITLE_CHARS)
    chunks = pack_lines(escape(reply.text or "").splitlines(), DESCRIPTION_CHARS) or [""]
    embeds = [
        discord.Embed(title=title if i == 0 else None, description=c.strip() or None, colour=colour)
        for i, c in enumerate(chunks)
    ]
    current = embeds[-1]
    for reply_field in reply.fields:
        name = clip(escape(reply_field.label.strip()), FIELD_NAME_CHARS) or "\u200b"
        value = clip(escape(reply_field.value.strip()), FIELD_VALUE_CHARS) or "\u200b"
        too_many = len(current.fields) >= EMBED_FIELDS
        too_long = len(current) + len(name) + len(value) > MESSAGE_EMBED_CHARS
        if too_many or too_long:
            current = discord.Embed(colour=colour)
            embeds.append(current)
        current.add_field(name=name, value=value, inline=len(value) <= 40)
    return embeds


def item_line(item: Item) -> str:
    """One line of a section: `C-1042` text · meta."""
    parts = []
    if item.ref:
        parts.append(f"`{item.ref}`")
    parts.append(escape(item.text))
    line = " ".join(parts)
    if item.meta:
        line += f" · *{escape(item.meta)}*"
    return clip(line, ITEM_LINE_CHARS)


def _section_embeds(section: Section, colour: discord.Colour) -> list[discord.Embed]:
    lines: list[str] = []
    if section.text:
        lines.extend(clip(line, ITEM_LINE_CHARS) for line in escape(section.text).splitlines())
    lines.extend(item_line(item) for item in section.items)
    if section.hidden:
        lines.append(f"… {section.hidden} more not shown — use **Show all**.")
    chunks = pack_lines(lines, DESCRIPTION_CHARS) or [""]
    title = clip(escape(section.title.strip()) or "\u200b", TITLE_CHARS - len(" (cont.)"))
    return [
        discord.Embed(
            title=title if i == 0 else f"{title} (cont.)",
            description=chunk.strip() or "\u200b",
            colour=colour,
        )
        for i, chunk in enumerate(chunks)
    ]


def _pack(embeds: list[discord.Embed]) -> list[DiscordMessage]:
    messages = [DiscordMessage()]
    for embed in embeds:
        current = messages[-1]
        full = len(current.embeds) >= MESSAGE_EMBEDS or current.embed_chars + len(embed) > MESSAGE_EMBED_CHARS
        if full and current.embeds:
            current = DiscordMessage()
            messages.append(current)
        current.embeds.append(embed)
    return messages


def button_rows(reply: Reply) -> list[list[Button]]:
    """Rows of buttons: one row per item (its ref in each label), then the reply's own buttons.

    Buttons with the same action and value appear once: Discord refuses duplicate custom ids in a message.
    """
    seen: set[tuple[str, str]] = set()
    rows: list[list[Button]] = []

    def add(buttons: list[Button], ref: str | None) -> None:
        fresh = []
        for button in buttons:
            key = (button.action.value, button.value)
            if key in seen:
                continue
            seen.add(key)
            label = f"{button.label} · {ref}" if ref and ref not in button.label else button.label
            fresh.append(button.model_copy(update={"label": clip(label, BUTTON_LABEL_CHARS)}))
        rows.extend(fresh[i : i + BUTTONS_PER_ROW] for i in range(0, len(fresh), BUTTONS_PER_ROW))

    for section in reply.sections:
        for item in section.items:
            add(item.buttons, item.ref)
    add(reply.buttons, None)
    return rows


def _place_rows(messages: list[DiscordMessage], rows: list[list[Button]]) -> None:
    """Give each message up to five rows in order; rows beyond that go into extra button-only messages."""
    for index in range(0, len(rows), ROWS_PER_MESSAGE):
        chunk = rows[index : index + ROWS_PER_MESSAGE]
        target = next((m for m in messages if not m.rows), None)
        if target is None:
            target = DiscordMessage()
            messages.append(target)
        target.rows = chunk
