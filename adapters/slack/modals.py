"""The two modals a claim's buttons open: "Set verdict…" (vocabulary + explanation) and "Assign…" (user picker).

The click's context (action, claim, channel, thread) rides in `private_metadata`, so the submission is
handled by any bot process without server-side state.
"""

from __future__ import annotations

from pydantic import BaseModel
from slack_sdk.models.blocks import (
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.replies import Action

CALLBACK_PREFIX = "factdesk."
MAX_OPTIONS = 100
MAX_OPTION_LABEL = 75
MAX_EXPLANATION = 3000


class ModalContext(BaseModel):
    """Where the button was clicked; restored on submission."""

    action: Action
    value: str
    channel: str = ""
    thread: str | None = None
    message: str | None = None


def _view(context: ModalContext, title: str, submit: str, blocks: list[InputBlock]) -> View:
    return View(
        type="modal",
        callback_id=CALLBACK_PREFIX + context.action.value,
        title=title[:24],
        submit=submit,
        close="Cancel",
        private_metadata=context.model_dump_json(),
        blocks=blocks,
    )


def verdict_modal(context: ModalContext, choices: list[tuple[str, str]]) -> View:
    """`choices` are the desk's (value, label) verdicts, e.g. ("mostly_false", "Mostly false")."""
    options = [Option(value=value, label=label[:MAX_OPTION_LABEL]) for value, label in choices[:MAX_OPTIONS]]
    return _view(
        context,
        f"Verdict {context.value}",
        "Set verdict",
        [
            InputBlock(
                block_id="verdict",
                label="Verdict",
                element=StaticSelectElement(
                    action_id="verdict", placeholder="Choose a verdict", options=options
                ),
            ),
            InputBlock(
                block_id="explanation",
                label="Explanation, with sources",
                element=PlainTextInputElement(
                    action_id="explanation", multiline=True, max_length=MAX_EXPLANATION
                ),
            ),
        ],
    )


def assign_modal(context: ModalContext) -> View:
    return _view(
        context,
        f"Assign {context.value}",
        "Assign",
        [
            InputBlock(
                block_id="user",
                label="Checker",
                element=UserSelectElement(action_id="user", placeholder="Pick a person"),
            ),
            InputBlock(
                block_id="due",
                label="Due",
                optional=True,
                element=DatePickerElement(action_id="due", placeholder="No due date"),
            ),
        ],
    )


def read_context(view: dict) -> ModalContext:
    return ModalContext.model_validate_json(view.get("private_metadata") or "{}")


def read_form(view: dict) -> dict[str, str]:
    """Flatten Slack's ``state.values`` into ``{action_id: value}``; empty optional inputs are left out."""
    form: dict[str, str] = {}
    for inputs in (view.get("state") or {}).get("values", {}).values():
        for action_id, state in inputs.items():
            value = (
                state.get("value")
                or (state.get("selected_option") or {}).get("value")
                or state.get("selected_user")
                or state.get("selected_date")
            )
            if value:
                form[action_id] = value
    return form
