"""The triage card as a platform-neutral Reply, in the order an editor reads it (design/card.md):
sourcing verdict, suspect names, ranked claims with actions, then attributions, weakest first.

Claims of a stored triage carry their desk state, so the same card re-rendered after a change shows who is
checking what and how it was ruled, and offers only the buttons that still apply.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from bot.models import Attribution, Claim, ClaimDesk, ModelView, Origin, Strength, TriageReport
from bot.render.claim_state import ClaimState
from bot.render.clip import clip
from bot.replies import Action, Button, Item, Reply, Section, Visibility

_STRENGTH_ORDER = {Strength.weak: 0, Strength.moderate: 1, Strength.strong: 2}
_CLAIM_CHARS = 280
CARD_CLAIMS = 5  # claims a card leads with before "show all" (FACTDESK_CARD_CLAIMS)
# A claim's calibrated score (the probability an editor assigns it for checking,
# bot/extract/model/CALIBRATION.md) in words, highest first; stored triages from before may hold lower ones.
BANDS = ((0.8, "assign first"), (0.5, "worth a look"), (0.0, "low priority"))


# A claim's fields as the card names them, for "LLM set score, type".
FIELD_WORDS = {"checkworthiness": "score", "kind": "type", "speaker": "speaker", "attribution_id": "source"}


def band(score: float) -> str:
    """The card's word for a calibrated check-worthiness: what the desk would do with the claim."""
    return next(label for floor, label in BANDS if score >= floor)


def desk_state(desk: ClaimDesk | None) -> ClaimState:
    """A stored claim's desk state as the card shows it (the verdict's value in words: the card has no scale)."""
    desk = desk or ClaimDesk()
    verdict = desk.verdict.replace("_", " ") if desk.verdict else None
    return ClaimState(status=desk.status, assignee=desk.assignee, due=desk.due, verdict=verdict)


def _corrected(speaker: str, corrections: dict[str, str]) -> str:
    """The speaker as written, with the right spelling beside a name the report flags ("Kir Starmer →
    Keir Starmer"), so nobody copies the slip from the claim line."""
    for found, suggestion in corrections.items():
        if found in speaker and suggestion not in speaker:
            return speaker.replace(found, f"{found} → {suggestion}", 1)
    return speaker


def _claim_meta(claim: Claim, by_id: dict[str, Attribution], corrections: dict[str, str], today: date) -> str:
    state = desk_state(claim.desk).line(today)
    parts = [state] if state else []
    parts += [f"{band(claim.checkworthiness)} ({claim.checkworthiness:.0%})", claim.kind.value]
    att = by_id.get(claim.attribution_id or "")
    who = _corrected(claim.speaker, corrections) if claim.speaker else ""
    if att is not None and att.strength is not Strength.strong:
        source = _corrected(att.source, corrections)
        if who and att.source != claim.speaker:
            who = f"{who}, via {source}"
        else:
            # The reason in brackets, unless it only repeats the source ("anonymous source (anonymous source)").
            repeats = att.reason.lower() in ("", att.source.lower())
            who = source if repeats else f"{source} ({att.reason})"
    if who:
        parts.append(who)
    if claim.origin.value == "llm":
        parts.append("LLM")
    elif claim.field_origins:
        parts.append("LLM set " + ", ".join(FIELD_WORDS.get(f, f) for f in sorted(claim.field_origins)))
    earlier = checked_before(claim)
    return " · ".join(parts) + (f"\n{earlier}" if earlier else "")


def model_effect(report: TriageReport) -> Counter[str]:
    """What the model did to a card: rule and gazetteer findings it confirmed or questioned, and the
    claims and attributions it added or changed."""
    effect: Counter[str] = Counter(
        x.model_view.value for x in [*report.attributions, *report.names] if x.model_view
    )
    effect["added claims"] = sum(c.origin is Origin.llm for c in report.claims)
    effect["changed claims"] = sum(
        bool(c.field_origins) and c.origin is not Origin.llm for c in report.claims
    )
    effect["added attributions"] = sum(a.origin is Origin.llm for a in report.attributions)
    return effect


