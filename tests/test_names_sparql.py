"""`update_gazetteer` against a loopback server that answers in SPARQL's JSON results shape."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from bot.errors import UserFacingError
from bot.names import gazetteer as gz
from bot.names.checker import NameChecker
from bot.names.gazetteer import Gazetteer
from bot.names.sparql import QUERY_PATH, update_gazetteer

ENTITY = "http://www.wikidata.org/entity/"


def binding(qid: str, name: str, position: str, country: str, start: str, end: str | None = None) -> dict:
    row = {
        "person": {"type": "uri", "value": ENTITY + qid},
        "personLabel": {"type": "literal", "value": name, "xml:lang": "en"},
        "position": {"type": "uri", "value": ENTITY + "Q14211"},
        "positionLabel": {"type": "literal", "value": position, "xml:lang": "en"},
        "countryLabel": {"type": "literal", "value": country, "xml:lang": "en"},
        "start": {"type": "literal", "value": f"{start}-01-01T00:00:00Z"},
    }
    if end:
        row["end"] = {"type": "literal", "value": f"{end}-01-01T00:00:00Z"}
    return row


def sparql_json(rows: list[dict]) -> bytes:
    variables = ["person", "personLabel", "position", "positionLabel", "countryLabel", "start", "end"]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": rows}}).encode()


@dataclass
class Endpoint:
    url: str
    requests: list[dict] = field(default_factory=list)
    status: int = 200
    body: bytes = b""
    content_type: str = "application/sparql-results+json"
    delay: float = 0.0


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    state = Endpoint(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = parse_qs(self.rfile.read(length).decode())
            state.requests.append(
                {"accept": self.headers.get("Accept"), "agent": self.headers.get("User-Agent"), **form}
            )
            time.sleep(state.delay)
            try:
                self.send_response(state.status)
                self.send_header("Content-Type", state.content_type)
                self.send_header("Content-Length", str(len(state.body)))
                self.end_headers()
                self.wfile.write(state.body)
            except BrokenPipeError:  # the client gave up first (timeout test)
                pass

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def test_update_adds_new_holders_and_refreshes_known_ones(endpoint: Endpoint, tmp_path: Path):
    endpoint.body = sparql_json(
        [
            binding(
                "Q6383803", "Keir Starmer", "Prime Minister of the United Kingdom", "United Kingdom", "2024"
            ),
            binding("Q999999991", "Zorblat Quenbyson", "President of Ruritania", "Ruritania", "2026"),
            binding("Q999999992", "Тест Тестов", "President of Nowhere", "Nowhere", "2025"),
            binding(
                "Q999999993", "Hedda Gablerova", "Prime Minister of Ruritania", "Ruritania", "2019", "2023"
            ),
        ]
    )
    out = tmp_path / "gazetteer.json.gz"
    before = len(gz.load_file().people)

    count = update_gazetteer(endpoint.url, out_path=out, timeout=5)

    assert count == before + 2  # the Cyrillic-only label is skipped
    request = endpoint.requests[0]
    assert request["query"] == [QUERY_PATH.read_text(encoding="utf-8")]
    assert request["accept"] == "application/sparql-results+json"
    assert request["agent"].startswith("factdesk")
    written = gz.load_file(out)
    assert len(written.people) == count
    people = {p.qid: p for p in written.people if p.qid}
    new = people["Q999999991"]
    assert (new.name, new.role, new.country, new.rank) == (
        "Zorblat Quenbyson",
        "President of Ruritania (since 2026)",
        "Ruritania",
        1,
    )
    assert new.provenance[0].source == f"Wikidata SPARQL refresh ({endpoint.url})"
    assert new.provenance[0].licence == "CC0-1.0"
    assert people["Q999999993"].role == "Prime Minister of Ruritania (2019–2023)"
    starmer = people["Q6383803"]
    assert starmer.provenance[0].source.startswith("Wikidata SPARQL refresh")
    assert len(starmer.provenance) >= 2, "older provenance is kept"

    names = NameChecker(Gazetteer(written.people))
    issues = names.find_issues("A statement from Zorblat Quenbysson's office followed.")
    assert [(i.found, i.suggestion) for i in issues] == [("Zorblat Quenbysson", "Zorblat Quenbyson")]
    assert "President of Ruritania" in issues[0].evidence


def test_second_update_merges_into_the_written_file(endpoint: Endpoint, tmp_path: Path):
    out = tmp_path / "gazetteer.json"
    endpoint.body = sparql_json(
        [binding("Q999999991", "Zorblat Quenbyson", "President of Ruritania", "Ruritania", "2026")]
    )
    first = update_gazetteer(endpoint.url, out_path=out, timeout=5)
    endpoint.body = sparql_json(
        [binding("Q999999994", "Osra Elphberg", "President of Ruritania", "Ruritania", "2027")]
    )
    second = update_gazetteer(endpoint.url, out_path=out, timeout=5)
    assert second == first + 1
    assert {"Q999999991", "Q999999994"} <= {p.qid for p in gz.load_file(out).people}


@pytest.mark.parametrize(
    ("status", "body", "content_type", "message"),
    [
        (500, b"oops", "text/plain", "HTTP 500"),
        (429, b"slow down", "text/plain", "HTTP 429"),
        (200, b"<html>not json</html>", "text/html", "did not return SPARQL JSON results"),
        (200, b'{"head": {}, "boolean": true}', "application/json", "did not return SPARQL JSON results"),
        (200, sparql_json([]), "application/sparql-results+json", "returned no office holders"),
    ],
)
def test_bad_answers_are_one_sentence_and_write_nothing(
    endpoint: Endpoint, tmp_path: Path, status: int, body: bytes, content_type: str, message: str
):
    endpoint.status, endpoint.body, endpoint.content_type = status, body, content_type
    out = tmp_path / "gazetteer.json.gz"
    with pytest.raises(UserFacingError, match=message) as error:
        update_gazetteer(endpoint.url, out_path=out, timeout=5)
    assert error.value.sentence.endswith(".")
    assert not out.exists()


def test_timeout_is_reported(endpoint: Endpoint, tmp_path: Path):
    endpoint.delay = 1.0
    endpoint.body = sparql_json([])
    with pytest.raises(UserFacingError, match=r"did not answer within 0\.2 seconds"):
        update_gazetteer(endpoint.url, out_path=tmp_path / "g.json.gz", timeout=0.2)


def test_unreachable_endpoint_is_reported(tmp_path: Path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(UserFacingError, match="Could not reach the SPARQL endpoint"):
        update_gazetteer(f"http://127.0.0.1:{port}/sparql", out_path=tmp_path / "g.json.gz", timeout=2)


def test_shipped_query_asks_for_the_fields_the_parser_reads():
    query = QUERY_PATH.read_text(encoding="utf-8")
    for variable in ("?person", "?personLabel", "?positionLabel", "?countryLabel", "?start", "?end"):
        assert variable in query


def test_cli_names_update(endpoint: Endpoint, tmp_path: Path, capsys):
    from adapters.cli import main

    endpoint.body = sparql_json(
        [binding("Q999999991", "Zorblat Quenbyson", "President of Ruritania", "Ruritania", "2026")]
    )
    out = tmp_path / "gazetteer.json.gz"
    assert main(["names", "update", "--endpoint", endpoint.url, "--out", str(out)]) == 0
    assert "Gazetteer updated" in capsys.readouterr().out
    assert any(p.qid == "Q999999991" for p in gz.load_file(out).people)

    endpoint.status = 503
    assert main(["names", "update", "--endpoint", endpoint.url, "--out", str(tmp_path / "no.json.gz")]) == 2
    assert "Traceback" not in capsys.readouterr().err and not (tmp_path / "no.json.gz").exists()
