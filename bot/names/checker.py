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
from itertools import islice
from typing import NamedTuple

from bot.config import get_settings
from bot.errors import UserFacingError
from bot.models import NameIssue, Origin
from bot.names import gazetteer as gz
from bot.names.gazetteer import FAMOUS_RANK, Gazetteer, PersonRecord, fold, form_tokens, skeleton

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*\.?")
_JOINERS = "'’-"
# Lower-case letters (ASCII, Latin-1, Greek, Cyrillic) skipped when looking for a run's first word: a word
# starting lower case opens a run only when hyphenated, and then is found by its capital ("al-Assad").
_LOWER = "a-zß-öø-ÿά-ώа-џ"
# A run's first word, from a character that may start it: not one of `_LOWER`, and not inside a word (not
# after a letter, nor after a letter and an apostrophe). After a letter and a hyphen it is a capital inside
# a hyphenated word ("al-Assad"), which can make the whole word a name word: `_runs` then reads the word
# from its start. Every word that can open a run holds one; one search finds it and reads the word on.
_RUN_START = re.compile(
    rf"[^\W\d_{_LOWER}](?<![^\W\d_].)(?<![^\W\d_]['’].)"  # the character
    r"[^\W\d_]*(?:['’\-][^\W\d_]+)*\.?"  # the rest of the word, as `_WORD` reads it
)
_RUN_GAP = frozenset({" ", "\u00a0"})
_POSSESSIVE = ("'s", "’s", "s'", "s’")
_PARTICLES = frozenset(
    """
    da de del della der den di do dos das du la le van von bin binti bint ibn al el ben zu ter ten af
    """.split()
)
_ABBREVIATIONS = frozenset({"jr.", "sr.", "st."})
# The next word of a run: up to two of `_RUN_GAP` before it (none after a dotted initial, "U.S"), and only a
# word that may be a name word or a particle: not one starting lower case, unless hyphenated ("al-Assad") or
# a particle ("van", "de's", case aside). Most runs are followed by an ordinary word ("Smith said"), which
# then ends the run without being read.
_RUN_NEXT = re.compile(
    f"[{''.join(sorted(_RUN_GAP))}]{{0,2}}"
    rf"(?=[^\W\d_{_LOWER}]|[^\W\d_]+(?:['’][^\W\d_]+)*-"
    rf"|(?i:{'|'.join(sorted(_PARTICLES))})(?:['’]s)?(?![^\W\d_]|['’\-][^\W\d_]))"
    f"({_WORD.pattern})"
)

# Capitalised words that are never part of a person's name in running news text: they split a run of
# capitalised words ("British Prime Minister Keir Starmer" -> "Keir Starmer").
_REPEATED = re.compile(r"(.)\1+")
# Countries whose people's names reach English news through romanisations that legitimately vary
# ("Yanukovich"/"Yanukovych"). Not China, Taiwan or Japan: pinyin, Wade-Giles and Hepburn spell one way.
VARIED_ROMANISATION = frozenset(
    country.strip()
    for country in """
    Russia;Ukraine;Belarus;Kazakhstan;Kyrgyzstan;Tajikistan;Uzbekistan;Turkmenistan;Bulgaria;Serbia;
    North Macedonia;Greece;Cyprus;Georgia;Armenia;South Korea;North Korea;India;Pakistan;Bangladesh;Sri Lanka;Nepal;Iran;Iraq;Israel;Saudi Arabia;Egypt;
    Syria;Lebanon;Jordan;Yemen;Libya;Algeria;Morocco;Tunisia;Sudan;Afghanistan;Thailand;Myanmar;Cambodia;
    Laos;Mongolia;United Arab Emirates;Qatar;Kuwait;Bahrain;Oman;Palestine;State of Palestine;Ethiopia;
    Eritrea;Soviet Union;Russian Empire
    """.split(";")
)
# The last word of an office that can open a run of capitalised words before the name
# ("Secretary of State Mike Pompeo", "Minister of Foreign Affairs Wang Yi").
_OFFICE_ENDINGS = frozenset(
    """
    state affairs staff exchequer treasury security adviser advisor commerce development relations
    transport environment culture sport media economy tourism works welfare housing
    """.split()
)

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
    egyptian palestinian pakistani afghan iraqi swedish dutch belgian scot scots brit brits
    uk us usa eu un nato britain
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
    words: tuple[Word, ...] = ()

    def tails(self, full_text: str) -> list[Candidate]:
        """The name without the end of an office before it ("State Mike Pompao" -> "Mike Pompao")."""
        found = []
        for first in range(1, len(self.words) - 1):
            if fold(self.words[first - 1].text) not in _OFFICE_ENDINGS:
                break
            start = self.words[first].start
            tokens = _name_tokens(full_text[start : self.end])
            if len(tokens) >= 2:
                found.append(
                    Candidate(full_text[start : self.end], start, self.end, tokens, self.words[first:])
                )
        return found

    def joined(self) -> Candidate | None:
        """The name with hyphens closed ("Tsai Ing-wan" -> tsai ingwan), as hyphenated given names are indexed."""
        if "-" not in self.text:
            return None
        return Candidate(self.text, self.start, self.end, form_tokens(self.text, joined=True), self.words)


