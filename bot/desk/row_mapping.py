"""A triage's findings between the domain (`bot.models`) and their rows (`storage.models`), both ways, in
one table per kind: storing a report, reading it back and adding a claim by hand all go through here.

Fields a row does not keep (ids and links set on reading back, desk state, prior checks) are named in
`not_stored`, so a new domain field is either mapped here or said to be dropped (`tests/test_row_mapping.py`
checks). Where the model set a field (`field_origins`, `model_view`) is kept, so the card can say it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from bot.models import Attribution, Claim, NameIssue
from storage import models as rows

D = TypeVar("D", bound=BaseModel)
R = TypeVar("R", bound=rows.Base)

_SPAN = {"text": "text", "start": "start_offset", "end": "end_offset"}


@dataclass(frozen=True)
class Columns(Generic[D, R]):
    domain: type[D]
    row: type[R]
    columns: Mapping[str, str]  # domain field → row column, the same value both ways (enums by value)
    not_stored: frozenset[str]  # domain fields set from elsewhere when read back, or not kept at all

    def row_of(self, item: D, **extra: Any) -> R:
        """A new row for `item`; `extra` sets what only the row has (position, relationships)."""
        values = {column: _stored(getattr(item, field)) for field, column in self.columns.items()}
        return self.row(**values, **extra)

    def item_of(self, row: R, **extra: Any) -> D:
        """The domain object of `row`; an empty column takes the field's default, `extra` sets the rest."""
        values = {field: getattr(row, column) for field, column in self.columns.items()}
        return self.domain.model_validate({k: v for k, v in values.items() if v is not None} | extra)


def _stored(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {key: _stored(item) for key, item in value.items()}
    return list(value) if isinstance(value, list) else value


CLAIMS = Columns(
    Claim,
    rows.Claim,
    {
        **_SPAN,
        "kind": "kind",
        "checkworthiness": "checkworthiness",
        "speaker": "speaker",
        "signals": "signals",
    }
    | {"origin": "origin", "field_origins": "field_origins"},
    frozenset({"id", "attribution_id", "desk", "prior_checks"}),
)
ATTRIBUTIONS = Columns(
    Attribution,
    rows.Attribution,
    {"id": "label", **_SPAN, "source": "source", "kind": "kind", "strength": "strength", "reason": "reason"}
    | {"country": "country", "origin": "origin", "model_view": "model_view"},
    frozenset(),
)
NAMES = Columns(
    NameIssue,
    rows.NameIssue,
    {
        **_SPAN,
        "found": "found",
        "suggestion": "suggestion",
        "confidence": "confidence",
        "evidence": "evidence",
    }
    | {"origin": "origin", "model_view": "model_view"},
    frozenset(),
)
