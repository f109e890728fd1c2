"""Scenarios: a network over one period, uploaded as JSON or YAML and updated version by version."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from api.deps import (
    SCENARIO_MEDIA_TYPES,
    AnyKey,
    ScenarioBody,
    ScenarioId,
    StaffKey,
    StoreDep,
    actor_of,
    reads_personal_data,
)
from api.errors import ERROR_RESPONSES
from api.schemas import ScenarioDetail, ScenarioSummary
from oncall.model import Note
from oncall.services import scenarios

router = APIRouter(prefix="/scenarios", tags=["scenarios"], responses=ERROR_RESPONSES)

_SCENARIO_REF = {"$ref": "#/components/schemas/Scenario"}
Reason = Annotated[Note | None, Query(description="Why, for the audit log.")]
# The body is read by a dependency (JSON or YAML), so its schema is documented here.
_SCENARIO_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The scenario document (see `oncall schema`), as JSON or YAML.",
        "content": {media: {"schema": _SCENARIO_REF} for media in SCENARIO_MEDIA_TYPES},
    }
}


@router.post("", status_code=201, response_model=ScenarioSummary, openapi_extra=_SCENARIO_BODY)
def create_scenario(
    key: StaffKey, scenario: ScenarioBody, store: StoreDep, response: Response, reason: Reason = None
) -> ScenarioSummary:
    """Upload a scenario (JSON or YAML); it is stored as version 1."""
    record = scenarios.create_scenario(store, scenario, actor_of(key), reason)
    response.headers["Location"] = f"/scenarios/{record.id}"
    return ScenarioSummary.of(record)


@router.get("", response_model=list[ScenarioSummary])
def list_scenarios(
    _: AnyKey,
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=500, description="Most scenarios to list.")] = 100,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1, description="Scenarios to skip (newest first).")] = 0,
) -> list[ScenarioSummary]:
    """List scenarios, newest first."""
    return [ScenarioSummary.of(r) for r in store.list_scenarios(limit, offset)]


@router.get("/{scenario_id}", response_model=ScenarioDetail)
def get_scenario(scenario_id: ScenarioId, key: AnyKey, store: StoreDep) -> ScenarioDetail:
    """Read a scenario with its newest document (without the doctors' personal data for a hospital key)."""
    record, scenario, withheld = scenarios.read_scenario(store, scenario_id, reads_personal_data(key))
    return ScenarioDetail.with_document(record, scenario, withheld)


@router.put("/{scenario_id}", response_model=ScenarioSummary, openapi_extra=_SCENARIO_BODY)
def update_scenario(
    scenario_id: ScenarioId,
    version: Annotated[int, Query(ge=1, le=2**31 - 1, description="The version the change is based on.")],
    key: StaffKey,
    scenario: ScenarioBody,
    store: StoreDep,
    reason: Reason = None,
) -> ScenarioSummary:
    """Replace the scenario's document; 409 when ``version`` is no longer the newest."""
    return ScenarioSummary.of(scenarios.replace_scenario(store, scenario_id, scenario, version, actor_of(key), reason))
