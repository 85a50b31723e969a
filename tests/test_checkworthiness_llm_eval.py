"""The LLM rows of the check-worthiness evaluation, against a loopback model with known answers."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.checkworthiness_eval import llm_rows
from bot.config import Settings
from tests.openai_server import Behaviour, OpenAIServer, RecordedRequest, answer

# (text, gold); the stand-in model claims every sentence with a digit, "Perhaps" ones below 0.5.
SENTENCES = [
    ("The city spent 40 million dollars on roads last year.", True),  # claimed: TP
    ("Our opponents have never cared about working families.", True),  # FN
    ("In 2019 the plant closed and everyone lost their jobs.", False),  # claimed: FP
    ("Thank you all for coming out tonight to hear us.", False),  # TN
    ("Unemployment fell to 3.5 percent under this administration.", True),  # claimed: TP
    ("Perhaps 12 of them will vote for the bill next week.", True),  # claimed at 0.3: FN
    ("I think that is a wonderful question, my friend.", False),  # TN
    ("Crime has doubled in every major city across the state.", True),  # FN
    ("Taxes went up 20 percent for the middle class.", True),  # claimed: TP
    ("We will win this election, believe me.", False),  # TN
]
BLOCK = 4  # three articles: sentences 0-3, 4-7 and 8-9


def digit_claims(request: RecordedRequest) -> Behaviour:
    claims = [
        {
            "quote": paragraph,
            "kind": "statistic",
            "checkworthiness": 0.3 if paragraph.startswith("Perhaps") else 0.9,
            "speaker": None,
            "attribution_quote": None,
        }
        for paragraph in request.user_article().split("\n\n")
        if any(ch.isdigit() for ch in paragraph)
    ]
    return answer({"claims": claims, "attributions": [], "names": []})


def junk_for_unemployment(request: RecordedRequest) -> Behaviour:
    if "Unemployment" in request.user_article():
        return answer("Sure! Here are the claims: none, really.")
    return digit_claims(request)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "CT24_checkworthy_english_test_gold.tsv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(["Sentence_id", "Text", "class_label"])
        for number, (text, gold) in enumerate(SENTENCES, start=100):
            writer.writerow([number, text, "Yes" if gold else "No"])
    return tmp_path


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("OPENAI_API_KEY", "test")
    yield Settings(
        llm_model="loopback-model", llm_timeout=5.0, database_url=f"sqlite:///{tmp_path / 'cache.db'}"
    )


def _serve(monkeypatch: pytest.MonkeyPatch, server: OpenAIServer) -> OpenAIServer:
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    return server


def _values(rows: list[dict]) -> dict[str, object]:
    return {row["metric"]: row["value"] for row in rows if row["split"] == "test_gold"}


def test_llm_precision_recall_f1_match_the_hand_count(settings, data_dir, monkeypatch) -> None:
    with _serve(monkeypatch, OpenAIServer(digit_claims)) as server:
        rows = llm_rows(settings, data_dir, ("test_gold",), block=BLOCK)
        assert len(server.requests) == 3
        # A rerun is answered from the database cache: no model call.
        assert llm_rows(settings, data_dir, ("test_gold",), block=BLOCK) == rows
        assert len(server.requests) == 3
    # TP = 0, 4, 8; FP = 2; FN = 1, 5 (scored 0.3), 7.
    assert _values(rows) == {
        "llm unscored sentences": 0,
        "llm precision (scored sentences)": 0.75,
        "llm recall (scored sentences)": 0.5,
        "llm F1 (scored sentences)": 0.6,
    }
    f1 = next(r for r in rows if r["metric"] == "llm F1 (scored sentences)")
    assert f1["target"] == ">= 0.70"
    model = next(r for r in rows if r["metric"] == "llm model")
    assert model["split"] == "-" and str(model["value"]).startswith("loopback-model@prompt-")


def test_a_block_answered_with_junk_is_unscored_not_fatal(settings, data_dir, monkeypatch, capsys) -> None:
    with _serve(monkeypatch, OpenAIServer(junk_for_unemployment)) as server:
        rows = llm_rows(settings, data_dir, ("test_gold",), block=BLOCK)
        asked = len(server.requests)
        # The failed block was not cached, so a rerun asks for it (answer and repair turn) and nothing else.
        llm_rows(settings, data_dir, ("test_gold",), block=BLOCK)
        assert len(server.requests) == asked + 2
    # Sentences 4-7 are unscored; of the rest, TP = 0, 8; FP = 2; FN = 1.
    values = _values(rows)
    assert values["llm unscored sentences"] == 4
    assert values["llm precision (scored sentences)"] == pytest.approx(2 / 3, abs=1e-4)
    assert values["llm recall (scored sentences)"] == pytest.approx(2 / 3, abs=1e-4)
    assert values["llm F1 (scored sentences)"] == pytest.approx(2 / 3, abs=1e-4)
    assert "sentences 4-7 unscored" in capsys.readouterr().err


def test_every_block_failing_leaves_only_the_unscored_count(settings, data_dir, monkeypatch) -> None:
    with _serve(monkeypatch, OpenAIServer(lambda request: answer("not json"))):
        rows = llm_rows(settings, data_dir, ("test_gold",), block=BLOCK)
    assert _values(rows) == {"llm unscored sentences": len(SENTENCES)}


def test_no_llm_rows_without_a_configured_model(data_dir, capsys) -> None:
    assert llm_rows(Settings(llm_model=None), data_dir, ("test_gold",)) == []
    err = capsys.readouterr().err
    assert "FACTDESK_LLM_MODEL" in err and "OPENAI_BASE_URL" in err
