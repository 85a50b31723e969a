"""Platform-neutral replies: each adapter renders these natively (Block Kit, Discord embeds, terminal).

Buttons carry an `action` from `Action` and a `value` (usually a claim ref such as ``C-1042``);
adapters turn a click back into a desk command through `bot.desk` so every platform shares one path.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class Action(StrEnum):
    assign_me = "claim.assign_me"
    assign = "claim.assign"
    verdict = "claim.verdict"
    dismiss = "claim.dismiss"
    show_all = "card.show_all"


class Visibility(StrEnum):
    private = "private"  # only the person who asked (Slack ephemeral, Discord ephemeral)
    public = "public"  # everyone in the thread


class Button(BaseModel):
    label: str
    action: Action
    value: str
    style: str | None = None  # "primary" | "danger" | None


class Item(BaseModel):
    """One line of a section: a claim, an attribution, a name, a history event."""

    text: str
    ref: str | None = None
    meta: str | None = None
    buttons: list[Button] = Field(default_factory=list)


class Section(BaseModel):
    title: str
    items: list[Item] = Field(default_factory=list)
    hidden: int = 0  # items folded away behind "show all"
    text: str | None = None


class ReplyField(BaseModel):
    label: str
    value: str


class Reply(BaseModel):
    title: str
    text: str | None = None
    fields: list[ReplyField] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    buttons: list[Button] = Field(default_factory=list)
    visibility: Visibility = Visibility.private
    public_line: str | None = None  # short announcement for the thread when shared state changed
    thread_ref: str | None = None
    error: bool = False
    data: dict | None = None  # machine-readable payload for `--json`

    @classmethod
    def failure(cls, sentence: str) -> Reply:
        return cls(title="⚠️ " + sentence, error=True)
