"""Short references people type: `C-1042` for a claim, `T-87` for a triage thread (the row ids, prefixed).

Row ids are 32-bit integers on PostgreSQL, so a larger number names nothing: it is parsed here (so the
grammar can say so) but never reaches a query, where PostgreSQL would refuse it as out of range."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

_REF = re.compile(r"^#?([CcTt])-?(\d{1,12})$")
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Ref:
    kind: Literal["C", "T"]
    number: int

    def __str__(self) -> str:
        return f"{self.kind}-{self.number}"


def parse_ref(text: str, *, any_number: bool = False) -> Ref | None:
    """`C-1042`, `c1042`, `#T-87` → Ref; anything else, or a number no row can have, → None
    (``any_number``: the reference as typed, however large, to name it in a sentence)."""
    match = _REF.match(text.strip())
    if match is None:
        return None
    kind = "C" if match.group(1).upper() == "C" else "T"
    number = int(match.group(2))
    return Ref(kind, number) if any_number or number <= MAX_ID else None


def unknown_ref(kind: Literal["C", "T"], ref: Ref | None) -> str:
    """What a reference to no stored claim or triage gets, whether its number is unused or impossible."""
    if kind == "C":
        return f"There is no claim {ref}; check the number on the card or try `list`."
    return f"There is no triage {ref}."
