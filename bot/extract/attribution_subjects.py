"""People named only by a common noun: "Opponents say", "Health bosses said", "a trader told", "the patient
wrote", "according to a group representing ...".

The role and group lists (`attribution_patterns`) cannot hold every noun a newsroom uses for people nobody
names, and rules fitted to their words missed "competitors", "brokerages" and "web users" on fresh copy. Here
the grammar decides instead: a noun phrase with no name in it that opens a clause and whose verb is one of
speech, or that follows "according to" or an inverted speech verb, is a source nobody can call back. Only
verbs of speech count (not stance verbs, whose subjects are as often things: "prices remain"), and nouns for
documents and figures are left to the report pass.
"""

from __future__ import annotations

import re
from functools import cache

from bot.extract import attribution_patterns as P
from bot.extract.attribution_context import Find, Sentence, weak_find
from bot.extract.attribution_grammar import VERB_AFTER, is_reporting
from bot.extract.attribution_named import personal_words
from bot.models import AttributionKind, Strength

_REASON = "no one named, only what they are"

# Speech proper: what a subject's words were, never what it did ("investors added to positions" is left out,
# as are stance verbs such as "back" or "remain", whose subjects are as often prices and plans).
_SPEECH_LEMMAS = """
    say tell claim argue warn complain insist allege report note explain predict protest contend believe
    fear suspect write describe admit acknowledge concede deny accuse urge suggest speculate estimate
    caution confirm reveal recall observe remark reply testify lament boast grumble question doubt worry
    """.split()
_SPEECH = frozenset(
    form for lemma in _SPEECH_LEMMAS for form in P.inflect(lemma) if not form.endswith("ing")
) | frozenset("says said told wrote written thought think thinks quipped joked".split())
# The same verbs in the progressive, which count only after a form of "be": "security firms are warning".
_SPEECH_ING = frozenset(form for lemma in _SPEECH_LEMMAS for form in P.inflect(lemma) if form.endswith("ing"))
_PROGRESSIVE = re.compile(r"\b(?:is|are|was|were|been)\s+(?:[a-z]+ly\s+|still\s+|also\s+|now\s+)?$")
# "Experts and brokerages are of the view that ...": a held view, as a stance verb would say it.
_OF_THE_VIEW = re.compile(
    r"\s+(?:(?:are|is|were|was|remain|remained)\s+)of\s+the\s+(?:view|opinion|belief)\b"
)