class Word(NamedTuple):
    """A word of a run: a named tuple, built faster than a frozen dataclass for every capitalised word."""

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


def one_edit_apart(a: str, b: str) -> bool:
    """`osa_distance(a, b) == 1` in one pass: past the common prefix, one letter replaced, dropped, added,
    or two neighbours swapped. The checkers ask only this, for many word pairs per article."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i, shorter = 0, min(len(a), len(b))
    while i < shorter and a[i] == b[i]:
        i += 1
    if len(a) > len(b):
        return a[i + 1 :] == b[i:]
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    return a[i + 1 :] == b[i + 1 :] or (
        a[i + 1 : i + 2] == b[i] and a[i] == b[i + 1 : i + 2] and a[i + 2 :] == b[i + 2 :]
    )


def plausible_typo(found: str, known: str) -> bool:
    """One dropped, doubled, swapped or (in a longer word) replaced letter, never the first letter.

    A different first letter ("Marr"/"Barr", "Terry"/"Kerry") or a replaced letter in a short word
    ("Read"/"Reed") is far more often another real person's name than a slip.
    """
    if found[0] != known[0] or not one_edit_apart(found, known):
        return False
    if _replaced_letter(found, known):
        return len(found) >= 5
    return max(len(found), len(known)) >= 4


def romanisation_variant(found: str, known: str) -> bool:
    """The same consonant frame with other vowels or digraphs ("Yanukovich"/"Yanukovych"), not a doubled letter."""
    return skeleton(found) == skeleton(known) and _REPEATED.sub(r"\1", found) != _REPEATED.sub(r"\1", known)


def required_anchor(found: str, known: str) -> int:
    """How long the untouched part of the name must be before a one-letter slip is trusted.

    Short syllables ("Yan"/"Yang") and replaced letters ("Jifeng"/"Jiheng") are often another real name,
    unless the rest of the name pins the person down.
    """
    if max(len(found), len(known)) <= 4:
        return 5
    if _replaced_letter(found, known):
        return 3
    return 2


LONG_WORD = 6  # a slip in a word this long is trusted whatever the rest of the name

_GENERIC_TITLES = frozenset({"minister", "secretary", "member", "deputy", "state", "leader", "director"})


def _same_or_variant(first: str, known_first: str) -> bool:
    """One first name, in another register ("Ed") or spelling ("Jon"): not a *different* first name."""
    return (
        same_first_name(first, known_first)
        or first == known_first
        or one_edit_apart(first, known_first)
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

    Cached: one article's runs serve both the full-name and the bare-surname checks. A run opens at a
    name word that `_RUN_START` finds and takes the words right after it while they are name words or
    particles; a run ends at the first word that closes it. The loops run once per capitalised word of
    every article, so what they call is bound to locals."""
    runs: list[tuple[Word, ...]] = []
    position = 0
    start_search, next_match, word_match = _RUN_START.search, _RUN_NEXT.match, _WORD.match
    known_facts = _WORD_FACTS.get
    while match := start_search(text, position):
        start, position = match.span()
        if start > 1 and text[start - 1] == "-":  # a capital inside a hyphenated word ("al-Assad")
            start, position = word_match(text, _word_start(text, start)).span()
        raw = text[start:position]
        word, dropped, closes_run, name, _ = known_facts(raw) or _word_facts(raw)
        if not name:
            continue
        run = [Word(word, start, position - dropped)]
        while not closes_run and (match := next_match(text, position)):
            raw = match.group(1)
            word, dropped, closes_run, name, particle = known_facts(raw) or _word_facts(raw)
            if not (name or particle):
                break
            start, position = match.span(1)
            run.append(Word(word, start, position - dropped))
        runs.append(tuple(run))
    return tuple(runs)


