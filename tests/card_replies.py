"""Hand-made triage cards of any size, for testing each platform's rendering against its limits."""

from __future__ import annotations

from bot.replies import Action, Button, Item, Reply, ReplyField, Section, Visibility


def claim_item(n: int, text: str = "The coalition prepared plans to deploy troops.") -> Item:
    ref = f"C-{1000 + n}"
    return Item(
        ref=ref,
        text=f"“{text}”",
        meta="0.91 · event · Starmer (second-hand)",
        buttons=[
            Button(label="Assign to me", action=Action.assign_me, value=ref, style="primary"),
            Button(label="Assign…", action=Action.assign, value=ref),
            Button(label="Set verdict…", action=Action.verdict, value=ref),
            Button(label="Dismiss", action=Action.dismiss, value=ref, style="danger"),
        ],
    )


def card(claims: int, attributions: int = 5, text_len: int = 40, fields: int = 0, hidden: int = 0) -> Reply:
    return Reply(
        title="🧭 Triage T-87 · “Coalition of the Willing…” · 512 words · offline extractor",
        text="⚠️ Sourcing: the central claim rests on one second-hand report.",
        fields=[ReplyField(label=f"Field {i}", value="v" * 30) for i in range(fields)],
        sections=[
            Section(
                title="🔎 Check-worthy claims",
                items=[claim_item(i, "x" * text_len) for i in range(claims)],
                hidden=hidden,
            ),
            Section(
                title="🗣️ Attributions",
                items=[
                    Item(text=f"“According to source {i}”", meta="weak · anonymous")
                    for i in range(attributions)
                ],
            ),
        ],
        buttons=[Button(label="Show all", action=Action.show_all, value="T-87")],
        visibility=Visibility.public,
        thread_ref="T-87",
    )
