"""The gazetteer of public figures and the index that finds near misses of their names.

Names are compared on two keys: a *fold* (lower case, no diacritics, no punctuation) so that "Erdogan" is
the same name as "Erdoğan", and a *skeleton* (vowel runs and doubled letters collapsed, transliteration
digraphs unified) so that "Zelenskiy" and "Zelenskyy" meet. Near misses are found through a
deletion-neighbourhood index over one token at a time, so a lookup costs a few dict probes, never a scan.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field

SHIPPED_PATH = Path(__file__).parent / "data" / "gazetteer.json.gz"
FORMAT_VERSION = 1
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
_NEAR_CACHE = 100_000  # tokens whose near neighbours are remembered; bounds memory
_VOWEL_RUNS = re.compile(r"[aeiouy]+")
_REPEATS = re.compile(r"(.)\1+")


def fold(text: str) -> str:
    """Lower case, no diacritics, no apostrophes or dots, hyphens as spaces: how names are compared."""
    plain = text.lower()
    if not plain.isascii():
        decomposed = unicodedata.normalize("NFKD", plain.translate(_SPECIAL_LETTERS))
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", _DROPPED.sub("", plain)).strip()


def skeleton(token: str) -> str:
    """A folded token reduced to what survives transliteration: consonant frame, one mark per vowel run."""
    for digraph, replacement in _DIGRAPHS:
        token = token.replace(digraph, replacement)
    return _REPEATS.sub(r"\1", _VOWEL_RUNS.sub("a", token))


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


@dataclass(frozen=True, slots=True)
class NameForm:
    """One indexed spelling (a canonical name or an alias) of one person."""

    person: int
    display: str
    tokens: tuple[str, ...]


class Gazetteer:
    """Known names plus the indexes the checker probes; built once per process."""

    def __init__(self, people: Iterable[PersonRecord]) -> None:
        self.people: list[PersonRecord] = list(people)
        self.forms: list[NameForm] = []
        self.known: dict[str, list[int]] = defaultdict(list)
        self.first_tokens: set[str] = set()
        self.other_tokens: set[str] = set()
        self.by_surname: dict[str, list[int]] = defaultdict(list)
        self.by_skeleton: dict[str, list[int]] = defaultdict(list)
        self._by_slot: dict[str, list[int]] = defaultdict(list)
        self._skeletons: dict[str, str] = {}
        for person_id, person in enumerate(self.people):
            for spelling in dict.fromkeys([person.name, *person.aliases]):
                self._add_form(person_id, spelling)
        self._near_tokens: dict[str, list[str]] = {}
        self._near_cache: dict[str, frozenset[str]] = {}
        near_tokens = self._near_tokens
        for token in self.first_tokens | self.other_tokens:
            for variant in deletions(token):
                bucket = near_tokens.get(variant)
                if bucket is None:
                    near_tokens[variant] = [token]
                else:
                    bucket.append(token)

    def _add_form(self, person_id: int, spelling: str) -> None:
        tokens = tuple(fold(spelling).split())
        if not tokens:
            return
        form_id = len(self.forms)
        self.forms.append(NameForm(person_id, spelling, tokens))
        self.known[" ".join(tokens)].append(form_id)
        if len(tokens) < 2:
            return
        self.first_tokens.add(tokens[0])
        self.other_tokens.update(tokens[1:])
        self.by_surname[tokens[-1]].append(form_id)
        self.by_skeleton[self.skeleton_key(tokens)].append(form_id)
        for position, token in enumerate(tokens):
            self._by_slot[slot_key(len(tokens), position, token)].append(form_id)

    def skeleton_key(self, tokens: tuple[str, ...]) -> str:
        parts = []
        for token in tokens:
            frame = self._skeletons.get(token)
            if frame is None:
                frame = self._skeletons[token] = skeleton(token)
            parts.append(frame)
        return " ".join(parts)

    def is_known(self, tokens: tuple[str, ...]) -> bool:
        return " ".join(tokens) in self.known

    def is_known_token(self, token: str, position: int) -> bool:
        """Whether some known person has this token there: then a near miss may simply be someone else."""
        return token in (self.first_tokens if position == 0 else self.other_tokens)

    def near_forms(self, tokens: tuple[str, ...]) -> set[int]:
        """Forms equal to `tokens` but for one token within one edit, or with the same skeleton; verify after.

        Symmetric deletion over the vocabulary finds the near tokens; the rarest of the other, exact tokens
        narrows the forms to check, so the cost does not grow with the size of the gazetteer.
        """
        found = set(self.by_skeleton.get(self.skeleton_key(tokens), ()))
        size = len(tokens)
        for position, token in enumerate(tokens):
            near = self._near(token)
            if not near:
                continue
            anchors = [
                self._by_slot.get(slot_key(size, j, t), []) for j, t in enumerate(tokens) if j != position
            ]
            for form_id in min(anchors, key=len):
                form = self.forms[form_id].tokens
                if form[position] in near and all(form[j] == tokens[j] for j in range(size) if j != position):
                    found.add(form_id)
        return found

    def _near(self, token: str) -> frozenset[str]:
        """Known tokens within one edit of `token` (not itself), remembered: names recur across articles."""
        near = self._near_cache.get(token)
        if near is None:
            found = {t for variant in deletions(token) for t in self._near_tokens.get(variant, ())}
            found.discard(token)
            near = frozenset(found)
            if len(self._near_cache) < _NEAR_CACHE:
                self._near_cache[token] = near
        return near


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
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return GazetteerFile.model_validate_json(raw)


def write_file(data: GazetteerFile, path: Path) -> None:
    """Write compact JSON (gzipped for `.gz`, with a fixed mtime so rebuilds are byte-identical)."""
    payload = data.model_dump_json(exclude_defaults=True).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(gzip.compress(payload, mtime=0) if path.suffix == ".gz" else payload)
    tmp.replace(path)


def load(path: Path = SHIPPED_PATH) -> Gazetteer:
    return Gazetteer(load_file(path).people)
