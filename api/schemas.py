"""Request and response bodies of the API (the scenario and roster documents are oncall's own models)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from oncall.checker import CheckReport
from oncall.i18n import Lang
from oncall.model import Note, Physician, Scenario
from oncall.roster import Roster
from oncall.storage import EntryKind, JobRecord, JobState, KeyRecord, RevisionRecord, ScenarioRecord

__all__ = [
    "MAX_ID",
    "CheckRequest",
    "CheckResult",
    "EntryChange",
    "Health",
    "Job",
    "JobProgress",
    "PhysicianView",
    "PublishRequest",
    "Revision",
    "ScenarioDetail",
    "ScenarioSummary",
    "SolveRequest",
    "WhoAmI",
]

MAX_ID = 2**31 - 1  # ids and versions are 32-bit integers on every backend (PostgreSQL's integer)


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Health(_Out):
    """The server answers."""

    status: Literal["ok"] = "ok"
    database: str = Field(description="Backend in use: sqlite or postgresql.")


class Liveness(_Out):
    """The process answers."""

    status: Literal["ok"] = "ok"


class Readiness(_Out):
    """The process can serve: its database answers, and its broker when jobs go to workers."""

    status: Literal["ok"] = "ok"
    database: str = Field(description="Backend in use: sqlite or postgresql.")
    broker: bool = Field(description="Whether jobs go to `oncall worker` processes through a broker (it answered).")


class WhoAmI(_Out):
    """The key the request was made with."""

    prefix: str
    role: Literal["staff", "hospital"]
    name: str

    @classmethod
    def of(cls, key: KeyRecord) -> WhoAmI:
        """The view of a key."""
        return cls.model_validate(key)


class ScenarioSummary(_Out):
    """A stored scenario: one network over one period."""

    id: int
    name: str
    period_start: dt.date
    period_end: dt.date
    version: int = Field(description="Bumped by every change; send it back to update (optimistic concurrency).")
    published_revision_id: int | None = Field(description="The current roster of the period, if any.")
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, record: ScenarioRecord) -> ScenarioSummary:
        """The summary of a stored scenario."""
        return cls.model_validate(record)


class ScenarioDetail(ScenarioSummary):
    """A stored scenario with its document."""

    scenario: Scenario
    withheld: list[str] = Field(
        default_factory=list,
        description="Fields of the document left out for this key, at their defaults in `scenario`: a hospital "
        "key does not read the doctors' personal data (absences and their reasons, wishes, contact details, …).",
    )

    @classmethod
    def with_document(cls, record: ScenarioRecord, scenario: Scenario, withheld: Sequence[str] = ()) -> ScenarioDetail:
        """The summary plus the document (``withheld``: the fields left out of it)."""
        return cls(**ScenarioSummary.of(record).model_dump(), scenario=scenario, withheld=list(withheld))


class PhysicianView(_Out):
    """One physician of a scenario, with absences, wishes and unwishes in index order."""

    scenario_id: int
    version: int
    physician: Physician


class EntryChange(_Out):
    """An absence, wish or unwish added or removed; the scenario moved to ``version``."""

    scenario_id: int
    version: int
    physician_id: str
    kind: EntryKind
    index: int = Field(description="Position of the entry in the physician's list (before removal).")


class SolveRequest(BaseModel):
    """How to solve; every field is optional."""

    model_config = ConfigDict(extra="forbid", strict=True)

    time_limit: float | None = Field(
        None,
        gt=0,
        allow_inf_nan=False,
        description="Seconds of search; at most the server's limit. Default: the server's default.",
    )
    seed: int = Field(0, ge=0, le=MAX_ID, description="Random seed of the search.")
    deterministic_time: float | None = Field(
        None,
        gt=0,
        allow_inf_nan=False,
        description="Stop each phase after this much deterministic work (about seconds of one core; at most the "
        "server's time limit), with one CP-SAT worker: the same seed gives the same roster on any machine. "
        "The time limit still applies. Default: none, the search stops on the time limit.",
    )


class JobProgress(_Out):
    """How far a solve has come."""

    best_objective: float | None = Field(description="Objective of the best roster so far (lower is better).")
    bound: float | None = Field(description="Proven lower bound of the objective.")
    elapsed_seconds: float | None = Field(description="Seconds since the solve started, up to its end.")


class Job(_Out):
    """A solve job."""

    id: int
    scenario_id: int
    scenario_version: int = Field(description="The scenario version being solved.")
    state: JobState
    time_limit: float
    seed: int
    progress: JobProgress
    message: str | None = Field(description="Why the job failed, if it did.")
    revision_id: int | None = Field(description="The draft revision a succeeded job produced.")
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @classmethod
    def of(cls, record: JobRecord) -> Job:
        """The view of a job record."""
        progress = JobProgress(best_objective=record.objective, bound=record.bound, elapsed_seconds=record.elapsed())
        fields: dict[str, Any] = {k: getattr(record, k) for k in cls.model_fields if k != "progress"}
        return cls(**fields, progress=progress)


class Revision(_Out):
    """A roster revision: a draft until published; kept for ever."""

    id: int
    scenario_id: int
    scenario_version: int
    job_id: int | None
    status: str = Field(description="Roster status: optimal, feasible, infeasible or unknown.")
    objective: float | None
    bound: float | None
    gaps: int = Field(description="Roles left empty.")
    violations: int = Field(description="Hard-rule violations the checker found (0 for a valid roster).")
    created_at: dt.datetime
    published: bool = Field(description="Whether this is the current roster of its scenario.")
    published_at: dt.datetime | None

    @classmethod
    def of(cls, record: RevisionRecord) -> Revision:
        """The view of a revision record."""
        return cls.model_validate(record)


class PublishRequest(BaseModel):
    """Publish a revision, naming the published revision the client reviewed it against."""

    model_config = ConfigDict(extra="forbid", strict=True)

    base: int | None = Field(
        ge=1,
        le=MAX_ID,
        description="Id of the revision published when the client reviewed, or null when none was; "
        "if another was published since, the request fails with 409.",
    )
    reason: Note | None = Field(None, description="Why, for the audit log.")


class CheckRequest(BaseModel):
    """A scenario and a roster to check against it."""

    model_config = ConfigDict(extra="forbid")

    scenario: Scenario
    roster: Roster
    lang: Lang = Field("ja", description="Language of the messages.")


class CheckResult(BaseModel):
    """The checker's verdict: hard violations and soft figures."""

    ok: bool = Field(description="True when no hard rule is broken.")
    fairness_spread: float = Field(description="Duty points between the doctors furthest above and below fair share.")
    summary: str = Field(description="A few lines for people.")
    report: CheckReport = Field(description="Violations, per-physician and per-hospital figures.")
