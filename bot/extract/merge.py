"""Combine the model's findings with the offline extraction so LLM mode is never worse than offline.

The offline extraction (claims, rule attributions, gazetteer names) always runs and is always kept. The
model adds what it found beyond it, and may change a kept finding only in ways that cannot lose anything:

- a claim the model also found may take the model's kind, when the claim's words support that kind;
  its check-worthiness moves halfway towards the model's, but never across a line the card draws (the
  floor below which a claim is not shown, the must-check line), so a must-check claim stays one, a shown
  claim stays shown, and framing stays low;
- one exception per article, so a better model can recover a must-check claim offline just missed: the
  near miss (offline's score 0.3 to 0.5, an editor would assign it a third of the time or more) the model
  is surest of (0.8 or more, and the words show the kind it gives) is lifted to the must-check line, the
  lowest score a flagged claim has; a bad model can so cost at most one flagged sentence per article;
- a sentence offline does not score at all (a caption, a question, a byline) is added below that line:
  in the extraction, never on the card;
- a rule attribution or gazetteer name the model read the same way is marked confirmed, one it read
  differently is marked questioned; the rule's own finding is kept unchanged;
- an empty speaker or attribution link may be filled from the model.

Every claim field the model set is named in the claim's `field_origins`; every rule attribution and
gazetteer name the model read carries its `model_view`. The merge depends only on its inputs (sorted by
position, ties broken by text), so the same answers always give the same card. Ids are reassigned in
article order so links stay consistent.
"""

from __future__ import annotations

from bot.extract.llm.fields import kind_is_grounded
from bot.models import Attribution, Claim, ClaimKind, Extraction, ModelView, NameIssue, Origin, Span
from bot.names.gazetteer import fold
from bot.report import CLAIM_FLOOR

MUST_CHECK = 0.5  # the line the seed check and the card's "must check" use
# Lines the card draws: below the floor a claim is not shown; from MUST_CHECK on it must be checked.
_BANDS = ((0.0, CLAIM_FLOOR), (CLAIM_FLOOR, MUST_CHECK), (MUST_CHECK, 1.0))
_BELOW_MUST = 0.49
NEAR_MISS = 0.3  # offline scores from here up to MUST_CHECK may be lifted by a sure model (one per article)
SURE = 0.8


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _same_claim(a: Span, b: Span) -> bool:
    return _overlap(a, b) * 2 >= min(len(a.text), len(b.text))


def _rescored(offline: float, model: float) -> float:
    """Halfway towards the model, inside the band offline's score is in, so no card line is crossed."""
    low, high = next((low, high) for low, high in reversed(_BANDS) if offline >= low)
    ceiling = high if high == 1.0 else high - 0.01
    return round(min(ceiling, max(low, (offline + model) / 2)), 3)


def _by_position(items: list[Claim] | list[Attribution] | list[NameIssue]) -> list:
    return sorted(items, key=lambda item: (item.start, item.end, item.text))


def merge(llm: Extraction, offline: Extraction) -> Extraction:
    """The offline extraction, confirmed, questioned and extended by the model's grounded findings."""
    attributions, attribution_for = _merge_attributions(llm.attributions, offline.attributions)
    claims, linked_to = _merge_claims(llm.claims, offline.claims, attribution_for)
    names = _merge_names(llm.names, offline.names)

    attributions.sort(key=lambda a: (a.start, a.end))
    for number, attribution in enumerate(attributions, start=1):
        attribution.id = f"A{number}"
    claims.sort(key=lambda c: (c.start, c.end))
    for number, claim in enumerate(claims, start=1):
        claim.id = f"C{number}"
        target = linked_to.get(id(claim))
        claim.attribution_id = target.id if target else None
    names.sort(key=lambda n: (n.start, n.end))
    return Extraction(
        claims=claims,
        attributions=attributions,
        names=names,
        sentences=max(llm.sentences, offline.sentences),
        notes=[*llm.notes, *offline.notes],
    )


