"""Starting a solve: carry the previous period over (when linked), queue the job, wake the runner."""

from __future__ import annotations

from oncall.jobs import JobRunner
from oncall.storage import JobRecord
from oncall.storage.audit import Actor
from oncall.storage.replan import ReplanStore

__all__ = ["start_solve"]


def start_solve(
    store: ReplanStore, runner: JobRunner, scenario_id: int, time_limit: float, seed: int, actor: Actor | None
) -> JobRecord:
    """Queue a solve of the scenario's newest version (after carrying its previous period over)."""
    store.carry_previous(scenario_id, actor)
    job = store.create_job(scenario_id, time_limit, seed, actor)
    runner.wake()
    return job
