"""Domain models: the stable contract every extractor produces and every adapter renders.

`factdesk triage --json` is `TriageReport.model_dump(mode="json")`; every `text` with `start`/`end`
is an exact slice of the article text.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field


class ClaimKind(StrEnum):
    statistic = "statistic"
    quantity = "quantity"
    date_time = "date_time"
    event = "event"
    quote = "quote"
    causal = "causal"
    comparison = "comparison"
    prediction = "prediction"
    policy = "policy"
    other = "other"


class AttributionKind(StrEnum):
    named_person = "named_person"
    named_organisation = "named_organisation"
    named_outlet = "named_outlet"
    state_media = "state_media"
    secondhand = "secondhand"
    unnamed_official = "unnamed_official"
    anonymous = "anonymous"
    vague_collective = "vague_collective"
    hedge = "hedge"
    unverifiable_setting = "unverifiable_setting"


class Strength(StrEnum):
    strong = "strong"
    moderate = "moderate"
    weak = "weak"


class Origin(StrEnum):
    """Which part of the pipeline found a finding, so the card can say where it came from."""

    offline = "offline"
    llm = "llm"
    rules = "rules"
    gazetteer = "gazetteer"
    hand = "hand"  # added on the desk with `claim add`


class ModelView(StrEnum):
    """What the model said about a finding the deterministic checks made."""

    confirmed = "confirmed"  # the model found the same thing
    questioned = "questioned"  # the model read the same span differently (another strength or spelling)


class DeskStatus(StrEnum):
    """Where the work on a stored claim stands (the desk's workflow, bot/desk/workflow.py)."""

    new = "new"
    assigned = "assigned"
    in_progress = "in_progress"
    needs_review = "needs_review"
    done = "done"
    dismissed = "dismissed"


class ClaimDesk(BaseModel):
    """A stored claim's state on the desk, so a re-rendered card shows who checks it and how it was ruled."""

    status: DeskStatus = DeskStatus.new
    assignee: str | None = Field(None, description="Display name of the checker, without the @.")
    due: date | None = Field(None, description="When the check is due (ISO date in JSON), while open.")
    verdict: str | None = Field(None, description="The verdict value, once the claim is done.")


class Span(BaseModel):
    text: str
    start: int
    end: int


class PriorCheck(BaseModel):
    """A fact-check already in the archive that a claim resembles: "Checked before"."""

    url: str = Field(
        description="Review URL as imported; for the desk's own verdicts the claim's ref (C-1042)."
    )
    score: float = Field(ge=0.0, le=1.0, description="Calibrated probability that it covers this claim.")
    claim: str = Field(description="The claim as the fact-check states it.")
    rating: str | None = None
    publisher: str | None = Field(None, description="Who published it; for desk verdicts, @ and who ruled.")
    published: date | None = None
    source: str = Field(description="The archive import it came from; 'desk' for the desk's own verdicts.")


class Claim(Span):
    id: str = ""
    kind: ClaimKind = ClaimKind.other
    checkworthiness: float = Field(ge=0.0, le=1.0)
    speaker: str | None = None
    attribution_id: str | None = None
    signals: list[str] = Field(default_factory=list, description="Which signals fired, for explainability.")
    origin: Origin = Origin.offline
    field_origins: dict[str, Origin] = Field(
        default_factory=dict,
        description="Fields set by another part than the one that found it (`origin`), e.g. {'kind': 'llm'}.",
    )
    desk: ClaimDesk | None = Field(None, description="Desk state; set on claims of a stored triage.")
    prior_checks: list[PriorCheck] = Field(
        default_factory=list, description="Fact-checks in the archive above the match threshold, best first."
    )


class Attribution(Span):
    id: str = ""
    source: str
    kind: AttributionKind
    strength: Strength
    reason: str
    country: str | None = None
    origin: Origin = Origin.rules
    model_view: ModelView | None = Field(None, description="The model's reading of a rule finding.")


class NameIssue(Span):
    found: str
    suggestion: str
    confidence: float = Field(ge=0.0, le=1.0)
    evidence: str
    origin: Origin = Origin.gazetteer
    model_view: ModelView | None = Field(None, description="The model's reading of a gazetteer finding.")


class Extraction(BaseModel):
    """What one extractor returns for one article, before ids, ranking and the summary."""

    claims: list[Claim] = Field(default_factory=list)
    attributions: list[Attribution] = Field(default_factory=list)
    names: list[NameIssue] = Field(default_factory=list)
    sentences: int = 0
    notes: list[str] = Field(default_factory=list)


class ArticleInfo(BaseModel):
    title: str | None = None
    url: str | None = None
    sha256: str
    words: int
    language: str
    byline: str | None = None
    published: str | None = None
    site: str | None = None


class ExtractorInfo(BaseModel):
    name: str
    version: str


class TriageReport(BaseModel):
    article: ArticleInfo
    summary: str
    claims: list[Claim]
    attributions: list[Attribution]
    names: list[NameIssue]
    extractor: ExtractorInfo
    sentences: int = 0
    notes: list[str] = Field(default_factory=list, description="One-line notes for the card, e.g. fallbacks.")
    thread_ref: str | None = None
    already_triaged: bool = False
