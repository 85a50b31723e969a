"""One way to print a benchmark's rows, so every report reads the same."""

from __future__ import annotations

COLUMNS = ("dataset", "split", "metric", "value", "target")


def cell(value: object) -> str:
    """A value as every table shows it: three decimals for ratios, thousands grouped for big figures."""
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 1000 else f"{value:,.0f}"
    return "" if value is None else str(value)


def print_table(rows: list[dict], columns: tuple[str, ...] = COLUMNS) -> None:
    cells = [[cell(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) if cells else len(c) for i, c in enumerate(columns)]
    print(" | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in cells:
        print(" | ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))
