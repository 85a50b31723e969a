"""Exports of the desk's work: ClaimReview JSON-LD (schema.org, for search engines and partners),
Markdown (for a CMS or a memo) and CSV (for a spreadsheet)."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from bot.config import Settings
from bot.desk.verdicts import VerdictScale
from bot.render.claim_state import status_label
from storage.models import Claim, TriageThread

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection"), and some
# do for the full-width forms; article text and desk notes can start with any of them.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

CSV_COLUMNS = (
    "ref",
    "thread",
    "article_url",
    "article_title",
    "claim",
    "kind",
    "checkworthiness",
    "speaker",
    "status",
    "verdict",
    "rating_value",
    "explanation",
    "assignee",
    "due_at",
    "verdict_at",
)


def claim_review(
    claim: Claim, thread: TriageThread, scale: VerdictScale, settings: Settings
) -> dict[str, Any]:
    """One ClaimReview for a claim with a verdict (schema.org/ClaimReview, Google's fact-check markup)."""
    verdict = scale.get(claim.verdict)
    if claim.status != "done" or verdict is None:
        raise ValueError(f"{claim.ref} has no verdict to export")
    rating: dict[str, Any] = {
        "@type": "Rating",
        "alternateName": verdict.alternate_name,
        "bestRating": scale.best_rating,
        "worstRating": scale.worst_rating,
        "ratingExplanation": claim.explanation or "",
    }
    if verdict.rating_value is not None:
        rating["ratingValue"] = verdict.rating_value
    item: dict[str, Any] = {"@type": "Claim"}
    author = claim.speaker or thread.site
    if author:
        item["author"] = {"@type": "Person" if claim.speaker else "Organization", "name": author}
    if thread.article_url:
        appearance: dict[str, Any] = {"@type": "CreativeWork", "url": thread.article_url}
        if thread.title:
            appearance["headline"] = thread.title
        item["appearance"] = appearance
    if thread.published:
        item["datePublished"] = thread.published
    organisation: dict[str, Any] = {"@type": "Organization", "name": settings.organisation}
    if settings.organisation_url:
        organisation["url"] = settings.organisation_url
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim.text,
        "itemReviewed": item,
        "reviewRating": rating,
        "author": organisation,
        "datePublished": (claim.verdict_at or claim.updated_at).date().isoformat(),
    }
    review["url"] = f"{review_base(settings)}/fact-checks/{claim.ref}"
    return review


def review_base(settings: Settings) -> str:
    """Where the organisation's fact-checks live. Every review needs a URL (archives, Google's markup and
    factdesk's own import tell reviews apart by it); without FACTDESK_ORGANISATION_URL it is a stable,
    per-organisation address under the reserved `.invalid` domain, unique but clearly not a page."""
    if settings.organisation_url:
        return settings.organisation_url.rstrip("/")
    slug = re.sub(r"[^a-z0-9]+", "-", settings.organisation.lower()).strip("-") or "newsroom"
    return f"https://{slug}.factdesk.invalid"


def claim_reviews(
    claims: list[Claim], thread: TriageThread, scale: VerdictScale, settings: Settings
) -> list[dict[str, Any]]:
    return [
        claim_review(c, thread, scale, settings)
        for c in claims
        if c.status == "done" and scale.get(c.verdict)
    ]


def markdown(thread: TriageThread, claims: list[Claim], scale: VerdictScale) -> str:
    lines = [f"# Fact-check: {thread.title or thread.article_url or thread.ref}", ""]
    source = [f"Triage {thread.ref}", f"{thread.words:,} words", f"{thread.extractor_name} extractor"]
    if thread.article_url:
        source.insert(0, f"<{thread.article_url}>")
    lines += [" · ".join(source), ""]
    if thread.summary:
        lines += [f"**Sourcing:** {thread.summary}", ""]
    for claim in claims:
        verdict = scale.get(claim.verdict) if claim.status == "done" else None
        heading = f"## {claim.ref} — {verdict.label if verdict else status_label(claim.status)}"
        lines += [heading, "", f"> {claim.text}", ""]
        facts = [f"Kind: {claim.kind}", f"Check-worthiness: {claim.checkworthiness:.2f}"]
        if claim.speaker:
            facts.append(f"Speaker: {claim.speaker}")
        if claim.assignee:
            facts.append(f"Checker: @{claim.assignee_display or claim.assignee}")
        lines += [f"- {fact}" for fact in facts]
        if verdict:
            lines.append(f"- Verdict: **{verdict.label}** — {claim.explanation or ''}")
        if claim.status == "dismissed" and claim.dismiss_reason:
            lines.append(f"- Dismissed: {claim.dismiss_reason}")
        for note in claim.notes:
            lines.append(f"- Note from @{note.author_display or note.author}: {note.text}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def csv_text(thread: TriageThread, claims: list[Claim], scale: VerdictScale) -> str:
    """One row per claim; every cell quoted and none able to start a formula, as OWASP recommends."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for claim in claims:
        verdict = scale.get(claim.verdict) if claim.status == "done" else None
        row = {
            "ref": claim.ref,
            "thread": thread.ref,
            "article_url": thread.article_url or "",
            "article_title": thread.title or "",
            "claim": claim.text,
            "kind": claim.kind,
            "checkworthiness": f"{claim.checkworthiness:.2f}",
            "speaker": claim.speaker or "",
            "status": claim.status,
            "verdict": verdict.value if verdict else "",
            "rating_value": "" if verdict is None or verdict.rating_value is None else verdict.rating_value,
            "explanation": (claim.explanation or "") if verdict else "",
            "assignee": claim.assignee_display or claim.assignee or "",
            "due_at": claim.due_at.isoformat() if claim.due_at else "",
            "verdict_at": claim.verdict_at.isoformat() if claim.verdict_at and verdict else "",
        }
        writer.writerow({column: _inert(str(value)) for column, value in row.items()})
    return out.getvalue()


def _inert(cell: str) -> str:
    """The cell as text a spreadsheet shows, not runs: a leading apostrophe disarms a formula."""
    return "'" + cell if cell.lstrip(" ").startswith(_FORMULA_STARTS) else cell
