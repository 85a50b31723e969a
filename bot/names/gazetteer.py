"""The gazetteer of public figures and the index that finds near misses of their names.

Names are compared on two keys: a *fold* (lower case, no diacritics, no punctuation) so that "Erdogan" is
the same name as "Erdoğan", and a *skeleton* (vowel runs and doubled letters collapsed, transliteration
digraphs unified) so that "Zelenskiy" and "Zelenskyy" meet. A near miss differs in one token: it is
looked for only among the forms that share the other tokens in place (the slot index), by symmetric
deletion, so a lookup costs a few dict probes and a short list, never a scan.
"""

from __future__ import annotations

import gzip
import json
import marshal
import re
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

SHIPPED_PATH = Path(__file__).parent / "data" / "gazetteer.idx"
FORMAT_VERSION = 2
MAGIC = b"factdesk-gazetteer-index 2\n"
SHARD_PREFIX = "letter:"
MARSHAL_VERSION = 4  # read by every CPython since 3.4
NEWSROOM_SOURCE = "newsroom names list"

# Letters NFKD does not decompose into a base letter plus a combining mark.
_SPECIAL_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "ħ": "h"}
)
_DROPPED = re.compile(r"['’ʻʼ`.,]")
_SEPARATORS = re.compile(r"[\s\-‐‑–—_/]+")
_DIGRAPHS = (
    ("dzh", "j"),
    ("sch", "sh"),
    ("tch", "ch"),
    ("zh", "j"),
    ("dj", "j"),
    ("kh", "h"),
    ("ph", "f"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("w", "v"),
    ("x", "ks"),
)
_UMLAUTS = re.compile("[äöüÄÖÜ]")
_UMLAUT_SPELLING = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
FAMOUS_RANK = 5  # people known from culture, sport, science or business lists: after every office holder
_VOWEL_RUNS = re.compile(r"[aeiouy]+")
_REPEATS = re.compile(r"(.)\1+")


def fold(text: str) -> str:
    """Lower case, no diacritics, no apostrophes or dots, hyphens as spaces: how names are compared."""
    plain = text.lower()
    if not plain.isascii():
        decomposed = unicodedata.normalize("NFKD", plain.translate(_SPECIAL_LETTERS))
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", _DROPPED.sub("", plain)).strip()


@lru_cache(maxsize=16_384)
def skeleton(token: str) -> str:
    """A folded token reduced to what survives transliteration: consonant frame, one mark per vowel run.
    Remembered: the checker compares the same first names and surnames across an article again and again."""
    for digraph, replacement in _DIGRAPHS:
        token = token.replace(digraph, replacement)
    return _REPEATS.sub(r"\1", _VOWEL_RUNS.sub("a", token))


def part_of(key: str) -> str:
    """Which part of a table holds a key: its first letter and its length ("starmer" -> "s7")."""
    return f"{key[:1]}{len(key)}"


def form_tokens(spelling: str, joined: bool = False) -> tuple[str, ...]:
    """A spelling's folded words; `joined` closes hyphens ("Ing-wen" -> "ingwen") instead of splitting there."""
    return tuple(fold(spelling.replace("-", "") if joined else spelling).split())


def deletions(token: str) -> set[str]:
    """The token and every string one deletion away: the symmetric-deletion neighbourhood of radius 1."""
    return {token, *(token[:i] + token[i + 1 :] for i in range(len(token)))}


class Provenance(BaseModel):
    source: str
    date: str
    licence: str


class PersonRecord(BaseModel):
    """One person as stored in the shipped file."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    role: str = ""
    country: str | None = None
    qid: str | None = None
    suggest: bool = Field(
        True, description="False for unreviewed spellings: known, but never offered as a fix."
    )
    rank: int = Field(5, description="Prominence for tie-breaks: 0 hand-curated or newsroom, 5 least.")
    provenance: list[Provenance] = Field(default_factory=list)

    def evidence(self) -> str:
        """Who this is and where the spelling comes from, in one line for the card."""
        who = f"{self.name} — {self.role}" if self.role else self.name
        if self.provenance and self.provenance[0].source == NEWSROOM_SOURCE:
            return f"newsroom names list: {who}"
        where = [f"Wikidata {self.qid}"] if self.qid else []
        if self.provenance:
            if not self.qid:
                where.append(self.provenance[0].source)
            where.append(self.provenance[0].date)
        return f"gazetteer: {who} ({', '.join(where)})" if where else f"gazetteer: {who}"


class GazetteerFile(BaseModel):
    format: int
    built: str
    sources: list[str]
    people: list[PersonRecord]
    common_words: list[str] = Field(
        default_factory=list, description="Lower-case English words: a capitalised one is rarely a name."
    )


@dataclass(frozen=True, slots=True)
class NameForm:
    """One indexed spelling (a canonical name or an alias) of one person."""

    person: int
    display: str
    tokens: tuple[str, ...]


# The lookup tables. Each is split by the first letter and the length of its key (a token, or a name), so
# a lookup reads one small part of one table, never the whole index.
_TABLES = ("known", "skeletons", "surnames", "slots", "first", "other")
_SET_TABLES = frozenset({"first", "other"})
# People and spellings per packed section. A lookup decodes the whole section of the one it reads, and a long
# article reads a few hundred people scattered over the list: in sections of 512 that decoded every person
# (3.2 MB, 70 ms); in 16s it decodes a sixth of them. Spellings are read more densely. A header without
# `chunks` (an index written before) was cut in 512s.
CHUNKS = {"people": 16, "forms": 64}
_FIRST_CHUNKS = {"people": 512, "forms": 512}


class _Column:
    """A list kept in chunks of the packed index, each decoded when one of its items is first read."""

    def __init__(self, packed: _Packed | None, name: str) -> None:
        self._packed, self._name = packed, name
        self._stored = packed.meta["counts"][name] if packed else 0
        self._chunk = packed.meta.get("chunks", _FIRST_CHUNKS)[name] if packed else CHUNKS[name]
        self._chunks: dict[int, list] = {}
        self._added: list = []

    def __len__(self) -> int:
        return self._stored + len(self._added)

    def __getitem__(self, index: int):
        if index >= self._stored:
            return self._added[index - self._stored]
        number, offset = divmod(index, self._chunk)
        chunk = self._chunks.get(number)
        if chunk is None:
            chunk = self._chunks[number] = marshal.loads(self._packed.section(f"{self._name}:{number}"))
        return chunk[offset]

    def append(self, item: object) -> None:
        self._added.append(item)


_NEAR_CACHE = 50_000  # names whose near forms or knownness are remembered; bounds memory when long-running


class Gazetteer:
    """Known names plus the indexes the checker probes.

    Built in memory from records (`Gazetteer(people)`), or opened from the packed index (`load()`): opening
    reads one header; a person, a spelling or one letter of one table is decoded the first time it is used.
    """

    def __init__(
        self,
        people: Iterable[PersonRecord] = (),
        common_words: Iterable[str] = (),
        *,
        packed: _Packed | None = None,
    ) -> None:
        self._packed = packed
        self._common: set[str] | None = set(common_words) if packed is None else None
        self._tables: dict[str, dict | set] = {}
        self._records: dict[int, PersonRecord] = {}
        self._forms_cache: dict[int, NameForm] = {}
        self._near: dict[tuple[str, ...], set[int]] = {}  # `near_forms` answers: the same names recur
        self._known: dict[tuple[str, ...], bool] = {}  # `is_known` answers, asked several times a name
        self._people = _Column(packed, "people")
        self._forms = _Column(packed, "forms")
        self._provenance: list[Provenance] | None = None
        self.add_people(people)

    @property
    def people(self) -> _People:
        return _People(self)

    @property
    def forms(self) -> _Forms:
        return _Forms(self)

    def person(self, person_id: int) -> PersonRecord:
        record = self._records.get(person_id)
        if record is None:
            stored = dict(self._people[person_id])
            if self._provenance is None:
                self._provenance = [
                    Provenance(**p) for p in marshal.loads(self._packed.section("provenance"))
                ]
            stored["provenance"] = [self._provenance[i] for i in stored.get("provenance", ())]
            record = self._records[person_id] = PersonRecord.model_validate(stored)
        return record

    def form(self, form_id: int) -> NameForm:
        form = self._forms_cache.get(form_id)
        if form is None:
            person, display, joined = self._forms[form_id]
            form = self._forms_cache[form_id] = NameForm(person, display, form_tokens(display, joined))
        return form

    def is_common_word(self, word: str) -> bool:
        """Whether the folded word is an ordinary English word or part of a country's name."""
        if self._common is None:
            self._common = set(marshal.loads(self._packed.section("common")))
        return word in self._common

    def _table(self, name: str, letter: str) -> dict:
        key = f"{name}:{letter}"
        table = self._tables.get(key)
        if table is None:
            blob = self._packed.table(key) if self._packed else None
            stored = marshal.loads(blob) if blob else ()
            table = self._tables[key] = set(stored) if name in _SET_TABLES else dict(stored or {})
        return table

    def add_people(self, people: Iterable[PersonRecord]) -> None:
        """Index more people (the newsroom's names file, or every person of an in-memory build)."""
        self._near.clear()
        self._known.clear()
        for record in people:
            person_id = len(self._people)
            self._people.append(None)
            self._records[person_id] = record
            for spelling in dict.fromkeys([record.name, *record.aliases]):
                self._add_form(person_id, spelling, joined=False)
                if _UMLAUTS.search(spelling):  # "Schröder" is printed "Schroeder" as often as "Schroder"
                    self._add_form(person_id, spelling.translate(_UMLAUT_SPELLING), joined=False)
                if "-" in spelling:  # "Tsai Ing-wen" is also indexed as "Tsai Ingwen"
                    self._add_form(person_id, spelling, joined=True)

    def _add_form(self, person_id: int, spelling: str, joined: bool) -> None:
        tokens = form_tokens(spelling, joined)
        if not tokens:
            return
        form_id = len(self._forms)
        key = " ".join(tokens)
        self._forms.append((person_id, spelling, joined))
        self._table("known", part_of(key)).setdefault(key, []).append(form_id)
        if len(tokens) < 2:
            return
        self._add_token(tokens[0], "first")
        for token in tokens[1:]:
            self._add_token(token, "other")
        self._table("surnames", part_of(tokens[-1])).setdefault(tokens[-1], []).append(form_id)
        frame = self.skeleton_key(tokens)
        self._table("skeletons", part_of(frame)).setdefault(frame, []).append(form_id)
        for position, token in enumerate(tokens):
            slot = slot_key(len(tokens), position, token)
            self._table("slots", part_of(token)).setdefault(slot, []).append(form_id)

    def _add_token(self, token: str, place: str) -> None:
        self._table(place, part_of(token)).add(token)

    def skeleton_key(self, tokens: tuple[str, ...]) -> str:
        return " ".join(map(skeleton, tokens))

    def named(self, tokens: tuple[str, ...]) -> list[int]:
        """The forms spelled exactly so (as folded tokens)."""
        key = " ".join(tokens)
        return self._table("known", part_of(key)).get(key, []) if key else []

    def is_known(self, tokens: tuple[str, ...]) -> bool:
        known = self._known.get(tokens)
        if known is None:
            known = bool(self.named(tokens))
            if len(self._known) < _NEAR_CACHE:
                self._known[tokens] = known
        return known

    def is_known_token(self, token: str, position: int) -> bool:
        """Whether some known person has this token there: then a near miss may simply be someone else."""
        return token in self._table("first" if position == 0 else "other", part_of(token))

    def surname_forms(self, surname: str) -> list[int]:
        return self._table("surnames", part_of(surname)).get(surname, [])

    def near_forms(self, tokens: tuple[str, ...]) -> set[int]:
        """Forms equal to `tokens` but for one token a deletion apart, or with the same skeleton; verify after.

        A near form shares every other token exactly, so the rarest of those tokens' slots (the anchor)
        holds every form to check; in each, the differing token must have the same first letter and one
        deletion in common with ours (symmetric deletion of radius 1). The cost follows the anchor's
        size, not the gazetteer's, and nothing is built at run time: most capitalised runs have no anchor.
        """
        found = self._near.get(tokens)
        if found is None:
            found = self._find_near_forms(tokens)
            if len(self._near) < _NEAR_CACHE:
                self._near[tokens] = found
        return found

    def _find_near_forms(self, tokens: tuple[str, ...]) -> set[int]:
        frame = self.skeleton_key(tokens)
        found = set(self._table("skeletons", part_of(frame)).get(frame, ()))
        size = len(tokens)
        for position, token in enumerate(tokens):
            anchors = [
                self._table("slots", part_of(t)).get(slot_key(size, j, t), [])
                for j, t in enumerate(tokens)
                if j != position
            ]
            variants: set[str] | None = None
            for form_id in min(anchors, key=len, default=()):
                form = self.form(form_id).tokens
                other = form[position]
                if other == token or other[:1] != token[:1] or abs(len(other) - len(token)) > 1:
                    continue
                if not all(form[j] == tokens[j] for j in range(size) if j != position):
                    continue
                variants = variants or deletions(token)
                if not variants.isdisjoint(deletions(other)):
                    found.add(form_id)
        return found

    def packed(self, meta: dict) -> bytes:
        """Every person, spelling and table in the packed index format (see `_Packed`), `meta` in its header."""
        for key in self._packed.tables() if self._packed else ():
            self._table(*key.split(":", 1))
        provenance: dict[tuple[str, str, str], int] = {}  # each source once; people refer to it by number
        people = []
        for person_id in range(len(self._people)):
            stored = self.person(person_id).model_dump(exclude_defaults=True)
            stored["provenance"] = [
                provenance.setdefault((p["source"], p["date"], p["licence"]), len(provenance))
                for p in stored.get("provenance", ())
            ]
            people.append(stored)
        forms = [self._forms[i] for i in range(len(self._forms))]
        sources = [dict(zip(("source", "date", "licence"), key, strict=True)) for key in provenance]
        sections = {"provenance": marshal.dumps(sources, MARSHAL_VERSION)}
        if self._common is None:
            self.is_common_word("")
        sections["common"] = marshal.dumps(sorted(self._common), MARSHAL_VERSION)
        for name, items in (("people", people), ("forms", forms)):
            chunk = CHUNKS[name]
            for number in range(0, len(items), chunk):
                sections[f"{name}:{number // chunk}"] = marshal.dumps(
                    items[number : number + chunk], MARSHAL_VERSION
                )
        for key in sorted(self._tables):
            table = self._tables[key]
            if table:
                sections[key] = marshal.dumps(
                    sorted(table) if isinstance(table, set) else table, MARSHAL_VERSION
                )
        counts = {"people": len(people), "forms": len(forms)}
        return _Packed.pack(sections, {**meta, "counts": counts, "chunks": CHUNKS})


class _People(Sequence[PersonRecord]):
    """The gazetteer's people as a sequence; each record is decoded when first read."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._gazetteer = gazetteer

    def __len__(self) -> int:
        return len(self._gazetteer._people)

    def __getitem__(self, index: int):  # type: ignore[override]  # no slices
        return self._gazetteer.person(index if index >= 0 else len(self) + index)


class _Forms(Sequence[NameForm]):
    """The indexed spellings as a sequence; each is decoded when first read."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._gazetteer = gazetteer

    def __len__(self) -> int:
        return len(self._gazetteer._forms)

    def __getitem__(self, index: int):  # type: ignore[override]  # no slices
        return self._gazetteer.form(index if index >= 0 else len(self) + index)


class _Packed:
    """The packed index file: a magic line, a JSON header line, then zlib-compressed `marshal` sections.

    The header names each section's offset and length, so opening the file decompresses nothing; a section
    is inflated when first asked for. `marshal` (version 4) is the fastest format CPython reads.
    """

    def __init__(self, path: Path) -> None:
        with path.open("rb") as handle:
            if handle.readline() != MAGIC:
                raise ValueError(f"{path} is not a packed gazetteer index")
            header = json.loads(handle.readline())
            self.body = handle.read()
        self.meta: dict = header["meta"]
        self._sections: dict[str, list[int]] = header["sections"]

    @staticmethod
    def pack(sections: dict[str, bytes], meta: dict) -> bytes:
        offsets, blobs, position = {}, [], 0
        for name, raw in sections.items():
            blob = zlib.compress(raw, 9)
            offsets[name] = [position, len(blob)]
            blobs.append(blob)
            position += len(blob)
        header = json.dumps({"meta": meta, "sections": offsets}, separators=(",", ":"))
        return MAGIC + header.encode("utf-8") + b"\n" + b"".join(blobs)

    def section(self, name: str) -> bytes:
        offset, length = self._sections[name]
        return zlib.decompress(self.body[offset : offset + length])

    def table(self, key: str) -> bytes | None:
        return self.section(key) if key in self._sections else None

    def tables(self) -> list[str]:
        return [name for name in self._sections if name.split(":", 1)[0] in _TABLES]


def slot_key(size: int, position: int, token: str) -> str:
    return f"{size}:{position}:{token}"


def read_newsroom_names(path: Path) -> list[PersonRecord]:
    """Parse the newsroom names file; blank lines and `#` comments are skipped."""
    provenance = Provenance(source=NEWSROOM_SOURCE, date="", licence="newsroom's own")
    people = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, role = (part.strip() for part in line.partition("|"))
        if name:
            people.append(PersonRecord(name=name, role=role, rank=0, provenance=[provenance]))
    return people


def load_file(path: Path = SHIPPED_PATH) -> GazetteerFile:
    """Every record of a gazetteer file: the packed index (`.idx`) or JSON (`.json`, `.json.gz`)."""
    if path.suffix == ".idx":
        packed = _Packed(path)
        meta = {k: v for k, v in packed.meta.items() if k not in ("counts", "chunks")}
        words = marshal.loads(packed.section("common"))
        return GazetteerFile(**meta, people=list(Gazetteer(packed=packed).people), common_words=words)
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return GazetteerFile.model_validate_json(raw)


def write_file(data: GazetteerFile, path: Path) -> None:
    """Write the packed index for `.idx`, else compact JSON (gzipped for `.gz`, byte-identical on rebuild)."""
    if path.suffix == ".idx":
        meta = data.model_dump(include={"format", "built", "sources"})
        payload = Gazetteer(data.people, data.common_words).packed(meta)
    else:
        payload = data.model_dump_json(exclude_defaults=True).encode("utf-8")
        if path.suffix == ".gz":
            payload = gzip.compress(payload, mtime=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(payload)
    tmp.replace(path)


def load(path: Path = SHIPPED_PATH) -> Gazetteer:
    """The gazetteer in a file; a packed index is opened lazily, JSON is indexed now."""
    if path.suffix == ".idx":
        return Gazetteer(packed=_Packed(path))
    data = load_file(path)
    return Gazetteer(data.people, data.common_words)
