"""The rules' compiled patterns, read back from the user's cache, are the patterns `re` would compile, and
an extraction that starts from the cache gives the same report as one that compiled every rule itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ARTICLE = (REPO / "examples" / "grain-corridor.txt").read_text(encoding="utf-8")

# Run in a fresh interpreter, so `re`'s cache starts empty: extract once, then compare every pattern in
# `re`'s cache with the same pattern compiled from scratch (attributes, and every match in the article).
SCRIPT = """
import json, re, sys
from re import _compiler
from bot.extract import pattern_cache
others = int(sys.argv[1])
[re.compile(f"other pattern {i}") for i in range(others)]  # a process that compiles more than its rules
compile_ = _compiler.compile
recompiled = []
_compiler.compile = lambda p, flags=0: recompiled.append(p) or compile_(p, flags)
from bot.extract.offline import OfflineExtractor
article = sys.stdin.read()
report = OfflineExtractor().extract(article).model_dump_json()
_compiler.compile = compile_
def seen(p):
    return [p.pattern, p.flags, p.groups, dict(p.groupindex), [m.span() for m in p.finditer(article)]]
rules = [(k[1], k[2], p) for k, p in re._cache.items() if k[0] is str]
differ = [k for k, flags, p in rules if seen(p) != seen(_compiler.compile(k, flags))]
print(json.dumps({"report": report, "rules": len(rules), "differ": differ, "loaded": len(pattern_cache.loaded),
                  "compiled": len(recompiled)}))
"""


def _run(cache: Path, others: int = 0) -> dict:
    env = os.environ | {"XDG_CACHE_HOME": str(cache)}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(others)],
        input=ARTICLE,
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_a_run_from_the_cache_compiles_the_same_patterns_and_reports_the_same(tmp_path: Path):
    compiled = _run(tmp_path)  # no cache yet: every rule compiled, then written
    assert compiled["loaded"] == 0
    assert list((tmp_path / "factdesk").glob("patterns-*.marshal"))
    cached = _run(tmp_path)
    assert cached["loaded"] > 200  # the rules came from the cache
    assert cached["report"] == compiled["report"]
    assert cached["rules"] >= cached["loaded"]
    assert cached["differ"] == []
    assert cached["compiled"] <= 8, (
        "every rule came from the cache (a library pattern may differ per process)"
    )


def test_a_cache_written_by_a_busy_process_still_holds_every_rule(tmp_path: Path):
    """`re` keeps 512 patterns: a server or the suite that compiles more must neither drop the rules' own nor
    write a cache that misses some of them."""
    busy = _run(tmp_path, others=600)
    assert busy["loaded"] == 0 and busy["compiled"] > 200
    lean = _run(tmp_path)
    assert lean["compiled"] <= 8, "a one-shot triage after it compiles none of the rules"
    assert lean["report"] == busy["report"]


def test_a_damaged_cache_only_means_compiling_again(tmp_path: Path):
    first = _run(tmp_path)
    (path,) = (tmp_path / "factdesk").glob("patterns-*.marshal")
    whole = path.read_bytes()
    for damage in (b"not a cache", whole[:-100], whole[:-1] + bytes([whole[-1] ^ 1])):
        path.write_bytes(damage)
        damaged = _run(tmp_path)
        assert damaged["loaded"] == 0 and damaged["differ"] == []
        assert damaged["report"] == first["report"]
        assert _run(tmp_path)["loaded"] > 200  # and written again, whole
