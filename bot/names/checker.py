"""Suspect names: a person's name in the text that is a near miss of a known public figure's name.

Precision comes first: only capitalised multi-word, person-like spans are checked; a span that is itself a
known name is never flagged; a near miss is only flagged when the changed word is not a word some other
known person carries (then it may simply be someone else) and the rest of the name matches exactly.
In-article inconsistencies ("Jon Smith" beside "John Smith") are flagged from the article alone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from bot.config import get_settings
from bot.errors import UserFacingError
from bot.models import NameIssue, Origin
from bot.names import gazetteer as gz
from bot.names.gazetteer import Gazetteer, fold, skeleton

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*\.?")
_JOINERS = "'’-"
# A character that may start a run's word: not lower-case ASCII, and not inside a word (not after a letter,
# nor after a letter and an apostrophe). After a letter and a hyphen it is a capital inside a hyphenated
# word ("al-Assad"), which can make the whole word a name word. Every word `_runs` must not skip holds one.
_RUN_START = re.compile(r"[^\W\d_a-z](?<![^\W\d_].)(?<![^\W\d_]['’].)")
_RUN_GAP = frozenset({" ", "\u00a0"})
_POSSESSIVE = ("'s", "’s", "s'", "s’")
_PARTICLES = frozenset(
    """
    da de del della der den di do dos das du la le van von bin binti bint ibn al el ben zu ter ten af
    """.split()
)
_ABBREVIATIONS = frozenset({"jr.", "sr.", "st."})

# Capitalised words that are never part of a person's name in running news text: they split a run of
# capitalised words ("British Prime Minister Keir Starmer" -> "Keir Starmer").
_NOT_NAME = frozenset(
    """
    a an and as at after before but by for from if in into it its of on or so the then this that these
    later earlier speaking asked following separately elsewhere instead still even only just both all some
    many most several each every other another such one two three yet because though unlike like including
    those to with without while when where which who why how what he she they we i you his her their our
    my there here not no yes also meanwhile however although despite according since until under over
    last next new old former ex acting interim now today yesterday tomorrow tonight during about against
    between mr mrs ms miss mx dr sir dame lord lady baroness baron president presidents prime minister
    ministers chancellor secretary foreign home defence defense justice finance health interior trade
    energy education general gen col colonel captain capt maj sgt sergeant lieutenant lt commander
    admiral marshal senator sen rep representative congressman congresswoman governor gov mayor king
    queen prince princess pope saint st judge chief deputy vice speaker leader ambassador envoy
    commissioner director chairman chairwoman chair professor prof rev reverend father bishop archbishop
    cardinal sheikh emir crown coach manager officer inspector detective constable agent spokesman
    spokeswoman spokesperson mp mep labour tory tories conservative conservatives democrat democrats
    democratic republican republicans liberal liberals green greens socialist party government ministry
    department office council commission committee agency bank university college school hospital street
    road avenue house hall palace square park airport station club united city fc group inc ltd corp
    company association union organisation organization institute foundation times post news journal
    herald guardian telegraph airlines airways motors court tribunal assembly parliament senate congress
    cabinet administration army navy force forces police service services centre center museum festival
    award awards cup league championship open games olympics prize republic kingdom states nations
    islands island coast north south east west northern southern eastern western central river lake
    mount sea ocean january february march april june july august september october november
    december monday tuesday wednesday thursday friday saturday sunday british american french german
    russian ukrainian chinese israeli iranian turkish indian european japanese korean italian spanish
    polish canadian australian irish scottish welsh english brazilian mexican african arab saudi syrian
    egyptian palestinian pakistani afghan iraqi swedish dutch belgian uk us usa eu un nato britain
    america europe africa asia washington london moscow kyiv kiev beijing paris berlin brussels downing
    whitehall kremlin pentagon white
    """.split()
)

# First names that are the same person's name in another register: never a "wrong first name".
_NICKNAMES = (
    {"ed", "edward", "eddie", "ted"},
    {"mike", "michael"},
    {"bill", "william", "will", "billy"},
    {"bob", "robert", "rob", "bobby"},
    {"jim", "james", "jimmy", "jamie"},
    {"tony", "anthony"},
    {"liz", "elizabeth", "beth", "betty"},
    {"kate", "catherine", "katherine", "cathy"},
    {"dick", "richard", "rick", "rich"},
    {"tom", "thomas", "tommy"},
    {"joe", "joseph"},
    {"dave", "david"},
    {"chris", "christopher", "christine", "christina"},
    {"alex", "alexander", "alexandra", "sasha"},
    {"nick", "nicholas", "nicolas"},
    {"dan", "daniel", "danny"},
    {"ben", "benjamin", "bibi"},
    {"andy", "andrew"},
    {"steve", "stephen", "steven"},
    {"pat", "patrick", "patricia"},
    {"jon", "jonathan"},
    {"john", "johnny", "jack"},
    {"matt", "matthew"},
    {"pete", "peter"},
    {"sam", "samuel", "samantha"},
    {"jeff", "jeffrey", "geoffrey"},
    {"greg", "gregory"},
    {"jay", "jerome"},
    {"jd", "james"},
)
_NICKNAME_OF = {name: group for group in _NICKNAMES for name in group}


def same_first_name(a: str, b: str) -> bool:
    """Whether two first names are one name in two registers ("Ed"/"Edward")."""
    group = _NICKNAME_OF.get(a)
    return group is not None and b in group


@dataclass(frozen=True, slots=True)
class Candidate:
    """A person-like span: two or more capitalised words, possibly with particles ("da", "von")."""

    text: str
    start: int
    end: int
    tokens: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    start: int
    end: int


def osa_distance(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbouring letters as one edit (optimal string alignment)."""
    if a == b:
        return 0
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def plausible_typo(found: str, known: str) -> bool:
    """One dropped, doubled, swapped or (in a longer word) replaced letter, never the first letter.

    A different first letter ("Marr"/"Barr", "Terry"/"Kerry") or a replaced letter in a short word
    ("Read"/"Reed") is far more often another real person's name than a slip.
    """
    if found[0] != known[0] or osa_distance(found, known) != 1:
        return False
    if len(found) == len(known) and sorted(found) != sorted(known):
        return len(found) >= 5
    return max(len(found), len(known)) >= 4


