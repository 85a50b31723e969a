"""Short references people type: `C-1042` for a claim, `T-87` for a triage thread (the row ids, prefixed)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

_REF = re.compile(r"^#?([CcTt])-?(\d{1,12})$")


@dataclass(frozen=True)
class Ref:
    kind: Literal["C", "T"]
    number: int

    def __str__(self) -> str:
        return f"{self.kind}-{self.number}"


def parse_ref(text: str) -> Ref | None:
    """`C-1042`, `c1042`, `#T-87` → Ref; anything else → None."""
    match = _REF.match(text.strip())
    if match is None:
        return None
    kind = "C" if match.group(1).upper() == "C" else "T"
    return Ref(kind, int(match.group(2)))