# Plural nouns that say things but are no people: documents, figures, signs ("reports said", "figures show").
_THINGS = frozenset(
    """
    investigations inquiries probes audits findings reports figures documents records studies surveys polls
    results papers minutes files notes emails messages letters filings rules laws guidelines terms signs tests
    analyses estimates numbers statistics data texts tweets posts headlines forecasts models projections accounts
    stories articles details news series means sources others those these ones things items words lyrics
    pictures photos images videos tapes recordings memos plans proposals bills charges sales shares prices
    markets rates costs odds indicators signals trends measures readings gauges indices indexes
    """.split()
)
# Capitalised plurals that open a sentence as a party or a people, not a common noun: "Democrats say".
_PROPER_PLURALS = frozenset(
    "democrats republicans tories conservatives liberals socialists nationalists unionists greens britons".split()
)
_FUNCTION = (
    "(?:"
    + P.alternation(
        """but and or nor while whereas that which who whom whose so yet because if when as the a an some many
        several few most other others certain numerous various multiple among to for with from by in on at of
        after before despite like his her their its our my your this these those then how although though since
        until unless where what there here it they we he she you i also still only even just now not no all
        both each every any such same own more less very""".split()
        + sorted(P.AUXILIARIES)
    )
    + r")\b"
)
# "says", "claims", "thinks": a verb's -s, not a plural.
_VERB_FORMS = "(?:" + P.alternation(w for w in P.REPORTING_VERBS | P.STANCE_VERBS if w.endswith("s")) + ")"
# A modifier: a lower-case word that is no function word, or a possessive ("China's health chiefs").
_MOD = rf"(?:(?!{_FUNCTION})[a-z][\w-]*(?<![b-hj-rtv-z]s)(?<!')(?<!ly)|[A-Z][\w&.-]*'s)"
_PLURAL = rf"(?!{_FUNCTION}|{_VERB_FORMS}\b|(?:helps|lets|makes|needs)\b)[a-z][a-z-]*[a-hj-rtv-z]s"
_QUANTITY = (
    r"(?:some|many|several|few|a\s+few|most|numerous|various|other|certain|a\s+(?:growing\s+)?number\s+of|"
    r"a\s+majority\s+of|a\s+handful\s+of|dozens\s+of|hundreds\s+of|two|three|four|five|six|\d{1,3}(?:,\d{3})*)"
)
# A plural phrase with no name in it: "opponents", "health bosses", "some web users", "businesses and
# residents", "china's health chiefs" (the first letter of a sentence is read in lower case).
_PLURAL_BODY = (
    rf"(?P<np>(?:{_QUANTITY}\s+)?(?:{_MOD}\s+){{0,3}}(?P<head>{_PLURAL})"
    rf"(?:\s+(?:and|or)\s+(?:{_MOD}\s+){{0,2}}{_PLURAL})?)(?![\w'-])"
)
# What may come right after a subject before its speech verb: the verb, an auxiliary or adverb, a place, or a
# parenthetical. Tested inside the pattern, since most plurals are followed by no verb of speech at all.
_MAY_FOLLOW = (
    _SPEECH
    | P.AUXILIARIES
    | frozenset(
        """also long often now still already even too been not never then later earlier meanwhile again there here
        further in at from across on inside within of""".split()
    )
)
# The last letter of such a plural: the scan starts on a literal "s", which the engine finds fast, and the word
# is read back from it (`_WORD_ENDING`).
_PLURAL_END = re.compile(
    r"s(?<=[a-hj-rtv-z]s)(?![\w'-])"
    rf"(?=\s*(?:[,(—-]|(?:{P.alternation(_MAY_FOLLOW)}|[a-z]+ly)(?![\w'-])|$))"
)
_SPEECH_OR_VIEW = _SPEECH | _SPEECH_ING | {"view", "opinion"}
_LETTERS = re.compile(r"[a-z]+")
_WORD_ENDING = re.compile(r"(?<![\w'&.-])[A-Za-z][a-z-]*\Z")
# The longest such phrase ending on a given plural word (searched with that word's end as the string's end).
_PLURAL_NP_END = re.compile(rf"(?<![\w'&.-]){_PLURAL_BODY}\Z")
# A place after the phrase, before its verb: "web users in Canada", "workers at the plant"; or what the people
# belong to, one or two common nouns after a determiner: "employees of a car dealership", "members of the
# public" (tried shortest first, each until a speech verb follows).
_PLACES = (
    re.compile(
        r"\s+(?:in|at|from|across|on|inside|within)\s+(?:the\s+)?(?:[A-Z][\w.'-]*|[a-z][\w-]*)(?:\s+[A-Z][\w.'-]*){0,2}"
        r"(?=\s)"
    ),
    *(
        re.compile(rf"\s+of\s+(?:a|an|the|this|that|their|its|his|her)(?:\s+[a-z][\w-]*){{{n}}}(?=\s)")
        for n in (1, 2)
    ),
)


def _place_end(s: str, end: int, plural: bool = False, tag: bool = False) -> int | None:
    """Where the speech verb ends after a place or a belonging that follows the subject ending at `end`."""
    for pattern in _PLACES:
        if (place := pattern.match(s, end)) and (
            said := _speech_end(s, place.end(), plural, tag)
        ) is not None:
            return said
    return None