def _merge_attributions(
    model: list[Attribution], rules: list[Attribution]
) -> tuple[list[Attribution], dict[tuple[str, str], Attribution]]:
    """Rule attributions (confirmed or questioned by the model) plus the model's non-overlapping ones;
    and where each input id ended up, so claim links survive the renumbering."""
    kept = [a.model_copy() for a in rules]
    ending: dict[tuple[str, str], Attribution] = {}
    for original, copy in zip(rules, kept, strict=True):
        ending[("offline", original.id)] = copy
    for given in _by_position(model):
        same = next((a for a in kept if _overlap(a, given)), None)
        if same is None:
            copy = given.model_copy()
            kept.append(copy)
            ending[("llm", given.id)] = copy
            continue
        ending[("llm", given.id)] = same
        if same.origin is not Origin.llm and same.model_view is None:
            same.model_view = ModelView.confirmed if given.strength is same.strength else ModelView.questioned
    return kept, ending


def _merge_claims(
    model: list[Claim], offline: list[Claim], attribution_for: dict[tuple[str, str], Attribution]
) -> tuple[list[Claim], dict[int, Attribution]]:
    kept = [c.model_copy(deep=True) for c in offline]
    linked_to: dict[int, Attribution] = {}
    updated: dict[int, tuple[float, Claim]] = {}  # id of a kept claim -> (offline's score, the model's claim)
    for original, copy in zip(offline, kept, strict=True):
        if original.attribution_id and ("offline", original.attribution_id) in attribution_for:
            linked_to[id(copy)] = attribution_for[("offline", original.attribution_id)]
    for given in _by_position(model):
        model_link = attribution_for.get(("llm", given.attribution_id or ""))
        same = next((c for c in kept if _same_claim(c, given)), None)
        if same is None:
            added = given.model_copy(deep=True)
            added.checkworthiness = min(_BELOW_MUST, given.checkworthiness)
            if not kind_is_grounded(added.kind, added.text):
                added.kind = ClaimKind.other
            kept.append(added)
            if model_link is not None:
                linked_to[id(added)] = model_link
            continue
        if same.origin is Origin.llm or id(same) in updated:
            continue  # two model claims for one sentence: the first (in article order) stands
        updated[id(same)] = (same.checkworthiness, given)
        _update(same, given, model_link, linked_to)
    _lift_one_near_miss(kept, updated)
    return kept, linked_to


def _lift_one_near_miss(kept: list[Claim], updated: dict[int, tuple[float, Claim]]) -> None:
    """Flag the near miss the model is surest of, when its words show the kind the model gives."""
    candidates = [
        (given.checkworthiness, score, -claim.start, claim)
        for claim in kept
        if id(claim) in updated
        for score, given in [updated[id(claim)]]
        if NEAR_MISS <= score < MUST_CHECK
        and given.checkworthiness >= SURE
        and given.kind is not ClaimKind.other
        and kind_is_grounded(given.kind, claim.text)
    ]
    if candidates:
        claim = max(candidates, key=lambda c: c[:3])[3]
        claim.checkworthiness = MUST_CHECK
        claim.field_origins["checkworthiness"] = Origin.llm


def _update(
    claim: Claim, given: Claim, model_link: Attribution | None, linked_to: dict[int, Attribution]
) -> None:
    """What the model may change on an offline claim, each change recorded in `field_origins`."""
    if given.kind is not claim.kind and kind_is_grounded(given.kind, claim.text):
        claim.kind = given.kind
        claim.field_origins["kind"] = Origin.llm
    score = _rescored(claim.checkworthiness, given.checkworthiness)
    if score != claim.checkworthiness:
        claim.checkworthiness = score
        claim.field_origins["checkworthiness"] = Origin.llm
    if claim.speaker is None and given.speaker is not None:
        claim.speaker = given.speaker
        claim.field_origins["speaker"] = Origin.llm
    if id(claim) not in linked_to and model_link is not None:
        linked_to[id(claim)] = model_link
        claim.field_origins["attribution_id"] = Origin.llm


def _merge_names(model: list[NameIssue], gazetteer: list[NameIssue]) -> list[NameIssue]:
    kept = [n.model_copy() for n in gazetteer]
    for given in _by_position(model):
        same = next((n for n in kept if _overlap(n, given)), None)
        if same is None:
            kept.append(given.model_copy())
        elif same.origin is not Origin.llm and same.model_view is None:
            agrees = fold(same.suggestion) == fold(given.suggestion)
            same.model_view = ModelView.confirmed if agrees else ModelView.questioned
    return kept
