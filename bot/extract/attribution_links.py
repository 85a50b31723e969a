"""Which attribution each sentence rests on: its speaker for the claim line, its weakest link for the
"via" note, and the sentences that carry on the previous one's source ("He added ...")."""

from __future__ import annotations

from collections.abc import Callable

from bot.extract import attribution_patterns as P
from bot.models import Attribution, AttributionKind, Span, Strength
from bot.text.typography import fold_typography

_STRENGTH_RANK = {Strength.weak: 0, Strength.moderate: 1, Strength.strong: 2}


# Kinds that name who spoke, as opposed to the channel it came through (outlet, setting, hedge).
_SPEAKER_KINDS = frozenset(
    {
        AttributionKind.named_person,
        AttributionKind.named_organisation,
        AttributionKind.unnamed_official,
        AttributionKind.anonymous,
        AttributionKind.vague_collective,
    }
)


def _per_sentence(sentences: list[Span], attributions: list[Attribution]) -> list[list[int]]:
    inside: list[list[int]] = [[] for _ in sentences]
    starts = [s.start for s in sentences]
    for index, att in enumerate(attributions):
        lo, hi = 0, len(starts)
        while lo < hi:  # the last sentence starting at or before the attribution
            mid = (lo + hi) // 2
            if starts[mid] <= att.start:
                lo = mid + 1
            else:
                hi = mid
        if lo and att.start < sentences[lo - 1].end:
            inside[lo - 1].append(index)
    return inside


def _continues_previous(text: str, sentence: Span) -> bool:
    """A sentence that is all quote, or whose subject points back ("He added", "The ministry warned")."""
    head = fold_typography(text[sentence.start : sentence.start + 80])
    return head[:1] in "\"'" or bool(P.PRONOUN_SUBJECT.match(head))


def _assign(
    text: str, sentences: list[Span], attributions: list[Attribution], pick: Callable[[list[int]], int]
) -> list[int | None]:
    covering: list[int | None] = []
    for i, indices in enumerate(_per_sentence(sentences, attributions)):
        if indices:
            covering.append(pick(indices))
        elif i and covering[i - 1] is not None and _continues_previous(text, sentences[i]):
            covering.append(covering[i - 1])
        else:
            covering.append(None)
    return covering


def attribution_for_sentence(
    text: str, sentences: list[Span], attributions: list[Attribution]
) -> list[int | None]:
    """For each sentence, the index of the attribution naming who said it (None if nobody).

    A sentence's own speaker wins (a named person over the outlet that relayed them); a quote
    sentence or "He added ..." right after an attributed sentence belongs to the same source.
    """

    def speaker(indices: list[int]) -> int:
        speakers = [i for i in indices if attributions[i].kind in _SPEAKER_KINDS]
        return (speakers or indices)[0]

    return _assign(text, sentences, attributions, speaker)


def weakest_attribution_for_sentence(
    text: str, sentences: list[Span], attributions: list[Attribution]
) -> list[int | None]:
    """For each sentence, the index of its weakest sourcing link (the outlet, setting or hedge that
    relays a named speaker), so a card can say "Starmer, via RIA Novosti"."""

    def weakest(indices: list[int]) -> int:
        return min(indices, key=lambda i: (_STRENGTH_RANK[attributions[i].strength], i))

    return _assign(text, sentences, attributions, weakest)


def sentence_speakers(text: str, sentences: list[Span], attributions: list[Attribution]) -> dict[int, str]:
    """Sentence index -> who said it, for the sentences that have a source."""
    covering = attribution_for_sentence(text, sentences, attributions)
    return {i: attributions[a].source for i, a in enumerate(covering) if a is not None}
