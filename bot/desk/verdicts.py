"""The verdict vocabulary: what editors may rule, and how each ruling reads in ClaimReview.

The default fits most desks; FACTDESK_VERDICTS_FILE (a JSON list of verdict objects) replaces it.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, model_validator

from bot.errors import ConfigurationError


class Verdict(BaseModel):
    value: str = Field(
        pattern=r"^[a-z][a-z0-9_]*$", description="What people type: `verdict C-1 mostly_true`."
    )
    label: str
    alternate_name: str = Field(description="ClaimReview reviewRating.alternateName.")
    rating_value: int | None = Field(None, description="None when the scale does not apply (unverifiable).")


class VerdictScale(BaseModel):
    verdicts: list[Verdict]
    best_rating: int = 5
    worst_rating: int = 1

    @model_validator(mode="after")
    def _consistent(self) -> VerdictScale:
        if not self.verdicts:
            raise ValueError("a verdict vocabulary needs at least one verdict")
        if len({v.value for v in self.verdicts}) != len(self.verdicts):
            raise ValueError("verdict values must be unique")
        low, high = sorted((self.worst_rating, self.best_rating))
        for verdict in self.verdicts:
            if verdict.rating_value is not None and not low <= verdict.rating_value <= high:
                raise ValueError(
                    f"rating of {verdict.value!r} is outside {self.worst_rating}..{self.best_rating}"
                )
        return self

    def values(self) -> list[str]:
        return [v.value for v in self.verdicts]

    def find(self, typed: str) -> Verdict | None:
        """Match what someone typed: the value, or the label, ignoring case, spaces and hyphens."""
        key = _key(typed)
        for verdict in self.verdicts:
            if key in (_key(verdict.value), _key(verdict.label)):
                return verdict
        return None

    def get(self, value: str | None) -> Verdict | None:
        return next((v for v in self.verdicts if v.value == value), None)


def _key(text: str) -> str:
    return re.sub(r"[\s\-_]+", "_", text.strip().lower())


DEFAULT_SCALE = VerdictScale(
    verdicts=[
        Verdict(value="true", label="True", alternate_name="True", rating_value=5),
        Verdict(value="mostly_true", label="Mostly true", alternate_name="Mostly true", rating_value=4),
        Verdict(
            value="missing_context", label="Missing context", alternate_name="Missing context", rating_value=3
        ),
        Verdict(value="misleading", label="Misleading", alternate_name="Misleading", rating_value=2),
        Verdict(value="mostly_false", label="Mostly false", alternate_name="Mostly false", rating_value=2),
        Verdict(value="false", label="False", alternate_name="False", rating_value=1),
        Verdict(value="unverifiable", label="Unverifiable", alternate_name="Unverifiable", rating_value=None),
    ],
    best_rating=5,
    worst_rating=1,
)


def load_scale(path: Path | None) -> VerdictScale:
    """The configured vocabulary: a JSON list of verdicts, or an object with `verdicts` and the rating bounds."""
    if path is None:
        return DEFAULT_SCALE
    return _load_file(Path(path))


@lru_cache(maxsize=4)
def _load_file(path: Path) -> VerdictScale:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return VerdictScale.model_validate({"verdicts": raw} if isinstance(raw, list) else raw)
    except OSError as exc:
        raise ConfigurationError(f"FACTDESK_VERDICTS_FILE points to {path}, which cannot be read.") from exc
    except (ValueError, ValidationError) as exc:
        first = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
        raise ConfigurationError(
            f"FACTDESK_VERDICTS_FILE ({path}) is not a valid verdict list: {first}."
        ) from exc