# One person, no name: "a trader", "one user", "the patient", "an unnamed worker".
_PERSON_NOUNS = (
    "man woman boy girl patient victim witness resident passenger driver mother father parent son daughter wife "
    "husband teenager student pupil worker employee customer user trader doctor nurse surgeon expert analyst "
    "economist scientist researcher academic professor teacher lawyer official officer soldier diplomat insider "
    "source spokesman spokeswoman spokesperson executive manager banker broker dealer investor neighbour "
    "neighbor friend relative colleague member fan commenter poster viewer reader caller shopper owner "
    "landlord tenant farmer villager survivor"
).split()
_ONE_PERSON_WORDS = frozenset(_PERSON_NOUNS) | frozenset(
    h for h in P.UNNAMED_HEADS if not h.endswith(("s", "ship")) and h not in {"police", "people"}
)
_ONE_PERSON = re.compile(
    rf"(?<![\w'-])(?P<np>(?P<det>[Aa]n?|[Oo]ne|[Aa]nother|[Tt]he)\s+(?:{_MOD}\s+){{0,2}}"
    rf"(?P<head>{P.alternation(_PERSON_NOUNS)}))(?![\w'-])"
)
# Where a subject may start: a sentence, a clause after a mark or a conjunction, a relative ("which competitors
# say give").
_CLAUSE_BEFORE = re.compile(
    r"(?:^|[;:(—]\s*|[,.!?][\"']?\s+|\s-\s+|\b(?:and|but|while|whereas|that|as|because|since|though|although|so|"
    r"when|if|where|however|yet|once|which|who|whom|what|after|before|until|unless)\s+)[\"'(]?$",
    re.IGNORECASE,
)
# "..., say those behind the negotiations", '"Good progress" say those behind the talks'.
_CLAUSE_END = re.compile(r"\s*(?:[,.;:!?\"')]|$)")
_INVERTED_SPEECH = re.compile(rf"[,\"']\s*{P.INVERTED_VERBS}\s+")
_THOSE = (
    r"those\s+(?:behind|involved\s+in|inside|within|at|on|in|working\s+(?:on|in|at)|running|leading|"
    r"representing)\s+(?:the\s+|these\s+|such\s+)?[\w'-]+(?:\s+[a-z][\w'-]*){0,2}(?=[\s,.;:!?\"]|$)"
)
# After an inverted speech verb: "say those behind the talks", "say some web users".
_INVERTED_NP = re.compile(rf"(?<![\w'-])(?:(?P<those>{_THOSE})|{_PLURAL_BODY})")
_BY_WORDS = frozenset(
    """
    quoted cited quoting citing described criticised criticized praised dismissed condemned branded labeled labelled
    called hailed attacked welcomed derided questioned disputed rejected denounced slammed declaration declarations
    statement statements claim claims assurance assurances warning warnings announcement announcements admission
    assessment criticism accusation accusations allegation allegations description comment comments remarks verdict
    """.split()
)
_ACCORDING = re.compile(r"\b(?i:according)\s+to\s+")
# "according to a group representing rural counties", "according to one trader": an indefinite phrase cannot
# be on the record; a document after it is the report pass's ("according to a statement from the ministry").
_INDEFINITE = re.compile(
    rf"(?P<np>(?i:a|an|one|another|some|several|many|two|three|four|five)(?P<words>(?:\s+(?!{_FUNCTION})[a-z][\w-]*(?<!ed)(?<!en)){{1,4}}))"
    r"(?![\w'-])"
)
_DOCUMENTS = frozenset(
    """
    report reports statement statements study studies survey surveys poll polls analysis analyses letter
    filing document documents estimate estimates release memo note email message post tweet video recording
    account accounts source sources review paper article story interview transcript ruling decision order
    complaint lawsuit suit indictment affidavit record records list count tally census audit forecast data
    figures statistics model projection index ranking book novel film biography life comic legend tradition
    myth song poem play chronicle history version edition entry manuscript inscription text
    """.split()
)
_PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:[a-z]+ly\s+)?[a-z]+$", re.IGNORECASE)
_PARTICIPLE = re.compile(r"[a-z]+ed|told|written|thought")
_COMPLEMENT = re.compile(r"\s+(?:of|by|as|to|with|in|for|on|at)\b")


