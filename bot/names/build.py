"""Build the shipped gazetteer index from dated public sources: `python -m bot.names.build [--shared DIR] [--out PATH]`.

Inputs (read-only, in the shared data folder): world leaders from Wikidata (2024-10-23) and Wikipedia
(2022-10), 6,818 ministers and office holders of 29 countries (Wikidata via EveryPolitician, mid-2022),
19,821 famous people of every field (Pantheon 1.0 and the BHHT notable-people list, `famous-people`),
plus `data/extra_people.csv`, the hand-curated people those lack (each row names its source).
People are merged by Wikidata QID; every entry keeps the provenance of each source that named it.
The output is the packed index the checker opens lazily (`gazetteer.idx`, see `bot.names.gazetteer`).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.names.gazetteer import (
    FAMOUS_RANK,
    FORMAT_VERSION,
    SHIPPED_PATH,
    GazetteerFile,
    PersonRecord,
    Provenance,
    fold,
    write_file,
)

EXTRA_PATH = Path(__file__).parent / "data" / "extra_people.csv"

WIKIDATA_LEADERS = Provenance(
    source="Wikidata heads of state and government (every-politician-scrapers/world-leaders-2021 @85a3881)",
    date="2024-10-23",
    licence="CC0-1.0",
)
WIKIPEDIA_LEADERS = Provenance(
    source="Wikipedia, List of state leaders in 2022 (every-politician-scrapers/world-leaders-2021 @85a3881)",
    date="2022-10",
    licence="CC BY-SA 3.0",
)

PANTHEON = Provenance(
    source="Pantheon 1.0 (Yu et al. 2016, doi:10.7910/DVN/28201), via shared famous-people",
    date="2013",
    licence="CC BY-SA 4.0",
)
BHHT = Provenance(
    source="BHHT notable people, top list (Laouenan et al. 2022, doi:10.21410/7E4/RDAG3O), via shared famous-people",
    date="2018",
    licence="facts from Wikidata (CC0) and Wikipedia; CC BY-SA 4.0 as part of famous-people",
)
FAMOUS_MIN_LANGUAGES = 28
FAMOUS_MAX_RANK = 2_500
# Plain English text, for the words a capitalised word may be rather than a name (not news: the name
# benchmarks run on news). Files in the shared datasets folder, with the column that holds the text.
COMMON_WORD_SOURCES = (
    ("wikiweasel-uncertainty/wikiweasel_train.csv", "text"),
    ("claimbuster-utaresearch/claimbuster_2xNCS.jsonl", "text"),
    ("checkthat2024-en/CT24_checkworthy_english_train.tsv", "Text"),
)
COMMON_WORD_MIN_USES = 2
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]{3,}(?![\w'’-])")
# A field of work for people the source gives only a coarse domain.
_DOMAIN_ROLES = {
    "leadership": "leader",
    "culture": "artist or writer",
    "sports": "athlete",
    "science": "scientist",
    "business_law": "business or law",
    "public_figure": "public figure",
}

_DISAMBIGUATOR = re.compile(r"\s*\([^)]*\)\s*$")
_HONORIFIC = re.compile(r"^(?:Dr\.?|Prof\.?|Eng\.|Engr\.?|Hon\.?|Senator|Police Gen\.|Marshal|Sir|Dame)\s+")
_BARE_QID = re.compile(r"^Q\d+$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")
# Labels that name a rank, not an office, make poor evidence lines.
_ROLE_HINT = re.compile(
    r"Minister|Secretary|President|Premier|Chancellor|Speaker|Governor|Attorney|Leader|King|Queen"
)


def default_shared_dir() -> Path:
    configured = os.environ.get("FACTDESK_SHARED_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parents[2].parent / "shared"


def clean_name(raw: str) -> str | None:
    """The label as a person is named in print, or None when it is not a usable Latin-script name."""
    name = _HONORIFIC.sub("", _DISAMBIGUATOR.sub("", raw.strip())).strip()
    if not name or _BARE_QID.match(name) or any(ch.isdigit() for ch in name):
        return None
    letters = [ch for ch in name if ch.isalpha()]
    if not letters or any("LATIN" not in unicodedata.name(ch, "") for ch in letters):
        return None
    return name


def span(start: str, end: str) -> str:
    start, end = start[:4], end[:4]
    if end:
        return f"{start}–{end}" if start and start != end else end
    return f"since {start}" if start else "in office"


@dataclass
class Draft:
    """A person being assembled from several sources."""

    name: str
    qid: str | None
    country: str | None
    rank: int
    suggest: bool = True
    roles: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    provenance: list[Provenance] = field(default_factory=list)

    def add(self, name: str, role: str, provenance: Provenance, rank: int) -> None:
        if fold(name) != fold(self.name) and name not in self.aliases:
            self.aliases.append(name)
        if role and role not in self.roles:
            self.roles.append(role)
        if provenance not in self.provenance:
            self.provenance.append(provenance)
        self.rank = min(self.rank, rank)

    def record(self) -> PersonRecord:
        return PersonRecord(
            name=self.name,
            aliases=self.aliases,
            role=self.roles[0] if self.roles else "",
            country=self.country,
            qid=self.qid,
            suggest=self.suggest,
            rank=self.rank,
            provenance=self.provenance,
        )


class Builder:
    """Merges rows into one draft per person: by QID, else by folded name within a country."""

    def __init__(self) -> None:
        self.drafts: dict[str, Draft] = {}

    def _key(self, qid: str | None, name: str, country: str | None) -> str:
        return qid or f"{country}|{fold(name)}"

    def add(
        self,
        name: str,
        qid: str | None,
        country: str | None,
        role: str,
        provenance: Provenance,
        rank: int,
        suggest: bool = True,
    ) -> Draft:
        key = self._key(qid, name, country)
        draft = self.drafts.get(key)
        if draft is None:
            draft = self.drafts[key] = Draft(name=name, qid=qid, country=country, rank=rank, suggest=suggest)
        draft.add(name, role, provenance, rank)
        return draft

    def find(self, qid: str | None, name: str) -> Draft | None:
        if qid and qid in self.drafts:
            return self.drafts[qid]
        folded = fold(name)
        matches = [d for d in self.drafts.values() if fold(d.name) == folded]
        return matches[0] if len(matches) == 1 else None

    def people(self) -> list[PersonRecord]:
        return sorted((d.record() for d in self.drafts.values()), key=lambda p: (fold(p.name), p.qid or ""))


# Offices held only because of another office: never the role to name a person by (the French president
# is also co-prince of Andorra).
EX_OFFICIO = frozenset({"french co-prince of andorra", "episcopal co-prince of andorra"})


def add_world_leaders(builder: Builder, folder: Path) -> None:
    """Current heads first, so a person's first role (shown on the card) is the current one."""
    rows = []
    with (folder / "wikidata.csv").open(encoding="utf-8") as handle:
        rows += [(row, WIKIDATA_LEADERS) for row in csv.DictReader(handle)]
    with (folder / "wikipedia.csv").open(encoding="utf-8") as handle:
        rows += [
            (
                {**row, "positionLabel": row["positionlabel"], "officeholderLabel": row["officeholderlabel"]},
                WIKIPEDIA_LEADERS,
            )
            for row in csv.DictReader(handle)
        ]
    rows.sort(
        key=lambda item: (
            bool(item[0]["end_year"]),
            item[0]["positionLabel"].lower() in EX_OFFICIO,
            -int(item[0]["start_year"] or 0),
        )
    )
    for row, provenance in rows:
        name = clean_name(row["officeholderLabel"])
        if name is None:
            continue
        current = not row["end_year"]
        role = f"{row['positionLabel']} ({span(row['start_year'], row['end_year'])})"
        qid = row["officeholder"] if row["officeholder"].startswith("Q") else None
        builder.add(name, qid, row["country"], role, provenance, rank=1 if current else 2)


