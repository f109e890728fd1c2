"""The previous period of a scenario: its published roster carries over when the scenario is solved."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import AnyKey, ScenarioId, StaffKey, StoreDep, actor_of
from api.errors import ERROR_RESPONSES
from api.replan_schemas import PreviousLink, PreviousRequest
from oncall.services import periods

router = APIRouter(prefix="/scenarios/{scenario_id}/previous", tags=["scenarios"], responses=ERROR_RESPONSES)


@router.get("", response_model=PreviousLink)
def get_previous(scenario_id: ScenarioId, _: AnyKey, store: StoreDep) -> PreviousLink:
    """The scenario of the previous period, and its published revision."""
    return PreviousLink.of(periods.get_link(store, scenario_id))


@router.put("", response_model=PreviousLink)
def set_previous(scenario_id: ScenarioId, request: PreviousRequest, key: StaffKey, store: StoreDep) -> PreviousLink:
    """Name the scenario of the previous period (it must end the day before this one starts), or null.

    Each solve of this scenario then starts from that period's published roster: rest across the
    boundary, consecutive days, fairness points in a rolling window, and the night across the boundary.
    """
    return PreviousLink.of(periods.link_previous(store, scenario_id, request.previous, actor_of(key)))
