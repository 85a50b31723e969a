"""Desk answers as platform-neutral Replies: a claim, a list, a history, the stats, the help.

Each Reply also carries `data`, the same content for `--json` and scripts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.desk.catalog import COMMANDS, SPECS
from bot.desk.verdicts import VerdictScale
from bot.models import DeskStatus
from bot.render.claim_state import ClaimState, status_label
from bot.render.clip import clip
from bot.replies import Item, Reply, ReplyField, Section, Visibility
from storage.claims import DeskStats
from storage.models import Claim, Event


def name_of(key: str | None, display: str | None) -> str | None:
    """How a person is shown, without the @: their display name, else their platform id."""
    if key is None:
        return None
    return display or key.split(":", 1)[-1]


def person(key: str | None, display: str | None) -> str | None:
    name = name_of(key, display)
    return None if name is None else f"@{name}"


def claim_data(claim: Claim, scale: VerdictScale) -> dict[str, Any]:
    verdict = scale.get(claim.verdict)
    return {
        "ref": claim.ref,
        "thread": claim.thread.ref,
        "text": claim.text,
        "start": claim.start_offset,
        "end": claim.end_offset,
        "kind": claim.kind,
        "checkworthiness": claim.checkworthiness,
        "origin": claim.origin,
        "score_band": score_band(claim.checkworthiness),
        "speaker": claim.speaker,
        "status": claim.status,
        "verdict": claim.verdict,
        "verdict_label": verdict.label if verdict else None,
        "explanation": claim.explanation,
        "dismiss_reason": claim.dismiss_reason,
        "assignee": claim.assignee,
        "assignee_display": claim.assignee_display,
        "due_date": claim.due_date.isoformat() if claim.due_date else None,
        "due_at": claim.due_at.isoformat() if claim.due_at else None,
        "version": claim.version,
        "article_url": claim.thread.article_url,
        "article_title": claim.thread.title,
    }


def state_of(claim: Claim, scale: VerdictScale) -> ClaimState:
    """A stored claim's desk state, its verdict by the scale's label."""
    verdict = scale.get(claim.verdict) if claim.status == "done" else None
    return ClaimState(
        status=DeskStatus(claim.status),
        assignee=name_of(claim.assignee, claim.assignee_display),
        due=claim.due_at,
        verdict=verdict.label if verdict else None,
    )


def claim_state(claim: Claim, scale: VerdictScale, now: datetime) -> str:
    """One phrase for where a claim stands: `in progress · @leo · due Fri`, `verdict: False · @leo`."""
    return state_of(claim, scale).phrase(now.date(), now)


def claim_fields(claim: Claim, scale: VerdictScale, now: datetime) -> list[ReplyField]:
    fields = [ReplyField(label="Status", value=claim_state(claim, scale, now))]
    if claim.status == "done" and claim.explanation:
        fields.append(ReplyField(label="Explanation", value=claim.explanation))
    if claim.status == "dismissed" and claim.dismiss_reason:
        fields.append(ReplyField(label="Dismissed because", value=claim.dismiss_reason))
    kind = f"{claim.kind} · check-worthiness {claim.checkworthiness:.2f}"
    if claim.origin == "hand":
        kind += " · added by hand" + ("" if claim.end_offset > claim.start_offset else ", not in the article")
    fields.append(ReplyField(label="Kind", value=kind))
    if claim.speaker:
        fields.append(ReplyField(label="Speaker", value=claim.speaker))
    article = claim.thread.title or claim.thread.article_url or "pasted article"
    if claim.thread.article_url and claim.thread.title:
        article += f" <{claim.thread.article_url}>"
    fields.append(
        ReplyField(label="Article", value=f"{claim.thread.ref} · {clip(article, 300, one_line=True)}")
    )
    return fields


def claim_reply(claim: Claim, events: list[Event], scale: VerdictScale, now: datetime) -> Reply:
    sections = []
    if claim.attribution is not None:
        a = claim.attribution
        sections.append(
            Section(
                title="🗣️ Attribution",
                items=[Item(text=f"“{clip(a.text, 200, one_line=True)}”", meta=f"{a.strength} · {a.reason}")],
            )
        )
    if claim.notes:
        sections.append(
            Section(
                title="📝 Notes",
                items=[
                    Item(text=n.text, meta=f"{person(n.author, n.author_display)} · {_when(n.created_at)}")
                    for n in claim.notes
                ],
            )
        )
    if events:
        sections.append(Section(title="🕘 History", items=[event_item(e) for e in events]))
    return Reply(
        title=f"{claim.ref} · “{clip(claim.text, 200, one_line=True)}”",
        fields=claim_fields(claim, scale, now),
        sections=sections,
        buttons=state_of(claim, scale).buttons(claim.ref),
        thread_ref=claim.thread.ref,
        data={
            "claim": claim_data(claim, scale),
            "notes": [
                {"author": n.author, "text": n.text, "at": n.created_at.isoformat()} for n in claim.notes
            ],
            "history": [event_data(e) for e in events],
        },
    )


def change_reply(claim: Claim, public_line: str, scale: VerdictScale, now: datetime) -> Reply:
    """The answer to a state change: public, with the one line the thread should see."""
    return Reply(
        title=public_line,
        fields=claim_fields(claim, scale, now),
        buttons=state_of(claim, scale).buttons(claim.ref),
        visibility=Visibility.public,
        public_line=public_line,
        thread_ref=claim.thread.ref,
        data={"ok": True, "message": public_line, "claim": claim_data(claim, scale)},
    )


SCORE_BANDS = (
    (0.7, "high"),
    (0.5, "medium"),
    (0.0, "low"),
)  # 0.5 is where the card counts a claim check-worthy


def score_band(score: float) -> str:
    return next(band for floor, band in SCORE_BANDS if score >= floor)


ORDER_WORDS = {
    "score": "highest score first",
    "age": "oldest first",
    "due": "soonest due first",
    "verdict": "latest verdict first",
    "rank": "newest triage first, each in rank order",
    "match": "best match first",
}


def list_item(claim: Claim, scale: VerdictScale, now: datetime) -> Item:
    """One queue row: id, a short text, score band, type, where it stands (checker, due) and the article."""
    state = claim_state(claim, scale, now)
    if claim.assignee is None and claim.is_open:
        state += " · unassigned"
    article = claim.thread.title or claim.thread.article_url or "pasted article"
    return Item(
        ref=claim.ref,
        text=f"“{clip(claim.text, 120, one_line=True)}”",
        meta=f"{score_band(claim.checkworthiness)} {claim.checkworthiness:.2f} · {claim.kind} · {state} · "
        f"{claim.thread.ref} {clip(article, 60, one_line=True)}",
    )


def list_reply(
    title: str,
    claims: list[Claim],
    more: bool,
    scale: VerdictScale,
    now: datetime,
    empty: str,
    order: str = "rank",
) -> Reply:
    items = [list_item(c, scale, now) for c in claims]
    text = empty if not claims else None
    if more:
        text = f"Showing the first {len(claims)}; narrow it with `in #channel`, `thread T-87` or `due today`."
    return Reply(
        title=title,
        text=text,
        sections=[Section(title=f"{len(items)} shown, {ORDER_WORDS[order]}", items=items)] if items else [],
        data={"claims": [claim_data(c, scale) for c in claims], "more": more, "order": order},
    )


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def describe_event(event: Event) -> str:
    after, before = event.after or {}, event.before or {}
    action = event.action.split(".", 1)[-1]
    if event.action == "claim.assigned":
        text = f"assigned to {person(after.get('assignee') or before.get('assignee'), after.get('assignee_display'))}"
        if due := after.get("due_at") or after.get("due_date"):  # events before 0005 stored a date
            text += f", due {due}"
        return text
    if event.action == "claim.status":
        return f"moved to {status_label(after['status'])}" if "status" in after else "moved"
    if event.action == "claim.verdict":
        return (
            f"verdict {after.get('verdict')}: {clip(str(after.get('explanation') or ''), 160, one_line=True)}"
        )
    if event.action == "claim.dismissed":
        return f"dismissed: {clip(str(after.get('dismiss_reason') or ''), 160, one_line=True)}"
    if event.action == "claim.note":
        return f"note: {clip(str(after.get('text') or ''), 160, one_line=True)}"
    if event.action == "claim.added":
        where = "found in the article" if after.get("grounded") else "by hand, not in the article"
        return f"added ({where}): {clip(str(after.get('text') or ''), 160, one_line=True)}"
    if event.action == "thread.triaged":
        return f"triaged: {after.get('claims', 0)} claims, {after.get('attributions', 0)} attributions"
    return action.replace("_", " ")


def event_item(event: Event, *, with_claim: bool = False) -> Item:
    """One history line; in a triage's history it carries the claim it was about (`C-12`)."""
    return Item(
        ref=f"C-{event.claim_id}" if with_claim and event.claim_id else None,
        text=describe_event(event),
        meta=f"{person(event.actor, event.actor_display)} · {_when(event.created_at)}",
    )


