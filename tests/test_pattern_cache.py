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
from bot.extract.offline import OfflineExtractor
article = sys.stdin.read()
report = OfflineExtractor().extract(article).model_dump_json()
def seen(p):
    return [p.pattern, p.flags, p.groups, dict(p.groupindex), [m.span() for m in p.finditer(article)]]
rules = [(k[1], k[2], p) for k, p in re._cache.items() if k[0] is str]
differ = [k for k, flags, p in rules if seen(p) != seen(_compiler.compile(k, flags))]
print(json.dumps({"report": report, "rules": len(rules), "differ": differ, "loaded": pattern_cache.loaded}))
"""


def _run(cache: Path) -> dict:
    env = os.environ | {"XDG_CACHE_HOME": str(cache)}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
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
