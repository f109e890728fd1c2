"""The ``cover`` section of the roster document: the pairs and who answers during each absence (docs/roster.md)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["CoverAnswer", "CoverPair", "CoverPlan", "CoverUnpaired"]


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def _aware(v: dt.datetime) -> dt.datetime:
    if v.utcoffset() is None:
        raise ValueError(f"{v.isoformat()} has no UTC offset")
    return v


class CoverPair(_Doc):
    """One 主治医 and one of their 副主治医."""

    principal: str = Field(description="Physician id of the 主治医.")
    deputy: str = Field(description="Physician id of the 副主治医.")
    kept: bool = Field(
        False, description="True when the pair was already a pair in the previous period (or in the plan replaced)."
    )


class CoverUnpaired(_Doc):
    """A 主治医 left with fewer 副主治医 than needed: a gap of the plan, with the reasons."""

    principal: str
    missing: int = Field(ge=1, description="How many 副主治医 are missing.")
    reasons: list[str] = Field(default_factory=list)


class CoverAnswer(_Doc):
    """A stretch of a 主治医's absence in regular hours and who answers for the patients then."""

    principal: str = Field(description="Physician id of the absent 主治医.")
    start: dt.datetime
    end: dt.datetime
    answerer: str | None = Field(description="Physician id of who answers; null: a gap (see reasons).")
    role: Literal["deputy", "second"] | None = Field(
        description="`deputy`: a 副主治医 of the 主治医; `second`: a second cover while every 副主治医 is away."
    )
    reasons: list[str] = Field(default_factory=list, description="Why nobody could be named (gaps only).")

    _aware_times = field_validator("start", "end")(_aware)


class CoverPlan(_Doc):
    """The 主治医・副主治医 cover plan of the period; nights and holidays stay with the district rota."""

    status: Literal["optimal", "feasible", "infeasible", "unknown"]
    objective: float | None = None
    bound: float | None = None
    pairs: list[CoverPair] = Field(default_factory=list)
    unpaired: list[CoverUnpaired] = Field(default_factory=list)
    answers: list[CoverAnswer] = Field(default_factory=list)

    def has_gaps(self) -> bool:
        """Whether a 主治医 lacks a 副主治医 or a stretch of absence has nobody named."""
        return bool(self.unpaired) or any(a.answerer is None for a in self.answers)
