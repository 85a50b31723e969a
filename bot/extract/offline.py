"""The embedded default extractor: deterministic, no model download, no network.

Claims come from the trained check-worthiness scorer plus explainable signals; attributions and
suspect names come from the deterministic checks that also run beside the LLM extractor.
"""

from __future__ import annotations

from bot.extract.attributions import (
    attribution_for_sentence,
    find_attributions,
    weakest_attribution_for_sentence,
)
from bot.extract.claims import score_claims
from bot.models import Extraction, ExtractorInfo
from bot.names.checker import default_checker
from bot.text.sentences import split_sentences

OFFLINE_VERSION = "1.0"


def rule_findings(text: str) -> Extraction:
    """The deterministic checks: attribution patterns with the outlet list, the name gazetteer, and every
    sentence scored as the offline card scores it (what ranks another extractor's claims)."""
    sentences = split_sentences(text)
    return Extraction(
        claims=score_claims(text, sentences),
        attributions=find_attributions(text, sentences),
        names=default_checker().find_issues(text),
        sentences=len(sentences),
    )


class OfflineExtractor:
    name = "offline"
    version = OFFLINE_VERSION

    @property
    def info(self) -> ExtractorInfo:
        return ExtractorInfo(name=self.name, version=self.version)

    def extract(self, text: str) -> Extraction:
        sentences = split_sentences(text)
        attributions = find_attributions(text, sentences)
        for i, attribution in enumerate(attributions, 1):
            attribution.id = f"a{i}"
        claims = score_claims(text, sentences)
        # A claim names who said it (the speaker) and links to its weakest sourcing link, so the card can
        # say "Starmer, via RIA Novosti".
        speakers = attribution_for_sentence(text, sentences, attributions)
        weakest = weakest_attribution_for_sentence(text, sentences, attributions)
        sentence_at = {s.start: i for i, s in enumerate(sentences)}
        for claim in claims:
            index = sentence_at.get(claim.start)
            if index is None:
                continue
            if speakers[index] is not None:
                claim.speaker = attributions[speakers[index]].source
            link = weakest[index] if weakest[index] is not None else speakers[index]
            if link is not None:
                claim.attribution_id = attributions[link].id
        return Extraction(
            claims=claims,
            attributions=attributions,
            names=default_checker().find_issues(text),
            sentences=len(sentences),
        )