def model_line(report: TriageReport) -> str | None:
    """What the model did to the card, in one line, so an editor can weigh it. None when no model read
    the article."""
    if report.extractor.name != "llm":
        return None
    e = model_effect(report)
    return (
        f"🤖 The model confirmed {e[ModelView.confirmed]} and questioned {e[ModelView.questioned]} "
        f"of the rules' findings, added {e['added claims']} claim(s) and {e['added attributions']} "
        f"attribution(s), and re-scored or typed {e['changed claims']} claim(s)."
    )


def checked_before(claim: Claim) -> str | None:
    """The best earlier check of this claim, in one line: an outside fact-check with its rating, who and
    when, and its link; or the desk's own ruling ("C-1042 ruled false on 2026-11-03 by @ana")."""
    if not claim.prior_checks:
        return None
    best = claim.prior_checks[0]
    rating = best.rating or "rated"
    when = f" on {best.published.isoformat()}" if best.published else ""
    if best.source == "desk":
        return f"🔁 {best.url} ruled {rating}{when} by {best.publisher or 'the desk'}"
    by = ", ".join(
        x for x in (best.publisher or best.source, best.published and best.published.isoformat()) if x
    )
    return f"🔁 Checked before: ‘{clip(best.claim, 120)}’ — {rating} ({by}) {best.url}"


def _title(report: TriageReport) -> str:
    ref = f" {report.thread_ref}" if report.thread_ref else ""
    title = report.article.title or report.article.url or "pasted article"
    return f"🧭 Triage{ref} · “{clip(title, 80)}” · {report.article.words:,} words · {report.extractor.name} extractor"


def render_card(
    report: TriageReport, *, shown: int = CARD_CLAIMS, full: bool = False, today: date | None = None
) -> Reply:
    """Fold the card after `shown` claims unless `full`; every weak attribution is always visible.
    The claims header counts the claims the list holds, shown and folded alike.

    `today` words due dates (`due Fri`); it defaults to the current UTC date, as the desk's clock does.
    """
    today = today or datetime.now(UTC).date()
    stored = report.thread_ref is not None
    by_id = {a.id: a for a in report.attributions}
    corrections = {n.found: n.suggestion for n in report.names}
    sections: list[Section] = []

    if report.names:
        sections.append(
            Section(
                title="✏️ Suspect names",
                items=[Item(text=f"“{n.found}” → {n.suggestion}", meta=n.evidence) for n in report.names],
            )
        )

    visible = report.claims if full else report.claims[:shown]
    sections.append(
        Section(
            title=f"🔎 Check-worthy claims ({len(report.claims)} of {report.sentences} sentences)",
            items=[
                Item(
                    ref=c.id if stored else None,
                    text=f"“{clip(c.text, _CLAIM_CHARS)}”",
                    meta=_claim_meta(c, by_id, corrections, today),
                    buttons=desk_state(c.desk).buttons(c.id) if stored else [],
                )
                for c in visible
            ],
            hidden=len(report.claims) - len(visible),
            text=None if report.claims else "No checkable claims found.",
        )
    )

    ordered = sorted(report.attributions, key=lambda a: (_STRENGTH_ORDER[a.strength], a.start))
    flagged = [a for a in ordered if a.strength is not Strength.strong]
    on_record = len(ordered) - len(flagged)
    sections.append(
        Section(
            title="🗣️ Attributions",
            items=[
                Item(text=f"“{clip(a.text, 160)}”", meta=f"{a.strength.value} · {a.reason}") for a in flagged
            ],
            text=f"{on_record} on the record." if on_record else None,
        )
    )
    buttons = []
    if stored and not full and len(report.claims) > len(visible):
        buttons.append(Button(label="Show all", action=Action.show_all, value=report.thread_ref or ""))
    weak = any(a.strength is Strength.weak for a in report.attributions)
    summary = (
        report.summary if report.summary.lower().startswith("sourcing") else f"Sourcing: {report.summary}"
    )
    text = f"{'⚠️' if weak else '🧾'} {summary}"
    if report.already_triaged:
        text = f"Already triaged as {report.thread_ref}; showing the stored card.\n" + text
    if line := model_line(report):
        text += "\n" + line
    if report.notes:
        text += "\n" + "\n".join(f"ℹ️ {note}" for note in report.notes)
    return Reply(
        title=_title(report),
        text=text,
        sections=sections,
        buttons=buttons,
        visibility=Visibility.public,
        thread_ref=report.thread_ref,
        data=report.model_dump(mode="json"),
    )