def event_data(event: Event) -> dict[str, Any]:
    return {
        "at": event.created_at.isoformat(),
        "actor": event.actor,
        "action": event.action,
        "claim": f"C-{event.claim_id}" if event.claim_id else None,
        "thread": f"T-{event.thread_id}" if event.thread_id else None,
        "before": event.before,
        "after": event.after,
    }


def history_reply(subject: str, events: list[Event]) -> Reply:
    items = [event_item(e, with_claim=subject.startswith("T-")) for e in events]
    return Reply(
        title=f"History of {subject}",
        text=None if events else "Nothing has happened yet.",
        sections=[Section(title="🕘 History", items=items)] if events else [],
        data={"ref": subject, "history": [event_data(e) for e in events]},
    )


def stats_reply(stats: DeskStats, days: int) -> Reply:
    median = stats.median_seconds_to_verdict
    fields = [
        ReplyField(label="Open", value=f"{stats.open:,} ({stats.unassigned:,} unassigned)"),
        ReplyField(label="Overdue", value=f"{stats.overdue:,}"),
        ReplyField(label=f"Done in {days}d", value=f"{stats.done_in_window:,}"),
        ReplyField(label="Median time to verdict", value=_duration(median) if median is not None else "–"),
    ]
    items = [
        Item(text=f"{person(key, display) if key else 'unassigned'}", meta=f"{count:,} done")
        for key, display, count in stats.done_by_checker
    ]
    return Reply(
        title=f"📊 Desk, last {days} days",
        fields=fields,
        sections=[Section(title="Done per checker", items=items)] if items else [],
        data={
            "days": days,
            "open": stats.open,
            "unassigned": stats.unassigned,
            "overdue": stats.overdue,
            "done": stats.done_in_window,
            "done_by_checker": [
                {"checker": key, "display": display, "done": n} for key, display, n in stats.done_by_checker
            ],
            "median_seconds_to_verdict": median,
        },
    )


def _duration(seconds: float) -> str:
    if seconds < 3600:
        return f"{round(seconds / 60)} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def help_reply(topic: str | None, editor: bool) -> Reply:
    if topic is not None:
        spec = SPECS[topic]
        who = "Editors only." if spec.editor_only else "Anyone on the desk."
        return Reply(title=f"`{spec.usage}`", text=f"{spec.summary} {who}", data=spec.as_json())
    items = [
        Item(text=f"`{spec.usage}`", meta=spec.summary + (" (editors)" if spec.editor_only else ""))
        for spec in COMMANDS
    ]
    text = "Paste a link or an article to triage it. " + (
        "You are an editor." if editor else "Some commands are for editors."
    )
    return Reply(
        title="🧭 factdesk commands",
        text=text,
        sections=[Section(title="Commands", items=items)],
        data={"commands": [spec.as_json() for spec in COMMANDS]},
    )
