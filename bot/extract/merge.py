"""Combine the model's findings with the deterministic checks, keeping track of which found what.

The rule-based attribution patterns (with the state-media list) and the gazetteer name check run in
every mode and are always kept: they are predictable and explainable. The model contributes the claims
and whatever attributions and names the rules did not already cover; an overlapping span means the same
finding, and the rule's version wins. The model picks which sentences are claims, the shared scorer ranks
them: a claim takes the calibrated score of the sentence it lies in, so both modes' cards rank and band
alike, and a claim in no scored sentence (page furniture, a heading, a headline the body repeats) is
dropped. A claim the model left unlinked is linked to an attribution inside it. Ids are reassigned in
article order so links stay consistent.
"""

from __future__ import annotations

from bot.models import Attribution, Claim, Extraction, NameIssue, Span


def _overlaps(span: Span, others: list[Attribution] | list[NameIssue]) -> Attribution | NameIssue | None:
    return next((other for other in others if min(span.end, other.end) > max(span.start, other.start)), None)


def _sentence_score(claim: Claim, scored: list[Claim]) -> float | None:
    """The shared scorer's calibrated score for the sentence(s) a model claim lies in; None outside them."""
    overlapping = [s.checkworthiness for s in scored if min(claim.end, s.end) > max(claim.start, s.start)]
    return max(overlapping) if overlapping else None


def merge(llm: Extraction, rules: Extraction) -> Extraction:
    """Rule attributions and gazetteer names, plus the model's claims (scored as the rules score their
    sentences, `rules.claims`) and its non-overlapping findings."""
    attributions = [a.model_copy() for a in rules.attributions]
    # Old ids are only unique within one extraction, so remember where each attribution ended up.
    llm_attribution_for: dict[str, Attribution] = {}
    for attribution in llm.attributions:
        same = _overlaps(attribution, attributions)
        if isinstance(same, Attribution):
            llm_attribution_for[attribution.id] = same
            continue
        copy = attribution.model_copy()
        attributions.append(copy)
        llm_attribution_for[attribution.id] = copy
    names = [n.model_copy() for n in rules.names]
    names += [n.model_copy() for n in llm.names if _overlaps(n, names) is None]

    claims: list[Claim] = []
    claim_attribution: dict[int, Attribution] = {}
    ranked = [
        (claim, score) for claim in llm.claims if (score := _sentence_score(claim, rules.claims)) is not None
    ]
    for claim, score in sorted(ranked, key=lambda pair: (-pair[1], -pair[0].checkworthiness)):
        if any(min(claim.end, kept.end) - max(claim.start, kept.start) > 0 for kept in claims):
            continue
        copy = claim.model_copy(
            update={"checkworthiness": score, "signals": [*claim.signals, f"llm:{claim.checkworthiness:.2f}"]}
        )
        if claim.attribution_id and claim.attribution_id in llm_attribution_for:
            claim_attribution[id(copy)] = llm_attribution_for[claim.attribution_id]
        claims.append(copy)

    attributions.sort(key=lambda a: a.start)
    for number, attribution in enumerate(attributions, start=1):
        attribution.id = f"A{number}"
    claims.sort(key=lambda c: c.start)
    for number, claim in enumerate(claims, start=1):
        claim.id = f"C{number}"
        linked = claim_attribution.get(id(claim)) or _overlaps(claim, attributions)
        claim.attribution_id = linked.id if linked else None
    names.sort(key=lambda n: n.start)
    return Extraction(
        claims=claims,
        attributions=attributions,
        names=names,
        sentences=max(llm.sentences, rules.sentences),
        notes=[*llm.notes, *rules.notes],
    )
