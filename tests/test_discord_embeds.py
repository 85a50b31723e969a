"""Discord rendering: every reply, however long, becomes messages within Discord's documented limits."""

from __future__ import annotations

import card_replies
import discord
from card_replies import claim_item
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.discord.embeds import (
    BUTTON_LABEL_CHARS,
    DESCRIPTION_CHARS,
    EMBED_FIELDS,
    FIELD_NAME_CHARS,
    FIELD_VALUE_CHARS,
    MESSAGE_EMBED_CHARS,
    MESSAGE_EMBEDS,
    ROWS_PER_MESSAGE,
    TITLE_CHARS,
    DiscordMessage,
    render,
)
from adapters.discord.views import BUTTON_TEMPLATE, view_for
from bot.replies import Action, Item, Reply, ReplyField, Section


def card(claims: int, attributions: int = 5, text_len: int = 40, fields: int = 0) -> Reply:
    return card_replies.card(claims, attributions, text_len, fields, hidden=12)


def assert_within_limits(messages: list[DiscordMessage]) -> None:
    assert messages, "a reply always produces at least one message"
    for message in messages:
        assert message.embeds or message.rows
        assert len(message.embeds) <= MESSAGE_EMBEDS
        assert sum(len(e) for e in message.embeds) <= MESSAGE_EMBED_CHARS
        for embed in message.embeds:
            assert len(embed.title or "") <= TITLE_CHARS
            assert len(embed.description or "") <= DESCRIPTION_CHARS
            assert len(embed.fields) <= EMBED_FIELDS
            for f in embed.fields:
                assert 0 < len(f.name or "") <= FIELD_NAME_CHARS
                assert 0 < len(f.value or "") <= FIELD_VALUE_CHARS
        assert len(message.rows) <= ROWS_PER_MESSAGE
        view = view_for(message.rows)
        if view is not None:
            components = view.to_components()
            assert len(components) <= ROWS_PER_MESSAGE
            ids = [c["custom_id"] for row in components for c in row["components"]]
            assert len(ids) == len(set(ids)), "Discord refuses duplicate custom ids in one message"
            assert all(len(i) <= 100 for i in ids)
            labels = [c["label"] for row in components for c in row["components"]]
            assert all(0 < len(label) <= BUTTON_LABEL_CHARS for label in labels)


def all_text(messages: list[DiscordMessage]) -> str:
    parts = []
    for message in messages:
        for embed in message.embeds:
            parts += [embed.title or "", embed.description or ""]
            parts += [f"{f.name}\n{f.value}" for f in embed.fields]
    return "\n".join(parts)


def test_seed_sized_card_is_one_message_of_embeds_and_buttons_per_claim():
    messages = render(card(claims=7))
    assert_within_limits(messages)
    first = messages[0]
    assert first.embeds[0].title.startswith("🧭 Triage T-87")
    assert "Sourcing" in first.embeds[0].description, "the sourcing verdict comes first"
    assert [e.title for e in first.embeds[1:]] == ["🔎 Check-worthy claims", "🗣️ Attributions"]
    claims = first.embeds[1].description.splitlines()
    assert claims[0].startswith("`C-1000` “") and "0.91 · event" in claims[0]
    assert "12 more not shown" in claims[-1]
    # one row per claim: five rows on the card message, the last two claims and "Show all" after it
    rows = [row for m in messages for row in m.rows]
    assert len(rows) == 8
    assert [b.action for b in rows[0]] == [Action.assign_me, Action.assign, Action.verdict, Action.dismiss]
    assert rows[0][0].label == "Assign to me · C-1000"
    assert rows[-1][0].action is Action.show_all


def test_card_components_carry_stable_custom_ids():
    view = view_for(render(card(claims=2))[0].rows)
    assert view is not None and view.timeout is None
    ids = [c["custom_id"] for row in view.to_components() for c in row["components"]]
    assert ids == [
        "factdesk:claim.assign_me:C-1000", "factdesk:claim.assign:C-1000", "factdesk:claim.verdict:C-1000",
        "factdesk:claim.dismiss:C-1000", "factdesk:claim.assign_me:C-1001", "factdesk:claim.assign:C-1001",
        "factdesk:claim.verdict:C-1001", "factdesk:claim.dismiss:C-1001", "factdesk:card.show_all:T-87",
    ]  # fmt: skip
    assert view.is_persistent()
    import re

    assert all(re.fullmatch(BUTTON_TEMPLATE, i) for i in ids)


def test_huge_card_splits_across_messages_without_losing_a_claim():
    reply = card(claims=60, attributions=80, text_len=900)
    messages = render(reply)
    assert_within_limits(messages)
    assert len(messages) > 2
    text = all_text(messages)
    for n in range(60):
        assert f"`C-{1000 + n}`" in text
    for n in range(80):
        assert f"According to source {n}”" in text
    assert "🔎 Check-worthy claims (cont.)" in text
    # 60 claim rows + "Show all", five per message, in claim order
    refs = [row[0].value for m in messages for row in m.rows]
    assert refs == [f"C-{1000 + n}" for n in range(60)] + ["T-87"]


def test_too_many_fields_and_oversized_texts_are_clipped_or_carried_over():
    reply = Reply(
        title="T" * 1000,
        text="word " * 3000,
        fields=[ReplyField(label="L" * 400, value="V" * 2000) for _ in range(40)],
    )
    messages = render(reply)
    assert_within_limits(messages)
    fields = [f for m in messages for e in m.embeds for f in e.fields]
    assert len(fields) == 40
    assert fields[0].value.endswith("…")
    assert messages[0].embeds[0].title.endswith("…")


def test_error_reply_is_red_and_plain():
    messages = render(Reply.failure("There is no claim C-9."))
    assert len(messages) == 1 and not messages[0].rows
    embed = messages[0].embeds[0]
    assert embed.colour == discord.Colour.red()
    assert embed.title == "⚠️ There is no claim C-9."


def test_duplicate_buttons_appear_once():
    item = claim_item(1)
    reply = Reply(title="t", sections=[Section(title="s", items=[item, item])], buttons=item.buttons)
    rows = [row for m in render(reply) for row in m.rows]
    assert sum(len(r) for r in rows) == 4


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=3000)


@settings(max_examples=60, deadline=None)
@given(
    title=_text,
    body=st.one_of(st.none(), _text),
    fields=st.lists(st.tuples(_text, _text), max_size=30),
    sections=st.lists(
        st.tuples(
            _text, st.lists(st.tuples(_text, st.one_of(st.none(), _text)), max_size=40), st.integers(0, 500)
        ),
        max_size=6,
    ),
    claims=st.integers(0, 30),
)
def test_any_reply_renders_within_limits(title, body, fields, sections, claims):
    reply = Reply(
        title=title,
        text=body,
        fields=[ReplyField(label=a, value=b) for a, b in fields],
        sections=[
            Section(title=t, items=[Item(text=x, meta=m) for x, m in items], hidden=h)
            for t, items, h in sections
        ]
        + [Section(title="claims", items=[claim_item(i) for i in range(claims)])],
    )
    assert_within_limits(render(reply))