def required_anchor(found: str, known: str) -> int:
    """How long the untouched part of the name must be before a one-letter slip is trusted.

    Short syllables ("Yan"/"Yang") and replaced letters ("Jifeng"/"Jiheng") are often another real name,
    unless the rest of the name pins the person down.
    """
    if max(len(found), len(known)) <= 4:
        return 5
    if len(found) == len(known) and sorted(found) != sorted(known):
        return 3
    return 2


_GENERIC_TITLES = frozenset({"minister", "secretary", "member", "deputy", "state", "leader", "director"})


def _same_or_variant(first: str, known_first: str) -> bool:
    """One first name, in another register ("Ed") or spelling ("Jon"): not a *different* first name."""
    return (
        same_first_name(first, known_first)
        or osa_distance(first, known_first) <= 1
        or skeleton(first) == skeleton(known_first)
    )


@lru_cache(maxsize=4096)
def office_title(role: str) -> str | None:
    """The title a text puts before the name ("prime minister", "president"), from a gazetteer role."""
    words = fold(role.split(" (")[0].split(";")[0].split(" of ")[0]).split()[-2:]
    if not words or (len(words) == 1 and words[0] in _GENERIC_TITLES):
        return None
    return " ".join(words)


def _name_word(word: str) -> bool:
    if word[0].isupper():
        return not (len(word) > 1 and word.isupper() and not word.endswith("."))
    return "-" in word and word.split("-", 1)[1][:1].isupper()


def _is_letter(char: str) -> bool:
    """What `[^\\W\\d_]` matches: a word character that is not a digit or an underscore."""
    return char.isalnum() and not char.isdecimal()


