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
from bot.extract.side_process import beside, can_fork
from bot.models import Attribution, Extraction, ExtractorInfo, NameIssue, Span
from bot.names.checker import default_checker
from bot.text.sentences import split_sentences

OFFLINE_VERSION = "1.0"
# From about 4,000 words a child pays for its fork; shorter texts are done before it would have started.
SIDE_PROCESS_CHARS = 25_000


def _split(text: str) -> bool:
    """Whether a child takes the sources and names: a long text, in a process that may fork, and only once
    the compiled rules are cached, so that what the child compiles is never missing from the cache."""
    return len(text) >= SIDE_PROCESS_CHARS and bool(pattern_cache.loaded) and can_fork()


def _sources_and_names(text: str, sentences: list[Span]) -> tuple[list[Attribution], list[NameIssue]]:
    return find_attributions(text, sentences), default_checker().find_issues(text)


class OfflineExtractor:
    name = "offline"
    version = OFFLINE_VERSION

    @property
    def info(self) -> ExtractorInfo:
        return ExtractorInfo(name=self.name, version=self.version)

    def extract(self, text: str) -> Extraction:
        sentences = split_sentences(text)
        with beside(lambda: _sources_and_names(text, sentences), fork=_split(text)) as sources_and_names:
            claims = score_claims(text, sentences)
            attributions, names = sources_and_names()
        for i, attribution in enumerate(attributions, 1):
            attribution.id = f"a{i}"
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
        pattern_cache.remember()  # every rule has been compiled by now
        return Extraction(claims=claims, attributions=attributions, names=names, sentences=len(sentences))
