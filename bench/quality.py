"""The quality report (`make quality`): check-worthiness, attributions and names on public data, and the
card as an editor sees it on labelled real news (dev split), one table.

Each part is its own bench module and can be run alone; this runs them all and prints one table with
dataset, split, metric, value and target.
"""

from __future__ import annotations

import sys
import time

from bench import attribution_eval, checkworthiness_eval, names_eval, newscard
from bench.table import print_table

PARTS = [
    ("check-worthiness", checkworthiness_eval.evaluate),
    ("attributions", attribution_eval.evaluate),
    ("names", names_eval.evaluate),
    ("news card (dev)", newscard.evaluate),
]


def main() -> int:
    rows: list[dict] = []
    for name, evaluate in PARTS:
        started = time.perf_counter()
        print(f"running {name} …", file=sys.stderr, flush=True)
        rows.extend(evaluate())
        print(f"  {name} done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
