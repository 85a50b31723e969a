"""The embedded default extractor: deterministic, no model download, no network.

Claims come from the trained check-worthiness scorer plus explainable signals; attributions and
suspect names come from the deterministic checks. It also runs in LLM mode, as the base the model adds to.
"""

from __future__ import annotations

from bot.extract import pattern_cache
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
        names = default_checker().find_issues(text)
        pattern_cache.remember()  # every rule has been compiled by now
        return Extraction(claims=claims, attributions=attributions, names=names, sentences=len(sentences))
