"""Request and response bodies of re-planning: previous periods, repairs, swaps and the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.schemas import MAX_ID
from oncall.i18n import Lang
from oncall.model import Id, Note
from oncall.replan import Change, ReplanSummary
from oncall.storage.audit import AuditEntry
from oncall.storage.links import LinkRecord
from oncall.storage.repairs import RepairRecord
from oncall.storage.repository import JobState
from oncall.storage.swaps import SwapRecord, SwapState
from oncall.swaps import Proposal

__all__ = [
    "AuditEntryView",
    "PreviousLink",
    "PreviousRequest",
    "RepairRequest",
    "RepairView",
    "SwapDecision",
    "SwapRequest",
    "SwapView",
]

_MAX_ID = MAX_ID


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PreviousRequest(_In):
    """Name the scenario of the previous period, or null to remove the link."""

    previous: int | None = Field(
        ge=1, le=_MAX_ID, description="Id of the scenario whose period ends the day before this one starts."
    )


class PreviousLink(BaseModel):
    """A scenario and the scenario of its previous period."""

    scenario_id: int
    previous_id: int | None = Field(description="The previous period's scenario, if linked.")
    previous_published_revision_id: int | None = Field(
        description="Its published revision: solving this scenario carries it over (rest, consecutive days, "
        "fairness points, the night across the boundary)."
    )

    @classmethod
    def of(cls, record: LinkRecord) -> PreviousLink:
        """The view of a link."""
        return cls(
            scenario_id=record.scenario_id,
            previous_id=record.previous_id,
            previous_published_revision_id=record.previous_published_revision_id,
        )


class RepairRequest(_In):
    """Changes to apply to the published roster, repaired with as few changed duties as possible."""

    base: int = Field(ge=1, le=_MAX_ID, description="The published revision to repair (409 if it is not).")
    changes: list[Change] = Field(min_length=1, max_length=100, description="What changed, in order.")
    now: dt.datetime | None = Field(
        None,
        description="Duties that started before this instant stay as published (default: the server's clock; "
        "without an offset: the scenario's zone).",
    )
    time_limit: float | None = Field(
        None, gt=0, allow_inf_nan=False, description="Seconds of search at most (default: the server's)."
    )
    seed: int = Field(0, ge=0, le=_MAX_ID, description="Random seed of the search.")
    reason: Note | None = Field(None, description="Why, for the audit log.")
    lang: Lang = Field("ja", description="Language of the notes and the summary.")


class RepairView(BaseModel):
    """A repair: the changes as applied, its job's state and, once done, the draft revision and summary."""

    id: int
    scenario_id: int
    job_id: int = Field(description="The solve job running the repair (`GET /solves/{job_id}`, cancel with DELETE).")
    state: JobState
    message: str | None = Field(description="Why the job failed, if it did.")
    base_revision_id: int
    scenario_version: int = Field(description="The scenario version with the changes.")
    freeze_at: dt.datetime
    changes: list[Change]
    notes: list[str]
    reason: str | None
    created_at: dt.datetime
    revision_id: int | None = Field(description="The repaired draft revision; publish it like any other.")
    summary: ReplanSummary | None = Field(description="Changed duty-roles, who gains and loses, and why.")

    @classmethod
    def of(cls, record: RepairRecord) -> RepairView:
        """The view of a repair."""
        fields: dict[str, Any] = {k: getattr(record, k) for k in cls.model_fields if k != "summary"}
        summary = None if record.summary is None else ReplanSummary.model_validate(record.summary)
        return cls(**fields, summary=summary)


class SwapRequest(_In):
    """A give-away or swap, proposed by staff on behalf of a physician."""

    proposal: Proposal
    requested_by: Id | None = Field(None, description="The physician who asked for it (usually the one giving).")
    reason: Note | None = Field(None, description="Why, for the audit log.")
    lang: Lang = Field("ja", description="Language of the checker's messages when the proposal is refused.")


class SwapDecision(_In):
    """An approval, refusal, withdrawal or undo, with an optional note."""

    note: Note | None = Field(None, description="A note for the audit log.")
    lang: Lang = Field("ja", description="Language of the checker's messages.")


class SwapView(BaseModel):
    """A swap or give-away and what became of it."""

    id: int
    scenario_id: int
    base_revision_id: int = Field(description="The published revision it was proposed against.")
    proposal: Proposal
    requested_by: str | None
    reason: str | None
    state: SwapState
    proposed_by: str
    proposed_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    note: str | None
    revision_id: int | None = Field(description="The draft revision the approval made (publish it to take effect).")
    undo_revision_id: int | None = Field(description="The draft revision that undoes it.")

    @classmethod
    def of(cls, record: SwapRecord) -> SwapView:
        """The view of a swap."""
        return cls.model_validate({k: getattr(record, k) for k in cls.model_fields})


class AuditEntryView(BaseModel):
    """One recorded change."""

    id: int
    at: dt.datetime
    actor: str = Field(description="The API key (prefix and name), `cli` or `system`.")
    key_id: int | None
    action: str = Field(description="`<kind>.<verb>`, e.g. `swap.approve`.")
    kind: str = Field(description="scenario, solve, revision, publication, repair, swap, …")
    target: str = Field(description="Id of what changed (of the kind).")
    scenario_id: int | None
    detail: dict[str, Any]
    reason: str | None

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryView:
        """The view of an entry."""
        return cls.model_validate({k: getattr(entry, k) for k in cls.model_fields})
