"""Vocabulary and compiled regexes for the attribution detector.

Kept apart from the detector so the word lists can be read (and argued with) in one place.
Everything is compiled once at import: the offline extractor has to run at 100k words/s. Hot patterns open
with a first-letter gate, `(?=[...])`: the engine enters every case-insensitive branch to test its first letter,
so one class test first halves their cost (tests/test_attribution_fast_paths.py checks each gate holds every
letter a match can start with).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from bot.text.typography import fold_typography

_OUTLETS_FILE = Path(__file__).with_name("outlets.json")


def longest_first(word: str) -> tuple[int, str]:
    """Sort key for a pattern's alternatives: longest first, then alphabetical, so a pattern built from a
    set is the same string in every process (and found in the compiled-pattern cache)."""
    return -len(word), word


def alternation(words: Iterable[str]) -> str:
    """The words as one regex alternation, longest first, factored into a trie ("official(?:s)?"): the
    engine tries one branch per letter instead of every word at every position. It matches exactly what
    `"|".join(sorted(words, key=longest_first))` matches, with the same groups: only words that are prefixes
    of each other can match at one place, and the trie tries the longer first, as that order does."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        if "" in node:  # a word ends here: the optional longer words are tried first
            return "(?:" + "|".join(branches) + ")?"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(trie)


def _words(text: str) -> frozenset[str]:
    """A word list written as prose, one word per whitespace gap (easier to read than a list literal)."""
    return frozenset(text.split())


def _phrases(text: str) -> frozenset[str]:
    """A list of multi-word phrases, comma-separated."""
    return frozenset(p.strip() for p in text.split(",") if p.strip())


