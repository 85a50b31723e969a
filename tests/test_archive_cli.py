"""`factdesk archive` and `factdesk match` end to end: import, stats, the exact --jsonl batch contract,
a verdict exported by one desk imported by another, and bad input as one sentence."""

from __future__ import annotations

import json

import pytest

from adapters.cli import main
from bot.config import get_settings

FEED = {
    "@context": "https://schema.org",
    "@type": "DataFeed",
    "dataFeedElement": [
        {
            "@type": "DataFeedItem",
            "item": [
                {
                    "@type": "ClaimReview",
                    "url": f"https://fc.example/{slug}",
                    "claimReviewed": claim,
                    "reviewRating": {"@type": "Rating", "alternateName": rating},
                    "author": {"@type": "Organization", "name": publisher},
                    "datePublished": "2020-03-01",
                }
            ],
        }
        for slug, claim, rating, publisher in [
            ("masts", "5G phone masts spread the coronavirus", "False", "Full Fact"),
            ("moon", "The moon landing was staged in a film studio", "False", "Snopes"),
            ("garlic", "Eating garlic prevents infection with the new coronavirus", "Misleading", "AFP"),
            ("bridge", "The Golden Gate Bridge will close for good in 2030", "False", "PolitiFact"),
        ]
    ],
}


@pytest.fixture(autouse=True)
def fresh_database(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("FACTDESK_CLI_USER", "maria")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_stats_match_and_the_batch_contract(tmp_path, capsys, monkeypatch):
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps(FEED))
    code, out, err = run(capsys, "archive", "import", str(feed), "--source", "partners")
    assert code == 0 and "Imported 4 fact-check(s)" in out and err == ""
    assert run(capsys, "archive", "stats")[1].startswith("partners: 4 fact-check(s), newest 2020-03-01")

    queries = tmp_path / "q.jsonl"
    queries.write_text(
        json.dumps({"id": 7, "text": "Do 5G masts spread covid? https://t.co/x"})
        + "\n"
        + json.dumps({"id": "b", "text": "NASA staged the moon landing in a studio"})
        + "\n"
    )
    code, out, _ = run(capsys, "match", "--top", "2", "--jsonl", str(queries))
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [line["id"] for line in lines] == [7, "b"]
    for line, slug in zip(lines, ("masts", "moon"), strict=True):
        assert len(line["matches"]) == 2
        best = line["matches"][0]
        assert set(best) == {"url", "score", "claim", "rating", "source"}
        assert best["url"] == f"https://fc.example/{slug}"
        assert best["score"] > line["matches"][1]["score"]
    assert lines[0]["matches"][0]["source"] == "Full Fact" and lines[0]["matches"][0]["rating"] == "False"

    code, out, _ = run(capsys, "match", "--json", "garlic", "stops", "the", "coronavirus")
    assert code == 0 and json.loads(out)[0]["url"] == "https://fc.example/garlic"

    assert run(capsys, "archive", "remove", "--source", "partners")[1].startswith("Removed 4")
    code, out, _ = run(capsys, "match", "garlic")
    assert code == 0 and "No fact-check" in out


@pytest.mark.parametrize(
    ("organisation_url", "review_url"),
    [
        ("https://gazette.example", "https://gazette.example/fact-checks/C-42"),
        (None, "https://harbour-gazette.factdesk.invalid/fact-checks/C-42"),
    ],
)
def test_one_desks_claimreview_export_imports_into_another(
    tmp_path, capsys, monkeypatch, organisation_url, review_url
):
    """What `export T-1 claimreview` prints is a list of ClaimReviews that `archive import` reads back,
    with or without the organisation's own URL configured."""
    from bot.config import Settings
    from bot.desk.export import claim_review
    from bot.desk.verdicts import load_scale
    from storage.models import Claim, TriageThread

    thread = TriageThread(
        id=3, article_url="https://harbour.example/a", title="Budget", site="Harbour Gazette"
    )
    claim = Claim(
        id=42,
        text="The council approved a budget of $4.2 billion",
        status="done",
        verdict="false",
        explanation="Minutes say $3.9bn",
        kind="statistic",
        checkworthiness=0.9,
    )
    from datetime import UTC, datetime

    claim.verdict_at = claim.updated_at = datetime(2026, 11, 3, tzinfo=UTC)
    settings = Settings(organisation="Harbour Gazette", organisation_url=organisation_url)
    exported = tmp_path / "export.jsonld"
    exported.write_text(json.dumps([claim_review(claim, thread, load_scale(None), settings)]))
    code, out, err = run(capsys, "archive", "import", str(exported), "--source", "gazette")
    assert code == 0 and "Imported 1" in out and err == ""
    code, out, _ = run(capsys, "match", "--json", "council budget of 4.2 billion")
    [best, *_] = json.loads(out)
    assert best["url"] == review_url
    assert best["source"] == "Harbour Gazette" and best["rating"] == "False"


@pytest.mark.parametrize(
    ("argv", "sentence"),
    [
        (["archive", "import", "/nowhere/feed.json"], "There is no file at /nowhere/feed.json"),
        (["archive", "remove"], "Say which import to remove"),
        (["match"], "Give a claim to look up"),
        (["match", "--top", "0", "x"], "--top must be 1 or more."),
        (["match", "--jsonl", "/nowhere.jsonl"], "There is no file at /nowhere.jsonl"),
    ],
)
def test_bad_input_is_one_sentence(argv, sentence, capsys):
    code, _out, err = run(capsys, *argv)
    assert code == 2 and err.startswith(sentence) and "Traceback" not in err


def test_batch_lines_without_text_are_refused(tmp_path, capsys):
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"id": 1}\n')
    code, _, err = run(capsys, "match", "--jsonl", str(queries))
    assert code == 2 and err.strip() == 'Line 1 of the input needs an "id" and a "text" string.'
