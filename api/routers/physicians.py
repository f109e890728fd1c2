"""A physician's absences, wishes and unwishes, added and removed one by one (the monthly collection).

Entries are addressed by their index in the physician's list, as ``GET`` shows it. Each change makes
a new scenario version; ``?version=`` makes it conditional on the version the client saw.
"""

# No `from __future__ import annotations` here: the routes' body type is a variable of `_entry_routes`,
# which FastAPI can only see when annotations are evaluated where the function is defined.

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from api.deps import PhysicianId, ScenarioId, StaffKey, StoreDep, actor_of
from api.errors import ERROR_RESPONSES
from api.schemas import EntryChange, PhysicianView
from oncall.model import Absence, Request
from oncall.services import scenarios
from oncall.storage import EntryKind

router = APIRouter(
    prefix="/scenarios/{scenario_id}/physicians/{physician_id}", tags=["physicians"], responses=ERROR_RESPONSES
)

Version = Annotated[
    int | None,
    Query(ge=1, le=2**31 - 1, description="Apply only if the scenario is still at this version (else 409)."),
]
Index = Annotated[int, Path(ge=0, le=10_000, description="Position of the entry in the physician's list.")]


@router.get("", response_model=PhysicianView)
def get_physician(scenario_id: ScenarioId, physician_id: PhysicianId, _: StaffKey, store: StoreDep) -> PhysicianView:
    """Read one physician of the newest scenario version, with absences, wishes and unwishes."""
    record, physician = scenarios.read_physician(store, scenario_id, physician_id)
    return PhysicianView(scenario_id=record.id, version=record.version, physician=physician)


def _entry_routes(kind: EntryKind, singular: str, model: type[Absence] | type[Request], what: str) -> None:
    """``POST …/{kind}`` and ``DELETE …/{kind}/{index}``: the same two routes for each kind of entry."""

    def add(
        scenario_id: ScenarioId,
        physician_id: PhysicianId,
        key: StaffKey,
        entry: model,  # type: ignore[valid-type]  # one model per kind, fixed when the routes are made
        store: StoreDep,
        response: Response,
        version: Version = None,
    ) -> EntryChange:
        record, index = scenarios.add_entry(store, scenario_id, physician_id, kind, entry, version, actor_of(key))
        response.headers["Location"] = f"/scenarios/{scenario_id}/physicians/{physician_id}/{kind}/{index}"
        return EntryChange(
            scenario_id=record.id, version=record.version, physician_id=physician_id, kind=kind, index=index
        )

    def remove(
        scenario_id: ScenarioId,
        physician_id: PhysicianId,
        index: Index,
        key: StaffKey,
        store: StoreDep,
        version: Version = None,
    ) -> EntryChange:
        record = scenarios.remove_entry(store, scenario_id, physician_id, kind, index, version, actor_of(key))
        return EntryChange(
            scenario_id=record.id, version=record.version, physician_id=physician_id, kind=kind, index=index
        )

    router.post(
        f"/{kind}", status_code=201, response_model=EntryChange, name=f"add_{singular}", description=f"Add {what}."
    )(add)
    router.delete(
        f"/{kind}/{{index}}",
        response_model=EntryChange,
        name=f"remove_{singular}",
        description=f"Remove the {singular} at `index` (its position in the list).",
    )(remove)


_entry_routes("absences", "absence", Absence, "a declared absence (whole dates, inclusive, or an exact datetime range)")
_entry_routes("wishes", "wish", Request, "a wished date (or one block of it)")
_entry_routes("unwishes", "unwish", Request, "a date (or one block of it) the physician would rather not have")
