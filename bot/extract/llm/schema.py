"""The shape the model must answer in, sent as a strict JSON schema and validated on return.

Every field is required and no object admits extra keys, which is what strict structured output demands;
optional values are explicit nulls. Quotes are the model's copy of article text and are grounded before
anything reaches a card.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bot.models import AttributionKind, ClaimKind, Strength


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ModelClaim(_Strict):
    quote: str = Field(
        description="The claim copied character for character from the article, one sentence or less."
    )
    kind: ClaimKind
    checkworthiness: float = Field(
        ge=0.0, le=1.0, description="0 = framing or opinion, 1 = must be checked first."
    )
    speaker: str | None = Field(
        description="Who makes the claim, as named in the article; null if the article itself."
    )
    attribution_quote: str | None = Field(
        description="The attribution phrase this claim rests on, copied from the article (same as an attributions[].quote); null if none."
    )
    why: str = Field(description="A few words: what makes it checkable (a number, a date, a named event...).")


class ModelAttribution(_Strict):
    quote: str = Field(description="The attribution phrase copied character for character from the article.")
    source: str = Field(description="Who the information comes from, as the article describes them.")
    kind: AttributionKind
    strength: Strength
    reason: str = Field(
        description="One short sentence a fact-checker can act on: why this sourcing is weak or strong."
    )


class ModelName(_Strict):
    found: str = Field(description="The name exactly as spelt in the article.")
    suggestion: str = Field(description="The correct spelling of the public figure's name.")
    who: str = Field(description="Who the person is (role, country), so an editor can confirm.")
    confidence: float = Field(ge=0.0, le=1.0)


class ModelExtraction(_Strict):
    claims: list[ModelClaim]
    attributions: list[ModelAttribution]
    names: list[ModelName]


@lru_cache(maxsize=1)
def strict_response_format() -> dict[str, Any]:
    """`response_format` for structured output with a strict JSON schema."""
    return {
        "type": "json_schema",
        "json_schema": {
            "name": "factcheck_triage",
            "strict": True,
            "schema": ModelExtraction.model_json_schema(),
        },
    }


@lru_cache(maxsize=1)
def json_mode_instructions() -> str:
    """For servers without strict schemas: the schema travels in the prompt and the answer is validated here."""
    schema = json.dumps(ModelExtraction.model_json_schema(), separators=(",", ":"))
    return f"Answer with one JSON object only, matching this JSON schema:\n{schema}"
