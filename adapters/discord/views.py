"""Buttons, pickers and modals on the triage card, dispatched by custom id so they keep working after a restart.

Every component is a `DynamicItem`: its custom id carries the action and the claim ref
(``factdesk:claim.verdict:C-1042``), and discord.py rebuilds the item from the id on each click. Nothing is
kept in memory per card, so a card posted last week answers as well as one posted a second ago.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any, cast

import discord

from adapters.discord.context import actor_for, desk_client, interaction_place
from adapters.discord.embeds import BUTTON_LABEL_CHARS, DiscordMessage
from bot.render.clip import clip
from bot.replies import Action, Button, Reply

_ACTIONS = "|".join(re.escape(a.value) for a in Action)
BUTTON_TEMPLATE = rf"factdesk:(?P<action>{_ACTIONS}):(?P<ref>[A-Z]-\d+)"
PICKER_TEMPLATE = r"factdesk-pick:(?P<what>verdict|assignee):(?P<ref>C-\d+)"
MODAL_PREFIX = "factdesk-modal"

MODAL_TITLE_CHARS = 45
LABEL_TEXT_CHARS = 45
SELECT_OPTIONS = 25
EXPLANATION_CHARS = 4000
DUE_CHARS = 40

_STYLES = {"primary": discord.ButtonStyle.primary, "danger": discord.ButtonStyle.danger}


def button_custom_id(action: Action, ref: str) -> str:
    return f"factdesk:{action.value}:{ref}"


def view_for(rows: list[list[Button]]) -> discord.ui.View | None:
    """A persistent view (no timeout) holding one row per list of neutral buttons; None when there are none."""
    if not rows:
        return None
    view = discord.ui.View(timeout=None)
    for index, row in enumerate(rows):
        for button in row:
            style = _STYLES.get(button.style or "", discord.ButtonStyle.secondary)
            view.add_item(DeskButton(button.action, button.value, label=button.label, style=style, row=index))
    return view


def message_kwargs(message: DiscordMessage) -> dict:
    """Embeds and buttons of one rendered message, as `send`/`edit` take them (call on the event loop)."""
    kwargs: dict = {"embeds": message.embeds}
    view = view_for(message.rows)
    if view is not None:
        kwargs["view"] = view
    return kwargs


async def _refused(interaction: discord.Interaction, action: Action, ref: str) -> bool:
    """Refuse a non-editor before any picker or modal opens, so nobody fills in a form only to be turned
    away; the desk's own rule (rights from the claim's own server) and sentence, answered privately."""
    client = desk_client(interaction)
    actor, place = actor_for(interaction.user), interaction_place(interaction)
    refusal = await asyncio.to_thread(client.desk.refusal, action, ref, actor, place)
    if refusal is None:
        return False
    await client.answer(interaction, refusal)
    return True


async def _click(
    interaction: discord.Interaction, action: Action, ref: str, form: dict[str, Any] | None
) -> None:
    client = desk_client(interaction)
    actor, place = actor_for(interaction.user), interaction_place(interaction)
    work: Callable[[], Reply] = lambda: client.desk.click(action, ref, actor, place, form)  # noqa: E731
    await client.run_and_answer(interaction, work)


class DeskButton(discord.ui.DynamicItem[discord.ui.Button], template=BUTTON_TEMPLATE):
    """A claim or card button: "Assign to me", "Assign…", "Set verdict…", "Dismiss", "Show all"."""

    def __init__(
        self,
        action: Action,
        ref: str,
        *,
        label: str | None = None,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        row: int | None = None,
    ) -> None:
        button: discord.ui.Button = discord.ui.Button(
            label=clip(label or action.value, BUTTON_LABEL_CHARS),
            style=style,
            custom_id=button_custom_id(action, ref),
        )
        super().__init__(button, row=row)
        self.action = action
        self.ref = ref

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> DeskButton:
        button = cast("discord.ui.Button", item)
        return cls(Action(match["action"]), match["ref"], label=button.label, style=button.style)

    async def callback(self, interaction: discord.Interaction) -> None:
        if await _refused(interaction, self.action, self.ref):
            return
        if self.action is Action.assign:
            await interaction.response.send_message(
                f"Assign {self.ref} to…", view=_picker_view(DeskPicker.assignee(self.ref)), ephemeral=True
            )
        elif self.action is Action.verdict:
            choices = desk_client(interaction).desk.verdict_choices()
            await interaction.response.send_message(
                f"Verdict for {self.ref}:",
                view=_picker_view(DeskPicker.verdict(self.ref, choices)),
                ephemeral=True,
            )
        elif self.action is Action.dismiss:
            await interaction.response.send_modal(ExplanationModal.dismiss(self.ref))
        else:
            await _click(interaction, self.action, self.ref, None)


def _picker_view(picker: DeskPicker) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(picker)
    return view


class DeskPicker(discord.ui.DynamicItem[discord.ui.Item[Any]], template=PICKER_TEMPLATE):
    """The second step of "Set verdict…" (a menu of the verdict vocabulary) and "Assign…" (a member picker,
    then a modal for the optional due date)."""

    def __init__(self, what: str, ref: str, item: discord.ui.Item[Any]) -> None:
        super().__init__(item)
        self.what = what
        self.ref = ref

    @staticmethod
    def custom_id_for(what: str, ref: str) -> str:
        return f"factdesk-pick:{what}:{ref}"

    @classmethod
    def verdict(cls, ref: str, choices: list[tuple[str, str]]) -> DeskPicker:
        options = [
            discord.SelectOption(label=clip(label, 100), value=value)
            for value, label in choices[:SELECT_OPTIONS]
        ]
        select: discord.ui.Select = discord.ui.Select(
            custom_id=cls.custom_id_for("verdict", ref), placeholder="Choose a verdict", options=options
        )
        return cls("verdict", ref, select)

    @classmethod
    def assignee(cls, ref: str) -> DeskPicker:
        select: discord.ui.UserSelect = discord.ui.UserSelect(
            custom_id=cls.custom_id_for("assignee", ref), placeholder="Choose a checker"
        )
        return cls("assignee", ref, select)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> DeskPicker:
        return cls(match["what"], match["ref"], item)

    async def callback(self, interaction: discord.Interaction) -> None:
        if self.what == "verdict":
            select = cast("discord.ui.Select", self.item)
            value = select.values[0]
            labels = dict(desk_client(interaction).desk.verdict_choices())
            await interaction.response.send_modal(
                ExplanationModal.verdict(self.ref, value, labels.get(value, value))
            )
            return
        picked = cast("discord.ui.UserSelect", self.item).values[0]
        await interaction.response.send_modal(DueDateModal(self.ref, picked.id, picked.display_name))


class ExplanationModal(discord.ui.Modal):
    """The last step of "Set verdict…" (explanation with sources) and "Dismiss" (the reason)."""

    def __init__(
        self, action: Action, ref: str, *, title: str, prompt: str, verdict: str | None = None
    ) -> None:
        custom_id = f"{MODAL_PREFIX}:{action.value}:{ref}:{verdict or ''}"
        super().__init__(title=clip(title, MODAL_TITLE_CHARS), custom_id=custom_id[:100], timeout=900)
        self.action = action
        self.ref = ref
        self.verdict_value = verdict
        self.text: discord.ui.TextInput = discord.ui.TextInput(
            custom_id="text", style=discord.TextStyle.paragraph, max_length=EXPLANATION_CHARS
        )
        self.add_item(discord.ui.Label(text=clip(prompt, LABEL_TEXT_CHARS), component=self.text))

    @classmethod
    def verdict(cls, ref: str, value: str, label: str) -> ExplanationModal:
        return cls(
            Action.verdict, ref, title=f"{ref}: {label}", prompt="Explanation, with sources", verdict=value
        )

    @classmethod
    def dismiss(cls, ref: str) -> ExplanationModal:
        return cls(Action.dismiss, ref, title=f"Dismiss {ref}", prompt="Why is it not worth checking?")

    def form(self) -> dict[str, Any]:
        if self.action is Action.verdict:
            return {"verdict": self.verdict_value, "explanation": self.text.value}
        return {"reason": self.text.value}

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await _click(interaction, self.action, self.ref, self.form())


class DueDateModal(discord.ui.Modal):
    """The last step of "Assign…": an optional due date in the desk's own words, as `due:` on `/factcheck`."""

    def __init__(self, ref: str, user_id: int, name: str) -> None:
        custom_id = f"{MODAL_PREFIX}:{Action.assign.value}:{ref}:{user_id}"
        super().__init__(
            title=clip(f"Assign {ref} to {name}", MODAL_TITLE_CHARS), custom_id=custom_id, timeout=900
        )
        self.ref = ref
        self.user_id = user_id
        self.due: discord.ui.TextInput = discord.ui.TextInput(
            custom_id="due",
            style=discord.TextStyle.short,
            placeholder="Leave empty for no due date",
            required=False,
            max_length=DUE_CHARS,
        )
        self.add_item(discord.ui.Label(text="Due (tomorrow, fri, 2026-12-01)", component=self.due))

    def form(self) -> dict[str, Any]:
        return {"user": str(self.user_id), "due": self.due.value.strip()}

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await _click(interaction, Action.assign, self.ref, self.form())
