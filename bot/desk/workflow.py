"""The life of a claim. Status and verdict are separate: status says where the work stands
(new → assigned → in_progress → needs_review → done, or dismissed); the verdict is the ruling, set with done.

Each transition checks it is allowed, changes the row, and returns what changed for the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.errors import CommandError
from bot.render.claim_state import status_label
from storage.models import Claim

_FIELDS = ("status", "verdict", "explanation", "dismiss_reason", "assignee", "assignee_display", "due_at")


@dataclass(frozen=True)
class Change:
    action: str
    before: dict[str, Any]
    after: dict[str, Any]


def snapshot(claim: Claim) -> dict[str, Any]:
    values = {name: getattr(claim, name) for name in _FIELDS}
    values["due_at"] = claim.due_at.isoformat() if claim.due_at else None
    return values


def _diff(action: str, before: dict[str, Any], claim: Claim) -> Change:
    after = snapshot(claim)
    changed = [k for k in after if after[k] != before[k]]
    return Change(action, {k: before[k] for k in changed}, {k: after[k] for k in changed})


def _closed(claim: Claim, doing: str) -> CommandError:
    return CommandError(f"{claim.ref} is {status_label(claim.status)}; reopen it before you {doing}.")


def assign(claim: Claim, assignee: str, display: str | None, due: datetime | None) -> Change:
    if not claim.is_open:
        raise _closed(claim, "assign it")
    if claim.assignee == assignee and (due is None or claim.due_at == due):
        raise CommandError(f"{claim.ref} is already assigned to @{display or assignee.split(':', 1)[-1]}.")
    before = snapshot(claim)
    claim.assignee, claim.assignee_display = assignee, display
    if due is not None:
        claim.due_at = due
    if claim.status == "new":
        claim.status = "assigned"
    return _diff("claim.assigned", before, claim)


def unassign(claim: Claim) -> Change:
    if claim.assignee is None:
        raise CommandError(f"{claim.ref} has no checker to take it off.")
    if not claim.is_open:
        raise _closed(claim, "unassign it")
    before = snapshot(claim)
    claim.assignee = claim.assignee_display = None
    claim.due_at = None
    claim.status = "new"
    return _diff("claim.unassigned", before, claim)


def set_status(claim: Claim, status: str) -> Change:
    if not claim.is_open:
        raise _closed(claim, "change its status")
    if claim.assignee is None:
        raise CommandError(f"{claim.ref} has no checker yet; `claim {claim.ref}` or assign it first.")
    if claim.status == status:
        raise CommandError(f"{claim.ref} is already {status_label(status)}.")
    before = snapshot(claim)
    claim.status = status
    return _diff("claim.status", before, claim)


def set_verdict(claim: Claim, verdict: str, explanation: str, now: datetime) -> Change:
    """Rule and close. A done claim may be ruled again (a correction); a dismissed one must be reopened."""
    if claim.status == "dismissed":
        raise _closed(claim, "give it a verdict")
    if claim.status == "done" and claim.verdict == verdict and claim.explanation == explanation:
        raise CommandError(f"{claim.ref} already has that verdict and explanation.")
    before = snapshot(claim)
    claim.status, claim.verdict, claim.explanation = "done", verdict, explanation
    claim.verdict_at = now
    claim.seconds_to_verdict = max(0, int((now - claim.created_at).total_seconds()))
    return _diff("claim.verdict", before, claim)


def dismiss(claim: Claim, reason: str) -> Change:
    if not claim.is_open:
        raise _closed(claim, "dismiss it")
    before = snapshot(claim)
    claim.status, claim.dismiss_reason = "dismissed", reason
    return _diff("claim.dismissed", before, claim)


def reopen(claim: Claim) -> Change:
    """Back to work: assigned if it still has a checker, else new. The old verdict stays until a new one."""
    if claim.is_open:
        raise CommandError(f"{claim.ref} is already open ({status_label(claim.status)}).")
    before = snapshot(claim)
    claim.status = "assigned" if claim.assignee else "new"
    claim.dismiss_reason = None
    claim.verdict_at = None
    claim.seconds_to_verdict = None
    return _diff("claim.reopened", before, claim)
