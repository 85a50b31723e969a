"""The desk's command grammar, parsed once for every platform: `/factcheck assign C-1042 @leo due fri`.

Parsing is total: any text yields a `Command` or a `CommandError` with one sentence (a "did you mean",
the usage line, or what was not understood); nothing else is ever raised.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime

from bot.desk.catalog import (
    DUE_WINDOWS,
    EXPORT_FORMATS,
    FORMAT_ALIASES,
    LIST_SCOPES,
    LIST_SORTS,
    SPECS,
    STATS_NAMED_DAYS,
    STATS_WINDOWS,
    STATUS_ALIASES,
    WORK_STATUSES,
)
from bot.desk.due import parse_due
from bot.desk.refs import Ref, parse_ref, unknown_ref
from bot.desk.verdicts import VerdictScale
from bot.errors import CommandError
from bot.text.normalize import strip_controls

# word typed → the value it stands for, from the catalog's vocabularies and their aliases
_STATUS_WORDS = {status: status for status in WORK_STATUSES} | STATUS_ALIASES
_FORMAT_WORDS = {fmt: fmt for fmt in EXPORT_FORMATS} | FORMAT_ALIASES
_WINDOW_WORDS = {window: window.split()[-1] for window in DUE_WINDOWS} | {
    window.split()[-1]: window.split()[-1] for window in DUE_WINDOWS
}

# opening quote → the characters that may close it
_QUOTES = {
    '"': '"“”',
    "'": "'’",
    "“": "”“",
    "”": "”",
    "„": "“”",
    "«": "»",
    "»": "«",
    "‘": "’",
    "‚": "‘’",
}
_SLACK_OR_DISCORD_MENTION = re.compile(r"^<@!?([A-Za-z0-9_.\-]+)(?:\|([^>]*))?>$")
_PLAIN_MENTION = re.compile(r"^@([\w.\-']+)$")
_CHANNEL = re.compile(r"^<#([A-Za-z0-9_\-]+)(?:\|([^>]*))?>$")


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # where the token (with its quotes) starts in the command text
    quoted: bool = False


@dataclass(frozen=True)
class Person:
    """Someone named in a command: a platform mention carries an id, a plain `@name` only a name."""

    user_id: str | None
    name: str | None

    @property
    def label(self) -> str:
        return f"@{self.name or self.user_id}"


@dataclass(frozen=True)
class ChannelName:
    channel_id: str | None
    name: str | None


@dataclass
class Command:
    name: str
    ref: Ref | None = None
    scope: str = "open"
    due_window: str | None = None  # "today" | "week"
    sort: str | None = None  # "score" | "due" | "age"
    person: Person | None = None
    channel: ChannelName | None = None
    thread: Ref | None = None
    due: datetime | None = None
    status: str | None = None
    verdict: str | None = None
    text: str | None = None
    fmt: str = "claimreview"
    days: int = 7
    topic: str | None = None


def tokenize(text: str) -> list[Token]:
    """Split like a shell: whitespace separates, quotes (straight or curly) group, `<@U1|a b>` stays whole.

    An apostrophe inside a word is just a letter, and an unclosed quote runs to the end; never raises.
    """
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start, char = i, text[i]
        if char in _QUOTES:
            end = _closing_quote(text, i + 1, _QUOTES[char])
            tokens.append(Token(text[i + 1 : end], start, quoted=True))
            i = end + 1
            continue
        if char == "<" and ">" in text[i:]:
            end = text.index(">", i)
            tokens.append(Token(text[i : end + 1], start))
            i = end + 1
            continue
        while i < n and not text[i].isspace():
            i += 1
        tokens.append(Token(text[start:i], start))
    return tokens


def _closing_quote(text: str, begin: int, closers: str) -> int:
    """Index of the quote that closes at a word boundary; the end of the text when there is none."""
    for k in range(begin, len(text)):
        if text[k] in closers and (k + 1 == len(text) or text[k + 1].isspace() or text[k + 1] in ",.;:!?)"):
            return k
    return len(text)


def parse_person(word: str) -> Person | None:
    """`<@U123>`, `<@U123|leo>`, `<@!123>`, `@leo` → Person."""
    match = _SLACK_OR_DISCORD_MENTION.match(word)
    if match:
        return Person(user_id=match.group(1), name=(match.group(2) or None))
    match = _PLAIN_MENTION.match(word)
    if match:
        return Person(user_id=None, name=match.group(1))
    return None


def parse_channel(word: str) -> ChannelName | None:
    match = _CHANNEL.match(word)
    if match:
        return ChannelName(channel_id=match.group(1), name=match.group(2) or None)
    if word.startswith("#") and len(word) > 1 and parse_ref(word) is None:
        return ChannelName(channel_id=None, name=word[1:])
    return None


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(word.lower(), list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def shown(typed: str) -> str:
    """What the person typed, as a sentence quotes it: one line, at most 40 characters."""
    return " ".join(typed.split())[:40]


def _either(values: tuple[str, ...]) -> str:
    """`a`, `b` or `c`: a vocabulary as a sentence offers it."""
    quoted = [f"`{value}`" for value in values]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def usage_error(name: str, problem: str) -> CommandError:
    return CommandError(f"{problem} Usage: `{SPECS[name].usage}`")


class Parser:
    """Parses one command line; holds what parsing depends on: the verdict vocabulary, the time now, and
    the asker's time zone (which `due fri 5pm` is read in)."""

    def __init__(self, verdicts: VerdictScale, now: datetime, timezone: str | None = None) -> None:
        self.verdicts = verdicts
        self.now = now
        self.timezone = timezone

    def parse(self, text: str) -> Command:
        text = strip_controls(
            text
        ).strip()  # notes and explanations are stored and shown as typed, minus these
        if text.lower().startswith("/factcheck"):
            text = text[len("/factcheck") :].strip()
        return self._dispatch(tokenize(text), text)

    def parse_words(self, words: list[str]) -> Command:
        """Arguments already split by a shell (the CLI): each word is one token, quotes and all."""
        tokens, start = [], 0
        words = [strip_controls(word) for word in words]
        for word in words:
            tokens.append(Token(word, start, quoted=not word or any(c.isspace() for c in word)))
            start += len(word) + 1
        return self._dispatch(tokens, " ".join(words))

    def _dispatch(self, tokens: list[Token], text: str) -> Command:
        if not tokens:
            return Command(name="help")
        name = tokens[0].text.lower()
        if name not in SPECS:
            guess = suggest(name, list(SPECS))
            hint = f" Did you mean `{guess}`?" if guess else ""
            raise CommandError(
                f"“{shown(tokens[0].text)}” is not a desk command.{hint} Try `help` for the list."
            )
        handler = getattr(self, f"_parse_{name}")
        return handler(Command(name=name), tokens[1:], text)

    # -- helpers -------------------------------------------------------------------------------------

    def _ref(self, command: Command, tokens: list[Token], *, kinds: str = "C") -> Ref:
        what = {"C": "a claim", "T": "a triage thread", "CT": "a claim or a triage thread"}[kinds]
        if not tokens:
            raise usage_error(command.name, f"`{command.name}` needs {what}.")
        ref = parse_ref(tokens[0].text)
        typed = parse_ref(tokens[0].text, any_number=True)
        if ref is None and typed is not None and typed.kind in kinds:
            raise CommandError(unknown_ref(typed.kind, typed))  # a number too large to be any row's id
        if ref is None:
            example = {"C": "C-1042", "T": "T-87", "CT": "C-1042 or T-87"}[kinds]
            raise usage_error(
                command.name, f"“{shown(tokens[0].text)}” is not {what} reference like {example}."
            )
        if ref.kind not in kinds:
            raise usage_error(command.name, f"`{command.name}` needs {what}, not {ref}.")
        return ref

    def _no_more(self, command: Command, tokens: list[Token]) -> None:
        if tokens:
            raise usage_error(
                command.name, f"I did not understand “{shown(tokens[0].text)}” in `{command.name}`."
            )

    @staticmethod
    def _rest(tokens: list[Token], text: str) -> str:
        """The free text after the arguments: a lone quoted token's content, else the raw remainder."""
        if not tokens:
            return ""
        if len(tokens) == 1 and tokens[0].quoted:
            return tokens[0].text.strip()
        return text[tokens[0].start :].strip()

    # -- commands ------------------------------------------------------------------------------------

    def _parse_help(self, command: Command, tokens: list[Token], text: str) -> Command:
        if tokens:
            topic = tokens[0].text.lower()
            if topic not in SPECS:
                guess = suggest(topic, list(SPECS))
                hint = f" Did you mean `{guess}`?" if guess else ""
                raise CommandError(f"There is no command “{shown(tokens[0].text)}”.{hint}")
            command.topic = topic
        return command

    def _parse_list(self, command: Command, tokens: list[Token], text: str) -> Command:
        words = list(tokens)
        while words:
            word = words.pop(0)
            low = word.text.lower()
            if low in LIST_SCOPES:
                command.scope = low
            elif (person := parse_person(word.text)) is not None:
                command.person = person
            elif low == "in":
                if not words or (channel := parse_channel(words[0].text)) is None:
                    raise usage_error("list", "`in` needs a channel, like `in #desk`.")
                command.channel = channel
                words.pop(0)
            elif low == "due":
                phrase = " ".join(w.text.lower() for w in words[:2])
                window = _WINDOW_WORDS.get(phrase) or _WINDOW_WORDS.get(phrase.split(" ")[0])
                if window is None:
                    raise usage_error("list", f"`due` takes {_either(DUE_WINDOWS)}.")
                command.due_window = window
                del words[: 2 if phrase in _WINDOW_WORDS and " " in phrase else 1]
            elif low in ("sort", "by"):
                if words and words[0].text.lower() == "by":
                    words.pop(0)
                typed = words.pop(0).text.lower() if words else ""
                if typed not in LIST_SORTS:
                    raise usage_error("list", f"Sort by {_either(LIST_SORTS)}.")
                command.sort = typed
            elif low == "thread":
                command.thread = self._ref(command, words, kinds="T")
                words.pop(0)
            elif (ref := parse_ref(word.text, any_number=True)) is not None and ref.kind == "T":
                command.thread = self._ref(command, [word], kinds="T")
            elif (channel := parse_channel(word.text)) is not None:
                command.channel = channel
            else:
                guess = suggest(low, [*LIST_SCOPES, "in", "thread", "due", "sort"])
                hint = f" Did you mean `{guess}`?" if guess else ""
                raise usage_error("list", f"I did not understand “{shown(word.text)}”.{hint}")
        return command

    def _parse_search(self, command: Command, tokens: list[Token], text: str) -> Command:
        command.text = self._rest(tokens, text)
        if not command.text:
            raise usage_error("search", "Say what to look for.")
        return command

    def _parse_board(self, command: Command, tokens: list[Token], text: str) -> Command:
        self._no_more(command, tokens)
        return command

    def _parse_match(self, command: Command, tokens: list[Token], text: str) -> Command:
        command.text = self._rest(tokens, text)
        if not command.text:
            raise usage_error("match", "Give the claim to look up.")
        return command

    def _parse_show(self, command: Command, tokens: list[Token], text: str) -> Command:
        command.ref = self._ref(command, tokens, kinds="CT")
        self._no_more(command, tokens[1:])
        return command

    _parse_history = _parse_show

    def _parse_assign(self, command: Command, tokens: list[Token], text: str) -> Command:
        command.ref = self._ref(command, tokens)
        rest = tokens[1:]
        if not rest:
            raise usage_error("assign", f"Say who should check {command.ref}.")
        command.person = parse_person(rest[0].text)
        if command.person is None:
            word = rest[0].text.strip()
            if not re.fullmatch(r"[\w.\-']{1,80}", word) or word.lower() in ("due", "by"):
                raise usage_error("assign", f"“{shown(word)}” is not a person; mention them, like @leo.")
            command.person = Person(user_id=None, name=word)
        rest = rest[1:]
        if rest:
            if rest[0].text.lower() not in ("due", "by"):
                raise usage_error(
                    "assign", f"I did not understand “{shown(rest[0].text)}”; add a due date with `due fri`."
                )
            command.due = parse_due([t.text for t in rest[1:]], self.now, self.timezone)
        return command

    def _parse_claim(self, command: Command, tokens: list[Token], text: str) -> Command:
        if tokens and tokens[0].text.lower() == "add" and not tokens[0].quoted:
            command.name = "claim_add"
            command.ref = self._ref(Command(name="claim"), tokens[1:], kinds="T")
            command.text = self._rest(tokens[2:], text)
            if not command.text:
                raise usage_error("claim", f"Give the sentence to add to {command.ref}, in quotes.")
            return command
        return self._parse_one_claim(command, tokens, text)

    def _parse_one_claim(self, command: Command, tokens: list[Token], text: str) -> Command:
        command.ref = self._ref(command, tokens)
        self._no_more(command, tokens[1:])
        return command

    _parse_unassign = _parse_one_claim
    _parse_reopen = _parse_one_claim

    def _parse_status(self, command: Command, tokens: list[Token], text: str) -> Command:
        command.ref = self._ref(command, tokens)
        words = [t.text.lower() for t in tokens[1:]]
        if not words:
            raise usage_error("status", f"Say where {command.ref} stands.")
        typed = "_".join(words) if len(words) == 2 else words[0]
        status = _STATUS_WORDS.get(typed)
        if status is None or len(words) > 2:
            guess = suggest(typed, list(_STATUS_WORDS))
            hint = f" Did you mean `{_STATUS_WORDS[guess]}`?" if guess else ""
            raise usage_error("status", f"“{shown(' '.join(words))}” is not a status you can set.{hint}")
        command.status = status
        return command

    def _parse_verdict(self, command: Command, tokens: list[Token], text: str) -> Command:
        command.ref = self._ref(command, tokens)
        rest = tokens[1:]
        if not rest:
            raise usage_error(
                "verdict", f"Give a verdict for {command.ref}: {', '.join(self.verdicts.values())}."
            )
        verdict, used = None, 1
        if len(rest) >= 2 and not rest[0].quoted and not rest[1].quoted:
            verdict, used = self.verdicts.find(f"{rest[0].text} {rest[1].text}"), 2
        if verdict is None:
            verdict, used = self.verdicts.find(rest[0].text), 1
        if verdict is None:
            guess = suggest(rest[0].text.replace("-", "_"), self.verdicts.values())
            hint = f" Did you mean `{guess}`?" if guess else ""
            raise CommandError(
                f"“{shown(rest[0].text)}” is not a verdict.{hint} Verdicts: {', '.join(self.verdicts.values())}."
            )
        command.verdict = verdict.value
        command.text = self._rest(rest[used:], text)
        if not command.text:
            raise usage_error("verdict", "A verdict needs an explanation with its sources.")
        return command

    def _parse_dismiss(self, command: Command, tokens: list[Token], text: str) -> Command:
        command.ref = self._ref(command, tokens)
        command.text = self._rest(tokens[1:], text)
        if not command.text:
            raise usage_error("dismiss", f"Say why {command.ref} is not worth checking.")
        return command

    def _parse_note(self, command: Command, tokens: list[Token], text: str) -> Command:
        command.ref = self._ref(command, tokens)
        command.text = self._rest(tokens[1:], text)
        if not command.text:
            raise usage_error("note", "The note is empty.")
        return command

    def _parse_export(self, command: Command, tokens: list[Token], text: str) -> Command:
        command.ref = self._ref(command, tokens, kinds="CT")
        rest = tokens[1:]
        if rest:
            typed = rest[0].text.lower()
            if typed not in _FORMAT_WORDS:
                guess = suggest(typed, EXPORT_FORMATS)
                hint = f" Did you mean `{guess}`?" if guess else ""
                raise usage_error("export", f"“{shown(rest[0].text)}” is not an export format.{hint}")
            command.fmt = _FORMAT_WORDS[typed]
            self._no_more(command, rest[1:])
        return command

    def _parse_stats(self, command: Command, tokens: list[Token], text: str) -> Command:
        if tokens:
            typed = tokens[0].text.lower()
            match = re.fullmatch(r"(\d{1,3})\s*d?", typed)
            if typed in STATS_NAMED_DAYS:
                command.days = STATS_NAMED_DAYS[typed]
            elif match and 1 <= int(match.group(1)) <= 365:
                command.days = int(match.group(1))
            else:
                raise usage_error(
                    "stats", f"“{shown(tokens[0].text)}” is not a window; use {_either(STATS_WINDOWS)}."
                )
            self._no_more(command, tokens[1:])
        return command

    def _parse_retriage(self, command: Command, tokens: list[Token], text: str) -> Command:
        command.ref = self._ref(command, tokens, kinds="T")
        self._no_more(command, tokens[1:])
        return command
