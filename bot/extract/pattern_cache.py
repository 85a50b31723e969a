"""The rules' compiled regular expressions, kept between processes.

A few hundred patterns are compiled when the extractor is imported, a fifth of a short triage's start-up.
CPython compiles in two steps: parsing and code generation (Python, slow), then building the pattern from
that code (C, fast). The code is kept on disk, keyed by the interpreter, and `load` puts the rebuilt
patterns into `re`'s own cache, where every module's `re.compile` finds them. A missing, stale or
unreadable cache only means compiling as before.
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

    _INTERPRETER = f"{sys.version} {_sre.MAGIC} {_sre.CODESIZE}"
except (ImportError, AttributeError):
    _INTERPRETER = None

_loaded: set[tuple[str, int]] = set()


def _path() -> Path:
    return cache_path(f"patterns-{hashlib.sha256(_INTERPRETER.encode()).hexdigest()[:16]}.marshal")


def load() -> None:
    """Put every cached pattern into `re`'s cache, before the rule modules compile theirs."""
    if _INTERPRETER is None:
        return
    try:
        entries = marshal.loads(_path().read_bytes())
        for pattern, flags, *built in entries:
            key = (str, pattern, flags)
            if key not in re._cache:  # type: ignore[attr-defined]
                re._cache[key] = _sre.compile(pattern, *built)  # type: ignore[attr-defined]
            _loaded.add((pattern, flags))
    except (OSError, RuntimeError, EOFError, ValueError, TypeError, AttributeError):
        return


@lru_cache(maxsize=1)
def remember() -> None:
    """Once per process, after the first extraction has compiled every rule: write the cache again when it
    lacked one of the patterns in `re`'s cache."""
    if _INTERPRETER is None:
        return
    try:
        compiled = [(key[1], key[2]) for key in re._cache if key[0] is str]  # type: ignore[attr-defined]
        if set(compiled) <= _loaded:
            return
        write_atomically(_path(), marshal.dumps([_built(pattern, flags) for pattern, flags in compiled]))
    except (RuntimeError, ValueError, TypeError, AttributeError, re.error):
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