def _word_start(text: str, capital: int) -> int:
    """Where the `_WORD` word holding `capital` starts: there, unless a hyphen joins it to letters before."""
    start = capital
    if start > 1 and text[start - 1] == "-" and _is_letter(text[start - 2]):
        start -= 2
        while start > 0 and (
            _is_letter(text[start - 1])
            or (start > 1 and text[start - 1] in _JOINERS and _is_letter(text[start - 2]))
        ):
            start -= 1
    return start


_WORD_FACTS: dict[str, tuple[str, int, bool, bool, bool]] = {}
_WORD_FACTS_CACHE = 100_000  # words remembered; bounds memory in a long-running process


def _word_facts(raw: str) -> tuple[str, int, bool, bool, bool]:
    """How `_runs` reads one matched word, worked out once per spelling: the word without a closing full
    stop or possessive, how many characters that dropped, whether that closes the run, and whether the
    word may join a run as a name word or (inside a run) as a particle."""
    word, closes_run = raw, False
    if word.endswith(".") and not (len(word) == 2 or word.lower() in _ABBREVIATIONS):
        word, closes_run = word[:-1], True
    if word.endswith(_POSSESSIVE) and len(word) > 3:
        word, closes_run = word[:-2], True
    allowed = word.lower().rstrip(".") not in _NOT_NAME
    facts = (
        word,
        len(raw) - len(word),
        closes_run,
        allowed and _name_word(word),
        allowed and word.lower() in _PARTICLES,
    )
    if len(_WORD_FACTS) < _WORD_FACTS_CACHE:
        _WORD_FACTS[raw] = facts
    return facts


@lru_cache(maxsize=8)
def _runs(text: str) -> tuple[tuple[Word, ...], ...]:
    """Runs of name-like words separated by single spaces; punctuation and line breaks end a run.

    Cached: one article's runs serve both the full-name and the bare-surname checks."""
    runs: list[list[Word]] = []
    current: list[Word] = []
    previous_end = -1
    position = 0
    while True:
        if current:
            match = _WORD.search(text, position)
        else:  # most words are lower case, outside any run, and cannot start one: jump over them
            capital = _RUN_START.search(text, position)
            match = capital and _WORD.match(text, _word_start(text, capital.start()))
        if not match:
            break
        position = match.end()
        raw = match.group()
        if not current and raw[0].islower() and "-" not in raw:
            continue
        word, dropped, closes_run, name, particle = _WORD_FACTS.get(raw) or _word_facts(raw)
        start, end = match.start(), match.end() - dropped
        joined = current and start - previous_end <= 2 and set(text[previous_end:start]) <= _RUN_GAP
        if not joined and current:
            runs.append(current)
            current = []
        if name or (particle and current):
            current.append(Word(word, start, end))
        elif current:
            runs.append(current)
            current = []
        if closes_run and current:
            runs.append(current)
            current = []
        previous_end = end if not closes_run else -1
    if current:
        runs.append(current)
    return tuple(tuple(run) for run in runs)


@lru_cache(maxsize=16_384)
def _name_tokens(span: str) -> tuple[str, ...]:
    """A span's folded words; the same names recur across articles."""
    return tuple(fold(span).split())


def candidates(text: str) -> list[Candidate]:
    """Person-like spans in the text, at most six words, trimmed of particles at either end."""
    found = []
    for run in _runs(text):
        while run and run[-1].text.lower() in _PARTICLES:
            run = run[:-1]
        if not 2 <= len(run) <= 6:
            continue
        start, end = run[0].start, run[-1].end
        span = text[start:end]
        tokens = _name_tokens(span)
        if len(tokens) >= 2:
            found.append(Candidate(span, start, end, tokens))
    return found


def single_words(text: str) -> list[Word]:
    """Capitalised single words (possible bare surnames), for the in-article surname check."""
    return [run[0] for run in _runs(text) if len(run) == 1 and len(run[0].text) >= 5]


@dataclass(frozen=True, slots=True)
class Match:
    """A gazetteer spelling the candidate could be a slip of."""

    person: int
    display: str
    transliteration: bool