def inflected(s: str) -> str:
    """The sentence with the first letter of each of its sentences in lower case (a splitter may keep "in the US.
    Some web users" together), so "Opponents say" reads as "opponents say"; a capital anywhere else is a name's."""
    return _STARTS.sub(lambda m: m[0].lower(), s)


_QUOTE_BEFORE = re.compile(r"[,.!?]?[\"']\s*$")
_STARTS = re.compile(r"(?:^|(?<=[.!?:])[\"']?\s+)[\"'(]?[A-Z]")


def _speech_end(s: str, end: int, plural: bool = False, tag: bool = False) -> int | None:
    """Where the speech verb ends that a subject ending at `end` governs, else None. A passive ("investors have
    been told") makes the phrase the audience, a bare participle with its complement ("citizens suspected of
    terrorism") a reduced relative (unless the phrase tags a quote: '," the patient described in the report'),
    and a verb in the singular ("three helicopters, however, suggests") has another subject. A parenthetical
    that names someone ("biographers, Jane and John Roe, wrote") or continues a list (", and migration,") puts
    the speaker elsewhere."""
    if view := _OF_THE_VIEW.match(s, end):
        return view.end()
    verb = VERB_AFTER.match(s, end)
    if not verb:
        return None
    progressive = verb["verb"] in _SPEECH_ING and _PROGRESSIVE.search(s, end, verb.start("verb"))
    if not progressive and (verb["verb"] not in _SPEECH or _PASSIVE.search(verb.group(0))):
        return None
    low, between = verb["verb"], s[end : verb.start("verb")]
    if _NAMED_OR_LISTED.search(between):
        return None
    if plural and low.endswith("s") and not _AUXILIARY.search(between):
        return None
    if not (tag or between.strip()) and _PARTICIPLE.fullmatch(low) and _COMPLEMENT.match(s, verb.end("verb")):
        return None
    if (low.startswith("report") and not _THAT.match(s, verb.end("verb"))) or (
        low.startswith("protest") and _NO_OBJECT.match(s, verb.end("verb"))
    ):
        return None  # "companies report earnings", "employees protested outside": acts, not speech
    if is_reporting(verb) or low not in P.REPORTING_VERBS:
        return verb.end()  # "have protested" is speech here, though no named speaker's verb
    return None


_NAMED_OR_LISTED = re.compile(r"[A-Z][\w'-]*\s+(?:and\s+)?[A-Z]|^\s*,\s*(?:and|or)\b")
_AUXILIARY = re.compile(rf"\b(?:{'|'.join(sorted(P.AUXILIARIES))})\b")
_THAT = re.compile(r"\s+that\b")
_NO_OBJECT = re.compile(r"\s*(?:$|[,.;:!?]|(?:against|outside|in|at|on|near|over|for|across)\b)")


def find_common_subjects(c: Sentence) -> list[Find]:
    speech = not c.words.isdisjoint(_SPEECH_OR_VIEW)
    relayed = not c.words.isdisjoint(_BY_WORDS)
    if not (speech or relayed or "according" in c.words):
        return []
    s, out = c.text, []
    if speech:
        out += _plural_subjects(c, s) + _inverted_subjects(c, s)
        if not c.words.isdisjoint(_ONE_PERSON_WORDS):
            out += _one_person_subjects(c, s)
    if relayed:
        out += _relayed_and_judged(c, s)
    if "according" in c.words:
        out += _according_to(c, s)
    return out


