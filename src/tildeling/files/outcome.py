"""The JSON outcome contract as pydantic models — used to generate
``schemas/outcome.schema.json`` and to check, in tests, that what ``evaluate --format json``
prints fits the contract. Keys may be added; none of these may be renamed or dropped.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tildeling.files.model import Outcome


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class RuleSetRef(_Open):
    id: str
    version: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    municipality: str | None = None
    example: bool | None = None


class Reason(_Open):
    rule: str = Field(description="Stabil regel-id.")
    text: str
    legal_basis: str
    facts: dict[str, Any] = Field(description="Faktaverdiene regelen bygde på.")


class AlternativeOut(_Open):
    service: str
    step: int
    name: str | None = None
    text: str | None = None
    tried: bool | None = None


class ScoreComponentOut(_Open):
    id: str
    label: str
    weight: float
    points: float | None


class ScoreOut(_Open):
    value: float | None
    components: list[ScoreComponentOut]


class AmountOut(_Open):
    value: float
    unit: str


class DecisionOut(_Open):
    service: str
    legal_basis: str
    outcome: Outcome
    step: int | None
    score: ScoreOut | None
    reasons: list[Reason]
    missing: list[str] = Field(description="Fakta som må innhentes før saken kan avgjøres.")
    alternatives: list[AlternativeOut] = Field(description="Lavere trinn som er vurdert (LEON).")
    service_name: str | None = None
    decided_by: Literal["lovkrav", "kommunalt"] | None = None
    discretion: bool | None = None
    addressee: Literal["søker", "pårørende"] | None = None
    amount: AmountOut | None = None
    rule_path: list[str] | None = None


class CaseOutcome(_Open):
    """One evaluated case (``tildeling evaluate --format json``)."""

    case: str
    rule_set: RuleSetRef
    as_of: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    decisions: list[DecisionOut]
    staircase_step: int | None
    samlevedtak: bool | None = None
    language: Literal["nb", "nn", "en"] | None = None
    warnings: list[str] | None = None
