"""LLM mode is never worse than offline: the offline extraction is the base, the model adds, re-scores
within bounds, types where the words agree, confirms or questions; the merge is deterministic and says
where every field came from."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

import pytest

from adapters.cli import main
from bot.config import get_settings
from bot.extract.llm.fields import kind_is_grounded
from bot.extract.merge import MUST_CHECK, merge
from bot.models import (
    Attribution,
    AttributionKind,
    Claim,
    ClaimKind,
    Extraction,
    ModelView,
    NameIssue,
    Origin,
    Strength,
)
from tests.openai_server import Behaviour, OpenAIServer, RecordedRequest, answer
from tests.shared_data import SEED, SEED_CLAIMS, SEED_FRAMING, SEED_WEAK, fold, require

TEXT = (
    "The regional airport handled 2.1 million passengers in 2023, its operator said. "
    "The move sparked debate. A spokesperson for the operator, who declined to be named, said a second "
    "runway was under study. Kir Starmer visited the site."
)


def _span(phrase: str) -> dict[str, Any]:
    start = TEXT.index(phrase)
    return {"text": phrase, "start": start, "end": start + len(phrase)}


def _offline() -> Extraction:
    operator = Attribution(
        **_span("its operator said"),
        id="a1",
        source="its operator",
        kind=AttributionKind.named_organisation,
        strength=Strength.moderate,
        reason="named institution, no named person",
    )
    anonymous = Attribution(
        **_span("A spokesperson for the operator, who declined to be named"),
        id="a2",
        source="A spokesperson",
        kind=AttributionKind.anonymous,
        strength=Strength.weak,
        reason="anonymous source",
    )
    passengers = Claim(
        **_span("The regional airport handled 2.1 million passengers in 2023, its operator said."),
        checkworthiness=0.8,
        kind=ClaimKind.event,
        attribution_id="a1",
    )
    framing = Claim(**_span("The move sparked debate."), checkworthiness=0.2)
    starmer = NameIssue(
        **_span("Kir Starmer"), found="Kir Starmer", suggestion="Keir Starmer", confidence=0.9, evidence="g"
    )
    return Extraction(
        claims=[passengers, framing], attributions=[operator, anonymous], names=[starmer], sentences=4
    )


def _model() -> Extraction:
    same_anonymous = Attribution(
        **_span("A spokesperson for the operator"),
        id="A1",
        source="A spokesperson",
        kind=AttributionKind.named_organisation,
        strength=Strength.moderate,
        reason="named institution, no named person",
        origin=Origin.llm,
    )
    same_operator = Attribution(
        **_span("operator said"),
        id="A2",
        source="operator",
        kind=AttributionKind.named_organisation,
        strength=Strength.moderate,
        reason="named institution, no named person",
        origin=Origin.llm,
    )
    runway = Claim(
        **_span("a second runway was under study"),
        checkworthiness=0.95,
        kind=ClaimKind.statistic,  # no number: not believed
        speaker="A spokesperson",
        attribution_id="A1",
        origin=Origin.llm,
    )
    passengers = Claim(
        **_span("The regional airport handled 2.1 million passengers in 2023"),
        checkworthiness=0.1,  # a weak model demoting a must-check claim
        kind=ClaimKind.statistic,
        origin=Origin.llm,
    )
    framing = Claim(**_span("The move sparked debate."), checkworthiness=1.0, origin=Origin.llm)
    starmer = NameIssue(
        **_span("Kir Starmer"),
        found="Kir Starmer",
        suggestion="Keir Starmer",
        confidence=0.8,
        evidence="m",
        origin=Origin.llm,
    )
    return Extraction(
        claims=[runway, passengers, framing],
        attributions=[same_anonymous, same_operator],
        names=[starmer],
        sentences=4,
        notes=["1 model finding could not be found in the article and was dropped"],
    )


def test_offline_findings_are_kept_and_the_model_adds_below_the_must_check_line() -> None:
    merged = merge(_model(), _offline())
    by_text = {c.text: c for c in merged.claims}
    passengers = by_text["The regional airport handled 2.1 million passengers in 2023, its operator said."]
    assert passengers.origin is Origin.offline and passengers.checkworthiness >= MUST_CHECK
    assert by_text["The move sparked debate."].checkworthiness < MUST_CHECK
    runway = by_text["a second runway was under study"]
    assert runway.origin is Origin.llm and runway.checkworthiness < MUST_CHECK
    assert runway.kind is ClaimKind.other, "a statistic without a number is not believed"
    assert [a.origin for a in merged.attributions] == [Origin.rules, Origin.rules]
    assert merged.notes == _model().notes


def test_every_field_the_model_set_is_named() -> None:
    merged = merge(_model(), _offline())
    passengers = merged.claims[0]
    assert passengers.kind is ClaimKind.statistic
    assert passengers.checkworthiness == pytest.approx(MUST_CHECK)  # halfway to 0.1, held at the line
    assert passengers.field_origins == {"kind": Origin.llm, "checkworthiness": Origin.llm}
    framing = next(c for c in merged.claims if c.text == "The move sparked debate.")
    assert framing.field_origins == {"checkworthiness": Origin.llm} and framing.kind is ClaimKind.other


def test_rule_findings_are_confirmed_or_questioned_never_replaced() -> None:
    merged = merge(_model(), _offline())
    operator, anonymous = merged.attributions
    assert operator.model_view is ModelView.confirmed
    assert anonymous.model_view is ModelView.questioned
    assert anonymous.strength is Strength.weak and anonymous.reason == "anonymous source"
    [name] = merged.names
    assert name.origin is Origin.gazetteer and name.model_view is ModelView.confirmed


def test_links_survive_renumbering() -> None:
    merged = merge(_model(), _offline())
    by_id = {a.id: a for a in merged.attributions}
    passengers, runway = merged.claims[0], merged.claims[2]
    assert by_id[passengers.attribution_id].text == "its operator said"
    assert by_id[runway.attribution_id].kind is AttributionKind.anonymous
    assert [a.id for a in merged.attributions] == ["A1", "A2"]
    assert [c.id for c in merged.claims] == ["C1", "C2", "C3"]


def test_the_merge_is_deterministic_whatever_order_the_model_answered_in() -> None:
    expected = merge(_model(), _offline())
    for seed in range(5):
        model = _model()
        random.Random(seed).shuffle(model.claims)
        random.Random(seed).shuffle(model.attributions)
        assert merge(model, _offline()) == expected


# -- the seed article through the real triage service, with a hostile model -----------------------


@pytest.fixture
def hostile_model(tmp_path, monkeypatch) -> Iterator[OpenAIServer]:
    """A model that rates every sentence the opposite of what it is and types everything a statistic."""

    def opposite(request: RecordedRequest) -> Behaviour:
        article = request.user_article()
        sentences = [s.strip() for s in article.replace("\n", " ").split(". ") if len(s.split()) > 4]
        claims = [
            {
                "quote": s,
                "kind": "statistic",
                "checkworthiness": 1.0 if any(f in fold(s) for f in SEED_FRAMING) else 0.0,
                "speaker": "a university spokesperson",
                "attribution_quote": None,
            }
            for s in sentences[:12]
        ]
        return answer({"claims": claims, "attributions": [], "names": []})

    with OpenAIServer(responder=opposite) as server:
        monkeypatch.setenv("FACTDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'llm.db'}")
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "test")
        monkeypatch.setenv("FACTDESK_LLM_MODEL", "hostile-model")
        get_settings.cache_clear()
        yield server
        get_settings.cache_clear()


def _triage(capsys, *argv: str) -> dict:
    assert main(["triage", "--json", "--no-store", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_hostile_model_cannot_make_the_seed_card_worse_than_offline(hostile_model, capsys) -> None:
    seed = str(require(SEED))
    llm = _triage(capsys, "--extractor", "llm", seed)
    offline = _triage(capsys, "--extractor", "offline", seed)
    assert llm["extractor"]["name"] == "llm" and hostile_model.requests
    for phrase in SEED_CLAIMS:
        assert max(c["checkworthiness"] for c in llm["claims"] if phrase in fold(c["text"])) >= MUST_CHECK
    for phrase in SEED_FRAMING:
        assert all(c["checkworthiness"] < MUST_CHECK for c in llm["claims"] if phrase in fold(c["text"]))
    for phrase in SEED_WEAK:
        assert any(phrase in fold(a["text"]) and a["strength"] == "weak" for a in llm["attributions"])
    assert [(n["found"], n["suggestion"]) for n in llm["names"]] == [
        (n["found"], n["suggestion"]) for n in offline["names"]
    ]
    offline_spans = {(c["start"], c["end"]) for c in offline["claims"]}
    assert offline_spans <= {(c["start"], c["end"]) for c in llm["claims"]}
    assert not any(c["speaker"] == "a university spokesperson" for c in llm["claims"])
    typed = [c for c in llm["claims"] if c["field_origins"].get("kind") == "llm"]
    assert all(kind_is_grounded(ClaimKind.statistic, c["text"]) for c in typed)
    assert any(not kind_is_grounded(ClaimKind.statistic, c["text"]) for c in llm["claims"])


def test_a_sure_model_lifts_one_near_miss_per_article_to_the_must_check_line() -> None:
    text = "Fares rose 12% in May. The mayor opened a depot. Officials met on Monday. The mood was grim."

    def claim(sentence: str, score: float, kind: ClaimKind, origin: Origin = Origin.offline) -> Claim:
        start = text.index(sentence)
        return Claim(
            text=sentence,
            start=start,
            end=start + len(sentence),
            checkworthiness=score,
            kind=kind,
            origin=origin,
        )

    offline = Extraction(
        claims=[
            claim("Fares rose 12% in May.", 0.35, ClaimKind.statistic),
            claim("The mayor opened a depot.", 0.45, ClaimKind.event),
            claim("Officials met on Monday.", 0.2, ClaimKind.event),
            claim("The mood was grim.", 0.4, ClaimKind.other),
        ],
        sentences=4,
    )
    sure = [
        claim("Fares rose 12% in May.", 0.95, ClaimKind.statistic, Origin.llm),
        claim("The mayor opened a depot.", 0.9, ClaimKind.statistic, Origin.llm),  # no number: not believed
        claim(
            "Officials met on Monday.", 1.0, ClaimKind.event, Origin.llm
        ),  # offline far below: not a near miss
        claim("The mood was grim.", 1.0, ClaimKind.other, Origin.llm),  # no kind a claim is checked for
    ]
    merged = {c.text: c for c in merge(Extraction(claims=sure, sentences=4), offline).claims}
    assert merged["Fares rose 12% in May."].checkworthiness == MUST_CHECK
    assert merged["Fares rose 12% in May."].field_origins == {"checkworthiness": Origin.llm}
    assert [c.text for c in merged.values() if c.checkworthiness >= MUST_CHECK] == ["Fares rose 12% in May."]

    # Two near misses the model is equally sure of: only one is lifted, the one offline scored higher.
    equally_sure = [c.model_copy(update={"checkworthiness": 0.95, "kind": ClaimKind.event}) for c in sure[:2]]
    merged = {c.text: c for c in merge(Extraction(claims=equally_sure, sentences=4), offline).claims}
    flagged = [c.text for c in merged.values() if c.checkworthiness >= MUST_CHECK]
    assert flagged == ["The mayor opened a depot."]