def _plural_subjects(c: Sentence, s: str) -> list[Find]:
    """Each plural word that a speech verb follows, read back to where its phrase starts (a verb-first search:
    scanning every word for a noun phrase cost the detector a tenth of its speed). The phrase is read with the
    first letter of each sentence in lower case, so "Opponents say" and "Some bus drivers" are read too."""
    out: list[Find] = []
    lowered = ""
    for last in _PLURAL_END.finditer(s):
        if _SPEECH_OR_VIEW.isdisjoint(_LETTERS.findall(s, last.end(), last.end() + 90)):
            continue  # no verb of speech close enough to be this phrase's (a word test, cheaper than the grammar)
        if not (word := _WORD_ENDING.search(s, max(0, last.start() - 40), last.end())):
            continue
        end = word.end()
        if (said := _place_end(s, end, plural=True) or _speech_end(s, end, plural=True)) is None:
            continue
        lowered = lowered or inflected(s)
        m = _PLURAL_NP_END.search(lowered, max(0, word.start() - 80), word.end())
        if m is None or (out and m.start() < out[-1].end - c.base):
            continue
        head = m["head"]
        if head in _THINGS or lowered[m.start()].isupper():
            continue  # "reports said"; "Nokia engineers" inside a sentence is a name's
        if s[m.start()].isupper() and (
            head in _PROPER_PLURALS or head.endswith("ans") or (m["np"] == head and not _capital_group(head))
        ):
            continue  # "Democrats say", "Americans said": a party or a people; "Forbes said": a name
        if not _CLAUSE_BEFORE.search(lowered, 0, m.start()):
            continue  # also "UK citizens", "Nokia engineers": a name before the phrase owns it
        out.append(_weak(c, m.start(), said, m["np"], _plural_kind(head)))
    return out


def _capital_group(head: str) -> bool:
    """Whether one capitalised word opening a sentence reads as a group of people ("Rivals", "Shopkeepers",
    "Opponents") rather than a name that ends in -s ("Forbes", "Jones"): a known group or an agent noun."""
    return head in P.GROUP_HEADS or bool(_AGENT_NOUN.fullmatch(head) or _MORE_AGENTS.fullmatch(head))


def _plural_kind(head: str) -> AttributionKind:
    """Roles ("shipping executives", "health bosses") are unnamed officials; anyone else a vague collective."""
    role = head in P.UNNAMED_HEADS or (
        head not in P.COLLECTIVE_HEADS
        and (head[:-1] in _ONE_PERSON_WORDS or head.endswith(("chiefs", "bosses")))
    )
    return AttributionKind.unnamed_official if role else AttributionKind.vague_collective


def _one_person_subjects(c: Sentence, s: str) -> list[Find]:
    out = []
    for m in _ONE_PERSON.finditer(s):
        if (
            not _CLAUSE_BEFORE.search(s, 0, m.start())
            or _NAME_AFTER.match(s, m.end())
            or _NAME_APPOSED_BEFORE.search(s, 0, m.start())
        ):
            continue  # "Matt Williams, a fund manager at Perpetual, said": the named person's role
        tag = bool(_QUOTE_BEFORE.search(s, 0, m.start()))
        if (said := _place_end(s, m.end(), tag=tag) or _speech_end(s, m.end(), tag=tag)) is not None:
            out.append(_weak(c, m.start(), said, m["np"], AttributionKind.unnamed_official))
    return out


def _inverted_subjects(c: Sentence, s: str) -> list[Find]:
    out = []
    for verb in _INVERTED_SPEECH.finditer(s):
        m = _INVERTED_NP.match(s, verb.end())
        if not m or verb[0].rstrip().lower().endswith("told") or not _CLAUSE_END.match(s, m.end()):
            continue  # "told reporters": the audience; "said some students could": what was said
        if m["those"] or m["head"] not in _THINGS:
            out.append(_weak(c, m.start(), m.end(), m[0], AttributionKind.vague_collective))
    return out


