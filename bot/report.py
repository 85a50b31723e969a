"""Assembling a TriageReport from an extraction: stable ids, ranking, the floor, and the summary."""

from __future__ import annotations

from bot.extract.summary import sourcing_summary
from bot.models import ArticleInfo, Extraction, ExtractorInfo, TriageReport
from bot.text.sentences import split_sentences

# A claim's check-worthiness is the calibrated probability that an editor assigns it for checking
# (bot/extract/model/CALIBRATION.md); below this an editor more likely than not passes it over, so it never
# reaches the card or storage.
CLAIM_FLOOR = 0.5


LEDE_SENTENCES = 3  # headline plus the first two sentences


def build_report(
    text: str,
    extraction: Extraction,
    article: ArticleInfo,
    extractor: ExtractorInfo,
    notes: list[str] | None = None,
) -> TriageReport:
    attributions = sorted(extraction.attributions, key=lambda a: (a.start, a.end))
    renamed: dict[str, str] = {}
    for i, attribution in enumerate(attributions, 1):
        if attribution.id:
            renamed[attribution.id] = f"a{i}"
        attribution.id = f"a{i}"
    claims = sorted(
        (c for c in extraction.claims if c.checkworthiness >= CLAIM_FLOOR),
        key=lambda c: (-c.checkworthiness, c.start),
    )
    for i, claim in enumerate(claims, 1):
        claim.id = f"c{i}"
        claim.attribution_id = renamed.get(claim.attribution_id or "")
    names = sorted(extraction.names, key=lambda n: n.start)
    return TriageReport(
        article=article,
        summary=sourcing_summary(
            attributions, lede_end=_lede_end(text), corrections={n.found: n.suggestion for n in names}
        ),
        claims=claims,
        attributions=attributions,
        names=names,
        extractor=extractor,
        sentences=extraction.sentences,
        notes=[*(notes or []), *extraction.notes],
    )


def _lede_end(text: str) -> int:
    sentences = split_sentences(text[:3000])[:LEDE_SENTENCES]
    return sentences[-1].end if sentences else 0
