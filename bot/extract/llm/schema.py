"""The shape the model must answer in, sent as a strict JSON schema and validated on return.

Every field is required and no object admits extra keys, which is what strict structured output demands;
optional values are explicit nulls. Every list has `maxItems`, so a server that enforces the schema with
a grammar (llama.cpp, vLLM) cannot loop on repeated entries, and the answer's length has a ceiling the
request's `max_tokens` can be derived from. Free-text fields the card could show unchecked (a "why", a
"who", a reason) are not asked for: the card's wording comes from the deterministic vocabulary.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from bot.models import AttributionKind, ClaimKind

MAX_CLAIMS = 12
MAX_ATTRIBUTIONS = 12
MAX_NAMES = 6
# Rough ceiling of one entry's tokens (a sentence-long quote plus its fields), for `max_tokens`.
ENTRY_TOKENS = {"claims": 180, "attributions": 110, "names": 50}


def _line(longest: int) -> Any:
    """A one-line string of at most `longest` characters, as a schema `pattern` (which strict OpenAI
    schemas accept and llama.cpp enforces while generating, so a quote cannot run on forever). Only
    sent, not validated here: an over-long quote simply fails to ground."""
    return Annotated[str, Field(json_schema_extra={"pattern": f"^[^\\n]{{1,{longest}}}$"})]


_Quote = _line(400)
_Phrase = _line(300)
_Who = _line(120)
_Name = _line(80)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ModelClaim(_Strict):
    quote: _Quote = Field(
        description="The claim copied character for character from the article, one sentence or less."
    )
    kind: ClaimKind
    checkworthiness: float = Field(
        ge=0.0, le=1.0, description="0 = framing or opinion, 1 = must be checked first."
    )
    speaker: _Who | None = Field(
        description="Who makes the claim, copied from the article; null if the article itself."
    )
    attribution_quote: _Phrase | None = Field(
        description="The attribution phrase this claim rests on, copied from the article (same as an attributions[].quote); null if none."
    )


class ModelAttribution(_Strict):
    quote: _Phrase = Field(
        description="The attribution phrase copied character for character from the article."
    )
    source: _Who = Field(description="Who the information comes from, copied from the article.")
    kind: AttributionKind


class ModelName(_Strict):
    found: _Name = Field(description="The name exactly as spelt in the article.")
    suggestion: _Name = Field(description="The correct spelling of the public figure's name.")
    confidence: float = Field(ge=0.0, le=1.0)


class ModelExtraction(_Strict):
    claims: list[ModelClaim] = Field(max_length=MAX_CLAIMS)
    attributions: list[ModelAttribution] = Field(max_length=MAX_ATTRIBUTIONS)
    names: list[ModelName] = Field(max_length=MAX_NAMES)


def answer_ceiling_tokens() -> int:
    """The most tokens a schema-conforming answer needs: every list full."""
    return 20 + (
        MAX_CLAIMS * ENTRY_TOKENS["claims"]
        + MAX_ATTRIBUTIONS * ENTRY_TOKENS["attributions"]
        + MAX_NAMES * ENTRY_TOKENS["names"]
    )


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