def inflect(lemma: str) -> list[str]:
    """Regular English verb forms: base, -s, -ed, -ing (enough for reporting verbs)."""
    if lemma.endswith("e"):
        return [lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return [lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    if (re.fullmatch(r"[a-z]*[^aeiou][aeiou][pt]", lemma) and lemma not in {"visit", "edit"}) or re.fullmatch(
        r"[^aeiou]*[aeiou][bdgmnpt]", lemma
    ):
        # admit, commit, regret, slam, dub ... double the consonant
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
    mention echo charge liken dub label blast slam hail rebuke decry clarify affirm concur
    maintain counter wonder interpret detail talk shout chant yell underline underscore reiterate
    reaffirm assure mock scoff retort opine gripe grumble scold chide lambaste insinuate posit retweet
    """
)
_IRREGULAR_REPORTING = _words(
    """
    say says said saying tell tells told telling think thinks thought thinking write writes wrote
    written writing speak speaks spoke spoken speaking feel feels felt feeling see sees saw seen
    seeing seek seeks sought seeking foresee foresees foresaw foreseen foreseeing railed joked quipped
    fumed mused pleaded emailed thanked marveled marvelled vented
    """
)
# Predicates that attribute a stance as a verb would ("Many Democrats are afraid that ...").
STANCE_ADJECTIVES = _words(
    """
    afraid worried concerned confident skeptical sceptical optimistic pessimistic convinced unhappy
    hopeful wary furious outraged angry upset critical supportive adamant insistent doubtful
    uneasy nervous reluctant eager willing unwilling sympathetic satisfied dissatisfied enthusiastic
    unsure uncertain unconvinced determined unimpressed unaware
    """
)
# Verbs of stance that are not speech: a vague or unnamed group as their subject is still where the
# stance comes from ("most oppose it", "American officials hope ..."). Used only by the subject rule,
# never to find named speakers ("Clinton support grew" is no attribution).
STANCE_VERBS: frozenset[str] = frozenset(
    form
    for lemma in _words(
        """
        hope oppose support prefer favor favour like dislike trust distrust back blame agree remain
        regard view attribute dismiss envision anticipate recognize recognise accept respond
        sound cheer boo compare contemplate figure mourn celebrate protest embrace
        """
    )
    for form in inflect(lemma)
)
# Auxiliaries and modals: after a subject they are the finite verb ("Lawmakers are still uneasy").
AUXILIARIES = _words(
    """
    is are was were be been have has had will would may might could should can must do does did
    isn't aren't wasn't weren't haven't hasn't hadn't won't wouldn't couldn't shouldn't can't don't
    doesn't didn't
    """
)
# Words that follow a subject noun phrase but are never its verb: "officials who", "experts on".
NOT_VERBS = _words(
    """
    who whom whose which that and or nor but in on at of for from to with by as than into about over
    under after before during including like such the a an this these those their his her its our my
    your some many most all both each every other others alike too there here who's percent
    """
)
# Reporting verbs in every form, plus the stance adjectives: the words that make a subject a source.
REPORTING_VERBS: frozenset[str] = frozenset(
    [form for lemma in _REGULAR_REPORTING for form in inflect(lemma)]
    + [*_IRREGULAR_REPORTING, *STANCE_ADJECTIVES]
)
# The verbs that put a named or unnamed subject on the record in the inverted order ("said X").
INVERTED_VERBS = (
    r"(?:said|says|say|told|added|noted|stated|wrote|warned|explained|insisted|argued|acknowledged|continued|asked|"
    r"replied|cautioned|claimed|confirmed|admitted|conceded|complained|recalled|joked|quipped|countered|"
    r"responded|observed|remarked|predicted|lamented|boasted|suggested)"
)

# Auxiliaries, adverbs ("privately", "have long"), times ("on Wednesday") and verbs taking an
# infinitive ("sought to downplay") that may sit between a subject and its reporting verb.
_AUX = (
    r"(?:(?i:(?:could|would|will|did|do|does|have|has|had|should|were|was|is|are)n't|won't|can't|cannot|"
    r"have|has|had|are|were|is|was|will|would|may|might|could|should|can|do|does|did|also|long|often|"
    r"now|still|already|even|too|been|not|never|then|later|earlier|meanwhile|again|there|here|further)"
    r"|[a-z]+ly|(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?:this|last)\s+(?:week|month|year)|(?:in\s+recent|for)\s+(?:days|weeks|months|years|decades)"
    r"|(?:begun|began|begin|begins|started|start|continue[sd]?|sought|seek|tried|try|want(?:ed|s)?|refused|"
    r"declined|seem(?:ed|s)?|appear(?:ed|s)?|plan(?:s|ned|ning)?|intend(?:s|ed|ing)?|went\s+on|go\s+on)\s+to|"
    r"would\s+like\s+to|help\s+but)"
)
# "raised concerns", "expressed cautious optimism": keep the object in the span when it is the point.
_OBJECT = (
    r"(?:\s+(?i:(?:cautious|deep|serious|grave|growing|some)\s+)?(?i:concerns?|doubts?|fears?|questions?|alarm|"
    r"optimism|skepticism|scepticism|worries|reservations|support|opposition)(?![\w-]))?"
)
# The verb is captured as any word and checked against REPORTING_VERBS in Python: a 400-way
# alternation inside the regex would be tried at every position and is several times slower.
VERB_PHRASE = rf"(?:\s+{_AUX}){{0,4}}\s+(?P<verb>[A-Za-z]+)(?![\w-]){_OBJECT}"

# Parenthetical after a subject: ", particularly in Eastern Europe," / ", speaking on condition of anonymity,"
# / ", who are close to many of the industries that oppose the rule," (a relative clause, or a clause
# opening on a present participle: ", reacting to the gap between ...,", may run longer).
# Between dashes or brackets ("Officials — speaking privately — say", "Many voters (especially younger ones)
# say") it may hold no full name, whose speaker a weak span would swallow ("— including Sen. John McCain —").
_BRACKETED = r"(?:[^A-Z—().;:!?\"]|[A-Z](?![\w'-]*\s+[A-Z])){1,100}?"
PARENTHETICAL = (
    r"(?:\s*,\s*(?:[^,.;:!?\"]{1,60}?|(?:who|[a-z]+ing)\s[^,.;:!?\"]{1,100}?),"
    rf"|\s*(?:—|--|\s-)\s*{_BRACKETED}\s*(?:—|--|-\s)|\s*\({_BRACKETED}\))?"
)

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
    "police": "unnamed officials",
    "prosecutors": "unnamed officials",
    "investigators": "unnamed officials",
    "detectives": "unnamed officials",
    "doctor": "unnamed officials",
    "doctors": "unnamed officials",
    "lawyer": "unnamed officials",
    "lawyers": "unnamed officials",
    "ministers": "unnamed officials",
    "rep": "unnamed spokesperson",
    "reps": "unnamed spokesperson",
    "traders": "unnamed experts",
    "spokesman": "unnamed spokesperson",
    "spokeswoman": "unnamed spokesperson",
    "spokesperson": "unnamed spokesperson",
    "spokespeople": "unnamed spokesperson",
    "representative": "unnamed spokesperson",
    "representatives": "unnamed spokesperson",
    "authors": "unnamed authors",
    "chairman": "unnamed officials",
    "chairwoman": "unnamed officials",
    "chairperson": "unnamed officials",
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
    americans leaders donors fundraisers delegates superdelegates politicians pollsters editors
    publishers employees workers protesters demonstrators citizens friends colleagues loyalists
    backers advocates moderates evangelicals independents operatives strategists advisers aides mps
    groups organisations organizations
    """
)
# Every head a group may have, plural roles included ("officials", "aides"): "according to Republican
# strategists" names a group, not an organisation.
GROUP_HEADS = COLLECTIVE_HEADS | {h for h in UNNAMED_HEADS if h.endswith("s") and h not in WEAK_HEADS}
# Groups that are anyone: only a verb of speech or stance makes them a source ("several people died").
GENERIC_PEOPLE = _words(
    """
    people person persons individual individuals residents voters citizens americans workers employees
    members friends colleagues protesters demonstrators investors traders countries governments nations
    states capitals partners groups organisations organizations
    """
)
ALWAYS_VAGUE_HEADS = frozenset(
    ["critics", "observers", "commentators", "skeptics", "sceptics", "detractors", "pundits"]
)
QUANTIFIERS = (
    r"(?:some|many|several|few|a few|most|numerous|various|other|certain|a (?:growing |increasing )?number of|"
    r"a majority of|a handful of|dozens of|multiple)"
)

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
    prison airline transition embassy immigration policy nuclear proliferation terrorism cyber tax
    budget climate environmental public social education labor elected longtime trusted key veteran
    committee gop republican democratic inside unaligned national
    """
)

ANONYMITY_FORMULAS = re.compile(
    r"(?=[adegimoprstuw])(?:(?:speaking|spoke|talking|talked|who\s+spoke|who\s+asked\s+to\s+speak)\s+on\s+(?:the\s+)?condition\s+"
    r"(?:of\s+|that\s+(?:he|she|they|his|her|their)\s+(?:not\s+be\s+(?:named|identified)|remain\s+anonymous)\b)"
    r"(?:anonymity)?"
    r"|on\s+(?:the\s+)?condition\s+of\s+anonymity"
    r"|(?:who|and)\s+(?:requested|asked\s+for|sought|was\s+granted|were\s+granted|received)\s+anonymity"
    r"|granted\s+anonymity"
    r"|(?:who|and)\s+(?:asked|requested|declined|wished|spoke\s+on\s+condition)\s+not\s+to\s+be\s+(?:named|identified)"
    r"|(?:who|and)\s+declined\s+to\s+be\s+(?:named|identified)"
    # "who did not wish to be named", "who would not be identified", "who is not being named"
    r"|(?:who|and)\s+(?:(?:did|does|do|would|could|can)(?:n't|\s+not)|cannot)\s+(?:(?:wish|want|care|agree)\s+to\s+)?"
    r"be\s+(?:named|identified)"
    r"|who\s+(?:is|are|was|were)\s+not\s+(?:being\s+)?(?:named|identified)"
    r"|(?:who|and)\s+(?:was|were|is|are)\s+not\s+authori[sz]ed\s+to\s+(?:speak|comment|discuss)[^,.;]{0,40}"
    r"|(?:speaking|spoke|talking)\s+on\s+background"
    r"|on\s+background"
    r"|(?:speaking|spoke|talking|said|told\s+\w+)\s+anonymously"
    r"|(?:sources?|people|persons?|officials?|individuals?|someone|a\s+person|those|democrats?|republicans?|"
    r"executives?|aides?|advis[eo]rs?|insiders?|diplomats?|operatives?|staffers?|strategists?|donors?|allies|ally|"
    r"some|many|others|several|most)"
    r"\s+(?:familiar|close|briefed|privy|with\s+(?:direct\s+)?knowledge)"
    r"(?:\s+(?:with|to|on|of))?(?:\s+(?:the|this|his|her|their|its)\s+[\w'-]+)?"
    r"|(?:anonymous|unnamed|unidentified|inside)\s+(?:sources?|officials?|people|persons?|insiders?|aides?|diplomats?)"
    r")",
    re.IGNORECASE,
)

UNVERIFIABLE_SETTINGS = re.compile(
    # "in a private meeting", "citing internal documents"; "publishing secret documents" is no setting
    r"(?=[abcdfilopstu])\b(?:(?:in|at|during|from|after|according\s+to|citing)\s+(?:(?:a|an|the|one|two|several|his|her|their)\s+)?"
    r"(?:[a-z]+\s+)?|(?i:a|an|the)\s+|(?=behind\s|off\s+the\s|in\s+private))"
    r"(?P<setting>(?:closed-door|closed\s+door|private|secret|confidential|off-the-record|internal|unpublished|leaked|"
    r"classified|informal)\s+(?:(?:security|intelligence|cabinet|party|staff|strategy|policy|government|"
    r"telephone|phone|video|diplomatic|military|campaign|donor|fundraising|internal|draft|planning)\s+)?"
    r"(?:briefing|meeting|session|conversation|call|phone\s+call|dinner|memo|memorandum|document|email|e-mail|"
    r"letter|recording|audio|cable|report|note|message|messages|talks|discussion|gathering|chat|remarks)s?"
    r"(?!\s+(?:server|servers|account|accounts|address|addresses|system|systems|use|practices|setup|sector))"
    r"|behind\s+closed\s+doors|off\s+the\s+record|in\s+private(?=\s*[,.;:]|\s+(?:with|that|to|and)\b))"
    r"(?:\s+(?:with|to|of|for|among|between|seen\s+by|obtained\s+by)\s+[^,.;:!?\"]{1,50}?(?=[,.;:!?\"]|$))?",
    re.IGNORECASE,
)
# "in a memo seen by" without an adjective: the document exists only through the outlet that saw it.
SEEN_BY = re.compile(
    r"\b(?:a|an|the)\s+(?P<setting>(?:memo|memorandum|document|email|letter|report|recording|draft)\s+(?:seen|obtained|reviewed)\s+by\s+"
    r"[^,.;:!?\"]{1,40}?(?=[,.;:!?\"]|$))",
    re.IGNORECASE,
)

HEDGES = re.compile(
    r"(?=[abcdfhiopqrstuw])\b(?:reportedly|allegedly|purportedly|supposedly|rumou?red(?:ly)?|ostensibly|apparently"
    r"|(?:(?<=\ba\s)|(?<=\ban\s)|(?<=\bthe\s))(?:reported|alleged|purported|rumou?red)(?=\s+[a-z])"
    r"|it\s+(?:is|was|has\s+been|had\s+been|'s)\s+(?:widely\s+|generally\s+|often\s+|also\s+|now\s+|commonly\s+)?"
    r"(?:understood|claimed|believed|reported|alleged|rumou?red|suggested|feared|speculated|predicted"
    r"|(?:said|thought|argued|assumed|known|held|considered|estimated|expected|hoped)(?=\s+(?:that|to)\b)"
    # "it was thought Mr Blunkett would ...": the same with "that" left out, a clause's subject and its auxiliary
    r"|(?:said|thought|expected|hoped|feared)(?=\s+(?:(?-i:[A-Z][\w'.-]*\s+){1,3}|(?:he|she|they|this|the\s+[a-z]+)\s+)"
    r"(?:would|will|could|might|may|had|has|was|were|is|are)\b))"
    # "the election, widely expected on 5 May": a judgement everyone holds and nobody is named for
    r"|widely\s+(?:expected|anticipated|believed|thought|assumed|tipped|predicted|rumou?red)"
    r"|(?:is|are|was|were|has\s+been|have\s+been|had\s+been)\s+(?:also\s+|widely\s+|generally\s+|often\s+|commonly\s+)?"
    r"(?:seen|regarded|viewed|considered|perceived)\s+as"
    r"|(?:fears|concerns|doubts|questions|worries)\s+(?:have|has|had)\s+(?:also\s+)?been\s+(?:expressed|raised|voiced)"
    r"|(?:is|are|was|were|has\s+been|have\s+been)\s+(?:widely\s+|generally\s+|often\s+|also\s+|commonly\s+)?"
    r"(?:said|believed|thought|understood|reported|alleged|rumou?red|claimed|considered|reckoned|presumed)\s+to\s+(?:be|have)\b"
    # "are said to tune in": any infinitive after the passive of saying or believing ("reported to" is a report
    # made to someone: "was reported to police")
    r"|(?:is|are|was|were)\s+(?:also\s+|widely\s+|generally\s+|often\s+)?(?:said|believed|thought|understood|alleged|rumou?red)"
    r"\s+to\s+(?!the\b|a\b|an\b|his\b|her\b|their\b|its\b|police\b|me\b|him\b|them\b|us\b)[a-z]+"
    # "those reported to have", "a man rumoured to be": the same passive in a reduced relative, "who is" left out
    # ("believed to be" is left out: "what whistleblowers believed to be" is their own verb)
    r"|(?:(?<=[a-z],\s)|(?<=[a-z]\s))(?:reported|rumou?red|alleged|reputed)\s+to\s+(?:be|have)"
    # "it emerged that ...", "it has emerged": news surfacing with nobody named as its source
    r"|it\s+(?:has\s+|had\s+|later\s+|then\s+|also\s+|now\s+|since\s+)?emerged"
    r"(?=\s+(?:that|on|in|last|this|yesterday|today|earlier|later|late|the|a|an|[A-Z]))(?!\s+(?:from|out|as|with)\b)"
    r"|(?:is|are|was|were)\s+(?:widely|generally|commonly|often)\s+(?:believed|thought|considered|regarded|seen|viewed|held|accepted|known)"
    r"|there\s+(?:are|were|have\s+been)\s+(?:unconfirmed\s+)?(?:reports|claims|rumou?rs|suggestions|allegations)"
    r"|unconfirmed\s+reports?"
    r"|(?:reports|rumou?rs)\s+(?:(?:have|had)\s+)?(?:suggest|suggested|say|said|indicate|indicated|claim|claimed|"
    r"swirled|circulated|spread|surfaced|emerged|persisted|abound|abounded)"
    r")\b",
    re.IGNORECASE,
)

# A passive of judging or forecasting with no agent: someone expects, estimates or credits, nobody is named
# ("rates are expected to rise", "are tipped to win", "is estimated at 40,000", "is credited with"). The caller
# drops a match whose clause names its agent ("is credited by the IMF with ...", "estimated at 9,000 by the
# Census Bureau"). "Accused of" and "an estimated" were tried: on PolNeAR they flag as many charges and counts
# nobody hedged as real hedges.
PASSIVE_HEDGES = re.compile(
    r"(?=[abiw])\b(?:is|are|was|were|be|been|being)\s+(?:also\s+|widely\s+|generally\s+|now\s+|still\s+|already\s+|not\s+)?"
    r"(?:(?:expected|tipped|predicted|forecast|projected|estimated|touted|rumou?red)\s+to\s+(?!the\b|a\b|an\b)[a-z]+"
    r"|estimated\s+(?:at|to\s+be)|credited\s+with)\b",
    re.IGNORECASE,
)
# A named agent after a passive hedge: the judgement is that agent's, on the record.
NAMED_AGENT_AFTER = re.compile(r"(?:[^,.;:!?\"]|(?<=\d)[,.](?=\d)){0,60}?\bby\s+(?:the\s+)?[A-Z]")

# Passive agent with a vague collective: "considered by some experts", "seen by many as". A sentence without
# one of the agents has no such passive.
PASSIVE_VAGUE_AGENTS = _words(
    "some many others critics observers experts scholars historians commentators analysts skeptics sceptics detractors"
)
PASSIVE_VAGUE = re.compile(
    r"(?=[bcdhiklpqrstv])\b(?:considered|regarded|seen|described|viewed|believed|thought|called|criticized|criticised|"
    r"praised|dismissed|labell?ed|hailed|questioned|disputed|doubted|challenged|condemned|known|dubbed|"
    r"interpreted|perceived|branded)\s+(?:as\s+[\w-]+\s+)?by\s+"
    rf"(?:{alternation(PASSIVE_VAGUE_AGENTS)})(?:\s+[A-Za-z][\w-]*){{0,1}}\b"
)

SECONDHAND_VAGUE = re.compile(
    r"\baccording\s+to\s+(?:(?:a|an|the|one|two|several|some|unconfirmed|local|media|press|news|published|recent|"
    r"earlier|other|new|latest|this|its|their)\s+)*(?:media(?:\s+reports?)?|press(?:\s+reports?)?|rumou?rs?|"
    r"social\s+media(?:\s+posts?)?|posts?\s+on\s+social\s+media|documents?"
    # "according to credible reports", "eyewitness accounts", "unofficial figures": what the words before
    # the noun say about it, in lower case (a capital is someone's: "according to Pentagon figures")
    r"|(?:(?!(?:his|her|their|its|our|my|your)\b)(?-i:[a-z][\w-]*)\s+){0,2}"
    r"(?:reports?|accounts?|estimates?|figures|data|statistics))\b"
    r"|\b(?:local|state|russian|chinese|iranian|pro-kremlin|pro-government|western|foreign)\s+media\s+"
    r"(?:(?:have|has|had|also)\s+)*(?:reported|said|say|reports|claimed|quoted|cited)\b"
    # "first reported by local media", "a claim made in media reports"
    r"|\b(?:reported|published|quoted|cited|broadcast|aired|made|carried)\s+(?:first\s+)?(?:by|in)\s+(?:the\s+)?"
    r"(?:(?:local|state|national|foreign|western|news|press|published|recent|earlier|several|some|media)\s+)*"
    r"(?:media|press|reports)\b"
    r"|\b(?:(?:several|some|many|multiple|numerous|various|other)\s+)?(?:media|news)\s+(?:outlets|organi[sz]ations)\s+"
    r"(?:(?:have|has|had|also)\s+)*(?:reported|said|say|claimed|quoted|cited)\b"
    # "SOURCE: News agencies", "news agencies reported": wires relayed with none named
    r"|\b(?:news|wire)\s+agencies\b",
    re.IGNORECASE,
)

# Findings with no author: "figures showed", "a street survey found", "studies have not always supported". The
# words before the noun decide whose they are (`_findings_start` in the reports pass). Bare "polls show" is
# left out: on PolNeAR it is as often the article's own summary of public polling as an unsourced claim.
UNSOURCED_FINDINGS = re.compile(
    r"(?<![\w'-])(?P<noun>(?i:survey|poll|stud(?:y|ies)|research|figures|data|statistics))"
    r"\s+(?:(?:have|has|had|also)\s+)*(?:not\s+)?(?:always\s+|consistently\s+|repeatedly\s+)?"
    r"(?:show|shows|showed|shown|found|find|finds|suggest|suggests|suggested|indicate|indicates|indicated|"
    r"reveal|reveals|revealed|support|supports|supported|concluded)\b"
)
# An outlet nobody names: "a newspaper printed photographs", "one tabloid claimed".
UNNAMED_OUTLET = re.compile(
    r"\b(?P<np>(?i:a|an|one|another)\s+(?:(?-i:[a-z][\w-]*)\s+){0,2}?"
    r"(?:newspaper|tabloid|magazine|broadcaster|website|blog|news\s+(?:site|outlet|agency)|outlet|"
    r"(?:TV|television|radio)\s+(?:station|channel)))"
    r"\s+(?:(?:had|has|have|also|later|first|then)\s+)*(?:printed|published|reported|reports|said|says|claimed|"
    r"claims|revealed|ran|quoted|carried|alleged|wrote)\b(?!\s+(?:in|by)\b)"
)

# Who released or compiled the figures a find rests on, named after it: "according to figures released Thursday
# by Crowdpac" is Crowdpac's on its record ("reports received by Amnesty" are not Amnesty's).
AUTHOR_AFTER = re.compile(
    r"[^,.;:!?\"]{0,40}?\b(?:released|published|issued|compiled|collected|produced|gathered)\b"
    r"[^,.;:!?\"]{0,25}?\bby\s+(?:the\s+)?[A-Z]"
)

# The story's own word that a claim is unconfirmed: "a claim that could not be independently verified".
UNVERIFIED = re.compile(
    r"\b(?:could\s+not|cannot|can't|couldn't|was\s+unable\s+to|were\s+unable\s+to)\s+(?:be\s+)?(?:independently\s+)?"
    r"(?:verif(?:y|ied)|confirm(?:ed)?)|\b(?:has|have|had)\s+not\s+been\s+(?:independently\s+)?(?:verified|confirmed)"
    r"|\bunverified\b",
    re.IGNORECASE,
)
# Another outlet's reporting relayed: "obtained by Variety", "first reported by E! News".
OBTAINED_BY = re.compile(
    r"\b(?:obtained|seen|reviewed|(?:first\s+)?reported|broadcast|aired)\s+by\s+"
    r"(?P<outlet>(?:the\s+)?[A-Z][\w!&.'-]*(?:\s+[A-Z][\w!&.'-]*){0,3})"
)
# Relayed through a channel the desk cannot question: a social-media post, a quote "via" another outlet,
# a statement given to another outlet ("said in a statement to Rolling Stone").
RELAYED = re.compile(
    r"\b(?:took|take|takes|taking)\s+to\s+(?:social\s+media|Twitter|Instagram|Facebook|TikTok)"
    r"|\b(?:wrote|said|posted|announced|shared)\s+on\s+(?:Twitter|Instagram|Facebook|TikTok|social\s+media)"
    r"|\bin\s+an?\s+(?:Instagram|Twitter|Facebook|TikTok|social[- ]media)\s+(?:post|story|video)"
    # "In his initial Instagram announcement": the story rests on the post, not on words to the reporter
    r"|\b(?i:in|on)\s+(?:his|her|their|its)\s+(?:(?:initial|first|latest|new|own|official|lengthy|since-deleted|"
    r"now-deleted|recent)\s+)?(?:Instagram|Twitter|Facebook|TikTok|Weibo|YouTube|Snapchat|social[- ]media)\s+"
    r"(?:post|story|video|announcement|statement|message|caption|live(?:stream)?|thread|update)"
    # "one Weibo commenter said", "some Twitter users wrote": people nobody can name, through a platform
    # (not "another Twitter user, Johanna Bayer", nor "a Reddit user's chart")
    r"|\b(?:(?:a|an|one|some|many|several|other|few)\s+)?(?:Instagram|Twitter|Facebook|TikTok|Weibo|YouTube|Reddit|"
    r"social[- ]media|online)\s+(?:users?|commenters?|commentators?|posters?)\b(?!'|,\s*[A-Z][\w'-]+\s+[A-Z])"
    # "one user on Weibo", "some commenters on TikTok": the same people, the platform after them
    r"|\b(?:a|an|one|another|some|many|several|other|few)\s+(?:[a-z]+\s+)?(?:users?|commenters?|posters?|accounts?)"
    r"\s+(?:on|of)\s+(?:Instagram|Twitter|X|Facebook|TikTok|Weibo|WeChat|Telegram|YouTube|Reddit|social[- ]media)\b"
    r"|\btweeted\b"
    r"|(?:(?<=,\s)|(?<=,))via\s+(?P<via>(?:the\s+)?[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,3})"
    r"|\bstatement\s+to\s+(?P<to>(?:the\s+)?[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,3})"
)
# Reports nobody is named for: "A news report published Wednesday said", "Report: ...", "Media Reports
# Reveal ...", "amid reports that", "by reports of".
_REPORT_TIME = (
    r"(?:\s+(?:on\s+)?[A-Z][a-z]+day|\s+(?:earlier\s+)?(?:last|this)\s+(?:week|month|year)|\s+at\s+the\s+time"
    r"|\s+over\s+the\s+weekend)?"
)
UNNAMED_REPORTS = re.compile(
    r"(?:(?<![\w'-])(?:(?:[Aa]n?|[Nn]ew|[Mm]edia|[Nn]ews|[Pp]ress|[Rr]ecent|[Ll]ocal|[Ee]arl(?:y|ier)|[Ii]nitial|"
    r"[Pp]revious|[Cc]onflicting|[Mm]ultiple|[Uu]nconfirmed|[Pp]ublished|[Nn]umerous|[Ss]everal|[Vv]arious|"
    r"[Ff]resh|[Ss]ome)\s+)+reports?"
    r"|(?:^|(?<=[\s\"(]))(?:(?:Media|News|Press|New)\s+)?(?:Reports?|reports))"
    rf"{_REPORT_TIME}(?:\s+(?:published|released|issued|out){_REPORT_TIME})?"
    r"(?:\s*:|(?:\s+(?:have|had|has))?\s+(?i:said|says|say|found|finds|find|shows?|showed|suggests?|suggested|"
    r"revealed|reveals?|reveal|claimed|claims?|indicated|indicates?|surfaced|emerged|circulated|put|concluded|"
    r"concludes?|noted|notes?|warned|warns?|estimated|estimates?|stated|states|predicted|predicts?|documented|"
    r"detailed|details|described|describes|alleged|alleges|charged|disclosed|confirmed|cited|quoted)\b)"
    r"|\b(?i:amid|after|following|despite|by|with|given|denied|denies|deny|dismissed|dismisses|dismiss|rejected|"
    r"confirmed|disputed|refuted|debunked|addressed|fueled|fuelled|sparked|prompted|to)\s+"
    r"(?i:(?:unconfirmed|media|news|press|recent|new|earlier)\s+)*(?:reports?|rumou?rs)\s+(?:that|of)\b"
    # "following a weekend press report that": one report, whatever its lower-case words, named by nobody
    r"|\b(?i:amid|after|following|despite|denied|denies|dismissed|rejected|disputed|refuted)\s+(?i:an?)\s+"
    r"(?:(?!(?:his|her|their|its|our)\b)[a-z][\w-]*\s+){0,3}(?:report|rumou?r)\s+that\b"
    # "with some reports suggesting as many as 200": the clause's facts rest on the reports
    r"|\b(?i:with|amid)\s+(?i:(?:some|other|several|many|unconfirmed|media|news|press|recent|new|earlier)\s+)*"
    r"(?:reports?|rumou?rs)\s+(?i:suggesting|saying|claiming|indicating|showing|putting)\b"
)
# Another paper's report, relayed: "the report in the Sunday Express", "a story by the Daily Mail". The outlet is
# one the list knows or a title ending on a newspaper's word (checked in the reports pass).
REPORT_IN_OUTLET = re.compile(
    r"\b(?i:a|an|the)\s+(?:(?-i:[a-z][\w-]*)\s+){0,2}(?:report|story|article)s?\s+(?:in|by|from)\s+"
    r"(?P<outlet>(?:the\s+)?[A-Z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*){0,3})"
)
NEWSPAPER_TITLE_WORDS = frozenset(
    "times post journal express mail mirror sun telegraph guardian herald gazette tribune standard observer "
    "independent news chronicle daily record star inquirer courier".split()
)
# "Reports that he would resign proved false", "Media reported ...": only where a clause opens (checked with
# CLAUSE_OPENS_BEFORE), since "CNN reports that" and "social media reported" are something else.
REPORTS_THAT = re.compile(r"\b(?:[Rr]eports|[Rr]umou?rs)\s+(?:that|of)\b")
BARE_MEDIA = re.compile(
    r"\b(?:[Tt]he\s+)?[Mm]edia\s+(?:(?:have|has|had|been|also|widely|first)\s+)*(?:reported|reports|reporting|said|"
    r"say|says|speculated|claimed|quoted|cited|published)\b"
)
# A title-case headline whose subject is "the media": "Media Growls In Response To ...", "Media Ignores ...".
MEDIA_HEADLINE = re.compile(r"[\"']?Media\s+(?P<verb>[A-Z][a-z]+s)\b")
# Plurals after "Media" in a title that name a thing, not what the media did ("Media Matters", "Media Outlets").
MEDIA_TITLE_NOUNS = frozenset(
    "matters outlets companies reports organizations organisations figures personalities elites types members "
    "executives critics pundits watchers experts networks giants moguls relations studies services holdings "
    "groups".split()
)
CLAUSE_OPENS_BEFORE = re.compile(r"(?:^|[(\"]|[,;:—]\s|\b(?:[Aa]s|[Aa]nd|[Bb]ut|[Tt]hat)\s)$")

# Courtesy titles before a surname ("Mr Green", "Dame Judi"): whoever carries one is a person.
HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Lord|Lady)\.?"
PERSON_TITLES = (
    r"(?:Mr|Mrs|Ms|Mx|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|Maj|Capt|Adm|Sgt|Rev|Sens|Reps|Pres|Supt|Insp|Det)\.?"
)
# A capitalised token as found in names: "Keir", "O'Brien", "Zelenskyy", "Erdoğan", "J.", "Ocasio-Cortez".
CAP_TOKEN = r"(?:[A-ZÀ-ÖØ-Þ][\w'\-]*[\w]|[A-Z]\.|[A-Z])"
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
    unions productions records label entertainment studios pictures films music laboratory laboratories
    labs research
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
    do don't can't maybe perhaps not never never whether thus hence again once first
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
    manager chairman lawyer attorney economist analyst professor magistrate insider reporter correspondent
    editor columnist coach boss singer actor actress star striker midfielder defender goalkeeper
    envoy special
    """
)
PRONOUN_SUBJECT = re.compile(
    r"[\"']?\s*(?:he|she|they|it|the\s+(?:ministry|official|spokesman|spokeswoman|spokesperson|minister|"
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
    by_letter: dict[str, list[str]] = {}
    for alias in sorted(
        {a for row in data["outlets"] for a in [row["name"], *row["aliases"]]}, key=longest_first
    ):
        escaped = re.escape(alias).replace(r"\ ", r"\s+")
        # Short acronyms ("RT", "AP", "FT") only in their own capitals; longer names in any case
        # ("Ria Novosti"), but always starting with a capital so common words are not outlets.
        part = escaped if len(alias) <= 5 and alias.isupper() else f"(?i:{escaped})"
        by_letter.setdefault(alias[0].upper(), []).append(part)
    # The capital lookahead up front lets the scan skip every lower-case position at once. The names are
    # grouped by that capital, each group behind a test of it: the engine enters every case-insensitive
    # name in full to test its first letter, so one test per letter replaces one per name. At one place
    # only one group can match, and it keeps the names' longest-first order.
    names = "|".join(f"(?={re.escape(letter)})(?:{'|'.join(parts)})" for letter, parts in by_letter.items())
    pattern = re.compile(r"(?<![\w-])(?:[Tt]he\s+)?(?=[A-ZÀ-Þ])(?:" + names + r")(?![\w-])")
    return pattern, by_alias


@cache
def outlet_first_words() -> frozenset[str]:
    """One lower-case word of every outlet name, its first of two letters or more: a sentence without one has no
    outlet. A one-letter run is no word to gate on: "Süddeutsche" gives "s", which every "'s" holds too, and
    each run of a name is a whole word of the sentence holding it ("ddeutsche")."""
    _, by_alias = outlet_index()
    return frozenset(map(_gate_word, by_alias))


def _gate_word(alias: str) -> str:
    words = re.findall(r"[a-z]+", alias.removeprefix("the "))
    return next((word for word in words if len(word) > 1), words[0])


@lru_cache(maxsize=8192)  # the same capitalised phrases recur through an article, and across articles
def lookup_outlet(phrase: str) -> Outlet | None:
    _, by_alias = outlet_index()
    key = re.sub(r"\s+", " ", fold_typography(phrase).strip()).lower().removesuffix("'s")
    return by_alias.get(key) or by_alias.get(key.removeprefix("the "))


# --- where a vague or unnamed group is the source without being the subject of a speech verb --------
# (generalised from PolNeAR *train* misses only; see bench/ATTRIBUTION_EVAL.md)


def _forms(lemmas: str) -> frozenset[str]:
    return frozenset(f for lemma in lemmas.split() for f in inflect(lemma))


# Verbs whose object is the one who feels ("unsettled many Americans", "so annoyed administration
# officials", "alarm legal experts"): the object is the holder of the stance.
_PSYCH_FORMS = _forms(
    "annoy alarm worry horrify unsettle convince remind anger frustrate trouble disturb surprise shock "
    "upset irritate infuriate rankle reassure persuade dismay disappoint rattle spook impress"
)
_PSYCH_VERBS = alternation(_PSYCH_FORMS)  # a trie: the search below tries it at every word
# Nouns of stance or speech whose holder follows: "unease among many Jewish leaders", "warnings from
# medical experts", "the backing of many Democrats".
_STANCE_NOUNS = (
    r"(?:concerns?|unease|feeling|sense|recognition|rethinking|consensus|frustration|worr(?:y|ies)|fears?|anger|"
    r"skepticism|scepticism|opposition|chatter|belief|sentiment|discontent|alarm|doubts?|optimism|pessimism|"
    r"talk|speculation|agreement|disagreement|debate|criticism|support|backing|warnings?|testimony|responses?|"
    r"complaints?|calls|pressure|objections?|praise|pushback|resistance|questions|statements?|comments?|"
    r"remarks|predictions?|estimates?|accusations?|assurances?|adulation|hostility|condemnation|wariness|"
    r"misgivings|reservations|views?|opinion|assessment|verdict|thinking|judge?ment|expectations|fire|flak|ire|"
    r"scorn|backlash|rebukes?|plaudits|surveys?|polls?|polling|stud(?:y|ies)|analys[ei]s|research)"
)
# Predicates whose experiencer follows: "popular with many Republicans", "hasn't sat well with a number of
# Democrats", "important to most voters", "a dream for many Democrats".
_EXPERIENCER = (
    r"(?:(?:un)?popular|(?:sat|sit|sits|sitting|gone|went|go|goes|play(?:s|ed|ing)?)\s+well|"
    r"resonat(?:e|es|ed|ing)|credibility|standing)\s+with"
    r"|(?:important|matters?|mattered|appeal(?:s|ed|ing)?|(?:un)?acceptable|dear)\s+to"
    r"|(?:important|priority|dream|nightmare|worry|relief|disappointment|mystery|puzzle)\s+for"
)
GROUP_VOICE_BEFORE = re.compile(
    r"(?:\baccording\s+to|\bin\s+the\s+(?:eyes|view|words|minds?|opinion|estimation)\s+of"
    rf"|\b(?:{_PSYCH_VERBS})|\b{_STANCE_NOUNS}\s+(?:[a-z]+\s+){{0,2}}(?:among|from|by|of)"
    rf"|\b{_STANCE_NOUNS}\s+(?:[a-z]+\s+){{0,5}}among|\b(?:{_EXPERIENCER})"
    r"|[,\"']\s*(?:said|says|say|added|noted|wrote|argued|warned|insisted|explained))\s+$",
    re.IGNORECASE,
)
# The word right before a group that GROUP_VOICE_BEFORE can end on: a cheap test before the search.
GROUP_VOICE_LAST_WORDS = (
    frozenset(
        "to of among from by with for said says say added noted wrote argued warned insisted explained".split()
    )
    | _PSYCH_FORMS
)
# A group's stance named by its possessive: "her advisers’ wariness", "many Democrats' fears".
POSSESSIVE_STANCE_AFTER = re.compile(rf"'s?\s+(?:[a-z]+\s+)?{_STANCE_NOUNS}(?![\w-])", re.IGNORECASE)
# The head of an object relative whose subject is the group: "a point a top adviser made", "the argument
# many conservatives make", "a threat many people make but few keep".
SPEECH_NOUN_BEFORE = re.compile(
    r"(?=[abcfmnopqrstvw])\b(?:point|argument|case|claim|threat|promise|charge|complaint|criticism|warning|prediction|assumption|"
    r"assessment|conclusion|suggestion|observation|accusation|message|refrain|pitch|vow|pledge|question|"
    r"concern|fear|view|belief|sentiment|notion)s?\s+(?:that\s+)?$",
    re.IGNORECASE,
)
# "To many, he is ...", "For many activists, talk of ...", "Among aides, there is chatter": a
# clause-opening phrase that frames what follows as the group's view.
GROUP_FRAME_BEFORE = re.compile(
    r"(?:^|[,;:—(]\s*|\b(?:but|and)\s+)(?:to|for|among)\s+(?:(?:his|her|their|its|our)\s+)?$", re.IGNORECASE
)
# Acts and states that show a stance, for groups whose other verbs are events ("several people died"):
# "Others paid tribute", "many took to Twitter", "some voters have soured on him", "many have mixed feelings".
SHOWN_STANCE = re.compile(
    r"(?:paid|pay|pays|paying)\s+tribute|(?:took|take|takes|taking)\s+to\s+(?:Twitter|Facebook|Instagram|"
    r"social\s+media|the\s+streets|the\s+airwaves)|(?:used|use|using)\s+the\s+hashtag"
    r"|signed\s+(?:on\s+to\s+)?(?:a|an|the)\s+(?:open\s+)?(?:letter|petition)|walked\s+out\s+in\s+protest"
    r"|(?:carried|held|waved)\s+(?:up\s+)?signs|lined\s+up\s+behind|rallied\s+(?:behind|around)"
    r"|(?:sour(?:ed|s|ing)?)\s+on|turn(?:ed|s|ing)?\s+against|warm(?:ed|s|ing)?\s+(?:up\s+)?to"
    r"|broke\s+(?:ranks|with)|walk(?:ed|s|ing)?\s+back|distanc(?:ed|e|es|ing)\s+themselves"
    r"|(?:(?:have|has|had)\s+)?(?:mixed|strong|serious|deep|growing|lingering|real|no)\s+(?:feelings|doubts|concerns|"
    r"reservations|misgivings|qualms|fears)|(?:have|has|had)\s+(?:doubts|concerns|reservations|misgivings|qualms)",
    re.IGNORECASE,
)
# Names that stand for a trade, not an institution that can answer: "according to Wall Street".
TRADE_METONYMS = re.compile(r"(?:Wall\s+Street|Silicon\s+Valley|Hollywood|Madison\s+Avenue)(?![\w'-])")
# "leaving many to wonder", "led some to speculate", "allow lawmakers to compare".
CAUSATIVE_BEFORE = re.compile(
    r"(?=[acefilps])\b(?:leav(?:e|es|ing)|left|led|lead(?:s|ing)?|caus(?:e|es|ed|ing)|prompt(?:s|ed|ing)?|forc(?:e|es|ed|ing)|"
    r"allow(?:s|ed|ing)?|encourag(?:e|es|ed|ing)|inspir(?:e|es|ed|ing)|spurr?(?:s|ed|ing)?)\s+$",
    re.IGNORECASE,
)
# Participles that after "be" still give the subject's stance ("FBI officials were angered", "Clinton
# officials were thrilled"), unlike a plain passive ("The officials were arrested").
PSYCH_PARTICIPLES = _forms(
    "annoy alarm worry horrify unsettle convince remind anger frustrate trouble disturb surprise shock "
    "upset irritate infuriate rankle reassure persuade dismay disappoint rattle spook impress thrill "
    "please delight encourage divide split concern puzzle stun baffle confuse embarrass excite attract "
    "intrigue"
)
