"""Render a platform-neutral `Reply` as Block Kit messages that always fit Slack's limits.

Blocks are built with `slack_sdk.models.blocks` so every element is validated against Slack's documented
limits before it is sent; a card too long for one message is split over several (50 blocks each), and
beyond `MAX_MESSAGES` the rest is summarised with the command that shows everything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    SectionBlock,
)

from adapters.text import pack_lines
from bot.render.clip import clip
from bot.replies import Button, Item, Reply, Section

MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_FIELD_CHARS = 2000
MAX_FIELDS = 10
MAX_BUTTONS = 25
MAX_BUTTON_LABEL = 75
MAX_BUTTON_VALUE = 2000
MAX_MESSAGES = 10
MAX_FALLBACK_CHARS = 300

USER_ID = re.compile(r"[UW][A-Z0-9]{6,}")  # a Slack user id, e.g. U024BE7LH
_USER_ID = re.compile(rf"(?<![<\w])@({USER_ID.pattern})\b")
# What Slack could read as a mention if it ever parsed the text: user ids, @channel, @here, @everyone.
_MENTION_LIKE = re.compile(r"@(?=(?:[UW][A-Z0-9]{6,}|channel|here|everyone)\b)", re.IGNORECASE)
WORD_JOINER = "\u2060"  # invisible; keeps `@here` readable while no parser can take it for a mention

Message = list[Block]


def escape(text: str) -> str:
    """Every piece of text the renderer did not write itself (article text above all) goes through here:
    Slack's three control characters become entities, so `<@U…>`, `<!channel>` and `<https://…|label>` stay
    text, and `@U…`, `@here`, `@channel`, `@everyone` get a word joiner so nothing can make them live."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MENTION_LIKE.sub("@" + WORD_JOINER, escaped)


def announcement(line: str) -> str:
    """The desk's own one-line announcement (built from ids and refs, never article text): escaped, and
    the `@U123ABC` the desk wrote for a person without a display name made a real mention."""
    escaped = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _USER_ID.sub(r"<@\1>", escaped)


def fallback_text(reply: Reply) -> str:
    """The notification / screen-reader text Slack shows where blocks cannot be displayed."""
    return clip(escape(reply.title), MAX_FALLBACK_CHARS)


def _mrkdwn(text: str) -> MarkdownTextObject:
    """`verbatim`: Slack does no parsing of its own (no auto-linked mentions or channels) on top of ours."""
    return MarkdownTextObject(text=text, verbatim=True)


def _section(mrkdwn: str) -> SectionBlock:
    return SectionBlock(text=_mrkdwn(clip(mrkdwn, MAX_SECTION_CHARS) if mrkdwn.strip() else "—"))


def _packed_sections(lines: Iterable[str]) -> list[SectionBlock]:
    """Join lines into as few sections as fit in 3,000 characters each."""
    return [_section(chunk) for chunk in pack_lines(lines, MAX_SECTION_CHARS)]


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()] or [text]


def _button(button: Button) -> ButtonElement:
    return ButtonElement(
        text=clip(button.label, MAX_BUTTON_LABEL),
        action_id=button.action.value,
        value=clip(button.value, MAX_BUTTON_VALUE),
        style=button.style if button.style in ("primary", "danger") else None,
    )


def _actions(buttons: list[Button]) -> list[ActionsBlock]:
    # Slack requires action_id to be unique within one actions block, so repeated actions start a new one.
    blocks: list[ActionsBlock] = []
    row: list[ButtonElement] = []
    for button in buttons:
        if len(row) == MAX_BUTTONS or any(e.action_id == button.action.value for e in row):
            blocks.append(ActionsBlock(elements=row))
            row = []
        row.append(_button(button))
    if row:
        blocks.append(ActionsBlock(elements=row))
    return blocks


def item_line(item: Item) -> str:
    """The finding first (what an editor scans for), its ref in bold, the why on the line below."""
    ref = f"*{escape(item.ref)}*  " if item.ref else ""
    meta = f"\n{escape(item.meta)}" if item.meta else ""
    return f"{ref}{escape(item.text)}{meta}"


def _field(label: str, value: str) -> MarkdownTextObject:
    return _mrkdwn(clip(f"*{escape(label)}*\n{escape(value)}", MAX_FIELD_CHARS))


def _section_units(section: Section) -> list[list[Block]]:
    """A section as units that must stay in one message: its heading, then each claim with its buttons."""
    heading = f"*{escape(section.title)}*"
    if section.text:
        heading += "\n" + escape(section.text)
    units: list[list[Block]] = [[_section(heading)]]
    plain: list[str] = []
    for item in section.items:
        if not item.buttons:
            plain.append(item_line(item))
            continue
        units.extend([block] for block in _packed_sections(plain))
        plain = []
        units.append([_section(item_line(item)), *_actions(item.buttons)])
    units.extend([block] for block in _packed_sections(plain))
    if section.hidden:
        units.append([ContextBlock(elements=[_mrkdwn(f"_… {section.hidden} more not shown_")])])
    return units


def _units(reply: Reply) -> list[list[Block]]:
    units: list[list[Block]] = [[_section(f"*{escape(reply.title)}*")]]
    if reply.text:
        units.extend([b] for b in _packed_sections(escape(p) for p in _paragraphs(reply.text)))
    fields = [_field(f.label, f.value) for f in reply.fields]
    for start in range(0, len(fields), MAX_FIELDS):
        units.append([SectionBlock(fields=fields[start : start + MAX_FIELDS])])
    for section in reply.sections:
        units.append([DividerBlock()])
        units.extend(_section_units(section))
    if reply.buttons:
        units.append(list(_actions(reply.buttons)))
    return units


def _overflow_note(reply: Reply, left_out: int) -> ContextBlock:
    where = f" `/factcheck export {reply.thread_ref} markdown` has all of it." if reply.thread_ref else ""
    return ContextBlock(elements=[_mrkdwn(f"_… {left_out} more blocks not shown here._{where}")])


def render(reply: Reply, max_messages: int = MAX_MESSAGES) -> list[Message]:
    """Split the reply into messages of at most 50 blocks, keeping each claim next to its buttons."""
    messages: list[Message] = [[]]
    units = _units(reply)
    for index, unit in enumerate(units):
        if len(messages[-1]) + len(unit) > MAX_BLOCKS:
            if len(messages) == max_messages:
                left_out = sum(len(u) for u in units[index:])
                last = messages[-1]
                while len(last) >= MAX_BLOCKS:
                    left_out += 1
                    last.pop()
                last.append(_overflow_note(reply, left_out))
                break
            messages.append([])
        messages[-1].extend(unit)
    return messages


def as_dicts(message: Message) -> list[dict]:
    """Validated JSON for one message (raises `SlackObjectFormationError` if a limit is broken)."""
    return [block.to_dict() for block in message]
