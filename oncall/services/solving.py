"""Starting a solve: carry the previous period over (when linked), queue the job, wake the runner."""

from __future__ import annotations

from oncall.errors import Conflict
from oncall.jobs import JobRunner
from oncall.storage import TERMINAL_STATES, JobRecord, Store
from oncall.storage.audit import Actor
from oncall.storage.replan import ReplanStore

__all__ = ["cancel_solve", "start_solve"]


def start_solve(
    store: ReplanStore, runner: JobRunner, scenario_id: int, time_limit: float, seed: int, actor: Actor | None
) -> JobRecord:
    """Queue a solve of the scenario's newest version (after carrying its previous period over)."""
    store.carry_previous(scenario_id, actor)
    job = store.create_job(scenario_id, time_limit, seed, actor)
    runner.wake()
    return job


def cancel_solve(store: Store, runner: JobRunner, job_id: int, actor: Actor | None, tries: int = 5) -> JobRecord:
    """Cancel a queued or running solve and stop its worker; a job that moved from queued to running
    meanwhile is cancelled all the same, and a finished one is left as it is."""
    for _ in range(tries):
        try:
            job = store.cancel_job(job_id, actor)
            break
        except Conflict:
            job = store.get_job(job_id)
            if job.state in TERMINAL_STATES:
                return job
    runner.kill(job_id)
    return job
