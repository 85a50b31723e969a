"""Who may do what on the desk. Editors assign, rule, dismiss and reopen; every member may read, add
notes and (when the desk allows it) take a claim themselves."""

from __future__ import annotations

from bot.config import Settings
from bot.desk.api import Actor
from bot.errors import CommandError

# What editor-only work is called in a refusal ("Only editors can …"), shared by the commands and by any
# adapter that checks before opening a form.
ASSIGN_OTHERS = "assign claims to others"
SET_VERDICTS = "set verdicts"
DISMISS_CLAIMS = "dismiss claims"


def is_editor(actor: Actor, settings: Settings) -> bool:
    """The adapter's word, a configured Slack user group or Discord role, or FACTDESK_EDITORS."""
    if actor.is_editor or actor.key in settings.editor_ids():
        return True
    roles = set(actor.roles)
    if actor.platform == "slack" and settings.slack_editor_usergroup:
        return settings.slack_editor_usergroup in roles
    if actor.platform == "discord" and settings.discord_editor_role:
        return settings.discord_editor_role in roles
    return False


def who_are_editors(platform: str, settings: Settings) -> str:
    """The sentence fragment naming the editors, so a refusal tells people whom to ask."""
    if platform == "slack" and settings.slack_editor_usergroup:
        return f"members of the Slack user group {settings.slack_editor_usergroup}"
    if platform == "discord" and settings.discord_editor_role:
        return f"members of the Discord role {settings.discord_editor_role}"
    if settings.editor_ids():
        return "the people listed in FACTDESK_EDITORS"
    return "editors (none are configured yet: set FACTDESK_EDITORS)"


def require_editor(actor: Actor, settings: Settings, doing: str) -> None:
    if not is_editor(actor, settings):
        raise CommandError(
            f"Only editors can {doing}: {who_are_editors(actor.platform, settings)}. Ask one of them."
        )
