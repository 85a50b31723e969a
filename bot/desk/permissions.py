"""Who may do what on the desk. Editors assign, rule, dismiss and reopen; every member may read, add
notes and (when the desk allows it) take a claim themselves.

Editor rights from a platform group hold only where the group lives: a Discord role counts for claims of
its own server, a Slack user group for claims of its own workspace (team). A role merely named like the
editors' role in another server, or a user group of another install, grants nothing on this desk's claims.
FACTDESK_EDITORS and the local operator are the operator's own word and hold across the desk.
"""

from __future__ import annotations

from bot.config import Settings
from bot.desk.api import Actor, Place
from bot.errors import CommandError

Home = tuple[str, str]  # (platform, workspace external id) a claim's thread was triaged in


def is_editor(actor: Actor, settings: Settings, place: Place, home: Home | None = None) -> bool:
    """The adapter's word or FACTDESK_EDITORS anywhere; a Slack user group or Discord role only when the
    request comes from the workspace or server that `home` (the claim's) names, and from the actor's own
    platform, since roles are read from the request's server."""
    if actor.is_editor or actor.key in settings.editor_ids():
        return True
    if actor.platform != place.platform or (home is not None and home != (place.platform, place.workspace)):
        return False
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


def require_editor(
    actor: Actor, settings: Settings, doing: str, place: Place, home: Home | None = None
) -> None:
    if is_editor(actor, settings, place, home):
        return
    if home is not None and home != (place.platform, place.workspace) and is_editor(actor, settings, place):
        raise CommandError(
            f"Only editors of the {_desk_name(home)} this claim was triaged in can {doing} on it; "
            "your rights here do not reach it."
        )
    raise CommandError(
        f"Only editors can {doing}: {who_are_editors(actor.platform, settings)}. Ask one of them."
    )


def _desk_name(home: Home) -> str:
    return {"slack": "Slack workspace", "discord": "Discord server"}.get(home[0], "desk")
