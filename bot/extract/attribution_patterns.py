"""Vocabulary and compiled regexes for the attribution detector.

Kept apart from the detector so the word lists can be read (and argued with) in one place.
Everything is compiled once at import: the offline extractor has to run at 100k words/s.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_OUTLETS_FILE = Path(__file__).with_name("outlets.json")


def _words(text: str) -> frozenset[str]:
    """A word list written as prose, one word per whitespace gap (easier to read than a list literal)."""
    return frozenset(text.split())


def _phrases(text: str) -> frozenset[str]:
    """A list of multi-word phrases, comma-separated."""
    return frozenset(p.strip() for p in text.split(",") if p.strip())


def _inflect(lemma: str) -> list[str]:
    """Regular English verb forms: base, -s, -ed, -ing (enough for reporting verbs)."""
    if lemma.endswith("e"):
        return [lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return [lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    if re.fullmatch(r"[a-z]*[^aeiou][aeiou][pt]", lemma) and lemma not in {"visit", "edit"}:
        # admit, commit, regret ... double the consonant
        return [lemma, lemma + "s", lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"]
    return [lemma, lemma + "s", lemma + "ed", lemma + "ing"]


_REGULAR_REPORTING = _words(
    """
    state note add warn argue claim insist suggest estimate predict caution acknowledge confirm deny
    explain report describe call urge fear worry contend speculate expect emphasize emphasise stress
    assert allege complain question praise criticize criticise welcome applaud condemn reject
    announce declare reveal disclose indicate recall observe remark reply tweet concede admit agree
    disagree dispute doubt accuse express raise voice believe cite quote point testify recommend
    propose demand vow pledge promise threaten boast lament hint conclude want push press favor
    favour consider suspect assume discuss downplay denounce tout highlight portray signal defend
    concern characterize characterise forecast brief present endorse imagine ask weigh
    """
)
_IRREGULAR_REPORTING = _words(
    """
    say says said saying tell tells told telling think thinks thought thinking write writes wrote
    written writing speak speaks spoke spoken speaking feel feels felt feeling see sees saw seen
    seeing seek seeks sought seeking
    """
)
# Predicates that attribute a stance as a verb would ("Many Democrats are afraid that ...").
_STANCE_ADJECTIVES = _words(
    """
    afraid worried concerned confident skeptical sceptical optimistic pessimistic convinced unhappy
    hopeful wary furious outraged angry upset critical supportive adamant insistent doubtful
    """
)
# Reporting verbs in every form, plus the stance adjectives: the words that make a subject a source.
REPORTING_VERBS: frozenset[str] = frozenset(
    [form for lemma in _REGULAR_REPORTING for form in _inflect(lemma)]
    + [*_IRREGULAR_REPORTING, *_STANCE_ADJECTIVES]
)
# The verbs that put a named or unnamed subject on the record in the inverted order ("said X").
INVERTED_VERBS = r"(?:said|says|told|added|noted|stated|wrote|warned|explained|insisted|argued|acknowledged|continued|asked|replied|cautioned|claimed|confirmed)"

# Auxiliaries, adverbs ("privately", "have long"), times ("on Wednesday") and verbs taking an
# infinitive ("sought to downplay") that may sit between a subject and its reporting verb.
_AUX = (
    r"(?:(?i:(?:could|can|would|will|did|do|does|have|has|had|should|were|was|is|are)n['’]t|won['’]t|"
    r"have|has|had|are|were|is|was|will|would|may|might|could|should|can|do|does|did|also|long|often|"
    r"now|still|already|even|too|been|not|never|then|later|earlier|meanwhile|again)"
    r"|[a-z]+ly|(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?:this|last)\s+(?:week|month|year)|in\s+recent\s+(?:days|weeks|months)"
    r"|(?:begun|began|begin|begins|started|start|continue[sd]?|sought|seek|tried|try|want(?:ed|s)?|refused|"
    r"declined|seem(?:ed|s)?|appear(?:ed|s)?|went\s+on|go\s+on)\s+to|would\s+like\s+to)"
)
# "raised concerns", "expressed cautious optimism": keep the object in the span when it is the point.
_OBJECT = (
    r"(?:\s+(?i:(?:cautious|deep|serious|grave|growing|some)\s+)?(?i:concerns?|doubts?|fears?|questions?|alarm|"
    r"optimism|skepticism|scepticism|worries|reservations|support|opposition)(?![\w-]))?"
)
# The verb is captured as any word and checked against REPORTING_VERBS in Python: a 400-way
# alternation inside the regex would be tried at every position and is several times slower.
VERB_PHRASE = rf"(?:\s+{_AUX}){{0,4}}\s+(?P<verb>[A-Za-z]+)(?![\w-]){_OBJECT}"

# Parenthetical after a subject: ", particularly in Eastern Europe," / ", speaking on condition of anonymity,".
PARENTHETICAL = r"(?:\s*,\s*[^,.;:!?\"“”]{1,60}?,)?"

# Heads of noun phrases that name a role, not a person.
UNNAMED_HEADS = {
    "official": "unnamed officials",
    "officials": "unnamed officials",
    "aide": "unnamed officials",
    "aides": "unnamed officials",
    "adviser": "unnamed officials",
    "advisers": "unnamed officials",
    "advisor": "unnamed officials",
    "advisors": "unnamed officials",
    "diplomat": "unnamed officials",
    "diplomats": "unnamed officials",
    "staffer": "unnamed officials",
    "staffers": "unnamed officials",
    "insider": "unnamed insider",
    "insiders": "unnamed insider",
    "operative": "unnamed officials",
    "operatives": "unnamed officials",
    "strategist": "unnamed experts",
    "strategists": "unnamed experts",
    "lawmaker": "unnamed officials",
    "lawmakers": "unnamed officials",
    "authorities": "unnamed officials",
    "leadership": "unnamed leadership",
    "leaders": "unnamed leadership",
    "analyst": "unnamed experts",
    "analysts": "unnamed experts",
    "expert": "unnamed experts",
    "experts": "unnamed experts",
    "economist": "unnamed experts",
    "economists": "unnamed experts",
    "scientist": "unnamed experts",
    "scientists": "unnamed experts",
    "researcher": "unnamed experts",
    "researchers": "unnamed experts",
    "source": "anonymous source",
    "sources": "anonymous source",
    "commander": "unnamed officials",
    "commanders": "unnamed officials",
    "executive": "unnamed officials",
    "executives": "unnamed officials",
    "person": "anonymous source",
    "people": "anonymous source",
    "individual": "anonymous source",
    "individuals": "anonymous source",
}
# Heads that only count with a role modifier or an anonymity formula ("people familiar with").
WEAK_HEADS = frozenset(
    {"person", "people", "individual", "individuals", "leaders", "executive", "executives"}
)
# Collectives that are vague on their own ("critics say") and with a quantifier ("some allies").
COLLECTIVE_HEADS = _words(
    """
    critics observers commentators skeptics sceptics detractors opponents supporters allies members
    countries governments nations voters conservatives liberals progressives pundits historians
    scholars democrats republicans activists residents analysts experts officials people diplomats
    lawmakers economists scientists observers insiders investors traders partners states capitals
    """
)
ALWAYS_VAGUE_HEADS = frozenset(
    ["critics", "observers", "commentators", "skeptics", "sceptics", "detractors", "pundits"]
)
QUANTIFIERS = r"(?:some|many|several|few|a few|most|numerous|various|other|certain|a number of|a handful of|dozens of|multiple)"

# Modifiers allowed inside an unnamed-role noun phrase ("a senior Ukrainian defense official").
ROLE_MODIFIER_WORDS = _words(
    """
    senior junior top high-ranking high-level low-level mid-level former current retired serving
    acting western eastern european military defense defence intelligence security government
    administration campaign party diplomatic foreign federal state local regional city police army
    naval navy white house congressional senate house ministry cabinet election justice department
    agency alliance coalition company industry market financial economic political independent
    outside other two three four five several some many one another both european-based us-based
    u.s. american british russian ukrainian chinese french german israeli iranian turkish western-backed
    administration law enforcement counterterrorism intelligence-community legal medical
    health humanitarian un nato eu pentagon kremlin trade energy oil bank banking wall street
    show cast city county crew club team union school border rebel opposition regime hospital court
    prison airline transition embassy
    """
)

ANONYMITY_FORMULAS = re.compile(
    r"(?:(?:speaking|spoke|talking|talked|who\s+spoke|who\s+asked\s+to\s+speak)\s+on\s+(?:the\s+)?condition\s+"
    r"(?:of\s+|that\s+(?:he|she|they|his|her|their)\s+(?:not\s+be\s+(?:named|identified)|remain\s+anonymous)\b)"
    r"(?:anonymity)?"
    r"|on\s+condition\s+of\s+anonymity"
    r"|(?:who|and)\s+(?:asked|requested|declined|wished|spoke\s+on\s+condition)\s+not\s+to\s+be\s+(?:named|identified)"
    r"|(?:who|and)\s+declined\s+to\s+be\s+(?:named|identified)"
    r"|(?:who|and)\s+(?:was|were|is|are)\s+not\s+authori[sz]ed\s+to\s+(?:speak|comment|discuss)[^,.;]{0,40}"
    r"|(?:speaking|spoke|talking)\s+on\s+background"
    r"|on\s+background"
    r"|(?:speaking|spoke|talking|said|told\s+\w+)\s+anonymously"
    r"|(?:sources?|people|persons?|officials?|individuals?|someone|a\s+person|those)\s+(?:familiar|close|briefed|with\s+(?:direct\s+)?knowledge)"
    r"(?:\s+(?:with|to|on|of))?(?:\s+(?:the|this|his|her|their|its)\s+[\w’'-]+)?"
    r"|(?:anonymous|unnamed|unidentified)\s+(?:sources?|officials?|people|persons?|insiders?|aides?|diplomats?)"
    r")",
    re.IGNORECASE,
)

UNVERIFIABLE_SETTINGS = re.compile(
    r"\b(?:(?:in|at|during|from|after)\s+(?:a|an|the|one)\s+)?"
    r"(?P<setting>(?:closed-door|closed\s+door|private|secret|confidential|off-the-record|internal|unpublished|leaked|"
    r"classified|informal)\s+(?:(?:security|intelligence|cabinet|party|staff|strategy|policy|government|"
    r"telephone|phone|video|diplomatic|military|campaign|donor|fundraising|internal|draft|planning)\s+)?"
    r"(?:briefing|meeting|session|conversation|call|phone\s+call|dinner|memo|memorandum|document|email|e-mail|"
    r"letter|recording|audio|cable|report|note|message|messages|talks|discussion|gathering|chat|remarks)s?"
    r"(?!\s+(?:server|servers|account|accounts|address|addresses|system|systems|use|practices|setup|sector))"
    r"|behind\s+closed\s+doors|off\s+the\s+record|in\s+private(?=\s*[,.;:]|\s+(?:with|that|to|and)\b))"
    r"(?:\s+(?:with|to|of|for|among|between|seen\s+by|obtained\s+by)\s+[^,.;:!?\"“”]{1,50}?(?=[,.;:!?\"“”]|$))?",
    re.IGNORECASE,
)
# "in a memo seen by" without an adjective: the document exists only through the outlet that saw it.
SEEN_BY = re.compile(
    r"\b(?:a|an|the)\s+(?P<setting>(?:memo|memorandum|document|email|letter|report|recording|draft)\s+(?:seen|obtained|reviewed)\s+by\s+"
    r"[^,.;:!?\"“”]{1,40}?(?=[,.;:!?\"“”]|$))",
    re.IGNORECASE,
)

HEDGES = re.compile(
    r"\b(?:reportedly|allegedly|purportedly|supposedly|rumou?red(?:ly)?|ostensibly"
    r"|it\s+(?:is|was|has\s+been|had\s+been|'s|’s)\s+(?:widely\s+|generally\s+|often\s+|also\s+|now\s+|commonly\s+)?"
    r"(?:understood|claimed|believed|reported|alleged|said|thought|rumou?red|suggested|argued|assumed|feared|"
    r"rumored|speculated|known|held|considered|estimated)"
    r"|(?:is|are|was|were|has\s+been|have\s+been)\s+(?:widely\s+|generally\s+|often\s+|also\s+|commonly\s+)?"
    r"(?:said|believed|thought|understood|reported|alleged|rumou?red|claimed|considered|reckoned|presumed)\s+to\s+(?:be|have)\b"
    r"|(?:is|are|was|were)\s+(?:widely|generally|commonly|often)\s+(?:believed|thought|considered|regarded|seen|viewed|held|accepted|known)"
    r"|there\s+(?:are|were|have\s+been)\s+(?:unconfirmed\s+)?(?:reports|claims|rumou?rs|suggestions|allegations)"
    r"|unconfirmed\s+reports?"
    r"|(?:reports|rumou?rs)\s+(?:suggest|suggested|say|said|indicate|indicated|claim|claimed)"
    r")\b",
    re.IGNORECASE,
)

# Passive agent with a vague collective: "considered by some experts", "seen by many as".
PASSIVE_VAGUE = re.compile(
    r"\b(?:considered|regarded|seen|described|viewed|believed|thought|called|criticized|criticised|"
    r"praised|dismissed|labell?ed|hailed|questioned|disputed|doubted|challenged|criticised|condemned)\s+(?:as\s+[\w-]+\s+)?by\s+"
    r"(?:some|many|others|critics|observers|experts|scholars|historians|commentators|analysts|skeptics|"
    r"sceptics|detractors)(?:\s+[a-z]+){0,1}\b"
)

SECONDHAND_VAGUE = re.compile(
    r"\baccording\s+to\s+(?:(?:a|an|the|one|two|several|some|unconfirmed|local|media|press|news|published|recent|"
    r"earlier|other)\s+)*(?:reports?|media(?:\s+reports?)?|press(?:\s+reports?)?|accounts?|rumou?rs?|"
    r"social\s+media(?:\s+posts?)?|posts?\s+on\s+social\s+media|documents?|estimates?)\b"
    r"|\b(?:local|state|russian|chinese|iranian|pro-kremlin|pro-government|western|foreign)\s+media\s+"
    r"(?:reported|said|say|reports|claimed|quoted|cited)\b",
    re.IGNORECASE,
)

PERSON_TITLES = (
    r"(?:Mr|Mrs|Ms|Mx|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|Maj|Capt|Adm|Sgt|Rev|Sens|Reps|Pres|Supt|Insp|Det)\.?"
)
# A capitalised token as found in names: "Keir", "O'Brien", "Zelenskyy", "Erdoğan", "J.", "Ocasio-Cortez".
CAP_TOKEN = r"(?:[A-ZÀ-ÖØ-Þ][\w’'\-]*[\w]|[A-Z]\.|[A-Z])"
NAME_PARTICLE = r"(?:de|da|del|della|van|von|der|den|bin|ibn|al|el|la|le|di|du|dos|das|ter|ten|y)"
CAP_SEQUENCE = rf"(?:{PERSON_TITLES}\s+)?{CAP_TOKEN}(?:\s+(?:{NAME_PARTICLE}\s+)?{CAP_TOKEN}){{0,6}}"

# Words that make a capitalised phrase an organisation rather than a person.
ORG_WORDS = _words(
    """
    ministry department agency office council commission committee party campaign government police
    army navy force forces bank university institute association union corporation corp inc ltd
    group foundation court senate house parliament congress kremlin pentagon administration service
    services authority authorities board bureau centre center company co plc llc organisation
    organization alliance coalition federation league network times post news journal tribune herald
    gazette press media television radio channel fund trust church cabinet embassy consulate mission
    secretariat presidency guard command staff school hospital club team airlines airways motors
    industries holdings partners capital securities exchange reserve treasury state states nations
    unions
    """
)
# Countries and capitals speak for governments ("Russia said", "Moscow warned"): a named institution.
# Country labels from ../shared/datasets/world-leaders-wikidata (Wikidata 2024-10-23), lowercased.
COUNTRY_NAMES = _phrases(
    """
    abkhazia, afghanistan, albania, algeria, america, andorra, angola, antigua and barbuda,
    argentina, armenia, artsakh, australia, austria, azerbaijan, bahamas, bahrain, bangladesh,
    barbados, belarus, belgium, belize, benin, bhutan, bolivia, bosnia and herzegovina, botswana,
    brazil, brazzaville, britain, brunei, bulgaria, burkina faso, burundi, cambodia, cameroon,
    canada, cape verde, central african republic, chad, chile, china, colombia, comoros, congo,
    costa rica, croatia, cuba, cyprus, czech republic, democratic republic of the congo, denmark,
    djibouti, dominica, dominican republic, donetsk people's republic, east timor, ecuador, egypt,
    el salvador, equatorial guinea, eritrea, estonia, eswatini, ethiopia, federated states of
    micronesia, fiji, finland, france, gabon, gambia, germany, ghana, great britain, greece,
    grenada, guatemala, guinea, guinea-bissau, guyana, haiti, holland, honduras, hungary, iceland,
    india, indonesia, iran, iraq, ireland, israel, italy, ivory coast, jamaica, japan, jordan,
    kazakhstan, kenya, kingdom of denmark, kingdom of the netherlands, kinshasa, kiribati, kosovo,
    kuwait, kyrgyzstan, laos, latvia, lebanon, lesotho, liberia, libya, liechtenstein, lithuania,
    luhansk people's republic, luxembourg, madagascar, malawi, malaysia, maldives, mali, malta,
    marshall islands, mauritania, mauritius, mexico, micronesia, moldova, monaco, mongolia,
    montenegro, morocco, mozambique, myanmar, namibia, nauru, nepal, netherlands, new zealand,
    nicaragua, niger, nigeria, north korea, north macedonia, northern cyprus, norway, oman,
    pakistan, palau, palestine, panama, papua new guinea, paraguay, people's republic of china,
    peru, philippines, poland, portugal, qatar, republic of the congo, romania, russia, rwanda,
    sahrawi arab democratic republic, saint kitts and nevis, saint lucia, saint vincent and the
    grenadines, samoa, san marino, saudi arabia, senegal, serbia, seychelles, sierra leone,
    singapore, slovakia, slovenia, solomon islands, somalia, somaliland, south africa, south korea,
    south ossetia, south sudan, spain, sri lanka, state of palestine, sudan, suriname, sweden,
    switzerland, syria, são tomé and príncipe, taiwan, tajikistan, tanzania, thailand, the bahamas,
    the eu, the gambia, the netherlands, the uk, the us, the west, togo, tonga, transnistria,
    trinidad and tobago, tunisia, turkey, turkmenistan, tuvalu, u.s., uganda, uk, ukraine, united
    arab emirates, united kingdom, united states, uruguay, us, usa, uzbekistan, vanuatu, vatican
    city, venezuela, vietnam, yemen, zambia, zimbabwe
    """
)
CAPITAL_METONYMS = _words(
    """
    moscow kyiv kiev washington beijing london paris berlin tehran brussels ankara jerusalem
    damascus pyongyang seoul tokyo delhi new delhi islamabad kabul baghdad riyadh cairo minsk warsaw
    rome madrid ottawa canberra caracas havana
    """
)
# Capitalised words that start a sentence but are not names.
NOT_NAMES = _words(
    """
    the a an this that these those he she it they we i you his her its their our my your some many
    most several few all both others other another one two three each every no none any officials
    official sources source analysts experts critics observers police authorities witnesses
    residents people reports report however meanwhile but and yet so then there here when while if
    although as after before since because also still later earlier now today yesterday tomorrow
    according asked speaking in on at for from by with of to instead indeed moreover furthermore
    still overall monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december week weekend what who why how
    where nobody everyone everybody somebody someone anyone despite though just only even please let
    do don't don’t can't can’t maybe perhaps not never never whether thus hence again once first
    finally last next
    """
)
# Leading role words stripped from a named source ("British Prime Minister Kir Starmer" -> "Kir Starmer").
ROLE_WORDS = _words(
    """
    british american russian ukrainian chinese french german italian spanish polish israeli iranian
    turkish indian japanese canadian australian european former acting deputy vice prime minister
    president secretary chancellor senator sen rep representative gov governor mayor general gen lt
    col colonel major maj capt captain admiral adm sgt chief executive director spokesman
    spokeswoman spokesperson ambassador foreign defense defence interior finance state attorney
    judge justice speaker leader chairman chairwoman chair commissioner minister's king queen prince
    princess pope sheikh emir crown republican democratic democrat candidate nominee first lady mr
    mrs ms dr prof rev pres supt insp det sens reps u.s. us uk un eu nato white house press campaign
    manager chairman lawyer attorney economist analyst professor
    """
)
PRONOUN_SUBJECT = re.compile(
    r"[\"'“‘]?\s*(?:he|she|they|it|the\s+(?:ministry|official|spokesman|spokeswoman|spokesperson|minister|"
    r"president|prime\s+minister|statement|company|agency|department|report|group|campaign|embassy|"
    r"government|source|analyst|expert|newspaper|broadcaster|outlet|daily|network|army|military|police|"
    r"kremlin|pentagon|white\s+house))\s+(?:also\s+|later\s+|then\s+|further\s+)?(?:said|says|added|warned|noted|"
    r"told|wrote|argued|stressed|emphasized|emphasised|insisted|claimed|continued|explained|cautioned|stated)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Outlet:
    name: str
    country: str
    state_media: bool


@cache
def outlet_index() -> tuple[re.Pattern[str], dict[str, Outlet]]:
    """One alternation over every outlet name and alias, longest first, plus alias -> outlet."""
    data = json.loads(_OUTLETS_FILE.read_text(encoding="utf-8"))
    by_alias: dict[str, Outlet] = {}
    for row in data["outlets"]:
        outlet = Outlet(name=row["name"], country=row["country"], state_media=row["state_media"])
        for alias in [row["name"], *row["aliases"]]:
            by_alias[alias.lower()] = outlet
    parts = []
    for alias in sorted(
        {a for row in data["outlets"] for a in [row["name"], *row["aliases"]]}, key=len, reverse=True
    ):
        escaped = re.escape(alias).replace(r"\ ", r"\s+")
        # Short acronyms ("RT", "AP", "FT") only in their own capitals; longer names in any case
        # ("Ria Novosti"), but always starting with a capital so common words are not outlets.
        if len(alias) <= 5 and alias.isupper():
            parts.append(escaped)
        else:
            parts.append(f"(?i:{escaped})")
    # The capital lookahead up front lets the scan skip every lower-case position at once.
    pattern = re.compile(r"(?<![\w-])(?:[Tt]he\s+)?(?=[A-ZÀ-Þ])(?:" + "|".join(parts) + r")(?![\w-])")
    return pattern, by_alias


@cache
def outlet_first_words() -> frozenset[str]:
    """The lower-cased first word of every outlet name: a sentence without one has no outlet."""
    _, by_alias = outlet_index()
    return frozenset(re.findall(r"[a-z]+", alias.removeprefix("the "))[0] for alias in by_alias)


def lookup_outlet(phrase: str) -> Outlet | None:
    _, by_alias = outlet_index()
    key = re.sub(r"\s+", " ", phrase.strip()).lower()
    key = key.removesuffix("'s").removesuffix("’s")
    return by_alias.get(key) or by_alias.get(key.removeprefix("the "))