def repo_dates(manifest: Path) -> dict[str, str]:
    """Newest data commit date per EveryPolitician repo: the date of that repo's people."""
    dates: dict[str, str] = {}
    with manifest.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            day = row["commit_date"][:10]
            dates[row["repo"]] = max(dates.get(row["repo"], ""), day)
    return dates


def cabinet_role(positions: str, country: str, start: str, end: str) -> str:
    labels = [p.strip() for p in positions.split(";") if p.strip() and not _SLUG.match(p.strip())]
    preferred = [p for p in labels if _ROLE_HINT.search(p)] or labels
    if not preferred:
        return country
    return f"{preferred[0]} ({country}, {span(start, end)})"


def add_cabinets(builder: Builder, folder: Path) -> None:
    dates = repo_dates(folder / "manifest.csv")
    with (folder / "people.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = clean_name(row["name"])
            if name is None:
                continue
            qid = row["qid"] or None
            repo = row["source_repo"].split(";")[0]
            country = row["country"].split(";")[0]
            provenance = Provenance(
                source=f"Wikidata via EveryPolitician ({repo})"
                if qid
                else f"EveryPolitician scrape ({repo})",
                date=dates.get(repo, "2022-07"),
                licence="CC0-1.0" if qid else "unstated (official site or Wikipedia scrape)",
            )
            current = not row["latest_end"]
            role = cabinet_role(row["positions"], country, row["latest_start"], row["latest_end"])
            # Scraped spellings without a QID are unreviewed: known (never flagged) but never suggested.
            builder.add(name, qid, country, role, provenance, rank=3 if current else 4, suggest=bool(qid))


def add_extras(builder: Builder, path: Path) -> None:
    """Hand-curated rows: new people, newer roles, and common English aliases of existing people."""
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            provenance = Provenance(source=row["source"], date=row["source_date"], licence=row["licence"])
            aliases = [a.strip() for a in row["aliases"].split(";") if a.strip()]
            qid = row["qid"] or None
            role = f"{row['role']} (since {row['since']})" if row["role"] and row["since"] else row["role"]
            draft = builder.find(qid, row["name"])
            if draft is None:
                draft = builder.add(row["name"], qid, row["country"] or None, role, provenance, rank=0)
            else:
                draft.add(row["name"], "", provenance, rank=0)
                if role:
                    draft.roles.insert(0, role)
                    draft.provenance.remove(provenance)
                    draft.provenance.insert(0, provenance)
                draft.qid = draft.qid or qid
            for alias in aliases:
                if alias not in draft.aliases and fold(alias) != fold(draft.name):
                    draft.aliases.append(alias)


def famous_role(row: dict[str, str]) -> str:
    """'singer (Canada, born 1994)': what the person is known for, where from, and when."""
    what = row["occupation"] or _DOMAIN_ROLES.get(row["domain"], "notable person")
    where = row["birth_country"] or row["citizenship"]
    born, died = row["birth_year"], row["death_year"]
    when = f"{born}–{died}" if born and died else (f"born {born}" if born else "")
    details = ", ".join(part for part in (where, when) if part)
    return f"{what} ({details})" if details else what


def widely_known(row: dict[str, str]) -> bool:
    """Famous enough to be offered as a correction: in Wikipedias of 28+ languages (Pantheon) or among the
    2,500 most notable people (BHHT). Less known people are kept as known names, never suggested: a
    regional actor or a 17th-century explorer is more often a namesake's near miss ("Peston"/"Preston")."""
    languages = int(row["pantheon_langs"] or 0)
    rank = int(row["bhht_rank"] or 10**9)
    return languages >= FAMOUS_MIN_LANGUAGES or rank <= FAMOUS_MAX_RANK


def add_famous_people(builder: Builder, path: Path) -> None:
    """Culture, sport, business and science as well as politics; office holders keep their dated office."""
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = clean_name(row["name"])
            if name is None:
                continue
            sources = [PANTHEON] if row["source"].startswith("pantheon1") else []
            sources += [BHHT] if row["source"].endswith("bhht_top") else []
            country = row["birth_country"] or row["citizenship"] or None
            qid = row["wikidata_qid"] or None
            draft = builder.add(
                name,
                qid,
                country,
                famous_role(row),
                sources[0],
                rank=FAMOUS_RANK,
                suggest=widely_known(row),
            )
            for provenance in sources[1:]:
                draft.add(name, "", provenance, FAMOUS_RANK)
            for alias in (a.strip() for a in row["aliases"].split("|")):
                cleaned = clean_name(alias) if alias else None
                if cleaned:
                    draft.add(cleaned, "", sources[0], FAMOUS_RANK)


def _texts(path: Path, column: str) -> Iterator[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        if path.suffix == ".jsonl":
            yield from (json.loads(line)[column] for line in handle if line.strip())
        else:
            yield from (
                row[column]
                for row in csv.DictReader(handle, delimiter="\t" if path.suffix == ".tsv" else ",")
            )


def common_words(datasets: Path, people: list[PersonRecord]) -> list[str]:
    """Lower-case words of plain English text (used at least twice) and the words of country names."""
    uses: Counter[str] = Counter()
    for name, column in COMMON_WORD_SOURCES:
        if (datasets / name).exists():
            for text in _texts(datasets / name, column):
                uses.update(_LOWER_WORD.findall(text))
    words = {word for word, count in uses.items() if count >= COMMON_WORD_MIN_USES}
    words.update(token for person in people if person.country for token in fold(person.country).split())
    return sorted(words)


def build(shared: Path, extra: Path = EXTRA_PATH) -> GazetteerFile:
    builder = Builder()
    add_world_leaders(builder, shared / "datasets" / "world-leaders-wikidata")
    add_cabinets(builder, shared / "datasets" / "cabinets")
    add_famous_people(builder, shared / "datasets" / "famous-people" / "famous_people.csv")
    add_extras(builder, extra)
    people = builder.people()
    return GazetteerFile(
        format=FORMAT_VERSION,
        built=date.today().isoformat(),
        sources=[
            f"{WIKIDATA_LEADERS.source}, {WIKIDATA_LEADERS.date}, {WIKIDATA_LEADERS.licence}",
            f"{WIKIPEDIA_LEADERS.source}, {WIKIPEDIA_LEADERS.date}, {WIKIPEDIA_LEADERS.licence}",
            "Wikidata via EveryPolitician cabinets of 29 countries (people.csv), mid-2022, CC0-1.0",
            "common words: " + ", ".join(name.split("/")[0] for name, _ in COMMON_WORD_SOURCES),
            f"{PANTHEON.source}, {PANTHEON.date}, {PANTHEON.licence}",
            f"{BHHT.source}, {BHHT.date}, {BHHT.licence}",
            f"hand-curated: {extra.name} (each row names its source)",
        ],
        people=people,
        common_words=common_words(shared / "datasets", people),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=default_shared_dir(), help="the shared data folder")
    parser.add_argument("--out", type=Path, default=SHIPPED_PATH, help="where to write the gazetteer")
    args = parser.parse_args(argv)
    data = build(args.shared)
    write_file(data, args.out)
    print(f"wrote {len(data.people)} people to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