def _relayed_and_judged(c: Sentence, s: str) -> list[Find]:
    """ "Reuters quoted one trader as saying", "described by one civil service union as", "an earlier declaration
    by China's health chiefs that": whoever is quoted, judges or declares is named only by what they are."""
    out = []
    for m in _BY_UNNAMED.finditer(s):
        owned = m["np"][0].isupper()  # "China's health chiefs"; "Trump's campaign" is his, named
        if (
            _people(m["head"])
            and not (owned and not m["head"].endswith("s"))
            and not _NAME_AFTER.match(s, m.end())
        ):
            kind = AttributionKind.unnamed_official
            out.append(_weak(c, m.start("np"), m.end(), m["np"], kind))
    return out


def _people(head: str) -> bool:
    """Whether a head names people or a body of them ("trader", "union", "health chiefs", "competitors"), not
    what they cite ("a threat", "several factors", "Canada's efforts")."""
    one = head[:-1] if head.endswith("s") else head
    return (
        one in _ONE_PERSON_WORDS
        or one in _BODIES
        or head in P.GROUP_HEADS
        or (head != one and bool(_AGENT_NOUN.fullmatch(head)))
    )


def _according_to(c: Sentence, s: str) -> list[Find]:
    out = []
    for m in _ACCORDING.finditer(s):
        np = _INDEFINITE.match(s, m.end())
        if np and _DOCUMENTS.isdisjoint(np["words"].split()) and not _NAME_NEXT.match(s, np.end()):
            out.append(_weak(c, m.start(), np.end(), np["np"], AttributionKind.unnamed_official))
        elif trade := P.TRADE_METONYMS.match(s, m.end()):
            out.append(_weak(c, m.start(), trade.end(), trade[0], AttributionKind.vague_collective))
    return out


def _weak(c: Sentence, start: int, end: int, source: str, kind: AttributionKind) -> Find:
    """A find whose source is the phrase as written (the passes read the sentence with its first letter lowered)."""
    at = c.text.lower().find(source.lower(), start)
    shown = c.text[at : at + len(source)] if at >= 0 else source
    return weak_find(c.base + start, c.base + end, shown, kind, _REASON, 58)


_NAME_AFTER = re.compile(r",?\s*(?:[A-Z][\w'.-]+\s+)+[A-Z][\w'-]+")
_NAME_APPOSED_BEFORE = re.compile(r"[A-Z][\w'.-]+\s+[A-Z][\w'.-]+\s*,\s*$")
# "according to a new Fast Company report": the phrase runs on into a name, whose report it is.
_NAME_NEXT = re.compile(r"\s+[A-Z]")


# Who is quoted, judges or declares: an indefinite or counted phrase, or one owned by a name ("China's health
# chiefs"), never "the ..." (one already named) nor a capitalised name.
_BY_UNNAMED = re.compile(
    r"\b(?:(?:quoted|cited|quoting|citing)\s+"
    r"|(?:described|criticised|criticized|praised|dismissed|condemned|branded|labell?ed|called|hailed|attacked|"
    r"welcomed|derided|questioned|disputed|rejected|denounced|slammed)\s+(?:as\s+[\w-]+\s+)?by\s+"
    r"|(?:declaration|statement|claim|assurance|warning|announcement|admission|assessment|criticism|accusation|"
    r"allegation|description|comments?|remarks|verdict)s?\s+(?:by|from)\s+)"
    rf"(?P<np>(?:(?i:a|an|one|another|some|several|many|two|three)\s+|[A-Z][\w&.-]*'s\s+)(?:{_MOD}\s+){{0,3}}"
    rf"(?P<head>(?!{_FUNCTION})[a-z][\w-]*))(?![\w'-])"
)