def _issue(span: Candidate | Word, suggestion: str, confidence: float, evidence: str) -> NameIssue:
    return NameIssue(
        text=span.text,
        found=span.text,
        suggestion=suggestion,
        start=span.start,
        end=span.end,
        confidence=confidence,
        evidence=evidence,
        origin=Origin.gazetteer,
    )


class NameChecker:
    """Finds suspect names in one article; stateless between calls, safe to share."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def find_issues(self, text: str) -> list[NameIssue]:
        mentions = candidates(text)
        issues: dict[int, NameIssue] = {}
        for candidate in mentions:
            if self.gazetteer.is_known(candidate.tokens):
                continue
            issue = self._gazetteer_issue(candidate) or self._title_issue(text, candidate)
            if issue is not None:
                issues[candidate.start] = issue
        for issue in self._article_issues(text, mentions):
            issues.setdefault(issue.start, issue)
        return sorted(issues.values(), key=lambda issue: issue.start)

    def _gazetteer_issue(self, candidate: Candidate) -> NameIssue | None:
        matches = [
            m
            for form_id in self.gazetteer.near_forms(candidate.tokens)
            if (m := self._verify(candidate, form_id))
        ]
        if not matches:
            return None
        people = self.gazetteer.people
        matches.sort(
            key=lambda m: (m.transliteration, people[m.person].rank, m.display != people[m.person].name)
        )
        best = matches[0]
        rivals = {
            fold(people[m.person].name)
            for m in matches
            if (m.transliteration, people[m.person].rank) == (best.transliteration, people[best.person].rank)
        }
        if len(rivals) > 1:
            return None
        person = people[best.person]
        confidence = 0.7 if best.transliteration else 0.9
        if person.rank >= 3:
            confidence -= 0.1
        evidence = person.evidence()
        if best.transliteration:
            evidence = f"transliteration variant; {evidence}"
        return _issue(candidate, best.display, confidence, evidence)

    def _distinctive_surname(self, surname: str) -> bool:
        """A long surname only one known person carries: it pins the person even if the first name is a real one."""
        forms = self.gazetteer.by_surname.get(surname, ())
        return len(surname) >= 6 and len({self.gazetteer.forms[f].person for f in forms}) == 1

    def _title_issue(self, text: str, candidate: Candidate) -> NameIssue | None:
        """A wrong first name: the surname and the office title fit one known person, the first name does not."""
        before: str | None = None  # folded only when some known person's title needs checking
        fits: dict[int, str] = {}
        for form_id in self.gazetteer.by_surname.get(candidate.tokens[-1], ()):
            form = self.gazetteer.forms[form_id]
            person = self.gazetteer.people[form.person]
            if (
                not person.suggest
                or form.tokens[1:] != candidate.tokens[1:]
                or len(form.tokens) != len(candidate.tokens)
            ):
                continue
            title = office_title(person.role)
            if title and before is None:
                before = fold(text[max(0, candidate.start - 60) : candidate.start])
            if title and before.endswith(title) and not _same_or_variant(candidate.tokens[0], form.tokens[0]):
                fits.setdefault(form.person, form.display)
        if len(fits) != 1:
            return None
        person_id, display = fits.popitem()
        evidence = (
            f"{self.gazetteer.people[person_id].evidence()}; same surname and title, different first name"
        )
        return _issue(candidate, display, 0.6, evidence)

    def _verify(self, candidate: Candidate, form_id: int) -> Match | None:
        """Accept a near form only when one word differs, by a plausible slip or by transliteration alone.

        The changed word must not be a word another known person carries in that place ("Ed Ball" may be
        someone else), unless it is the first name before a long surname only one known person has.
        """
        form = self.gazetteer.forms[form_id]
        person = self.gazetteer.people[form.person]
        if not person.suggest or len(form.tokens) != len(candidate.tokens):
            return None
        differing = [i for i, (a, b) in enumerate(zip(candidate.tokens, form.tokens, strict=True)) if a != b]
        if len(differing) != 1:
            return None
        position = differing[0]
        found, known = candidate.tokens[position], form.tokens[position]
        if min(len(found), len(known)) < 3:
            return None
        if self.gazetteer.is_known_token(found, position) and not (
            position == 0 and self._distinctive_surname(candidate.tokens[-1])
        ):
            return None
        anchor = max(len(token) for i, token in enumerate(form.tokens) if i != position)
        if plausible_typo(found, known) and anchor >= required_anchor(found, known):
            return Match(form.person, form.display, transliteration=False)
        if skeleton(found) == skeleton(known) and (max(len(found), len(known)) >= 5 or anchor >= 5):
            return Match(form.person, form.display, transliteration=True)
        return None

    def _article_issues(self, text: str, mentions: list[Candidate]) -> list[NameIssue]:
        """Same surname, near-identical first name: the rarer, unknown spelling is probably the slip."""
        counts = Counter(m.tokens for m in mentions)
        by_surname: dict[tuple[int, str], list[Candidate]] = {}
        for mention in mentions:
            by_surname.setdefault((len(mention.tokens), mention.tokens[-1]), []).append(mention)
        issues = []
        for group in by_surname.values():
            spellings = {m.tokens for m in group}
            if len(spellings) < 2:
                continue
            for mention in group:
                reference = self._reference(mention, spellings, counts)
                if reference is None:
                    continue
                shown = next(m.text for m in group if m.tokens == reference)
                confidence = 0.75 if self.gazetteer.is_known(reference) else 0.6
                evidence = f"in-article: '{mention.text}' also appears as '{shown}'"
                issues.append(_issue(mention, shown, confidence, evidence))
        issues.extend(self._surname_issues(text, mentions))
        return issues

    def _reference(
        self, mention: Candidate, spellings: set[tuple[str, ...]], counts: Counter[tuple[str, ...]]
    ) -> tuple[str, ...] | None:
        if self.gazetteer.is_known(mention.tokens):
            return None
        for other in sorted(spellings):
            if other == mention.tokens or other[1:] != mention.tokens[1:]:
                continue
            trusted = self.gazetteer.is_known(other) or counts[other] > counts[mention.tokens]
            first, other_first = mention.tokens[0], other[0]
            if min(len(first), len(other_first)) < 2:
                continue
            near = osa_distance(first, other_first) == 1 or skeleton(first) == skeleton(other_first)
            if trusted and near and not same_first_name(first, other_first):
                return other
        return None

    def _surname_issues(self, text: str, mentions: list[Candidate]) -> list[NameIssue]:
        """A bare surname one letter off the surname of a known person named in full in the same article."""
        surnames = {m.tokens[-1]: m for m in mentions if self.gazetteer.is_known(m.tokens)}
        if not surnames:
            return []
        issues = []
        for word in single_words(text):
            folded = fold(word.text)
            if (
                folded in surnames
                or self.gazetteer.is_known_token(folded, 1)
                or folded in self.gazetteer.known
            ):
                continue
            near = [
                m
                for surname, m in surnames.items()
                if folded != surname + "s" and plausible_typo(folded, surname)
            ]
            if len(near) != 1:
                continue
            full = near[0]
            shown = full.text.split()[-1]
            evidence = (
                f"in-article: '{word.text}' is one letter off '{shown}' ({full.text}, named in the article)"
            )
            issues.append(_issue(word, shown, 0.7, evidence))
        return issues


@lru_cache(maxsize=1)
def default_checker() -> NameChecker:
    """The shipped gazetteer, extended by the newsroom names file when FACTDESK_NAMES_FILE is set."""
    people = gz.load_file().people
    names_file = get_settings().names_file
    if names_file is not None:
        if not names_file.is_file():
            raise UserFacingError(
                f"The newsroom names file {names_file} (FACTDESK_NAMES_FILE) does not exist."
            )
        people = [*people, *gz.read_newsroom_names(names_file)]
    return NameChecker(Gazetteer(people))
