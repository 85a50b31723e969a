"""Refresh the gazetteer's heads of state and government from a Wikidata SPARQL endpoint.

`factdesk names update` calls `update_gazetteer`. The query ships beside this module (`data/query.rq`);
the endpoint is a parameter so tests can point it at a loopback server. New office holders are added,
known ones (matched by QID) get their current role first, and every touched entry records the refresh
in its provenance. Nothing is written unless the answer is well-formed and non-empty.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import httpx
from pydantic import BaseModel, ValidationError

from bot.errors import UserFacingError
from bot.names import gazetteer as gz
from bot.names.build import clean_name, span
from bot.names.checker import default_checker
from bot.names.gazetteer import GazetteerFile, PersonRecord, Provenance

QUERY_PATH = Path(__file__).parent / "data" / "query.rq"
WIKIDATA_ENDPOINT = "https://query.wikidata.org/sparql"
# Wikidata's policy asks for a descriptive User-Agent naming the tool.
USER_AGENT = "factdesk (newsroom fact-check triage; gazetteer refresh; +https://www.wikidata.org/wiki/Wikidata:Data_access)"
ENTITY_PREFIX = "http://www.wikidata.org/entity/"


class Term(BaseModel):
    value: str


class Results(BaseModel):
    bindings: list[dict[str, Term]]


class SparqlJson(BaseModel):
    """The SPARQL 1.1 Query Results JSON shape (only the parts we read)."""

    results: Results


class Holder(BaseModel):
    qid: str
    name: str
    role: str
    country: str | None
    current: bool


def _qid(term: Term | None) -> str | None:
    if term is None or not term.value.startswith(ENTITY_PREFIX):
        return None
    return term.value.removeprefix(ENTITY_PREFIX)


def holders(answer: SparqlJson) -> list[Holder]:
    """Usable office holders from the bindings; rows without a QID or a Latin-script label are skipped."""
    found = []
    for row in answer.results.bindings:
        qid = _qid(row.get("person"))
        label = row.get("personLabel")
        position = row.get("positionLabel")
        name = clean_name(label.value) if label else None
        if qid is None or name is None or position is None:
            continue
        start = row["start"].value[:4] if "start" in row else ""
        end = row["end"].value[:4] if "end" in row else ""
        country = row["countryLabel"].value if "countryLabel" in row else None
        role = f"{position.value} ({span(start, end)})"
        found.append(Holder(qid=qid, name=name, role=role, country=country, current=not end))
    # Current offices first, so a person's first role is the one they hold now.
    return sorted(found, key=lambda h: not h.current)


def fetch(endpoint: str, query: str, timeout: float) -> SparqlJson:
    headers = {"Accept": "application/sparql-results+json", "User-Agent": USER_AGENT}
    try:
        response = httpx.post(endpoint, data={"query": query}, headers=headers, timeout=timeout)
    except httpx.TimeoutException:
        raise UserFacingError(
            f"The SPARQL endpoint {endpoint} did not answer within {timeout:g} seconds."
        ) from None
    except httpx.HTTPError as error:
        raise UserFacingError(
            f"Could not reach the SPARQL endpoint {endpoint} ({type(error).__name__})."
        ) from None
    if response.status_code != 200:
        raise UserFacingError(
            f"The SPARQL endpoint {endpoint} answered HTTP {response.status_code}; the gazetteer was not changed."
        )
    try:
        return SparqlJson.model_validate_json(response.content)
    except ValidationError:
        raise UserFacingError(
            f"The SPARQL endpoint {endpoint} did not return SPARQL JSON results; the gazetteer was not changed."
        ) from None


def merge(base: GazetteerFile, found: list[Holder], provenance: Provenance) -> GazetteerFile:
    people = list(base.people)
    by_qid = {person.qid: person for person in people if person.qid}
    refreshed: set[str] = set()
    for holder in found:
        person = by_qid.get(holder.qid)
        if person is None:
            person = PersonRecord(
                name=holder.name,
                role=holder.role,
                country=holder.country,
                qid=holder.qid,
                rank=1 if holder.current else 2,
            )
            people.append(person)
            by_qid[holder.qid] = person
        elif holder.qid not in refreshed:
            if holder.name != person.name and holder.name not in person.aliases:
                person.aliases.append(holder.name)
            person.role = holder.role
            person.rank = min(person.rank, 1 if holder.current else 2)
        if holder.qid not in refreshed:
            person.provenance = [provenance, *(p for p in person.provenance if p.source != provenance.source)]
            refreshed.add(holder.qid)
    sources = [s for s in base.sources if not s.startswith("Wikidata SPARQL refresh")]
    sources.append(f"{provenance.source}, {provenance.date}, {provenance.licence}")
    return GazetteerFile(
        format=base.format,
        built=provenance.date,
        sources=sources,
        people=people,
        common_words=base.common_words,
    )


def update_gazetteer(endpoint: str, out_path: Path | None = None, timeout: float = 60) -> int:
    """Query the endpoint, merge the office holders into the gazetteer, write it; return the entry count."""
    target = out_path or gz.SHIPPED_PATH
    base_path = target if target.exists() else gz.SHIPPED_PATH
    query = QUERY_PATH.read_text(encoding="utf-8")
    found = holders(fetch(endpoint, query, timeout))
    if not found:
        raise UserFacingError(
            f"The SPARQL endpoint {endpoint} returned no office holders; the gazetteer was not changed."
        )
    today = date.today().isoformat()
    provenance = Provenance(source=f"Wikidata SPARQL refresh ({endpoint})", date=today, licence="CC0-1.0")
    updated = merge(gz.load_file(base_path), found, provenance)
    try:
        gz.write_file(updated, target)
    except OSError as error:
        raise UserFacingError(
            f"Could not write the gazetteer to {target} ({error.strerror or error})."
        ) from None
    default_checker.cache_clear()
    return len(updated.people)
