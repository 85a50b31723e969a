"""A long text's sources and names computed in a forked child: the same result as in one process, and
nothing lost or left behind when either side fails. Each case runs in a fresh interpreter, which has one
thread, as the CLI does (pytest's own process may hold threads of other tests' servers)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from tests.shared_data import SEED, require

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


def _run(body: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(body)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_work_runs_in_a_child_and_its_result_comes_back() -> None:
    out = _run(
        """
        import json, os
        from bot.extract.side_process import beside
        parent = os.getpid()
        with beside(lambda: (os.getpid(), [1, "two"]), fork=True) as result:
            child, payload = result()
        with beside(lambda: os.getpid(), fork=False) as here:
            same = here()
        print(json.dumps({"forked": child != parent, "payload": payload, "unforked_here": same == parent}))
        """
    )
    assert out == {"forked": True, "payload": [1, "two"], "unforked_here": True}


def test_a_child_that_fails_is_replaced_by_the_work_done_here() -> None:
    out = _run(
        """
        import json, os
        from bot.extract.side_process import beside
        parent = os.getpid()
        def work():
            if os.getpid() != parent:
                raise RuntimeError("the child fails")
            return "done here"
        with beside(work, fork=True) as result:
            value = result()
        print(json.dumps({"value": value}))
        """
    )
    assert out == {"value": "done here"}


def test_a_parent_that_fails_first_leaves_no_child_behind() -> None:
    out = _run(
        """
        import json, os
        from bot.extract.side_process import beside
        try:
            with beside(lambda: "x" * 1_000_000, fork=True):  # more than a pipe holds: the child must not hang
                raise ValueError("the parent fails before it reads")
        except ValueError:
            pass
        try:
            os.waitpid(-1, os.WNOHANG)
            left = True
        except ChildProcessError:
            left = False
        print(json.dumps({"child_left": left}))
        """
    )
    assert out == {"child_left": False}


def test_the_extraction_is_the_same_split_across_two_processes() -> None:
    require(SEED)
    out = _run(
        f"""
        import json
        from pathlib import Path
        import bot.extract.offline as offline
        text = Path({str(SEED)!r}).read_text(encoding="utf-8") * 3
        extractor = offline.OfflineExtractor()
        offline._split = lambda text: False
        alone = extractor.extract(text).model_dump_json()
        offline._split = lambda text: True
        split = extractor.extract(text).model_dump_json()
        print(json.dumps({{"same": alone == split, "claims": len(json.loads(split)["claims"])}}))
        """
    )
    assert out["same"] and out["claims"] > 0