_BODIES = frozenset(
    "union group body association organisation organization committee agency firm company bank charity lobby "
    "council board panel network coalition alliance party campaign".split()
)
# Plural agent nouns: "competitors", "providers", "opponents", "campaigners", "health chiefs" (not "-ments").
_AGENT_NOUN = re.compile(r"[a-z-]*(?:ers|ists|ians|ants|(?<!m)ents|chiefs|bosses|officials)")


_MORE_AGENTS = re.compile(r"[a-z-]+(?:ors|als|ees)")


# "the analyst", "the patient": one person pointed back to with a definite article.
_DEFINITE_ONE = re.compile(r"(?i:the)\s+(?:[a-z][\w-]*\s+)?(?P<head>[a-z]+)(?<!s)")


@cache
def _named_with(head: str) -> re.Pattern[str]:
    """Where an article ties a role word to a name: "analyst Jane Doe", "Chancellor Gordon Brown", "Jane Doe,
    an analyst at ...", "Doe, 45, the man who ...", "the patient, Jane Doe"."""
    word = rf"(?i:{re.escape(head)})"
    name = r"[A-Z][\w'-]+(?:\s+[A-Z]\.)?\s+[A-Z][\w'-]+"
    return re.compile(
        rf"\b{word}\s+(?:{P.PERSON_TITLES}\s+)?(?P<after>{name})"
        rf"|(?P<before>[A-Z][\w'-]+)\s*,\s+(?:\d{{1,3}}\s*,\s+)?(?:who\s+(?:is|was)\s+)?(?:a|an|the)\s+(?:[\w'-]+\s+){{0,5}}"
        rf"{word}\b|\b{word}\s*,\s+(?P<apposed>{name})"
    )


def _named_earlier(text: str, end: int, head: str) -> bool:
    """Whether the article ties `head` to a person's name before `end` (not to a title: "BMJ Case Reports, the
    43-year-old man" names a journal, then the man)."""
    low, at = text.lower(), -1
    while (at := low.find(head, at + 1, end)) >= 0:  # read only around the word itself
        for m in _named_with(head).finditer(text, max(0, at - 80), min(end, at + len(head) + 60)):
            name = m["after"] or m["before"] or m["apposed"]
            if _NOT_PERSON_WORDS.isdisjoint(name.lower().split()):
                return True
    return False


_NOT_PERSON_WORDS = P.ORG_WORDS | _DOCUMENTS | P.NOT_NAMES


def settle_anaphora(text: str, finds: list[Find]) -> list[Find]:
    """A definite role word that points back to a person the article named with it ("the analyst" after
    "Jefferies analyst Jonathan Matuszewski") is that person, on the record; one the article never ties to a
    name ("the patient wrote") stays unnamed. A capitalised plural opening a sentence ("Rivals say") is a
    common noun unless the article gives it as a surname elsewhere ("Jones wrote" after "Alex Jones"); the
    named-speaker pass reads every such word as a name, so one of the two readings is dropped here."""
    common = {
        f.start for f in finds if f.reason == _REASON and text[f.start].isupper() and " " not in f.source
    }
    surnames = personal_words(text) if common else frozenset()
    out: list[Find] = []
    for f in finds:
        one = _DEFINITE_ONE.fullmatch(f.source) if f.kind is AttributionKind.unnamed_official else None
        if one and one["head"] in _ONE_PERSON_WORDS and _named_earlier(text, f.start, one["head"]):
            f = Find(
                f.start,
                f.end,
                f.source,
                AttributionKind.named_person,
                Strength.strong,
                _NAMED_EARLIER,
                f.priority,
            )
        elif f.start in common and f.reason == _REASON and f.source in surnames:
            continue  # "Jones wrote": the surname, not a group
        elif f.start in common and f.kind in _NAMED_KINDS and f.source not in surnames:
            continue  # "Rivals say": the group, not a name
        out.append(f)
    return out


_NAMED_EARLIER = "named earlier in the story"
_NAMED_KINDS = frozenset({AttributionKind.named_person, AttributionKind.named_organisation})