@lru_cache(maxsize=16_384)
def _name_tokens(span: str) -> tuple[str, ...]:
    """A span's folded words; the same names recur across articles."""
    return tuple(fold(span).split())


def candidates(text: str) -> list[Candidate]:
    """Person-like spans in the text, at most six words, trimmed of particles at either end."""
    found = []
    for run in _runs(text):
        if len(run) < 2:  # most runs are one capitalised word
            continue
        while run and run[-1].text.lower() in _PARTICLES:
            run = run[:-1]
        if not 2 <= len(run) <= 6:
            continue
        start, end = run[0].start, run[-1].end
        span = text[start:end]
        tokens = _name_tokens(span)
        if len(tokens) >= 2:
            found.append(Candidate(span, start, end, tokens, run))
    return found


def single_words(text: str) -> list[Word]:
    """Capitalised single words (possible bare surnames), for the in-article surname check."""
    return [run[0] for run in _runs(text) if len(run) == 1 and len(run[0].text) >= 4]


@dataclass(frozen=True, slots=True)
class Match:
    """A gazetteer spelling the candidate could be a slip of."""

    person: int
    display: str


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
            issue = self._candidate_issue(text, candidate)
            if issue is not None:
                issues[issue.start] = issue
        for issue in self._article_issues(text, mentions):
            if not any(issue.start < other.end and other.start < issue.end for other in issues.values()):
                issues[issue.start] = issue
        return sorted(issues.values(), key=lambda issue: issue.start)

    def _candidate_issue(self, text: str, candidate: Candidate) -> NameIssue | None:
        """The span, then the span with hyphens closed, then without the words before the name."""
        for span in (candidate, candidate.joined(), *candidate.tails(text)):
            if span is None:
                continue
            if self.gazetteer.is_known(span.tokens):
                return None
            issue = self._gazetteer_issue(text, span) or self._title_issue(text, span)
            if issue is not None:
                return issue
        return None

    def _gazetteer_issue(self, text: str, candidate: Candidate) -> NameIssue | None:
        matches = [
            m
            for form_id in self.gazetteer.near_forms(candidate.tokens)
            if (m := self._verify(candidate, form_id, text))
        ]
        if not matches:
            return None
        people = self.gazetteer.people
        matches.sort(key=lambda m: (people[m.person].rank, m.display != people[m.person].name))
        best = matches[0]
        rivals = {
            fold(people[m.person].name) for m in matches if people[m.person].rank == people[best.person].rank
        }
        if len(rivals) > 1:
            return None
        person = people[best.person]
        confidence = 0.8 if person.rank >= 3 else 0.9
        return _issue(candidate, best.display, confidence, person.evidence())

    def _distinctive_surname(self, surname: str) -> bool:
        """A long surname only one known person carries: it pins the person even if the first name is a real one."""
        forms = self.gazetteer.surname_forms(surname)
        return len(surname) >= 6 and len({self.gazetteer.form(f).person for f in forms}) == 1

    def _title_issue(self, text: str, candidate: Candidate) -> NameIssue | None:
        """A wrong first name: the surname and the office title fit one known person, the first name does not."""
        if len(candidate.tokens[-1]) < 5:  # a short surname is no evidence: "Chris Fox"
            return None
        before: str | None = None  # folded only when some known person's title needs checking
        fits: dict[int, str] = {}
        first, rest = candidate.tokens[0], candidate.tokens[1:]
        for form_id in self.gazetteer.surname_forms(candidate.tokens[-1]):
            form = self.gazetteer.form(form_id)
            if form.tokens[1:] != rest or _same_or_variant(first, form.tokens[0]):
                continue  # before the person is read: most people of a surname are decoded for nothing
            person = self.gazetteer.person(form.person)
            # "singer Paul Jones" is not a slip for Tom Jones
            if not person.suggest or person.rank >= FAMOUS_RANK:
                continue
            title = office_title(person.role)
            if title and before is None:
                before = fold(text[max(0, candidate.start - 60) : candidate.start])
            if title and before.endswith(title):
                fits.setdefault(form.person, form.display)
        if len(fits) != 1:
            return None
        person_id, display = fits.popitem()
        evidence = (
            f"{self.gazetteer.person(person_id).evidence()}; same surname and title, different first name"
        )
        return _issue(candidate, display, 0.6, evidence)

    def _verify(self, candidate: Candidate, form_id: int, text: str = "") -> Match | None:
        """Accept a near form only when one word differs, by a plausible slip.

        The changed word must not be a word another known person carries in that place ("Ed Ball" may be
        someone else), unless it is the first name before a long surname only one known person has, or a
        long word after the person's own title ("President Xi Jinpeng"). Another
        romanisation of a name from a non-Latin script ("Yanukovich", "Mikhail Saakashvili") is house
        style, not a slip: it is flagged only when the article spells the name both ways.
        """
        form = self.gazetteer.form(form_id)
        if len(form.tokens) != len(candidate.tokens):
            return None
        differing = [i for i, (a, b) in enumerate(zip(candidate.tokens, form.tokens, strict=True)) if a != b]
        if len(differing) != 1:
            return None
        position = differing[0]
        found, known = candidate.tokens[position], form.tokens[position]
        if min(len(found), len(known)) < 3:
            return None
        person = self.gazetteer.person(form.person)  # read only for a form one word away
        if not person.suggest:
            return None
        long_word = min(len(found), len(known)) >= LONG_WORD  # "Xi Jinpeng": the given name is the anchor
        if self.gazetteer.is_known_token(found, position) and not (
            (position == 0 and self._distinctive_surname(candidate.tokens[-1]))
            or (long_word and _after_own_title(text, candidate, person))
        ):
            return None
        anchor = max(len(token) for i, token in enumerate(form.tokens) if i != position)
        if person.country in VARIED_ROMANISATION and romanisation_variant(found, known):
            return None
        if found == known + "s" and not known.endswith("s"):  # "We can't all be Wayne Rooneys"
            return None
        if plausible_typo(found, known) and (
            anchor >= required_anchor(found, known)
            or (
                long_word
                and (not _replaced_letter(found, known) or _after_own_title(text, candidate, person))
            )
        ):
            # A replaced letter behind a short surname ("Li Jifeng"/"Li Jiheng") is as often another person:
            # only the person's own title before it ("President Xi Jinpeng") makes it a slip.
            return Match(form.person, form.display)
        if position == 0 and anchor >= 5 and _short_slip(found, known):  # "Tonf Blair", "Jyck Straw"
            return Match(form.person, form.display)
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
        if _english(text):  # German capitalises every noun ("Konzept", "Konzepte")
            issues.extend(self._spelling_issues(text, mentions))
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
            near = one_edit_apart(first, other_first) or skeleton(first) == skeleton(other_first)
            if trusted and near and not same_first_name(first, other_first):
                return other
        return None

    def _spelling_issues(self, text: str, mentions: list[Candidate]) -> list[NameIssue]:
        """A surname spelled two ways in one article: the spelling in the minority is the slip.

        Surnames are the last words of full names and capitalised single words. The other spelling must
        close a full name in the article and be used more often, or as often when that full name is a known
        person's. A minority spelling that is itself a known name or an ordinary word, or that the article
        also writes in lower case, is left alone.
        """
        uses: dict[str, list[Word]] = {}
        first_names: dict[str, set[str]] = {}  # the first names each surname spelling is used with
        for mention in mentions:
            last = mention.words[-1]
            key = _word_key(last.text)
            uses.setdefault(key, []).append(last)
            first_names.setdefault(key, set()).add(mention.tokens[0])
        for word in single_words(text):
            uses.setdefault(_word_key(word.text), []).append(word)
        # The other spelling closes a full name: the surnames by first letter and length, which a slip
        # changes little; each is filed under its length and the lengths one off, so one look-up finds it.
        by_shape: dict[tuple[str, int], list[str]] = {}
        for key in first_names:
            for length in (len(key) - 1, len(key), len(key) + 1):
                by_shape.setdefault((key[:1], length), []).append(key)
        known_people = {m.tokens[-1] for m in mentions if self.gazetteer.is_known(m.tokens)}
        issues = []
        for key, found in uses.items():
            if len(key) < 4 or not key.isascii():
                continue
            rivals = [
                other
                for other in by_shape.get((key[:1], len(key)), ())
                if other != key
                and _outweighs(len(uses[other]), len(found), other in known_people)  # the cheap tests first
                and (
                    plausible_typo(key, other)
                    or (
                        _short_slip(key, other)
                        and self._named_in_full(other, known_people, first_names.get(key, set()))
                    )
                )
                and not _other_person(first_names.get(key, set()), first_names[other])
                and (other in known_people or not self.gazetteer.is_common_word(other))  # not "Standard Life"
                and not self._inflection(key, other)
            ]
            # The gazetteer is asked about a word only once the article spells it two ways: each question
            # decodes part of the index, and most capitalised words have no rival spelling.
            if len(rivals) != 1 or self._known_word(key):
                continue
            if self.gazetteer.is_known_token(key, 1) or _vowel_for_vowel(key, rivals[0]):
                # in a list of names, a real name or another vowel ("Dowson", "Dawson") is someone else
                found = [word for word in found if not _in_name_list(text, word)]
            if not found or _written_in_lower_case(text, found[0].text):
                continue
            other = rivals[0]
            shown = uses[other][0].text
            known = other in known_people
            evidence = (
                f"in-article: '{found[0].text}' {_times(len(found))}, '{shown}' {_times(len(uses[other]))}"
                + (" (the surname of a known person named in the article)" if known else "")
            )
            issues.extend(_issue(word, shown, 0.75 if known else 0.6, evidence) for word in found)
        return issues

    def _inflection(self, word: str, other: str) -> bool:
        """One word is the other with another ending ("Beckhams", "Kenyan", "Germans", German "Konzepte"): a
        plural or a nationality, not a slip; another last letter only after an ordinary word or a country."""
        if {word[-3:], other[-3:]} in ({"tre", "ter"}, {"bre", "ber"}):  # "Amphitheater"/"Amphitheatre"
            return word[:-2] == other[:-2]
        short, long = sorted((word, other), key=len)
        if len(long) == len(short) + 1 and long.startswith(short) and long[-1] != short[-1]:
            return long[-1] in _ENDINGS or self.gazetteer.is_common_word(short)
        common = self.gazetteer.is_common_word(word) or self.gazetteer.is_common_word(other)
        return (
            common
            and len(word) == len(other)
            and word[:-1] == other[:-1]
            and {word[-1], other[-1]} == {"s", "y"}
        )

    def _named_in_full(self, surname: str, known_people: set[str], first_names: set[str]) -> bool:
        """A known person with this surname is named in full in the article, or would be but for the slip."""
        return surname in known_people or any(
            self.gazetteer.is_known((first, surname)) for first in first_names
        )

    def _known_word(self, key: str) -> bool:
        """A known name or an ordinary word ("Beauty" beside "Beatty"): another word, not a slip."""
        return (
            self.gazetteer.is_known_token(key, 1)
            or self.gazetteer.is_known((key,))
            or self.gazetteer.is_common_word(key)
        )


