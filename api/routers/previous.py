"""The previous period of a scenario: its published roster carries over when the scenario is solved."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import AnyKey, ReplanStoreDep, ScenarioId, StaffKey, actor_of
from api.errors import ERROR_RESPONSES
from api.replan_schemas import PreviousLink, PreviousRequest

router = APIRouter(prefix="/scenarios/{scenario_id}/previous", tags=["scenarios"], responses=ERROR_RESPONSES)


@router.get("", response_model=PreviousLink)
def get_previous(scenario_id: ScenarioId, _: AnyKey, store: ReplanStoreDep) -> PreviousLink:
    """The scenario of the previous period, and its published revision."""
    return PreviousLink.of(store.get_link(scenario_id))


@router.put("", response_model=PreviousLink)
def set_previous(
    scenario_id: ScenarioId, request: PreviousRequest, key: StaffKey, store: ReplanStoreDep
) -> PreviousLink:
    """Name the scenario of the previous period (it must end the day before this one starts), or null.

    Each solve of this scenario then starts from that period's published roster: rest across the
    boundary, consecutive days, fairness points in a rolling window, and the night across the boundary.
    """
    return PreviousLink.of(store.link_previous(scenario_id, request.previous, actor_of(key)))
