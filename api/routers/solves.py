"""Solve jobs: queued with 202, run by the worker pool, polled for progress, cancelled with DELETE."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response

from api.deps import (
    AnyKey,
    JobId,
    Runner,
    ScenarioId,
    SettingsDep,
    StaffKey,
    StoreDep,
    actor_of,
    solve_seconds,
)
from api.errors import ERROR_RESPONSES
from api.schemas import Job, SolveRequest
from oncall.services import solving

router = APIRouter(tags=["solves"], responses=ERROR_RESPONSES)


@router.post("/scenarios/{scenario_id}/solves", status_code=202, response_model=Job)
def start_solve(
    scenario_id: ScenarioId,
    key: StaffKey,
    store: StoreDep,
    runner: Runner,
    settings: SettingsDep,
    response: Response,
    request: Annotated[SolveRequest | None, Body()] = None,
) -> Job:
    """Queue a solve of the scenario's newest version; poll ``GET /solves/{job_id}`` for its progress.

    When the scenario names its previous period (``PUT /scenarios/{id}/previous``) and that period has a
    published roster, its history is carried over first, as a new scenario version that the job solves.
    """
    options = request or SolveRequest()
    limit = solve_seconds(settings, options.time_limit)
    job = solving.start_solve(store, runner, scenario_id, limit, options.seed, actor_of(key))
    response.headers["Location"] = f"/solves/{job.id}"
    return Job.of(job)


@router.get("/scenarios/{scenario_id}/solves", response_model=list[Job])
def list_solves(scenario_id: ScenarioId, _: AnyKey, store: StoreDep) -> list[Job]:
    """List the scenario's solve jobs, newest first."""
    return [Job.of(j) for j in store.list_jobs(scenario_id)]


@router.get("/solves/{job_id}", response_model=Job)
def get_solve(job_id: JobId, _: AnyKey, store: StoreDep) -> Job:
    """Read a job's state and progress (best objective, bound, elapsed seconds)."""
    return Job.of(store.get_job(job_id))


@router.delete("/solves/{job_id}", response_model=Job)
def cancel_solve(job_id: JobId, key: StaffKey, store: StoreDep, runner: Runner) -> Job:
    """Cancel a queued or running solve; its worker is stopped and nothing of it is stored."""
    return Job.of(solving.cancel_solve(store, runner, job_id, actor_of(key), strict=True))
