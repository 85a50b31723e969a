"""The rules' compiled regular expressions, kept between processes.

A few hundred patterns are compiled when the extractor is imported, a fifth of a short triage's start-up.
CPython compiles in two steps: parsing and code generation (Python, slow), then building the pattern from
that code (C, fast). The code is kept on disk, keyed by the interpreter and the source of the rule
packages, and `load` puts the rebuilt patterns into `re`'s own cache, where every module's `re.compile`
finds them. A pattern is looked up by its own text, so a stale entry is never used in place of another; a
missing or unreadable cache only means compiling as before.
"""

from __future__ import annotations

import hashlib
import marshal
import re
import sys
from functools import lru_cache
from pathlib import Path

from bot.disk_cache import cache_path, write_atomically

try:  # CPython's own compiler; elsewhere the cache stays off
    import _sre
    from re import _compiler, _parser

    _INTERPRETER: str | None = f"{sys.version} {_sre.MAGIC} {_sre.CODESIZE}"
except (ImportError, AttributeError):
    _INTERPRETER = None

_RULE_PACKAGES = ("extract", "names", "text")  # where the patterns a triage compiles are written
# `re` keeps 512 patterns and drops the oldest beyond that: in a process that compiles others too (a server,
# the test suite), the rules' own would be dropped and compiled again, and a cache written there would miss
# some of them. The rules alone are a few hundred, so the limit is raised well above what a process compiles.
_KEPT = 4096
# A few library patterns are built from sets, so their text changes from one process to the next (tokenize's
# string prefixes): they can never be found in the cache, and missing them alone is no reason to write it.
_STRAY = 8
loaded: frozenset[tuple[str, int]] = frozenset()  # the patterns `load` read from the cache


@lru_cache(maxsize=1)
def _path() -> Path:
    digest = hashlib.sha256((_INTERPRETER or "").encode())
    root = Path(__file__).resolve().parents[1]
    for source in sorted(path for package in _RULE_PACKAGES for path in (root / package).rglob("*.py")):
        digest.update(source.read_bytes())
    return cache_path(f"patterns-{digest.hexdigest()[:16]}.marshal")


def load() -> None:
    """Put every cached pattern into `re`'s cache, before the rule modules compile theirs."""
    global loaded
    loaded = frozenset()
    if _INTERPRETER is None:
        return
    re._MAXCACHE = max(re._MAXCACHE, _KEPT)  # type: ignore[attr-defined]
    try:
        stored = _path().read_bytes()
        digest, payload = stored[:32], stored[32:]
        if hashlib.sha256(payload).digest() != digest:
            return  # damaged or cut short: compiled as before, and `remember` writes it again
        entries = marshal.loads(payload)
        for pattern, flags, *built in entries:
            re._cache.setdefault((str, pattern, flags), _sre.compile(pattern, *built))  # type: ignore[attr-defined]
    except (OSError, RuntimeError, EOFError, ValueError, TypeError, AttributeError):
        return
    loaded = frozenset((pattern, flags) for pattern, flags, *_ in entries)


@lru_cache(maxsize=1)
def remember() -> None:
    """Once per process, after the first extraction has compiled every rule: write the cache when a
    pattern had to be compiled that it did not hold (no cache yet, or rules that changed the text they build)."""
    if _INTERPRETER is None:
        return
    try:
        compiled = [(key[1], key[2]) for key in re._cache if key[0] is str]  # type: ignore[attr-defined]
        missed = sum(key not in loaded for key in compiled)
        if len(compiled) >= re._MAXCACHE or missed <= _STRAY:  # type: ignore[attr-defined]
            return  # nothing new, or `re` dropped some: a cache written now would be short
        payload = marshal.dumps([_built(pattern, flags) for pattern, flags in compiled])
        write_atomically(_path(), hashlib.sha256(payload).digest() + payload)
    except (OSError, RuntimeError, ValueError, TypeError, AttributeError, re.error):
        return


def _built(pattern: str, flags: int) -> tuple:
    """What `re._compiler.compile` hands to `_sre.compile` for this pattern, after the pattern and flags."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groups = parsed.state.groupdict
    names: list[str | None] = [None] * parsed.state.groups
    for name, number in groups.items():
        names[number] = name
    return (
        pattern,
        int(flags),
        int(flags | parsed.state.flags),
        [int(c) for c in code],
        parsed.state.groups - 1,
        dict(groups),
        tuple(names),
    )