def _other_person(first_names: set[str], other_first_names: set[str]) -> bool:
    """'Allan Bogle' beside 'Anna Boyle': each spelling has its own first name, so two people."""
    return bool(first_names and other_first_names) and not any(
        _same_or_variant(a, b) for a in first_names for b in other_first_names
    )


def _outweighs(other_uses: int, uses: int, known_person: bool) -> bool:
    """The majority spelling, or a tie broken by a known person named in full with that spelling."""
    return (other_uses > uses and other_uses >= 2) or (other_uses >= uses and known_person)


def _replaced_letter(word: str, other: str) -> bool:
    """One letter put for another (not dropped, doubled or swapped)."""
    return len(word) == len(other) and sorted(word) != sorted(other)


def _short_slip(word: str, other: str) -> bool:
    """One replaced letter in a four-letter surname ("Focx" for "Foxx"), never the first: trusted only when the
    article names the known person in full with the other spelling."""
    return len(word) == len(other) == 4 and word[0] == other[0] and one_edit_apart(word, other)


def _vowel_for_vowel(word: str, other: str) -> bool:
    return len(word) == len(other) and all(
        a == b or (a in "aeiou" and b in "aeiou") for a, b in zip(word, other, strict=True)
    )


def _english(text: str) -> bool:
    """English prose: about one word in five is one of these; in German or French copy hardly any is."""
    sample = text[:3000]
    needed = -(-(sample.count(" ") + 1) // 25)  # words / 25, rounded up
    # English prose has them early: the scan stops at the last one needed.
    return next(islice(_FUNCTION_WORDS.finditer(sample), needed - 1, None), None) is not None


_FUNCTION_WORDS = re.compile(r"\b(?:the|The|and|of|to|in|is|was|his|her|said|with|for|that)\b")


def _after_own_title(text: str, candidate: Candidate, person: PersonRecord) -> bool:
    """Whether the person's office title stands right before the name ("President Xi Jinpeng")."""
    title = office_title(person.role) if person.rank < FAMOUS_RANK else None
    return bool(title) and fold(text[max(0, candidate.start - 60) : candidate.start]).endswith(title)


@lru_cache(maxsize=16_384)
def _word_key(word: str) -> str:
    """One surname word as compared: folded, hyphens closed ("Ing-wen" -> "ingwen")."""
    return fold(word).replace(" ", "")


_ENDINGS = frozenset("si")  # plural and adjective endings ("Dems", "Hanbali")
_LIST_NEXT = re.compile(r",\s+[A-Z]")
_LIST_PREVIOUS = re.compile(r"(?:[A-Z][^\W\d_]*,|[.:;])\s+$")


def _in_name_list(text: str, word: Word) -> bool:
    """An item of a list of names ("... Voyce. Dowson, Haughton, Monye")."""
    return bool(_LIST_NEXT.match(text, word.end)) and bool(
        _LIST_PREVIOUS.search(text, max(0, word.start - 40), word.start)
    )


def _written_in_lower_case(text: str, word: str) -> bool:
    """Whether the article also uses the word as an ordinary word ("Rover" beside "a rover")."""
    lower = word.lower()
    if lower == word or lower not in text:  # one fast scan; the pattern tries every position of a long text
        return False
    return re.search(rf"(?<![^\W\d_]){re.escape(lower)}(?![^\W\d_])", text) is not None


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


@lru_cache(maxsize=1)
def default_checker() -> NameChecker:
    """The shipped gazetteer, extended by the newsroom names file when FACTDESK_NAMES_FILE is set."""
    gazetteer = gz.load()
    names_file = get_settings().names_file
    if names_file is not None:
        if not names_file.is_file():
            raise UserFacingError(
                f"The newsroom names file {names_file} (FACTDESK_NAMES_FILE) does not exist."
            )
        gazetteer.add_people(gz.read_newsroom_names(names_file))
    return NameChecker(gazetteer)
