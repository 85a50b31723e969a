"""Block Kit rendering: every reply, however long, becomes messages Slack accepts."""

from __future__ import annotations

from card_replies import card, claim_item
from hypothesis import given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block

from adapters.slack.blocks import MAX_BLOCKS, MAX_MESSAGES, announcement, as_dicts, escape, render
from bot.replies import Action, Item, Reply, ReplyField, Section


def _validated(messages: list[list[Block]]) -> list[list[dict]]:
    dicts = [as_dicts(m) for m in messages]  # raises SlackObjectFormationError on any broken limit
    for message in dicts:
        assert 0 < len(message) <= MAX_BLOCKS
        for block in message:
            if block["type"] == "section" and "text" in block:
                assert len(block["text"]["text"]) <= 3000
    return dicts


def _texts(messages: list[list[dict]]) -> str:
    return "\n".join(
        b.get("text", {}).get("text", "")
        + "".join(e.get("text", "") for e in b.get("elements", []) if b["type"] == "context")
        for m in messages
        for b in m
    )


def test_seed_sized_card_is_one_message_with_buttons_beside_each_claim():
    messages = _validated(render(card(7)))
    assert len(messages) == 1
    blocks = messages[0]
    claim_sections = [
        i for i, b in enumerate(blocks) if b["type"] == "section" and "*C-10" in b["text"]["text"]
    ]
    assert len(claim_sections) == 7
    for index in claim_sections:
        actions = blocks[index + 1]
        assert actions["type"] == "actions"
        ref = blocks[index]["text"]["text"].split("*")[1]
        assert [e["action_id"] for e in actions["elements"]] == [
            a.value for a in (Action.assign_me, Action.assign, Action.verdict, Action.dismiss)
        ]
        assert {e["value"] for e in actions["elements"]} == {ref}
    assert blocks[-1]["elements"][0]["action_id"] == "card.show_all"
    assert "According to source 4" in _texts(messages)


def test_long_card_splits_into_messages_within_fifty_blocks_keeping_claims_with_their_buttons():
    messages = _validated(render(card(60, attributions=200)))
    assert len(messages) > 1
    for message in messages:
        for i, block in enumerate(message):
            if block["type"] == "actions" and block["elements"][0]["value"].startswith("C-"):
                assert message[i - 1]["type"] == "section"
                assert block["elements"][0]["value"] in message[i - 1]["text"]["text"]
    texts = _texts(messages)
    assert all(f"C-{1000 + i}" in texts for i in range(60))
    assert all(f"source {i}”" in texts for i in range(200))


def test_overlong_text_is_clipped_not_rejected():
    reply = card(3, text_len=5000)
    reply.text = "word " * 2000
    reply.fields = [ReplyField(label="Note", value="n" * 5000) for _ in range(12)]
    messages = _validated(render(reply))
    assert any("…" in b.get("text", {}).get("text", "") for m in messages for b in m)


def test_huge_card_stops_at_the_message_cap_and_says_where_the_rest_is():
    messages = _validated(render(card(2000)))
    assert len(messages) == MAX_MESSAGES
    note = messages[-1][-1]
    assert note["type"] == "context"
    assert "/factcheck export T-87 markdown" in note["elements"][0]["text"]


def test_escape_protects_slack_markup_and_never_makes_a_mention():
    assert escape("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert escape("@U0LEO1234 assigned C-1042") == "@\u2060U0LEO1234 assigned C-1042"
    assert escape("<!channel>") == "&lt;!channel&gt;"
    assert escape("hi @here and @Everyone") == "hi @\u2060here and @\u2060Everyone"


def test_the_desks_own_announcement_names_people_by_mention():
    assert announcement("@U0LEO1234 took C-1042") == "<@U0LEO1234> took C-1042"
    assert announcement("mail@U0LEO1234 <!channel>") == "mail@U0LEO1234 &lt;!channel&gt;"


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=4000)


@settings(max_examples=60, deadline=None)
@given(
    title=_text,
    body=st.one_of(st.none(), _text),
    items=st.lists(st.tuples(_text, st.booleans()), max_size=80),
    hidden=st.integers(0, 500),
)
def test_any_reply_renders_to_valid_messages(title, body, items, hidden):
    reply = Reply(
        title=title,
        text=body,
        sections=[
            Section(
                title="Claims",
                items=[claim_item(i, t) if b else Item(text=t) for i, (t, b) in enumerate(items)],
                hidden=hidden,
            )
        ],
    )
    _validated(render(reply))
