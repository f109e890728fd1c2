"""Swaps and give-aways: proposed (checked by the independent checker), then approved into a draft revision,
refused or withdrawn; an approved swap is undone by another draft revision.

Physicians have no API keys of their own: staff propose on their behalf (``requested_by``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Response

from api.deps import ScenarioId, StaffKey, StoreDep, actor_of
from api.errors import ERROR_RESPONSES
from api.replan_schemas import SwapDecision, SwapRequest, SwapView
from oncall.services import swaps
from oncall.storage.swaps import SwapState

router = APIRouter(tags=["swaps"], responses=ERROR_RESPONSES)

SwapId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Id of the swap.")]
Decision = Annotated[SwapDecision | None, Body()]


@router.post("/scenarios/{scenario_id}/swaps", status_code=201, response_model=SwapView)
def propose_swap(
    scenario_id: ScenarioId, request: SwapRequest, key: StaffKey, store: StoreDep, response: Response
) -> SwapView:
    """Propose a give-away or a swap of the published roster; refused with 422 ``rule_broken`` naming each
    hard rule it would break (rest, caps, absence, district, …)."""
    swap = swaps.propose_swap(
        store, scenario_id, request.proposal, request.requested_by, request.reason, actor_of(key), lang=request.lang
    )
    response.headers["Location"] = f"/swaps/{swap.id}"
    return SwapView.of(swap)


@router.get("/scenarios/{scenario_id}/swaps", response_model=list[SwapView])
def list_swaps(
    scenario_id: ScenarioId,
    _: StaffKey,
    store: StoreDep,
    state: Annotated[SwapState | None, Query(description="Only swaps in this state.")] = None,
) -> list[SwapView]:
    """List the scenario's swaps, newest first."""
    return [SwapView.of(s) for s in swaps.list_swaps(store, scenario_id, state)]


@router.get("/swaps/{swap_id}", response_model=SwapView)
def get_swap(swap_id: SwapId, _: StaffKey, store: StoreDep) -> SwapView:
    """Read a swap."""
    return SwapView.of(swaps.get_swap(store, swap_id))


@router.post("/swaps/{swap_id}/approve", response_model=SwapView)
def approve_swap(swap_id: SwapId, key: StaffKey, store: StoreDep, body: Decision = None) -> SwapView:
    """Approve: checked again on the roster published now and stored as a new draft revision (`revision_id`).
    The published roster changes only when that revision is published."""
    decision = body or SwapDecision()
    return SwapView.of(swaps.approve_swap(store, swap_id, decision.note, actor_of(key), lang=decision.lang))


@router.post("/swaps/{swap_id}/refuse", response_model=SwapView)
def refuse_swap(swap_id: SwapId, key: StaffKey, store: StoreDep, body: Decision = None) -> SwapView:
    """Refuse a proposed swap."""
    return SwapView.of(swaps.refuse_swap(store, swap_id, (body or SwapDecision()).note, actor_of(key)))


@router.post("/swaps/{swap_id}/withdraw", response_model=SwapView)
def withdraw_swap(swap_id: SwapId, key: StaffKey, store: StoreDep, body: Decision = None) -> SwapView:
    """Withdraw a proposed swap (the physician changed their mind)."""
    return SwapView.of(swaps.withdraw_swap(store, swap_id, (body or SwapDecision()).note, actor_of(key)))


@router.post("/swaps/{swap_id}/undo", response_model=SwapView)
def undo_swap(swap_id: SwapId, key: StaffKey, store: StoreDep, body: Decision = None) -> SwapView:
    """Undo an approved swap that is in the published roster: a new draft revision swaps back
    (`undo_revision_id`); publish it to take effect."""
    decision = body or SwapDecision()
    return SwapView.of(swaps.undo_swap(store, swap_id, decision.note, actor_of(key), lang=decision.lang))
