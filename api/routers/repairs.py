"""Repairs: changes to a published roster (absence, leaving doctor, closed hospital, cap), repaired as a job
with as few changed duties as possible; the draft is published through the usual path."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Response

from api.deps import Runner, ScenarioId, SettingsDep, StaffKey, StoreDep, actor_of, solve_seconds
from api.errors import ERROR_RESPONSES, InvalidRequest
from api.replan_schemas import RepairRequest, RepairView
from oncall.services import repairs as repair_service

router = APIRouter(tags=["repairs"], responses=ERROR_RESPONSES)

RepairId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Id of the repair.")]


def _freeze(now: dt.datetime | None, zone: dt.tzinfo) -> dt.datetime:
    """The freeze instant in UTC; 422 when ``now`` is out of range."""
    try:
        return repair_service.freeze_instant(now, zone)
    except (OverflowError, ValueError):
        assert now is not None  # the server's clock is always in range
        raise InvalidRequest("now is out of range", [("now", f"{now.isoformat()} is out of range")]) from None


@router.post("/scenarios/{scenario_id}/repairs", status_code=202, response_model=RepairView)
def start_repair(
    scenario_id: ScenarioId,
    request: RepairRequest,
    key: StaffKey,
    store: StoreDep,
    runner: Runner,
    settings: SettingsDep,
    response: Response,
) -> RepairView:
    """Apply the changes as a new scenario version and queue a minimal-change repair of the published revision.

    Duties that started before ``now`` stay as they are. Poll ``GET /repairs/{id}``; once it succeeded,
    ``revision_id`` names the draft and ``summary`` lists every changed duty-role with its reason.
    """
    limit = solve_seconds(settings, request.time_limit)
    _, scenario = store.get_document(scenario_id)
    repair = repair_service.start_repair(
        store,
        runner,
        scenario_id,
        request.base,
        request.changes,
        _freeze(request.now, scenario.zone),
        limit,
        request.seed,
        request.reason,
        actor_of(key),
        request.lang,
    )
    response.headers["Location"] = f"/repairs/{repair.id}"
    return RepairView.of(repair)


@router.get("/scenarios/{scenario_id}/repairs", response_model=list[RepairView])
def list_repairs(scenario_id: ScenarioId, _: StaffKey, store: StoreDep) -> list[RepairView]:
    """List the scenario's repairs, newest first."""
    return [RepairView.of(r) for r in repair_service.list_repairs(store, scenario_id)]


@router.get("/repairs/{repair_id}", response_model=RepairView)
def get_repair(repair_id: RepairId, _: StaffKey, store: StoreDep) -> RepairView:
    """Read a repair: its state, and once done the draft revision and the summary of changes."""
    return RepairView.of(repair_service.get_repair(store, repair_id))
